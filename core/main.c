// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rampart: a thin late-launch security hypervisor. Module life cycle.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "rampart.h"

static int __init rampart_init(void)
{
	int err;

	err = rampart_probe_all();
	if (err)
		return err;
	err = rampart_sysfs_init();
	if (err) {
		pr_err("cannot create /sys/kernel/rampart: %d\n", err);
		rampart_probe_free();
		return err;
	}
	pr_info("loaded: VMCS revision 0x%x, %u CPUs probed\n",
		rampart_boot_caps.basic.revision, num_online_cpus());
	return 0;
}

static void __exit rampart_exit(void)
{
	rampart_sysfs_exit();
	rampart_probe_free();
	pr_info("unloaded\n");
}

module_init(rampart_init);
module_exit(rampart_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart: late-launch VMX security hypervisor");
MODULE_VERSION(RAMPART_VERSION);
