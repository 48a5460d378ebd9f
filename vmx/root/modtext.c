// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module text and rodata under the modules rule (root side). Module
 * memory is vmalloc'ed, so the kernel side tells root each module's
 * physical runs as the module goes live, and asks for them back as it
 * goes (hooks/modules.c). Root only ever protects on the kernel's word;
 * it releases only runs it holds for that module, and never a page a
 * policy range still denies. The trade-off (README.md, "Text"): kernel
 * code that can issue VMCALL can claim a module is going.
 */
#include <linux/errno.h>
#include <linux/types.h>

#include "../../ept/root/ept.h"
#include "../../ept/root/guard.h"
#include "guest.h"
#include "lock.h"
#include "modtext.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"

/* Take run @i out of the table, then release what no rule still denies. */
static __rampart_root void drop_run(struct rampart_root *rs, u32 i)
{
	struct rampart_mod_run run = rs->mods[i];

	rampart_root_lock(rs);
	rs->mods[i] = rs->mods[--rs->nmods];
	rampart_root_unlock(rs);
	rampart_ept_release_run(rs, &rs->slot[rs->active], run.start, run.end);
}

/**
 * rampart_mods_release_all() - drop every module run (the policy dropped
 * its modules rule).
 * @rs: root state; the caller is the EPT editor.
 */
__rampart_root void rampart_mods_release_all(struct rampart_root *rs)
{
	while (rs->nmods)
		drop_run(rs, rs->nmods - 1);
}

/* A page-aligned run inside the EPT, not yet held for @cookie. */
static __rampart_root int check_run(const struct rampart_root *rs, u64 cookie,
				    u64 pa, u64 size)
{
	u32 i;

	if (!cookie || !size || ((pa | size) & (PAGE_SIZE - 1)) ||
	    pa + size < pa || pa + size > rs->ept_end)
		return -EINVAL;
	for (i = 0; i < rs->nmods; i++)
		if (pa < rs->mods[i].end && rs->mods[i].start < pa + size)
			return rs->mods[i].cookie == cookie ? -EEXIST : -EINVAL;
	return rs->nmods < RAMPART_MODS_MAX ? 0 : -ENOSPC;
}

/**
 * rampart_hc_module_add() - RAMPART_HC_MODULE_ADD.
 * @x: the exit; RBX cookie, RCX physical start, RDX size.
 *
 * Return: EXIT_RESUME; RAX 0, -ENOENT without a denying modules rule,
 * -EEXIST if already held, -EINVAL, -ENOSPC, -ENOMEM (EPT pool), -EBUSY.
 */
__rampart_root int rampart_hc_module_add(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	u64 cookie = x->r->rbx, pa = x->r->rcx, size = x->r->rdx;
	int err;

	__atomic_add_fetch(&rs->mod_add_calls, 1, __ATOMIC_RELAXED);
	if (!rampart_root_edit_begin(rs)) {
		__atomic_add_fetch(&rs->mod_add_refused, 1, __ATOMIC_RELAXED);
		x->r->rax = -EBUSY;
		return rampart_skip_insn(x);
	}
	err = rs->slot[rs->active].modules.action == RAMPART_ACT_DENY ? 0 :
	      -ENOENT;
	err = err ?: check_run(rs, cookie, pa, size);
	err = err ?: rampart_root_ept_protect(rs, pa, size, false);
	if (!err) {
		rampart_root_lock(rs);
		rs->mods[rs->nmods].start = pa;
		rs->mods[rs->nmods].end = pa + size;
		rs->mods[rs->nmods].cookie = cookie;
		rs->mods[rs->nmods].reserved = 0;
		rs->nmods++;
		rampart_root_unlock(rs);
		/* This CPU at once; the kernel syncs the others. */
		rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	}
	rampart_root_edit_end(rs);
	if (err)
		__atomic_add_fetch(&rs->mod_add_refused, 1, __ATOMIC_RELAXED);
	x->r->rax = err;
	return rampart_skip_insn(x);
}

/**
 * rampart_hc_module_del() - RAMPART_HC_MODULE_DEL: the module is going.
 * @x: the exit; RBX cookie.
 *
 * Return: EXIT_RESUME; RAX 0, -EBUSY; RBX the runs released.
 */
__rampart_root int rampart_hc_module_del(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	u64 cookie = x->r->rbx, n = 0;
	u32 i;

	__atomic_add_fetch(&rs->mod_del_calls, 1, __ATOMIC_RELAXED);
	if (!rampart_root_edit_begin(rs)) {
		x->r->rax = -EBUSY;
		return rampart_skip_insn(x);
	}
	for (i = rs->nmods; i-- > 0;) {
		if (rs->mods[i].cookie != cookie)
			continue;
		drop_run(rs, i);
		n++;
	}
	rampart_root_edit_end(rs);
	x->r->rax = 0;
	x->r->rbx = n;
	return rampart_skip_insn(x);
}
