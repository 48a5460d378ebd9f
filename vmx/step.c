// SPDX-License-Identifier: GPL-2.0-only
/*
 * Logged memory writes (root side): a range with the "log" action stays
 * read-only in the EPT; a write to it exits, root records it, and lets
 * exactly that instruction through: the CPU runs it under its alternate
 * EPT (ept/alt.c), where the page is writable, with RFLAGS.TF set, so
 * the single-step trap (#DB, intercepted only while stepping, SDM 25.6.3)
 * exits right after it. Root then puts back the shared EPT and the flags,
 * and the next write exits again. The monitor-trap flag would do this
 * without touching RFLAGS, but the CPU Bochs emulates has none.
 *
 * Interrupts stay off for the step (RFLAGS.IF cleared, NMIs held back,
 * vmx/exit.c): nothing else runs on this CPU with the page writable
 * unless the instruction itself faults. The guest's own single-stepping
 * and debug-register hits during the step still reach it as #DB.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "../ept/ept.h"
#include "exit.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"

/* DR6 bits a #DB exit qualification reports (SDM Table 28-1). */
#define DB_QUAL_BITS	(GENMASK_ULL(3, 0) | BIT_ULL(13) | BIT_ULL(14))
#define DB_QUAL_BS	BIT_ULL(14)

/**
 * rampart_log_write() - record a write to a "log" range and single-step it.
 * @x: the EPT-violation exit of a write.
 * @gpa: the guest-physical address written.
 * @r: the rule that guards @gpa, or NULL.
 *
 * Return: true if the write will run in a step; false if @gpa is not in a
 * log range, or the step cannot be set up (the caller then denies it).
 */
__rampart_root bool rampart_log_write(struct exit_ctx *x, u64 gpa,
				      const struct rp_range_rule *r)
{
	struct rampart_vcpu *v = x->v;
	u64 rflags, intr;

	if (!r || r->action != RAMPART_ACT_LOG)
		return false;
	/* MOV-SS blocking would hold the single-step trap back (SDM 6.8.3). */
	intr = rp_vmread(GUEST_INTERRUPTIBILITY_INFO);
	if (intr & GUEST_INTR_STATE_MOV_SS)
		return false;
	if (rampart_alt_open(v, gpa))
		return false;
	rampart_event_mem(v, r, RAMPART_EPT_W, gpa);
	if (v->stepping)
		return true;	/* the same instruction, a second page */
	rflags = rp_vmread(GUEST_RFLAGS);
	v->step_flags = rflags & (X86_EFLAGS_TF | X86_EFLAGS_IF);
	rp_vmwrite(GUEST_RFLAGS, (rflags | X86_EFLAGS_TF) & ~X86_EFLAGS_IF);
	/*
	 * With TF set, VM entry refuses STI blocking without a pending
	 * single step (SDM 26.3.1.5); IF is off for the step anyway.
	 */
	if (intr & GUEST_INTR_STATE_STI)
		rp_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~GUEST_INTR_STATE_STI);
	rp_vmwrite(EXCEPTION_BITMAP,
		   rp_vmread(EXCEPTION_BITMAP) | BIT(X86_TRAP_DB));
	v->stepping = true;
	__atomic_fetch_add(&v->root->steps, 1, __ATOMIC_RELAXED);
	return true;
}

/**
 * rampart_step_db() - a #DB exit: the end of a step, or the guest's own.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_step_db(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	u64 qual = x->qual & DB_QUAL_BITS, rflags, dr6;

	if (v->stepping) {
		rflags = rp_vmread(GUEST_RFLAGS) &
			 ~(X86_EFLAGS_TF | X86_EFLAGS_IF);
		rp_vmwrite(GUEST_RFLAGS, rflags | v->step_flags);
		rp_vmwrite(EXCEPTION_BITMAP,
			   rp_vmread(EXCEPTION_BITMAP) & ~BIT(X86_TRAP_DB));
		v->stepping = false;
		rampart_alt_close(v);
		/* Our own trap, unless the guest was single-stepping too. */
		if (!(v->step_flags & X86_EFLAGS_TF))
			qual &= ~DB_QUAL_BS;
		if (!qual)
			return EXIT_RESUME;
	}
	/* A #DB exit leaves DR6 alone (SDM 27.1): set it as delivery would. */
	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	asm volatile("mov %0, %%dr6" : : "r"(dr6 | qual));
	rp_vmwrite(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID_MASK |
		   INTR_TYPE_HARD_EXCEPTION | X86_TRAP_DB);
	return EXIT_RESUME;
}
