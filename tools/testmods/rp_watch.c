// SPDX-License-Identifier: GPL-2.0-only
/*
 * A page to watch, for write-watch ("log") policies: the rig puts it
 * under a log rule and writes it on demand.
 *
 *   /sys/module/rp_watch/parameters/pa     the page's physical address
 *   /sys/module/rp_watch/parameters/write  N: one 8-byte store of N
 *
 * Each write logs "rp_watch: wrote <N> now <value read back>".
 */
#define pr_fmt(fmt) "rp_watch: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>

static u64 *page;
static unsigned long pa;
module_param(pa, ulong, 0444);
MODULE_PARM_DESC(pa, "physical address of the watched page");

static int write_set(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int err = kstrtoul(val, 0, &v);

	if (err)
		return err;
	WRITE_ONCE(page[1], v);
	pr_info("wrote %lu now %llu\n", v, READ_ONCE(page[1]));
	return 0;
}

static const struct kernel_param_ops write_ops = { .set = write_set };
module_param_cb(write, &write_ops, NULL, 0200);
MODULE_PARM_DESC(write, "store this value in the watched page");

static int __init rp_watch_init(void)
{
	page = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	pa = virt_to_phys(page);
	return 0;
}

static void __exit rp_watch_exit(void)
{
	free_page((unsigned long)page);
}

module_init(rp_watch_init);
module_exit(rp_watch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: a page for write-watch policies");
