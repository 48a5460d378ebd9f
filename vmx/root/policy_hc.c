// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy hypercalls and per-CPU application (root side). Root keeps the
 * only copy of the policy that counts, in two slots of struct
 * rampart_root: the one in force and the spare a load compiles into. A
 * load publishes by flipping the slot under the policy lock, so a CPU
 * deciding a write sees either the old policy or the new one, never a mix.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../../ept/root/ept.h"
#include "../../ept/root/guard.h"
#include "../../uapi/hypercall.h"
#include "desc.h"
#include "event.h"
#include "guest.h"
#include "lock.h"
#include "modtext.h"
#include "msr.h"
#include "ops.h"
#include "policy_hc.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

/**
 * rampart_root_policy_apply() - make this CPU's VMCS follow the policy in force.
 * @v: this CPU.
 *
 * The CR guest/host masks cover exactly the bits the policy logs or denies,
 * plus CR4.VMXE (SDM 25.6.6); the read shadows take the current values, so
 * the guest reads what it wrote. The MSR bitmap is shared and already
 * updated by the load. range.idt turns descriptor-table exiting on.
 */
__rampart_root void rampart_root_policy_apply(struct rampart_vcpu *v)
{
	struct rampart_root *rs = v->root;
	const struct rampart_policy *p;

	rampart_root_lock(rs);
	p = &rs->slot[rs->active];
	rp_vmwritel(CR0_GUEST_HOST_MASK, p->cr_owned[RP_CR0]);
	rp_vmwritel(CR0_READ_SHADOW, rp_vmreadl(GUEST_CR0));
	rp_vmwritel(CR4_GUEST_HOST_MASK, p->cr_owned[RP_CR4] | X86_CR4_VMXE);
	/* VMXE as the kernel set it (nested VMX, vmx/root/nested_insn.c). */
	rp_vmwritel(CR4_READ_SHADOW, (rp_vmreadl(GUEST_CR4) & ~X86_CR4_VMXE) |
		    (rp_vmreadl(CR4_READ_SHADOW) & X86_CR4_VMXE));
	rampart_desc_apply(v, p);
	v->policy_gen = rs->gen;
	rampart_root_unlock(rs);
	/*
	 * Memory ranges may have changed: drop this CPU's cached EPT walks.
	 * An alternate EPT holds copies of tables, which INVEPT leaves: while
	 * one is in use, merged tables may still be reachable from here.
	 */
	if (!v->alt_active)
		rampart_root_ept_flushed(rs, v->cpu);
	rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
}

static __rampart_root bool intercepts(const struct rp_msr_rule *m)
{
	return m && m->action != RAMPART_ACT_ALLOW;
}

/* Copy @n bytes from the kernel's mailbox, each byte once. */
static __rampart_root void copy_in(void *dst, const u8 *src, size_t n)
{
	u8 *d = dst;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = READ_ONCE(src[i]);
}

/* poke needs a calibrated text_poke() path (vmx/root/poke.c). */
static __rampart_root bool poke_unavailable(const struct rampart_root *rs,
					    const struct rp_range_rule *r)
{
	return r->action == RAMPART_ACT_DENY && r->prot == RAMPART_PROT_POKE &&
	       !READ_ONCE(rs->poke_copy_end);
}

/* The pages of a watch: [*@start, *@end), page aligned. */
static __rampart_root void watch_pages(const struct rp_watch_rule *w,
				       u64 *start, u64 *end)
{
	*start = w->start & PAGE_MASK;
	*end = (w->end + PAGE_SIZE - 1) & PAGE_MASK;
}

/* Watches too must lie in the EPT, their splits in the pool. */
static __rampart_root int check_watches(struct rampart_root *rs,
					const struct rampart_policy *next,
					u32 need, struct rp_policy_error *e)
{
	u32 i, free = rampart_root_ept_pool_free(rs);

	for (i = 0; i < next->nwatch; i++) {
		const struct rp_watch_rule *w = &next->watch[i];
		u64 start, end;
		u32 n;

		watch_pages(w, &start, &end);
		if (w->end > rs->ept_end || end < start)
			return rp_policy_fail(e, RP_ERR_WATCH_RANGE, w->line, 0);
		n = rampart_root_ept_splits_needed(rs, start, end);
		if (n == ~0U)
			return rp_policy_fail(e, RP_ERR_WATCH_RANGE, w->line, 0);
		need += n;
		if (need > free)
			return rp_policy_fail(e, RP_ERR_EPT_POOL, w->line, 0);
	}
	return 0;
}

/*
 * Memory ranges must lie in the EPT, and the pool must hold every table
 * their splits need, before anything changes (over-counting overlaps).
 */
static __rampart_root int check_ranges(struct rampart_root *rs,
				       const struct rampart_policy *next,
				       struct rp_policy_error *e)
{
	u32 i, need = 0, free = rampart_root_ept_pool_free(rs);

	if (poke_unavailable(rs, &next->modules))
		return rp_policy_fail(e, RP_ERR_POKE_UNAVAILABLE,
				      next->modules.line, 0);
	for (i = 0; i < next->nrange; i++) {
		const struct rp_range_rule *r = &next->range[i];
		u32 n;

		if (r->end > rs->ept_end)
			return rp_policy_fail(e, RP_ERR_PHYS, r->line, 0);
		if (poke_unavailable(rs, r))
			return rp_policy_fail(e, RP_ERR_POKE_UNAVAILABLE,
					      r->line, 0);
		if (rampart_desc_guards(r) && !rampart_desc_available(rs))
			return rp_policy_fail(e, RP_ERR_DESC_UNAVAILABLE,
					      r->line, 0);
		if (!rampart_range_guarded(r))
			continue;
		n = rampart_root_ept_splits_needed(rs, r->start, r->end);
		if (n == ~0U)
			return rp_policy_fail(e, RP_ERR_PHYS, r->line, 0);
		need += n;
		if (need > free)
			return rp_policy_fail(e, RP_ERR_EPT_POOL, r->line, 0);
	}
	return check_watches(rs, next, need, e);
}

/*
 * Make the EPT follow a new policy: write-protect its guarded ranges, then
 * (after the flip) release what only the old policy guarded, in segments,
 * so no large page is split just to be released.
 */
static __rampart_root void ept_tighten(struct rampart_root *rs,
				       const struct rampart_policy *next)
{
	u32 i;

	u64 start, end;

	for (i = 0; i < next->nrange; i++)
		if (rampart_range_guarded(&next->range[i]))
			rampart_root_ept_protect(rs, next->range[i].start,
					    next->range[i].end - next->range[i].start,
					    false);
	for (i = 0; i < next->nwatch; i++) {
		watch_pages(&next->watch[i], &start, &end);
		rampart_root_ept_protect(rs, start, end - start, false);
	}
}

static __rampart_root void ept_release(struct rampart_root *rs,
				       const struct rampart_policy *old,
				       const struct rampart_policy *next)
{
	u32 i;

	u64 start, end;

	for (i = 0; i < old->nrange; i++)
		if (rampart_range_guarded(&old->range[i]))
			rampart_ept_release_run(rs, next, old->range[i].start,
						old->range[i].end);
	for (i = 0; i < old->nwatch; i++) {
		watch_pages(&old->watch[i], &start, &end);
		rampart_ept_release_run(rs, next, start, end);
	}
	if (next->modules.action != RAMPART_ACT_DENY)
		rampart_mods_release_all(rs);
}

/*
 * Stricter means stricter for module text too: after seal, no range
 * weaker than the modules rule ("allow", "log", or "poke" over "ro") may
 * cover a protected module run. rampart_mem_rule() would not let it
 * decide anyway; refusing it says so. Module runs change only under the
 * editor flag, which the caller holds.
 */
static __rampart_root int check_module_shadow(const struct rampart_root *rs,
					      const struct rampart_policy *next,
					      struct rp_policy_error *e)
{
	const struct rampart_policy *old = &rs->slot[rs->active];
	u32 i;

	if (old->modules.action != RAMPART_ACT_DENY)
		return 0;
	for (i = 0; i < next->nrange; i++) {
		const struct rp_range_rule *r = &next->range[i];

		if (rp_range_kept(&old->modules, r))
			continue;
		if (rampart_mod_covering(rs, r->start) ||
		    rampart_mod_next(rs, r->start, r->end) < r->end)
			return rp_policy_fail(e, RP_ERR_RELAXES,
					      old->modules.line, r->line);
	}
	return 0;
}

/* Compile the mailbox into @next; 0 or a negative errno with @e set. */
static __rampart_root int compile(struct rampart_root *rs,
				  struct rampart_policy *next,
				  struct rp_policy_error *e)
{
	const u8 *mb = rs->mailbox;
	struct rampart_policy_hdr h;
	u32 i;
	int err;

	copy_in(&h, mb, sizeof(h));
	err = rp_policy_check_hdr(&h, e);
	if (err)
		return err;
	rp_policy_init(next);
	for (i = 0; i < h.count; i++) {
		struct rampart_rule r;

		copy_in(&r, mb + sizeof(h) + i * sizeof(r), sizeof(r));
		err = rp_policy_add(next, &r, e);
		if (err)
			return err;
	}
	if (READ_ONCE(rs->sealed)) {
		err = rp_policy_stricter(&rs->slot[rs->active], next, e);
		err = err ?: check_module_shadow(rs, next, e);
		if (err)
			return err;
	}
	return check_ranges(rs, next, e);
}

/*
 * Publish @next: intercept its MSRs and protect its ranges first, flip,
 * then drop what only the old policy guarded. Each CPU invalidates its
 * EPT caches when it applies the new generation.
 */
static __rampart_root void publish(struct rampart_root *rs, u32 next_idx)
{
	const struct rampart_policy *next = &rs->slot[next_idx];
	const struct rampart_policy *old = &rs->slot[!next_idx];
	u32 i;

	for (i = 0; i < next->nmsr; i++)
		if (intercepts(&next->msr[i]))
			rampart_msr_intercept(rs, next->msr[i].index, true);
	ept_tighten(rs, next);
	rampart_root_lock(rs);
	rs->active = next_idx;
	WRITE_ONCE(rs->gen, rs->gen + 1);
	rampart_root_unlock(rs);
	for (i = 0; i < old->nmsr; i++)
		if (!intercepts(rp_policy_msr(next, old->msr[i].index)))
			rampart_msr_intercept(rs, old->msr[i].index, false);
	ept_release(rs, old, next);
}

/**
 * rampart_hc_policy_load() - RAMPART_HC_POLICY_LOAD.
 * @x: the exit.
 *
 * Any CPU, any time: a load racing another gets -EBUSY. Nothing in force
 * changes unless the whole policy compiles (and, sealed, relaxes nothing).
 * Every load, taken or refused, is recorded.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_hc_policy_load(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	struct rp_policy_error e = { RP_ERR_OK, 0, 0 };
	u32 next_idx;
	int err;

	if (!rampart_root_edit_begin(rs)) {
		err = -EBUSY;
		e.code = RP_ERR_BUSY;
	} else {
		/* Only a load flips the slot, and this one holds "loading". */
		next_idx = !rs->active;
		err = compile(rs, &rs->slot[next_idx], &e);
		if (!err)
			publish(rs, next_idx);
		rampart_root_edit_end(rs);
	}
	if (!err)
		rampart_root_policy_apply(x->v);
	rampart_root_event_cpu(x->v, RAMPART_CPU_EV_POLICY_LOAD,
			       err ? RAMPART_ACT_DENY : RAMPART_ACT_LOG,
			       READ_ONCE(rs->gen), ((u64)e.code << 32) | e.line);
	x->r->rax = err;
	x->r->rbx = e.code;
	x->r->rcx = ((u64)e.other << 32) | e.line;
	x->r->rdx = READ_ONCE(rs->gen);
	return rampart_skip_insn(x);
}

/**
 * rampart_hc_policy_sync() - RAMPART_HC_POLICY_SYNC: apply on this CPU.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_hc_policy_sync(struct exit_ctx *x)
{
	rampart_root_policy_apply(x->v);
	x->r->rax = 0;
	x->r->rdx = x->v->policy_gen;
	return rampart_skip_insn(x);
}

/*
 * The first CPU that must be under Rampart and is not, or
 * RAMPART_SEAL_UNLISTED for CPUs Linux does not have, or -1.
 */
static __rampart_root int cpu_missing(const struct rampart_root *rs)
{
	u32 i;

	if (rs->cpus_unlisted)
		return RAMPART_SEAL_UNLISTED;
	for (i = 0; i < RAMPART_CPU_WORDS; i++) {
		u64 out = rs->cpus_required[i] &
			  ~__atomic_load_n(&rs->cpus_in[i], __ATOMIC_ACQUIRE);

		if (out)
			return i * 64 + __builtin_ctzll(out);
	}
	return -1;
}

/**
 * rampart_hc_seal() - RAMPART_HC_SEAL: one-way.
 * @x: the exit.
 *
 * A CPU outside Rampart can write root memory, so sealing needs every
 * CPU that was present at load under Rampart (DESIGN.md, "INIT, SIPI and
 * CPUs that were never launched"), and no CPU the firmware lists beyond
 * them: -EBUSY otherwise, with RBX = the first CPU missing, or
 * RAMPART_SEAL_UNLISTED. A CPU cannot leave once sealed (hc_devirt).
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_hc_seal(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	int missing;

	/* Under the policy lock, so no DEVIRT slips in between (exit.c). */
	rampart_root_lock(rs);
	missing = cpu_missing(rs);
	if (missing < 0)
		WRITE_ONCE(rs->sealed, 1);
	rampart_root_unlock(rs);
	x->r->rax = missing < 0 ? 0 : -EBUSY;
	x->r->rbx = missing;
	return rampart_skip_insn(x);
}
