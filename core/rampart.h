/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-side state shared by the files under core/. Nothing in here is
 * visible to, or trusted by, VMX root mode.
 */
#ifndef RAMPART_CORE_H
#define RAMPART_CORE_H

#include <linux/types.h>

#include "../vmx/caps.h"

#define RAMPART_VERSION "0.1.0"

/* Life-cycle state of one CPU, as shown in cpus/cpuN/state. */
enum rampart_cpu_state {
	RAMPART_CPU_UNPROBED,
	RAMPART_CPU_NATIVE,	/* probed, running bare metal */
	RAMPART_CPU_LAUNCHED,	/* the kernel runs in VMX non-root mode */
	RAMPART_CPU_STATE_NR,
};

/*
 * struct rampart_cpu - what the kernel side knows about one CPU.
 * @cpu: the CPU number.
 * @state: life-cycle state.
 * @raw: capability MSRs as this CPU reported them.
 * @vmxe: CR4.VMXE was already set at probe time.
 * @launch_ns, @devirt_ns: how long the last launch and devirtualization
 *                         of this CPU took (interrupts off, on that CPU).
 */
struct rampart_cpu {
	unsigned int cpu;
	enum rampart_cpu_state state;
	struct rampart_caps_raw raw;
	bool vmxe;
	u64 launch_ns;
	u64 devirt_ns;
};

extern struct rampart_caps rampart_boot_caps;
extern struct rampart_cpu **rampart_cpus;

int rampart_probe_all(void);
bool rampart_nested_supported(void);
void rampart_probe_free(void);
const char *rampart_cpu_state_name(enum rampart_cpu_state s);

extern bool rampart_launched;

void rampart_debugfs_init(void);
void rampart_debugfs_exit(void);
int rampart_sysfs_init(void);
void rampart_sysfs_exit(void);

#endif /* RAMPART_CORE_H */
