// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy text to binary rules (grammar: uapi/policy.h). Portable: the
 * kernel side and rampartctl run the same code. This checks syntax and
 * names only; what a rule means is root's to judge (compile.c).
 */
#include "policy.h"

struct tok {
	const char *s;
	u32 n;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool tok_is(const struct tok *t, const char *word)
{
	u32 i;

	for (i = 0; i < t->n; i++)
		if (!word[i] || word[i] != t->s[i])
			return false;
	return !word[i];
}

/* Decimal or 0x hex, all of @t, no overflow. */
static bool parse_num(const struct tok *t, u64 *out)
{
	u32 i = 0, base = 10;
	u64 v = 0;

	if (t->n > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= t->n)
		return false;
	for (; i < t->n; i++) {
		char c = t->s[i];
		u64 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		if (v > (~0ULL - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static bool lookup(const struct rp_name *names, const struct tok *t, u64 *out)
{
	for (; names->name; names++) {
		if (tok_is(t, names->name)) {
			*out = names->value;
			return true;
		}
	}
	return false;
}

/* Split @t at the first @c: @t keeps the head, @rest gets the tail. */
static bool split(struct tok *t, char c, struct tok *rest)
{
	u32 i;

	for (i = 0; i < t->n; i++) {
		if (t->s[i] == c) {
			rest->s = t->s + i + 1;
			rest->n = t->n - i - 1;
			t->n = i;
			return true;
		}
	}
	return false;
}

/* A name from @names or a number. */
static u32 name_or_num(const struct rp_name *names, const struct tok *t,
		       u32 name_err, u64 *out)
{
	if (t->n && t->s[0] >= '0' && t->s[0] <= '9')
		return parse_num(t, out) ? RP_ERR_OK : RP_ERR_NUMBER;
	return lookup(names, t, out) ? RP_ERR_OK : name_err;
}

/* cr0.<bit>[,<bit>...]: names or masks, OR-ed together. */
static u32 parse_cr(struct tok t, const struct rp_name *names,
		    struct rampart_rule *r)
{
	struct tok rest;
	bool more;

	r->mask = 0;
	do {
		u64 v;
		u32 err;

		more = split(&t, ',', &rest);
		err = name_or_num(names, &t, RP_ERR_CR_NAME, &v);
		if (err)
			return err;
		r->mask |= v;
		t = rest;
	} while (more);
	return RP_ERR_OK;
}

static u32 parse_msr(struct tok t, struct rampart_rule *r)
{
	struct tok mask;
	bool has_mask = split(&t, '/', &mask);
	u32 err = name_or_num(rp_msr_names, &t, RP_ERR_MSR_NAME, &r->id);

	if (err)
		return err;
	r->mask = ~0ULL;
	if (has_mask && !parse_num(&mask, &r->mask))
		return RP_ERR_NUMBER;
	return RP_ERR_OK;
}

static u32 parse_phys(struct tok t, struct rampart_rule *r)
{
	struct tok size;

	if (!split(&t, '+', &size))
		return RP_ERR_SYNTAX;
	if (!parse_num(&t, &r->id) || !parse_num(&size, &r->mask))
		return RP_ERR_NUMBER;
	return RP_ERR_OK;
}

/* A kernel symbol: [A-Za-z_.][A-Za-z0-9_.$]*, as kallsyms spells them. */
static bool is_symbol(const struct tok *t)
{
	u32 i;

	if (!t->n || t->n > RP_WATCH_NAME_MAX ||
	    (t->s[0] >= '0' && t->s[0] <= '9'))
		return false;
	for (i = 0; i < t->n; i++) {
		char c = t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '$'))
			return false;
	}
	return true;
}

/* watch.<symbol>[+<off>][:<len>], watch.virt.<addr>:<len>, watch.phys... */
static u32 parse_watch(struct tok t, struct rp_watch_ref *w)
{
	struct tok len, head = t, addr, off;

	w->has_len = split(&t, ':', &len);
	if (w->has_len && !parse_num(&len, &w->len))
		return RP_ERR_NUMBER;
	if (w->has_len && !w->len)
		return RP_ERR_WATCH_RANGE;
	head = t;
	if (split(&head, '.', &addr) &&
	    (tok_is(&head, "virt") || tok_is(&head, "phys"))) {
		w->how = tok_is(&head, "virt") ? RP_WATCH_VIRT : RP_WATCH_PHYS;
		if (!w->has_len)
			return RP_ERR_WATCH_NAME;
		return parse_num(&addr, &w->addr) ? RP_ERR_OK : RP_ERR_NUMBER;
	}
	w->how = RP_WATCH_SYM;
	if (split(&t, '+', &off) && !parse_num(&off, &w->off))
		return RP_ERR_NUMBER;
	if (!is_symbol(&t))
		return RP_ERR_WATCH_NAME;
	w->name = t.s;
	w->name_len = t.n;
	return RP_ERR_OK;
}

static u32 parse_asset(struct tok t, struct rampart_rule *r,
		       struct rp_watch_ref *w)
{
	struct tok target;

	if (!split(&t, '.', &target) || !target.n)
		return RP_ERR_ASSET;
	if (tok_is(&t, "cr0")) {
		r->kind = RAMPART_ASSET_CR;
		r->id = 0;
		return parse_cr(target, rp_cr0_bits, r);
	}
	if (tok_is(&t, "cr4")) {
		r->kind = RAMPART_ASSET_CR;
		r->id = 4;
		return parse_cr(target, rp_cr4_bits, r);
	}
	if (tok_is(&t, "msr")) {
		r->kind = RAMPART_ASSET_MSR;
		return parse_msr(target, r);
	}
	if (tok_is(&t, "phys")) {
		r->kind = RAMPART_ASSET_PHYS;
		return parse_phys(target, r);
	}
	if (tok_is(&t, "range")) {
		u64 name;

		r->kind = RAMPART_ASSET_RANGE;
		if (!lookup(rp_range_names, &target, &name))
			return RP_ERR_RANGE_NAME;
		r->range = name;	/* id and mask: the kernel resolves */
		return RP_ERR_OK;
	}
	if (tok_is(&t, "watch")) {
		r->kind = RAMPART_ASSET_WATCH;
		return parse_watch(target, w);
	}
	if (tok_is(&t, "vmx")) {
		r->kind = RAMPART_ASSET_VMX;
		if (!lookup(rp_vmx_names, &target, &r->id))
			return RP_ERR_VMX_NAME;
		return RP_ERR_OK;
	}
	return RP_ERR_ASSET;
}

static const struct rp_name prot_names[] = {
	{ "lock", RAMPART_PROT_LOCK }, { "ro", RAMPART_PROT_RO },
	{ "poke", RAMPART_PROT_POKE }, { NULL, 0 }
};

static const struct rp_name action_names[] = {
	{ "deny", RAMPART_ACT_DENY }, { "log", RAMPART_ACT_LOG },
	{ "allow", RAMPART_ACT_ALLOW }, { NULL, 0 }
};

static const struct rp_name deny_names[] = {
	{ "gp", RAMPART_DENY_GP }, { "ignore", RAMPART_DENY_IGNORE },
	{ NULL, 0 }
};

/*
 * "phys.<start>+<size> ro log" that is not page aligned watches bytes:
 * make it the watch it means (a page-aligned one stays a range).
 */
static void phys_to_watch(struct rampart_rule *r, struct rp_watch_ref *w)
{
	if (r->kind != RAMPART_ASSET_PHYS || r->prot != RAMPART_PROT_RO ||
	    r->action != RAMPART_ACT_LOG || !((r->id | r->mask) & 0xfff))
		return;
	r->kind = RAMPART_ASSET_WATCH;
	w->how = RP_WATCH_PHYS;
	w->addr = r->id;
	w->len = r->mask;
	w->has_len = true;
}

/* One rule from the tokens of one line; @w gets what a watch names. */
static u32 parse_rule(const struct tok *tk, u32 n, struct rampart_rule *r,
		      struct rp_watch_ref *w)
{
	u64 v;
	u32 err;

	if (n < 3)
		return RP_ERR_SYNTAX;
	err = parse_asset(tk[0], r, w);
	if (err)
		return err;
	if (!lookup(prot_names, &tk[1], &v))
		return RP_ERR_PROT;
	r->prot = v;
	if (!lookup(action_names, &tk[2], &v))
		return RP_ERR_ACTION;
	r->action = v;
	r->deny = RAMPART_DENY_NONE;
	if (n > 3) {
		if (!lookup(deny_names, &tk[3], &v))
			return RP_ERR_TRAILING;
		if (r->action != RAMPART_ACT_DENY)
			return RP_ERR_NOT_DENY;
		r->deny = v;
	}
	if (n > 4)
		return RP_ERR_TRAILING;
	if (r->action == RAMPART_ACT_DENY && !r->deny &&
	    (r->kind == RAMPART_ASSET_CR || r->kind == RAMPART_ASSET_MSR))
		return RP_ERR_DENY_MODE;
	phys_to_watch(r, w);
	if (r->kind == RAMPART_ASSET_WATCH &&
	    (r->prot != RAMPART_PROT_RO || r->action != RAMPART_ACT_LOG))
		return RP_ERR_WATCH_RULE;
	return RP_ERR_OK;
}

/*
 * The pieces of the watch in @r, from @fn, or (without one) a physical
 * watch as it is; @r is the first of @room rules. Sets *@n.
 */
static int resolve_watch(struct rampart_rule *r, u32 room,
			 struct rp_watch_ref *w, u32 *n,
			 struct rp_policy_error *e, rp_watch_resolve_fn fn,
			 void *ctx)
{
	w->line = r->line;
	if (fn)
		return fn(ctx, w, r, room, n, e);
	if (w->how != RP_WATCH_PHYS)
		return rp_policy_fail(e, RP_ERR_WATCH_LATER, r->line, 0);
	rp_watch_piece(r, w, w->addr, w->len);
	*n = 1;
	return 0;
}

/**
 * rp_parse_resolve() - turn policy text into binary rules, with a resolver
 * for watches.
 * @text: the text; need not be NUL-terminated.
 * @len: its length in bytes.
 * @rules: output array.
 * @max: its capacity.
 * @count: set to the number of rules parsed.
 * @e: set to the error and its line on failure.
 * @fn: turns each watch into its pieces; NULL: physical watches only.
 * @ctx: for @fn.
 *
 * Return: 0, or a negative errno with @e filled in.
 */
int rp_parse_resolve(const char *text, size_t len, struct rampart_rule *rules,
		     u32 max, u32 *count, struct rp_policy_error *e,
		     rp_watch_resolve_fn fn, void *ctx)
{
	size_t pos = 0;
	u32 line = 0, n = 0;

	e->code = RP_ERR_OK;
	e->line = 0;
	e->other = 0;
	*count = 0;
	while (pos < len) {
		struct tok tk[5];
		size_t start = pos;
		u32 nt = 0, err = RP_ERR_OK;
		bool comment = false, in_tok = false;

		line++;
		for (; pos < len && text[pos] != '\n'; pos++) {
			char c = text[pos];

			/* A NUL ends the line's tokens as a comment would. */
			if (!c && !err)
				err = RP_ERR_NUL;
			if (!c || c == '#')
				comment = true;
			if (comment || is_space(c)) {
				in_tok = false;
				continue;
			}
			if (!in_tok) {
				if (nt < ARRAY_SIZE(tk)) {
					tk[nt].s = text + pos;
					tk[nt].n = 0;
				}
				nt++;
				in_tok = true;
			}
			if (nt <= ARRAY_SIZE(tk))
				tk[nt - 1].n++;
		}
		if (pos - start > RAMPART_POLICY_LINE_MAX && !err)
			err = RP_ERR_LINE_LONG;
		pos++;		/* the newline */
		if (!err && nt > ARRAY_SIZE(tk))
			err = RP_ERR_TRAILING;
		if (!err && nt) {
			if (n >= max) {
				err = RP_ERR_TOO_MANY;
			} else {
				struct rampart_rule *r = &rules[n];
				struct rp_watch_ref w = { 0 };
				u32 got = 1;
				int ret;

				r->kind = 0;
				r->id = 0;
				r->mask = 0;
				r->range = 0;
				r->reserved = 0;
				r->line = line;
				err = parse_rule(tk, nt, r, &w);
				if (!err && r->kind == RAMPART_ASSET_WATCH) {
					ret = resolve_watch(r, max - n, &w,
							    &got, e, fn, ctx);
					if (ret)
						return ret;
					if (got > max - n)
						return rp_policy_fail(e,
							RP_ERR_TOO_MANY, line, 0);
				}
				n += got;
			}
		}
		if (err)
			return rp_policy_fail(e, err, line, 0);
	}
	*count = n;
	return 0;
}

/**
 * rp_parse() - turn policy text into binary rules; a watch may only name
 * physical memory (rp_parse_resolve() takes a resolver for the rest).
 * @text: the text; need not be NUL-terminated.
 * @len: its length in bytes.
 * @rules: output array.
 * @max: its capacity.
 * @count: set to the number of rules parsed.
 * @e: set to the error and its line on failure.
 *
 * Return: 0, or a negative errno with @e filled in.
 */
int rp_parse(const char *text, size_t len, struct rampart_rule *rules,
	     u32 max, u32 *count, struct rp_policy_error *e)
{
	return rp_parse_resolve(text, len, rules, max, count, e, NULL, NULL);
}
