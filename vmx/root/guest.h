/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One VM exit as its handler sees it, and the guest helpers every handler
 * shares (vmx/root/guest.c). Root side.
 */
#ifndef RAMPART_VMX_ROOT_GUEST_H
#define RAMPART_VMX_ROOT_GUEST_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

struct rampart_regs;
struct rampart_vcpu;

/*
 * What a handler returns: VMRESUME, leave VMX (unsealed DEVIRT only), or
 * VMLAUNCH the VMCS root made current (vmcs02, vmx/root/nested_run.c).
 * vmx/root/entry.S spells the values out.
 */
enum { EXIT_RESUME, EXIT_LEAVE, EXIT_LAUNCH };

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

/*
 * VM-exit instruction information (SDM 28.2.5, Tables 28-10 to 28-14):
 * the same layout for descriptor-table and VMX instructions. II_REG2 is
 * the second register operand of VMREAD, VMWRITE, INVEPT and INVVPID.
 */
#define II_SCALE(i)		((i) & 3)
#define II_REG1(i)		(((i) >> 3) & 15)
#define II_ADDR_SIZE(i)		(((i) >> 7) & 7)
#define II_REG_FORM		BIT(10)
#define II_SEG(i)		(((i) >> 15) & 7)
#define II_INDEX(i)		(((i) >> 18) & 15)
#define II_NO_INDEX		BIT(22)
#define II_BASE(i)		(((i) >> 23) & 15)
#define II_NO_BASE		BIT(27)
#define II_REG2(i)		(((i) >> 28) & 15)

int rampart_skip_insn(struct exit_ctx *x);
unsigned int rampart_guest_cpl(void);
u64 rampart_gpr_read(struct exit_ctx *x, unsigned int n);
void rampart_gpr_write(struct exit_ctx *x, unsigned int n, u64 val);
u64 rampart_operand_gla(struct exit_ctx *x, u32 info);
void rampart_report(struct rampart_vcpu *v, const char *what, u32 reason);

/* Stop this CPU in root for good: interrupts off, HLT forever. */
static __always_inline void __noreturn rampart_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#endif /* RAMPART_VMX_ROOT_GUEST_H */
