/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSR exits and the MSR bitmap (vmx/root/msr.c): root side; the bitmap is
 * also set up before launch.
 */
#ifndef RAMPART_VMX_MSR_H
#define RAMPART_VMX_MSR_H

#include <linux/types.h>

struct rampart_root;
struct exit_ctx;
struct rampart_vcpu;

void rampart_msr_intercept(struct rampart_root *rs, u32 msr, bool on);
void rampart_msr_bitmap_init(struct rampart_root *rs);
int rampart_handle_rdmsr(struct exit_ctx *x);
int rampart_handle_wrmsr(struct exit_ctx *x);
int rampart_msr_policy_write(struct rampart_vcpu *v, u32 msr, u64 val);
int rampart_msr_read(u32 msr, u64 *val);

#endif /* RAMPART_VMX_MSR_H */
