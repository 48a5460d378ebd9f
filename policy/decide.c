// SPDX-License-Identifier: GPL-2.0-only
/*
 * Enforcement decisions for intercepted CR and MSR writes. Runs in VMX
 * root on root's copy of the policy; pure, so KUnit and the fuzzer run the
 * same code.
 */
#include "policy.h"

static RP_ROOT void allow(struct rp_verdict *v, u64 val)
{
	v->action = RAMPART_ACT_ALLOW;
	v->deny = RAMPART_DENY_NONE;
	v->line = 0;
	v->bits = 0;
	v->result = val;
	v->write = true;
}

/**
 * rp_decide_cr() - decide a MOV to CR0 or CR4.
 * @p: the policy.
 * @cri: RP_CR0 or RP_CR4.
 * @old: the value the guest sees now.
 * @val: the value it writes.
 * @v: the verdict.
 *
 * Only owned bits (log or deny) that change count. One "gp" bit refuses
 * the whole write, as a #GP would; "ignore" bits keep their old value
 * while the other bits are written; "log" bits change and are recorded.
 * The verdict names the strictest rule involved.
 */
RP_ROOT void rp_decide_cr(const struct rampart_policy *p, int cri, u64 old,
			  u64 val, struct rp_verdict *v)
{
	u64 changed = (old ^ val) & p->cr_owned[cri];
	u64 ignore = 0;
	u8 best = 0;
	u32 b;

	allow(v, val);
	if (!changed)
		return;
	for (b = 0; b < 64; b++) {
		const struct rp_cr_rule *c = &p->cr[cri][b];
		u8 rank;

		if (!(changed & (1ULL << b)))
			continue;
		/* Rank: log 1, deny-ignore 2, deny-gp 3. */
		rank = c->action == RAMPART_ACT_LOG ? 1 :
		       c->deny == RAMPART_DENY_IGNORE ? 2 : 3;
		if (rank == 2)
			ignore |= 1ULL << b;
		if (rank > best) {
			best = rank;
			v->action = c->action;
			v->deny = c->deny;
			v->line = c->line;
		}
	}
	v->bits = changed;
	if (best == 3) {
		v->result = old;
		v->write = false;
	} else if (best == 2) {
		v->result = (val & ~ignore) | (old & ignore);
	}
}

/**
 * rp_decide_msr() - decide a WRMSR.
 * @m: the MSR's rule, or NULL if the policy does not name it.
 * @old: the MSR's value now.
 * @val: the value written.
 * @v: the verdict.
 *
 * "ro" makes every write a violation, "lock" only writes that change a
 * bit in the mask. Denied with "ignore", a "ro" write does not happen and
 * a "lock" write keeps the masked bits.
 */
RP_ROOT void rp_decide_msr(const struct rp_msr_rule *m, u64 old, u64 val,
			   struct rp_verdict *v)
{
	u64 bits;

	allow(v, val);
	if (!m || m->action == RAMPART_ACT_ALLOW)
		return;
	bits = m->prot == RAMPART_PROT_RO ? m->mask : (old ^ val) & m->mask;
	if (!bits)
		return;
	v->action = m->action;
	v->deny = m->deny;
	v->line = m->line;
	v->bits = bits;
	if (m->action != RAMPART_ACT_DENY)
		return;
	if (m->deny == RAMPART_DENY_GP || m->prot == RAMPART_PROT_RO) {
		v->result = old;
		v->write = false;
	} else {
		v->result = (val & ~m->mask) | (old & m->mask);
	}
}
