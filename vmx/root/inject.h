/* SPDX-License-Identifier: GPL-2.0-only */
/* Event injection under the SDM's VM-entry rules (vmx/inject.c). Root side. */
#ifndef RAMPART_VMX_INJECT_H
#define RAMPART_VMX_INJECT_H

#include <linux/types.h>

struct exit_ctx;
struct rampart_vcpu;

bool rampart_inject(u32 info, u32 err, u32 len);
void rampart_inject_exception(struct rampart_vcpu *v, u32 vector, u32 err);
int rampart_inject_gp(struct exit_ctx *x);
int rampart_inject_ud(struct exit_ctx *x);
bool rampart_reinject_vectoring(struct rampart_vcpu *v);

#endif /* RAMPART_VMX_INJECT_H */
