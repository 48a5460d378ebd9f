/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * First object of rampart.ko: opens the page-aligned sections that hold
 * all VMX-root code and read-only data (vmx/root.h, __rampart_root*). The
 * EPT makes these pages read-only to the kernel (core/launch.c).
 */
#include "asm_annotate.h"

	.section .text.rampart_root, "ax"
	.balign 4096
	.globl rampart_root_text_start
rampart_root_text_start:
	/* A bound the kernel side reads, not a branch target. */
	ANNOTATE_NOENDBR
	int3

	.section .rodata.rampart_root, "a"
	.balign 4096
	.globl rampart_root_rodata_start
rampart_root_rodata_start:
