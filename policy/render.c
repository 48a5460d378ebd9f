// SPDX-License-Identifier: GPL-2.0-only
/*
 * A compiled policy back to text, in canonical form: CR bits that share a
 * rule are grouped, MSRs come in index order, line numbers and comments of
 * the source are gone. Parsing the output compiles to the same policy.
 */
#include "policy.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *s)
{
	for (; *s; s++, o->len++)
		if (o->len + 1 < o->size)
			o->buf[o->len] = *s;
}

static void put_hex(struct out *o, u64 v)
{
	char tmp[19];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	put(o, tmp + i);
}

static void put_dec(struct out *o, u64 v)
{
	char tmp[21];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	put(o, tmp + i);
}

static const char *const prot_word[RAMPART_PROT_NR] = {
	[RAMPART_PROT_LOCK] = "lock", [RAMPART_PROT_RO] = "ro",
	[RAMPART_PROT_POKE] = "poke",
};
static const char *const action_word[RAMPART_ACT_NR] = {
	[RAMPART_ACT_ALLOW] = "allow", [RAMPART_ACT_LOG] = "log",
	[RAMPART_ACT_DENY] = "deny",
};
static const char *const deny_word[RAMPART_DENY_NR] = {
	[RAMPART_DENY_GP] = " gp", [RAMPART_DENY_IGNORE] = " ignore",
};

static void put_tail(struct out *o, u8 prot, u8 action, u8 deny)
{
	put(o, " ");
	put(o, prot_word[prot]);
	put(o, " ");
	put(o, action_word[action]);
	if (deny)
		put(o, deny_word[deny]);
	put(o, "\n");
}

/* One line per distinct (action, deny) pair of a CR. */
static void render_cr(struct out *o, const struct rampart_policy *p, int cri)
{
	const struct rp_name *names = cri == RP_CR0 ? rp_cr0_bits : rp_cr4_bits;
	u64 done = 0;
	u32 b, c;

	for (b = 0; b < 64; b++) {
		const struct rp_cr_rule *first = &p->cr[cri][b];
		bool comma = false;

		if (!first->action || (done & (1ULL << b)))
			continue;
		put(o, cri == RP_CR0 ? "cr0." : "cr4.");
		for (c = b; c < 64; c++) {
			const struct rp_cr_rule *r = &p->cr[cri][c];
			const char *name;

			if (r->action != first->action || r->deny != first->deny)
				continue;
			done |= 1ULL << c;
			if (comma)
				put(o, ",");
			comma = true;
			name = rp_name_of(names, 1ULL << c);
			if (name)
				put(o, name);
			else
				put_hex(o, 1ULL << c);
		}
		put_tail(o, RAMPART_PROT_LOCK, first->action, first->deny);
	}
}

/**
 * rp_render() - write a compiled policy as text.
 * @p: the policy.
 * @buf: output; always NUL-terminated if @size > 0.
 * @size: its size.
 *
 * Return: the length of the whole text, which may exceed @size - 1, as
 * snprintf() counts.
 */
size_t rp_render(const struct rampart_policy *p, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };
	u32 i;

	put(&o, "# rampart policy: ");
	put_dec(&o, p->nrules);
	put(&o, " rules compiled\n");
	render_cr(&o, p, RP_CR0);
	render_cr(&o, p, RP_CR4);
	for (i = 0; i < p->nmsr && i < RAMPART_POLICY_MAX_MSRS; i++) {
		const struct rp_msr_rule *m = &p->msr[i];
		const char *name = rp_name_of(rp_msr_names, m->index);

		put(&o, "msr.");
		if (name)
			put(&o, name);
		else
			put_hex(&o, m->index);
		if (m->mask != ~0ULL) {
			put(&o, "/");
			put_hex(&o, m->mask);
		}
		if (m->prot >= RAMPART_PROT_NR || m->action >= RAMPART_ACT_NR ||
		    m->deny >= RAMPART_DENY_NR || !m->prot || !m->action) {
			put(&o, " # corrupt rule\n");
			continue;
		}
		put_tail(&o, m->prot, m->action, m->deny);
	}
	for (i = 0; i < p->nrange && i < RAMPART_POLICY_MAX_RANGES; i++) {
		const struct rp_range_rule *m = &p->range[i];
		const char *name = rp_name_of(rp_range_names, m->name);

		if (m->name && name) {
			put(&o, "range.");
			put(&o, name);
		} else {
			put(&o, "phys.");
			put_hex(&o, m->start);
			put(&o, "+");
			put_hex(&o, m->end - m->start);
		}
		if (m->action >= RAMPART_ACT_NR || !m->action) {
			put(&o, " # corrupt rule\n");
			continue;
		}
		put_tail(&o, m->prot < RAMPART_PROT_NR && m->prot ? m->prot :
			 RAMPART_PROT_RO, m->action, RAMPART_DENY_NONE);
		if (m->name) {
			put(&o, "# ");
			put(&o, name ? name : "range");
			put(&o, " is phys.");
			put_hex(&o, m->start);
			put(&o, "+");
			put_hex(&o, m->end - m->start);
			put(&o, " here\n");
		}
	}
	if (p->modules.action && p->modules.action < RAMPART_ACT_NR &&
	    p->modules.prot && p->modules.prot < RAMPART_PROT_NR) {
		put(&o, "range.modules");
		put_tail(&o, p->modules.prot, p->modules.action,
			 RAMPART_DENY_NONE);
	}
	if (p->vmx_nested.action == RAMPART_ACT_ALLOW ||
	    p->vmx_nested.action == RAMPART_ACT_DENY) {
		put(&o, "vmx.nested");
		put_tail(&o, RAMPART_PROT_LOCK, p->vmx_nested.action,
			 RAMPART_DENY_NONE);
	} else if (p->vmx_nested.action) {
		put(&o, "vmx.nested # corrupt rule\n");
	}
	for (i = 0; i < p->nwatch && i < RAMPART_WATCH_MAX; i++) {
		put(&o, "watch.phys.");
		put_hex(&o, p->watch[i].start);
		put(&o, ":");
		put_hex(&o, p->watch[i].end - p->watch[i].start);
		put_tail(&o, RAMPART_PROT_RO, RAMPART_ACT_LOG, RAMPART_DENY_NONE);
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}
