/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Annotations for root's assembly (root side), the same on 6.1 and 6.12.
 * They emit an ENDBR or an objtool note, never a call: on kernels that
 * check the linked module (IBT, 6.12), objtool validates root code too.
 */
#ifndef RAMPART_VMX_ROOT_ASM_ANNOTATE_H
#define RAMPART_VMX_ROOT_ASM_ANNOTATE_H

#ifdef __ASSEMBLY__
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* Code entered with no stack to unwind through; renamed in 6.4. */
#ifdef UNWIND_HINT_TYPE_UNDEFINED
#define ROOT_UNWIND_NONE	UNWIND_HINT_UNDEFINED
#else
#define ROOT_UNWIND_NONE	UNWIND_HINT_EMPTY
#endif

/*
 * A root function: aligned with int3, never behind NOP padding, which
 * call-depth tracking would fill with per-CPU accounting and call into
 * (tools/check-root-padding.py checks).
 */
.macro ROOT_FUNC_START name
	.balign 16, 0xcc
	SYM_FUNC_START_NOALIGN(\name)
.endm

/* A return root vouches for: no kernel return thunk is reachable from root. */
.macro ROOT_RET
	ANNOTATE_UNRET_SAFE
	ret
	int3
.endm

#endif /* __ASSEMBLY__ */
#endif /* RAMPART_VMX_ROOT_ASM_ANNOTATE_H */
