/* SPDX-License-Identifier: GPL-2.0-only */
/* Building, writing and dumping the VMCS of a CPU about to launch. */
#ifndef RAMPART_VMX_VMCS_H
#define RAMPART_VMX_VMCS_H

#include "caps.h"
#include "root/vcpu.h"
#include "root/vmcs_fields.h"

/*
 * struct rampart_vmcs_ctx - what the VMCS is built from, besides the CPU.
 * @caps: capabilities, for the allowed control settings.
 * @vcpu: this CPU's root state.
 * @host_cr3: Rampart's page tables.
 * @eptp: the identity EPT.
 * @msr_bitmap: physical address of the MSR bitmap.
 * @io_bitmap: physical address of the I/O bitmaps A and B (two pages), or
 *             0 for no I/O exits at all.
 * @host_rip: the VM-exit entry point.
 * @pt: enum rampart_pt, how root treats Intel PT.
 * @pmu_off_in_root: exits stop the performance counters.
 */
struct rampart_vmcs_ctx {
	const struct rampart_caps *caps;
	struct rampart_vcpu *vcpu;
	u64 host_cr3;
	u64 eptp;
	u64 msr_bitmap;
	u64 io_bitmap;
	u64 host_rip;
	u8 pt;
	bool pmu_off_in_root;
};

int rampart_vmcs_build(struct rampart_vmcs_img *img,
		       const struct rampart_vmcs_ctx *ctx);
int rampart_vmcs_write(const struct rampart_vmcs_img *img);
u64 rampart_vmcs_insn_error(void);
void rampart_vmcs_dump(unsigned int cpu);

#endif /* RAMPART_VMX_VMCS_H */
