// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module with a little text and data, for load/unload workloads, and
 * the victim whose text rp_memattack tries to overwrite.
 */
#include <linux/module.h>

static int counter;

/* rp_memattack finds this by name and writes its first byte. */
static noinline __used int rp_dummy_victim(int x)
{
	return x + counter;
}

static int __init rp_dummy_init(void)
{
	counter = rp_dummy_victim(counter);
	return 0;
}

static void __exit rp_dummy_exit(void)
{
	counter--;
}

module_init(rp_dummy_init);
module_exit(rp_dummy_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: load/unload workload and text victim");
