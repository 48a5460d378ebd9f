// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile module that tries to weaken protection while staying inside
 * VMX (the "Nothing weakens silently" review). Write an attack's name to
 * /sys/module/rp_weaken/parameters/run; each prints one line the rig's
 * weaken scenario judges:
 *
 *   poke     a forged text-poke window: point text_poke()'s poking PTE at
 *            a page of this module's own text, load text_poke()'s CR3
 *            with interrupts off, and store through the poking address
 *            from here rather than from the kernel's copy routine
 *   moddel   MODULE_DEL with the cookies the old ABI took (this module's
 *            struct module, the way another module's is found) and with
 *            guessed handles: none may release this module's text
 *   flood    MODULE_ADD runs of pages this module owns, each with a new
 *            handle, until root refuses: the next module must not load
 *   unflood  MODULE_DEL of every handle flood got
 *   addlog   MODULE_ADD of a page under a "ro log" rule (page_pa): as
 *            module text its writes would be decided unrecorded
 *   lidt     LIDT of a copy of the IDT (whose page range.idt keeps
 *            read-only), with interrupts off; the original is put back
 *   lgdt     the same with LGDT and a copy of the GDT
 *   btf      DEBUGCTL.BTF set, then four straight-line stores to the page
 *            under "ro log" (page_pa): with BTF a single step would run
 *            to the next branch, logging one store for four
 *   dtload   not an attack: what the kernel does with the tables, which
 *            must keep working under the guard: an LDT set and cleared
 *            (LLDT, SLDT to memory), TR reloaded (SGDT, LGDT of the
 *            writable GDT alias, LTR, LGDT back), STR to a register
 *
 * Without Rampart the forged poke stores ("fault=0") and the loads take
 * ("fault=0 changed=1"); the module calls answer -ENODEV.
 */
#define pr_fmt(fmt) "rp_weaken: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/random.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/smap.h>
#include <asm/tlbflush.h>

#include "../../core/hypercall.h"
#include "../../uapi/hypercall.h"
#include "rp_lookup.h"
#include "rp_store.h"

/* The page whose text the forged poke writes. */
static noinline int poke_target(void)
{
	return 42;
}

/* text_poke()'s PTE for @addr in @mm: built at boot, kept for good. */
static pte_t *poking_pte(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_leaf(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || pmd_leaf(*pmd))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

static void try_poke(void)
{
	unsigned long mm_sym = rp_lookup("poking_mm");
	unsigned long addr_sym = rp_lookup("poking_addr");
	struct page *pg = vmalloc_to_page(poke_target);
	unsigned long off = offset_in_page(poke_target), flags, cr3, addr;
	struct mm_struct *mm;
	u8 *text = (u8 *)poke_target, before;
	pte_t *pte;
	bool fault;

	if (!mm_sym || !addr_sym || !pg) {
		pr_info("poke: no poking_mm, poking_addr or page\n");
		return;
	}
	mm = *(struct mm_struct **)mm_sym;
	addr = *(unsigned long *)addr_sym;
	pte = mm ? poking_pte(mm, addr) : NULL;
	if (!pte) {
		pr_info("poke: no poking PTE\n");
		return;
	}
	before = READ_ONCE(*text);
	local_irq_save(flags);
	cr3 = __read_cr3();
	set_pte(pte, mk_pte(pg, PAGE_KERNEL));
	native_write_cr3(__pa(mm->pgd));
	/*
	 * The same byte back: a store that got through changes nothing. A
	 * kernel fault at a user-half address is taken for a SMAP violation
	 * unless AC is set, and is fixed up only with page faults disabled.
	 */
	pagefault_disable();
	stac();
	fault = rp_store_faulted((u8 *)addr + off, before);
	clac();
	pagefault_enable();
	pte_clear(mm, addr, pte);
	asm volatile("invlpg (%0)" : : "r"(addr) : "memory");
	native_write_cr3(cr3);
	local_irq_restore(flags);
	pr_info("poke: pa=%#llx fault=%d intact=%d\n",
		page_to_phys(pg) + off, fault, READ_ONCE(*text) == before);
}

static void try_moddel(void)
{
	int refused = 0, tries = 0, i;
	u64 guess[18];

	guess[0] = (unsigned long)THIS_MODULE;
	guess[1] = 1;
	for (i = 2; i < ARRAY_SIZE(guess); i++)
		guess[i] = get_random_u64();
	for (i = 0; i < ARRAY_SIZE(guess); i++, tries++)
		if (rampart_vmcall_pinned(RAMPART_HC_MODULE_DEL, guess[i],
					  NULL) == -ENOENT)
			refused++;
	pr_info("moddel: refused=%d/%d\n", refused, tries);
}

static void *log_page;		/* a page the scenario puts under "ro log" */
static unsigned long page_pa;
module_param(page_pa, ulong, 0444);
MODULE_PARM_DESC(page_pa, "physical address of the page addlog claims");

/* Claim a logged page as module text: its writes would go unrecorded. */
static void try_addlog(void)
{
	struct rampart_hc_out out = {};
	long ret = rampart_vmcall3_pinned(RAMPART_HC_MODULE_ADD, 0, page_pa,
					  PAGE_SIZE, &out);

	if (!ret)
		rampart_vmcall_pinned(RAMPART_HC_MODULE_DEL, out.rbx, NULL);
	pr_info("addlog: ret=%ld\n", ret);
}

/*
 * Blocks of 2 MiB, a run per page: each block costs root one split table,
 * which comes back once the runs go and every CPU has flushed.
 */
#define FLOOD_ORDER	9
#define FLOOD_BLOCKS	20
static struct page *flood_block[FLOOD_BLOCKS];
static u64 *flood_handle;
static int flood_held;

static void try_flood(void)
{
	struct rampart_hc_out out;
	long ret = 0;
	int b, i;

	if (!flood_handle)
		flood_handle = vzalloc(FLOOD_BLOCKS * (1 << FLOOD_ORDER) *
				       sizeof(u64));
	for (b = 0; flood_handle && b < FLOOD_BLOCKS && !ret; b++) {
		if (!flood_block[b])
			flood_block[b] = alloc_pages(GFP_KERNEL, FLOOD_ORDER);
		if (!flood_block[b]) {
			ret = -ENOMEM;
			break;
		}
		for (i = 0; i < (1 << FLOOD_ORDER) && !ret; i++) {
			ret = rampart_vmcall3_pinned(RAMPART_HC_MODULE_ADD, 0,
						     page_to_phys(flood_block[b]) +
						     i * PAGE_SIZE, PAGE_SIZE,
						     &out);
			if (!ret)
				flood_handle[flood_held++] = out.rbx;
		}
		cond_resched();
	}
	pr_info("flood: held=%d ret=%ld\n", flood_held, ret);
}

static void try_unflood(void)
{
	int released = 0, n = flood_held;

	while (flood_held > 0)
		if (!rampart_vmcall_pinned(RAMPART_HC_MODULE_DEL,
					   flood_handle[--flood_held], NULL))
			released++;
	pr_info("unflood: released=%d/%d\n", released, n);
}

/* LIDT or LGDT of *@d; true if it faulted (root's #GP). */
static bool load_faulted(bool idt, const struct desc_ptr *d)
{
	bool faulted = true;

	if (idt)
		asm volatile("1: lidt %[d]\n\t"
			     "movb $0, %[f]\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : [f] "+m"(faulted) : [d] "m"(*d) : "memory");
	else
		asm volatile("1: lgdt %[d]\n\t"
			     "movb $0, %[f]\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : [f] "+m"(faulted) : [d] "m"(*d) : "memory");
	return faulted;
}

static void store_table(bool idt, struct desc_ptr *d)
{
	if (idt)
		store_idt(d);
	else
		native_store_gdt(d);
}

/*
 * Point IDTR or GDTR at an identical copy: with the copy in force, its
 * page is ordinary writable memory, whatever protects the original.
 */
static void try_load_copy(bool idt)
{
	const char *name = idt ? "lidt" : "lgdt";
	void *copy = (void *)__get_free_page(GFP_KERNEL);
	struct desc_ptr orig, forged, now;
	unsigned long flags;
	bool fault;

	if (!copy) {
		pr_info("%s: no memory\n", name);
		return;
	}
	local_irq_save(flags);
	store_table(idt, &orig);
	memcpy(copy, (void *)orig.address, min_t(u32, orig.size + 1, PAGE_SIZE));
	forged.address = (unsigned long)copy;
	forged.size = orig.size;
	fault = load_faulted(idt, &forged);
	store_table(idt, &now);
	if (now.address != orig.address)
		load_faulted(idt, &orig);
	local_irq_restore(flags);
	pr_info("%s: fault=%d changed=%d table=%#lx limit=%#x copy=%#lx\n",
		name, fault, now.address != orig.address, orig.address,
		orig.size, forged.address);
	free_page((unsigned long)copy);
}

static void try_btf(void)
{
	u64 *p = log_page, dbg;
	unsigned long flags;

	local_irq_save(flags);
	rdmsrl(MSR_IA32_DEBUGCTLMSR, dbg);
	wrmsrl(MSR_IA32_DEBUGCTLMSR, dbg | DEBUGCTLMSR_BTF);
	asm volatile("movq $1, 0(%0)\n\t"
		     "movq $2, 8(%0)\n\t"
		     "movq $3, 16(%0)\n\t"
		     "movq $4, 24(%0)"
		     : : "r"(p) : "memory");
	wrmsrl(MSR_IA32_DEBUGCTLMSR, dbg);
	local_irq_restore(flags);
	pr_info("btf: stores=4 values=%llu,%llu,%llu,%llu\n", p[0], p[1], p[2],
		p[3]);
}

static void try_dtload(void)
{
	static struct desc_struct ldt[1];
	unsigned long flags, tr;
	struct desc_ptr gdt;
	u16 ldt_sel, ldt_null;

	local_irq_save(flags);
	set_ldt(ldt, ARRAY_SIZE(ldt));
	store_ldt(ldt_sel);
	set_ldt(NULL, 0);
	store_ldt(ldt_null);
	force_reload_TR();
	store_tr(tr);
	native_store_gdt(&gdt);
	local_irq_restore(flags);
	pr_info("dtload: ldt=%#x ldt_after=%#x tr=%#lx gdt=%#lx limit=%#x\n",
		ldt_sel, ldt_null, tr, gdt.address, gdt.size);
}

static int run_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "poke"))
		try_poke();
	else if (sysfs_streq(val, "moddel"))
		try_moddel();
	else if (sysfs_streq(val, "flood"))
		try_flood();
	else if (sysfs_streq(val, "unflood"))
		try_unflood();
	else if (sysfs_streq(val, "addlog"))
		try_addlog();
	else if (sysfs_streq(val, "lidt"))
		try_load_copy(true);
	else if (sysfs_streq(val, "lgdt"))
		try_load_copy(false);
	else if (sysfs_streq(val, "dtload"))
		try_dtload();
	else if (sysfs_streq(val, "btf"))
		try_btf();
	else
		return -EINVAL;
	return 0;
}

static const struct kernel_param_ops run_ops = { .set = run_set };
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "attack to run: poke, moddel, flood, unflood, addlog, lidt, lgdt, dtload, btf");

static int __init rp_weaken_init(void)
{
	log_page = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!log_page)
		return -ENOMEM;
	page_pa = virt_to_phys(log_page);
	return poke_target() == 42 ? 0 : -EINVAL;
}

static void __exit rp_weaken_exit(void)
{
	int b;

	try_unflood();
	for (b = 0; b < FLOOD_BLOCKS; b++)
		if (flood_block[b])
			__free_pages(flood_block[b], FLOOD_ORDER);
	vfree(flood_handle);
	/*
	 * log_page is not given back: a sealed policy may log it until
	 * reboot, and nothing else should ever write there.
	 */
}

module_init(rp_weaken_init);
module_exit(rp_weaken_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: weaken protection from inside VMX");
