/* SPDX-License-Identifier: GPL-2.0-only */
/* Logged writes, single-stepped (vmx/root/step.c). Root side. */
#ifndef RAMPART_VMX_ROOT_STEP_H
#define RAMPART_VMX_ROOT_STEP_H

#include <linux/types.h>

#include "../../policy/policy.h"
#include "guest.h"

struct rampart_vcpu;

bool rampart_log_write(struct exit_ctx *x, u64 gpa,
		       const struct rp_range_rule *r, u64 gen);
int rampart_step_exception(struct exit_ctx *x, u32 info);
int rampart_step_timer(struct exit_ctx *x);
void rampart_step_cancel(struct rampart_vcpu *v);
u32 rampart_timer_ctl(const struct rampart_vcpu *v);

#endif /* RAMPART_VMX_ROOT_STEP_H */
