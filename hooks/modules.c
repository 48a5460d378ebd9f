// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel side of the modules rule: tell root each module's text and
 * rodata (vmx/root/modtext.c). A module notifier reports a module as it
 * comes, before its init runs, and refuses it if root cannot take it; it
 * asks root to release the runs as the module goes. After a policy load
 * that has the rule, every module is reported again (root ignores runs it
 * already holds), so the rule also covers modules loaded before it.
 * Module memory is vmalloc'ed: each page is looked up, and contiguous
 * frames make one run.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/hashtable.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/pgtable_types.h>

#include "../core/compat.h"
#include "../core/hypercall.h"
#include "../core/policy.h"
#include "hooks.h"

/*
 * Root's handle for each module it holds runs of, under the policy mutex.
 * Root picks it at the first MODULE_ADD; only it releases the runs.
 */
struct mod_handle {
	struct hlist_node node;
	const struct module *mod;
	u64 handle;
};

static DEFINE_HASHTABLE(handles, 6);

static struct mod_handle *handle_of(const struct module *mod)
{
	struct mod_handle *h;

	hash_for_each_possible(handles, h, node, (unsigned long)mod)
		if (h->mod == mod)
			return h;
	return NULL;
}

static void handle_forget(struct mod_handle *h)
{
	hash_del(&h->node);
	kfree(h);
}

/* Hold one run for @h's module; the first run names the handle. */
static int add_run(struct mod_handle *h, u64 pa, u64 size)
{
	struct rampart_hc_out out = {};
	long ret = rampart_vmcall3_pinned(RAMPART_HC_MODULE_ADD, h->handle, pa,
					  size, &out);

	if (ret == -ESTALE) {
		/* Root dropped the runs with an earlier modules rule. */
		h->handle = 0;
		ret = rampart_vmcall3_pinned(RAMPART_HC_MODULE_ADD, 0, pa, size,
					     &out);
	}
	if (!ret)
		h->handle = out.rbx;
	return ret == -EEXIST ? 0 : ret;
}

/*
 * Root releases @h's runs, then we forget it. Root is busy only while
 * something else edits the EPT: retry a little, and keep the handle if
 * it stays busy. May run atomic.
 */
static long release(struct mod_handle *h)
{
	long ret = 0;
	int tries;

	for (tries = 0; h->handle && tries < 100; tries++) {
		ret = rampart_vmcall3_pinned(RAMPART_HC_MODULE_DEL, h->handle,
					     0, 0, NULL);
		if (ret != -EBUSY)
			break;
		cpu_relax();
	}
	if (ret != -EBUSY)
		handle_forget(h);
	return ret;
}

/*
 * Text and rodata (one region up to 6.3, two from 6.4), page aligned with
 * STRICT_MODULE_RWX. Return: 0, -ENOENT (no modules rule), or an error,
 * with what was held released again.
 */
static int protect(struct module *mod, gfp_t gfp)
{
	struct rampart_mod_region r[RAMPART_MOD_REGIONS];
	unsigned int i, n = rampart_mod_ro_regions(mod, r);
	struct mod_handle *h = handle_of(mod);
	bool fresh = !h;
	unsigned long off;
	u64 start = 0, len = 0;
	int err = 0;

	if (fresh) {
		h = kzalloc(sizeof(*h), gfp);
		if (!h)
			return -ENOMEM;
		h->mod = mod;
		hash_add(handles, &h->node, (unsigned long)mod);
	}
	for (i = 0; i < n && !err; i++) {
		for (off = 0; off < r[i].size && !err; off += PAGE_SIZE) {
			struct page *pg = vmalloc_to_page(r[i].base + off);
			u64 pa;

			if (!pg) {
				err = -EFAULT;
				break;
			}
			pa = page_to_phys(pg);
			if (len && pa == start + len) {
				len += PAGE_SIZE;
				continue;
			}
			if (len)
				err = add_run(h, start, len);
			start = pa;
			len = PAGE_SIZE;
		}
	}
	if (!err && len)
		err = add_run(h, start, len);
	/* A module is protected whole or not at all. */
	if (err && (fresh || !h->handle))
		release(h);
	return err;
}

static void report(struct module *mod, int err)
{
	pr_err("module %s: text and rodata not protected (%d)\n", mod->name,
	       err);
}

/* The list head of all modules is not exported: it is the node outside module memory. */
static bool is_module_node(const struct list_head *pos)
{
	return (unsigned long)pos >= MODULES_VADDR &&
	       (unsigned long)pos < MODULES_END;
}

/**
 * rampart_modules_protect_all() - report every module that is coming or
 * live to root.
 *
 * Called with the policy mutex held, after a load that has a denying
 * modules rule. The walk starts at this module, whose node is on the
 * kernel's module list.
 */
void rampart_modules_protect_all(void)
{
	struct list_head *pos = &THIS_MODULE->list;
	int err = 0;

	preempt_disable();	/* the module list is RCU-sched */
	do {
		struct module *mod;

		if (is_module_node(pos)) {
			mod = container_of(pos, struct module, list);
			switch (READ_ONCE(mod->state)) {
			case MODULE_STATE_COMING:
			case MODULE_STATE_LIVE:
				err = protect(mod, GFP_ATOMIC);
				break;
			default:
				break;
			}
			if (err == -ENOENT)
				break;
			if (err)
				report(mod, err);
		}
		pos = READ_ONCE(pos->next);
	} while (pos != &THIS_MODULE->list);
	preempt_enable();
	rampart_policy_sync_all();
}

/*
 * A module is protected as it comes, before its init runs: if root cannot
 * take its text, it does not load (DESIGN.md principle 7).
 */
static int module_event(struct notifier_block *nb, unsigned long state,
			void *data)
{
	struct module *mod = data;
	struct mod_handle *h;
	long ret = 0;

	if (state != MODULE_STATE_COMING && state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	/*
	 * While kvm_intel is loaded it may be in VMX operation that root
	 * emulates (nested VMX): root refuses to leave then, so Rampart
	 * stays in use rather than hang its unload.
	 */
	if (!strcmp(mod->name, "kvm_intel")) {
		if (state == MODULE_STATE_COMING)
			__module_get(THIS_MODULE);
		else
			module_put(THIS_MODULE);
	}
	rampart_policy_mutex_lock();
	if (state == MODULE_STATE_COMING) {
		ret = protect(mod, GFP_KERNEL);
		if (!ret)
			rampart_policy_sync_all();
		else if (ret != -ENOENT)
			pr_err("module %s refused: its text and rodata cannot be protected (%ld)\n",
			       mod->name, ret);
		else
			ret = 0;
	} else {
		h = handle_of(mod);
		ret = h ? release(h) : 0;
		/* Every CPU flushes: root may then reuse merged EPT tables. */
		if (h)
			rampart_policy_sync_all();
		if (ret && ret != -ENODEV)
			pr_err("module %s: its pages stay protected (%ld)\n",
			       mod->name, ret);
		ret = 0;
	}
	rampart_policy_mutex_unlock();
	return notifier_from_errno(ret);
}

static struct notifier_block module_nb = {
	.notifier_call = module_event,
};

/**
 * rampart_modules_init() - follow modules going live and going.
 *
 * Return: 0 or a negative errno.
 */
int rampart_modules_init(void)
{
	return register_module_notifier(&module_nb);
}

/**
 * rampart_modules_exit() - stop following modules.
 */
void rampart_modules_exit(void)
{
	struct mod_handle *h;
	struct hlist_node *tmp;
	int bkt;

	unregister_module_notifier(&module_nb);
	rampart_policy_mutex_lock();
	hash_for_each_safe(handles, bkt, tmp, h, node)
		handle_forget(h);
	rampart_policy_mutex_unlock();
}
