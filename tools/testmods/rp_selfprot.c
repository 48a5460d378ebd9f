// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-protection attack: from the deprivileged kernel, try to write (and
 * read) a page of Rampart's root memory through the direct map. The rig
 * passes the physical address from /sys/kernel/debug/rampart/root_pages.
 * Logs "rp_selfprot: pa=... read=<err> write=<err> intact=<0|1>".
 */
#define pr_fmt(fmt) "rp_selfprot: " fmt

#include <linux/io.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "rp_store.h"

static unsigned long pa;
module_param(pa, ulong, 0400);
MODULE_PARM_DESC(pa, "physical address of a root page to attack");

static int __init rp_selfprot_init(void)
{
	u64 *va = phys_to_virt(pa), before = 0, after = 0, junk = ~0ULL;
	long rd, wr;

	if (!pa)
		return -EINVAL;
	rd = copy_from_kernel_nofault(&before, va, sizeof(before));
	wr = rp_store_faulted(va, junk) ? -EFAULT : 0;
	copy_from_kernel_nofault(&after, va, sizeof(after));
	pr_info("pa=%#lx read=%ld write=%ld intact=%d\n", pa, rd, wr,
		rd ? 1 : before == after);
	return 0;
}

static void __exit rp_selfprot_exit(void)
{
}

module_init(rp_selfprot_init);
module_exit(rp_selfprot_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: attack root memory from non-root");
