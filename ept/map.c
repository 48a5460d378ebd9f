// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build the identity EPT with the largest pages the MTRR types allow
 * (1 GiB, 2 MiB, else 4 KiB), and split large pages on demand when a
 * smaller range needs its own permissions. Kernel side, before launch;
 * table pages come from the root arena.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <asm/io.h>
#include <asm/vmx.h>

#include "../core/arena.h"
#include "ept.h"

#define EPT_PS		RAMPART_EPT_PS
#define EPT_MT_SHIFT	3		/* memory type, bits 5:3 of a leaf */
#define EPT_ADDR	RAMPART_EPT_ADDR
#define ept_index	rampart_ept_index
#define level_size	rampart_ept_level_size

static u64 *table_alloc(struct rampart_ept *ept)
{
	u64 *t = rampart_arena_alloc(0);

	if (t)
		ept->table_pages++;
	return t;
}

static inline u64 *entry_table(u64 e)
{
	return phys_to_virt(e & EPT_ADDR);
}

static inline u64 leaf(u64 pa, u8 type, u64 perm, int level)
{
	return pa | ((u64)type << EPT_MT_SHIFT) | perm | (level ? EPT_PS : 0);
}

/* Map [pa, pa + level_size(level)) into table @t at @level. */
static int map_range(struct rampart_ept *ept, const struct rampart_mtrr *m,
		     u64 *t, u64 pa, int level, bool use_1g)
{
	u64 size = level_size(level - 1), a;
	int err;

	for (a = pa; a < pa + level_size(level) && a < ept->end; a += size) {
		int l = level - 1;
		u8 type = l <= 2 ? rampart_mtrr_type(m, a, size) :
				   RAMPART_MT_MIXED;
		u64 *sub;

		if (type != RAMPART_MT_MIXED && (l < 2 || use_1g) &&
		    a + size <= ept->end) {
			t[ept_index(a, l)] = leaf(a, type, RAMPART_EPT_RWX, l);
			ept->leaves[l]++;
			continue;
		}
		if (l == 0)	/* 4 KiB is always uniform; past the end */
			continue;
		sub = table_alloc(ept);
		if (!sub)
			return -ENOMEM;
		t[ept_index(a, l)] = virt_to_phys(sub) | RAMPART_EPT_RWX;
		err = map_range(ept, m, sub, a, l, use_1g);
		if (err)
			return err;
	}
	return 0;
}

/**
 * rampart_ept_build() - build the identity map of [0, @end).
 * @ept: filled in.
 * @m: MTRR state, for the memory types.
 * @end: end of the guest-physical space to map, 2 MiB aligned.
 * @use_1g: 1 GiB leaves are supported (IA32_VMX_EPT_VPID_CAP[17]).
 *
 * Every leaf is RWX with the MTRR type of its range and IPAT clear, so the
 * guest PAT combines with it as it would with the MTRRs (SDM 29.3.7.2).
 *
 * Return: 0 or -ENOMEM; on error the arena holds what was allocated.
 */
int rampart_ept_build(struct rampart_ept *ept, const struct rampart_mtrr *m,
		      u64 end, bool use_1g)
{
	int err;

	memset(ept, 0, sizeof(*ept));
	ept->end = end;
	ept->pml4 = table_alloc(ept);
	if (!ept->pml4)
		return -ENOMEM;
	/* One PML4 spans 256 TiB; map_range walks its entries from level 4. */
	err = map_range(ept, m, ept->pml4, 0, 4, use_1g);
	if (err)
		return err;
	/* SDM 25.6.11: WB (6), page-walk length 4 (encoded 3), no A/D. */
	ept->eptp = virt_to_phys(ept->pml4) | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4;
	return 0;
}

/* Replace the large leaf *@e at @level by a table of smaller leaves. */
static int split(struct rampart_ept *ept, u64 *e, int level)
{
	u64 *sub = table_alloc(ept);
	u64 base = *e & EPT_ADDR & ~(level_size(level) - 1);
	u64 flags = *e & GENMASK_ULL(6, 0);
	int i;

	if (!sub)
		return -ENOMEM;
	for (i = 0; i < 512; i++)
		sub[i] = (base + i * level_size(level - 1)) | flags |
			 (level - 1 ? EPT_PS : 0);
	ept->leaves[level]--;
	ept->leaves[level - 1] += 512;
	ept->splits++;
	/* One aligned 8-byte store: other walkers see old or new, never half. */
	WRITE_ONCE(*e, virt_to_phys(sub) | RAMPART_EPT_RWX);
	return 0;
}

/**
 * rampart_ept_set_perm() - set the R/W/X bits for [@pa, @pa + @size).
 * @ept: the map.
 * @pa: 4 KiB aligned start.
 * @size: 4 KiB multiple.
 * @perm: RAMPART_EPT_* bits.
 *
 * Large pages are split only where the range does not cover them whole.
 * The caller invalidates (INVEPT) afterwards.
 *
 * Return: 0, -EINVAL for a range outside the map, or -ENOMEM.
 */
int rampart_ept_set_perm(struct rampart_ept *ept, u64 pa, u64 size, u64 perm)
{
	u64 a = pa;

	if (!PAGE_ALIGNED(pa) || !PAGE_ALIGNED(size) || pa + size > ept->end ||
	    pa + size < pa)
		return -EINVAL;
	while (a < pa + size) {
		u64 *t = ept->pml4, *e;
		int level = 3;

		for (;;) {
			e = &t[ept_index(a, level)];
			if (!level || (*e & EPT_PS))
				break;
			t = entry_table(*e);
			level--;
		}
		if (level && (!IS_ALIGNED(a, level_size(level)) ||
			      a + level_size(level) > pa + size)) {
			int err = split(ept, e, level);

			if (err)
				return err;
			continue;	/* walk again, one level deeper */
		}
		WRITE_ONCE(*e, (*e & ~RAMPART_EPT_RWX) | perm);
		a += level_size(level);
	}
	return 0;
}

/**
 * rampart_ept_lookup() - the leaf entry mapping @pa.
 * @ept: the map.
 * @pa: guest-physical address.
 * @level: set to the leaf's level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB).
 *
 * Return: the entry, or 0 when @pa is not mapped.
 */
u64 rampart_ept_lookup(const struct rampart_ept *ept, u64 pa, int *level)
{
	u64 *t = ept->pml4, e;
	int l;

	if (pa >= ept->end)
		return 0;
	for (l = 3;; l--) {
		e = t[ept_index(pa, l)];
		if (!(e & RAMPART_EPT_RWX) && !(e & EPT_PS) && l)
			return 0;
		if (!l || (e & EPT_PS)) {
			*level = l;
			return e;
		}
		t = entry_table(e);
	}
}
