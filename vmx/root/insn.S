/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guarded instructions (root side): the MSR and XCR accesses root emulates
 * for the guest. Each can #GP on a value the guest chose; the fixup makes
 * it return -EIO instead (vmx/root/fault.c).
 */
#include <linux/errno.h>
#include <linux/linkage.h>

#include "asm_annotate.h"

	/* Root code only: the EPT keeps these pages read-only (vmx/root/root.h). */
	.section .text.rampart_root, "ax"

/*
 * Guarded instructions. A #GP on the labelled instruction makes
 * rampart_root_exception() resume at the matching fixup, which returns
 * -EIO. int rampart_root_rdmsr(u32 msr, u64 *val)
 */
ROOT_FUNC_START rampart_root_rdmsr
	mov	%edi, %ecx
SYM_INNER_LABEL(rampart_root_rdmsr_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, (%rsi)
	xor	%eax, %eax
	ROOT_RET
SYM_INNER_LABEL(rampart_root_rdmsr_fixup, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	UNWIND_HINT_FUNC	/* entered from the #GP handler, as at a call */
	mov	$-EIO, %eax
	ROOT_RET
SYM_FUNC_END(rampart_root_rdmsr)

/* int rampart_root_wrmsr(u32 msr, u64 val) */
ROOT_FUNC_START rampart_root_wrmsr
	mov	%edi, %ecx
	mov	%rsi, %rax
	mov	%rsi, %rdx
	shr	$32, %rdx
SYM_INNER_LABEL(rampart_root_wrmsr_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	wrmsr
	xor	%eax, %eax
	ROOT_RET
SYM_INNER_LABEL(rampart_root_wrmsr_fixup, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	UNWIND_HINT_FUNC	/* entered from the #GP handler, as at a call */
	mov	$-EIO, %eax
	ROOT_RET
SYM_FUNC_END(rampart_root_wrmsr)

/* int rampart_root_xsetbv(u32 xcr, u64 val) */
ROOT_FUNC_START rampart_root_xsetbv
	mov	%edi, %ecx
	mov	%rsi, %rax
	mov	%rsi, %rdx
	shr	$32, %rdx
SYM_INNER_LABEL(rampart_root_xsetbv_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	xsetbv
	xor	%eax, %eax
	ROOT_RET
SYM_INNER_LABEL(rampart_root_xsetbv_fixup, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	UNWIND_HINT_FUNC	/* entered from the #GP handler, as at a call */
	mov	$-EIO, %eax
	ROOT_RET
SYM_FUNC_END(rampart_root_xsetbv)
