// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM-exit dispatch (root side). Every basic exit reason Rampart can see is
 * in exit_handlers[]; anything else is unexpected and handled as hardware
 * would (#UD) or fails closed (DESIGN.md principle 4). Guest-supplied
 * values are read once from registers or the VMCS and validated.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
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
#include "caps.h"
#include "check.h"
#include "cr.h"
#include "entry.h"
#include "event.h"
#include "exit_reasons.h"
#include "guest.h"
#include "inject.h"
#include "io.h"
#include "lock.h"
#include "modtext.h"
#include "msr.h"
#include "ops.h"
#include "poke.h"
#include "policy_hc.h"
#include "root.h"
#include "rootlog.h"
#include "rootstate.h"
#include "step.h"
#include "vcpu.h"

/* Exit reasons <asm/vmx.h> does not name, SDM Vol. 3D Appendix C. */
#define EXIT_REASON_GETSEC	11
#define EXIT_REASON_ENTRY_FAIL	BIT(31)		/* SDM 28.2.1 */






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
	rampart_event_cpu(v, RAMPART_CPU_EV_PARKED, reason,
			  rp_vmread(VM_INSTRUCTION_ERROR));
	WRITE_ONCE(v->parked, true);
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
	u32 info = rp_vmread(VM_EXIT_INTR_INFO);

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
	/* Nested VMX is not offered yet: hide it (CPUID.1:ECX.VMX). */
	if (r->rax == 1)
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
 * EPT violations hit pages Rampart made non-writable or absent: its own,
 * and the ranges the policy denies. The access never happens. The kernel
 * gets a not-present #PF at the linear address, so an exception-table
 * fixup (copy_to_kernel_nofault) sees -EFAULT and anything else oopses at
 * the culprit. Not-present, not a protection fault: the kernel's
 * spurious-fault check would otherwise retry the write forever (DESIGN.md,
 * "Denied writes"). A violation on a page that now allows the access was
 * a translation cached before a policy released it: the violation itself
 * invalidated it (SDM 29.4.3.1); INVEPT anyway and retry.
 */
static __rampart_root int handle_ept_violation(struct exit_ctx *x)
{
	u64 q = x->qual, access = q & RAMPART_EPT_RWX;
	u64 gpa = rp_vmread(GUEST_PHYSICAL_ADDRESS);
	u64 leaf = rampart_ept_leaf(x->v->root, gpa);
	struct rp_range_rule rule;
	const struct rp_range_rule *r = NULL;
	u32 err = 0;

	/* SDM 28.2.3: re-block virtual NMIs if an IRET unblocked them. */
	if (q & BIT(12))
		rp_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			   rp_vmread(GUEST_INTERRUPTIBILITY_INFO) |
			   GUEST_INTR_STATE_NMI);
	if (leaf && !(access & ~leaf & RAMPART_EPT_RWX)) {
		/*
		 * Under its alternate EPT a CPU runs on a copy that predates
		 * the release: bring the page over, or the write would exit
		 * forever. Else the violation dropped the stale entry; make
		 * sure of it.
		 */
		if (!x->v->alt_active || !(access & RAMPART_EPT_W) ||
		    !rampart_alt_open(x->v, gpa)) {
			rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
			return EXIT_RESUME;
		}
		/* No room in the copy: fail closed, below. */
	}
	/* SDM Table 28-7: bit 7 linear address valid, bit 8 final access. */
	if ((q & (BIT(7) | BIT(8))) != (BIT(7) | BIT(8))) {
		rampart_step_cancel(x->v);
		return rampart_inject_gp(x);
	}
	/* One snapshot of the rule in force decides (root pages have none). */
	if (leaf && !(leaf & RAMPART_EPT_ROOT) &&
	    rampart_mem_rule_get(x->v->root, gpa, &rule))
		r = &rule;
	/*
	 * Text under a poke rule: text_poke() goes through (vmx/poke.c);
	 * "log" ranges: recorded, then single-stepped (vmx/step.c).
	 */
	if (access == RAMPART_EPT_W && leaf && !(leaf & RAMPART_EPT_ROOT) &&
	    (rampart_poke_write(x, gpa, r) || rampart_log_write(x, gpa, r)))
		return EXIT_RESUME;
	if (r && r->action == RAMPART_ACT_DENY)
		rampart_event_mem(x->v, r, access, gpa);
	/* No handler may run with a stepped page open (vmx/step.c). */
	rampart_step_cancel(x->v);
	if (q & BIT(1))
		err |= X86_PF_WRITE;
	if (q & BIT(2))
		err |= X86_PF_INSTR;
	if (rampart_guest_cpl() == 3)
		err |= X86_PF_USER;
	asm volatile("mov %0, %%cr2" : : "r"(rp_vmread(GUEST_LINEAR_ADDRESS)));
	rampart_inject_exception(x->v, X86_TRAP_PF, err);
	return EXIT_RESUME;
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
	rampart_event_cpu(x->v, RAMPART_CPU_EV_INIT,
			  rp_vmread(GUEST_ACTIVITY_STATE), 0);
	return EXIT_RESUME;
}

static __rampart_root int handle_sipi(struct exit_ctx *x)
{
	rampart_event_cpu(x->v, RAMPART_CPU_EV_SIPI, x->qual & 0xff, 0);
	rp_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
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
	rampart_root_lock(rs);
	sealed = READ_ONCE(rs->sealed);
	if (!sealed)
		cpu_in(x->v, false);
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
		if (rp_vmread(GUEST_RFLAGS) & X86_EFLAGS_IF)
			break;
		x->r->rax = 0;
		rampart_skip_insn(x);
		rp_vmwrite(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID_MASK |
			   INTR_TYPE_EXT_INTR | SPURIOUS_APIC_VECTOR);
		x->v->entry_check_skip = true;
		return EXIT_RESUME;
	case 2:	/* guest state the entry refuses: root parks the CPU */
		x->r->rax = 0;
		rampart_skip_insn(x);
		rp_vmwrite(GUEST_ACTIVITY_STATE, 4);	/* reserved, SDM 27.3.1.5 */
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
	if (nr >= RAMPART_HC_NR || !hypercalls[nr]) {
		x->r->rax = -ENOSYS;
		return rampart_skip_insn(x);
	}
	return hypercalls[nr](x);
}

/* ---- the table ----------------------------------------------------------- */

struct exit_handler {
	int (*fn)(struct exit_ctx *x);
};

static const struct exit_handler exit_handlers[RAMPART_EXIT_NR] __rampart_root_ro = {
	[EXIT_REASON_EXCEPTION_NMI]	= { handle_exception_nmi },
	[EXIT_REASON_TRIPLE_FAULT]	= { fatal },
	[EXIT_REASON_INIT_SIGNAL]	= { handle_init },
	[EXIT_REASON_SIPI_SIGNAL]	= { handle_sipi },
	[EXIT_REASON_NMI_WINDOW]	= { handle_nmi_window },
	[EXIT_REASON_CPUID]		= { handle_cpuid },
	[EXIT_REASON_IO_INSTRUCTION]	= { rampart_handle_io },
	[EXIT_REASON_GETSEC]		= { rampart_inject_ud },
	[EXIT_REASON_INVD]		= { handle_invd },
	[EXIT_REASON_VMCALL]		= { handle_vmcall },
	[EXIT_REASON_VMCLEAR]		= { rampart_inject_ud },
	[EXIT_REASON_VMLAUNCH]		= { rampart_inject_ud },
	[EXIT_REASON_VMPTRLD]		= { rampart_inject_ud },
	[EXIT_REASON_VMPTRST]		= { rampart_inject_ud },
	[EXIT_REASON_VMREAD]		= { rampart_inject_ud },
	[EXIT_REASON_VMRESUME]		= { rampart_inject_ud },
	[EXIT_REASON_VMWRITE]		= { rampart_inject_ud },
	[EXIT_REASON_VMOFF]		= { rampart_inject_ud },
	[EXIT_REASON_VMON]		= { rampart_inject_ud },
	[EXIT_REASON_CR_ACCESS]		= { rampart_handle_cr },
	[EXIT_REASON_MSR_READ]		= { rampart_handle_rdmsr },
	[EXIT_REASON_MSR_WRITE]		= { rampart_handle_wrmsr },
	[EXIT_REASON_EPT_VIOLATION]	= { handle_ept_violation },
	[EXIT_REASON_EPT_MISCONFIG]	= { fatal },
	[EXIT_REASON_INVEPT]		= { rampart_inject_ud },
	[EXIT_REASON_INVVPID]		= { rampart_inject_ud },
	[EXIT_REASON_PREEMPTION_TIMER]	= { rampart_step_timer },
	[EXIT_REASON_XSETBV]		= { handle_xsetbv },
	[EXIT_REASON_VMFUNC]		= { rampart_inject_ud },
};

/* Names for sysfs, cpus/cpuN/exits/<name>; "" for reasons never handled. */
const char *const rampart_exit_names[RAMPART_EXIT_NR] __rampart_root_ro = {
	[EXIT_REASON_EXCEPTION_NMI] = "nmi", [EXIT_REASON_TRIPLE_FAULT] = "triple_fault",
	[EXIT_REASON_INIT_SIGNAL] = "init", [EXIT_REASON_SIPI_SIGNAL] = "sipi",
	[EXIT_REASON_NMI_WINDOW] = "nmi_window", [EXIT_REASON_CPUID] = "cpuid",
	[EXIT_REASON_GETSEC] = "getsec", [EXIT_REASON_INVD] = "invd",
	[EXIT_REASON_VMCALL] = "vmcall", [EXIT_REASON_VMCLEAR] = "vmclear",
	[EXIT_REASON_VMLAUNCH] = "vmlaunch", [EXIT_REASON_VMPTRLD] = "vmptrld",
	[EXIT_REASON_VMPTRST] = "vmptrst", [EXIT_REASON_VMREAD] = "vmread",
	[EXIT_REASON_VMRESUME] = "vmresume", [EXIT_REASON_VMWRITE] = "vmwrite",
	[EXIT_REASON_VMOFF] = "vmxoff", [EXIT_REASON_VMON] = "vmxon",
	[EXIT_REASON_CR_ACCESS] = "cr_access", [EXIT_REASON_MSR_READ] = "rdmsr",
	[EXIT_REASON_MSR_WRITE] = "wrmsr", [EXIT_REASON_EPT_VIOLATION] = "ept_violation",
	[EXIT_REASON_EPT_MISCONFIG] = "ept_misconfig", [EXIT_REASON_INVEPT] = "invept",
	[EXIT_REASON_INVVPID] = "invvpid", [EXIT_REASON_XSETBV] = "xsetbv",
	[EXIT_REASON_PREEMPTION_TIMER] = "preemption_timer",
	[EXIT_REASON_VMFUNC] = "vmfunc", [EXIT_REASON_EXTERNAL_INTERRUPT] = "interrupt",
	[EXIT_REASON_HLT] = "hlt", [EXIT_REASON_IO_INSTRUCTION] = "io",
	[EXIT_REASON_RDTSC] = "rdtsc", [EXIT_REASON_TASK_SWITCH] = "task_switch",
};

/* Deliver a pending NMI now, or ask for an NMI-window exit (SDM 26.7.6). */
static __rampart_root void deliver_nmi(struct rampart_vcpu *v)
{
	u64 proc = rp_vmread(CPU_BASED_VM_EXEC_CONTROL);
	bool busy;

	/* Hold NMIs back for the one instruction a step runs (vmx/step.c). */
	if (!v->nmi_pending || v->stepping) {
		if (proc & CPU_BASED_NMI_WINDOW_EXITING)
			rp_vmwrite(CPU_BASED_VM_EXEC_CONTROL,
				   proc & ~CPU_BASED_NMI_WINDOW_EXITING);
		return;
	}
	/*
	 * STI blocking does not block an NMI on every CPU (SDM 27.3.1.5),
	 * but wait for its end anyway, as KVM does. inject.c checks the
	 * rest: MOV-SS and NMI blocking, the activity state.
	 */
	busy = rp_vmread(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK ||
	       rp_vmread(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_STI ||
	       !rampart_inject(INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR |
			       NMI_VECTOR, 0, 0);
	if (busy) {
		rp_vmwrite(CPU_BASED_VM_EXEC_CONTROL,
			   proc | CPU_BASED_NMI_WINDOW_EXITING);
		return;
	}
	v->nmi_pending = false;
	rp_vmwrite(CPU_BASED_VM_EXEC_CONTROL,
		   proc & ~CPU_BASED_NMI_WINDOW_EXITING);
}

/*
 * A CPU under its alternate EPT runs on copies of shared tables. If the
 * shared EPT changed since they were copied (a policy load, a module run,
 * calibration, on any CPU), end the text-poke window or the step they
 * serve: the write exits again and is decided under the EPT in force,
 * never under a stale copy that still says W=1.
 */
static __rampart_root void alt_revalidate(struct rampart_vcpu *v)
{
	if (!v->alt_active ||
	    v->alt_epoch == __atomic_load_n(&v->root->ept_epoch, __ATOMIC_ACQUIRE))
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
			   rp_vmread(rampart_vmcs_enc[i]) : 0;
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
	u64 want = SECONDARY_EXEC_PT_USE_GPA;

	v->launched = true;
	cpu_in(v, true);
	v->seen_pmu_off = rp_vmread(VM_EXIT_MSR_STORE_COUNT) == 1 &&
			  rp_vmread(VM_ENTRY_MSR_LOAD_COUNT) == 1 &&
			  rp_vmread(VM_EXIT_MSR_LOAD_COUNT) == 1 &&
			  v->msr_guest[0].index == MSR_CORE_PERF_GLOBAL_CTRL &&
			  v->msr_host[0].index == MSR_CORE_PERF_GLOBAL_CTRL &&
			  !v->msr_host[0].value;
	v->seen_pt_gpa = (rp_vmread(SECONDARY_VM_EXEC_CONTROL) & want) &&
			 (rp_vmread(VM_EXIT_CONTROLS) &
			  VM_EXIT_CLEAR_IA32_RTIT_CTL) &&
			 (rp_vmread(VM_ENTRY_CONTROLS) &
			  VM_ENTRY_LOAD_IA32_RTIT_CTL);
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
	u32 info = rp_vmread(VM_ENTRY_INTR_INFO_FIELD);

	if (!v->launched) {
		v->failed = true;
		rampart_report(v, "VM entry failed on guest state", raw);
		return EXIT_LEAVE;
	}
	if (v->entry_repaired || !(info & INTR_INFO_VALID_MASK))
		park(v, "VM entry failed, CPU parked in root", raw);
	rampart_report(v, "VM entry failed, injection dropped", raw);
	rampart_event_cpu(v, RAMPART_CPU_EV_ENTRY_FAIL, raw, info);
	rp_vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	v->entry_repaired = true;
	return EXIT_RESUME;
}

/**
 * rampart_handle_exit() - dispatch one VM exit. Called by vmx/entry.S.
 * @f: the guest GPRs as the stub saved them.
 *
 * Return: 0 to VMRESUME, non-zero to leave VMX on this CPU.
 */
__rampart_root int rampart_handle_exit(struct rampart_exit_frame *f)
{
	struct exit_ctx x = {
		.v = rampart_vcpu_of((unsigned long)f),
		.r = &f->regs,
	};
	u32 raw = rp_vmread(VM_EXIT_REASON);
	int ret;

	x.reason = raw & 0xffff;
	x.qual = rp_vmread(EXIT_QUALIFICATION);
	x.v->exits_total++;
	if (raw & EXIT_REASON_ENTRY_FAIL)
		return entry_failed(&x, raw);
	if (!x.v->launched)
		launched(x.v);
	x.v->entry_repaired = false;
	if (x.reason >= RAMPART_EXIT_NR || !exit_handlers[x.reason].fn) {
		x.v->unexpected++;
		if (x.reason < RAMPART_EXIT_NR)
			x.v->exits[x.reason]++;
		rampart_report(x.v, "unexpected exit, #UD injected", x.reason);
		rampart_reinject_vectoring(x.v);
		return rampart_inject_ud(&x);
	}
	x.v->exits[x.reason]++;
	/*
	 * A step expects only its own exits: the exception or timer that
	 * ends it, or the same write's second page. Anything else (the
	 * instruction rewritten under it, say) ends it first, so no handler
	 * root runs or event root injects meets an open page.
	 */
	if (x.v->stepping && x.reason != EXIT_REASON_EXCEPTION_NMI &&
	    x.reason != EXIT_REASON_EPT_VIOLATION &&
	    x.reason != EXIT_REASON_PREEMPTION_TIMER)
		rampart_step_cancel(x.v);
	rampart_reinject_vectoring(x.v);
	/* Another CPU published a policy: take it before deciding anything. */
	if (x.v->policy_gen != READ_ONCE(x.v->root->gen))
		rampart_policy_apply(x.v);
	ret = exit_handlers[x.reason].fn(&x);
	if (ret == EXIT_RESUME) {
		alt_revalidate(x.v);
		deliver_nmi(x.v);
		entry_check(x.v);
	}
	return ret;
}

/**
 * rampart_resume_failed() - VMRESUME returned VMfail. Called by entry.S.
 * @f: the guest GPRs.
 *
 * VMfailValid means root's own controls or host state are wrong (SDM
 * 31.3, VMRESUME; 27.2): nothing to repair from the guest's side, and
 * leaving VMX would be an escape. Park the CPU in root. Does not return.
 */
__rampart_root void rampart_resume_failed(struct rampart_exit_frame *f)
{
	park(rampart_vcpu_of((unsigned long)f), "VMRESUME failed, CPU parked in root",
	     ~0U);
}




