// SPDX-License-Identifier: GPL-2.0-only
/*
 * What guards a page of the shared EPT (root side): the policy's ranges,
 * then the module runs the modules rule protects. Root decides a write by
 * one snapshot of the rule in force, and gives pages back (W=1) only where
 * no rule of the policy that stays in force still guards them.
 */
#include <linux/types.h>
#include <asm/page_types.h>

#include "../../vmx/root/lock.h"
#include "../../vmx/root/root.h"
#include "../../vmx/root/rootstate.h"
#include "ept.h"
#include "guard.h"

/**
 * rampart_mem_rule() - the rule that guards a guest-physical address.
 * @rs: root state; the caller holds the policy lock.
 * @p: the policy in force.
 * @gpa: the address.
 *
 * Return: the modules rule if @gpa is in a module run it protects and no
 * range at least as strict covers @gpa; else the policy range, or NULL.
 */
__rampart_root const struct rp_range_rule *
rampart_mem_rule(const struct rampart_root *rs, const struct rampart_policy *p,
		 u64 gpa)
{
	const struct rp_range_rule *r = rp_policy_range(p, gpa);

	/*
	 * In a protected module run, a range decides only if it is at least
	 * as strict as the modules rule: no range, loaded before or after
	 * the module, can let its text be written or mute its events.
	 */
	if (p->modules.action == RAMPART_ACT_DENY &&
	    (!r || !rp_range_kept(&p->modules, r)) &&
	    rampart_mod_covering(rs, gpa))
		return &p->modules;
	return r;
}

/* The first watch on the page of @a, or NULL. */
static __rampart_root const struct rp_watch_rule *
watch_on_page(const struct rampart_policy *p, u64 a)
{
	return rp_policy_watch(p, a & PAGE_MASK, (a & PAGE_MASK) + PAGE_SIZE);
}

/**
 * rampart_mem_rule_get() - copy the rule in force that guards @gpa.
 * @rs: root state.
 * @gpa: the address.
 * @out: the copy, taken under the policy lock.
 * @gen: set to the generation of the policy it comes from.
 *
 * A page with a watch that no range logs or denies gets the watch page
 * rule: "ro log" over the page, named RP_RANGE_WATCH, with the line of
 * its first watch (vmx/root/watch.c records only what overlaps a watch).
 *
 * Return: true if a rule guards @gpa.
 */
__rampart_root bool rampart_mem_rule_get(struct rampart_root *rs, u64 gpa,
					 struct rp_range_rule *out, u64 *gen)
{
	const struct rampart_policy *p;
	const struct rp_range_rule *r;
	const struct rp_watch_rule *w = NULL;

	rampart_root_lock(rs);
	*gen = rs->gen;
	p = &rs->slot[rs->active];
	r = rampart_mem_rule(rs, p, gpa);
	if (!r || !rampart_range_guarded(r))
		w = watch_on_page(p, gpa);
	if (w) {
		out->start = gpa & PAGE_MASK;
		out->end = out->start + PAGE_SIZE;
		out->action = RAMPART_ACT_LOG;
		out->prot = RAMPART_PROT_RO;
		out->name = RP_RANGE_WATCH;
		out->line = w->line;
	} else if (r) {
		*out = *r;
	}
	rampart_root_unlock(rs);
	return r || w;
}

/**
 * rampart_mod_index() - where @a falls among the module runs, which are
 * sorted by start and never overlap (vmx/root/modtext.c).
 * @rs: root state.
 * @a: the address.
 *
 * Return: how many runs start at or below @a.
 */
__rampart_root u32 rampart_mod_index(const struct rampart_root *rs, u64 a)
{
	u32 lo = 0, hi = rs->nmods;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (rs->mods[mid].start <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * rampart_mod_covering() - the end of the module run that covers @a.
 * @rs: root state.
 * @a: the address.
 *
 * Return: the end, or 0 if no run covers @a.
 */
__rampart_root u64 rampart_mod_covering(const struct rampart_root *rs, u64 a)
{
	u32 i = rampart_mod_index(rs, a);

	return i && a < rs->mods[i - 1].end ? rs->mods[i - 1].end : 0;
}

/**
 * rampart_mod_next() - the first module run that starts in (@a, @end).
 * @rs: root state.
 * @a: from.
 * @end: limit.
 *
 * Return: its start, or @end.
 */
__rampart_root u64 rampart_mod_next(const struct rampart_root *rs, u64 a,
				    u64 end)
{
	u32 i = rampart_mod_index(rs, a);

	return i < rs->nmods && rs->mods[i].start < end ? rs->mods[i].start :
	       end;
}

/* Is @a inside a range @p guards? Then where does that range end. */
static __rampart_root u64 denied_until(const struct rampart_root *rs,
				       const struct rampart_policy *p, u64 a)
{
	u64 until = 0;
	u32 i;

	for (i = 0; i < p->nrange; i++)
		if (rampart_range_guarded(&p->range[i]) &&
		    p->range[i].start <= a && a < p->range[i].end &&
		    p->range[i].end > until)
			until = p->range[i].end;
	if (!until && p->modules.action == RAMPART_ACT_DENY)
		until = rampart_mod_covering(rs, a);
	if (!until && watch_on_page(p, a))
		until = (a & PAGE_MASK) + PAGE_SIZE;
	return until;
}

/* The first range @p guards that starts after @a, or @end. */
static __rampart_root u64 next_denied(const struct rampart_root *rs,
				      const struct rampart_policy *p, u64 a,
				      u64 end)
{
	const struct rp_watch_rule *w;
	u32 i;

	for (i = 0; i < p->nrange; i++)
		if (rampart_range_guarded(&p->range[i]) &&
		    p->range[i].start > a && p->range[i].start < end)
			end = p->range[i].start;
	if (p->modules.action == RAMPART_ACT_DENY)
		end = rampart_mod_next(rs, a, end);
	/* @a's own page holds no watch, or denied_until() would have said. */
	w = rp_policy_watch(p, a, end);
	if (w && (w->start & PAGE_MASK) > a && (w->start & PAGE_MASK) < end)
		end = w->start & PAGE_MASK;
	return end;
}

/**
 * rampart_ept_release_run() - make [@a, @end) writable again, except
 * what @p still guards, in segments, so no large page is split just to
 * be released.
 * @rs: root state; the caller is the EPT editor.
 * @p: the policy that stays in force.
 * @a: start.
 * @end: end.
 */
__rampart_root void rampart_ept_release_run(struct rampart_root *rs,
					    const struct rampart_policy *p,
					    u64 a, u64 end)
{
	while (a < end) {
		u64 until = denied_until(rs, p, a), seg;

		if (until) {
			a = until;
			continue;
		}
		seg = next_denied(rs, p, a, end);
		rampart_root_ept_protect(rs, a, seg - a, true);
		a = seg;
	}
}

