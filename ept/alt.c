// SPDX-License-Identifier: GPL-2.0-only
/*
 * The alternate EPT of a text-poke window (root side, vmx/poke.c). It is
 * the shared identity EPT with one or two 4 KiB pages made writable: a
 * copy of the PML4, and copies (or splits) of just the tables on the path
 * to each such page; everything else points at the shared tables. Only
 * the CPU that owns the window runs under it (its own EPT pointer, SDM
 * 25.6.11), so the other CPUs never see the page writable. Cached
 * mappings are tagged with the EPT pointer they came from (SDM 29.4.1);
 * the window's owner invalidates before it runs under a rebuilt copy.
 */
#include <linux/errno.h>
#include <linux/types.h>

#include "../vmx/root.h"
#include "../vmx/rootstate.h"
#include "ept.h"

static __rampart_root u64 *alt_page(const struct rampart_root *rs, u32 i)
{
	return rs->alt_ept + i * (PAGE_SIZE / sizeof(u64));
}

static __rampart_root bool is_alt(const struct rampart_root *rs,
				  const u64 *t)
{
	return t >= rs->alt_ept && t < alt_page(rs, RAMPART_ALT_PAGES);
}

static __rampart_root void copy_table(u64 *dst, const u64 *src)
{
	int i;

	for (i = 0; i < 512; i++)
		dst[i] = READ_ONCE(src[i]);
}

/**
 * rampart_ept_alt_reset() - start a window: the alternate EPT equals the
 * shared one.
 * @rs: root state; the caller owns the window.
 */
__rampart_root void rampart_ept_alt_reset(struct rampart_root *rs)
{
	copy_table(alt_page(rs, 0), rs->ept_pml4);
	rs->alt_used = 1;
}

/**
 * rampart_ept_alt_pa() - physical address of the alternate PML4.
 * @rs: root state.
 *
 * Return: the address, for an EPT pointer.
 */
__rampart_root u64 rampart_ept_alt_pa(const struct rampart_root *rs)
{
	return (u64)rs->alt_ept - rs->direct_map;
}

/**
 * rampart_ept_alt_writable() - make the page of @gpa writable in the
 * alternate EPT only.
 * @rs: root state; the caller owns the window.
 * @gpa: the address.
 *
 * Return: 0; -EINVAL if @gpa is not mapped, -EPERM for a root page,
 * -ENOMEM when the window already holds two paths.
 */
__rampart_root int rampart_ept_alt_writable(struct rampart_root *rs, u64 gpa)
{
	u64 *t = alt_page(rs, 0), *e, *sub;
	int l;

	if (gpa >= rs->ept_end)
		return -EINVAL;
	for (l = 3; l > 0; l--) {
		e = &t[rampart_ept_index(gpa, l)];
		if (!(*e & RAMPART_EPT_RWX))
			return -EINVAL;
		if (!(*e & RAMPART_EPT_PS) &&
		    is_alt(rs, rampart_ept_table_of(rs, *e))) {
			t = rampart_ept_table_of(rs, *e);
			continue;
		}
		if (rs->alt_used >= RAMPART_ALT_PAGES)
			return -ENOMEM;
		sub = alt_page(rs, rs->alt_used++);
		if (*e & RAMPART_EPT_PS)
			rampart_ept_fill_split(sub, *e, l);
		else
			copy_table(sub, rampart_ept_table_of(rs, *e));
		*e = ((u64)sub - rs->direct_map) | RAMPART_EPT_RWX;
		t = sub;
	}
	e = &t[rampart_ept_index(gpa, 0)];
	if (!(*e & RAMPART_EPT_RWX) || (*e & RAMPART_EPT_ROOT))
		return -EPERM;
	*e |= RAMPART_EPT_W;
	return 0;
}
