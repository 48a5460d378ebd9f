// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe VMX on every online CPU, check that all CPUs agree, and refuse,
 * with one log line naming the reason, when something Rampart needs is
 * missing (DESIGN.md principle 7).
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/vmx.h>

#include "rampart.h"

struct rampart_caps rampart_boot_caps;
struct rampart_cpu **rampart_cpus;

static const char *const state_names[RAMPART_CPU_STATE_NR] = {
	[RAMPART_CPU_UNPROBED] = "unprobed",
	[RAMPART_CPU_NATIVE] = "native",
	[RAMPART_CPU_LAUNCHED] = "launched",
};

/**
 * rampart_cpu_state_name() - the sysfs spelling of a CPU state.
 * @s: the state.
 *
 * Return: a constant string.
 */
const char *rampart_cpu_state_name(enum rampart_cpu_state s)
{
	return s < RAMPART_CPU_STATE_NR ? state_names[s] : "invalid";
}

/* An MSR that faults reads as 0, which the requirement table rejects. */
static u64 read_msr(u32 msr)
{
	u64 v;

	return rdmsrl_safe(msr, &v) ? 0 : v;
}

/* The capability MSRs, plain and TRUE (SDM A.2), in rampart_ctl_kind order. */
static const struct {
	u32 plain;
	u32 true_msr;
} ctl_msrs[RAMPART_CTL_NR] = {
	[RAMPART_CTL_PIN] = { MSR_IA32_VMX_PINBASED_CTLS,
			      MSR_IA32_VMX_TRUE_PINBASED_CTLS },
	[RAMPART_CTL_PROC] = { MSR_IA32_VMX_PROCBASED_CTLS,
			       MSR_IA32_VMX_TRUE_PROCBASED_CTLS },
	[RAMPART_CTL_PROC2] = { MSR_IA32_VMX_PROCBASED_CTLS2,
				MSR_IA32_VMX_PROCBASED_CTLS2 },
	[RAMPART_CTL_EXIT] = { MSR_IA32_VMX_EXIT_CTLS,
			       MSR_IA32_VMX_TRUE_EXIT_CTLS },
	[RAMPART_CTL_ENTRY] = { MSR_IA32_VMX_ENTRY_CTLS,
				MSR_IA32_VMX_TRUE_ENTRY_CTLS },
};

/* Runs on the CPU being probed. */
static void probe_this_cpu(void *info)
{
	struct rampart_cpu *rc = info;
	struct rampart_caps_raw *raw = &rc->raw;
	bool use_true;
	int i;

	memset(raw, 0, sizeof(*raw));
	raw->cpuid1_ecx = cpuid_ecx(1);
	rc->vmxe = __read_cr4() & X86_CR4_VMXE;
	rc->state = RAMPART_CPU_NATIVE;
	if (!(raw->cpuid1_ecx & RAMPART_CPUID1_ECX_VMX))
		return;

	raw->feature_control = read_msr(MSR_IA32_FEAT_CTL);
	raw->basic = read_msr(MSR_IA32_VMX_BASIC);
	raw->misc = read_msr(MSR_IA32_VMX_MISC);
	raw->cr0_fixed0 = read_msr(MSR_IA32_VMX_CR0_FIXED0);
	raw->cr0_fixed1 = read_msr(MSR_IA32_VMX_CR0_FIXED1);
	raw->cr4_fixed0 = read_msr(MSR_IA32_VMX_CR4_FIXED0);
	raw->cr4_fixed1 = read_msr(MSR_IA32_VMX_CR4_FIXED1);
	if (cpuid_eax(0x80000000) >= 0x80000008)
		raw->phys_bits = cpuid_eax(0x80000008) & 0xff;

	use_true = raw->basic & BIT_ULL(55);	/* SDM A.1 */
	for (i = 0; i < RAMPART_CTL_NR; i++) {
		if (i == RAMPART_CTL_PROC2 &&
		    !(upper_32_bits(raw->ctl[RAMPART_CTL_PROC]) &
		      CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
			continue;	/* the MSR does not exist, SDM A.3.3 */
		raw->ctl[i] = read_msr(use_true ? ctl_msrs[i].true_msr :
						  ctl_msrs[i].plain);
	}
	/* SDM A.10: present only if EPT or VPID may be enabled. */
	if (upper_32_bits(raw->ctl[RAMPART_CTL_PROC2]) &
	    (SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID))
		raw->ept_vpid = read_msr(MSR_IA32_VMX_EPT_VPID_CAP);
}

static void free_cpus(void)
{
	unsigned int cpu;

	if (!rampart_cpus)
		return;
	for_each_possible_cpu(cpu)
		kfree(rampart_cpus[cpu]);
	kfree(rampart_cpus);
	rampart_cpus = NULL;
}

/**
 * rampart_probe_all() - probe every online CPU and check the requirements.
 *
 * Fills rampart_cpus[] and rampart_boot_caps. Logs exactly one line when it
 * refuses.
 *
 * Return: 0, or the errno of the first unmet requirement.
 */
int rampart_probe_all(void)
{
	const struct rampart_req *missing;
	struct rampart_cpu *boot = NULL;
	unsigned int cpu;
	int err = 0;

	rampart_cpus = kcalloc(nr_cpu_ids, sizeof(*rampart_cpus), GFP_KERNEL);
	if (!rampart_cpus)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		rampart_cpus[cpu] = kzalloc(sizeof(**rampart_cpus), GFP_KERNEL);
		if (!rampart_cpus[cpu]) {
			free_cpus();
			return -ENOMEM;
		}
		rampart_cpus[cpu]->cpu = cpu;
	}

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct rampart_cpu *rc = rampart_cpus[cpu];

		smp_call_function_single(cpu, probe_this_cpu, rc, 1);
		if (!boot) {
			boot = rc;
			continue;
		}
		if (memcmp(&rc->raw, &boot->raw, sizeof(rc->raw))) {
			pr_err("refusing to load: cpu%u reports VMX capabilities that differ from cpu%u\n",
			       cpu, boot->cpu);
			err = -ENODEV;
			break;
		}
	}
	cpus_read_unlock();
	if (err)
		goto fail;

	rampart_caps_decode(&boot->raw, &rampart_boot_caps);
	missing = rampart_caps_missing(&rampart_boot_caps);
	if (missing) {
		pr_err("refusing to load: CPU lacks %s (%s)\n", missing->what,
		       missing->where);
		err = missing->err;
		goto fail;
	}

	for_each_online_cpu(cpu) {
		if (rampart_cpus[cpu]->vmxe) {
			pr_err("refusing to load: VMX already in use on cpu%u (CR4.VMXE set), most likely by kvm_intel; load rampart before kvm_intel (softdep kvm_intel pre: rampart) or unload kvm_intel first\n",
			       cpu);
			err = -EBUSY;
			goto fail;
		}
	}
	return 0;
fail:
	free_cpus();
	return err;
}

/**
 * rampart_probe_free() - release what rampart_probe_all() allocated.
 */
void rampart_probe_free(void)
{
	free_cpus();
}

/**
 * rampart_nested_supported() - can root emulate VMX for the kernel here?
 *
 * Root runs the kernel's own guests on a VMCS of its own under a shadow
 * EPT (vmx/root/nested_*.c): that takes EPT with 4-level write-back
 * tables, VPID and unrestricted guest on the boot CPU. Rampart refuses to
 * load without them (vmx/caps.c), so wherever it runs this holds; the
 * default policy asks it before it allows "vmx.nested".
 *
 * Return: true if rampart_boot_caps has what nested VMX needs.
 */
bool rampart_nested_supported(void)
{
	const struct rampart_caps *c = &rampart_boot_caps;
	u32 need = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID |
		   SECONDARY_EXEC_UNRESTRICTED_GUEST;

	return (c->ctl[RAMPART_CTL_PROC2].may_be_one & need) == need &&
	       c->ept.walk4 && c->ept.mt_wb;
}
