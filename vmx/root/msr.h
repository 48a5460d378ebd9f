/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSR exits and the MSR bitmap (vmx/root/msr.c): root side; the bitmap is
 * also set up before launch.
 */
#ifndef RAMPART_VMX_MSR_H
#define RAMPART_VMX_MSR_H

#include <linux/types.h>

/* MSR bitmaps (SDM 25.6.9): read bits of low MSRs at byte 0, of high MSRs at 1024. */
#define RAMPART_MSR_BITMAP_WRITES	2048	/* the write bits: this much further */

/*
 * The byte of @msr's read bit in an MSR bitmap (add RAMPART_MSR_BITMAP_WRITES
 * for its write bit), and the bit in it as *@mask.
 */
static inline u32 rampart_msr_bitmap_byte(u32 msr, u8 *mask)
{
	*mask = 1 << (msr & 7);
	return (msr >= 0xc0000000 ? 1024 : 0) + ((msr & 0x1fff) >> 3);
}

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
