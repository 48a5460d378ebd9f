// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM-exit dispatch (root side). Every basic exit reason Rampart can see is
 * in exit_handlers[]; anything else is unexpected and handled as hardware
 * would (#UD) or fails closed (DESIGN.md principle 4). Guest-supplied
 * values are read once from registers or the VMCS and validated.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/nospec.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/msr-index.h>
#include <asm/irq_vectors.h>
#include <asm/processor-flags.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "../../ept/root/ept.h"
#include "../../ept/root/guard.h"
#include "../../uapi/hypercall.h"
#include "arch.h"
#include "caps.h"
#include "check.h"
#include "cr.h"
#include "desc.h"
#include "entry.h"
#include "ept_violation.h"
#include "event.h"
#include "exit_reasons.h"
#include "guest.h"
#include "inject.h"
#include "io.h"
#include "lock.h"
#include "modtext.h"
#include "msr.h"
#include "nested.h"
#include "nested_run.h"
#include "ops.h"
#include "poke.h"
#include "policy_hc.h"
#include "root.h"
#include "rootlog.h"
#include "rootstate.h"
#include "step.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* The exit reason <asm/vmx.h> does not name, SDM Vol. 3D Appendix C. */
#define EXIT_REASON_GETSEC	11






/*
 * Stop this CPU for good, in root: its guest state cannot be run, and
 * handing it back natively would be an escape (DESIGN.md, "Entry failures
 * are escapes"). NMIs that arrive only set a flag (rampart_root_nmi_c);
 * INIT and SIPI are blocked in VMX root operation (SDM 26.2). The other
 * CPUs run on; the kernel sees this one as "parked".
 */
static __rampart_root void __noreturn park(struct rampart_vcpu *v,
					   const char *why, u32 reason)
{
	v->failed = true;
	rampart_report(v, why, reason);
	rampart_root_event_cpu(v, RAMPART_CPU_EV_PARKED, RAMPART_ACT_DENY,
			       reason, rp_vmread32(VM_INSTRUCTION_ERROR));
	WRITE_ONCE(v->parked, true);
	/* It walks no EPT again: merged tables need not wait for it. */
	rampart_root_ept_parked(v->root, v->cpu);
	rampart_halt_forever();
}

/* The guest cannot go on (triple fault, our own EPT bug): fail closed. */
static __rampart_root int fatal(struct exit_ctx *x)
{
	park(x->v, "triple fault or EPT misconfiguration, CPU parked in root",
	     x->reason);
}

/* ---- handlers ------------------------------------------------------------ */

/*
 * NMIs always exit (SDM 25.6.1); exceptions only while a logged write
 * steps, when the exception bitmap is all ones (vmx/step.c, SDM 25.6.3).
 */
static __rampart_root int handle_exception_nmi(struct exit_ctx *x)
{
	u32 info = rp_vmread32(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_INTR_TYPE_MASK) != INTR_TYPE_NMI_INTR)
		return rampart_step_exception(x, info);
	x->v->nmi_pending = true;
	return EXIT_RESUME;
}

static __rampart_root int handle_nmi_window(struct exit_ctx *x)
{
	return EXIT_RESUME;	/* the epilogue injects the pending NMI */
}

static __rampart_root int handle_cpuid(struct exit_ctx *x)
{
	struct rampart_regs *r = x->r;
	u32 a = r->rax, b, c = r->rcx, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	/* VMX only while root emulates it (CPUID.1:ECX.VMX, vmx/root/nested_insn.c). */
	if (r->rax == 1 && !rampart_nested_on(x->v->root))
		c &= ~RAMPART_CPUID1_ECX_VMX;
	r->rax = a;
	r->rbx = b;
	r->rcx = c;
	r->rdx = d;
	return rampart_skip_insn(x);
}

/* INVD would drop dirty lines of root memory too: write back instead. */
static __rampart_root int handle_invd(struct exit_ctx *x)
{
	asm volatile("wbinvd" ::: "memory");
	return rampart_skip_insn(x);
}

static __rampart_root int handle_xsetbv(struct exit_ctx *x)
{
	struct rampart_regs *r = x->r;
	u64 val = (r->rdx << 32) | (u32)r->rax;

	if (rampart_root_xsetbv(r->rcx, val))
		return rampart_inject_gp(x);
	return rampart_skip_insn(x);
}

/*
 * INIT and SIPI (SDM 26.2: INIT always exits in non-root operation, and
 * the exit is all it does; SIPI exits only in the wait-for-SIPI activity
 * state, which root never enters). On a launched CPU an INIT would reset
 * it into real mode, out of every lock the policy holds, and Linux never
 * sends one to a running CPU: it devirtualizes a CPU before taking it
 * offline, and a sealed system keeps its CPUs online. So root refuses
 * the reset and records it; the CPU runs on where it was, and a later
 * SIPI finds no CPU waiting for it. (Bochs 2.7 keeps such an INIT latched
 * and exits again at every entry; hardware does not: README, "What Bochs cannot show".)
 */
static __rampart_root int handle_init(struct exit_ctx *x)
{
	rampart_root_event_cpu(x->v, RAMPART_CPU_EV_INIT, RAMPART_ACT_DENY,
			       rp_vmread32(GUEST_ACTIVITY_STATE), 0);
	return EXIT_RESUME;
}

static __rampart_root int handle_sipi(struct exit_ctx *x)
{
	rampart_root_event_cpu(x->v, RAMPART_CPU_EV_SIPI, RAMPART_ACT_DENY,
			       x->qual & 0xff, 0);
	rp_vmwrite32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	return EXIT_RESUME;
}

/* ---- hypercalls, uapi/hypercall.h ----------------------------------------- */

static __rampart_root int hc_ping(struct exit_ctx *x)
{
	x->r->rax = 0;
	x->r->rbx = RAMPART_HC_MAGIC;
	x->r->rcx = RAMPART_HC_ABI;
	x->r->rdx = x->v->cpu;
	return rampart_skip_insn(x);
}

/*
 * This CPU's bit in cpus_in, which sealing reads (vmx/policy.c): set at
 * its first exit, cleared by the DEVIRT that takes it out of VMX (the
 * only way out after launch).
 */
static __rampart_root void cpu_in(struct rampart_vcpu *v, bool in)
{
	u64 bit = BIT_ULL(v->cpu % 64), *w = &v->root->cpus_in[v->cpu / 64];

	if (in)
		__atomic_fetch_or(w, bit, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(w, ~bit, __ATOMIC_RELEASE);
}

/* Once sealed, nothing but a reboot ends Rampart (DESIGN.md "Who uses it"). */
static __rampart_root int hc_devirt(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	bool sealed;

	/* Decided under the lock that sealing takes (vmx/policy.c). */
	/* The kernel in (emulated) VMX operation would run on without it. */
	if (x->v->nested->vmxon) {
		x->r->rax = -EBUSY;
		return rampart_skip_insn(x);
	}
	rampart_root_lock(rs);
	sealed = READ_ONCE(rs->sealed);
	if (!sealed) {
		cpu_in(x->v, false);
		/* Out of VMX, it walks no EPT: nothing to wait for. */
		rampart_root_ept_flushed(rs, x->v->cpu);
	}
	rampart_root_unlock(rs);
	if (sealed) {
		x->r->rax = -EPERM;
		return rampart_skip_insn(x);
	}
	x->r->rax = 0;
	rampart_poke_close(x->v);
	rampart_step_cancel(x->v);
	rampart_skip_insn(x);
	return EXIT_LEAVE;
}

#ifdef RAMPART_ENTRY_CHECK
/*
 * Rig builds only: break the next VM entry the way a bad root-side edit
 * would, so the tests reach entry_failed() after launch. RBX = 1: an
 * external interrupt injected with RFLAGS.IF clear (SDM 27.3.1.4), which
 * entry_failed() must drop and run on. The entry checker stands aside for
 * that one entry.
 */
static __rampart_root int hc_test(struct exit_ctx *x)
{
	switch (x->r->rbx) {
	case 1:	/* an injection the entry refuses: root drops it */
		if (rp_vmreadl(GUEST_RFLAGS) & X86_EFLAGS_IF)
			break;
		x->r->rax = 0;
		rampart_skip_insn(x);
		rp_vmwrite32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID_MASK |
			   INTR_TYPE_EXT_INTR | SPURIOUS_APIC_VECTOR);
		x->v->entry_check_skip = true;
		return EXIT_RESUME;
	case 3:	/* a VMREAD of no field (SDM 31.3 VMREAD: VMfailValid 12) */
		rp_vmread_any(~0U);
		x->r->rax = 0;
		return rampart_skip_insn(x);
	case 2:	/* guest state the entry refuses: root parks the CPU */
		x->r->rax = 0;
		rampart_skip_insn(x);
		rp_vmwrite32(GUEST_ACTIVITY_STATE, 4);	/* reserved, SDM 27.3.1.5 */
		x->v->entry_check_skip = true;
		return EXIT_RESUME;
	}
	x->r->rax = -EINVAL;
	return rampart_skip_insn(x);
}
#endif

static int (*const hypercalls[RAMPART_HC_NR])(struct exit_ctx *x) __rampart_root_ro = {
	[RAMPART_HC_PING] = hc_ping,
	[RAMPART_HC_DEVIRT] = hc_devirt,
	[RAMPART_HC_POLICY_LOAD] = rampart_hc_policy_load,
	[RAMPART_HC_POLICY_SYNC] = rampart_hc_policy_sync,
	[RAMPART_HC_SEAL] = rampart_hc_seal,
	[RAMPART_HC_POKE_CALIBRATE] = rampart_hc_poke_calibrate,
	[RAMPART_HC_MODULE_ADD] = rampart_hc_module_add,
	[RAMPART_HC_MODULE_DEL] = rampart_hc_module_del,
#ifdef RAMPART_ENTRY_CHECK
	[RAMPART_HC_TEST] = hc_test,
#endif
};

static __rampart_root int handle_vmcall(struct exit_ctx *x)
{
	u64 nr = x->r->rax;

	if (rampart_guest_cpl() != 0)
		return rampart_inject_ud(x);	/* as VMCALL outside VMX does */
	if (nr >= RAMPART_HC_NR) {
		x->r->rax = -RAMPART_HC_ENOSYS;
		return rampart_skip_insn(x);
	}
	nr = array_index_nospec(nr, RAMPART_HC_NR);
	if (!hypercalls[nr]) {
		x->r->rax = -RAMPART_HC_ENOSYS;
		return rampart_skip_insn(x);
	}
	return hypercalls[nr](x);
}

/* ---- the table ----------------------------------------------------------- */

static int (*const exit_handlers[RAMPART_EXIT_NR])(struct exit_ctx *x) __rampart_root_ro = {
#define RP_EXIT(reason, name, handler) \
	[EXIT_REASON_##reason] = handler,
#include "exit_table.h"
};

/* Names for sysfs; "" for reasons Rampart never names. */
const char *const rampart_exit_names[RAMPART_EXIT_NR] __rampart_root_ro = {
#define RP_EXIT(reason, name, handler) \
	[EXIT_REASON_##reason] = name,
#include "exit_table.h"
};

/* Deliver a pending NMI now, or ask for an NMI-window exit (SDM 26.7.6). */
static __rampart_root void deliver_nmi(struct rampart_vcpu *v)
{
	bool busy;

	/*
	 * Hold NMIs back for the one instruction a step runs (vmx/root/step.c)
	 * and while a text-poke window is open (vmx/root/poke.c).
	 */
	if (!v->nmi_pending || v->stepping || v->poking) {
		rampart_ctl_clear_bits(v, RP_RT_PROC, CPU_BASED_NMI_WINDOW_EXITING);
		return;
	}
	/*
	 * STI blocking does not block an NMI on every CPU (SDM 27.3.1.5),
	 * but wait for its end anyway, as KVM does. inject.c checks the
	 * rest: MOV-SS and NMI blocking, the activity state.
	 */
	busy = rp_vmread32(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK ||
	       rp_vmread32(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_STI ||
	       !rampart_inject(INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR |
			       NMI_VECTOR, 0, 0);
	if (busy) {
		rampart_ctl_set_bits(v, RP_RT_PROC, CPU_BASED_NMI_WINDOW_EXITING);
		return;
	}
	v->nmi_pending = false;
	rampart_ctl_clear_bits(v, RP_RT_PROC, CPU_BASED_NMI_WINDOW_EXITING);
}

/*
 * A CPU under its alternate EPT runs on copies of shared tables. If the
 * shared EPT changed since they were copied (a policy load, a module run,
 * calibration, on any CPU), end the text-poke window or the step they
 * serve, and a window or step decided under an older policy generation: the
 * write exits again and is decided under the EPT and policy in force,
 * never under a stale copy that still says W=1.
 */
static __rampart_root void alt_revalidate(struct rampart_vcpu *v)
{
	u64 gen = READ_ONCE(v->root->gen);

	if (!v->alt_active ||
	    (v->alt_epoch == __atomic_load_n(&v->root->ept_epoch, __ATOMIC_ACQUIRE) &&
	     (!v->poking || v->poke_gen == gen) &&
	     (!v->stepping || v->step_gen == gen)))
		return;
	rampart_poke_close(v);
	rampart_step_cancel(v);
	__atomic_fetch_add(&v->root->alt_stale, 1, __ATOMIC_RELAXED);
}

#ifdef RAMPART_ENTRY_CHECK
/*
 * Rig builds (RAMPART_ENTRY_CHECK=1): before every VMRESUME that follows
 * a handled exit, check the whole VMCS against the SDM's entry rules
 * (vmx/check.c). A root-side edit the CPU would reject, or one Bochs
 * would wrongly accept, then fails the test by name ("BUG:" on COM1)
 * instead of becoming an entry failure.
 */
static __rampart_root void entry_check(struct rampart_vcpu *v)
{
	struct rampart_vmcs_img img;
	const struct rampart_check_rule *bad;
	unsigned int i;

	if (v->entry_check_skip) {
		v->entry_check_skip = false;
		return;
	}
	for (i = 0; i < RP_VMCS_NR; i++)
		img.v[i] = rampart_vmcs_present(&img, i) ?
			   rp_vmread_any(rampart_vmcs_enc[i]) : 0;
	bad = rampart_vmcs_check(&img, v->root->caps);
	if (!bad)
		return;
	rampart_rootlog("\nrampart: root: BUG: VM entry check failed, SDM ");
	rampart_rootlog(bad->sdm);
	rampart_rootlog(": ");
	rampart_rootlog(bad->what);
	park(v, "VM entry check failed, CPU parked in root", ~0U);
}
#else
static inline void entry_check(struct rampart_vcpu *v)
{
}
#endif

/*
 * The first exit after VMLAUNCH: the kernel runs in non-root on this CPU.
 * Record what the VMCS does about tracing hardware (vmx/vmcs.c), as read
 * back here, for debugfs.
 */
static __rampart_root void launched(struct rampart_vcpu *v)
{
	v->launched = true;
	if (!rampart_ctl_cache_load(v))
		park(v, "cannot read the control words, CPU parked in root",
		     ~0U);
	cpu_in(v, true);
	rampart_desc_launched(v);
	v->seen_pmu_off = rp_vmread32(VM_EXIT_MSR_STORE_COUNT) == 1 &&
			  rp_vmread32(VM_ENTRY_MSR_LOAD_COUNT) == 1 &&
			  rp_vmread32(VM_EXIT_MSR_LOAD_COUNT) == 1 &&
			  v->msr_guest[0].index == MSR_CORE_PERF_GLOBAL_CTRL &&
			  v->msr_host[0].index == MSR_CORE_PERF_GLOBAL_CTRL &&
			  !v->msr_host[0].value;
	v->seen_pt_gpa = rampart_pt_gpa_set(rp_vmread32(SECONDARY_VM_EXEC_CONTROL),
					    rp_vmread32(VM_EXIT_CONTROLS),
					    rp_vmread32(VM_ENTRY_CONTROLS));
}

/*
 * VM entry failed on guest state, MSR loading or a machine check (SDM
 * 27.8). Before the first entry this is a failed launch: the CPU was
 * native and stays so. After it, giving the CPU back would be an escape:
 * report, and if root had injected an event (the one edit of its own
 * that the rules in vmx/inject.c could still have got wrong), drop it
 * and try once more; otherwise park the CPU in root.
 */
static __rampart_root int entry_failed(struct exit_ctx *x, u32 raw)
{
	struct rampart_vcpu *v = x->v;
	u32 info = rp_vmread32(VM_ENTRY_INTR_INFO_FIELD);

	if (!v->launched) {
		v->failed = true;
		rampart_report(v, "VM entry failed on guest state", raw);
		return EXIT_LEAVE;
	}
	if (v->entry_repaired || !(info & INTR_INFO_VALID_MASK))
		park(v, "VM entry failed, CPU parked in root", raw);
	rampart_report(v, "VM entry failed, injection dropped", raw);
	rampart_root_event_cpu(v, RAMPART_CPU_EV_ENTRY_FAIL, RAMPART_ACT_DENY,
			       raw, info);
	rp_vmwrite32(VM_ENTRY_INTR_INFO_FIELD, 0);
	v->entry_repaired = true;
	return EXIT_RESUME;
}

/*
 * A step expects only its own exits: the exception or timer that ends it,
 * or the same write's second page. A text-poke window covers only the
 * stores that opened it: any exit but a write's next page ends it. Anything
 * else ends them first, so no handler root runs or event root injects
 * meets an open page.
 */
static __rampart_root void end_open_pages(const struct exit_ctx *x)
{
	if (x->v->stepping && x->reason != EXIT_REASON_EXCEPTION_NMI &&
	    x->reason != EXIT_REASON_EPT_VIOLATION &&
	    x->reason != EXIT_REASON_PREEMPTION_TIMER)
		rampart_step_cancel(x->v);
	if (x->v->poking && x->reason != EXIT_REASON_EPT_VIOLATION)
		rampart_poke_close(x->v);
}

/* Before L1 runs again: its shadow VMCS, open pages, NMIs, the entry check (rig builds). */
static __rampart_root void l1_epilogue(struct rampart_vcpu *v)
{
	rampart_shadow_sync(v);
	alt_revalidate(v);
	deliver_nmi(v);
	entry_check(v);
}

/*
 * An exit of L2's (vmx/root/nested_run.c): root's own business, or an
 * emulated VM exit to L1, which then runs as after any exit of its own.
 */
static __rampart_root int l2_exit(struct exit_ctx *x, u32 raw)
{
	struct rampart_vcpu *v = x->v;

	if (x->reason < RAMPART_EXIT_NR)
		v->exits[array_index_nospec(x->reason, RAMPART_EXIT_NR)]++;
	switch (rampart_nested_exit(x, raw)) {
	case RAMPART_NESTED_STAY:
		return EXIT_RESUME;
	case RAMPART_NESTED_TO_L1:
		break;
	default:
		park(v, "vmcs01 lost after an L2 exit, CPU parked in root", raw);
	}
	if (v->policy_gen != READ_ONCE(v->root->gen))
		rampart_root_policy_apply(v);
	l1_epilogue(v);
	return EXIT_RESUME;
}

/**
 * rampart_handle_exit() - dispatch one VM exit. Called by vmx/entry.S.
 * @f: the guest GPRs as the stub saved them.
 *
 * Return: EXIT_RESUME to VMRESUME, EXIT_LAUNCH to VMLAUNCH (a new L2
 * entry), EXIT_LEAVE to leave VMX on this CPU.
 */
__rampart_root int rampart_handle_exit(struct rampart_exit_frame *f)
{
	struct exit_ctx x = {
		.v = rampart_vcpu_of((unsigned long)f),
		.r = &f->regs,
	};
	u32 raw = rp_vmread32(VM_EXIT_REASON);
	int (*handler)(struct exit_ctx *x);
	int ret;

	x.reason = raw & 0xffff;
	x.qual = rp_vmreadl(EXIT_QUALIFICATION);
	x.v->exits_total++;
	/*
	 * An NMI's exit leaves NMIs blocked in root: unblock them, or every
	 * later NMI would wait for an IRET root might not do for seconds
	 * (found by the root fuzzer). One that was held arrives now, in
	 * root's handler (vmx/root/fault.c), and is kept for the guest.
	 */
	if (x.reason == EXIT_REASON_EXCEPTION_NMI &&
	    (rp_vmread32(VM_EXIT_INTR_INFO) & INTR_INFO_INTR_TYPE_MASK) ==
	    INTR_TYPE_NMI_INTR)
		rampart_root_nmi_unblock();
	if (x.v->nested->in_l2)
		return l2_exit(&x, raw);
	if (raw & VMX_EXIT_REASONS_FAILED_VMENTRY)	/* SDM 28.2.1 */
		return entry_failed(&x, raw);
	if (!x.v->launched)
		launched(x.v);
	x.v->entry_repaired = false;
	end_open_pages(&x);
	if (x.reason >= RAMPART_EXIT_NR) {
		x.v->unexpected++;
		rampart_report(x.v, "unexpected exit, #UD injected", x.reason);
		rampart_reinject_vectoring(x.v);
		return rampart_inject_ud(&x);
	}
	x.reason = array_index_nospec(x.reason, RAMPART_EXIT_NR);
	x.v->exits[x.reason]++;
	handler = exit_handlers[x.reason];
	if (!handler) {
		x.v->unexpected++;
		rampart_report(x.v, "unexpected exit, #UD injected", x.reason);
		rampart_reinject_vectoring(x.v);
		return rampart_inject_ud(&x);
	}
	rampart_reinject_vectoring(x.v);
	/* Another CPU published a policy: take it before deciding anything. */
	if (x.v->policy_gen != READ_ONCE(x.v->root->gen))
		rampart_root_policy_apply(x.v);
	ret = handler(&x);
	if (ret == EXIT_RESUME)
		l1_epilogue(x.v);
	return ret;
}

/**
 * rampart_resume_failed() - VMRESUME or VMLAUNCH returned VMfail. Called
 * by entry.S.
 * @f: the guest GPRs.
 *
 * For vmcs02's first entry, the CPU refused a VMCS both of root's checks
 * passed: L1's VMLAUNCH or VMRESUME fails as it would on bare metal, and
 * L1 runs on (vmx/root/nested_run.c). Otherwise VMfailValid means root's
 * own controls or host state are wrong (SDM 31.3, VMRESUME; 27.2):
 * nothing to repair from the guest's side, and leaving VMX would be an
 * escape. Park the CPU in root.
 *
 * Return: EXIT_RESUME, to VMRESUME vmcs01; otherwise does not return.
 */
__rampart_root int rampart_resume_failed(struct rampart_exit_frame *f)
{
	struct rampart_vcpu *v = rampart_vcpu_of((unsigned long)f);
	struct exit_ctx x = { .v = v, .r = &f->regs };
	u32 err;

	if (v->nested->in_l2 && !v->nested->vmcs02_launched) {
		err = rampart_nested_entry_failed(v);
		if (err) {
			rampart_nested_vmfail(&x, err);
			l1_epilogue(v);
			return EXIT_RESUME;
		}
	}
	park(v, "VMRESUME failed, CPU parked in root", ~0U);
}




