/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef RAMPART_CORE_LAUNCH_H
#define RAMPART_CORE_LAUNCH_H

#include <linux/types.h>

struct rampart_vcpu;
struct rampart_ept;
struct rampart_root;

int rampart_launch_all(void);
void rampart_devirt_all(void);
bool rampart_ping(void);
void rampart_shutdown_all(void);
void rampart_devirt_this_cpu(void);
void rampart_relaunch_this_cpu(void);
const struct rampart_vcpu *rampart_vcpu(unsigned int cpu);
const struct rampart_ept *rampart_ept_info(void);
u64 rampart_root_writable_bytes(void);
const struct rampart_root *rampart_root_state(void);
void *rampart_mailbox(void);
bool rampart_sealed(void);

#endif /* RAMPART_CORE_LAUNCH_H */
