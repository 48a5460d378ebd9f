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

/* What one execution of an instruction stores (rampart_insn_store()). */
struct rampart_insn_store {
	u32 width;	/* bytes; 0: unknown */
	bool rflags;	/* the bytes are an image of RFLAGS (PUSHF) */
};

int rampart_insn_store(const u8 *insn, u32 len, struct rampart_insn_store *st);

#endif /* RAMPART_VMX_ROOT_INSN_WIDTH_H */
