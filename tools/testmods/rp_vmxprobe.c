// SPDX-License-Identifier: GPL-2.0-only
/*
 * Proves a CPU is native: executes VMXON/VMXOFF on every online CPU. Under
 * a hypervisor that does not offer nested VMX, VMXON raises #UD (caught
 * here by the exception table). Loading fails with -EIO if any CPU could
 * not; each CPU's result is logged.
 */
#define pr_fmt(fmt) "rp_vmxprobe: " fmt

#include <linux/module.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/special_insns.h>

static atomic_t failures;

static void probe_cpu(void *info)
{
	u64 basic, pa;
	unsigned long cr4 = native_read_cr4();
	bool ok = false;
	void *region = info;

	region = (u8 *)region + smp_processor_id() * PAGE_SIZE;
	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	*(u32 *)region = basic & 0x7fffffff;
	pa = virt_to_phys(region);
	if (cr4 & X86_CR4_VMXE) {
		pr_info("cpu%d: CR4.VMXE already set\n", smp_processor_id());
		atomic_inc(&failures);
		return;
	}
	/*
	 * Under a hypervisor without nested VMX, setting CR4.VMXE raises
	 * #GP and VMXON #UD; the exception table turns either into "failed".
	 */
	asm volatile("1: mov %[vmxe], %%cr4\n\t"
		     "3: vmxon %[pa]\n\t"
		     "jbe 2f\n\t"
		     "vmxoff\n\t"
		     "movb $1, %[ok]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     _ASM_EXTABLE(3b, 2b)
		     : [ok] "+m"(ok)
		     : [pa] "m"(pa), [vmxe] "r"(cr4 | X86_CR4_VMXE)
		     : "cc", "memory");
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
	pr_info("cpu%d: VMXON %s\n", smp_processor_id(), ok ? "ok" : "failed");
	if (!ok)
		atomic_inc(&failures);
}

static int __init rp_vmxprobe_init(void)
{
	void *regions = kcalloc(nr_cpu_ids, PAGE_SIZE, GFP_KERNEL);

	if (!regions)
		return -ENOMEM;
	on_each_cpu(probe_cpu, regions, 1);
	kfree(regions);
	return atomic_read(&failures) ? -EIO : 0;
}

static void __exit rp_vmxprobe_exit(void)
{
}

module_init(rp_vmxprobe_init);
module_exit(rp_vmxprobe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: can every CPU execute VMXON?");
