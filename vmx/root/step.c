// SPDX-License-Identifier: GPL-2.0-only
/*
 * Logged memory writes (root side): a range with the "log" action stays
 * read-only in the EPT; a write to it exits, root records it, and lets
 * exactly that write through: the CPU runs it under its alternate EPT
 * (ept/alt.c), where the page is writable, and exits right after it.
 * Root then puts back the shared EPT, and the next write exits again.
 *
 *  - An instruction's write steps with RFLAGS.TF set, so the single-step
 *    trap (#DB) exits after it. The monitor-trap flag would do this without
 *    touching RFLAGS, but the CPU Bochs emulates has none. Interrupts stay
 *    off for the step (RFLAGS.IF cleared, NMIs held back, vmx/exit.c).
 *  - A write that is the delivery of an event root re-injects (an
 *    interrupt whose frame lands on a logged page) must keep RFLAGS as it
 *    is: an external interrupt is injected only with IF = 1 (SDM
 *    27.3.1.4), and TF would land in the pushed frame. It runs with the
 *    VMX-preemption timer at 0 instead, which exits once the delivery is
 *    done, before the handler's first instruction (SDM 26.7.4, the "VM
 *    exit after event injection" KVM's immediate exit relies on too).
 *    Without the timer such a write is refused like a denied one.
 *
 *  - TF and the cleared IF are the CPU's RFLAGS while the write runs: a
 *    PUSHF stores them. Root decodes the stepped instruction
 *    (vmx/root/insn_width.c) and, after a PUSHF, puts the guest's own TF
 *    and IF into the image it stored, before the guest runs again (64-bit
 *    kernel code, an image within one page).
 *
 * While a TF step runs, every exception exits (exception bitmap all ones,
 * #PF with mask and match 0, SDM 25.6.3): the step ends there and the
 * exception is delivered as it would have been, so no handler ever runs
 * with the page writable. A delivery's step needs none of that: whatever
 * the delivery raises is delivered natively, and the timer exits before
 * that handler's first instruction too. The guest's own single-stepping
 * and debug-register hits still reach it as #DB.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "../../ept/root/ept.h"
#include "../../ept/root/guard.h"
#include "caps.h"
#include "event.h"
#include "gmem.h"
#include "guest.h"
#include "inject.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "step.h"
#include "vcpu.h"
#include "vmcs_access.h"
#include "watch.h"

/* RFLAGS bits a TF step changes, in byte 1 of a PUSHF image. */
#define STEP_FLAGS	(X86_EFLAGS_TF | X86_EFLAGS_IF)
#define STEP_FLAGS_BYTE	1

/* DR6 bits a #DB exit qualification reports (SDM Table 28-1). */
#define DB_QUAL_BITS	(GENMASK_ULL(3, 0) | BIT_ULL(13) | BIT_ULL(14))
#define DB_QUAL_BS	BIT_ULL(14)

/**
 * rampart_timer_ctl() - the preemption-timer pin control, where the CPU
 * offers it (SDM A.3.1).
 * @v: this CPU.
 *
 * Return: PIN_BASED_VMX_PREEMPTION_TIMER, or 0.
 */
__rampart_root u32 rampart_timer_ctl(const struct rampart_vcpu *v)
{
	return v->root->caps->ctl[RAMPART_CTL_PIN].may_be_one &
	       PIN_BASED_VMX_PREEMPTION_TIMER;
}

/*
 * What the instruction at the guest's RIP stores (64-bit code only). An
 * event's delivery writes, not an instruction: then nothing is decoded.
 */
static __rampart_root void step_decode(struct rampart_vcpu *v, bool delivery)
{
	u64 rip = rp_vmreadl(GUEST_RIP);
	u32 room = PAGE_SIZE - (rip & ~PAGE_MASK);
	struct rampart_gfault f;
	u8 insn[RAMPART_INSN_MAX];
	u32 len = room < sizeof(insn) ? room : sizeof(insn);

	v->step_store.width = 0;
	v->step_store.rflags = false;
	if (delivery)
		return;
	/* The decoder knows 64-bit code only (SDM 3.4.5: CS.L). */
	if (!(rp_vmread32(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK))
		return;
	/* An instruction that crosses a page may end on a page not mapped. */
	if (rampart_gmem_read(v, rip, insn, len, &f))
		return;
	if (len < sizeof(insn) &&
	    !rampart_gmem_read(v, rip + len, insn + len, sizeof(insn) - len, &f))
		len = sizeof(insn);
	rampart_insn_store(insn, len, &v->step_store);
}

/*
 * A PUSHF that steps stores TF set and IF clear, the step's own flags
 * (step_arm()). Keep where its image lands, and what it will be: the
 * flags now with RF and VM clear (SDM Vol. 2B, PUSHF), TF set and IF
 * clear, as wide as the push. Only an image wholly on the violation's
 * page at RSP - width, as PUSHF stores it, whose linear and physical
 * addresses agree within the page.
 */
static __rampart_root void step_image_arm(struct rampart_vcpu *v, u64 gpa)
{
	u64 gla = rp_vmreadl(GUEST_LINEAR_ADDRESS);
	u32 width = v->step_store.width;
	u64 img;

	v->step_image_pa = 0;
	if (!v->step_store.rflags || width <= STEP_FLAGS_BYTE ||
	    width > sizeof(img) || ((gla ^ gpa) & ~PAGE_MASK) ||
	    (gpa & ~PAGE_MASK) + width > PAGE_SIZE ||
	    gla != rp_vmreadl(GUEST_RSP) - width)
		return;
	img = (rp_vmreadl(GUEST_RFLAGS) | X86_EFLAGS_TF) &
	      ~(X86_EFLAGS_IF | X86_EFLAGS_RF | X86_EFLAGS_VM);
	v->step_image = width < sizeof(img) ? img & (BIT_ULL(8 * width) - 1) : img;
	v->step_image_pa = gpa;
	v->step_image_va = gla;
}

/*
 * The step's PUSHF ran: put the guest's TF and IF into its image. Only if
 * RSP moved onto the image as the push does, the bytes there are the
 * image the step stored, and the page is still under the log rule the
 * step ran for; the byte is replaced only if no other write changed it.
 */
static __rampart_root void step_image_fix(struct rampart_vcpu *v)
{
	u8 mask = STEP_FLAGS >> (8 * STEP_FLAGS_BYTE), b;
	u64 pa = v->step_image_pa, img = 0, gen;
	u32 width = v->step_store.width;
	struct rp_range_rule r;
	int err;

	if (!pa || rp_vmreadl(GUEST_RSP) != v->step_image_va)
		return;
	err = -EAGAIN;
	if (rampart_gmem_phys(v, pa, &img, width, false) || img != v->step_image)
		goto out;
	err = -EACCES;
	if (!rampart_mem_rule_get(v->root, pa, &r, &gen) ||
	    r.action != RAMPART_ACT_LOG || gen != v->step_gen)
		goto out;
	b = img >> (8 * STEP_FLAGS_BYTE);
	err = rampart_gmem_phys_stepped(v, pa + STEP_FLAGS_BYTE, b, (b & ~mask) |
					((v->step_flags >> (8 * STEP_FLAGS_BYTE)) & mask));
out:
	if (err)
		rampart_report(v, "PUSHF image in a step left as stored", -err);
}

/* Arm the exit that ends the step: TF, or the preemption timer at 0. */
static __rampart_root void step_arm(struct rampart_vcpu *v, bool delivery)
{
	u64 rflags, intr;

	v->step_timer = delivery;
	if (delivery) {
		rp_vmwrite32(VMX_PREEMPTION_TIMER_VALUE, 0);
		rampart_ctl_set_bits(v, RP_RT_PIN, rampart_timer_ctl(v));
		return;
	}
	v->step_exc_bitmap = rampart_ctl_get(v, RP_RT_EXC);
	rp_vmwrite32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	rp_vmwrite32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	rampart_ctl_write(v, RP_RT_EXC, ~0U);
	rflags = rp_vmreadl(GUEST_RFLAGS);
	v->step_flags = rflags & STEP_FLAGS;
	rp_vmwritel(GUEST_RFLAGS, (rflags | X86_EFLAGS_TF) & ~X86_EFLAGS_IF);
	/* With DEBUGCTL.BTF, TF would trap only at the next branch (SDM 17.4.5). */
	v->step_debugctl = rp_vmread64(GUEST_IA32_DEBUGCTL);
	rp_vmwrite64(GUEST_IA32_DEBUGCTL, v->step_debugctl & ~DEBUGCTLMSR_BTF);
	/*
	 * With TF set, VM entry refuses STI blocking without a pending
	 * single step (SDM 27.3.1.5); IF is off for the step anyway.
	 */
	intr = rp_vmread32(GUEST_INTERRUPTIBILITY_INFO);
	if (intr & GUEST_INTR_STATE_STI)
		rp_vmwrite32(GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~GUEST_INTR_STATE_STI);
}

/*
 * End the step: flags, exception bitmap, timer and EPT as they were.
 * @done: the write ran, so its watch hits are recorded.
 */
static __rampart_root void step_end(struct rampart_vcpu *v, bool done)
{
	u64 rflags;

	if (done && !v->step_timer)
		step_image_fix(v);
	v->step_image_pa = 0;
	rampart_watch_end(v, done);
	if (v->step_timer) {
		rampart_ctl_clear_bits(v, RP_RT_PIN, rampart_timer_ctl(v));
	} else {
		rflags = rp_vmreadl(GUEST_RFLAGS) & ~STEP_FLAGS;
		rp_vmwritel(GUEST_RFLAGS, rflags | v->step_flags);
		rampart_ctl_write(v, RP_RT_EXC, v->step_exc_bitmap);
		rp_vmwrite64(GUEST_IA32_DEBUGCTL,
			   (rp_vmread64(GUEST_IA32_DEBUGCTL) & ~DEBUGCTLMSR_BTF) |
			   (v->step_debugctl & DEBUGCTLMSR_BTF));
		/* A single step still pending is ours alone (SDM 27.3.1.5). */
		if (!(v->step_flags & X86_EFLAGS_TF))
			rp_vmwritel(GUEST_PENDING_DBG_EXCEPTIONS,
				   rp_vmreadl(GUEST_PENDING_DBG_EXCEPTIONS) &
				   ~DB_QUAL_BS);
	}
	v->stepping = false;
	v->step_timer = false;
	rampart_alt_close(v);
}

/**
 * rampart_log_write() - record a write to a "log" range and single-step it.
 * @x: the EPT-violation exit of a write.
 * @gpa: the guest-physical address written.
 * @r: the rule that guards @gpa, or NULL.
 * @gen: the generation of the policy @r comes from. A step runs only
 *       while that policy is in force (vmx/root/exit.c cancels it at
 *       the next entry otherwise, and the write is decided again).
 *
 * Return: true if the write will run in a step; false if @gpa is not in a
 * log range, or the step cannot be set up (the caller then denies it).
 */
__rampart_root bool rampart_log_write(struct exit_ctx *x, u64 gpa,
				      const struct rp_range_rule *r, u64 gen)
{
	struct rampart_vcpu *v = x->v;
	bool delivery;

	if (!r || r->action != RAMPART_ACT_LOG ||
	    (v->stepping && v->step_gen != gen))
		return false;
	/* An event root re-injects (vmx/exit.c) is what writes. */
	delivery = rp_vmread32(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK;
	if (!v->stepping) {
		if (delivery && !rampart_timer_ctl(v))
			return false;
		/* MOV-SS blocking would hold the trap back (SDM 6.8.3). */
		if (!delivery && (rp_vmread32(GUEST_INTERRUPTIBILITY_INFO) &
				  GUEST_INTR_STATE_MOV_SS))
			return false;
	}
	if (rampart_alt_open(v, gpa))
		return false;
	if (!v->stepping) {
		step_decode(v, delivery);
		step_image_arm(v, gpa);
	}
	/* A watched page records only the writes that overlap a watch. */
	if (r->name != RP_RANGE_WATCH)
		rampart_root_event_mem(v, r, RAMPART_EPT_W, gpa);
	rampart_watch_begin(v, gpa, r);
	if (v->stepping) {
		/*
		 * The same write, a second page. It faulted, so no single-step
		 * trap is pending (SDM 25.4.2, 18.3.1.4); a BS that Bochs keeps
		 * in the pending debug exceptions would end the step before the
		 * write runs again, and it would violate and step forever.
		 */
		if (!v->step_timer)
			rp_vmwritel(GUEST_PENDING_DBG_EXCEPTIONS,
				    rp_vmreadl(GUEST_PENDING_DBG_EXCEPTIONS) &
				    ~DB_QUAL_BS);
		return true;
	}
	step_arm(v, delivery);
	v->stepping = true;
	v->step_gen = gen;
	__atomic_fetch_add(&v->root->steps, 1, __ATOMIC_RELAXED);
	return true;
}

/**
 * rampart_step_cancel() - end a step early: root refuses the write it
 * runs (a second page that is denied) and injects a fault instead, or
 * the exit is not one a step expects (vmx/exit.c); the instruction then
 * runs again, and is decided again.
 * @v: this CPU.
 */
__rampart_root void rampart_step_cancel(struct rampart_vcpu *v)
{
	if (v->stepping)
		step_end(v, false);
}

/**
 * rampart_step_timer() - the preemption timer ended a delivery's step.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_step_timer(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;

	if (v->stepping && v->step_timer)
		step_end(v, true);
	else	/* not ours: make sure it stays off */
		rampart_ctl_clear_bits(v, RP_RT_PIN, rampart_timer_ctl(v));
	return EXIT_RESUME;
}

/* Deliver the exception that exited as the guest would have seen it. */
static __rampart_root void reflect(struct exit_ctx *x, u32 info, u64 qual)
{
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;
	u32 vector = info & INTR_INFO_VECTOR_MASK;
	u64 dr6;

	if (type == INTR_TYPE_HARD_EXCEPTION && vector == X86_TRAP_DB) {
		/* A #DB exit leaves DR6 alone (SDM 27.1): set it as delivery would. */
		asm volatile("mov %%dr6, %0" : "=r"(dr6));
		asm volatile("mov %0, %%dr6" : : "r"(dr6 | qual));
	}
	/* A #PF exit leaves CR2 alone: the address is the qualification. */
	if (type == INTR_TYPE_HARD_EXCEPTION && vector == X86_TRAP_PF)
		asm volatile("mov %0, %%cr2" : : "r"(x->qual));
	if (!rampart_inject(info, rp_vmread32(VM_EXIT_INTR_ERROR_CODE),
			    rp_vmread32(VM_EXIT_INSTRUCTION_LEN)))
		rampart_report(x->v, "exception not reflectable, dropped", info);
}

/**
 * rampart_step_exception() - an exception exit: the end of a step, an
 * exception the stepped write raised, or one that should never exit.
 * @x: the exit.
 * @info: the VM-exit interruption information.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_step_exception(struct exit_ctx *x, u32 info)
{
	struct rampart_vcpu *v = x->v;
	u64 qual = x->qual & DB_QUAL_BITS;
	bool db = (info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_HARD_EXCEPTION &&
		  (info & INTR_INFO_VECTOR_MASK) == X86_TRAP_DB;

	if (v->stepping) {
		bool ours = db && !v->step_timer;

		/*
		 * The single-step trap (BS, SDM Table 28-1): the write ran.
		 * Another exception, or a #DB fault (an instruction
		 * breakpoint), stopped it first.
		 */
		step_end(v, db && (v->step_timer || (x->qual & DB_QUAL_BS)));
		/* Our own trap, unless the guest was single-stepping too. */
		if (ours && !(v->step_flags & X86_EFLAGS_TF))
			qual &= ~DB_QUAL_BS;
		if (ours && !qual)
			return EXIT_RESUME;
	}
	/*
	 * An event whose delivery raised this one is re-injected already
	 * (vmx/exit.c): its delivery runs again, and raises this natively.
	 */
	if (rp_vmread32(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK)
		return EXIT_RESUME;
	reflect(x, info, db ? qual : 0);
	return EXIT_RESUME;
}
