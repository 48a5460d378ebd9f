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

void rampart_watch_begin(struct rampart_vcpu *v, u64 gpa,
			 const struct rp_range_rule *r, bool delivery);
void rampart_watch_end(struct rampart_vcpu *v, bool done);

#endif /* RAMPART_VMX_ROOT_WATCH_H */
