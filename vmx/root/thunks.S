/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Root's return thunk and retpolines (root side), bound by vmx/root/thunks.h
 * to the names the compiler emits under RETHUNK and RETPOLINE.
 *
 *  rampart_root_return_thunk  a plain RET. Root does not untrain the
 *                             return predictor on VM exit; the kernel's
 *                             retbleed and SRSO thunks live in kernel text.
 *  rampart_root_thunk_<reg>   a retpoline: root's indirect calls (the exit
 *                             table, the VM-entry checks, the policy
 *                             compiler) cannot be steered by branch-target
 *                             entries the guest trained.
 */
#include <linux/linkage.h>

#include "asm_annotate.h"

	/* Root code only: the EPT keeps these pages read-only (vmx/root/root.h). */
	.section .text.rampart_root, "ax"

ROOT_FUNC_START rampart_root_return_thunk
	ROOT_RET
SYM_FUNC_END(rampart_root_return_thunk)

.macro ROOT_RETPOLINE reg
SYM_CODE_START(rampart_root_thunk_\reg)
	UNWIND_HINT_FUNC
	ANNOTATE_NOENDBR
	ANNOTATE_INTRA_FUNCTION_CALL
	call	.Lset_target_\@
.Lspec_trap_\@:
	ROOT_UNWIND_NONE
	pause
	lfence
	jmp	.Lspec_trap_\@
.Lset_target_\@:
	mov	%\reg, (%rsp)
	UNWIND_HINT_FUNC
	ROOT_RET
SYM_CODE_END(rampart_root_thunk_\reg)
.endm

.irp reg, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	ROOT_RETPOLINE \reg
.endr
