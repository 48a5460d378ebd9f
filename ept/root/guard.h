/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What guards a page of the shared EPT (ept/root/guard.c). Root side.
 */
#ifndef RAMPART_EPT_ROOT_GUARD_H
#define RAMPART_EPT_ROOT_GUARD_H

#include <linux/types.h>

#include "../../policy/policy.h"

struct rampart_root;

/* Ranges that keep W clear in the EPT: denied and logged ones. */
static __always_inline bool rampart_range_guarded(const struct rp_range_rule *r)
{
	return r->action == RAMPART_ACT_DENY || r->action == RAMPART_ACT_LOG;
}

const struct rp_range_rule *rampart_mem_rule(const struct rampart_root *rs,
					     const struct rampart_policy *p,
					     u64 gpa);
bool rampart_mem_rule_get(struct rampart_root *rs, u64 gpa,
			  struct rp_range_rule *out, u64 *gen);
u32 rampart_mod_index(const struct rampart_root *rs, u64 a);
u64 rampart_mod_covering(const struct rampart_root *rs, u64 a);
u64 rampart_mod_next(const struct rampart_root *rs, u64 a, u64 end);
void rampart_ept_release_run(struct rampart_root *rs,
			     const struct rampart_policy *p, u64 a, u64 end);

#endif /* RAMPART_EPT_ROOT_GUARD_H */
