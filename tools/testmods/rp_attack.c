// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile module: tries to change every CR bit and MSR the default
 * policy locks, with raw instructions (no CR pinning, no paravirt), and a
 * few the policy leaves alone. Each attempt runs with interrupts off on
 * one CPU; a #GP is caught by the exception table. If a write to a locked
 * asset ever went through, it is undone at once so the kernel survives to
 * report it. One line per attempt:
 *
 *   rp_attack: <name>: fault=<0|1> changed=<0|1> before=<v> after=<v>
 *
 * The rig's policy scenario judges the lines; this module judges nothing.
 */
#define pr_fmt(fmt) "rp_attack: " fmt

#include <linux/module.h>
#include <linux/irqflags.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>

static bool write_cr(int cr, unsigned long val)
{
	bool fault = true;

	if (cr == 0)
		asm volatile("1: mov %[v], %%cr0\n\t"
			     "movb $0, %[f]\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : [f] "+m"(fault) : [v] "r"(val) : "memory");
	else
		asm volatile("1: mov %[v], %%cr4\n\t"
			     "movb $0, %[f]\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : [f] "+m"(fault) : [v] "r"(val) : "memory");
	return fault;
}

static unsigned long read_cr(int cr)
{
	return cr == 0 ? native_read_cr0() : native_read_cr4();
}

struct cr_attack {
	const char *name;
	int cr;
	unsigned long flip;
};

static const struct cr_attack cr_attacks[] = {
	{ "cr0.wp", 0, X86_CR0_WP },
	{ "cr0.pg", 0, X86_CR0_PG },
	{ "cr4.smep", 4, X86_CR4_SMEP },
	{ "cr4.smap", 4, X86_CR4_SMAP },
	/* Not locked: these must still work, without an exit. */
	{ "cr4.tsd", 4, X86_CR4_TSD },
	{ "cr4.pge", 4, X86_CR4_PGE },
	{ "cr0.ts", 0, X86_CR0_TS },
};

struct msr_attack {
	const char *name;
	u32 msr;
	u64 flip;
};

static const struct msr_attack msr_attacks[] = {
	{ "msr.lstar", MSR_LSTAR, 0x1000 },
	{ "msr.star", MSR_STAR, 1ULL << 48 },
	{ "msr.cstar", MSR_CSTAR, 0x1000 },
	{ "msr.syscall_mask", MSR_SYSCALL_MASK, X86_EFLAGS_AC },
	{ "msr.sysenter_cs", MSR_IA32_SYSENTER_CS, 8 },
	{ "msr.sysenter_esp", MSR_IA32_SYSENTER_ESP, 0x1000 },
	{ "msr.sysenter_eip", MSR_IA32_SYSENTER_EIP, 0x1000 },
	{ "msr.efer.nxe", MSR_EFER, EFER_NX },
	{ "msr.feature_control", MSR_IA32_FEAT_CTL, 1ULL << 1 },
	/* XD disable: locked alone; run only where Rampart blocks it. */
	{ "msr.misc_enable.xd", MSR_IA32_MISC_ENABLE,
	  MSR_IA32_MISC_ENABLE_XD_DISABLE },
	/* Not locked by the default policy. */
	{ "msr.tsc_aux", MSR_TSC_AUX, 0x55 },
};

static noinline void try_cr(const struct cr_attack *a)
{
	unsigned long flags, before, after;
	bool fault;

	local_irq_save(flags);
	before = read_cr(a->cr);
	fault = write_cr(a->cr, before ^ a->flip);
	after = read_cr(a->cr);
	if (after != before)
		write_cr(a->cr, before);
	local_irq_restore(flags);
	pr_info("%s: fault=%d changed=%d before=%#lx after=%#lx\n", a->name,
		fault, after != before, before, after);
}

static noinline void try_msr(const struct msr_attack *a)
{
	unsigned long flags;
	u64 before, after = 0;
	bool fault;

	local_irq_save(flags);
	if (rdmsrl_safe(a->msr, &before)) {
		local_irq_restore(flags);
		pr_info("%s: absent\n", a->name);
		return;
	}
	fault = wrmsrl_safe(a->msr, before ^ a->flip) != 0;
	rdmsrl_safe(a->msr, &after);
	if (after != before)
		wrmsrl_safe(a->msr, before);
	local_irq_restore(flags);
	pr_info("%s: fault=%d changed=%d before=%#llx after=%#llx\n", a->name,
		fault, after != before, before, after);
}

static int __init rp_attack_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cr_attacks); i++)
		try_cr(&cr_attacks[i]);
	for (i = 0; i < ARRAY_SIZE(msr_attacks); i++)
		try_msr(&msr_attacks[i]);
	pr_info("done\n");
	return 0;
}

static void __exit rp_attack_exit(void)
{
}

module_init(rp_attack_init);
module_exit(rp_attack_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: try to change locked CR bits and MSRs");
