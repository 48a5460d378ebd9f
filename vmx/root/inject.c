// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event injection (root side): the one place that writes the VM-entry
 * interruption-information field, so that nothing root injects can make
 * the next VM entry fail (DESIGN.md, "Entry failures are escapes"). The
 * rules, SDM 27.2.1.3 and 27.3.1.4-27.3.1.5:
 *  - nothing is injected in the shutdown or wait-for-SIPI activity state;
 *    in HLT only external interrupts, NMIs, #DB and #MC (anything else
 *    comes from an instruction, so the CPU was active: say so);
 *  - an external interrupt needs RFLAGS.IF = 1 and no STI or MOV-SS
 *    blocking; an NMI needs no MOV-SS blocking and, with virtual NMIs, no
 *    NMI blocking;
 *  - an error code only for the vectors that push one, and with
 *    unrestricted guest only while CR0.PE = 1 (real mode pushes none);
 *  - software interrupts and exceptions carry an instruction length.
 */
#include <linux/bits.h>
#include <linux/types.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "guest.h"
#include "inject.h"
#include "ops.h"
#include "root.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* Vectors that deliver an error code (SDM 27.2.1.3, Vol. 3A 6.3.1). */
#define ERROR_CODE_VECTORS	(BIT(X86_TRAP_DF) | BIT(X86_TRAP_TS) | \
				 BIT(X86_TRAP_NP) | BIT(X86_TRAP_SS) | \
				 BIT(X86_TRAP_GP) | BIT(X86_TRAP_PF) | \
				 BIT(X86_TRAP_AC) | BIT(X86_TRAP_CP))

static __rampart_root bool hlt_may_take(u32 type, u32 vector)
{
	return type == INTR_TYPE_EXT_INTR || type == INTR_TYPE_NMI_INTR ||
	       (type == INTR_TYPE_HARD_EXCEPTION &&
		(vector == X86_TRAP_DB || vector == X86_TRAP_MC));
}

/* Can @type be injected with this guest's RFLAGS and blocking? */
static __rampart_root bool window_open(u32 type)
{
	u64 intr = rp_vmread32(GUEST_INTERRUPTIBILITY_INFO);

	if (type == INTR_TYPE_EXT_INTR)
		return (rp_vmreadl(GUEST_RFLAGS) & X86_EFLAGS_IF) &&
		       !(intr & (GUEST_INTR_STATE_STI |
				 GUEST_INTR_STATE_MOV_SS));
	if (type == INTR_TYPE_NMI_INTR)
		return !(intr & (GUEST_INTR_STATE_MOV_SS |
				 GUEST_INTR_STATE_NMI));
	return true;
}

/**
 * rampart_inject() - inject one event for the next VM entry (SDM 27.6).
 * @info: the interruption information (valid bit, type, vector; the
 *        deliver-error-code bit is decided here).
 * @err: the error code, used where the vector has one.
 * @len: instruction length, for software interrupts and exceptions.
 *
 * Return: true if injected; false if the entry rules forbid the event
 * now, and nothing was written.
 */
__rampart_root bool rampart_inject(u32 info, u32 err, u32 len)
{
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;
	u32 vector = info & INTR_INFO_VECTOR_MASK;
	u64 act = rp_vmread32(GUEST_ACTIVITY_STATE);

	if (act == GUEST_ACTIVITY_SHUTDOWN || act == GUEST_ACTIVITY_WAIT_SIPI ||
	    !window_open(type))
		return false;
	if (act == GUEST_ACTIVITY_HLT && !hlt_may_take(type, vector))
		rp_vmwrite32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	info &= INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK |
		INTR_INFO_VECTOR_MASK;
	if (type == INTR_TYPE_HARD_EXCEPTION &&
	    (ERROR_CODE_VECTORS & BIT(vector)) &&
	    (rp_vmreadl(GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		rp_vmwrite32(VM_ENTRY_EXCEPTION_ERROR_CODE, err);
	}
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		rp_vmwrite32(VM_ENTRY_INSTRUCTION_LEN, len);
	rp_vmwrite32(VM_ENTRY_INTR_INFO_FIELD, info);
	return true;
}

/**
 * rampart_inject_exception() - inject a hardware exception.
 * @v: this CPU, for the report.
 * @vector: the vector.
 * @err: its error code, where it has one.
 *
 * An exception follows from the instruction that exited, so the rules
 * allow it; if they ever do not, the exit is reported and the event
 * dropped rather than failing the entry.
 */
__rampart_root void rampart_inject_exception(struct rampart_vcpu *v,
					     u32 vector, u32 err)
{
	if (!rampart_inject(INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION |
			    vector, err, 0))
		rampart_report(v, "exception not injectable, dropped", vector);
}

/**
 * rampart_inject_gp() - inject #GP(0), as a refused instruction gets.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_inject_gp(struct exit_ctx *x)
{
	rampart_inject_exception(x->v, X86_TRAP_GP, 0);
	return EXIT_RESUME;
}

/**
 * rampart_inject_ud() - inject #UD, as an instruction Rampart does not offer.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_inject_ud(struct exit_ctx *x)
{
	rampart_inject_exception(x->v, X86_TRAP_UD, 0);
	return EXIT_RESUME;
}

/**
 * rampart_reinject_vectoring() - re-inject the event whose delivery the
 * exit interrupted (SDM 28.2.4, "Information for VM Exits During Event
 * Delivery"), so that it is delivered again on entry.
 * @v: this CPU.
 *
 * Return: true if an event is now pending injection.
 */
__rampart_root bool rampart_reinject_vectoring(struct rampart_vcpu *v)
{
	u32 info = rp_vmread32(IDT_VECTORING_INFO_FIELD);

	if (!(info & VECTORING_INFO_VALID_MASK))
		return false;
	/*
	 * An NMI whose delivery was cut short left NMI blocking set in the
	 * saved state; it is not blocked until delivered (SDM 28.2.4 and
	 * 27.3.1.5), so clear it, or the NMI is lost.
	 */
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		rp_vmwrite32(GUEST_INTERRUPTIBILITY_INFO,
			   rp_vmread32(GUEST_INTERRUPTIBILITY_INFO) &
			   ~GUEST_INTR_STATE_NMI);
	if (rampart_inject(info, rp_vmread32(IDT_VECTORING_ERROR_CODE),
			   rp_vmread32(VM_EXIT_INSTRUCTION_LEN)))
		return true;
	/* Only a root-side edit of RFLAGS or blocking can get here. */
	rampart_report(v, "event not re-injectable, dropped", info);
	return false;
}
