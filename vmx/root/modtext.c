// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module text and rodata under the modules rule (root side). Module
 * memory is vmalloc'ed, so the kernel side tells root each module's
 * physical runs as the module goes live, and asks for them back as it
 * goes (hooks/modules.c). Root only ever protects on the kernel's word;
 * it releases only runs it holds for that module, and never a page a
 * policy range still denies. Runs belong to a handle root picks at the
 * first MODULE_ADD, unpredictably, and only that handle releases them.
 * The trade-off (README.md, "Text"): the kernel side keeps the handles in
 * kernel memory, so kernel code that reads them can claim a module is
 * going; every release is recorded.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/cpufeatures.h>
#include <asm/vmx.h>

#include "../../ept/root/ept.h"
#include "../../ept/root/guard.h"
#include "arch.h"
#include "caps.h"
#include "event.h"
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
	for (rs->nmods--; i < rs->nmods; i++)
		rs->mods[i] = rs->mods[i + 1];
	rampart_root_unlock(rs);
	rampart_ept_release_run(rs, &rs->slot[rs->active], run.start, run.end);
}

/* Put @run in the table, which stays sorted by start. */
static __rampart_root void insert_run(struct rampart_root *rs,
				      const struct rampart_mod_run *run)
{
	u32 i, at = rampart_mod_index(rs, run->start);

	rampart_root_lock(rs);
	for (i = rs->nmods; i > at; i--)
		rs->mods[i] = rs->mods[i - 1];
	rs->mods[at] = *run;
	rs->nmods++;
	rampart_root_unlock(rs);
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

/* CPUID.1:ECX.RDRAND (SDM Vol. 1 7.3.17), the kernel's feature bit. */
#define CPUID1_ECX_RDRAND	BIT(X86_FEATURE_RDRAND & 31)

/* Is @h the handle of a run root holds? */
static __rampart_root bool handle_held(const struct rampart_root *rs, u64 h)
{
	u32 i;

	for (i = 0; i < rs->nmods; i++)
		if (rs->mods[i].handle == h)
			return true;
	return false;
}

/* 64 random bits from RDRAND; false if it has none to give (SDM Vol. 1 7.3.17). */
static __rampart_root bool rdrand64(u64 *out)
{
	int tries;
	bool ok;

	for (tries = 0; tries < 10; tries++) {
		asm volatile("rdrand %0" : "=r"(*out), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

/*
 * A new module handle, non-zero and unlike any held. Without RDRAND it
 * mixes the TSC: unique, but not unpredictable (README.md, "Text").
 */
static __rampart_root u64 new_handle(const struct rampart_root *rs)
{
	bool rnd = rs->caps->raw.cpuid1_ecx & CPUID1_ECX_RDRAND;
	u64 h;

	do {
		if (!rnd || !rdrand64(&h))
			h = rampart_root_tsc() * 0x9e3779b97f4a7c15ULL;
	} while (!h || handle_held(rs, h));
	return h;
}

/*
 * Would the modules rule over [@pa, @end) override a range of @p that is
 * weaker than it, such as a "log" range, or a write-watch (both
 * ept/root/guard.c)? Writes there would then be decided unrecorded (a
 * text_poke() write through a "poke" rule records no hit).
 */
static __rampart_root bool mutes_range(const struct rampart_policy *p, u64 pa,
				       u64 end)
{
	u32 i;

	for (i = 0; i < p->nrange; i++)
		if (p->range[i].start < end && pa < p->range[i].end &&
		    !rp_range_kept(&p->modules, &p->range[i]))
			return true;
	return rp_policy_watch(p, pa, end);
}

/*
 * A page-aligned run inside the EPT that overlaps none held and no weaker
 * range; -EEXIST only for exactly a run @handle holds.
 */
static __rampart_root int check_run(const struct rampart_root *rs, u64 handle,
				    u64 pa, u64 size)
{
	const struct rampart_mod_run *m;
	u32 i;

	if (!size || ((pa | size) & (PAGE_SIZE - 1)) ||
	    pa + size < pa || pa + size > rs->ept_end)
		return -EINVAL;
	/* Runs never overlap: only the last one starting below the end can. */
	i = rampart_mod_index(rs, pa + size - 1);
	m = i ? &rs->mods[i - 1] : NULL;
	if (m && m->end > pa)
		return handle && m->handle == handle && m->start == pa &&
		       m->end == pa + size ? -EEXIST : -EINVAL;
	if (mutes_range(&rs->slot[rs->active], pa, pa + size))
		return -EINVAL;
	if (handle && !handle_held(rs, handle))
		return -ESTALE;
	return rs->nmods < RAMPART_MODS_MAX ? 0 : -ENOSPC;
}

/* Hold [@pa, @pa + @size) for *@handle; 0 there asks for a new handle. */
static __rampart_root int add_run(struct rampart_root *rs, u64 *handle, u64 pa,
				  u64 size)
{
	int err = rs->slot[rs->active].modules.action == RAMPART_ACT_DENY ? 0 :
		  -ENOENT;

	err = err ?: check_run(rs, *handle, pa, size);
	err = err ?: rampart_root_ept_protect(rs, pa, size, false);
	if (err)
		return err;
	if (!*handle)
		*handle = new_handle(rs);
	insert_run(rs, &(struct rampart_mod_run){
		.start = pa, .end = pa + size, .handle = *handle,
	});
	/* This CPU at once; the kernel syncs the others. */
	rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	return 0;
}

/**
 * rampart_hc_module_add() - RAMPART_HC_MODULE_ADD.
 * @x: the exit; RBX the module's handle or 0, RCX physical start, RDX size.
 *
 * A run the modules rule cannot take (table or pool full, a bad or
 * overlapping run) is counted and recorded: the kernel side then refuses
 * the module.
 *
 * Return: EXIT_RESUME; RAX 0 and RBX the handle, or -ENOENT without a
 * denying modules rule, -EEXIST if already held, -ESTALE for a handle no
 * run holds, -EINVAL, -ENOSPC, -ENOMEM (EPT pool), -EBUSY.
 */
__rampart_root int rampart_hc_module_add(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	u64 handle = x->r->rbx, pa = x->r->rcx, size = x->r->rdx;
	int err;

	__atomic_add_fetch(&rs->mod_add_calls, 1, __ATOMIC_RELAXED);
	if (!rampart_root_edit_begin(rs)) {
		err = -EBUSY;
	} else {
		err = add_run(rs, &handle, pa, size);
		rampart_root_edit_end(rs);
	}
	if (err == -EINVAL || err == -ENOSPC || err == -ENOMEM) {
		__atomic_add_fetch(&rs->mod_add_refused, 1, __ATOMIC_RELAXED);
		rampart_root_event_cpu(x->v, RAMPART_CPU_EV_MODULE_REFUSED,
				       RAMPART_ACT_DENY, pa, -err);
	}
	x->r->rax = err;
	x->r->rbx = err ? 0 : handle;
	return rampart_skip_insn(x);
}

/**
 * rampart_hc_module_del() - RAMPART_HC_MODULE_DEL: the module is going.
 * @x: the exit; RBX the handle MODULE_ADD gave.
 *
 * Every release is recorded, and so is a handle no run holds.
 *
 * Return: EXIT_RESUME; RAX 0 and RBX the runs released, -ENOENT for a
 * handle no run holds, -EBUSY.
 */
__rampart_root int rampart_hc_module_del(struct exit_ctx *x)
{
	struct rampart_root *rs = x->v->root;
	u64 handle = x->r->rbx, n = 0, first = 0;
	u32 i;

	__atomic_add_fetch(&rs->mod_del_calls, 1, __ATOMIC_RELAXED);
	if (!rampart_root_edit_begin(rs)) {
		x->r->rax = -EBUSY;
		return rampart_skip_insn(x);
	}
	for (i = rs->nmods; handle && i-- > 0;) {
		if (rs->mods[i].handle != handle)
			continue;
		first = rs->mods[i].start;
		drop_run(rs, i);
		n++;
	}
	rampart_root_edit_end(rs);
	if (n) {
		rampart_root_event_cpu(x->v, RAMPART_CPU_EV_MODULE_DEL,
				       RAMPART_ACT_LOG, n, first);
	} else {
		__atomic_add_fetch(&rs->mod_del_refused, 1, __ATOMIC_RELAXED);
		rampart_root_event_cpu(x->v, RAMPART_CPU_EV_MODULE_HANDLE,
				       RAMPART_ACT_DENY, handle, 0);
	}
	x->r->rax = n ? 0 : -ENOENT;
	x->r->rbx = n;
	return rampart_skip_insn(x);
}
