/* SPDX-License-Identifier: GPL-2.0-only */
/* Last object of rampart.ko: closes the root sections on a page boundary. */
	.section .text.rampart_root, "ax"
	.balign 4096
	.globl rampart_root_text_end
rampart_root_text_end:

	.section .rodata.rampart_root, "a"
	.balign 4096
	.globl rampart_root_rodata_end
rampart_root_rodata_end:
