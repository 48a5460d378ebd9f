// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding of the VMX capability MSRs, Intel SDM Vol. 3D Appendix A, and
 * the table of what Rampart requires. Pure functions: no hardware access,
 * no kernel calls, so KUnit covers all of it.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include "../core/compat.h"
#include "caps.h"

/* CPUID.1:ECX.VMX[bit 5], SDM 24.6 "Discovering Support for VMX". */
#define CPUID1_ECX_VMX	BIT(5)

/* Memory type encodings, SDM 11.11 / A.1. */
#define VMX_BASIC_MT_WB	6

/**
 * rampart_ctl_decode() - split a control capability MSR.
 * @msr: value of an IA32_VMX_[TRUE_]*_CTLS MSR.
 *
 * SDM A.3.1: bits 31:0 are the allowed 0-settings (a 1 means the control
 * must be 1), bits 63:32 the allowed 1-settings (a 0 means it must be 0).
 *
 * Return: the decoded pair.
 */
struct rampart_ctl rampart_ctl_decode(u64 msr)
{
	struct rampart_ctl c = {
		.must_be_one = lower_32_bits(msr),
		.may_be_one = upper_32_bits(msr),
	};

	return c;
}

/**
 * rampart_ctl_adjust() - compute a control word from what is wanted.
 * @ctl: allowed settings, from rampart_ctl_decode().
 * @required: bits that must be set; failing that is an error.
 * @optional: bits to set where the processor allows it.
 * @out: the resulting control word.
 *
 * Return: 0, -EOPNOTSUPP if a required bit cannot be 1, or -EINVAL if the
 * MSR itself is inconsistent (a bit that must be 1 but may not be).
 */
int rampart_ctl_adjust(struct rampart_ctl ctl, u32 required, u32 optional,
		       u32 *out)
{
	if (ctl.must_be_one & ~ctl.may_be_one)
		return -EINVAL;
	if (required & ~ctl.may_be_one)
		return -EOPNOTSUPP;
	*out = ctl.must_be_one | required | (optional & ctl.may_be_one);
	return 0;
}

/**
 * rampart_basic_decode() - decode IA32_VMX_BASIC (SDM A.1).
 * @msr: the MSR value.
 * @b: the decoded fields.
 */
void rampart_basic_decode(u64 msr, struct rampart_vmx_basic *b)
{
	b->revision = msr & GENMASK_ULL(30, 0);
	b->region_size = (msr >> 32) & GENMASK_ULL(12, 0);
	b->addr32 = msr & BIT_ULL(48);
	b->dual_monitor = msr & BIT_ULL(49);
	b->mem_type = (msr >> 50) & GENMASK_ULL(3, 0);
	b->ins_outs_info = msr & BIT_ULL(54);
	b->true_ctls = msr & BIT_ULL(55);
}

/**
 * rampart_ept_decode() - decode IA32_VMX_EPT_VPID_CAP (SDM A.10).
 * @msr: the MSR value.
 * @e: the decoded fields.
 */
void rampart_ept_decode(u64 msr, struct rampart_ept_caps *e)
{
	e->exec_only = msr & VMX_EPT_EXECUTE_ONLY_BIT;
	e->walk4 = msr & VMX_EPT_PAGE_WALK_4_BIT;
	e->mt_uc = msr & VMX_EPTP_UC_BIT;
	e->mt_wb = msr & VMX_EPTP_WB_BIT;
	e->page_2m = msr & VMX_EPT_2MB_PAGE_BIT;
	e->page_1g = msr & VMX_EPT_1GB_PAGE_BIT;
	e->invept = msr & VMX_EPT_INVEPT_BIT;
	e->ad = msr & VMX_EPT_AD_BIT;
	e->invept_single = msr & VMX_EPT_EXTENT_CONTEXT_BIT;
	e->invept_all = msr & VMX_EPT_EXTENT_GLOBAL_BIT;
	/* The VPID bits live in the upper half, SDM A.10. */
	e->invvpid = (msr >> 32) & VMX_VPID_INVVPID_BIT;
	e->invvpid_addr = (msr >> 32) & VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT;
	e->invvpid_single = (msr >> 32) & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT;
	e->invvpid_all = (msr >> 32) & VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT;
	e->invvpid_single_nonglobal =
		(msr >> 32) & VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT;
}

/**
 * rampart_misc_decode() - decode IA32_VMX_MISC (SDM A.6).
 * @msr: the MSR value.
 * @m: the decoded fields.
 */
void rampart_misc_decode(u64 msr, struct rampart_vmx_misc *m)
{
	m->preempt_shift = msr & GENMASK_ULL(4, 0);
	m->lma_store = msr & BIT_ULL(5);
	m->act_hlt = msr & BIT_ULL(6);
	m->act_shutdown = msr & BIT_ULL(7);
	m->act_wait_sipi = msr & BIT_ULL(8);
	m->pt_in_vmx = msr & VMX_MISC_INTEL_PT;
	m->cr3_targets = (msr >> 16) & GENMASK_ULL(8, 0);
	/* "512 * (N + 1)" entries, SDM A.6. */
	m->max_msr_list = VMX_MISC_MSR_LIST_MULTIPLIER *
			  (((msr >> 25) & GENMASK_ULL(2, 0)) + 1);
	m->vmwrite_any = msr & BIT_ULL(29);
	m->zero_len_inject = msr & BIT_ULL(30);
	m->mseg_revision = upper_32_bits(msr);
}

const char *const rampart_pt_names[] = {
	[RAMPART_PT_NONE] = "none",
	[RAMPART_PT_GPA] = "guest-physical",
	[RAMPART_PT_REFUSED] = "refused",
};

/**
 * rampart_pt_mode() - how root must treat Intel PT on this CPU.
 * @c: the decoded capabilities.
 * @has_pt: CPUID reports Intel PT.
 *
 * Return: the mode, see enum rampart_pt.
 */
enum rampart_pt rampart_pt_mode(const struct rampart_caps *c, bool has_pt)
{
	if (!has_pt || !c->misc.pt_in_vmx)
		return RAMPART_PT_NONE;
	if (rampart_pt_gpa_set(c->ctl[RAMPART_CTL_PROC2].may_be_one,
			       c->ctl[RAMPART_CTL_EXIT].may_be_one,
			       c->ctl[RAMPART_CTL_ENTRY].may_be_one))
		return RAMPART_PT_GPA;
	return RAMPART_PT_REFUSED;
}

/**
 * rampart_caps_decode() - decode everything one CPU reported.
 * @raw: the raw values.
 * @c: the result; @c->raw is a copy of @raw.
 */
void rampart_caps_decode(const struct rampart_caps_raw *raw,
			 struct rampart_caps *c)
{
	int i;

	c->raw = *raw;
	rampart_basic_decode(raw->basic, &c->basic);
	rampart_ept_decode(raw->ept_vpid, &c->ept);
	rampart_misc_decode(raw->misc, &c->misc);
	for (i = 0; i < RAMPART_CTL_NR; i++)
		c->ctl[i] = rampart_ctl_decode(raw->ctl[i]);
}

static bool has_vmx(const struct rampart_caps *c)
{
	return c->raw.cpuid1_ecx & CPUID1_ECX_VMX;
}

/* SDM 24.7: VMXON outside SMX needs bits 0 (lock) and 2 of the MSR. */
static bool vmx_enabled_by_firmware(const struct rampart_caps *c)
{
	u64 need = FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;

	return (c->raw.feature_control & need) == need;
}

static bool has_true_ctls(const struct rampart_caps *c)
{
	return c->basic.true_ctls;
}

static bool vmcs_is_wb(const struct rampart_caps *c)
{
	return c->basic.mem_type == VMX_BASIC_MT_WB;
}

/* Rampart allocates one page per VMXON region and VMCS (SDM A.1). */
static bool region_fits_page(const struct rampart_caps *c)
{
	return c->basic.region_size && c->basic.region_size <= 4096;
}

static bool addr64(const struct rampart_caps *c)
{
	return !c->basic.addr32;
}

static bool ept_walk4_wb(const struct rampart_caps *c)
{
	return c->ept.walk4 && c->ept.mt_wb;
}

static bool ept_2m(const struct rampart_caps *c)
{
	return c->ept.page_2m;
}

static bool ept_invept(const struct rampart_caps *c)
{
	return c->ept.invept && c->ept.invept_single && c->ept.invept_all;
}

static bool vpid_invvpid(const struct rampart_caps *c)
{
	return c->ept.invvpid && c->ept.invvpid_single && c->ept.invvpid_all;
}

/* Checked in this order; the first one missing is named in the refusal. */
static const struct rampart_req rampart_reqs[] = {
	{ "VMX", "CPUID.1:ECX[5]", -ENODEV, .ok = has_vmx },
	{ "VMX enabled by firmware", "IA32_FEATURE_CONTROL[0,2]", -EPERM,
	  .ok = vmx_enabled_by_firmware },
	{ "TRUE VMX controls", "IA32_VMX_BASIC[55]", -ENODEV,
	  .ok = has_true_ctls },
	{ "write-back VMCS", "IA32_VMX_BASIC[53:50]", -ENODEV,
	  .ok = vmcs_is_wb },
	{ "VMCS region of at most 4 KiB", "IA32_VMX_BASIC[44:32]", -ENODEV,
	  .ok = region_fits_page },
	{ "64-bit VMX physical addresses", "IA32_VMX_BASIC[48]", -ENODEV,
	  .ok = addr64 },
	{ "NMI exiting and virtual NMIs", "IA32_VMX_TRUE_PINBASED_CTLS",
	  -ENODEV, RAMPART_CTL_PIN,
	  PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS },
	{ "secondary controls and MSR bitmaps", "IA32_VMX_TRUE_PROCBASED_CTLS",
	  -ENODEV, RAMPART_CTL_PROC,
	  CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | CPU_BASED_USE_MSR_BITMAPS },
	{ "EPT", "IA32_VMX_PROCBASED_CTLS2", -ENODEV, RAMPART_CTL_PROC2,
	  SECONDARY_EXEC_ENABLE_EPT },
	{ "VPID", "IA32_VMX_PROCBASED_CTLS2", -ENODEV, RAMPART_CTL_PROC2,
	  SECONDARY_EXEC_ENABLE_VPID },
	{ "unrestricted guest", "IA32_VMX_PROCBASED_CTLS2", -ENODEV,
	  RAMPART_CTL_PROC2, SECONDARY_EXEC_UNRESTRICTED_GUEST },
	/*
	 * A VM exit always sets DR7 to 0x400 and clears IA32_DEBUGCTL (SDM
	 * 28.5.1): save them on exit and load them on entry, or the kernel's
	 * hardware breakpoints vanish at the first exit.
	 */
	{ "64-bit host and EFER/PAT save and load on exit",
	  "IA32_VMX_TRUE_EXIT_CTLS", -ENODEV, RAMPART_CTL_EXIT,
	  VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_DEBUG_CONTROLS |
	  VM_EXIT_SAVE_IA32_EFER |
	  VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
	  VM_EXIT_LOAD_IA32_PAT },
	{ "IA-32e guest and EFER/PAT load on entry", "IA32_VMX_TRUE_ENTRY_CTLS",
	  -ENODEV, RAMPART_CTL_ENTRY,
	  VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_DEBUG_CONTROLS |
	  VM_ENTRY_LOAD_IA32_EFER |
	  VM_ENTRY_LOAD_IA32_PAT },
	{ "4-level write-back EPT", "IA32_VMX_EPT_VPID_CAP[6,14]", -ENODEV,
	  .ok = ept_walk4_wb },
	{ "EPT 2 MiB pages", "IA32_VMX_EPT_VPID_CAP[16]", -ENODEV,
	  .ok = ept_2m },
	{ "single-context and global INVEPT", "IA32_VMX_EPT_VPID_CAP[20,25,26]",
	  -ENODEV, .ok = ept_invept },
	{ "single-context and global INVVPID",
	  "IA32_VMX_EPT_VPID_CAP[32,41,42]", -ENODEV, .ok = vpid_invvpid },
};

/*
 * Controls set where the CPU allows them. Transparency: without these,
 * RDTSCP, INVPCID, XSAVES/XRSTORS and UMWAIT/TPAUSE raise #UD in non-root
 * mode (SDM 26.3, 25.6.2). Their exiting counterparts stay off.
 */
static const u32 ctl_optional[RAMPART_CTL_NR] = {
	[RAMPART_CTL_PROC2] = SECONDARY_EXEC_ENABLE_RDTSCP |
			      SECONDARY_EXEC_ENABLE_INVPCID |
			      SECONDARY_EXEC_ENABLE_XSAVES |
			      SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE,
};

/* With PT through the EPT (enum rampart_pt), its controls too. */
static const u32 ctl_pt_gpa[RAMPART_CTL_NR] = {
	[RAMPART_CTL_PROC2] = RAMPART_PT_GPA_PROC2 | RAMPART_PT_CONCEAL_PROC2,
	[RAMPART_CTL_EXIT] = RAMPART_PT_GPA_EXIT | RAMPART_PT_CONCEAL_EXIT,
	[RAMPART_CTL_ENTRY] = RAMPART_PT_GPA_ENTRY | RAMPART_PT_CONCEAL_ENTRY,
};

/**
 * rampart_ctl_required() - the bits Rampart needs in a control word.
 * @kind: the control word.
 *
 * The requirement table (rampart_reqs) is the one list of them.
 *
 * Return: the OR of every requirement on @kind.
 */
u32 rampart_ctl_required(enum rampart_ctl_kind kind)
{
	const struct rampart_req *r;
	u32 bits = 0;

	for (r = rampart_reqs; r < rampart_reqs + ARRAY_SIZE(rampart_reqs); r++)
		if (!r->ok && r->kind == kind)
			bits |= r->bits;
	return bits;
}

/**
 * rampart_ctl_optional() - the bits Rampart sets in a control word where
 * the CPU allows them.
 * @kind: the control word.
 * @pt: how root treats Intel PT on this CPU.
 *
 * Return: the optional bits.
 */
u32 rampart_ctl_optional(enum rampart_ctl_kind kind, enum rampart_pt pt)
{
	return ctl_optional[kind] | (pt == RAMPART_PT_GPA ? ctl_pt_gpa[kind] : 0);
}

/**
 * rampart_caps_missing() - find the first requirement @c does not meet.
 * @c: decoded capabilities.
 *
 * Return: the requirement, or NULL when everything Rampart needs is there.
 */
const struct rampart_req *rampart_caps_missing(const struct rampart_caps *c)
{
	const struct rampart_req *r;

	for (r = rampart_reqs; r < rampart_reqs + ARRAY_SIZE(rampart_reqs); r++) {
		if (r->ok ? !r->ok(c) :
			    (r->bits & ~c->ctl[r->kind].may_be_one))
			return r;
	}
	return NULL;
}

/* Optional features worth showing; names follow /proc/cpuinfo's vmx flags. */
const struct rampart_feature rampart_features[] = {
	{ "vnmi", RAMPART_CTL_PIN, PIN_BASED_VIRTUAL_NMIS },
	{ "preemption_timer", RAMPART_CTL_PIN, PIN_BASED_VMX_PREEMPTION_TIMER },
	{ "posted_intr", RAMPART_CTL_PIN, PIN_BASED_POSTED_INTR },
	{ "msr_bitmaps", RAMPART_CTL_PROC, CPU_BASED_USE_MSR_BITMAPS },
	{ "mtf", RAMPART_CTL_PROC, CPU_BASED_MONITOR_TRAP_FLAG },
	{ "tpr_shadow", RAMPART_CTL_PROC, CPU_BASED_TPR_SHADOW },
	{ "ept", RAMPART_CTL_PROC2, SECONDARY_EXEC_ENABLE_EPT },
	{ "vpid", RAMPART_CTL_PROC2, SECONDARY_EXEC_ENABLE_VPID },
	{ "unrestricted_guest", RAMPART_CTL_PROC2,
	  SECONDARY_EXEC_UNRESTRICTED_GUEST },
	{ "desc_exiting", RAMPART_CTL_PROC2, SECONDARY_EXEC_DESC },
	{ "rdtscp", RAMPART_CTL_PROC2, SECONDARY_EXEC_ENABLE_RDTSCP },
	{ "invpcid", RAMPART_CTL_PROC2, SECONDARY_EXEC_ENABLE_INVPCID },
	{ "xsaves", RAMPART_CTL_PROC2, SECONDARY_EXEC_ENABLE_XSAVES },
	{ "shadow_vmcs", RAMPART_CTL_PROC2, SECONDARY_EXEC_SHADOW_VMCS },
	{ "pml", RAMPART_CTL_PROC2, SECONDARY_EXEC_ENABLE_PML },
	{ "mbec", RAMPART_CTL_PROC2, SECONDARY_EXEC_MODE_BASED_EPT_EXEC },
	{ "tsc_scaling", RAMPART_CTL_PROC2, SECONDARY_EXEC_TSC_SCALING },
	{ "ept_x_only", RAMPART_CTL_NR, VMX_EPT_EXECUTE_ONLY_BIT },
	{ "ept_2m", RAMPART_CTL_NR, VMX_EPT_2MB_PAGE_BIT },
	{ "ept_1g", RAMPART_CTL_NR, VMX_EPT_1GB_PAGE_BIT },
	{ "ept_ad", RAMPART_CTL_NR, VMX_EPT_AD_BIT },
	{ "invvpid_addr", RAMPART_CTL_NR,
	  (u64)VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT << 32 },
};

const unsigned int rampart_nr_features = ARRAY_SIZE(rampart_features);

/**
 * rampart_caps_has() - does @c offer the optional feature @f?
 * @c: decoded capabilities.
 * @f: an entry of rampart_features[].
 *
 * Return: true if the feature may be turned on.
 */
bool rampart_caps_has(const struct rampart_caps *c,
		      const struct rampart_feature *f)
{
	if (f->kind == RAMPART_CTL_NR)
		return c->raw.ept_vpid & f->bit;
	return c->ctl[f->kind].may_be_one & f->bit;
}
