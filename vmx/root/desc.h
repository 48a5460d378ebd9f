/* SPDX-License-Identifier: GPL-2.0-only */
/* The descriptor-table guard (vmx/root/desc.c). Root side. */
#ifndef RAMPART_VMX_ROOT_DESC_H
#define RAMPART_VMX_ROOT_DESC_H

#include <linux/types.h>

#include "../../policy/policy.h"
#include "guest.h"

struct rampart_root;
struct rampart_vcpu;

bool rampart_desc_available(const struct rampart_root *rs);
bool rampart_desc_guards(const struct rp_range_rule *r);
void rampart_desc_launched(struct rampart_vcpu *v);
void rampart_desc_apply(struct rampart_vcpu *v, const struct rampart_policy *p);
int rampart_handle_desc(struct exit_ctx *x);
void rampart_desc_host_load(struct rampart_vcpu *v, u64 gdt_base,
			    u64 idt_base);

#endif /* RAMPART_VMX_ROOT_DESC_H */
