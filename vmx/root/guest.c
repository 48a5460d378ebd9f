// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupted guest as every exit handler sees it (root side): its
 * GPRs, its privilege level, completing an emulated instruction, and the
 * diagnostic root keeps when something goes wrong. A leaf: it calls only
 * the VMCS accessors and the COM1 log.
 */
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/vmx.h>

#include "guest.h"
#include "ops.h"
#include "root.h"
#include "rootlog.h"
#include "vcpu.h"
#include "vmcs_access.h"

/**
 * rampart_skip_insn() - complete an emulated instruction.
 * @x: the exit.
 *
 * Advances RIP and drops STI/MOV-SS blocking, which end with the
 * instruction (SDM 27.3.1.5 and Vol. 3A 6.8.3).
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_skip_insn(struct exit_ctx *x)
{
	u64 rip = rp_vmreadl(GUEST_RIP) + rp_vmread32(VM_EXIT_INSTRUCTION_LEN);
	u64 intr = rp_vmread32(GUEST_INTERRUPTIBILITY_INFO);

	rp_vmwritel(GUEST_RIP, rip);
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		rp_vmwrite32(GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
	return EXIT_RESUME;
}

/**
 * rampart_guest_cpl() - the guest's current privilege level.
 *
 * The CPL is SS.DPL (SDM 25.4.1), bits 6:5 of the access rights.
 *
 * Return: 0-3.
 */
__rampart_root unsigned int rampart_guest_cpl(void)
{
	return VMX_AR_DPL(rp_vmread32(GUEST_SS_AR_BYTES));
}

/* A GPR by the 4-bit number exit qualifications use (SDM Table 28-3). */
#define GPR(name) offsetof(struct rampart_regs, name)
static const u8 gpr_offset[16] __rampart_root_ro = {
	GPR(rax), GPR(rcx), GPR(rdx), GPR(rbx), 0xff /* RSP: in the VMCS */,
	GPR(rbp), GPR(rsi), GPR(rdi), GPR(r8), GPR(r9), GPR(r10), GPR(r11),
	GPR(r12), GPR(r13), GPR(r14), GPR(r15),
};

/**
 * rampart_gpr_read() - a guest GPR by its exit-qualification number.
 * @x: the exit.
 * @n: 0-15 (SDM Table 28-3); RSP comes from the VMCS.
 *
 * Return: the register's value.
 */
__rampart_root u64 rampart_gpr_read(struct exit_ctx *x, unsigned int n)
{
	u8 off = gpr_offset[n & 15];

	return off == 0xff ? rp_vmreadl(GUEST_RSP) : *(u64 *)((u8 *)x->r + off);
}

/**
 * rampart_gpr_write() - set a guest GPR by its exit-qualification number.
 * @x: the exit.
 * @n: 0-15 (SDM Table 28-3); RSP goes to the VMCS.
 * @val: the value.
 */
__rampart_root void rampart_gpr_write(struct exit_ctx *x, unsigned int n,
				      u64 val)
{
	u8 off = gpr_offset[n & 15];

	if (off == 0xff)
		rp_vmwritel(GUEST_RSP, val);
	else
		*(u64 *)((u8 *)x->r + off) = val;
}

/**
 * rampart_report() - keep a diagnostic for the kernel side, print it on COM1.
 * @v: this CPU.
 * @what: what happened.
 * @reason: the exit reason, or ~0.
 */
__rampart_root void rampart_report(struct rampart_vcpu *v, const char *what, u32 reason)
{
	struct rampart_diag *d = &v->diag;
	int i;

	for (i = 0; what[i] && i < (int)sizeof(d->what) - 1; i++)
		d->what[i] = what[i];
	d->what[i] = '\0';
	d->reason = reason;
	d->insn_error = rp_vmread32(VM_INSTRUCTION_ERROR);
	d->qualification = rp_vmreadl(EXIT_QUALIFICATION);
	d->rip = rp_vmreadl(GUEST_RIP);
	d->rsp = rp_vmreadl(GUEST_RSP);
	d->cr0 = rp_vmreadl(GUEST_CR0);
	d->cr3 = rp_vmreadl(GUEST_CR3);
	d->cr4 = rp_vmreadl(GUEST_CR4);

	rampart_rootlog("\nrampart: root: ");
	rampart_rootlog(what);
	rampart_rootlog_hex("cpu", v->cpu);
	rampart_rootlog_hex("reason", reason);
	rampart_rootlog_hex("insn_error", d->insn_error);
	rampart_rootlog_hex("qual", d->qualification);
	rampart_rootlog("\nrampart: root: guest");
	rampart_rootlog_hex("rip", d->rip);
	rampart_rootlog_hex("rsp", d->rsp);
	rampart_rootlog_hex("cr0", d->cr0);
	rampart_rootlog_hex("cr3", d->cr3);
	rampart_rootlog_hex("cr4", d->cr4);
	rampart_rootlog("\n");
}

/* Segments whose base counts in 64-bit mode (SDM Vol. 3A 3.4.4). */
#define SEG_FS			4
#define SEG_GS			5

/**
 * rampart_operand_gla() - the linear address of an instruction's memory
 * operand, for 64-bit mode.
 * @x: the exit; its qualification holds the displacement, or for a
 *     RIP-relative operand the displacement plus RIP (SDM 28.2.1).
 * @info: the VM-exit instruction information (SDM 28.2.5).
 *
 * Return: the linear address.
 */
__rampart_root u64 rampart_operand_gla(struct exit_ctx *x, u32 info)
{
	u64 ea = x->qual;

	if (!(info & II_NO_BASE))
		ea += rampart_gpr_read(x, II_BASE(info));
	if (!(info & II_NO_INDEX))
		ea += rampart_gpr_read(x, II_INDEX(info)) << II_SCALE(info);
	if (II_ADDR_SIZE(info) == 1)
		ea = (u32)ea;
	if (II_SEG(info) == SEG_FS)
		ea += rp_vmreadl(GUEST_FS_BASE);
	else if (II_SEG(info) == SEG_GS)
		ea += rp_vmreadl(GUEST_GS_BASE);
	return ea;
}
