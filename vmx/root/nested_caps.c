// SPDX-License-Identifier: GPL-2.0-only
/*
 * What VMX looks like to the kernel under Rampart (root side): the
 * capability MSRs (SDM Vol. 3D Appendix A) describe exactly what root
 * emulates, derived from the boot CPU's, so every CPU reports the same.
 * Root reads them for RDMSR exits (vmx/root/msr.c) and checks vmcs12's
 * controls against them before each L2 entry (vmx/root/nested_run.c).
 */
#include <linux/bits.h>
#include <linux/types.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include "caps.h"
#include "lock.h"
#include "nested.h"
#include "root.h"
#include "rootstate.h"

/*
 * Controls root offers L1, on top of the CPU's must-be-one bits: those
 * Linux's kvm_intel asks for and root can emulate. Root passes each one
 * through to vmcs02, or handles it in software (the EFER/PAT and debug
 * controls, which describe L1's state as much as L2's).
 */
static const u32 ctl_offer[RAMPART_CTL_NR] __rampart_root_ro = {
	[RAMPART_CTL_PIN] = PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING |
			    PIN_BASED_VIRTUAL_NMIS,
	[RAMPART_CTL_PROC] = CPU_BASED_INTR_WINDOW_EXITING |
			     CPU_BASED_USE_TSC_OFFSETTING |
			     CPU_BASED_HLT_EXITING | CPU_BASED_INVLPG_EXITING |
			     CPU_BASED_MWAIT_EXITING | CPU_BASED_RDPMC_EXITING |
			     CPU_BASED_RDTSC_EXITING |
			     CPU_BASED_CR3_LOAD_EXITING |
			     CPU_BASED_CR3_STORE_EXITING |
			     CPU_BASED_CR8_LOAD_EXITING |
			     CPU_BASED_CR8_STORE_EXITING |
			     CPU_BASED_NMI_WINDOW_EXITING |
			     CPU_BASED_MOV_DR_EXITING |
			     CPU_BASED_UNCOND_IO_EXITING |
			     CPU_BASED_USE_MSR_BITMAPS |
			     CPU_BASED_MONITOR_EXITING |
			     CPU_BASED_PAUSE_EXITING |
			     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
	[RAMPART_CTL_PROC2] = SECONDARY_EXEC_ENABLE_EPT |
			      SECONDARY_EXEC_DESC |
			      SECONDARY_EXEC_ENABLE_RDTSCP |
			      SECONDARY_EXEC_ENABLE_VPID |
			      SECONDARY_EXEC_WBINVD_EXITING |
			      SECONDARY_EXEC_UNRESTRICTED_GUEST |
			      SECONDARY_EXEC_ENABLE_INVPCID,
	[RAMPART_CTL_EXIT] = VM_EXIT_SAVE_DEBUG_CONTROLS |
			     VM_EXIT_HOST_ADDR_SPACE_SIZE |
			     VM_EXIT_ACK_INTR_ON_EXIT |
			     VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT |
			     VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER,
	[RAMPART_CTL_ENTRY] = VM_ENTRY_LOAD_DEBUG_CONTROLS |
			      VM_ENTRY_IA32E_MODE |
			      VM_ENTRY_LOAD_IA32_PAT |
			      VM_ENTRY_LOAD_IA32_EFER,
};

/*
 * ... and must be one although the CPU lets them be 0: L2 touches no I/O
 * port directly, since root guards some for itself (vmx/root/io.c).
 */
static const u32 ctl_require[RAMPART_CTL_NR] __rampart_root_ro = {
	[RAMPART_CTL_PROC] = CPU_BASED_UNCOND_IO_EXITING,
};

/* The default1 class of each control word (SDM A.2), for the plain MSRs. */
static const u32 ctl_default1[RAMPART_CTL_NR] __rampart_root_ro = {
	[RAMPART_CTL_PIN] = 0x00000016,
	[RAMPART_CTL_PROC] = 0x0401e172,
	[RAMPART_CTL_EXIT] = 0x00036dff,
	[RAMPART_CTL_ENTRY] = 0x000011ff,
};

/* IA32_VMX_MISC bits root keeps (SDM A.6): LMA store, HLT, the MSR-list size, zero-length injection. */
#define MISC_KEEP	(VMX_MISC_SAVE_EFER_LMA | VMX_MISC_ACTIVITY_HLT | \
			 GENMASK_ULL(27, 25) | VMX_MISC_ZERO_LEN_INS)
/* IA32_VMX_BASIC bits root keeps (SDM A.1): revision, size, WB, INS/OUTS, TRUE, error codes. */
#define BASIC_KEEP	(GENMASK_ULL(30, 0) | GENMASK_ULL(44, 32) | \
			 GENMASK_ULL(53, 50) | BIT_ULL(54) | BIT_ULL(55) | BIT_ULL(56))
/* IA32_VMX_EPT_VPID_CAP bits root emulates (SDM A.10). */
#define EPT_KEEP	(VMX_EPT_EXECUTE_ONLY_BIT | VMX_EPT_PAGE_WALK_4_BIT | \
			 VMX_EPTP_UC_BIT | VMX_EPTP_WB_BIT | VMX_EPT_2MB_PAGE_BIT | \
			 VMX_EPT_1GB_PAGE_BIT | VMX_EPT_INVEPT_BIT | \
			 VMX_EPT_EXTENT_CONTEXT_BIT | VMX_EPT_EXTENT_GLOBAL_BIT)
#define VPID_CAPS	((u64)(VMX_VPID_INVVPID_BIT | \
			       VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT | \
			       VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT | \
			       VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT | \
			       VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT) << 32)

/**
 * rampart_nested_on() - whether root emulates VMX for the kernel: the
 * policy in force says so (vmx.nested lock allow).
 * @rs: root state.
 *
 * Return: true to emulate, false to refuse (VMX hidden, its instructions
 * #UD, as on a CPU without VMX).
 */
__rampart_root bool rampart_nested_on(struct rampart_root *rs)
{
	bool on;

	rampart_root_lock(rs);
	on = rp_policy_nested(&rs->slot[rs->active]);
	rampart_root_unlock(rs);
	return on;
}

/**
 * rampart_nested_ctl_must1() - the bits of a control word L1 must set.
 * @rs: root state.
 * @kind: enum rampart_ctl_kind.
 *
 * Return: the must-be-one bits of the TRUE capability MSR.
 */
__rampart_root u32 rampart_nested_ctl_must1(const struct rampart_root *rs,
					    int kind)
{
	return rs->caps->ctl[kind].must_be_one | ctl_require[kind];
}

/**
 * rampart_nested_ctl_may1() - the bits of a control word L1 may set.
 * @rs: root state.
 * @kind: enum rampart_ctl_kind.
 *
 * Return: the may-be-one bits, a subset of the CPU's.
 */
__rampart_root u32 rampart_nested_ctl_may1(const struct rampart_root *rs,
					   int kind)
{
	return rs->caps->ctl[kind].may_be_one &
	       (ctl_offer[kind] | rampart_nested_ctl_must1(rs, kind));
}

static __rampart_root u64 ctl_msr(const struct rampart_root *rs, int kind,
				  bool plain)
{
	u32 must1 = rampart_nested_ctl_must1(rs, kind);
	u32 may1 = rampart_nested_ctl_may1(rs, kind);

	if (plain) {
		must1 |= ctl_default1[kind];
		may1 |= ctl_default1[kind];
	}
	return (u64)may1 << 32 | must1;
}

/**
 * rampart_nested_msr() - RDMSR of a VMX capability MSR while root
 * emulates VMX.
 * @rs: root state.
 * @msr: the MSR.
 * @val: its value, where it returns 0.
 *
 * Return: 0 with @val; -EIO for a VMX MSR that does not exist for L1 (the
 * read raises #GP, as on a CPU without the feature); 1 for any other MSR.
 */
__rampart_root int rampart_nested_msr(const struct rampart_root *rs, u32 msr,
				      u64 *val)
{
	const struct rampart_caps_raw *raw = &rs->caps->raw;

	switch (msr) {
	case MSR_IA32_VMX_BASIC:
		*val = raw->basic & BASIC_KEEP;
		return 0;
	case MSR_IA32_VMX_PINBASED_CTLS:
	case MSR_IA32_VMX_TRUE_PINBASED_CTLS:
		*val = ctl_msr(rs, RAMPART_CTL_PIN, msr == MSR_IA32_VMX_PINBASED_CTLS);
		return 0;
	case MSR_IA32_VMX_PROCBASED_CTLS:
	case MSR_IA32_VMX_TRUE_PROCBASED_CTLS:
		*val = ctl_msr(rs, RAMPART_CTL_PROC, msr == MSR_IA32_VMX_PROCBASED_CTLS);
		return 0;
	case MSR_IA32_VMX_EXIT_CTLS:
	case MSR_IA32_VMX_TRUE_EXIT_CTLS:
		*val = ctl_msr(rs, RAMPART_CTL_EXIT, msr == MSR_IA32_VMX_EXIT_CTLS);
		return 0;
	case MSR_IA32_VMX_ENTRY_CTLS:
	case MSR_IA32_VMX_TRUE_ENTRY_CTLS:
		*val = ctl_msr(rs, RAMPART_CTL_ENTRY, msr == MSR_IA32_VMX_ENTRY_CTLS);
		return 0;
	case MSR_IA32_VMX_PROCBASED_CTLS2:
		*val = ctl_msr(rs, RAMPART_CTL_PROC2, false);
		return 0;
	case MSR_IA32_VMX_MISC:
		*val = raw->misc & MISC_KEEP;
		return 0;
	case MSR_IA32_VMX_CR0_FIXED0:
		*val = raw->cr0_fixed0;
		return 0;
	case MSR_IA32_VMX_CR0_FIXED1:
		*val = raw->cr0_fixed1;
		return 0;
	case MSR_IA32_VMX_CR4_FIXED0:
		*val = raw->cr4_fixed0;
		return 0;
	case MSR_IA32_VMX_CR4_FIXED1:
		*val = raw->cr4_fixed1;
		return 0;
	case MSR_IA32_VMX_VMCS_ENUM:
		*val = rampart_v12_max_index() << 1;
		return 0;
	case MSR_IA32_VMX_EPT_VPID_CAP:
		*val = (raw->ept_vpid & EPT_KEEP) | VPID_CAPS;
		return 0;
	case MSR_IA32_VMX_VMFUNC:
	case MSR_IA32_VMX_PROCBASED_CTLS3:
		return -EIO;	/* no VM functions, no tertiary controls */
	}
	return 1;
}
