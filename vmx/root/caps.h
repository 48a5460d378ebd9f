/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMX capabilities as data: the capability MSRs (Intel SDM Vol. 3D,
 * Appendix A) and their decoded form. Root reads them (vmx/root/check.c,
 * msr.c, step.c); the kernel side decodes them (vmx/caps.c).
 */
#ifndef RAMPART_VMX_ROOT_CAPS_H
#define RAMPART_VMX_ROOT_CAPS_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/cpufeatures.h>
#include <asm/vmx.h>

/* CPUID.1:ECX.VMX (SDM Vol. 3C 24.6), the kernel's X86_FEATURE_VMX bit. */
#define RAMPART_CPUID1_ECX_VMX	BIT(X86_FEATURE_VMX & 31)

/* The five VMX control words, in the order of their capability MSRs. */
enum rampart_ctl_kind {
	RAMPART_CTL_PIN,
	RAMPART_CTL_PROC,
	RAMPART_CTL_PROC2,
	RAMPART_CTL_EXIT,
	RAMPART_CTL_ENTRY,
	RAMPART_CTL_NR,
};

/*
 * struct rampart_ctl - allowed settings of one control word (SDM A.3-A.5).
 * @must_be_one: bits 31:0 of the MSR; a set bit may not be cleared.
 * @may_be_one:  bits 63:32 of the MSR; a clear bit may not be set.
 */
struct rampart_ctl {
	u32 must_be_one;
	u32 may_be_one;
};

/* IA32_VMX_BASIC, SDM A.1. */
struct rampart_vmx_basic {
	u32 revision;
	u32 region_size;
	u8 mem_type;
	bool addr32;
	bool dual_monitor;
	bool ins_outs_info;
	bool true_ctls;
};

/* IA32_VMX_EPT_VPID_CAP, SDM A.10. */
struct rampart_ept_caps {
	bool exec_only;
	bool walk4;
	bool mt_uc;
	bool mt_wb;
	bool page_2m;
	bool page_1g;
	bool invept;
	bool ad;
	bool invept_single;
	bool invept_all;
	bool invvpid;
	bool invvpid_addr;
	bool invvpid_single;
	bool invvpid_all;
	bool invvpid_single_nonglobal;
};

/* IA32_VMX_MISC, SDM A.6. */
struct rampart_vmx_misc {
	u8 preempt_shift;
	bool lma_store;
	bool act_hlt;
	bool act_shutdown;
	bool act_wait_sipi;
	bool pt_in_vmx;
	u16 cr3_targets;
	u32 max_msr_list;
	bool vmwrite_any;
	bool zero_len_inject;
	u32 mseg_revision;
};

/*
 * struct rampart_caps_raw - what one CPU reports, as read at probe time.
 * @ctl holds the TRUE_*_CTLS values when IA32_VMX_BASIC[55] is set
 * (SDM A.2), and the plain ones otherwise; PROC2 is 0 when the processor
 * cannot activate secondary controls.
 */
struct rampart_caps_raw {
	u32 cpuid1_ecx;
	u64 feature_control;
	u64 basic;
	u64 misc;
	u64 ept_vpid;
	u64 ctl[RAMPART_CTL_NR];
	u64 cr0_fixed0;
	u64 cr0_fixed1;
	u64 cr4_fixed0;
	u64 cr4_fixed1;
	u32 phys_bits;	/* MAXPHYADDR, CPUID 0x80000008 EAX[7:0]; 0: unknown, 52 */
};

/* struct rampart_caps - @raw and its decoded form. */
struct rampart_caps {
	struct rampart_caps_raw raw;
	struct rampart_vmx_basic basic;
	struct rampart_ept_caps ept;
	struct rampart_vmx_misc misc;
	struct rampart_ctl ctl[RAMPART_CTL_NR];
};

/*
 * enum rampart_pt - how root keeps Intel PT output off its memory.
 * @RAMPART_PT_NONE: no PT in VMX operation at all: VMXON turns TraceEn
 *                   off and no write can set it (SDM A.6, VMX_MISC[14]).
 * @RAMPART_PT_GPA: PT output goes through the EPT, and root runs with
 *                  IA32_RTIT_CTL clear (SDM 25.6.2, 25.7.1, 25.8.1).
 * @RAMPART_PT_REFUSED: PT works in VMX operation but the CPU cannot do
 *                      the above: root refuses every write that sets
 *                      TraceEn, so PT is off under Rampart (vmx/msr.c).
 */
/*
 * Intel PT output through the EPT: three controls, all or none (SDM
 * 27.2.1.1). The output then cannot reach root memory (SDM 25.6.2); each
 * exit clears IA32_RTIT_CTL, so root is never traced, and each entry loads
 * it back (SDM 28.3.1, 25.7.1, 25.8.1).
 */
#define RAMPART_PT_GPA_PROC2	SECONDARY_EXEC_PT_USE_GPA
#define RAMPART_PT_GPA_EXIT	VM_EXIT_CLEAR_IA32_RTIT_CTL
#define RAMPART_PT_GPA_ENTRY	VM_ENTRY_LOAD_IA32_RTIT_CTL
/* Where the CPU can, VMX transitions also stay out of the kernel's trace. */
#define RAMPART_PT_CONCEAL_PROC2	SECONDARY_EXEC_PT_CONCEAL_VMX
#define RAMPART_PT_CONCEAL_EXIT		VM_EXIT_PT_CONCEAL_PIP
#define RAMPART_PT_CONCEAL_ENTRY	VM_ENTRY_PT_CONCEAL_PIP

/* Are all three PT-through-EPT controls set in these control words? */
static __always_inline bool rampart_pt_gpa_set(u32 proc2, u32 exit, u32 entry)
{
	return (proc2 & RAMPART_PT_GPA_PROC2) && (exit & RAMPART_PT_GPA_EXIT) &&
	       (entry & RAMPART_PT_GPA_ENTRY);
}

enum rampart_pt {
	RAMPART_PT_NONE,
	RAMPART_PT_GPA,
	RAMPART_PT_REFUSED,
};

#endif /* RAMPART_VMX_ROOT_CAPS_H */
