/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How many bytes a 64-bit mode instruction stores (vmx/root/insn_width.c),
 * for write-watch: root decodes the instruction at the RIP of a write that
 * hit an EPT violation, to tell whether the write overlaps a watched range
 * and how many old and new bytes to keep. Root side; pure, KUnit covers it.
 */
#ifndef RAMPART_VMX_ROOT_INSN_WIDTH_H
#define RAMPART_VMX_ROOT_INSN_WIDTH_H

#include <linux/types.h>

/* The longest instruction the CPU executes (SDM Vol. 2A 2.3.11). */
#define RAMPART_INSN_MAX	15U

int rampart_insn_write_width(const u8 *insn, u32 len, u32 *width);

#endif /* RAMPART_VMX_ROOT_INSN_WIDTH_H */
