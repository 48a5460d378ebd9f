/* SPDX-License-Identifier: GPL-2.0-only */
/* Text-poke windows (vmx/root/poke.c). Root side. */
#ifndef RAMPART_VMX_ROOT_POKE_H
#define RAMPART_VMX_ROOT_POKE_H

#include <linux/types.h>

#include "../../policy/policy.h"
#include "guest.h"

struct rampart_vcpu;

bool rampart_poke_write(struct exit_ctx *x, u64 gpa,
			const struct rp_range_rule *r, u32 *why);
void rampart_poke_close(struct rampart_vcpu *v);
int rampart_hc_poke_calibrate(struct exit_ctx *x);

#endif /* RAMPART_VMX_ROOT_POKE_H */
