/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Root's own return and indirect-branch thunks (root side).
 *
 * With RETHUNK and RETPOLINE the compiler sends every return to
 * __x86_return_thunk and every indirect branch to __x86_indirect_thunk_<reg>.
 * The kernel rewrites such sites at module load to reach its chosen thunks
 * in kernel text, which root's page tables do not map. The Makefile
 * force-includes this header into every root C object of rampart.ko, with
 * RAMPART_ROOT_THUNKS defined, and the aliases below bind those names to
 * root's copies in vmx/root/thunks.S: objtool then finds no site in root
 * code for the kernel to rewrite.
 */
#ifndef RAMPART_VMX_ROOT_THUNKS_H
#define RAMPART_VMX_ROOT_THUNKS_H

#if defined(RAMPART_ROOT_THUNKS) && !defined(__ASSEMBLY__)

#define RP_THUNK_ALIAS(reg)						\
	".set __x86_indirect_thunk_" #reg ", rampart_root_thunk_" #reg "\n"

asm(".set __x86_return_thunk, rampart_root_return_thunk\n"
	RP_THUNK_ALIAS(rax) RP_THUNK_ALIAS(rbx) RP_THUNK_ALIAS(rcx)
	RP_THUNK_ALIAS(rdx) RP_THUNK_ALIAS(rsi) RP_THUNK_ALIAS(rdi)
	RP_THUNK_ALIAS(rbp) RP_THUNK_ALIAS(r8) RP_THUNK_ALIAS(r9)
	RP_THUNK_ALIAS(r10) RP_THUNK_ALIAS(r11) RP_THUNK_ALIAS(r12)
	RP_THUNK_ALIAS(r13) RP_THUNK_ALIAS(r14) RP_THUNK_ALIAS(r15));

#endif
#endif /* RAMPART_VMX_ROOT_THUNKS_H */
