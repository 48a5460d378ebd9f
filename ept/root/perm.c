// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPT permission changes after launch (root side). Root write-protects
 * the physical ranges of the policy in the identity EPT that every CPU
 * shares, splitting 1 GiB and 2 MiB leaves only where a range does not
 * cover them whole. Table pages for splits come from a pool the kernel
 * side gave root before launch (arena pages, read-only to the kernel).
 * Every entry changes with one aligned 8-byte store and a split table is
 * complete before it is linked, so a CPU walking the EPT sees the old or
 * the new mapping, never half of one (SDM 29.3.2). Callers invalidate:
 * INVEPT on each CPU (SDM 29.4.3.4).
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/page_types.h>

#include "../../vmx/root/root.h"
#include "../../vmx/root/rootstate.h"
#include "ept.h"

/* Walk to the leaf mapping @gpa; its level in *@level. NULL: not mapped. */
static __rampart_root u64 *leaf_of(const struct rampart_root *rs, u64 gpa,
				   int *level)
{
	u64 *t = rs->ept_pml4, *e;
	int l;

	if (gpa >= rs->ept_end)
		return NULL;
	for (l = 3;; l--) {
		e = &t[rampart_ept_index(gpa, l)];
		if (l && !(*e & RAMPART_EPT_PS) && !(*e & RAMPART_EPT_RWX))
			return NULL;	/* no table here */
		if (!l || (*e & RAMPART_EPT_PS)) {
			*level = l;
			return e;
		}
		t = rampart_ept_table_of(rs, *e);
	}
}

/**
 * rampart_root_ept_leaf() - the EPT leaf entry for a guest-physical address.
 * @rs: root state.
 * @gpa: the address.
 *
 * Return: the entry, or 0 if @gpa is not mapped.
 */
__rampart_root u64 rampart_root_ept_leaf(const struct rampart_root *rs, u64 gpa)
{
	int level;
	u64 *e = leaf_of(rs, gpa, &level);

	return e ? READ_ONCE(*e) : 0;
}

/**
 * rampart_ept_fill_split() - the 512 smaller leaves that map a large leaf.
 * @sub: the table to fill.
 * @e: the large leaf entry.
 * @level: its level (1: 2 MiB, 2: 1 GiB).
 *
 * Each keeps the permissions, memory type, ignore-PAT and root mark of @e.
 */
__rampart_root void rampart_ept_fill_split(u64 *sub, u64 e, int level)
{
	u64 base = e & RAMPART_EPT_ADDR & ~(rampart_ept_level_size(level) - 1);
	u64 flags = e & (GENMASK_ULL(6, 0) | RAMPART_EPT_ROOT);
	int i;

	for (i = 0; i < 512; i++)
		sub[i] = (base + i * rampart_ept_level_size(level - 1)) | flags |
			 (level - 1 ? RAMPART_EPT_PS : 0);
}

/* Replace the large leaf *@e at @level by a table of 512 smaller leaves. */
static __rampart_root int split(struct rampart_root *rs, u64 *e, int level)
{
	u64 *sub;

	if (rs->ept_pool_used >= rs->ept_pool_pages)
		return -ENOMEM;
	sub = (u64 *)(rs->ept_pool + rs->ept_pool_used * PAGE_SIZE);
	rampart_ept_fill_split(sub, *e, level);
	rs->ept_pool_used++;
	rs->ept_splits++;
	__atomic_store_n(e, ((u64)sub - rs->direct_map) | RAMPART_EPT_RWX,
			 __ATOMIC_RELEASE);
	return 0;
}

/**
 * rampart_root_ept_splits_needed() - how many splits [@pa, @end) would need.
 * @rs: root state.
 * @pa: start.
 * @end: end.
 *
 * Each large leaf the range covers only partly costs one table, and
 * within a 1 GiB leaf up to two 2 MiB leaves (the ends) cost one more each.
 *
 * Return: the count, ~0 if part of the range is not mapped.
 */
__rampart_root u32 rampart_root_ept_splits_needed(const struct rampart_root *rs,
					     u64 pa, u64 end)
{
	u32 n = 0;
	u64 a = pa;

	while (a < end) {
		int level;
		u64 *e = leaf_of(rs, a, &level);
		u64 size = rampart_ept_level_size(level);
		u64 lb = a & ~(size - 1), le = lb + size;

		if (!e)
			return ~0U;
		if (level && (a != lb || end < le)) {
			u64 cs = rampart_ept_level_size(level - 1);
			u64 t = end < le ? end : le;

			n++;
			/* Within a 1 GiB leaf, each unaligned end splits a 2 MiB one. */
			if (level == 2 && (a & (cs - 1)))
				n++;
			if (level == 2 && (t & (cs - 1)) &&
			    (t & ~(cs - 1)) != (a & ~(cs - 1)))
				n++;
		}
		a = le;
	}
	return n;
}

/**
 * rampart_root_ept_protect() - write-protect or release [@pa, @pa + @size).
 * @rs: root state.
 * @pa: page-aligned start.
 * @size: page-aligned size.
 * @writable: false to clear W; true to set it again, except on root pages.
 *
 * Checks first that the pool holds every table the splits need, so a
 * change is never left half done.
 *
 * Return: 0, -EINVAL outside the map, -ENOMEM when the pool is short.
 */
__rampart_root int rampart_root_ept_protect(struct rampart_root *rs, u64 pa,
				       u64 size, bool writable)
{
	u64 a = pa, end = pa + size;

	if (((pa | size) & (PAGE_SIZE - 1)) || end < pa || end > rs->ept_end)
		return -EINVAL;
	if (rampart_root_ept_splits_needed(rs, pa, end) >
	    rs->ept_pool_pages - rs->ept_pool_used)
		return -ENOMEM;
	while (a < end) {
		int level;
		u64 *e = leaf_of(rs, a, &level);
		u64 v;

		if (!e)
			return -EINVAL;
		if (level && ((a & (rampart_ept_level_size(level) - 1)) ||
			      a + rampart_ept_level_size(level) > end)) {
			if (split(rs, e, level))
				return -ENOMEM;
			continue;	/* walk again, one level deeper */
		}
		v = *e;
		if (!writable)
			v &= ~RAMPART_EPT_W;
		else if (!(v & RAMPART_EPT_ROOT))
			v |= RAMPART_EPT_W;
		__atomic_store_n(e, v, __ATOMIC_RELEASE);
		a += rampart_ept_level_size(level);
	}
	/* After the edit: alternate EPTs copied before it are stale (ept/alt.c). */
	__atomic_add_fetch(&rs->ept_epoch, 1, __ATOMIC_RELEASE);
	return 0;
}
