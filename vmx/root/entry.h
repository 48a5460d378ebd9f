/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The assembly side of root: what vmx/root/entry.S calls (the exit
 * dispatch, the way out, the root IDT handlers) and the guarded
 * instructions vmx/root/insn.S provides. Root side.
 */
#ifndef RAMPART_VMX_ROOT_ENTRY_H
#define RAMPART_VMX_ROOT_ENTRY_H

#include <linux/compiler.h>
#include <linux/types.h>

#include "vcpu.h"

/* What rampart_root_exc_common leaves on the stack. */
struct rampart_exc_frame {
	u64 r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	u64 vector, error;
	struct rampart_iret iret;
};

int rampart_handle_exit(struct rampart_exit_frame *f);
int rampart_resume_failed(struct rampart_exit_frame *f);
u64 rampart_root_leave(struct rampart_exit_frame *f);
void rampart_root_nmi_c(unsigned long sp);
void rampart_root_exception(struct rampart_exc_frame *f);

/* Guarded instructions: -EIO instead of a #GP (vmx/root/insn.S). */
int rampart_root_rdmsr(u32 msr, u64 *val);
int rampart_root_wrmsr(u32 msr, u64 val);
int rampart_root_xsetbv(u32 xcr, u64 val);
extern const u8 rampart_root_rdmsr_insn[], rampart_root_rdmsr_fixup[];
extern const u8 rampart_root_wrmsr_insn[], rampart_root_wrmsr_fixup[];
extern const u8 rampart_root_xsetbv_insn[], rampart_root_xsetbv_fixup[];

#endif /* RAMPART_VMX_ROOT_ENTRY_H */
