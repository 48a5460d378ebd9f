// SPDX-License-Identifier: GPL-2.0-only
/*
 * RDMSR/WRMSR exits (root side). The MSR bitmap (SDM 25.6.9) intercepts
 * writes to the MSRs the policy names, and to the ones root guards for
 * itself whatever the policy says (root_msrs[]); no read exits at all.
 * Root decides from the policy in force, records denied and logged
 * writes, and performs allowed ones itself.
 */
#include <linux/types.h>
#include <asm/apicdef.h>
#include <asm/page_types.h>
#include <asm/fpu/types.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include "arch.h"
#include "caps.h"
#include "entry.h"
#include "event.h"
#include "guest.h"
#include "inject.h"
#include "lock.h"
#include "msr.h"
#include "nested.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

/*
 * MSRs whose guest value lives in the VMCS: every VM entry loads them and
 * every exit saves them (SDM 27.3.2.1, 28.3.3), so root reads and writes
 * the guest-state field, not the MSR. @writable: bits a write may change;
 * changing any other bit is refused with #GP (EFER.LME: a mode switch root
 * does not emulate; reserved bits: #GP on bare metal too).
 */
struct vmcs_msr {
	u32 msr;
	unsigned long field;
	u64 writable;
	bool canonical;		/* the value is an address (SDM 27.3.1.1) */
};

static const struct vmcs_msr vmcs_msrs[] __rampart_root_ro = {
	{ MSR_EFER, GUEST_IA32_EFER, EFER_SCE | EFER_NX, false },
	{ MSR_IA32_SYSENTER_CS, GUEST_SYSENTER_CS, 0xffffffffULL, false },
	{ MSR_IA32_SYSENTER_ESP, GUEST_SYSENTER_ESP, ~0ULL, true },
	{ MSR_IA32_SYSENTER_EIP, GUEST_SYSENTER_EIP, ~0ULL, true },
	{ MSR_IA32_CR_PAT, GUEST_IA32_PAT, ~0ULL, false },
};

static __rampart_root const struct vmcs_msr *vmcs_msr(u32 msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmcs_msrs); i++)
		if (vmcs_msrs[i].msr == msr)
			return &vmcs_msrs[i];
	return NULL;
}

/*
 * MSRs root intercepts for its own safety, each while @when holds.
 *  - IA32_APIC_BASE, always: an xAPIC window moved over root memory would
 *    turn root's own loads and stores into APIC register accesses (SDM
 *    Vol. 3A 11.4.5). Writes that move the base or claim the BSP flag are
 *    refused; enabling the APIC and the switch to x2APIC mode (EN, EXTD)
 *    stay the kernel's.
 *  - IA32_RTIT_CTL, where the CPU runs Intel PT in VMX operation but
 *    cannot send its output through the EPT (RAMPART_PT_REFUSED): trace
 *    output would be written to any physical address, root memory
 *    included, so no write may set TraceEn (off since launch).
 *  - IA32_XSS, in that same case: with its PT bit set, XRSTORS would load
 *    IA32_RTIT_CTL without a WRMSR (SDM Vol. 1 13.5.6), so that bit stays
 *    as it was at launch (Linux never sets it).
 */
enum root_msr_when { ROOT_MSR_ALWAYS, ROOT_MSR_PT_REFUSED };

static const struct {
	u32 msr;
	u8 when;
	u64 fixed;		/* bits no write may change */
} root_msrs[] __rampart_root_ro = {
	{ MSR_IA32_APICBASE, ROOT_MSR_ALWAYS,
	  ~(u64)(MSR_IA32_APICBASE_ENABLE | X2APIC_ENABLE) },
	{ MSR_IA32_RTIT_CTL, ROOT_MSR_PT_REFUSED, RTIT_CTL_TRACEEN },
	{ MSR_IA32_XSS, ROOT_MSR_PT_REFUSED, BIT_ULL(XFEATURE_PT_UNIMPLEMENTED_SO_FAR) },
};

static __rampart_root int root_msr(const struct rampart_root *rs, u32 msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(root_msrs); i++)
		if (root_msrs[i].msr == msr &&
		    (root_msrs[i].when == ROOT_MSR_ALWAYS ||
		     rs->pt_mode == RAMPART_PT_REFUSED))
			return i;
	return -1;
}

/**
 * rampart_msr_intercept() - set or clear the write intercept of an MSR.
 * @rs: root state; its MSR bitmap (SDM 25.6.9: writes of low MSRs at byte
 *      2048, of high MSRs at 3072).
 * @msr: the MSR.
 * @on: intercept or not; the ones root guards stay intercepted.
 */
__rampart_root void rampart_msr_intercept(struct rampart_root *rs, u32 msr,
					  bool on)
{
	u8 bit;
	u32 off = rampart_msr_bitmap_byte(msr, &bit) + RAMPART_MSR_BITMAP_WRITES;

	if (on)
		rs->msr_bitmap[off] |= bit;
	else if (root_msr(rs, msr) < 0)
		rs->msr_bitmap[off] &= ~bit;
}

/**
 * rampart_msr_bitmap_init() - intercept the MSRs root guards for itself.
 * @rs: root state with its zeroed MSR bitmap and pt_mode, before launch.
 */
__rampart_root void rampart_msr_bitmap_init(struct rampart_root *rs)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(root_msrs); i++)
		if (root_msr(rs, root_msrs[i].msr) == i)
			rampart_msr_intercept(rs, root_msrs[i].msr, true);
	/*
	 * Reads of the VMX capability MSRs exit (read bitmap for low MSRs at
	 * byte 0, SDM 25.6.9): while the policy has root emulate VMX, the
	 * kernel sees what root emulates (vmx/root/nested_caps.c).
	 */
	for (i = MSR_IA32_VMX_BASIC; i <= MSR_IA32_VMX_PROCBASED_CTLS3; i++) {
		u8 bit;

		rs->msr_bitmap[rampart_msr_bitmap_byte(i, &bit)] |= bit;
	}
}

/**
 * rampart_msr_read() - read an MSR as the guest would.
 * @msr: the MSR; one whose guest value lives in the VMCS is read there.
 * @val: the value.
 *
 * Return: 0, or -EIO where RDMSR raises #GP.
 */
__rampart_root int rampart_msr_read(u32 msr, u64 *val)
{
	const struct vmcs_msr *m = vmcs_msr(msr);

	if (m) {
		*val = rp_vmread_any(m->field);
		return 0;
	}
	return rampart_root_rdmsr(msr, val);
}

/* Write as the guest's WRMSR would have; -EIO where it would #GP. */
static __rampart_root int msr_write(u32 msr, u64 old, u64 val)
{
	const struct vmcs_msr *m = vmcs_msr(msr);

	if (!m)
		return rampart_root_wrmsr(msr, val);
	if (msr == MSR_EFER)	/* LMA is read-only: writes ignore it */
		val = (val & ~EFER_LMA) | (old & EFER_LMA);
	if (((val ^ old) & ~m->writable) || (m->canonical && !rampart_canonical(val)) ||
	    (msr == MSR_IA32_CR_PAT && !rampart_pat_valid(val)))
		return -EIO;
	rp_vmwrite_any(m->field, val);
	return 0;
}

/**
 * rampart_handle_rdmsr() - RDMSR exit: of a VMX capability MSR while root
 * emulates VMX (the only reads the bitmap intercepts), or of any MSR if a
 * CPU exits anyway, which gets the real value.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_rdmsr(struct exit_ctx *x)
{
	struct rampart_regs *r = x->r;
	u64 val;
	int err = rampart_nested_on(x->v->root) ?
		  rampart_nested_msr(x->v->root, r->rcx, &val) : 1;

	if (err > 0)
		err = rampart_msr_read(r->rcx, &val);
	if (err)
		return rampart_inject_gp(x);
	r->rax = (u32)val;
	r->rdx = val >> 32;
	return rampart_skip_insn(x);
}

/* A write root refuses for itself: recorded, whatever the policy says. */
static __rampart_root bool root_guarded_write(struct rampart_vcpu *v, u32 msr,
					      u64 old, u64 val)
{
	int i = root_msr(v->root, msr);
	struct rp_verdict vd = {
		.action = RAMPART_ACT_DENY, .deny = RAMPART_DENY_GP,
	};

	if (i < 0 || !((old ^ val) & root_msrs[i].fixed))
		return false;
	vd.bits = (old ^ val) & root_msrs[i].fixed;
	rampart_root_event_record(v, RAMPART_ASSET_MSR, msr, &vd, old, val);
	return true;
}

/* The decision and the write; @insn: for the WRMSR instruction itself. */
static __rampart_root int policy_write(struct rampart_vcpu *v, u32 msr, u64 val,
				       bool insn)
{
	struct rampart_root *rs = v->root;
	const struct rp_msr_rule *m;
	struct rp_msr_rule rule;
	struct rp_verdict vd;
	bool named = false;
	u64 old = 0;

	rampart_root_lock(rs);
	m = rp_policy_msr(&rs->slot[rs->active], msr);
	if (m) {
		rule = *m;
		named = true;
	}
	rampart_root_unlock(rs);

	/* An MSR that cannot be read cannot be written either: #GP. */
	if (rampart_msr_read(msr, &old))
		return -EIO;
	if (root_guarded_write(v, msr, old, val))
		return -EIO;
	rp_decide_msr(named ? &rule : NULL, old, val, &vd);
	/* Refused, or the locked value back: what L2 gets, while in VMX operation. */
	if (insn && (vd.action == RAMPART_ACT_DENY ||
		     (vd.action == RAMPART_ACT_ALLOW && val == old)) &&
	    rampart_nested_hold(v, msr, val, old, vd.line))
		return 0;
	if (vd.action != RAMPART_ACT_ALLOW)
		rampart_root_event_record(v, RAMPART_ASSET_MSR, msr, &vd, old, val);
	if (vd.action == RAMPART_ACT_DENY && vd.deny == RAMPART_DENY_GP)
		return -EIO;
	if (vd.write && msr_write(msr, old, vd.result))
		return -EIO;
	return 0;
}

/**
 * rampart_msr_policy_write() - write an MSR as the kernel asked, under the
 * policy in force.
 * @v: this CPU; the MSRs whose guest value lives in the VMCS are those of
 *     the current VMCS.
 * @msr: the MSR.
 * @val: the value asked for.
 *
 * The rule is copied under the policy lock, the decision made from the
 * copy (policy/decide.c). Denied with gp: nothing written. Denied with
 * ignore: the masked bits keep their value ("ro": nothing written). Logged
 * or allowed: written. Denied and logged writes are recorded.
 *
 * Return: 0, or -EIO where a WRMSR would raise #GP (denied with gp, an MSR
 * that cannot be read, a value the MSR refuses).
 */
__rampart_root int rampart_msr_policy_write(struct rampart_vcpu *v, u32 msr,
					    u64 val)
{
	return policy_write(v, msr, val, false);
}

/**
 * rampart_handle_wrmsr() - WRMSR to an MSR the policy names, or one root
 * guards for itself (rampart_msr_policy_write()). A refused write KVM
 * makes for its guest is held for L2 instead (vmx/root/nested_msr.c).
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_wrmsr(struct exit_ctx *x)
{
	struct rampart_regs *r = x->r;

	if (policy_write(x->v, r->rcx, (r->rdx << 32) | (u32)r->rax, true))
		return rampart_inject_gp(x);
	return rampart_skip_insn(x);
}
