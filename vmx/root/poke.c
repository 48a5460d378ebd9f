// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text-poke windows (root side): how text under a "poke" rule stays
 * writable for the kernel's text_poke() and for nothing else.
 *
 * x86 Linux patches live text only in __text_poke() (arch/x86/kernel/
 * alternative.c): with interrupts off it maps the target's page(s) at
 * poking_addr, a random address in the user half of a private mm, loads
 * that mm's CR3, stores, and loads the old CR3 back. So root lets a write
 * to poke text through only from CPL 0 with RFLAGS.IF = 0, under the
 * calibrated CR3, to a linear address within the two poking pages, by an
 * instruction of the kernel's copy routine (memcpy). Then it opens a
 * window on that CPU alone: the CPU runs under the alternate EPT
 * (ept/alt.c), where only the faulting page is writable, with CR3-load
 * exiting on (SDM 25.6.2). The store is re-executed and succeeds; the
 * next exit of any kind closes the window, at the latest the kernel's
 * MOV to CR3 that switches back. Other CPUs keep the shared EPT.
 * text_mutex serialises text_poke(), so at most one CPU has a window.
 *
 * Calibration: the kernel side arms one page of its own text, then flips
 * a static key whose jump site is on it (hooks/textpoke.c); the first
 * write there from CPL 0 with IF = 0 through a user-half address is
 * text_poke() at work, and root records its CR3, poking address and RIP;
 * the kernel side then names the extent of the routine around that RIP.
 * Calibration happens once, before any policy, at module load, when the
 * kernel is trusted (DESIGN.md, trust boundary).
 *
 * The trade-off (README.md, "Text"): kernel code that can run
 * text_poke() can patch text; stray writes, writes through other
 * mappings and direct-map aliases cannot.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../../ept/root/ept.h"
#include "../../ept/root/guard.h"
#include "../../uapi/hypercall.h"
#include "../../uapi/policy.h"
#include "arch.h"
#include "guest.h"
#include "lock.h"
#include "ops.h"
#include "poke.h"
#include "root.h"
#include "rootstate.h"
#include "step.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* __text_poke() maps at most two pages at poking_addr. */
#define POKE_SPAN	(2 * PAGE_SIZE)
/* Linear addresses below this are in the user half (4-level paging). */
#define USER_HALF_END	BIT_ULL(47)
/*
 * Preemption-timer ticks a window lasts at most: the TSC shifted right by
 * IA32_VMX_MISC[4:0], so tens of microseconds, far more than the few
 * hundred instructions from the store to __text_poke()'s MOV to CR3.
 */
#define POKE_TIMER	1024

/*
 * Does this write come from __text_poke()? While @calib, the first such
 * write defines what text_poke() looks like. Policy lock held.
 *
 * Return: 0 if it does, else the RAMPART_POKE_* reasons it does not.
 */
static __rampart_root u32 from_text_poke(struct rampart_root *rs, bool calib)
{
	u64 cr3 = rp_vmreadl(GUEST_CR3) & RAMPART_EPT_ADDR;
	u64 gla = rp_vmreadl(GUEST_LINEAR_ADDRESS);
	u64 rip = rp_vmreadl(GUEST_RIP);
	u32 why = 0;

	if (rampart_guest_cpl() != 0 ||
	    (rp_vmreadl(GUEST_RFLAGS) & X86_EFLAGS_IF))
		return RAMPART_POKE_CONTEXT;
	if (calib && !rs->poke_pgd) {
		if (!gla || gla >= USER_HALF_END)
			return RAMPART_POKE_ADDR;
		rs->poke_pgd = cr3;
		rs->poke_va = gla & ~(u64)(PAGE_SIZE - 1);
		rs->poke_rip = rip;
		return 0;
	}
	if (!rs->poke_pgd || cr3 != rs->poke_pgd)
		why |= RAMPART_POKE_CR3;
	if (gla - rs->poke_va >= POKE_SPAN)
		why |= RAMPART_POKE_ADDR;
	/* Once the copy routine is known, only it may store (calibration aside). */
	if (!calib && (rip < rs->poke_copy_start || rip >= rs->poke_copy_end))
		why |= RAMPART_POKE_RIP;
	return why;
}

/*
 * Let this CPU's faulting store to @gpa through, this CPU only; a store
 * that crosses into a second page joins the open window.
 */
static __rampart_root int open_window(struct rampart_vcpu *v, u64 gpa, u64 gen)
{
	int err;

	/* A window decided under an older policy does not grow: start anew. */
	if (v->poking && v->poke_gen != gen)
		rampart_poke_close(v);
	err = rampart_alt_open(v, gpa);
	if (err || v->poking)
		return err;
	v->poke_gen = gen;
	/* CR3-load exiting is a default1 control (SDM A.3.2): always allowed. */
	rampart_ctl_set_bits(v, RP_RT_PROC, CPU_BASED_CR3_LOAD_EXITING);
	/*
	 * Code that makes no exit would keep the window open: the
	 * preemption timer ends it soon after anyway (SDM 26.5.1).
	 */
	rp_vmwrite32(VMX_PREEMPTION_TIMER_VALUE, POKE_TIMER);
	rampart_ctl_set_bits(v, RP_RT_PIN, rampart_timer_ctl(v));
	v->poking = true;
	v->pokes++;
	__atomic_fetch_add(&v->root->pokes, 1, __ATOMIC_RELAXED);
	return 0;
}

/**
 * rampart_poke_write() - let a write to poke text through if it comes
 * from text_poke().
 * @x: the EPT-violation exit of a write.
 * @gpa: the guest-physical address written.
 * @r: the rule that guards @gpa, or NULL.
 * @why: set to the RAMPART_POKE_* reasons a poke was refused, else 0.
 *
 * Any other write ends the window this CPU has open.
 *
 * Return: true if the write will be re-executed in a window; false to
 * deny it.
 */
__rampart_root bool rampart_poke_write(struct exit_ctx *x, u64 gpa,
				       const struct rp_range_rule *r, u32 *why)
{
	struct rampart_root *rs = x->v->root;
	bool calib, poke;
	u64 gen;

	/* The lock covers the calibration state. */
	rampart_root_lock(rs);
	calib = rs->poke_armed &&
		(gpa & ~(u64)(PAGE_SIZE - 1)) == rs->poke_armed;
	poke = calib || (r && r->action == RAMPART_ACT_DENY &&
			 r->prot == RAMPART_PROT_POKE);
	*why = poke ? from_text_poke(rs, calib) : 0;
	/* An event's delivery (a frame pushed) or a logged write's step is no poke. */
	if (poke && (x->v->stepping ||
		     rp_vmread32(IDT_VECTORING_INFO_FIELD) & VECTORING_INFO_VALID_MASK))
		*why |= RAMPART_POKE_CONTEXT;
	if (*why)
		rs->pokes_refused++;
	gen = rs->gen;
	rampart_root_unlock(rs);
	if (poke && !*why && !open_window(x->v, gpa, gen))
		return true;
	rampart_poke_close(x->v);
	return false;
}

/**
 * rampart_poke_close() - end this CPU's text-poke window, if open.
 * @v: this CPU.
 *
 * A window covers the store that opened it and no more: it ends at the
 * next exit of any kind (vmx/root/exit.c), which is at the latest the MOV
 * to CR3 that ends __text_poke(), and before leaving VMX.
 */
__rampart_root void rampart_poke_close(struct rampart_vcpu *v)
{
	if (!v->poking)
		return;
	rampart_ctl_clear_bits(v, RP_RT_PROC, CPU_BASED_CR3_LOAD_EXITING);
	rampart_ctl_clear_bits(v, RP_RT_PIN, rampart_timer_ctl(v));
	v->poking = false;
	rampart_alt_close(v);
}

/* Arm calibration on the page at @pa: only once, and before any policy. */
static __rampart_root int arm(struct rampart_root *rs, u64 pa)
{
	int err;

	if (pa & (PAGE_SIZE - 1) || pa >= rs->ept_end)
		return -EINVAL;
	if (READ_ONCE(rs->poke_pgd) || rs->poke_armed || READ_ONCE(rs->gen))
		return -EALREADY;
	if (rampart_root_ept_leaf(rs, pa) & RAMPART_EPT_ROOT)
		return -EPERM;
	err = rampart_root_ept_protect(rs, pa, PAGE_SIZE, false);
	if (err)
		return err;
	rampart_root_lock(rs);
	rs->poke_armed = pa;
	rampart_root_unlock(rs);
	rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	return 0;
}

static __rampart_root int disarm(struct rampart_root *rs)
{
	u64 pa = rs->poke_armed;

	if (!pa)
		return -EINVAL;
	rampart_root_lock(rs);
	rs->poke_armed = 0;
	rampart_root_unlock(rs);
	/* Never open a page a policy loaded since arming protects. */
	rampart_ept_release_run(rs, &rs->slot[rs->active], pa, pa + PAGE_SIZE);
	return READ_ONCE(rs->poke_pgd) ? 0 : -ENOENT;
}

/* The copy routine's longest plausible extent. */
#define POKE_COPY_MAX	0x10000

/*
 * The extent of the routine that stored at calibration: once, before any
 * policy, only around the RIP root saw, and only where the preemption
 * timer can bound each window.
 */
static __rampart_root int set_copy(struct rampart_vcpu *v, u64 start, u64 end)
{
	struct rampart_root *rs = v->root;
	bool timer = rampart_timer_ctl(v);
	int err = 0;

	rampart_root_lock(rs);
	if (!rs->poke_pgd || rs->poke_armed)
		err = -ENOENT;
	else if (rs->poke_copy_end || READ_ONCE(rs->gen))
		err = -EALREADY;
	else if (start > rs->poke_rip || rs->poke_rip >= end ||
		 end - start > POKE_COPY_MAX || !rampart_canonical(start) ||
		 !rampart_canonical(end))
		err = -EINVAL;
	else if (!timer)	/* nothing would bound a window */
		err = -EOPNOTSUPP;
	if (!err) {
		rs->poke_copy_start = start;
		rs->poke_copy_end = end;
	}
	rampart_root_unlock(rs);
	return err;
}

/**
 * rampart_hc_poke_calibrate() - RAMPART_HC_POKE_CALIBRATE.
 * @x: the exit; RBX the page to arm, 0 to disarm, or
 *     RAMPART_POKE_SET_COPY with RCX, RDX the copy routine's extent.
 *
 * Return: EXIT_RESUME; RAX 0, or -EALREADY, -EINVAL, -EPERM, -EBUSY,
 * -EOPNOTSUPP (no preemption timer); on disarm -ENOENT if no text_poke()
 * write was seen. RBX: windows so far;
 * RCX: the RIP of the calibrating store.
 */
__rampart_root int rampart_hc_poke_calibrate(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	u64 op = x->r->rbx;
	int err;

	if (op == RAMPART_POKE_SET_COPY) {
		err = set_copy(x->v, x->r->rcx, x->r->rdx);
	} else if (!rampart_root_edit_begin(rs)) {
		err = -EBUSY;
	} else {
		err = op ? arm(rs, op) : disarm(rs);
		rampart_root_edit_end(rs);
	}
	x->r->rax = err;
	x->r->rbx = READ_ONCE(rs->pokes);
	x->r->rcx = READ_ONCE(rs->poke_rip);
	return rampart_skip_insn(x);
}
