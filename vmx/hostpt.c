// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build the host page tables (see hostpt.h). Kernel side, before launch;
 * tables come from the root arena, so the EPT makes them read-only.
 */
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/pgtable.h>

#include "../core/arena.h"
#include "../core/compat.h"
#include "hostpt.h"
#include "root/root.h"

#define PT_ADDR		GENMASK_ULL(51, 12)
/* Intermediate entries: present, writable, accessed; leaves decide the rest. */
#define PT_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

static u64 *table_alloc(struct rampart_hostpt *hp)
{
	u64 *t = rampart_arena_alloc(0);

	if (t)
		hp->table_pages++;
	return t;
}

/* Replace the large leaf @e at @level (1: 2 MiB, 2: 1 GiB) by a table. */
static int split(struct rampart_hostpt *hp, u64 *e, int level)
{
	u64 *sub = table_alloc(hp);
	/* Large leaves here never set PAT (bit 12 there): keep it out anyway. */
	u64 pa = *e & PT_ADDR & ~(u64)_PAGE_PAT_LARGE;
	u64 flags = *e & ~PT_ADDR & ~_PAGE_PSE;
	int i;

	if (!sub)
		return -ENOMEM;
	if (level > 1)
		flags |= _PAGE_PSE;
	for (i = 0; i < 512; i++)
		sub[i] = (pa + ((u64)i << (12 + 9 * (level - 1)))) | flags;
	*e = virt_to_phys(sub) | PT_TABLE;
	return 0;
}

/* The leaf entry for @va at @level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB), or NULL. */
static u64 *leaf_for(struct rampart_hostpt *hp, unsigned long va, int level)
{
	u64 *t = hp->pml4;
	int l;

	for (l = 3; l > level; l--) {
		u64 *e = &t[(va >> (12 + 9 * l)) & 511];

		if (!*e) {
			u64 *sub = table_alloc(hp);

			if (!sub)
				return NULL;
			*e = virt_to_phys(sub) | PT_TABLE;
		} else if (*e & _PAGE_PSE) {
			if (split(hp, e, l))
				return NULL;
		}
		t = phys_to_virt(*e & PT_ADDR);
	}
	return &t[(va >> (12 + 9 * level)) & 511];
}

/* Install a leaf for @va at @level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB). */
static int map_one(struct rampart_hostpt *hp, unsigned long va, u64 pa,
		   int level, u64 flags)
{
	u64 *e = leaf_for(hp, va, level);

	if (!e)
		return -ENOMEM;
	*e = pa | flags | (level ? _PAGE_PSE : 0);
	return 0;
}

/**
 * rampart_hostpt_window() - reserve a CPU's window onto guest memory.
 * @hp: the tables.
 * @cpu: the CPU.
 * @va: set to the window's first address.
 *
 * Root maps one guest page at a time there, writable, to complete an
 * instruction it emulates (vmx/root/gmem.c); the leaves start empty. The
 * window is RAMPART_WINDOW_PAGES pages in the lower half, which root's
 * tables otherwise leave unmapped, inside one page table.
 *
 * Return: the first of its leaf entries, or NULL when out of memory.
 */
u64 *rampart_hostpt_window(struct rampart_hostpt *hp, unsigned int cpu,
			   u64 *va)
{
	*va = RAMPART_WINDOW_BASE + (u64)cpu * RAMPART_WINDOW_PAGES * PAGE_SIZE;
	return leaf_for(hp, *va, 0);
}

/* End of System RAM, from the top-level iomem resources. */
static u64 ram_end(void)
{
	struct resource *r;
	u64 end = 0;

	for (r = iomem_resource.child; r; r = r->sibling)
		if ((r->flags & IORESOURCE_SYSTEM_RAM) == IORESOURCE_SYSTEM_RAM)
			end = max_t(u64, end, r->end + 1);
	return round_up(end, SZ_2M);
}

/*
 * The direct map of all RAM, read-only, with the largest pages the CPU
 * supports; rampart_hostpt_writable() opens root's own pages.
 */
static int map_ram(struct rampart_hostpt *hp)
{
	u64 end = hp->ram_end, pa;
	u64 flags = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX;
	bool gb = boot_cpu_has(X86_FEATURE_GBPAGES);
	int err = 0;

	for (pa = 0; pa < end && !err;) {
		int level = gb && IS_ALIGNED(pa, SZ_1G) && pa + SZ_1G <= end ? 2 : 1;

		err = map_one(hp, (unsigned long)phys_to_virt(pa), pa, level,
			      flags);
		pa += level == 2 ? SZ_1G : SZ_2M;
	}
	return err;
}

/*
 * One allocation of the module image at its own addresses, read-only, as
 * root keeps nothing in the module's data; executable only in root's own
 * text, and there only where the kernel's mapping is.
 */
static int map_region(struct rampart_hostpt *hp,
		      const struct rampart_mod_region *r)
{
	unsigned long va = (unsigned long)r->base;
	unsigned long end = va + r->size;
	unsigned int level;
	int err;

	for (; va < end; va += PAGE_SIZE) {
		pte_t *pte = lookup_address(va, &level);
		u64 pa, flags;

		if (!pte || !pte_present(*pte))
			continue;
		pa = (u64)pte_pfn(*pte) << PAGE_SHIFT;
		if (level != PG_LEVEL_4K)
			pa += va & (page_level_size(level) - 1) & PAGE_MASK;
		flags = pte_flags(*pte) & (_PAGE_PRESENT | _PAGE_NX);
		/* Root runs only its own text, never the kernel side's. */
		if (va < (unsigned long)rampart_root_text_start ||
		    va >= (unsigned long)rampart_root_text_end)
			flags |= _PAGE_NX & __supported_pte_mask;
		err = map_one(hp, va, pa, 0, flags | _PAGE_ACCESSED);
		if (err)
			return err;
	}
	return 0;
}

/**
 * rampart_hostpt_writable() - let root write a range of its own memory.
 * @hp: the tables.
 * @va: start, in the direct map, page aligned.
 * @size: bytes, a multiple of the page size.
 *
 * Splits large pages as needed; the tables it adds come from the arena.
 *
 * Return: 0 or -ENOMEM.
 */
int rampart_hostpt_writable(struct rampart_hostpt *hp, const void *va,
			    unsigned long size)
{
	unsigned long a = (unsigned long)va;
	int err = 0;

	for (; size && !err; a += PAGE_SIZE, size -= PAGE_SIZE)
		err = map_one(hp, a, virt_to_phys((void *)a), 0,
			      _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
			      _PAGE_DIRTY | _PAGE_NX);
	return err;
}

static u64 writable_below(const u64 *t, int level)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < 512; i++) {
		if (!(t[i] & _PAGE_PRESENT) || !(t[i] & _PAGE_RW))
			continue;
		if (level && !(t[i] & _PAGE_PSE))
			sum += writable_below(phys_to_virt(t[i] & PT_ADDR),
					      level - 1);
		else
			sum += 1ULL << (12 + 9 * level);
	}
	return sum;
}

/**
 * rampart_hostpt_writable_bytes() - how much memory root can write.
 * @hp: the tables.
 *
 * Return: bytes mapped writable, for debugfs; it equals the arena's size.
 */
u64 rampart_hostpt_writable_bytes(const struct rampart_hostpt *hp)
{
	return hp->pml4 ? writable_below(hp->pml4, 3) : 0;
}

/**
 * rampart_hostpt_build() - build the page tables root mode runs on.
 * @hp: filled in.
 * @mod: the module whose image holds the root code (THIS_MODULE).
 *
 * No entry is global: at devirtualization the CR4.PGE toggle must drop
 * every root translation from the TLB.
 *
 * Return: 0 or -ENOMEM.
 */
int rampart_hostpt_build(struct rampart_hostpt *hp, struct module *mod)
{
	struct rampart_mod_region r[RAMPART_MOD_REGIONS];
	unsigned int i, n = rampart_mod_core_regions(mod, r);
	int err;

	memset(hp, 0, sizeof(*hp));
	hp->pml4 = table_alloc(hp);
	if (!hp->pml4)
		return -ENOMEM;
	hp->ram_end = ram_end();
	err = map_ram(hp);
	for (i = 0; i < n && !err; i++)
		err = map_region(hp, &r[i]);
	hp->cr3 = virt_to_phys(hp->pml4);
	return err;
}
