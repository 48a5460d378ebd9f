// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel side of the modules rule: tell root each live module's text and
 * rodata (vmx/modtext.c). A module notifier reports a module as it goes
 * live and as it goes; after a policy load that has the rule, every live
 * module is reported again (root ignores runs it already holds), so the
 * rule also covers modules loaded before it. Module memory is vmalloc'ed:
 * each page is looked up, and contiguous frames make one run.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/vmalloc.h>
#include <asm/pgtable_types.h>

#include "../core/hypercall.h"
#include "../core/policy.h"
#include "hooks.h"

static long hypercall(unsigned long nr, struct module *mod, u64 pa, u64 size)
{
	long ret;

	get_cpu();
	ret = rampart_vmcall3(nr, (unsigned long)mod, pa, size, NULL);
	put_cpu();
	return ret;
}

static int add_run(struct module *mod, u64 pa, u64 size)
{
	long ret = hypercall(RAMPART_HC_MODULE_ADD, mod, pa, size);

	return ret == -EEXIST ? 0 : ret;
}

/*
 * [base, base + ro_size) is text then rodata, page aligned with
 * STRICT_MODULE_RWX. Return: 0, -ENOENT (no modules rule), or an error.
 */
static int protect(struct module *mod)
{
	const u8 *base = mod->core_layout.base;
	unsigned long size = round_down(mod->core_layout.ro_size, PAGE_SIZE);
	unsigned long off;
	u64 start = 0, len = 0;
	int err = 0;

	for (off = 0; off < size && !err; off += PAGE_SIZE) {
		struct page *pg = vmalloc_to_page(base + off);
		u64 pa;

		if (!pg)
			return -EFAULT;
		pa = page_to_phys(pg);
		if (len && pa == start + len) {
			len += PAGE_SIZE;
			continue;
		}
		if (len)
			err = add_run(mod, start, len);
		start = pa;
		len = PAGE_SIZE;
	}
	if (!err && len)
		err = add_run(mod, start, len);
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
 * rampart_modules_protect_all() - report every live module to root.
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
			if (READ_ONCE(mod->state) == MODULE_STATE_LIVE)
				err = protect(mod);
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

static int module_event(struct notifier_block *nb, unsigned long state,
			void *data)
{
	struct module *mod = data;
	long ret;
	int tries;

	if (state != MODULE_STATE_LIVE && state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	rampart_policy_mutex_lock();
	if (state == MODULE_STATE_LIVE) {
		ret = protect(mod);
		if (!ret)
			rampart_policy_sync_all();
		else if (ret != -ENOENT)
			report(mod, ret);
	} else {
		/* Root is busy only if something else edits the EPT: retry. */
		for (tries = 0; tries < 100; tries++) {
			ret = hypercall(RAMPART_HC_MODULE_DEL, mod, 0, 0);
			if (ret != -EBUSY)
				break;
			cond_resched();
		}
		if (ret && ret != -ENODEV)
			pr_err("module %s: its pages stay protected (%ld)\n",
			       mod->name, ret);
	}
	rampart_policy_mutex_unlock();
	return NOTIFY_OK;
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
	unregister_module_notifier(&module_nb);
}
