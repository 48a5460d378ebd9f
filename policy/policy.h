/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy model. Text (parse.c) becomes binary rules (uapi/policy.h);
 * VMX root compiles those, one at a time, into struct rampart_policy
 * (compile.c) and decides each intercepted write from it (decide.c).
 * render.c turns a compiled policy back into canonical text.
 */
#ifndef RAMPART_POLICY_POLICY_H
#define RAMPART_POLICY_POLICY_H

#include "compat.h"
#include "errors.h"
#include "../uapi/policy.h"
#include "../uapi/watch.h"

/* The CRs a policy can name, by index: 0 is CR0, 1 is CR4. */
enum { RP_CR0, RP_CR4, RP_CR_NR };

/* What the policy says about one CR bit. action 0: no rule. */
struct rp_cr_rule {
	u8 action;
	u8 deny;
	u16 reserved;
	u32 line;
};

/* What the policy says about one MSR (one rule per MSR). */
struct rp_msr_rule {
	u32 index;
	u8 prot;
	u8 action;
	u8 deny;
	u8 reserved;
	u32 line;
	u32 reserved2;
	u64 mask;
};

/* What the policy says about one physical range [start, end). */
struct rp_range_rule {
	u64 start, end;
	u8 action;
	u8 prot;		/* RAMPART_PROT_RO or _POKE */
	u16 name;		/* enum rampart_range; 0 for phys */
	u32 line;
};

/*
 * What the policy says about a feature it switches on or off as a whole
 * (vmx.nested). action 0: no rule, which means deny; otherwise
 * RAMPART_ACT_ALLOW or RAMPART_ACT_DENY, never LOG.
 */
struct rp_feature_rule {
	u8 action;
	u8 reserved[3];
	u32 line;
};

/*
 * A watched byte range [start, end), guest-physical (uapi/watch.h).
 * Watches are kept sorted by start and never overlap.
 */
struct rp_watch_rule {
	u64 start, end;
	u32 line;
	u32 reserved;
};

/*
 * The name of the rule root decides a watched page by when no range
 * guards it (ept/root/guard.c): "log", single-stepped, recorded only
 * where a write overlaps a watch. Not an enum rampart_range.
 */
#define RP_RANGE_WATCH	0x100

/* A compiled policy. Root keeps two: the one in force and the next. */
struct rampart_policy {
	u32 nrules;			/* rules compiled, duplicates included */
	u32 nmsr;
	u32 nrange;
	u64 cr_owned[RP_CR_NR];		/* bits with log or deny: these exit */
	struct rp_cr_rule cr[RP_CR_NR][64];
	struct rp_msr_rule msr[RAMPART_POLICY_MAX_MSRS];	/* by index */
	struct rp_range_rule range[RAMPART_POLICY_MAX_RANGES];	/* by start */
	struct rp_range_rule modules;	/* action 0: no rule; no extent */
	/* ALLOW: root emulates VMX for the kernel; 0 or DENY: VMX hidden */
	struct rp_feature_rule vmx_nested;
	u32 nwatch;
	u32 nwatch_pages;		/* pages the watches touch */
	struct rp_watch_rule watch[RAMPART_WATCH_MAX];		/* by start */
};

/**
 * rp_policy_nested() - does a policy have root emulate VMX for the kernel?
 * @p: a compiled policy.
 *
 * Only an explicit "vmx.nested lock allow" turns emulation on: without a
 * vmx rule, or with "vmx.nested lock deny", VMX stays hidden.
 *
 * Return: true if KVM guests may run under this policy.
 */
static inline bool rp_policy_nested(const struct rampart_policy *p)
{
	return p->vmx_nested.action == RAMPART_ACT_ALLOW;
}

/* The decision for one intercepted write. */
struct rp_verdict {
	u8 action;	/* RAMPART_ACT_*; ALLOW: nothing to record */
	u8 deny;	/* for DENY: RAMPART_DENY_GP or _IGNORE */
	u32 line;	/* rule that decided */
	u64 bits;	/* protected bits the write tried to change */
	u64 result;	/* value to write (DENY_IGNORE keeps protected bits) */
	bool write;	/* false: the write does not happen at all */
};

/* compile.c: root side and portable. */
void rp_policy_init(struct rampart_policy *p);
int rp_policy_add(struct rampart_policy *p, const struct rampart_rule *r,
		  struct rp_policy_error *e);
int rp_policy_check_hdr(const struct rampart_policy_hdr *h,
			struct rp_policy_error *e);
bool rp_range_kept(const struct rp_range_rule *o,
		   const struct rp_range_rule *n);
int rp_policy_stricter(const struct rampart_policy *old,
		       const struct rampart_policy *new,
		       struct rp_policy_error *e);
const struct rp_msr_rule *rp_policy_msr(const struct rampart_policy *p,
					u32 index);
int rp_cr_index(u64 cr);
const struct rp_range_rule *rp_policy_range(const struct rampart_policy *p,
					    u64 gpa);
const struct rp_range_rule *rp_policy_idt_rule(const struct rampart_policy *p);
const struct rp_watch_rule *rp_policy_watch(const struct rampart_policy *p,
					    u64 start, u64 end);

/* decide.c: root side and portable. */
void rp_decide_cr(const struct rampart_policy *p, int cri, u64 old, u64 val,
		  struct rp_verdict *v);
void rp_decide_msr(const struct rp_msr_rule *m, u64 old, u64 val,
		   struct rp_verdict *v);

/* parse.c: kernel side and user space. */
int rp_parse(const char *text, size_t len, struct rampart_rule *rules,
	     u32 max, u32 *count, struct rp_policy_error *e);

/* How a watch names what it watches. */
enum rp_watch_how { RP_WATCH_SYM = 1, RP_WATCH_VIRT, RP_WATCH_PHYS };

/* One watch as written, for a resolver to turn into pieces. */
struct rp_watch_ref {
	u32 how;		/* enum rp_watch_how */
	u32 line;
	const char *name;	/* the symbol (SYM), not NUL-terminated */
	u32 name_len;
	bool has_len;		/* ":<len>" given */
	u64 addr;		/* VIRT, PHYS: the address */
	u64 off;		/* SYM: "+<off>" */
	u64 len;		/* ":<len>", or 0 */
};

/* The longest symbol a watch may name. */
#define RP_WATCH_NAME_MAX	127

/**
 * rp_watch_piece() - fill in one piece of a watch.
 * @r: the rule to fill.
 * @w: the watch it belongs to.
 * @start: physical start of the piece.
 * @len: its length.
 */
static inline void rp_watch_piece(struct rampart_rule *r,
				  const struct rp_watch_ref *w, u64 start,
				  u64 len)
{
	r->kind = RAMPART_ASSET_WATCH;
	r->prot = RAMPART_PROT_RO;
	r->action = RAMPART_ACT_LOG;
	r->deny = RAMPART_DENY_NONE;
	r->line = w->line;
	r->id = start;
	r->mask = len;
	r->range = 0;
	r->reserved = 0;
}

/*
 * Emit the pieces of one watch (RAMPART_ASSET_WATCH rules, each
 * physically contiguous) into @out[0..@room): 0 and *@n set, or a
 * negative errno with @e filled in (RP_ERR_WATCH_*).
 */
typedef int (*rp_watch_resolve_fn)(void *ctx, const struct rp_watch_ref *w,
				   struct rampart_rule *out, u32 room, u32 *n,
				   struct rp_policy_error *e);
int rp_parse_resolve(const char *text, size_t len, struct rampart_rule *rules,
		     u32 max, u32 *count, struct rp_policy_error *e,
		     rp_watch_resolve_fn fn, void *ctx);

/* render.c: kernel side and user space. */
size_t rp_render(const struct rampart_policy *p, char *buf, size_t size);

/* assets.c: names, for parse.c and render.c. */
struct rp_name {
	const char *name;
	u64 value;
};
extern const struct rp_name rp_cr0_bits[], rp_cr4_bits[], rp_msr_names[],
	rp_range_names[], rp_vmx_names[], rp_cpu_event_names[];
const char *rp_name_of(const struct rp_name *t, u64 value);

#endif /* RAMPART_POLICY_POLICY_H */
