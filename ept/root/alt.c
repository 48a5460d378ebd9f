// SPDX-License-Identifier: GPL-2.0-only
/*
 * A CPU's alternate EPT (root side): the shared identity EPT with one or
 * two 4 KiB pages made writable, for a text-poke window (vmx/poke.c) or
 * the single step of a logged write (vmx/step.c). It is a copy of the
 * PML4, and copies (or splits) of just the tables on the path to each such
 * page; everything else points at the shared tables. Each CPU has its own
 * and only that CPU runs under it (its own EPT pointer, SDM 25.6.11), so
 * the other CPUs never see the page writable. Cached mappings are tagged
 * with the EPT pointer they came from (SDM 29.4.1); a CPU invalidates
 * before it runs under a rebuilt copy.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/vmx.h>

#include "../../vmx/root/ops.h"
#include "../../vmx/root/root.h"
#include "../../vmx/root/rootstate.h"
#include "../../vmx/root/vcpu.h"
#include "ept.h"
#include "../../vmx/root/vmcs_access.h"

static __rampart_root u64 *alt_page(const struct rampart_vcpu *v, u32 i)
{
	return v->alt_ept + i * (PAGE_SIZE / sizeof(u64));
}

static __rampart_root bool is_alt(const struct rampart_vcpu *v, const u64 *t)
{
	return t >= v->alt_ept && t < alt_page(v, RAMPART_ALT_PAGES);
}

static __rampart_root void copy_table(u64 *dst, const u64 *src)
{
	int i;

	for (i = 0; i < 512; i++)
		dst[i] = READ_ONCE(src[i]);
}

/* Make the page of @gpa writable in @v's alternate EPT only. */
static __rampart_root int alt_writable(const struct rampart_root *rs,
				       struct rampart_vcpu *v, u64 gpa)
{
	u64 *t = alt_page(v, 0), *e, *sub;
	int l;

	if (gpa >= rs->ept_end)
		return -EINVAL;
	for (l = 3; l > 0; l--) {
		e = &t[rampart_ept_index(gpa, l)];
		if (!(*e & RAMPART_EPT_RWX))
			return -EINVAL;
		if (!(*e & RAMPART_EPT_PS) &&
		    is_alt(v, rampart_ept_table_of(rs, *e))) {
			t = rampart_ept_table_of(rs, *e);
			continue;
		}
		if (v->alt_used >= RAMPART_ALT_PAGES)
			return -ENOMEM;
		sub = alt_page(v, v->alt_used++);
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

/**
 * rampart_alt_open() - run this CPU under its alternate EPT, with the page
 * of @gpa writable there too.
 * @v: this CPU.
 * @gpa: the address.
 *
 * The first page starts from a fresh copy of the shared EPT; a second one
 * (a write that crosses a page) joins it.
 *
 * Return: 0; -EINVAL if @gpa is not mapped, -EPERM for a root page,
 * -ENOMEM when two paths are already in use.
 */
__rampart_root int rampart_alt_open(struct rampart_vcpu *v, u64 gpa)
{
	const struct rampart_root *rs = v->root;
	int err;

	if (!v->alt_active) {
		/* Read before copying: an edit after it makes the copy stale. */
		v->alt_epoch = __atomic_load_n(&rs->ept_epoch, __ATOMIC_ACQUIRE);
		copy_table(alt_page(v, 0), rs->ept_pml4);
		v->alt_used = 1;
	}
	err = alt_writable(rs, v, gpa);
	if (err)
		return err;
	if (!v->alt_active) {
		v->main_eptp = rp_vmread64(EPT_POINTER);
		rp_vmwrite64(EPT_POINTER, ((u64)v->alt_ept - rs->direct_map) |
			   (v->main_eptp & (PAGE_SIZE - 1)));
		v->alt_active = true;
	}
	/* Drop what an earlier copy left cached for this EPT pointer (SDM 29.4.3.4). */
	rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	return 0;
}

/**
 * rampart_alt_close() - back to the shared EPT, unless a text-poke window
 * or a step still needs the alternate one.
 * @v: this CPU.
 */
__rampart_root void rampart_alt_close(struct rampart_vcpu *v)
{
	if (!v->alt_active || v->poking || v->stepping)
		return;
	rp_vmwrite64(EPT_POINTER, v->main_eptp);
	v->alt_active = false;
}
