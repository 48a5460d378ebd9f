/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Violation and CPU records for the kernel side (vmx/root/event.c).
 * Root side.
 */
#ifndef RAMPART_VMX_ROOT_EVENT_H
#define RAMPART_VMX_ROOT_EVENT_H

#include <linux/types.h>

#include "../../policy/policy.h"

struct rampart_vcpu;
struct rampart_watch_hit;

void rampart_root_event_record(struct rampart_vcpu *v, u8 kind, u32 asset,
			  const struct rp_verdict *vd, u64 old, u64 attempted);
void rampart_root_event_mem(struct rampart_vcpu *v, const struct rp_range_rule *r,
		       u64 access, u64 gpa);
void rampart_root_event_cpu(struct rampart_vcpu *v, u32 what, u8 action,
			    u64 a, u64 b);
void rampart_root_event_watch(struct rampart_vcpu *v,
			      const struct rampart_watch_hit *h);

#endif /* RAMPART_VMX_ROOT_EVENT_H */
