// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile module against read-only kernel memory: writes one byte of
 * each target page, through the kernel's direct map and through a fresh
 * writable alias it maps with vmap(), the way an attacker with a write
 * primitive would get around read-only page-table entries. It writes back
 * the byte it read, so a missed protection changes nothing; a #PF is
 * caught by the exception table. One line per attempt:
 *
 *   rp_memattack: <target> <alias>: pa=<pa> fault=<0|1> intact=<0|1>
 *
 * Targets: kernel text (vfree), rodata (hex_asc), the system call table,
 * the IDT, the vDSO image, and another module's text (rp_dummy_victim in
 * rp_dummy.ko, when loaded). The rig's policy and text scenarios judge
 * the lines with the event log.
 */
#define pr_fmt(fmt) "rp_memattack: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include <asm/desc.h>
#include <asm/set_memory.h>
#include <asm/vdso.h>

#include "rp_lookup.h"
#include "rp_store.h"

static void attack(const char *name, u64 pa)
{
	struct page *pg = pfn_to_page(pa >> PAGE_SHIFT);
	u8 *direct = phys_to_virt(pa), *alias, before;
	bool fault;

	before = READ_ONCE(*direct);
	fault = rp_store_faulted(direct, before);
	pr_info("%s direct: pa=%#llx fault=%d intact=%d\n", name, pa, fault,
		READ_ONCE(*direct) == before);
	alias = vmap(&pg, 1, VM_MAP, PAGE_KERNEL);
	if (!alias) {
		pr_info("%s alias: vmap failed\n", name);
		return;
	}
	alias += pa & ~PAGE_MASK;
	fault = rp_store_faulted(alias, before);
	pr_info("%s alias: pa=%#llx fault=%d intact=%d\n", name, pa, fault,
		READ_ONCE(*direct) == before);
	vunmap((void *)((unsigned long)alias & PAGE_MASK));
}

static int __init rp_memattack_init(void)
{
	struct desc_ptr idt;
	unsigned long sct = rp_lookup("sys_call_table");
	const struct vdso_image *vdso = current->mm->context.vdso_image;

	unsigned long victim = rp_lookup("rp_dummy_victim");

	attack("kernel_text", slow_virt_to_phys((void *)vfree));
	if (victim)
		attack("module_text",
		       page_to_phys(vmalloc_to_page((void *)victim)) +
		       offset_in_page(victim));
	else
		pr_info("module_text: rp_dummy not loaded\n");
	attack("rodata", slow_virt_to_phys((void *)hex_asc));
	if (sct)
		attack("sys_call_table", slow_virt_to_phys((void *)sct));
	else
		pr_info("sys_call_table: not found\n");
	store_idt(&idt);
	attack("idt", slow_virt_to_phys((void *)idt.address));
	if (vdso)
		attack("vdso", slow_virt_to_phys(vdso->data));
	pr_info("done\n");
	return 0;
}

static void __exit rp_memattack_exit(void)
{
}

module_init(rp_memattack_init);
module_exit(rp_memattack_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: write read-only kernel memory through aliases");
