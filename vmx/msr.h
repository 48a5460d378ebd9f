/* SPDX-License-Identifier: GPL-2.0-only */
/* The MSR bitmap (vmx/msr.c): root side, also set up before launch. */
#ifndef RAMPART_VMX_MSR_H
#define RAMPART_VMX_MSR_H

#include <linux/types.h>

struct rampart_root;

void rampart_msr_intercept(struct rampart_root *rs, u32 msr, bool on);
void rampart_msr_bitmap_init(struct rampart_root *rs);

#endif /* RAMPART_VMX_MSR_H */
