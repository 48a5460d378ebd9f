/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One VM exit as its handler sees it, and the guest helpers every handler
 * shares (vmx/root/guest.c). Root side.
 */
#ifndef RAMPART_VMX_ROOT_GUEST_H
#define RAMPART_VMX_ROOT_GUEST_H

#include <linux/compiler.h>
#include <linux/types.h>

struct rampart_regs;
struct rampart_vcpu;

/* What a handler returns: VMRESUME, or leave VMX (unsealed DEVIRT only). */
enum { EXIT_RESUME, EXIT_LEAVE };

/*
 * struct exit_ctx - one VM exit.
 * @v: this CPU.
 * @r: the guest GPRs as vmx/root/entry.S saved them.
 * @reason: the basic exit reason (SDM 28.2.1, bits 15:0).
 * @qual: the exit qualification (SDM 28.2.1).
 */
struct exit_ctx {
	struct rampart_vcpu *v;
	struct rampart_regs *r;
	u32 reason;
	u64 qual;
};

int rampart_skip_insn(struct exit_ctx *x);
unsigned int rampart_guest_cpl(void);
u64 rampart_gpr_read(struct exit_ctx *x, unsigned int n);
void rampart_gpr_write(struct exit_ctx *x, unsigned int n, u64 val);
void rampart_report(struct rampart_vcpu *v, const char *what, u32 reason);

/* Stop this CPU in root for good: interrupts off, HLT forever. */
static __always_inline void __noreturn rampart_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#endif /* RAMPART_VMX_ROOT_GUEST_H */
