// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPT permission changes after launch (root side). Root write-protects
 * the physical ranges of the policy in the identity EPT that every CPU
 * shares, splitting 1 GiB and 2 MiB leaves only where a range does not
 * cover them whole. Table pages for splits come from a pool the kernel
 * side gave root before launch (arena pages, read-only to the kernel); a
 * 2 MiB region whose 512 leaves agree again is merged back into one leaf,
 * and its table returns to the pool once every CPU has flushed.
 * Every entry changes with one aligned 8-byte store and a split table is
 * complete before it is linked, so a CPU walking the EPT sees the old or
 * the new mapping, never half of one (SDM 29.3.2). Callers invalidate:
 * INVEPT on each CPU (SDM 29.4.3.4).
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/page_types.h>

#include "../../vmx/root/lock.h"
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

/*
 * Pool tables a merge freed become usable again once every CPU that was
 * under Rampart then has flushed its EPT caches (rampart_root_ept_flushed):
 * until then a CPU may still walk through a cached pointer to one.
 */
static __rampart_root void pool_reclaim(struct rampart_root *rs)
{
	u32 i;

	if (!rs->ept_pool_pending_n)
		return;
	for (i = 0; i < RAMPART_CPU_WORDS; i++)
		if (__atomic_load_n(&rs->cpus_to_flush[i], __ATOMIC_ACQUIRE))
			return;
	for (i = 0; i < RAMPART_EPT_POOL_WORDS; i++) {
		rs->ept_pool_busy[i] &= ~rs->ept_pool_pending[i];
		rs->ept_pool_pending[i] = 0;
	}
	WRITE_ONCE(rs->ept_pool_used,
		   rs->ept_pool_used - rs->ept_pool_pending_n);
	WRITE_ONCE(rs->ept_pool_pending_n, 0);
}

/**
 * rampart_root_ept_pool_free() - how many split tables the pool can give.
 * @rs: root state; the caller is the EPT editor.
 *
 * Return: the count, after taking back what every CPU has flushed.
 */
__rampart_root u32 rampart_root_ept_pool_free(struct rampart_root *rs)
{
	pool_reclaim(rs);
	return rs->ept_pool_pages - rs->ept_pool_used;
}

/* A free pool table, marked busy; NULL if none. */
static __rampart_root u64 *pool_get(struct rampart_root *rs)
{
	u32 i;

	for (i = 0; i < rs->ept_pool_pages; i++) {
		u64 *w = &rs->ept_pool_busy[i / 64], bit = BIT_ULL(i % 64);

		if (*w & bit)
			continue;
		*w |= bit;
		WRITE_ONCE(rs->ept_pool_used, rs->ept_pool_used + 1);
		return (u64 *)(rs->ept_pool + i * PAGE_SIZE);
	}
	return NULL;
}

/* The pool index of table @t, or -1 if the kernel built it before launch. */
static __rampart_root int pool_index(const struct rampart_root *rs,
				     const u64 *t)
{
	u64 off = (u64)t - (u64)rs->ept_pool;

	return off < (u64)rs->ept_pool_pages * PAGE_SIZE ? off / PAGE_SIZE : -1;
}

/* Replace the large leaf *@e at @level by a table of 512 smaller leaves. */
static __rampart_root int split(struct rampart_root *rs, u64 *e, int level)
{
	u64 *sub = pool_get(rs);

	if (!sub)
		return -ENOMEM;
	rampart_ept_fill_split(sub, *e, level);
	WRITE_ONCE(rs->ept_splits, rs->ept_splits + 1);
	__atomic_store_n(e, ((u64)sub - rs->direct_map) | RAMPART_EPT_RWX,
			 __ATOMIC_RELEASE);
	return 0;
}

/*
 * The 2 MiB region at @a: if a pool table maps it with 512 leaves that
 * say the same (permissions, memory type, root mark) for contiguous
 * frames, map it with one 2 MiB leaf again (SDM 29.3.2, Table 29-4) and
 * hold the table until every CPU has flushed (pool_reclaim).
 */
static __rampart_root void try_merge(struct rampart_root *rs, u64 a)
{
	u64 *t = rs->ept_pml4, *e = NULL, *sub, first;
	int l, i;

	for (l = 3; l >= 1; l--) {
		e = &t[rampart_ept_index(a, l)];
		if (!(*e & RAMPART_EPT_RWX) || (*e & RAMPART_EPT_PS))
			return;
		t = rampart_ept_table_of(rs, *e);
	}
	sub = t;
	i = pool_index(rs, sub);
	first = sub[0];
	if (i < 0 || (first & RAMPART_EPT_PS) ||
	    (first & RAMPART_EPT_ADDR & (rampart_ept_level_size(1) - 1)))
		return;
	for (l = 1; l < 512; l++)
		if (sub[l] != first + l * PAGE_SIZE)
			return;
	__atomic_store_n(e, first | RAMPART_EPT_PS, __ATOMIC_RELEASE);
	rs->ept_pool_pending[i / 64] |= BIT_ULL(i % 64);
	WRITE_ONCE(rs->ept_pool_pending_n, rs->ept_pool_pending_n + 1);
	WRITE_ONCE(rs->ept_merges, rs->ept_merges + 1);
	/* Alternate EPTs copied before now may point at @sub: retire them. */
	__atomic_add_fetch(&rs->ept_epoch, 1, __ATOMIC_RELEASE);
	/*
	 * After the store: a CPU that flushes from now on cannot see @sub.
	 * Under the lock that DEVIRT takes to leave cpus_in.
	 */
	rampart_root_lock(rs);
	for (l = 0; l < RAMPART_CPU_WORDS; l++)
		__atomic_store_n(&rs->cpus_to_flush[l],
				 __atomic_load_n(&rs->cpus_in[l], __ATOMIC_ACQUIRE) &
				 ~__atomic_load_n(&rs->cpus_parked[l], __ATOMIC_ACQUIRE),
				 __ATOMIC_SEQ_CST);
	rampart_root_unlock(rs);
}

/**
 * rampart_root_ept_parked() - this CPU stays in root for good (parked):
 * no merge waits for it to flush.
 * @rs: root state.
 * @cpu: this CPU.
 */
__rampart_root void rampart_root_ept_parked(struct rampart_root *rs, u32 cpu)
{
	__atomic_fetch_or(&rs->cpus_parked[cpu / 64], BIT_ULL(cpu % 64),
			  __ATOMIC_SEQ_CST);
	rampart_root_ept_flushed(rs, cpu);
}

/**
 * rampart_root_ept_flushed() - this CPU is about to flush its EPT caches:
 * pool tables merged before now are no longer cached here.
 * @rs: root state.
 * @cpu: this CPU.
 *
 * Called before the INVEPT, so a merge that sets the bit again after it
 * waits for the next flush.
 */
__rampart_root void rampart_root_ept_flushed(struct rampart_root *rs, u32 cpu)
{
	u64 *w = &rs->cpus_to_flush[cpu / 64], bit = BIT_ULL(cpu % 64);

	if (__atomic_load_n(w, __ATOMIC_RELAXED) & bit)
		__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
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
	    rampart_root_ept_pool_free(rs))
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
	/*
	 * Each 2 MiB region a release touched may be whole again. Only
	 * releases merge: a merged read-only leaf would need a table again
	 * to give part of it back, and a release must not fail for want of
	 * one.
	 */
	for (a = pa & ~(rampart_ept_level_size(1) - 1); writable && a < end;
	     a += rampart_ept_level_size(1))
		try_merge(rs, a);
	/* After the edit: alternate EPTs copied before it are stale (ept/alt.c). */
	__atomic_add_fetch(&rs->ept_epoch, 1, __ATOMIC_RELEASE);
	return 0;
}
