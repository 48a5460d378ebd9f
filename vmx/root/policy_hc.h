/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy hypercalls and per-CPU application (vmx/root/policy_hc.c).
 * Root side.
 */
#ifndef RAMPART_VMX_ROOT_POLICY_HC_H
#define RAMPART_VMX_ROOT_POLICY_HC_H

#include <linux/types.h>

#include "guest.h"

struct rampart_vcpu;

int rampart_hc_policy_load(struct exit_ctx *x);
int rampart_hc_policy_sync(struct exit_ctx *x);
int rampart_hc_seal(struct exit_ctx *x);
void rampart_root_policy_apply(struct rampart_vcpu *v);

#endif /* RAMPART_VMX_ROOT_POLICY_HC_H */
