/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Root-mode functions that vmx/entry.S calls, and the guarded instructions
 * it provides. Root side: see DESIGN.md principle 2.
 */
#ifndef RAMPART_VMX_ROOT_H
#define RAMPART_VMX_ROOT_H

#include <linux/compiler.h>

#include "vcpu.h"

/*
 * Root code and root read-only data live in their own page-aligned
 * sections, between vmx/root_begin.S and vmx/root_end.S, so the EPT can
 * make exactly those pages read-only. tools/check-root-syms.sh fails the
 * build if a root object leaves anything in plain .text.
 */
#define __rampart_root		__section(".text.rampart_root")
#define __rampart_root_ro	__section(".rodata.rampart_root")

extern const u8 rampart_root_text_start[], rampart_root_text_end[];
extern const u8 rampart_root_rodata_start[], rampart_root_rodata_end[];

/* What rampart_root_exc_common leaves on the stack. */
struct rampart_exc_frame {
	u64 r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	u64 vector, error;
	struct rampart_iret iret;
};

int rampart_handle_exit(struct rampart_exit_frame *f);
void __noreturn rampart_resume_failed(struct rampart_exit_frame *f);
u64 rampart_root_leave(struct rampart_exit_frame *f);
void rampart_root_nmi_c(unsigned long sp);
void rampart_root_exception(struct rampart_exc_frame *f);

/* Guarded instructions: -EIO instead of a #GP (vmx/entry.S). */
int rampart_root_rdmsr(u32 msr, u64 *val);
int rampart_root_wrmsr(u32 msr, u64 val);
int rampart_root_xsetbv(u32 xcr, u64 val);
extern const u8 rampart_root_rdmsr_insn[], rampart_root_rdmsr_fixup[];
extern const u8 rampart_root_wrmsr_insn[], rampart_root_wrmsr_fixup[];
extern const u8 rampart_root_xsetbv_insn[], rampart_root_xsetbv_fixup[];

#endif /* RAMPART_VMX_ROOT_H */
