// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy Rampart applies when none is given (kernel side). It goes
 * through the same parser and root compiler as any other policy.
 *
 * CR0.PE/PG: no leaving protected mode or paging. CR0.WP: supervisor
 * writes honour read-only pages. CR4: the security bits this CPU has on
 * (SMEP, SMAP, UMIP, PKE, CET, PKS). MSRs: the system-call entry points
 * and their masks (EFER, STAR, LSTAR, CSTAR, SYSCALL_MASK, SYSENTER_*),
 * IA32_FEATURE_CONTROL, and with CET the supervisor shadow-stack MSRs
 * (S_CET, PL0_SSP). Kernel and module text: only text_poke() writes
 * them, when root could calibrate it (hooks/textpoke.c: the caller says).
 * VMX: emulated for the kernel, so KVM guests run under Rampart, where
 * root can do it (core/probe.c: the caller says). README.md,
 * "Default policy", says why each MSR is in or out.
 */
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>

#include "default_policy.h"

static const struct {
	unsigned long bit;
	const char *name;
} cr4_security[] = {
	{ X86_CR4_SMEP, "smep" }, { X86_CR4_SMAP, "smap" },
	{ X86_CR4_UMIP, "umip" }, { X86_CR4_PKE, "pke" },
	{ X86_CR4_CET, "cet" }, { BIT(24), "pks" },
};

static const char *const msr_always[] = {
	"efer", "star", "lstar", "cstar", "syscall_mask", "sysenter_cs",
	"sysenter_esp", "sysenter_eip", "feature_control",
};

static const char *const msr_cet[] = { "s_cet", "pl0_ssp" };

/* CET shadow stack or IBT: CPUID.(7,0):ECX[7] or EDX[20]. */
static bool cpu_has_cet(void)
{
	unsigned int a, b, c, d;

	if (boot_cpu_data.cpuid_level < 7)
		return false;
	cpuid_count(7, 0, &a, &b, &c, &d);
	return (c & BIT(7)) || (d & BIT(20));
}

/**
 * rampart_default_policy() - write the default policy text for this CPU.
 * @buf: output.
 * @size: its size; 1 KiB is plenty.
 * @poke: root calibrated text_poke(), so text can take "poke" rules.
 * @nested: root can emulate VMX for the kernel here
 *          (rampart_nested_supported()), so the default allows it.
 *
 * Return: the text's length (as scnprintf counts).
 */
size_t rampart_default_policy(char *buf, size_t size, bool poke, bool nested)
{
	unsigned long cr4 = native_read_cr4();
	const char *sep = "cr4.";
	size_t n = 0;
	unsigned int i;
	u64 misc;

	n += scnprintf(buf + n, size - n,
		       "# rampart default policy\ncr0.pe,wp,pg lock deny gp\n");
	for (i = 0; i < ARRAY_SIZE(cr4_security); i++) {
		if (!(cr4 & cr4_security[i].bit))
			continue;
		n += scnprintf(buf + n, size - n, "%s%s", sep,
			       cr4_security[i].name);
		sep = ",";
	}
	if (*sep == ',')
		n += scnprintf(buf + n, size - n, " lock deny gp\n");
	for (i = 0; i < ARRAY_SIZE(msr_always); i++)
		n += scnprintf(buf + n, size - n, "msr.%s lock deny gp\n",
			       msr_always[i]);
	/*
	 * IA32_MISC_ENABLE bit 34, XD disable: setting it turns off
	 * no-execute under a locked EFER.NXE. Only that bit is locked: the
	 * kernel writes others (fast strings, turbo) when a CPU comes up.
	 */
	if (!rdmsrl_safe(MSR_IA32_MISC_ENABLE, &misc))
		n += scnprintf(buf + n, size - n,
			       "msr.misc_enable/%#llx lock deny gp\n",
			       MSR_IA32_MISC_ENABLE_XD_DISABLE);
	for (i = 0; cpu_has_cet() && i < ARRAY_SIZE(msr_cet); i++)
		n += scnprintf(buf + n, size - n, "msr.%s lock deny gp\n",
			       msr_cet[i]);
	if (poke)
		n += scnprintf(buf + n, size - n,
			       "range.kernel_text poke deny\nrange.modules poke deny\n");
	if (nested)
		n += scnprintf(buf + n, size - n, "vmx.nested lock allow\n");
	return n;
}
