/* SPDX-License-Identifier: GPL-2.0-only */
/* Write-watch hits (vmx/root/watch.c). Root side. */
#ifndef RAMPART_VMX_ROOT_WATCH_H
#define RAMPART_VMX_ROOT_WATCH_H

#include <linux/types.h>

#include "../../policy/policy.h"
#include "../../uapi/watch.h"

struct rampart_vcpu;

/*
 * A hit taken at the violation, completed when the step ends: at most one
 * per page a write touches, and a write touches two at most.
 */
#define RAMPART_WATCH_PENDING	2

/*
 * A hit in the making. A write across two pages that changes bytes of one
 * watch on both is one hit: its bytes start at hit.pa and go on at @pa2.
 */
struct rampart_watch_pend {
	struct rampart_watch_hit hit;
	u64 pa2;		/* 0: all of hit.len at hit.pa */
	u32 len1;		/* bytes at hit.pa */
	u32 reserved;
};

void rampart_watch_begin(struct rampart_vcpu *v, u64 gpa,
			 const struct rp_range_rule *r);
void rampart_watch_end(struct rampart_vcpu *v, bool done);

#endif /* RAMPART_VMX_ROOT_WATCH_H */
