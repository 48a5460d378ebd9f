/* SPDX-License-Identifier: GPL-2.0-only */
/* The MSR bitmap (vmx/msr.c): root side, also set up before launch. */
#ifndef RAMPART_VMX_MSR_H
#define RAMPART_VMX_MSR_H

#include <linux/types.h>

void rampart_msr_intercept(u8 *bm, u32 msr, bool on);
void rampart_msr_bitmap_init(u8 *bm);

#endif /* RAMPART_VMX_MSR_H */
