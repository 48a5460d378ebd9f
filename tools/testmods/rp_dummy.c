// SPDX-License-Identifier: GPL-2.0-only
/* A module with a little text and data, for load/unload workloads. */
#include <linux/module.h>

static int counter;

static int __init rp_dummy_init(void)
{
	counter++;
	return 0;
}

static void __exit rp_dummy_exit(void)
{
	counter--;
}

module_init(rp_dummy_init);
module_exit(rp_dummy_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: load/unload workload");
