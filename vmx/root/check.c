// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SDM's VM-entry checks, applied to a VMCS image before VMLAUNCH. Each
 * rule is one row of check_rules[], named by its SDM section (Vol. 3C,
 * chapter 27 "VM entries"; 26 in older editions). Not exhaustive: it covers
 * every field Rampart writes and the features it enables.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <asm/irq_vectors.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "arch.h"
#include "check.h"

#define V(f)	(img->v[RP_##f])
#define CTL_OK(kind, f)	ctl_ok(caps->ctl[kind], V(f))

static RP_CHK bool ctl_ok(struct rampart_ctl c, u64 v)
{
	return (v & c.must_be_one) == c.must_be_one && !(v & ~(u64)c.may_be_one);
}

/* Bits a physical address may have: below MAXPHYADDR (at most 52). */
static RP_CHK u64 phys_bits_mask(const struct rampart_caps *caps)
{
	u32 bits = caps->raw.phys_bits;

	return GENMASK_ULL(bits && bits < 52 ? bits - 1 : 51, 0);
}

static RP_CHK bool fixed_ok(u64 v, u64 fixed0, u64 fixed1)
{
	return (v & fixed0) == fixed0 && !(v & ~fixed1);
}

static RP_CHK bool ia32e_guest(const struct rampart_vmcs_img *img)
{
	return V(VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE;
}

static RP_CHK bool proc2(const struct rampart_vmcs_img *img, u32 bit)
{
	return (V(CPU_BASED_VM_EXEC_CONTROL) &
		CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	       (V(SECONDARY_VM_EXEC_CONTROL) & bit);
}

/* ---- 27.2.1 VM-execution, exit and entry control fields ---------------- */

static RP_CHK bool pin_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return CTL_OK(RAMPART_CTL_PIN, PIN_BASED_VM_EXEC_CONTROL);
}

static RP_CHK bool proc_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return CTL_OK(RAMPART_CTL_PROC, CPU_BASED_VM_EXEC_CONTROL);
}

static RP_CHK bool proc2_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !(V(CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	       CTL_OK(RAMPART_CTL_PROC2, SECONDARY_VM_EXEC_CONTROL);
}

static RP_CHK bool exit_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return CTL_OK(RAMPART_CTL_EXIT, VM_EXIT_CONTROLS);
}

static RP_CHK bool entry_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return CTL_OK(RAMPART_CTL_ENTRY, VM_ENTRY_CONTROLS);
}

static RP_CHK bool cr3_targets_ok(const struct rampart_vmcs_img *img,
				  const struct rampart_caps *caps)
{
	return V(CR3_TARGET_COUNT) <= caps->misc.cr3_targets;
}

static RP_CHK bool msr_bitmap_ok(const struct rampart_vmcs_img *img,
				 const struct rampart_caps *caps)
{
	return !(V(CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_USE_MSR_BITMAPS) ||
	       !(V(MSR_BITMAP) & (~phys_bits_mask(caps) | 0xfff));
}

static RP_CHK bool io_bitmap_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 bad = ~phys_bits_mask(caps) | 0xfff;

	return !(V(CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_USE_IO_BITMAPS) ||
	       !((V(IO_BITMAP_A) | V(IO_BITMAP_B)) & bad);
}

static RP_CHK bool vmrw_bitmaps_ok(const struct rampart_vmcs_img *img,
				  const struct rampart_caps *caps)
{
	u64 bad = ~phys_bits_mask(caps) | 0xfff;

	return !proc2(img, SECONDARY_EXEC_SHADOW_VMCS) ||
	       !((V(VMREAD_BITMAP) | V(VMWRITE_BITMAP)) & bad);
}

static RP_CHK bool vnmi_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 pin = V(PIN_BASED_VM_EXEC_CONTROL);

	if (!(pin & PIN_BASED_NMI_EXITING) && (pin & PIN_BASED_VIRTUAL_NMIS))
		return false;
	return (pin & PIN_BASED_VIRTUAL_NMIS) ||
	       !(V(CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_NMI_WINDOW_EXITING);
}

/**
 * rampart_eptp_valid() - whether an EPT pointer is one @caps allow (SDM
 * 25.6.11, 27.2.1.1): memory type, walk length, A/D flags, reserved bits.
 * @e: the EPT pointer.
 * @caps: the capabilities.
 *
 * Return: true if valid.
 */
RP_CHK bool rampart_eptp_valid(u64 e, const struct rampart_caps *caps)
{
	u64 mt = e & VMX_EPTP_MT_MASK;

	if (!((mt == VMX_EPTP_MT_UC && caps->ept.mt_uc) ||
	      (mt == VMX_EPTP_MT_WB && caps->ept.mt_wb)))
		return false;
	if ((e & VMX_EPTP_PWL_MASK) != VMX_EPTP_PWL_4 || !caps->ept.walk4)
		return false;
	if ((e & VMX_EPTP_AD_ENABLE_BIT) && !caps->ept.ad)
		return false;
	return !(e & (GENMASK_ULL(11, 7) | ~phys_bits_mask(caps)));
}

static RP_CHK bool eptp_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !proc2(img, SECONDARY_EXEC_ENABLE_EPT) ||
	       rampart_eptp_valid(V(EPT_POINTER), caps);
}

static RP_CHK bool vpid_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !proc2(img, SECONDARY_EXEC_ENABLE_VPID) ||
	       (V(VIRTUAL_PROCESSOR_ID) && V(VIRTUAL_PROCESSOR_ID) <= 0xffff);
}

static RP_CHK bool ug_needs_ept(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !proc2(img, SECONDARY_EXEC_UNRESTRICTED_GUEST) ||
	       proc2(img, SECONDARY_EXEC_ENABLE_EPT);
}

/* PT output through the EPT needs the EPT, and RTIT_CTL switched (27.2.1.1). */
static RP_CHK bool pt_gpa_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !proc2(img, RAMPART_PT_GPA_PROC2) ||
	       (proc2(img, SECONDARY_EXEC_ENABLE_EPT) &&
		rampart_pt_gpa_set(V(SECONDARY_VM_EXEC_CONTROL),
				   V(VM_EXIT_CONTROLS), V(VM_ENTRY_CONTROLS)));
}

/* A non-empty MSR list: 16-byte aligned, every byte within the width. */
static RP_CHK bool msr_list_ok(u64 addr, u64 count, const struct rampart_caps *caps)
{
	return !count ||
	       (!(addr & 0xf) && !((addr + count * 16 - 1) & ~phys_bits_mask(caps)));
}

static RP_CHK bool exit_msr_lists_ok(const struct rampart_vmcs_img *img,
				     const struct rampart_caps *caps)
{
	return msr_list_ok(V(VM_EXIT_MSR_STORE_ADDR), V(VM_EXIT_MSR_STORE_COUNT), caps) &&
	       msr_list_ok(V(VM_EXIT_MSR_LOAD_ADDR), V(VM_EXIT_MSR_LOAD_COUNT), caps);
}

static RP_CHK bool entry_msr_list_ok(const struct rampart_vmcs_img *img,
				     const struct rampart_caps *caps)
{
	return msr_list_ok(V(VM_ENTRY_MSR_LOAD_ADDR), V(VM_ENTRY_MSR_LOAD_COUNT), caps);
}

static RP_CHK bool msr_counts_ok(const struct rampart_vmcs_img *img,
				 const struct rampart_caps *caps)
{
	u32 max = caps->misc.max_msr_list;

	return V(VM_EXIT_MSR_STORE_COUNT) <= max &&
	       V(VM_EXIT_MSR_LOAD_COUNT) <= max &&
	       V(VM_ENTRY_MSR_LOAD_COUNT) <= max;
}

/* Vectors that deliver an error code (27.2.1.3): #DF, #TS-#PF, #AC, #CP. */
#define ERROR_CODE_VECTORS	(BIT(8) | GENMASK(14, 10) | BIT(17) | BIT(21))

static RP_CHK u32 event_type(const struct rampart_vmcs_img *img)
{
	u64 info = V(VM_ENTRY_INTR_INFO_FIELD);

	return info & INTR_INFO_VALID_MASK ? (info & INTR_INFO_INTR_TYPE_MASK) >> 8 : ~0U;
}

static RP_CHK bool entry_event_ok(const struct rampart_vmcs_img *img,
				  const struct rampart_caps *caps)
{
	u64 info = V(VM_ENTRY_INTR_INFO_FIELD);
	u32 type = event_type(img), vec = info & INTR_INFO_VECTOR_MASK;
	bool code = info & INTR_INFO_DELIVER_CODE_MASK;
	bool pe_or_restricted = !proc2(img, SECONDARY_EXEC_UNRESTRICTED_GUEST) ||
				(V(GUEST_CR0) & X86_CR0_PE);
	u64 len = V(VM_ENTRY_INSTRUCTION_LEN);

	if (type == ~0U)
		return true;
	if (info & GENMASK_ULL(30, 12) || type == 1 ||
	    (type == INTR_TYPE_NMI_INTR >> 8 && vec != NMI_VECTOR) ||
	    (type == INTR_TYPE_HARD_EXCEPTION >> 8 && vec > 31) ||
	    (type == INTR_TYPE_OTHER_EVENT >> 8 &&
	     (vec || !(caps->ctl[RAMPART_CTL_PROC].may_be_one &
		       CPU_BASED_MONITOR_TRAP_FLAG))))
		return false;
	/* Bit 11 is 1 if and only if the event would push an error code. */
	if (code != (pe_or_restricted && type == INTR_TYPE_HARD_EXCEPTION >> 8 &&
		     vec < 32 && (ERROR_CODE_VECTORS & BIT(vec))))
		return false;
	if (code && (V(VM_ENTRY_EXCEPTION_ERROR_CODE) & GENMASK_ULL(31, 16)))
		return false;
	if (type >= INTR_TYPE_SOFT_INTR >> 8 && type <= INTR_TYPE_SOFT_EXCEPTION >> 8)
		return (len >= 1 || caps->misc.zero_len_inject) && len <= 15;
	return true;
}

/* ---- 27.2.2-27.2.4 host state ------------------------------------------ */

static RP_CHK bool host_cr0_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return fixed_ok(V(HOST_CR0), caps->raw.cr0_fixed0, caps->raw.cr0_fixed1);
}

static RP_CHK bool host_cr4_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	/* CR4.CET needs CR0.WP (27.2.2), as in the guest. */
	return fixed_ok(V(HOST_CR4), caps->raw.cr4_fixed0, caps->raw.cr4_fixed1) &&
	       (!(V(HOST_CR4) & X86_CR4_CET) || (V(HOST_CR0) & X86_CR0_WP));
}

static RP_CHK bool host_cr3_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !(V(HOST_CR3) & ~phys_bits_mask(caps));
}

static RP_CHK bool host_canonical(const struct rampart_vmcs_img *img,
				  const struct rampart_caps *caps)
{
	return rampart_canonical(V(HOST_IA32_SYSENTER_ESP)) &&
	       rampart_canonical(V(HOST_IA32_SYSENTER_EIP)) &&
	       rampart_canonical(V(HOST_FS_BASE)) && rampart_canonical(V(HOST_GS_BASE)) &&
	       rampart_canonical(V(HOST_TR_BASE)) && rampart_canonical(V(HOST_GDTR_BASE)) &&
	       rampart_canonical(V(HOST_IDTR_BASE)) && rampart_canonical(V(HOST_RIP));
}

static RP_CHK bool host_pat_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !(V(VM_EXIT_CONTROLS) & VM_EXIT_LOAD_IA32_PAT) ||
	       rampart_pat_valid(V(HOST_IA32_PAT));
}

static RP_CHK bool efer_reserved_ok(u64 efer)
{
	return !(efer & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX |
			       EFER_SVME | EFER_LMSLE | EFER_FFXSR |
			       EFER_AUTOIBRS));
}

static RP_CHK bool host_efer_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 efer = V(HOST_IA32_EFER);
	bool wide = V(VM_EXIT_CONTROLS) & VM_EXIT_HOST_ADDR_SPACE_SIZE;

	if (!(V(VM_EXIT_CONTROLS) & VM_EXIT_LOAD_IA32_EFER))
		return true;
	return efer_reserved_ok(efer) && !!(efer & EFER_LMA) == wide &&
	       !!(efer & EFER_LME) == wide;
}

static RP_CHK bool host_selectors_ok(const struct rampart_vmcs_img *img,
				     const struct rampart_caps *caps)
{
	static const enum rampart_vmcs_id sel[] RP_CHK_RO = {
		RP_HOST_ES_SELECTOR, RP_HOST_CS_SELECTOR, RP_HOST_SS_SELECTOR,
		RP_HOST_DS_SELECTOR, RP_HOST_FS_SELECTOR, RP_HOST_GS_SELECTOR,
		RP_HOST_TR_SELECTOR,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sel); i++)
		if (img->v[sel[i]] & 7)		/* RPL and TI must be 0 */
			return false;
	return V(HOST_CS_SELECTOR) && V(HOST_TR_SELECTOR);
}

/* A 64-bit host: the CPU is in IA-32e mode, so the exit control must say so. */
static RP_CHK bool host_64bit_ok(const struct rampart_vmcs_img *img,
				 const struct rampart_caps *caps)
{
	return (V(VM_EXIT_CONTROLS) & VM_EXIT_HOST_ADDR_SPACE_SIZE) &&
	       (V(HOST_CR4) & X86_CR4_PAE);
}

/* ---- 27.3.1.1 guest control registers, debug registers and MSRs --------- */

static RP_CHK bool guest_cr0_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 fixed0 = caps->raw.cr0_fixed0, cr0 = V(GUEST_CR0);

	if (proc2(img, SECONDARY_EXEC_UNRESTRICTED_GUEST))
		fixed0 &= ~(u64)(X86_CR0_PE | X86_CR0_PG);
	return fixed_ok(cr0, fixed0, caps->raw.cr0_fixed1) &&
	       (!(cr0 & X86_CR0_PG) || (cr0 & X86_CR0_PE));
}

static RP_CHK bool guest_cr4_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	/* CR4.CET needs CR0.WP (27.3.1.1). */
	return fixed_ok(V(GUEST_CR4), caps->raw.cr4_fixed0, caps->raw.cr4_fixed1) &&
	       (!(V(GUEST_CR4) & X86_CR4_CET) || (V(GUEST_CR0) & X86_CR0_WP));
}

static RP_CHK bool guest_paging_mode_ok(const struct rampart_vmcs_img *img,
					const struct rampart_caps *caps)
{
	if (ia32e_guest(img))
		return (V(GUEST_CR0) & X86_CR0_PG) && (V(GUEST_CR4) & X86_CR4_PAE);
	return !(V(GUEST_CR4) & X86_CR4_PCIDE);
}

static RP_CHK bool guest_cr3_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !(V(GUEST_CR3) & ~phys_bits_mask(caps));
}

static RP_CHK bool guest_debug_ok(const struct rampart_vmcs_img *img,
				  const struct rampart_caps *caps)
{
	return !(V(VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_DEBUG_CONTROLS) ||
	       !(V(GUEST_DR7) >> 32);
}

static RP_CHK bool guest_sysenter_ok(const struct rampart_vmcs_img *img,
				     const struct rampart_caps *caps)
{
	return rampart_canonical(V(GUEST_SYSENTER_ESP)) && rampart_canonical(V(GUEST_SYSENTER_EIP));
}

static RP_CHK bool guest_pat_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return !(V(VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_IA32_PAT) ||
	       rampart_pat_valid(V(GUEST_IA32_PAT));
}

static RP_CHK bool guest_efer_ok(const struct rampart_vmcs_img *img,
				 const struct rampart_caps *caps)
{
	u64 efer = V(GUEST_IA32_EFER);

	if (!(V(VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_IA32_EFER))
		return true;
	if (!efer_reserved_ok(efer) || !!(efer & EFER_LMA) != ia32e_guest(img))
		return false;
	return !(V(GUEST_CR0) & X86_CR0_PG) ||
	       !!(efer & EFER_LMA) == !!(efer & EFER_LME);
}

/* ---- 27.3.1.2 guest segment registers ----------------------------------- */

static RP_CHK u64 seg(const struct rampart_vmcs_img *img, enum rampart_seg s, int part)
{
	return img->v[RP_SEG_SELECTOR(s) + part];
}

#define SEG_SEL		0
#define SEG_BASE	1
#define SEG_LIMIT	2
#define SEG_AR		3

static RP_CHK bool usable(const struct rampart_vmcs_img *img, enum rampart_seg s)
{
	return !(seg(img, s, SEG_AR) & VMX_AR_UNUSABLE_MASK);
}

/* Present, reserved bits clear, granularity consistent with the limit. */
static RP_CHK bool ar_common_ok(u64 ar, u64 limit)
{
	if (!(ar & VMX_AR_P_MASK) || (ar & (GENMASK_ULL(11, 8) | GENMASK_ULL(31, 17))))
		return false;
	if ((limit & 0xfff) != 0xfff && (ar & VMX_AR_G_MASK))
		return false;
	return !(limit & GENMASK_ULL(31, 20)) || (ar & VMX_AR_G_MASK);
}

static RP_CHK bool seg_sel_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	if (seg(img, RP_SEG_TR, SEG_SEL) & 4)
		return false;
	return !usable(img, RP_SEG_LDTR) || !(seg(img, RP_SEG_LDTR, SEG_SEL) & 4);
}

static RP_CHK bool seg_base_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	static const enum rampart_seg high_zero[] RP_CHK_RO = { RP_SEG_SS, RP_SEG_DS, RP_SEG_ES };
	unsigned int i;

	if (!rampart_canonical(seg(img, RP_SEG_TR, SEG_BASE)) ||
	    !rampart_canonical(seg(img, RP_SEG_FS, SEG_BASE)) ||
	    !rampart_canonical(seg(img, RP_SEG_GS, SEG_BASE)))
		return false;
	if (usable(img, RP_SEG_LDTR) && !rampart_canonical(seg(img, RP_SEG_LDTR, SEG_BASE)))
		return false;
	if (seg(img, RP_SEG_CS, SEG_BASE) >> 32)
		return false;
	for (i = 0; i < ARRAY_SIZE(high_zero); i++)
		if (usable(img, high_zero[i]) && seg(img, high_zero[i], SEG_BASE) >> 32)
			return false;
	return true;
}

static RP_CHK bool cs_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 ar = seg(img, RP_SEG_CS, SEG_AR);
	u64 type = ar & VMX_AR_TYPE_MASK;
	bool ug = proc2(img, SECONDARY_EXEC_UNRESTRICTED_GUEST);

	if (!usable(img, RP_SEG_CS) || !(ar & VMX_AR_S_MASK))
		return false;
	if (!(type == 9 || type == 11 || type == 13 || type == 15 ||
	      (ug && type == 3)))
		return false;
	if (ia32e_guest(img) && (ar & VMX_AR_L_MASK) && (ar & VMX_AR_DB_MASK))
		return false;
	return ar_common_ok(ar, seg(img, RP_SEG_CS, SEG_LIMIT));
}

static RP_CHK bool ss_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 ar = seg(img, RP_SEG_SS, SEG_AR);

	if (!usable(img, RP_SEG_SS))
		return true;
	if ((ar & VMX_AR_TYPE_MASK) != 3 && (ar & VMX_AR_TYPE_MASK) != 7)
		return false;
	if (!(ar & VMX_AR_S_MASK))
		return false;
	if ((!(V(GUEST_CR0) & X86_CR0_PE) ||
	     (seg(img, RP_SEG_CS, SEG_AR) & VMX_AR_TYPE_MASK) == 3) && VMX_AR_DPL(ar))
		return false;
	return ar_common_ok(ar, seg(img, RP_SEG_SS, SEG_LIMIT));
}

static RP_CHK bool data_segs_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	static const enum rampart_seg segs[] RP_CHK_RO = { RP_SEG_DS, RP_SEG_ES, RP_SEG_FS, RP_SEG_GS };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		u64 ar = seg(img, segs[i], SEG_AR);

		if (!usable(img, segs[i]))
			continue;
		if (!(ar & 1) || !(ar & VMX_AR_S_MASK))	/* accessed, code/data */
			return false;
		if ((ar & 8) && !(ar & 2))		/* code must be readable */
			return false;
		if (!ar_common_ok(ar, seg(img, segs[i], SEG_LIMIT)))
			return false;
	}
	return true;
}

static RP_CHK bool tr_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 ar = seg(img, RP_SEG_TR, SEG_AR);
	u64 type = ar & VMX_AR_TYPE_MASK;

	if (!usable(img, RP_SEG_TR) || (ar & VMX_AR_S_MASK))
		return false;
	/* A busy TSS; in IA-32e mode only the 64-bit busy TSS (type 11). */
	if (type != 11 && (ia32e_guest(img) || type != 3))
		return false;
	return ar_common_ok(ar, seg(img, RP_SEG_TR, SEG_LIMIT));
}

static RP_CHK bool ldtr_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 ar = seg(img, RP_SEG_LDTR, SEG_AR);

	if (!usable(img, RP_SEG_LDTR))
		return true;
	return (ar & VMX_AR_TYPE_MASK) == 2 && !(ar & VMX_AR_S_MASK) &&
	       ar_common_ok(ar, seg(img, RP_SEG_LDTR, SEG_LIMIT));
}

/* ---- 27.3.1.3 descriptor-table registers, 27.3.1.4 RIP and RFLAGS ------- */

static RP_CHK bool dtr_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	return rampart_canonical(V(GUEST_GDTR_BASE)) && rampart_canonical(V(GUEST_IDTR_BASE)) &&
	       V(GUEST_GDTR_LIMIT) <= 0xffff && V(GUEST_IDTR_LIMIT) <= 0xffff;
}

static RP_CHK bool rip_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	if (ia32e_guest(img) && (seg(img, RP_SEG_CS, SEG_AR) & VMX_AR_L_MASK))
		return rampart_canonical(V(GUEST_RIP));
	return !(V(GUEST_RIP) >> 32);
}

static RP_CHK bool rflags_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	u64 rf = V(GUEST_RFLAGS);

	if ((rf & (GENMASK_ULL(63, 22) | BIT(15) | BIT(5) | BIT(3))) ||
	    !(rf & X86_EFLAGS_FIXED))
		return false;
	return !(rf & X86_EFLAGS_VM) ||
	       (!ia32e_guest(img) && (V(GUEST_CR0) & X86_CR0_PE));
}

/* ---- 27.3.1.5 non-register state ---------------------------------------- */

/* The events each activity state lets VM entry inject (27.3.1.5). */
static RP_CHK bool event_if_ok(const struct rampart_vmcs_img *img,
			       const struct rampart_caps *caps)
{
	return event_type(img) != INTR_TYPE_EXT_INTR >> 8 ||
	       (V(GUEST_RFLAGS) & X86_EFLAGS_IF);
}

static RP_CHK bool activity_takes(u64 act, u32 type, u32 vec)
{
	switch (act) {
	case GUEST_ACTIVITY_ACTIVE:
		return true;
	case GUEST_ACTIVITY_HLT:
		return type == INTR_TYPE_EXT_INTR >> 8 ||
		       type == INTR_TYPE_NMI_INTR >> 8 ||
		       type == INTR_TYPE_OTHER_EVENT >> 8 ||
		       (type == INTR_TYPE_HARD_EXCEPTION >> 8 &&
			(vec == X86_TRAP_DB || vec == X86_TRAP_MC));
	case GUEST_ACTIVITY_SHUTDOWN:
		return type == INTR_TYPE_NMI_INTR >> 8 ||
		       (type == INTR_TYPE_HARD_EXCEPTION >> 8 && vec == X86_TRAP_MC);
	default:
		return false;
	}
}

static RP_CHK bool activity_ok(const struct rampart_vmcs_img *img,
			       const struct rampart_caps *caps)
{
	u64 a = V(GUEST_ACTIVITY_STATE);
	u32 type = event_type(img);

	if (a > GUEST_ACTIVITY_WAIT_SIPI)
		return false;
	if (type != ~0U && !activity_takes(a, type,
					  V(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VECTOR_MASK))
		return false;
	if (a == GUEST_ACTIVITY_HLT)
		return caps->misc.act_hlt &&
		       !VMX_AR_DPL(seg(img, RP_SEG_SS, SEG_AR)) &&
		       !(V(GUEST_INTERRUPTIBILITY_INFO) &
			 (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
	if (a == GUEST_ACTIVITY_SHUTDOWN)
		return caps->misc.act_shutdown;
	if (a == GUEST_ACTIVITY_WAIT_SIPI)
		return caps->misc.act_wait_sipi;
	return true;
}

static RP_CHK bool interruptibility_ok(const struct rampart_vmcs_img *img,
				       const struct rampart_caps *caps)
{
	u64 i = V(GUEST_INTERRUPTIBILITY_INFO);
	u64 both = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;
	u32 type = event_type(img);

	if (i & GENMASK_ULL(31, 5))
		return false;
	if ((i & both) == both)
		return false;
	if (type == INTR_TYPE_EXT_INTR >> 8 && (i & both))
		return false;
	if (type == INTR_TYPE_NMI_INTR >> 8 &&
	    ((i & GUEST_INTR_STATE_MOV_SS) ||
	     ((V(PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_VIRTUAL_NMIS) &&
	      (i & GUEST_INTR_STATE_NMI))))
		return false;
	return !(i & GUEST_INTR_STATE_STI) || (V(GUEST_RFLAGS) & X86_EFLAGS_IF);
}

static RP_CHK bool pending_dbg_ok(const struct rampart_vmcs_img *img,
				  const struct rampart_caps *caps)
{
	u64 p = V(GUEST_PENDING_DBG_EXCEPTIONS);
	bool tf = V(GUEST_RFLAGS) & X86_EFLAGS_TF;
	bool btf = V(GUEST_IA32_DEBUGCTL) & DEBUGCTLMSR_BTF;

	/* B0-B3, enabled breakpoint (12), BS (14), RTM (16); the rest 0. */
	if (p & ~(u64)(GENMASK(3, 0) | BIT(12) | BIT(14) | BIT(16)))
		return false;
	/* With STI/MOV-SS blocking or in HLT, BS says TF && !BTF exactly. */
	if ((V(GUEST_INTERRUPTIBILITY_INFO) &
	     (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) ||
	    V(GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_HLT)
		return !!(p & BIT(14)) == (tf && !btf);
	return true;
}

static RP_CHK bool link_ok(const struct rampart_vmcs_img *img, const struct rampart_caps *caps)
{
	/*
	 * 27.3.1.5: root links a page only for VMCS shadowing, aligned and
	 * within the physical-address width (its revision has bit 31 set:
	 * memory, which an image does not hold); otherwise all ones.
	 */
	if (proc2(img, SECONDARY_EXEC_SHADOW_VMCS))
		return !(V(VMCS_LINK_POINTER) & (~phys_bits_mask(caps) | 0xfff));
	return V(VMCS_LINK_POINTER) == ~0ULL;
}

static const struct rampart_check_rule check_rules[] RP_CHK_RO = {
	{ "27.2.1.1", "pin-based controls outside allowed settings", pin_ok },
	{ "27.2.1.1", "processor-based controls outside allowed settings", proc_ok },
	{ "27.2.1.1", "secondary controls outside allowed settings", proc2_ok },
	{ "27.2.1.2", "VM-exit controls outside allowed settings", exit_ok },
	{ "27.2.1.3", "VM-entry controls outside allowed settings", entry_ok },
	{ "27.2.1.1", "CR3-target count above IA32_VMX_MISC[24:16]", cr3_targets_ok },
	{ "27.2.1.1", "MSR-bitmap address not 4 KiB aligned or too wide", msr_bitmap_ok },
	{ "27.2.1.1", "I/O-bitmap addresses not 4 KiB aligned or too wide", io_bitmap_ok },
	{ "27.2.1.1", "VMREAD/VMWRITE-bitmap addresses not 4 KiB aligned or too wide", vmrw_bitmaps_ok },
	{ "27.2.1.1", "virtual NMIs without NMI exiting, or NMI-window exiting without virtual NMIs", vnmi_ok },
	{ "27.2.1.1", "EPTP memory type, walk length or reserved bits invalid", eptp_ok },
	{ "27.2.1.1", "VPID is 0 with VPID enabled", vpid_ok },
	{ "27.2.1.1", "unrestricted guest without EPT", ug_needs_ept },
	{ "27.2.1.1", "PT uses guest-physical addresses without EPT or RTIT_CTL switching", pt_gpa_ok },
	{ "27.2.1.2", "MSR-list count above IA32_VMX_MISC[27:25]", msr_counts_ok },
	{ "27.2.1.2", "VM-exit MSR-store/load list not 16-byte aligned or too wide", exit_msr_lists_ok },
	{ "27.2.1.3", "VM-entry MSR-load list not 16-byte aligned or too wide", entry_msr_list_ok },
	{ "27.2.1.3", "VM-entry interruption information invalid", entry_event_ok },
	{ "27.2.2", "host CR0 violates IA32_VMX_CR0_FIXED0/1", host_cr0_ok },
	{ "27.2.2", "host CR4 violates IA32_VMX_CR4_FIXED0/1, or CET without CR0.WP", host_cr4_ok },
	{ "27.2.2", "host CR3 beyond the physical-address width", host_cr3_ok },
	{ "27.2.2", "host address not canonical", host_canonical },
	{ "27.2.2", "host IA32_PAT holds an invalid memory type", host_pat_ok },
	{ "27.2.2", "host IA32_EFER reserved bits, or LMA/LME vs host address-space size", host_efer_ok },
	{ "27.2.3", "host selector has RPL/TI set, or CS/TR is null", host_selectors_ok },
	{ "27.2.4", "host address-space size or CR4.PAE clear for a 64-bit host", host_64bit_ok },
	{ "27.3.1.1", "guest CR0 violates IA32_VMX_CR0_FIXED0/1 or PG without PE", guest_cr0_ok },
	{ "27.3.1.1", "guest CR4 violates IA32_VMX_CR4_FIXED0/1, or CET without CR0.WP", guest_cr4_ok },
	{ "27.3.1.1", "IA-32e guest without CR0.PG and CR4.PAE, or PCIDE outside IA-32e", guest_paging_mode_ok },
	{ "27.3.1.1", "guest CR3 beyond the physical-address width", guest_cr3_ok },
	{ "27.3.1.1", "guest DR7 bits 63:32 set", guest_debug_ok },
	{ "27.3.1.1", "guest SYSENTER_ESP/EIP not canonical", guest_sysenter_ok },
	{ "27.3.1.1", "guest IA32_PAT holds an invalid memory type", guest_pat_ok },
	{ "27.3.1.1", "guest IA32_EFER reserved bits, or LMA/LME inconsistent", guest_efer_ok },
	{ "27.3.1.2", "TR or LDTR selector points into an LDT", seg_sel_ok },
	{ "27.3.1.2", "segment base not canonical or above 4 GiB", seg_base_ok },
	{ "27.3.1.2", "CS access rights invalid", cs_ok },
	{ "27.3.1.2", "SS access rights invalid", ss_ok },
	{ "27.3.1.2", "DS/ES/FS/GS access rights invalid", data_segs_ok },
	{ "27.3.1.2", "TR not a busy TSS, or its access rights invalid", tr_ok },
	{ "27.3.1.2", "LDTR access rights invalid", ldtr_ok },
	{ "27.3.1.3", "GDTR/IDTR base not canonical or limit above 0xffff", dtr_ok },
	{ "27.3.1.4", "guest RIP not canonical", rip_ok },
	{ "27.3.1.4", "guest RFLAGS reserved bits, or VM set in IA-32e mode", rflags_ok },
	{ "27.3.1.4", "external interrupt injected with RFLAGS.IF clear", event_if_ok },
	{ "27.3.1.5", "activity state invalid or unsupported", activity_ok },
	{ "27.3.1.5", "interruptibility state invalid", interruptibility_ok },
	{ "27.3.1.5", "pending debug exceptions reserved bits set", pending_dbg_ok },
	{ "27.3.1.5", "VMCS link pointer not ~0 without a shadow VMCS", link_ok },
};

/**
 * rampart_vmcs_check() - apply the SDM's VM-entry checks to an image.
 * @img: the VMCS image, as it will be written.
 * @caps: the capabilities it must respect.
 *
 * Return: the first rule @img breaks, or NULL if it passes them all.
 */
RP_CHK const struct rampart_check_rule *
rampart_vmcs_check(const struct rampart_vmcs_img *img,
		   const struct rampart_caps *caps)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(check_rules); i++)
		if (!check_rules[i].ok(img, caps))
			return &check_rules[i];
	return NULL;
}
