// SPDX-License-Identifier: GPL-2.0-only
/*
 * Write-watch targets (kernel side): a policy's watch rules name a
 * symbol, a kernel virtual address or physical memory; this turns each
 * into physically contiguous pieces for root (policy/parse.c calls
 * rampart_watch_resolve() for every watch), and keeps the list of the
 * watches in force, as written, for /sys/kernel/rampart/watch/list.
 *
 * What this resolves is the kernel's word, which root never needs to
 * trust: a wrong piece only watches the wrong bytes.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <asm/pgtable.h>

#include "../policy/policy.h"
#include "ksym.h"
#include "watch.h"

/* One watch as written, and where its pieces went. */
struct watch_ent {
	char target[RP_WATCH_NAME_MAX + 64];
	u32 line;
	u64 va;			/* 0 for a physical watch */
	u64 len;
	u32 first, n;		/* its pieces in the set */
};

struct watch_piece {
	u64 pa, len;
};

/*
 * The watches of one policy. While it is resolved, room for a policy of
 * watches only; once in force, a copy just as large as it needs.
 */
struct rampart_watch_set {
	u32 nent, npiece;
	u32 max;
	struct watch_ent *ent;
	struct watch_piece *piece;
};

static DEFINE_MUTEX(watch_mutex);
static struct rampart_watch_set *in_force;	/* under watch_mutex */

static struct rampart_watch_set *set_alloc(u32 max)
{
	struct rampart_watch_set *set = kzalloc(sizeof(*set), GFP_KERNEL);

	if (!set)
		return NULL;
	set->max = max;
	set->ent = kvcalloc(max ?: 1, sizeof(*set->ent), GFP_KERNEL);
	set->piece = kvcalloc(max ?: 1, sizeof(*set->piece), GFP_KERNEL);
	if (!set->ent || !set->piece) {
		rampart_watch_set_free(set);
		return NULL;
	}
	return set;
}

/**
 * rampart_watch_set_new() - an empty set for a policy being loaded.
 *
 * Return: the set, or NULL.
 */
struct rampart_watch_set *rampart_watch_set_new(void)
{
	return set_alloc(RAMPART_POLICY_MAX_RULES);
}

/**
 * rampart_watch_set_free() - drop a set that did not go into force.
 * @set: the set, or NULL.
 */
void rampart_watch_set_free(struct rampart_watch_set *set)
{
	if (!set)
		return;
	kvfree(set->ent);
	kvfree(set->piece);
	kfree(set);
}

/**
 * rampart_watch_commit() - the policy @set was resolved for is in force.
 * @set: its watches; the list takes it over.
 */
void rampart_watch_commit(struct rampart_watch_set *set)
{
	struct rampart_watch_set *old, *fit = NULL;

	/* Keep what it uses; if that copy fails, the set itself. */
	if (set)
		fit = set_alloc(max(set->nent, set->npiece));
	if (fit) {
		fit->nent = set->nent;
		fit->npiece = set->npiece;
		memcpy(fit->ent, set->ent, set->nent * sizeof(*set->ent));
		memcpy(fit->piece, set->piece, set->npiece * sizeof(*set->piece));
		rampart_watch_set_free(set);
		set = fit;
	}
	mutex_lock(&watch_mutex);
	old = in_force;
	in_force = set;
	mutex_unlock(&watch_mutex);
	rampart_watch_set_free(old);
}

/* The physical address behind a kernel virtual one; -EFAULT if none. */
static int virt_to_pa(unsigned long va, u64 *pa)
{
	unsigned int level;
	pte_t *pte;

	if (va < TASK_SIZE_MAX)
		return -EFAULT;
	pte = lookup_address(va, &level);
	if (!pte || !pte_present(*pte))
		return -EFAULT;
	switch (level) {
	case PG_LEVEL_1G:
		*pa = ((u64)pud_pfn(*(pud_t *)pte) << PAGE_SHIFT) +
		      (va & ~PUD_MASK);
		break;
	case PG_LEVEL_2M:
		*pa = ((u64)pmd_pfn(*(pmd_t *)pte) << PAGE_SHIFT) +
		      (va & ~PMD_MASK);
		break;
	default:
		*pa = ((u64)pte_pfn(*pte) << PAGE_SHIFT) + (va & ~PAGE_MASK);
	}
	return 0;
}

/* Where a symbol watch starts, and (without ":<len>") its length. */
static u32 resolve_symbol(const struct rp_watch_ref *w, u64 *va, u64 *len)
{
	char name[RP_WATCH_NAME_MAX + 1];
	unsigned long addr, start, size;

	memcpy(name, w->name, w->name_len);
	name[w->name_len] = '\0';
	addr = rampart_ksym_lookup(name);
	if (!addr)
		return RP_ERR_WATCH_SYMBOL;
	*len = w->len;
	if (!w->has_len) {
		if (rampart_ksym_extent(addr, &start, &size) || start != addr ||
		    w->off >= size)
			return RP_ERR_WATCH_RANGE;
		*len = size - w->off;
	}
	*va = addr + w->off;
	return *va < addr ? RP_ERR_WATCH_RANGE : RP_ERR_OK;
}

/*
 * The physically contiguous pieces of [@va, @va + @len) into @out; a
 * piece never holds more than the watch limits allow.
 */
static u32 split_virt(const struct rp_watch_ref *w, u64 va, u64 len,
		      struct rampart_rule *out, u32 room, u32 *n)
{
	u64 end = va + len, a = va, pa, prev_end = 0;

	if (end < va || len > (u64)RAMPART_WATCH_MAX_PAGES * PAGE_SIZE)
		return RP_ERR_WATCH_RANGE;
	*n = 0;
	while (a < end) {
		u64 chunk = min(end, (a & PAGE_MASK) + PAGE_SIZE) - a;

		if (virt_to_pa(a, &pa))
			return RP_ERR_WATCH_ADDR;
		if (*n && pa == prev_end) {
			out[*n - 1].mask += chunk;
		} else {
			if (*n >= room)
				return RP_ERR_TOO_MANY;
			rp_watch_piece(&out[(*n)++], w, pa, chunk);
		}
		prev_end = pa + chunk;
		a += chunk;
	}
	return RP_ERR_OK;
}

/* The target as the list shows it: what came after "watch.". */
static void name_target(const struct rp_watch_ref *w, char *buf, size_t size)
{
	int k;

	if (w->how != RP_WATCH_SYM) {
		snprintf(buf, size, "%s.%#llx:%llu",
			 w->how == RP_WATCH_VIRT ? "virt" : "phys", w->addr,
			 w->len);
		return;
	}
	k = snprintf(buf, size, "%.*s", (int)w->name_len, w->name);
	if (w->off)
		k += snprintf(buf + k, size - k, "+%#llx", w->off);
	if (w->has_len)
		snprintf(buf + k, size - k, ":%llu", w->len);
}

/**
 * rampart_watch_resolve() - turn one watch into its pieces
 * (rp_watch_resolve_fn, policy/policy.h).
 * @ctx: the struct rampart_watch_set being built.
 * @w: the watch as written.
 * @out: where its pieces go.
 * @room: how many fit.
 * @n: set to how many it has.
 * @e: the error, if any.
 *
 * Return: 0 or a negative errno, with @e filled in.
 */
int rampart_watch_resolve(void *ctx, const struct rp_watch_ref *w,
			  struct rampart_rule *out, u32 room, u32 *n,
			  struct rp_policy_error *e)
{
	struct rampart_watch_set *set = ctx;
	struct watch_ent *ent;
	u64 va = 0, len = w->len;
	u32 err = RP_ERR_OK, i;

	if (w->how == RP_WATCH_PHYS) {
		if (w->addr + w->len < w->addr)
			return rp_policy_fail(e, RP_ERR_WATCH_RANGE, w->line, 0);
		rp_watch_piece(out, w, w->addr, w->len);
		*n = 1;
	} else {
		if (w->how == RP_WATCH_SYM)
			err = resolve_symbol(w, &va, &len);
		else
			va = w->addr;
		err = err ?: split_virt(w, va, len, out, room, n);
		if (err)
			return rp_policy_fail(e, err, w->line, 0);
	}
	if (set->nent >= set->max || set->npiece + *n > set->max)
		return rp_policy_fail(e, RP_ERR_TOO_MANY, w->line, 0);
	ent = &set->ent[set->nent++];
	name_target(w, ent->target, sizeof(ent->target));
	ent->line = w->line;
	ent->va = va;
	ent->len = len;
	ent->first = set->npiece;
	ent->n = *n;
	for (i = 0; i < *n; i++)
		set->piece[set->npiece++] = (struct watch_piece){
			out[i].id, out[i].mask };
	return 0;
}

/**
 * rampart_watch_list() - the watches in force, one line each:
 * "<target> line=<n> va=<va> len=<n> phys=<pa>:<len>[,<pa>:<len>...]".
 * @buf: output.
 * @size: its size.
 *
 * Return: the length written (at most @size - 1).
 */
size_t rampart_watch_list(char *buf, size_t size)
{
	const struct rampart_watch_set *set;
	size_t k = 0;
	u32 i, j;

	if (!size)
		return 0;
	buf[0] = '\0';
	mutex_lock(&watch_mutex);
	set = in_force;
	for (i = 0; set && i < set->nent; i++) {
		const struct watch_ent *ent = &set->ent[i];

		k += scnprintf(buf + k, size - k, "%s line=%u va=%#llx len=%llu phys=",
			       ent->target, ent->line, ent->va, ent->len);
		for (j = 0; j < ent->n; j++) {
			const struct watch_piece *p = &set->piece[ent->first + j];

			k += scnprintf(buf + k, size - k, "%s%#llx:%#llx",
				       j ? "," : "", p->pa, p->len);
		}
		k += scnprintf(buf + k, size - k, "\n");
	}
	mutex_unlock(&watch_mutex);
	return k;
}
