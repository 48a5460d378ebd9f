/* SPDX-License-Identifier: GPL-2.0-only */
/* Control-register exits (vmx/root/cr.c). Root side. */
#ifndef RAMPART_VMX_ROOT_CR_H
#define RAMPART_VMX_ROOT_CR_H

#include <linux/types.h>

#include "guest.h"

struct rampart_vcpu;

int rampart_handle_cr(struct exit_ctx *x);
void rampart_cr_host_load(struct rampart_vcpu *v, u64 cr0, u64 cr4);
u64 rampart_cr_now(int cri);

#endif /* RAMPART_VMX_ROOT_CR_H */
