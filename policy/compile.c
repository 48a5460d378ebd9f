// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validate binary rules and compile them into a struct rampart_policy.
 * This runs in VMX root, on root's own copy of each rule: it is the one
 * judge of what a rule means (DESIGN.md principles 1 and 5). It calls no
 * function outside this directory and builds in user space unchanged.
 */
#include "policy.h"

#define BIT64(n)	(1ULL << (n))

/* Bits a rule may name (SDM Vol. 3A 2.5): the rest are reserved. */
static const u64 cr_known[RP_CR_NR] RP_ROOT_RO = {
	[RP_CR0] = 0xe005003fULL,	/* PE MP EM TS ET NE WP AM NW CD PG */
	/* VME .. PKS (bit 15 reserved), LASS 27, LAM_SUP 28, FRED 32 */
	[RP_CR4] = 0x119ff7fffULL,
};

/*
 * Bits the kernel itself changes at run time, which would make locking
 * them break the kernel or put exits on a hot path:
 *   CR0.MP/EM/TS: FPU state (CLTS and LMSW are not emulated either);
 *   CR0.NW/CD: cache control around MTRR and PAT updates;
 *   CR4.TSD/PCE: per task, on context switch (prctl, perf rdpmc);
 *   CR4.PGE: toggled by every global TLB flush.
 */
static const u64 cr_hot[RP_CR_NR] RP_ROOT_RO = {
	[RP_CR0] = BIT64(1) | BIT64(2) | BIT64(3) | BIT64(29) | BIT64(30),
	[RP_CR4] = BIT64(2) | BIT64(7) | BIT64(8),
};

#define CR4_VMXE	BIT64(13)

struct msr_span {
	u32 first, last;
	u32 err;
};

/*
 * MSRs a rule may not name. Hot: written on context switch, timer or
 * interrupt paths, so a rule would put exits there (DESIGN.md "Container
 * hosts"). VMCS: loaded and saved through the VMCS guest-state area on
 * every transition, which root does not emulate (SDM 25.4.1, 27.3.2.1).
 */
static const struct msr_span msr_refused[] RP_ROOT_RO = {
	{ 0x10, 0x10, RP_ERR_MSR_HOT },		/* TSC: clocksource sync */
	{ 0x48, 0x49, RP_ERR_MSR_HOT },		/* SPEC_CTRL, PRED_CMD */
	{ 0x10b, 0x10b, RP_ERR_MSR_HOT },	/* FLUSH_CMD */
	{ 0xc1, 0xc8, RP_ERR_MSR_HOT },		/* perf counters */
	{ 0x186, 0x18f, RP_ERR_MSR_HOT },	/* perf event selects */
	{ 0x1d9, 0x1d9, RP_ERR_MSR_VMCS },	/* DEBUGCTL */
	{ 0x277, 0x277, RP_ERR_MSR_VMCS },	/* PAT */
	{ 0x309, 0x30b, RP_ERR_MSR_HOT },	/* fixed perf counters */
	{ 0x38d, 0x390, RP_ERR_MSR_HOT },	/* perf global control */
	{ 0x570, 0x570, RP_ERR_MSR_VMCS },	/* RTIT_CTL: VMCS, or root's own */
	{ 0x6e0, 0x6e0, RP_ERR_MSR_HOT },	/* TSC_DEADLINE: timers */
	{ 0x800, 0x8ff, RP_ERR_MSR_HOT },	/* x2APIC: EOI, ICR, timer */
	{ 0xc0000100, 0xc0000101, RP_ERR_MSR_VMCS },	/* FS/GS base */
	{ 0xc0000102, 0xc0000102, RP_ERR_MSR_HOT },	/* KERNEL_GS_BASE */
};

/* The ranges the MSR bitmap covers (SDM 25.6.9). */
static RP_ROOT bool msr_in_bitmap(u64 index)
{
	return index <= 0x1fff ||
	       (index >= 0xc0000000 && index <= 0xc0001fff);
}

/**
 * rp_policy_init() - an empty policy: nothing protected.
 * @p: the policy.
 */
RP_ROOT void rp_policy_init(struct rampart_policy *p)
{
	u8 *b = (u8 *)p;
	size_t i;

	/*
	 * One store at a time: no compiler may turn the loop into a memset()
	 * call into the kernel from root code (GCC's flag against it,
	 * -fno-tree-loop-distribute-patterns, has no clang equivalent).
	 */
	for (i = 0; i < sizeof(*p); i++)
		WRITE_ONCE(b[i], 0);
}

/**
 * rp_cr_index() - the policy's index for a control register.
 * @cr: 0 or 4.
 *
 * Return: RP_CR0, RP_CR4, or -1 for any other register.
 */
RP_ROOT int rp_cr_index(u64 cr)
{
	return cr == 0 ? RP_CR0 : cr == 4 ? RP_CR4 : -1;
}

/**
 * rp_policy_check_hdr() - check a binary policy header.
 * @h: root's copy of the header.
 * @e: the error, on failure.
 *
 * Return: 0 or a negative errno.
 */
RP_ROOT int rp_policy_check_hdr(const struct rampart_policy_hdr *h,
				struct rp_policy_error *e)
{
	if (h->magic != RAMPART_POLICY_MAGIC ||
	    h->version != RAMPART_POLICY_VERSION || h->reserved)
		return rp_policy_fail(e, RP_ERR_HEADER, 0, 0);
	if (h->count > RAMPART_POLICY_MAX_RULES)
		return rp_policy_fail(e, RP_ERR_TOO_MANY, 0, 0);
	return 0;
}

static RP_ROOT int add_cr(struct rampart_policy *p,
			  const struct rampart_rule *r,
			  struct rp_policy_error *e)
{
	int cri = rp_cr_index(r->id);
	unsigned int b;

	if (cri < 0)
		return rp_policy_fail(e, RP_ERR_CR_NR, r->line, 0);
	if (!r->mask)
		return rp_policy_fail(e, RP_ERR_CR_EMPTY, r->line, 0);
	if (r->mask & ~cr_known[cri])
		return rp_policy_fail(e, RP_ERR_CR_RESERVED, r->line, 0);
	if (r->prot != RAMPART_PROT_LOCK)
		return rp_policy_fail(e, RP_ERR_CR_PROT, r->line, 0);
	if (r->action != RAMPART_ACT_ALLOW) {
		if (cri == RP_CR4 && (r->mask & CR4_VMXE))
			return rp_policy_fail(e, RP_ERR_CR_OWNED, r->line, 0);
		if (r->mask & cr_hot[cri])
			return rp_policy_fail(e, RP_ERR_CR_HOT, r->line, 0);
	}
	for (b = 0; b < 64; b++) {
		const struct rp_cr_rule *c = &p->cr[cri][b];

		if ((r->mask & BIT64(b)) && c->action &&
		    (c->action != r->action || c->deny != r->deny))
			return rp_policy_fail(e, RP_ERR_CONFLICT, r->line, c->line);
	}
	for (b = 0; b < 64; b++) {
		struct rp_cr_rule *c = &p->cr[cri][b];

		if (!(r->mask & BIT64(b)) || c->action)
			continue;
		c->action = r->action;
		c->deny = r->deny;
		c->line = r->line;
		if (r->action != RAMPART_ACT_ALLOW)
			p->cr_owned[cri] |= BIT64(b);
	}
	return 0;
}

/* Index of the first MSR rule >= @index (binary search). */
static RP_ROOT u32 msr_slot(const struct rampart_policy *p, u32 index)
{
	u32 lo = 0, hi = p->nmsr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (p->msr[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * rp_policy_msr() - the rule for an MSR.
 * @p: the policy.
 * @index: the MSR.
 *
 * Return: the rule, or NULL if the policy does not name @index.
 */
RP_ROOT const struct rp_msr_rule *rp_policy_msr(const struct rampart_policy *p,
						u32 index)
{
	u32 i = msr_slot(p, index);

	return i < p->nmsr && p->msr[i].index == index ? &p->msr[i] : NULL;
}

static RP_ROOT int add_msr(struct rampart_policy *p,
			   const struct rampart_rule *r,
			   struct rp_policy_error *e)
{
	struct rp_msr_rule *m;
	unsigned int k;
	u32 i;

	if (!msr_in_bitmap(r->id))
		return rp_policy_fail(e, RP_ERR_MSR_RANGE, r->line, 0);
	if (r->prot == RAMPART_PROT_POKE)
		return rp_policy_fail(e, RP_ERR_MSR_PROT, r->line, 0);
	if (!r->mask)
		return rp_policy_fail(e, RP_ERR_MSR_EMPTY, r->line, 0);
	for (k = 0; r->action != RAMPART_ACT_ALLOW &&
		    k < ARRAY_SIZE(msr_refused); k++)
		if (r->id >= msr_refused[k].first && r->id <= msr_refused[k].last)
			return rp_policy_fail(e, msr_refused[k].err, r->line, 0);
	i = msr_slot(p, r->id);
	if (i < p->nmsr && p->msr[i].index == r->id) {
		m = &p->msr[i];
		if (m->prot != r->prot || m->action != r->action ||
		    m->deny != r->deny || m->mask != r->mask)
			return rp_policy_fail(e, RP_ERR_CONFLICT, r->line, m->line);
		return 0;	/* the same rule again */
	}
	if (p->nmsr >= RAMPART_POLICY_MAX_MSRS)
		return rp_policy_fail(e, RP_ERR_MSR_TOO_MANY, r->line, 0);
	for (k = p->nmsr; k > i; k--)
		p->msr[k] = p->msr[k - 1];
	p->nmsr++;
	m = &p->msr[i];
	m->index = r->id;
	m->prot = r->prot;
	m->action = r->action;
	m->deny = r->deny;
	m->line = r->line;
	m->mask = r->mask;
	return 0;
}

/* The one rule for every module's text and rodata: no extent of its own. */
static RP_ROOT int add_modules(struct rampart_policy *p,
			       const struct rampart_rule *r,
			       struct rp_policy_error *e)
{
	struct rp_range_rule *m = &p->modules;

	if (r->id || r->mask)
		return rp_policy_fail(e, RP_ERR_FIELD, r->line, 0);
	if (m->action && (m->action != r->action || m->prot != r->prot))
		return rp_policy_fail(e, RP_ERR_CONFLICT, r->line, m->line);
	if (!m->action) {
		m->action = r->action;
		m->prot = r->prot;
		m->name = RAMPART_RANGE_MODULES;
		m->line = r->line;
	}
	return 0;
}

/* poke: only text, which the kernel patches through text_poke(). */
static RP_ROOT bool prot_fits(const struct rampart_rule *r)
{
	return r->prot == RAMPART_PROT_RO ||
	       (r->prot == RAMPART_PROT_POKE &&
		r->kind == RAMPART_ASSET_RANGE &&
		(r->range == RAMPART_RANGE_KERNEL_TEXT ||
		 r->range == RAMPART_RANGE_MODULES));
}

/*
 * A physical range, or a named one the kernel side resolved. Ranges of
 * different actions or protections must not overlap; ranges are kept
 * sorted by start. Root checks the end against the memory the EPT maps
 * (vmx/policy.c).
 */
static RP_ROOT int add_mem(struct rampart_policy *p,
			   const struct rampart_rule *r,
			   struct rp_policy_error *e)
{
	u64 start = r->id, end = r->id + r->mask;
	struct rp_range_rule *m;
	u32 i, k;

	if (r->kind == RAMPART_ASSET_RANGE) {
		if (!r->range || r->range >= RAMPART_RANGE_NR)
			return rp_policy_fail(e, RP_ERR_RANGE_NAME, r->line, 0);
		if (!r->mask && r->range != RAMPART_RANGE_MODULES)
			return rp_policy_fail(e, RP_ERR_RANGE_LATER, r->line, 0);
	} else if (r->range) {
		return rp_policy_fail(e, RP_ERR_FIELD, r->line, 0);
	}
	if (!prot_fits(r))
		return rp_policy_fail(e, RP_ERR_RANGE_PROT, r->line, 0);
	if (r->action == RAMPART_ACT_LOG && r->prot == RAMPART_PROT_POKE)
		return rp_policy_fail(e, RP_ERR_RANGE_LOG, r->line, 0);
	if (r->range == RAMPART_RANGE_MODULES)
		return add_modules(p, r, e);
	if (!r->mask || ((start | r->mask) & 0xfff) || end < start)
		return rp_policy_fail(e, RP_ERR_PHYS, r->line, 0);
	for (i = 0; i < p->nrange; i++) {
		m = &p->range[i];
		if (start < m->end && m->start < end &&
		    (m->action != r->action || m->prot != r->prot))
			return rp_policy_fail(e, RP_ERR_CONFLICT, r->line, m->line);
		if (start == m->start && end == m->end && m->name == r->range)
			return 0;	/* the same range again */
	}
	if (p->nrange >= RAMPART_POLICY_MAX_RANGES)
		return rp_policy_fail(e, RP_ERR_RANGE_TOO_MANY, r->line, 0);
	for (i = 0; i < p->nrange && p->range[i].start <= start; i++)
		;
	for (k = p->nrange; k > i; k--)
		p->range[k] = p->range[k - 1];
	p->nrange++;
	m = &p->range[i];
	m->start = start;
	m->end = end;
	m->action = r->action;
	m->prot = r->prot;
	m->name = r->range;
	m->line = r->line;
	return 0;
}

/**
 * rp_policy_range() - the range rule that covers a guest-physical address.
 * @p: the policy.
 * @gpa: the address.
 *
 * Return: the first covering rule by start, or NULL.
 */
RP_ROOT const struct rp_range_rule *rp_policy_range(const struct rampart_policy *p,
						    u64 gpa)
{
	u32 i;

	for (i = 0; i < p->nrange && p->range[i].start <= gpa; i++)
		if (gpa < p->range[i].end)
			return &p->range[i];
	return NULL;
}

/*
 * vmx.nested: allow has root emulate VMX for the kernel, deny hides it.
 * Neither reads a written value, so there is no "ro" or "poke", nothing
 * to "log", and a denied VMX instruction raises #UD, neither #GP nor
 * "ignore". The same rule again is merged; allow and deny conflict.
 */
static RP_ROOT int add_vmx(struct rampart_policy *p,
			   const struct rampart_rule *r,
			   struct rp_policy_error *e)
{
	struct rp_feature_rule *f = &p->vmx_nested;

	if (r->id != RAMPART_VMX_NESTED)
		return rp_policy_fail(e, RP_ERR_VMX_NAME, r->line, 0);
	if (r->mask || r->range)
		return rp_policy_fail(e, RP_ERR_FIELD, r->line, 0);
	if (r->prot != RAMPART_PROT_LOCK)
		return rp_policy_fail(e, RP_ERR_VMX_PROT, r->line, 0);
	if (r->action == RAMPART_ACT_LOG)
		return rp_policy_fail(e, RP_ERR_VMX_ACTION, r->line, 0);
	if (r->deny)
		return rp_policy_fail(e, RP_ERR_VMX_DENY_MODE, r->line, 0);
	if (f->action && f->action != r->action)
		return rp_policy_fail(e, RP_ERR_CONFLICT, r->line, f->line);
	if (!f->action) {
		f->action = r->action;
		f->line = r->line;
	}
	return 0;
}

/* The first watch of @p that ends after @a (watches never overlap). */
static RP_ROOT u32 watch_index(const struct rampart_policy *p, u64 a)
{
	u32 lo = 0, hi = p->nwatch < RAMPART_WATCH_MAX ? p->nwatch :
			 RAMPART_WATCH_MAX;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (p->watch[mid].end <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * rp_policy_watch() - the first watch that overlaps [@start, @end).
 * @p: a compiled policy.
 * @start: start of the bytes, guest-physical.
 * @end: their end.
 *
 * Return: the watch, or NULL.
 */
RP_ROOT const struct rp_watch_rule *rp_policy_watch(const struct rampart_policy *p,
						    u64 start, u64 end)
{
	u32 i = watch_index(p, start);

	return i < p->nwatch && i < RAMPART_WATCH_MAX &&
	       p->watch[i].start < end ? &p->watch[i] : NULL;
}

/*
 * Pages [@start, @end) adds to those the watches touch, if it goes in at
 * @i: a page it shares with the watch before or after is counted already.
 */
static RP_ROOT u32 new_pages(const struct rampart_policy *p, u32 i, u64 start,
			     u64 end)
{
	u64 first = start >> 12, last = (end - 1) >> 12;
	u32 n = last - first + 1;

	if (i > 0 && (p->watch[i - 1].end - 1) >> 12 == first) {
		n--;
		first++;
	}
	if (first <= last && i < p->nwatch && p->watch[i].start >> 12 == last)
		n--;
	return n;
}

/*
 * One piece of a write-watch. Watches are byte ranges, "ro log" only,
 * sorted and disjoint: the same piece again merges, an overlap conflicts.
 */
static RP_ROOT int add_watch(struct rampart_policy *p,
			     const struct rampart_rule *r,
			     struct rp_policy_error *e)
{
	u64 start = r->id, end = r->id + r->mask;
	struct rp_watch_rule *w;
	u32 i, k, pages;

	if (r->range)
		return rp_policy_fail(e, RP_ERR_FIELD, r->line, 0);
	if (r->prot != RAMPART_PROT_RO || r->action != RAMPART_ACT_LOG)
		return rp_policy_fail(e, RP_ERR_WATCH_RULE, r->line, 0);
	if (!r->id && !r->mask)
		return rp_policy_fail(e, RP_ERR_WATCH_LATER, r->line, 0);
	if (!r->mask || end < start)
		return rp_policy_fail(e, RP_ERR_WATCH_RANGE, r->line, 0);
	i = watch_index(p, start);
	if (i < p->nwatch && p->watch[i].start < end) {
		if (p->watch[i].start == start && p->watch[i].end == end)
			return 0;	/* the same piece again */
		return rp_policy_fail(e, RP_ERR_CONFLICT, r->line,
				      p->watch[i].line);
	}
	pages = end - start > (u64)RAMPART_WATCH_MAX_PAGES << 12 ?
		RAMPART_WATCH_MAX_PAGES + 1 : new_pages(p, i, start, end);
	if (p->nwatch >= RAMPART_WATCH_MAX ||
	    p->nwatch_pages + pages > RAMPART_WATCH_MAX_PAGES)
		return rp_policy_fail(e, RP_ERR_WATCH_TOO_MANY, r->line, 0);
	for (k = p->nwatch; k > i; k--)
		p->watch[k] = p->watch[k - 1];
	p->nwatch++;
	p->nwatch_pages += pages;
	w = &p->watch[i];
	w->start = start;
	w->end = end;
	w->line = r->line;
	w->reserved = 0;
	return 0;
}

static int (*const add_kind[RAMPART_ASSET_NR])(struct rampart_policy *,
					       const struct rampart_rule *,
					       struct rp_policy_error *) RP_ROOT_RO = {
	[RAMPART_ASSET_CR] = add_cr,
	[RAMPART_ASSET_MSR] = add_msr,
	[RAMPART_ASSET_PHYS] = add_mem,
	[RAMPART_ASSET_RANGE] = add_mem,
	[RAMPART_ASSET_VMX] = add_vmx,
	[RAMPART_ASSET_WATCH] = add_watch,
};

/**
 * rp_policy_add() - validate one rule and merge it into a policy.
 * @p: the policy being built.
 * @r: the rule, in memory the caller owns (root: its own copy).
 * @e: the error, on failure; @p is then unusable.
 *
 * Return: 0 or a negative errno.
 */
RP_ROOT int rp_policy_add(struct rampart_policy *p,
			  const struct rampart_rule *r,
			  struct rp_policy_error *e)
{
	bool deny = r->action == RAMPART_ACT_DENY;
	int err;

	if (p->nrules >= RAMPART_POLICY_MAX_RULES)
		return rp_policy_fail(e, RP_ERR_TOO_MANY, r->line, 0);
	if (r->kind >= RAMPART_ASSET_NR || !add_kind[r->kind] ||
	    !r->prot || r->prot >= RAMPART_PROT_NR ||
	    !r->action || r->action >= RAMPART_ACT_NR ||
	    r->deny >= RAMPART_DENY_NR || (r->deny && !deny) || r->reserved ||
	    (deny && !r->deny && (r->kind == RAMPART_ASSET_CR ||
				  r->kind == RAMPART_ASSET_MSR)))
		return rp_policy_fail(e, RP_ERR_FIELD, r->line, 0);
	err = add_kind[r->kind](p, r, e);
	if (!err)
		p->nrules++;
	return err;
}

/* How much a memory protection forbids: poke lets text_poke() through. */
static RP_ROOT int mem_strength(u8 prot)
{
	return prot == RAMPART_PROT_RO ? 2 : prot == RAMPART_PROT_POKE;
}

/**
 * rp_range_kept() - is a range rule at least as strict as another?
 * @o: a logged or denied range rule (or the modules rule).
 * @n: the rule that would decide instead.
 *
 * "log" may become "deny", "poke" may become "ro", never the reverse.
 *
 * Return: true if @n is at least as strict as @o.
 */
RP_ROOT bool rp_range_kept(const struct rp_range_rule *o,
			   const struct rp_range_rule *n)
{
	if (n->action < o->action)
		return false;
	return o->action != RAMPART_ACT_DENY ||
	       mem_strength(n->prot) >= mem_strength(o->prot);
}

/* Is @new at least as strict as @old for one asset? */
static RP_ROOT bool not_weaker(u8 old_act, u8 old_deny, u8 new_act,
			       u8 new_deny)
{
	if (new_act < old_act)
		return false;
	/* Changing how a denial looks is not a relaxation, but not allowed either. */
	return old_act != RAMPART_ACT_DENY || new_deny == old_deny;
}

/**
 * rp_policy_idt_rule() - the strictest rule that names range.idt.
 * @p: a compiled policy.
 *
 * Its action decides the descriptor-table guard (vmx/root/desc.c), which
 * follows the rule's name, not its extent.
 *
 * Return: the rule, or NULL if no range rule names the IDT.
 */
RP_ROOT const struct rp_range_rule *
rp_policy_idt_rule(const struct rampart_policy *p)
{
	const struct rp_range_rule *r = NULL;
	u32 i;

	for (i = 0; i < p->nrange && i < RAMPART_POLICY_MAX_RANGES; i++)
		if (p->range[i].name == RAMPART_RANGE_IDT &&
		    (!r || p->range[i].action > r->action))
			r = &p->range[i];
	return r;
}

/*
 * Is a watch of the old policy still recorded, or denied outright, under
 * @new? A "log" range records no bytes, and "poke" lets text_poke()
 * write unrecorded: neither keeps a watch.
 */
static RP_ROOT bool watch_kept(const struct rp_watch_rule *o,
			       const struct rampart_policy *new)
{
	const struct rp_watch_rule *w = rp_policy_watch(new, o->start, o->end);
	u32 k;

	if (w && w->start <= o->start && w->end >= o->end)
		return true;
	for (k = 0; k < new->nrange && k < RAMPART_POLICY_MAX_RANGES; k++)
		if (new->range[k].action == RAMPART_ACT_DENY &&
		    new->range[k].prot == RAMPART_PROT_RO &&
		    new->range[k].start <= o->start &&
		    new->range[k].end >= o->end)
			return true;
	return false;
}

/**
 * rp_policy_stricter() - check that @new relaxes nothing in @old.
 * @old: the sealed policy in force.
 * @new: the candidate.
 * @e: on failure, the code and the line of the old rule @new relaxes.
 *
 * Every bit and MSR that @old logs or denies must be logged or denied at
 * least as strictly by @new, with the same deny mode; an MSR's mask may
 * only grow and "lock" may only become "ro"; every denied memory range
 * and logged memory range must lie inside one range of @new at least as
 * strict ("poke" may become "ro", not the reverse; "log" may become
 * "deny"), the modules rule must stay, and so must a range.idt rule's
 * action, which also guards IDTR and GDTR (a phys rule over the same
 * page would keep the page, not the registers). VMX emulation may be
 * turned off, never on: "vmx.nested lock allow" may become deny or go,
 * and a policy that hides VMX (deny, or no vmx rule: then the error's
 * line is 0) cannot be followed by one that allows it. Every watch must
 * lie inside a watch of @new, or inside a range @new denies "ro".
 *
 * Return: 0 or -EPERM.
 */
RP_ROOT int rp_policy_stricter(const struct rampart_policy *old,
			       const struct rampart_policy *new,
			       struct rp_policy_error *e)
{
	const struct rp_range_rule *o_idt, *n_idt;
	int cri;
	u32 b, i;

	for (cri = 0; cri < RP_CR_NR; cri++) {
		for (b = 0; b < 64; b++) {
			const struct rp_cr_rule *o = &old->cr[cri][b];
			const struct rp_cr_rule *n = &new->cr[cri][b];

			if (o->action > RAMPART_ACT_ALLOW &&
			    !not_weaker(o->action, o->deny, n->action, n->deny))
				return rp_policy_fail(e, RP_ERR_RELAXES, o->line, n->line);
		}
	}
	for (i = 0; i < old->nmsr; i++) {
		const struct rp_msr_rule *o = &old->msr[i];
		const struct rp_msr_rule *n = rp_policy_msr(new, o->index);

		if (o->action == RAMPART_ACT_ALLOW)
			continue;
		if (!n || !not_weaker(o->action, o->deny, n->action, n->deny) ||
		    n->prot < o->prot || (n->mask & o->mask) != o->mask)
			return rp_policy_fail(e, RP_ERR_RELAXES, o->line, n ? n->line : 0);
	}
	/* Every guarded range stays inside one range of @new as strict. */
	for (i = 0; i < old->nrange; i++) {
		const struct rp_range_rule *o = &old->range[i];
		u32 k;

		if (o->action == RAMPART_ACT_ALLOW)
			continue;
		for (k = 0; k < new->nrange; k++)
			if (rp_range_kept(o, &new->range[k]) &&
			    new->range[k].start <= o->start &&
			    new->range[k].end >= o->end)
				break;
		if (k == new->nrange)
			return rp_policy_fail(e, RP_ERR_RELAXES, o->line, 0);
	}
	/* Every watch stays: inside a watch of @new, or a guarded range. */
	for (i = 0; i < old->nwatch && i < RAMPART_WATCH_MAX; i++)
		if (!watch_kept(&old->watch[i], new))
			return rp_policy_fail(e, RP_ERR_RELAXES,
					      old->watch[i].line, 0);
	o_idt = rp_policy_idt_rule(old);
	n_idt = rp_policy_idt_rule(new);
	if (o_idt && o_idt->action > RAMPART_ACT_ALLOW &&
	    (!n_idt || n_idt->action < o_idt->action))
		return rp_policy_fail(e, RP_ERR_RELAXES, o_idt->line,
				      n_idt ? n_idt->line : 0);
	if (old->modules.action == RAMPART_ACT_DENY &&
	    !rp_range_kept(&old->modules, &new->modules))
		return rp_policy_fail(e, RP_ERR_RELAXES, old->modules.line,
				      new->modules.line);
	if (!rp_policy_nested(old) && rp_policy_nested(new))
		return rp_policy_fail(e, RP_ERR_RELAXES, old->vmx_nested.line,
				      new->vmx_nested.line);
	return 0;
}
