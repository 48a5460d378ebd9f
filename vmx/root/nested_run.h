/* SPDX-License-Identifier: GPL-2.0-only */
/* Running L2: entries and exits (vmx/root/nested_run.c). Root side. */
#ifndef RAMPART_VMX_ROOT_NESTED_RUN_H
#define RAMPART_VMX_ROOT_NESTED_RUN_H

#include <linux/types.h>

struct exit_ctx;
struct rampart_nested;
struct rampart_vcpu;

/* What rampart_nested_exit() did. */
enum { RAMPART_NESTED_STAY, RAMPART_NESTED_TO_L1, RAMPART_NESTED_BROKEN };

void rampart_nested_prepare(struct rampart_nested *n);
u16 rampart_nested_vpid(const struct rampart_vcpu *v);
int rampart_nested_enter(struct exit_ctx *x);
int rampart_nested_exit(struct exit_ctx *x, u32 raw);
u32 rampart_nested_entry_failed(struct rampart_vcpu *v);

#endif /* RAMPART_VMX_ROOT_NESTED_RUN_H */
