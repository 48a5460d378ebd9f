// SPDX-License-Identifier: GPL-2.0-only
/*
 * What root's VMCS accessors cannot do inline (root side): count and
 * report a failed VMREAD or VMWRITE, and keep the cached control words.
 */
#include <linux/types.h>
#include <asm/vmx.h>

#include "root.h"
#include "rootlog.h"
#include "vcpu.h"
#include "vmcs_access.h"

static const u32 rt_ctl_field[RP_RT_NR] __rampart_root_ro = {
	[RP_RT_PIN] = PIN_BASED_VM_EXEC_CONTROL,
	[RP_RT_PROC] = CPU_BASED_VM_EXEC_CONTROL,
	[RP_RT_EXC] = EXCEPTION_BITMAP,
	[RP_RT_PROC2] = SECONDARY_VM_EXEC_CONTROL,
};

/**
 * rampart_vmcs_failed() - a VMREAD or VMWRITE in root failed.
 * @field: the field's encoding.
 * @write: true for VMWRITE.
 *
 * Root's own VMCS access failing is a root bug (a field this CPU lacks, a
 * bad encoding; SDM 31.3). Count it on this CPU, keep the first field for
 * the kernel side (debugfs), and name it once on COM1. Runs on the root
 * stack, which finds this CPU's struct rampart_vcpu.
 */
__rampart_root void rampart_vmcs_failed(unsigned long field, bool write)
{
	struct rampart_vcpu *v;
	u64 err;

	v = rampart_vcpu_of((unsigned long)__builtin_frame_address(0));
	if (v->vmcs_errors++)
		return;
	v->vmcs_error_field = field;
	v->vmcs_error_write = write;
	if (rp_vmread_insn(VM_INSTRUCTION_ERROR, &err))
		err = ~0ULL;
	rampart_rootlog(write ? "\nrampart: root: VMWRITE failed" :
				"\nrampart: root: VMREAD failed");
	rampart_rootlog_hex("cpu", v->cpu);
	rampart_rootlog_hex("field", field);
	rampart_rootlog_hex("insn_error", err);
	rampart_rootlog("\n");
}

/**
 * rampart_ctl_cache_load() - read the run-time control words once.
 * @v: this CPU, at its first exit after VMLAUNCH.
 *
 * Return: false if a VMREAD failed: the cache would say 0, and a later
 * read-modify-write would clear controls (EPT among them). The caller
 * parks the CPU.
 */
__rampart_root bool rampart_ctl_cache_load(struct rampart_vcpu *v)
{
	u64 val;
	int c;

	for (c = 0; c < RP_RT_NR; c++) {
		if (rp_vmread_insn(rt_ctl_field[c], &val)) {
			rampart_vmcs_failed(rt_ctl_field[c], false);
			return false;
		}
		v->ctl[c] = val;
	}
	return true;
}

/**
 * rampart_ctl_get() - a cached control word.
 * @v: this CPU.
 * @c: which.
 *
 * Return: its value in the VMCS.
 */
__rampart_root u32 rampart_ctl_get(const struct rampart_vcpu *v,
				   enum rampart_rt_ctl c)
{
	return v->ctl[c];
}

/**
 * rampart_ctl_write() - set a control word; VMWRITE only if it changes.
 * @v: this CPU.
 * @c: which.
 * @val: the new value.
 */
__rampart_root void rampart_ctl_write(struct rampart_vcpu *v,
				      enum rampart_rt_ctl c, u32 val)
{
	if (v->ctl[c] == val)
		return;
	/* The cache follows the VMCS: it changes only if the VMCS did. */
	if (rp_vmwrite_insn(rt_ctl_field[c], val)) {
		rampart_vmcs_failed(rt_ctl_field[c], true);
		return;
	}
	v->ctl[c] = val;
}

/**
 * rampart_ctl_set_bits() - set bits in a control word.
 * @v: this CPU.
 * @c: which.
 * @bits: the bits.
 */
__rampart_root void rampart_ctl_set_bits(struct rampart_vcpu *v,
					 enum rampart_rt_ctl c, u32 bits)
{
	rampart_ctl_write(v, c, v->ctl[c] | bits);
}

/**
 * rampart_ctl_clear_bits() - clear bits in a control word.
 * @v: this CPU.
 * @c: which.
 * @bits: the bits.
 */
__rampart_root void rampart_ctl_clear_bits(struct rampart_vcpu *v,
					   enum rampart_rt_ctl c, u32 bits)
{
	rampart_ctl_write(v, c, v->ctl[c] & ~bits);
}
