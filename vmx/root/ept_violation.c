// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPT violations (root side). They hit pages Rampart made non-writable or
 * absent: its own, and the ranges the policy denies. The access never
 * happens. The kernel gets a not-present #PF at the linear address, so an
 * exception-table fixup (copy_to_kernel_nofault) sees -EFAULT and anything
 * else oopses at the culprit. Not-present, not a protection fault: the
 * kernel's spurious-fault check would otherwise retry the write forever
 * (DESIGN.md, "Denied writes"). Two kinds of write go through instead:
 * text_poke() under a poke rule (vmx/root/poke.c) and writes to "log"
 * ranges, recorded then single-stepped (vmx/root/step.c).
 */
#include <linux/types.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "../../ept/root/ept.h"
#include "../../ept/root/guard.h"
#include "ept_violation.h"
#include "event.h"
#include "guest.h"
#include "inject.h"
#include "ops.h"
#include "poke.h"
#include "root.h"
#include "step.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* SDM 28.2.3: re-block virtual NMIs if the faulting IRET unblocked them. */
static __rampart_root void reblock_nmi(u64 q)
{
	if (q & INTR_INFO_UNBLOCK_NMI)
		rp_vmwrite32(GUEST_INTERRUPTIBILITY_INFO,
			     rp_vmread32(GUEST_INTERRUPTIBILITY_INFO) |
			     GUEST_INTR_STATE_NMI);
}

/*
 * The page now allows the access: the translation was cached before a
 * policy released it, and the violation itself invalidated it (SDM
 * 29.4.3.1); INVEPT anyway and retry. Under its alternate EPT a CPU runs
 * on a copy that predates the release: bring the page over, or the write
 * would exit forever. Return: false if the copy has no room (fail closed).
 */
static __rampart_root bool retry_stale(struct exit_ctx *x, u64 gpa, u64 access)
{
	if (!x->v->alt_active || !(access & RAMPART_EPT_W) ||
	    !rampart_alt_open(x->v, gpa)) {
		rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
		return true;
	}
	return false;
}

/*
 * No handler may run with a stepped page (vmx/root/step.c) or a text-poke
 * window (vmx/root/poke.c) open.
 */
static __rampart_root void end_open_pages(struct rampart_vcpu *v)
{
	rampart_poke_close(v);
	rampart_step_cancel(v);
}

/* Inject the not-present #PF the access would have taken (SDM 4.7). */
static __rampart_root int inject_pf(struct exit_ctx *x)
{
	u32 err = 0;

	if (x->qual & EPT_VIOLATION_ACC_WRITE)
		err |= X86_PF_WRITE;
	if (x->qual & EPT_VIOLATION_ACC_INSTR)
		err |= X86_PF_INSTR;
	if (rampart_guest_cpl() == 3)
		err |= X86_PF_USER;
	asm volatile("mov %0, %%cr2" : : "r"(rp_vmreadl(GUEST_LINEAR_ADDRESS)));
	rampart_inject_exception(x->v, X86_TRAP_PF, err);
	return EXIT_RESUME;
}

/**
 * rampart_handle_ept_violation() - an access the EPT refused.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_ept_violation(struct exit_ctx *x)
{
	const u64 final = EPT_VIOLATION_GVA_IS_VALID |
			  EPT_VIOLATION_GVA_TRANSLATED;
	u64 access = x->qual & RAMPART_EPT_RWX;
	u64 gpa = rp_vmread64(GUEST_PHYSICAL_ADDRESS);
	u64 leaf = rampart_root_ept_leaf(x->v->root, gpa);
	bool guest_page = leaf && !(leaf & RAMPART_EPT_ROOT);
	const struct rp_range_rule *r = NULL;
	struct rp_range_rule rule;
	u64 gen = 0;
	u32 why = 0;

	reblock_nmi(x->qual);
	if (leaf && !(access & ~leaf & RAMPART_EPT_RWX) &&
	    retry_stale(x, gpa, access))
		return EXIT_RESUME;
	/* SDM Table 28-7: only a final access to a linear address is ours. */
	if ((x->qual & final) != final) {
		end_open_pages(x->v);
		return rampart_inject_gp(x);
	}
	/* One snapshot of the rule in force decides (root pages have none). */
	if (guest_page && rampart_mem_rule_get(x->v->root, gpa, &rule, &gen))
		r = &rule;
	if (access == RAMPART_EPT_W && guest_page &&
	    (rampart_poke_write(x, gpa, r, &why) ||
	     rampart_log_write(x, gpa, r, gen)))
		return EXIT_RESUME;
	if (r && r->action == RAMPART_ACT_DENY)
		rampart_root_event_mem(x->v, r, access | why, gpa);
	/* Root's own pages: no rule decides, but the attempt is recorded. */
	if (leaf & RAMPART_EPT_ROOT)
		rampart_root_event_cpu(x->v, RAMPART_CPU_EV_ROOT_ACCESS,
				       RAMPART_ACT_DENY, gpa, access);
	end_open_pages(x->v);
	return inject_pf(x);
}
