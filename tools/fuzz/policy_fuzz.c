// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the policy code: parser, compiler, renderer and
 * decisions (everything in policy/), built with ASan and UBSan by tools/fuzz/run.sh.
 *
 * Each input is used twice:
 *
 *  - as policy text: parse (half the inputs with fuzz_resolve(), a
 *    stand-in for the kernel's watch resolver); if it parses, compile
 *    rule by rule as root does; if that succeeds, render, parse and
 *    compile the rendered text and check that it compiles to the same
 *    policy, and that rendering that gives the same text again (the
 *    canonical form is a fixpoint);
 *  - as an array of binary rules (struct rampart_rule), which is what
 *    root really receives from the kernel: compile, and on success the
 *    same round trip through text.
 *
 * Every compiled policy is then checked against rp_policy_stricter() and
 * run through rp_decide_cr()/rp_decide_msr() on values derived from the
 * input, against a model of what the verdict must be. A broken invariant
 * aborts, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif

#define RENDER_MAX	(256u << 10)

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "policy_fuzz: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static struct rampart_rule rules[RAMPART_POLICY_MAX_RULES];
static struct rampart_policy pol, again, empty;
static char text1[RENDER_MAX], text2[RENDER_MAX];

/* splitmix64: values for the decision checks, from the input. */
static u64 next_rand(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 hash(const u8 *data, size_t size)
{
	u64 h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	return h;
}

static void check_error(const struct rp_policy_error *e, int err)
{
	CHECK(err < 0);
	CHECK(e->code > RP_ERR_OK && e->code < RP_ERR_NR);
	CHECK(err == rp_policy_errno(e->code));
	CHECK(rp_policy_strerror(e->code)[0]);
}

/* The compiled form two policies must share; lines and nrules may differ. */
static void check_same(const struct rampart_policy *a,
		       const struct rampart_policy *b)
{
	u32 c, i;

	for (c = 0; c < RP_CR_NR; c++) {
		CHECK(a->cr_owned[c] == b->cr_owned[c]);
		for (i = 0; i < 64; i++) {
			CHECK(a->cr[c][i].action == b->cr[c][i].action);
			CHECK(a->cr[c][i].deny == b->cr[c][i].deny);
		}
	}
	CHECK(a->nmsr == b->nmsr);
	for (i = 0; i < a->nmsr; i++) {
		CHECK(a->msr[i].index == b->msr[i].index);
		CHECK(a->msr[i].prot == b->msr[i].prot);
		CHECK(a->msr[i].action == b->msr[i].action);
		CHECK(a->msr[i].deny == b->msr[i].deny);
		CHECK(a->msr[i].mask == b->msr[i].mask);
	}
	CHECK(a->nrange == b->nrange);
	for (i = 0; i < a->nrange; i++) {
		CHECK(a->range[i].start == b->range[i].start);
		CHECK(a->range[i].end == b->range[i].end);
		CHECK(a->range[i].action == b->range[i].action);
		CHECK(a->range[i].prot == b->range[i].prot);
	}
	CHECK(a->modules.action == b->modules.action);
	CHECK(a->modules.prot == b->modules.prot);
	CHECK(a->vmx_nested.action == b->vmx_nested.action);
	CHECK(a->nwatch == b->nwatch);
	CHECK(a->nwatch_pages == b->nwatch_pages);
	for (i = 0; i < a->nwatch; i++) {
		CHECK(a->watch[i].start == b->watch[i].start);
		CHECK(a->watch[i].end == b->watch[i].end);
	}
}

/* What any compiled policy must look like. */
static void check_shape(const struct rampart_policy *p)
{
	u64 pages = 0;
	u32 c, i;

	for (c = 0; c < RP_CR_NR; c++) {
		for (i = 0; i < 64; i++) {
			const struct rp_cr_rule *r = &p->cr[c][i];
			bool owned = p->cr_owned[c] & (1ULL << i);

			CHECK(r->action < RAMPART_ACT_NR);
			CHECK(owned == (r->action > RAMPART_ACT_ALLOW));
			CHECK((r->action == RAMPART_ACT_DENY) ==
			      (r->deny != RAMPART_DENY_NONE));
			CHECK(r->deny < RAMPART_DENY_NR);
		}
	}
	CHECK(p->nmsr <= RAMPART_POLICY_MAX_MSRS);
	CHECK(p->nmsr <= p->nrules);
	for (i = 0; i < p->nmsr; i++) {
		const struct rp_msr_rule *m = &p->msr[i];

		CHECK(!i || p->msr[i - 1].index < m->index);
		CHECK(m->mask);
		CHECK(m->prot && m->prot < RAMPART_PROT_NR);
		CHECK(m->action && m->action < RAMPART_ACT_NR);
		CHECK((m->action == RAMPART_ACT_DENY) ==
		      (m->deny != RAMPART_DENY_NONE));
		CHECK(rp_policy_msr(p, m->index) == m);
		if (!i || p->msr[i - 1].index < m->index - 1)
			CHECK(!rp_policy_msr(p, m->index - 1));
	}
	/* vmx.nested: no rule, allow or deny; never log. */
	CHECK(!p->vmx_nested.action ||
	      p->vmx_nested.action == RAMPART_ACT_ALLOW ||
	      p->vmx_nested.action == RAMPART_ACT_DENY);
	CHECK(rp_policy_nested(p) ==
	      (p->vmx_nested.action == RAMPART_ACT_ALLOW));
	/*
	 * Watches: sorted, disjoint, each found by rp_policy_watch(); the
	 * pages they touch counted once each (neighbours may share one).
	 */
	CHECK(p->nwatch <= RAMPART_WATCH_MAX && p->nwatch <= p->nrules);
	for (i = 0; i < p->nwatch; i++) {
		const struct rp_watch_rule *w = &p->watch[i];

		CHECK(w->start < w->end);
		CHECK(!i || p->watch[i - 1].end <= w->start);
		pages += ((w->end - 1) >> 12) - (w->start >> 12) + 1;
		if (i && (p->watch[i - 1].end - 1) >> 12 == w->start >> 12)
			pages--;
		CHECK(rp_policy_watch(p, w->start, w->start + 1) == w);
		CHECK(rp_policy_watch(p, w->end - 1, w->end) == w);
		CHECK(rp_policy_watch(p, 0, w->end) == &p->watch[0]);
		if (w->start && (!i || p->watch[i - 1].end < w->start))
			CHECK(!rp_policy_watch(p, w->start - 1, w->start));
	}
	CHECK(pages == p->nwatch_pages);
	CHECK(pages <= RAMPART_WATCH_MAX_PAGES);
}

static void check_verdict_common(const struct rp_verdict *v, u64 old,
				 u64 val)
{
	CHECK(v->action && v->action < RAMPART_ACT_NR);
	if (!v->write) {
		CHECK(v->result == old);
		CHECK(v->action == RAMPART_ACT_DENY);
	}
	if (v->action == RAMPART_ACT_ALLOW) {
		CHECK(v->write && v->result == val && !v->bits);
		CHECK(v->deny == RAMPART_DENY_NONE && !v->line);
	}
	if (v->action == RAMPART_ACT_LOG)
		CHECK(v->write && v->result == val && v->bits);
	if (v->action == RAMPART_ACT_DENY)
		CHECK(v->bits && v->deny && v->deny < RAMPART_DENY_NR);
}

/* One CR write against a model of rp_decide_cr(). */
static void check_cr(const struct rampart_policy *p, int cri, u64 old, u64 val)
{
	u64 changed = (old ^ val) & p->cr_owned[cri], ignore = 0;
	bool gp = false, log = false;
	struct rp_verdict v;
	u32 b;

	for (b = 0; b < 64; b++) {
		const struct rp_cr_rule *c = &p->cr[cri][b];

		if (!(changed & (1ULL << b)))
			continue;
		if (c->action == RAMPART_ACT_LOG)
			log = true;
		else if (c->deny == RAMPART_DENY_IGNORE)
			ignore |= 1ULL << b;
		else
			gp = true;
	}
	rp_decide_cr(p, cri, old, val, &v);
	check_verdict_common(&v, old, val);
	CHECK(v.bits == changed);
	if (!changed) {
		CHECK(v.action == RAMPART_ACT_ALLOW);
		return;
	}
	if (gp) {
		CHECK(v.action == RAMPART_ACT_DENY && v.deny == RAMPART_DENY_GP);
		CHECK(!v.write);
	} else if (ignore) {
		CHECK(v.action == RAMPART_ACT_DENY &&
		      v.deny == RAMPART_DENY_IGNORE);
		CHECK(v.write);
		/* Protected bits keep the old value, the rest is written. */
		CHECK((v.result & ignore) == (old & ignore));
		CHECK((v.result & ~ignore) == (val & ~ignore));
	} else {
		CHECK(log && v.action == RAMPART_ACT_LOG);
	}
	/* The verdict names a rule for one of the bits that changed. */
	for (b = 0; b < 64; b++)
		if ((changed & (1ULL << b)) && p->cr[cri][b].line == v.line &&
		    p->cr[cri][b].action == v.action &&
		    p->cr[cri][b].deny == v.deny)
			break;
	CHECK(b < 64);
}

/* One MSR write against a model of rp_decide_msr(). */
static void check_msr(const struct rp_msr_rule *m, u64 old, u64 val)
{
	struct rp_verdict v;
	u64 bits;

	rp_decide_msr(m, old, val, &v);
	check_verdict_common(&v, old, val);
	if (!m || m->action == RAMPART_ACT_ALLOW) {
		CHECK(v.action == RAMPART_ACT_ALLOW);
		return;
	}
	bits = m->prot == RAMPART_PROT_RO ? m->mask : (old ^ val) & m->mask;
	CHECK(v.bits == bits);
	if (!bits) {
		CHECK(v.action == RAMPART_ACT_ALLOW);
		return;
	}
	CHECK(v.action == m->action && v.deny == m->deny && v.line == m->line);
	if (m->action != RAMPART_ACT_DENY)
		return;
	if (m->prot == RAMPART_PROT_RO || m->deny == RAMPART_DENY_GP) {
		CHECK(!v.write);
	} else {
		CHECK(v.write);
		CHECK((v.result & m->mask) == (old & m->mask));
		CHECK((v.result & ~m->mask) == (val & ~m->mask));
	}
}

static void check_decisions(const struct rampart_policy *p, u64 seed)
{
	int cri;
	u32 i, k;

	for (cri = 0; cri < RP_CR_NR; cri++) {
		u64 old = next_rand(&seed), own = p->cr_owned[cri];

		check_cr(p, cri, old, old);
		check_cr(p, cri, old, ~old);
		check_cr(p, cri, old, old ^ own);
		check_cr(p, cri, old, next_rand(&seed));
		for (k = 0; k < 4; k++)
			check_cr(p, cri, old, old ^ (1ULL << (next_rand(&seed) & 63)));
	}
	check_msr(NULL, 1, 2);
	for (i = 0; i < p->nmsr; i++) {
		const struct rp_msr_rule *m = &p->msr[i];
		u64 old = next_rand(&seed);

		check_msr(m, old, old);
		check_msr(m, old, old ^ m->mask);
		check_msr(m, old, old ^ ~m->mask);
		check_msr(m, old, next_rand(&seed));
	}
}

static bool protects_anything(const struct rampart_policy *p)
{
	u32 i;

	if (p->cr_owned[RP_CR0] || p->cr_owned[RP_CR4])
		return true;
	for (i = 0; i < p->nmsr; i++)
		if (p->msr[i].action != RAMPART_ACT_ALLOW)
			return true;
	for (i = 0; i < p->nrange; i++)
		if (p->range[i].action != RAMPART_ACT_ALLOW)
			return true;
	return p->modules.action == RAMPART_ACT_DENY || p->nwatch;
}

/* Does a range @p denies "ro" hold all of watch @w? */
static bool watch_in_range(const struct rampart_policy *p,
			   const struct rp_watch_rule *w)
{
	u32 i;

	for (i = 0; i < p->nrange; i++)
		if (p->range[i].action == RAMPART_ACT_DENY &&
		    p->range[i].prot == RAMPART_PROT_RO &&
		    p->range[i].start <= w->start && p->range[i].end >= w->end)
			return true;
	return false;
}

static struct rampart_policy other;

/* @p against a copy with one rule made weaker (@weaker) or stronger. */
static void check_changed(const struct rampart_policy *p, bool weaker,
			  u32 line)
{
	struct rp_policy_error e = { 0 };
	int err = rp_policy_stricter(p, &other, &e);

	if (!weaker) {
		CHECK(!err);
		return;
	}
	CHECK(err == -EPERM && e.code == RP_ERR_RELAXES);
	CHECK(e.line == line || !line);
}

/*
 * Weaken or strengthen one rule of @p in a copy, chosen by @seed: every
 * weakening must be refused with the line of the rule, every
 * strengthening accepted.
 */
static void check_stricter_changes(const struct rampart_policy *p, u64 seed)
{
	u32 i, b;
	int cri;

	/* VMX emulation may be turned off, never on. */
	other = *p;
	if (rp_policy_nested(p)) {
		other.vmx_nested.action = next_rand(&seed) & 1 ?
					  RAMPART_ACT_DENY : 0;
		check_changed(p, false, 0);
	} else {
		other.vmx_nested.action = RAMPART_ACT_ALLOW;
		other.vmx_nested.line = 1;
		check_changed(p, true, p->vmx_nested.line);
	}

	/* A watch may not go, unless a range denies all of it "ro". */
	if (p->nwatch) {
		i = next_rand(&seed) % p->nwatch;
		other = *p;
		other.nwatch--;
		memmove(&other.watch[i], &other.watch[i + 1],
			(other.nwatch - i) * sizeof(other.watch[0]));
		check_changed(p, !watch_in_range(p, &p->watch[i]),
			      p->watch[i].line);
	}

	for (cri = 0; cri < RP_CR_NR; cri++) {
		u64 own = p->cr_owned[cri];

		if (!own)
			continue;
		b = next_rand(&seed) & 63;
		while (!(own & (1ULL << b)))
			b = (b + 1) & 63;
		other = *p;
		other.cr[cri][b].action = RAMPART_ACT_ALLOW;
		other.cr[cri][b].deny = RAMPART_DENY_NONE;
		other.cr_owned[cri] &= ~(1ULL << b);
		check_changed(p, true, p->cr[cri][b].line);
		if (p->cr[cri][b].action == RAMPART_ACT_LOG) {
			other = *p;
			other.cr[cri][b].action = RAMPART_ACT_DENY;
			other.cr[cri][b].deny = RAMPART_DENY_GP;
			check_changed(p, false, 0);
		} else {
			other = *p;
			other.cr[cri][b].deny ^= RAMPART_DENY_GP ^
						 RAMPART_DENY_IGNORE;
			check_changed(p, true, p->cr[cri][b].line);
		}
	}
	if (!p->nmsr)
		return;
	i = next_rand(&seed) % p->nmsr;
	{
		const struct rp_msr_rule *m = &p->msr[i];
		struct rp_msr_rule *o = &other.msr[i];

		if (m->action == RAMPART_ACT_ALLOW) {
			other = *p;
			o->action = RAMPART_ACT_LOG;
			check_changed(p, false, 0);
			return;
		}
		other = *p;
		other.nmsr--;
		memmove(o, o + 1, (other.nmsr - i) * sizeof(*o));
		check_changed(p, true, m->line);
		other = *p;
		o->action = RAMPART_ACT_ALLOW;
		o->deny = RAMPART_DENY_NONE;
		check_changed(p, true, m->line);
		other = *p;
		o->mask = ~0ULL;
		o->prot = RAMPART_PROT_RO;
		check_changed(p, false, 0);
		if (m->mask & (m->mask - 1)) {
			other = *p;
			o->mask &= m->mask - 1;
			check_changed(p, true, m->line);
		}
		if (m->prot == RAMPART_PROT_RO) {
			other = *p;
			o->prot = RAMPART_PROT_LOCK;
			check_changed(p, true, m->line);
		}
		other = *p;
		if (m->action == RAMPART_ACT_LOG) {
			o->action = RAMPART_ACT_DENY;
			o->deny = RAMPART_DENY_IGNORE;
			check_changed(p, false, 0);
		} else {
			o->deny ^= RAMPART_DENY_GP ^ RAMPART_DENY_IGNORE;
			check_changed(p, true, m->line);
		}
	}
}

static void check_stricter(const struct rampart_policy *p)
{
	struct rp_policy_error e = { 0 };
	int err;

	CHECK(rp_policy_stricter(p, p, &e) == 0);
	/*
	 * The empty policy is the weakest, but for VMX: without a rule it
	 * is hidden, and a sealed policy cannot turn emulation on.
	 */
	err = rp_policy_stricter(&empty, p, &e);
	CHECK(!err == !rp_policy_nested(p));
	if (err) {
		CHECK(err == -EPERM && e.code == RP_ERR_RELAXES);
		CHECK(!e.line && e.other == p->vmx_nested.line);
	}
	err = rp_policy_stricter(p, &empty, &e);
	CHECK(!err == !protects_anything(p));
	if (err) {
		CHECK(err == -EPERM && e.code == RP_ERR_RELAXES);
		CHECK(!e.other);
	}
}

/* Text of @p into @buf; returns its length, checked against rp_render()'s. */
static size_t render(const struct rampart_policy *p, char *buf)
{
	size_t len = rp_render(p, buf, RENDER_MAX), small;
	char tiny[8];

	CHECK(len < RENDER_MAX);
	CHECK(strlen(buf) == len);
	CHECK(rp_render(p, NULL, 0) == len);
	small = rp_render(p, tiny, sizeof(tiny));
	CHECK(small == len && strlen(tiny) == sizeof(tiny) - 1);
	CHECK(!memcmp(tiny, buf, sizeof(tiny) - 1));
	return len;
}

/* Text after the first line (the header comment counts rules). */
static const char *body(const char *t)
{
	const char *nl = strchr(t, '\n');

	return nl ? nl + 1 : t + strlen(t);
}

/* Compile @n rules into @p; returns 0 or the error. */
static int compile(struct rampart_policy *p, u32 n, bool from_text,
		   struct rp_policy_error *e)
{
	u32 i;
	int err;

	rp_policy_init(p);
	for (i = 0; i < n; i++) {
		err = rp_policy_add(p, &rules[i], e);
		if (err) {
			check_error(e, err);
			CHECK(e->line == rules[i].line);
			/* A conflict names an earlier rule. */
			if (from_text)
				CHECK(!e->other || e->other < e->line);
			return err;
		}
	}
	CHECK(p->nrules == n);
	return 0;
}

/* @pol compiled: round-trip it through text and check everything. */
static void check_policy(u64 seed)
{
	struct rp_policy_error e = { 0 };
	size_t len1, len2;
	u32 n;
	int err;

	check_shape(&pol);
	check_stricter(&pol);
	check_stricter_changes(&pol, seed);
	check_decisions(&pol, seed);

	/*
	 * Named ranges render by name; parsing the name back leaves them for
	 * the kernel to resolve, so only policies without them round-trip.
	 */
	for (n = 0; n < pol.nrange; n++)
		if (pol.range[n].name)
			return;
	len1 = render(&pol, text1);
	err = rp_parse(text1, len1, rules, RAMPART_POLICY_MAX_RULES, &n, &e);
	if (err)
		fprintf(stderr, "policy_fuzz: rendered text fails at line %u: %s\n%s",
			e.line, rp_policy_strerror(e.code), text1);
	CHECK(!err);
	err = compile(&again, n, true, &e);
	if (err)
		fprintf(stderr, "policy_fuzz: rendered text fails to compile at line %u: %s\n%s",
			e.line, rp_policy_strerror(e.code), text1);
	CHECK(!err);
	check_same(&pol, &again);
	CHECK(rp_policy_stricter(&pol, &again, &e) == 0);
	CHECK(rp_policy_stricter(&again, &pol, &e) == 0);
	len2 = render(&again, text2);
	CHECK(len2 <= len1 + 20);
	CHECK(!strcmp(body(text1), body(text2)));
}

/*
 * A stand-in for the kernel side's watch resolver: a physical watch is
 * one piece as written; a symbol or virt watch becomes one to three
 * pieces, placed by a hash of what it names, or fails as the kernel's
 * would when that hash says the symbol or address is not there.
 */
static int fuzz_resolve(void *ctx __maybe_unused, const struct rp_watch_ref *w,
			struct rampart_rule *out, u32 room, u32 *n,
			struct rp_policy_error *e)
{
	u64 h = hash((const u8 *)w->name, w->name_len) ^ w->addr ^
		(w->off << 7) ^ w->how;
	u64 len = w->has_len ? w->len : 1 + (h >> 20) % 64;
	u64 start = w->addr, left;
	u32 k = 1, i;

	*n = 0;
	CHECK(w->how >= RP_WATCH_SYM && w->how <= RP_WATCH_PHYS);
	/* ":0" is refused before; "phys.<unaligned>+0 ro log" is root's. */
	CHECK(!w->has_len || w->len || w->how == RP_WATCH_PHYS);
	CHECK((w->how == RP_WATCH_SYM) == !!w->name_len);
	if (w->how != RP_WATCH_PHYS) {
		if ((h & 15) == 0)
			return rp_policy_fail(e, w->how == RP_WATCH_SYM ?
					      RP_ERR_WATCH_SYMBOL :
					      RP_ERR_WATCH_ADDR, w->line, 0);
		if (len > (u64)RAMPART_WATCH_MAX_PAGES << 12)
			return rp_policy_fail(e, RP_ERR_WATCH_RANGE, w->line, 0);
		k = 1 + (h >> 4) % 3;
		start = ((h >> 8) & 0xfff000) + (w->off & 0xfff);
	}
	if (room < k)
		return rp_policy_fail(e, RP_ERR_TOO_MANY, w->line, 0);
	for (i = 0, left = len; i < k && left; i++) {
		u64 piece = i + 1 < k ? (left + 1) / 2 : left;

		rp_watch_piece(&out[i], w, start, piece);
		start += piece + 0x10000;
		left -= piece;
	}
	*n = i;
	return 0;
}

static void fuzz_text(const u8 *data, size_t size, u64 seed)
{
	struct rp_policy_error e = { 0 };
	size_t i, lines = 1;
	u32 n;
	int err;

	err = rp_parse_resolve((const char *)data, size, rules,
			       RAMPART_POLICY_MAX_RULES, &n, &e,
			       seed & 1 ? fuzz_resolve : NULL, NULL);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (err) {
		check_error(&e, err);
		CHECK(e.line >= 1 && e.line <= lines && !e.other);
		CHECK(!n);
		return;
	}
	CHECK(e.code == RP_ERR_OK && n <= RAMPART_POLICY_MAX_RULES);
	for (i = 0; i < n; i++) {
		CHECK(rules[i].line >= 1 && rules[i].line <= lines);
		/* The pieces of one watch share its line. */
		CHECK(!i || rules[i - 1].line < rules[i].line ||
		      (rules[i - 1].line == rules[i].line &&
		       rules[i].kind == RAMPART_ASSET_WATCH));
		CHECK(rules[i].kind && rules[i].kind < RAMPART_ASSET_NR);
	}
	if (compile(&pol, n, true, &e))
		return;
	check_policy(seed);
}

static void fuzz_binary(const u8 *data, size_t size, u64 seed)
{
	struct rampart_policy_hdr hdr = {
		.magic = RAMPART_POLICY_MAGIC,
		.version = RAMPART_POLICY_VERSION,
	};
	struct rp_policy_error e = { 0 };
	u32 n = size / sizeof(rules[0]);

	if (n > RAMPART_POLICY_MAX_RULES)
		n = RAMPART_POLICY_MAX_RULES;
	if (!n)
		return;
	memcpy(rules, data, n * sizeof(rules[0]));
	hdr.count = n;
	CHECK(rp_policy_check_hdr(&hdr, &e) == 0);
	if (compile(&pol, n, false, &e))
		return;
	check_policy(seed);
}

/**
 * LLVMFuzzerTestOneInput() - libFuzzer entry point.
 * @data: the input: policy text, and the same bytes as binary rules.
 * @size: its length.
 *
 * Return: 0; a broken invariant aborts.
 */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u64 seed = hash(data, size);

	fuzz_text(data, size, seed);
	fuzz_binary(data, size, seed);
	return 0;
}

/**
 * LLVMFuzzerInitialize() - libFuzzer set-up: the empty policy.
 * @argc: unused.
 * @argv: unused.
 *
 * Return: 0.
 */
int LLVMFuzzerInitialize(int *argc __maybe_unused, char ***argv __maybe_unused)
{
	rp_policy_init(&empty);
	return 0;
}
