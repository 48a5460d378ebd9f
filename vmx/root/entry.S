/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMX root entry points (root side: no kernel symbol may be referenced).
 *
 *  rampart_vmexit_entry   HOST_RIP. SDM 28.5: on VM exit RSP = HOST_RSP,
 *                         interrupts are off (RFLAGS = 2), GPRs are the
 *                         guest's. Saves them as struct rampart_exit_frame
 *                         and dispatches; resumes, or leaves VMX.
 *  rampart_root_nmi       NMI gate of the root IDT: records the NMI for
 *                         re-injection (DESIGN.md principle 9).
 *  rampart_root_exc_*     the other exception gates: fix up a faulting
 *                         guarded instruction or stop with a diagnostic
 *                         (vmx/root/fault.c).
 */
#include <linux/errno.h>
#include <linux/linkage.h>

#include "asm_annotate.h"

	/* Root code only: the EPT keeps these pages read-only (vmx/root/root.h). */
	.section .text.rampart_root, "ax"

.macro PUSH_GPRS
	push %rax
	push %rcx
	push %rdx
	push %rbx
	push %rbp
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rbp
	pop %rbx
	pop %rdx
	pop %rcx
	pop %rax
.endm

SYM_CODE_START(rampart_vmexit_entry)
	ROOT_UNWIND_NONE
	ENDBR
	/* HOST_RSP leaves 40 bytes above for the way-out iret frame. */
	PUSH_GPRS
	mov	%rsp, %rdi
	call	rampart_handle_exit
	/* EXIT_RESUME 0, EXIT_LEAVE 1, EXIT_LAUNCH 2 (vmx/root/guest.h). */
.Ldispatch:
	cmp	$2, %eax
	je	.Llaunch
	test	%eax, %eax
	jnz	.Lleave
	POP_GPRS
	vmresume
	jmp	.Lfailed
.Llaunch:
	/* A new L2 entry on vmcs02 (vmx/root/nested_run.c). */
	POP_GPRS
	vmlaunch
.Lfailed:
	/*
	 * VMfail (SDM 31.3 VMRESUME, VMLAUNCH): root gives L1 the failure of
	 * its own VMLAUNCH and resumes it, or parks the CPU and never
	 * returns; leaving VMX here would hand a CPU to the kernel (an
	 * escape).
	 */
	PUSH_GPRS
	mov	%rsp, %rdi
	call	rampart_resume_failed
	jmp	.Ldispatch
.Lleave:
	/* Restores native state; returns the guest CR3 and fills the frame. */
	mov	%rsp, %rdi
	call	rampart_root_leave
	mov	%rax, %cr3
	POP_GPRS
	iretq
SYM_CODE_END(rampart_vmexit_entry)

.macro PUSH_SCRATCH
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
.endm

.macro POP_SCRATCH
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
.endm

SYM_CODE_START(rampart_root_nmi)
	UNWIND_HINT_IRET_REGS
	ENDBR
	PUSH_SCRATCH
	mov	%rsp, %rdi
	call	rampart_root_nmi_c
	POP_SCRATCH
	iretq
SYM_CODE_END(rampart_root_nmi)

/* Exception stubs: push a dummy error code where the CPU pushes none. */
.macro EXC_STUB vec, errcode
SYM_CODE_START_LOCAL(rampart_root_exc_\vec)
	UNWIND_HINT_IRET_REGS offset=8*\errcode
	ENDBR
	.if \errcode == 0
	push	$0
	.endif
	push	$\vec
	jmp	rampart_root_exc_common
SYM_CODE_END(rampart_root_exc_\vec)
.endm

/* Vectors with an error code: 8, 10-14, 17, 21, 29, 30 (SDM 6.3.1). */
.irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
	EXC_STUB \v, 0
.endr
.irp v, 8,10,11,12,13,14,17,21,29,30
	EXC_STUB \v, 1
.endr

SYM_CODE_START_LOCAL(rampart_root_exc_common)
	PUSH_SCRATCH
	mov	%rsp, %rdi
	call	rampart_root_exception	/* returns only if fixed up */
	POP_SCRATCH
	add	$16, %rsp		/* vector and error code */
	iretq
SYM_CODE_END(rampart_root_exc_common)

	.section .rodata.rampart_root, "a"
	.align 8
SYM_DATA_START(rampart_root_exc_stubs)
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad rampart_root_exc_\v
.endr
SYM_DATA_END(rampart_root_exc_stubs)
