// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rampart: a thin late-launch security hypervisor. Module life cycle.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "launch.h"
#include "policy.h"
#include "power.h"
#include "rampart.h"
#include "../hooks/hooks.h"

/* Launch at load (the default), or load only to probe and report. */
static bool launch = true;
module_param(launch, bool, 0444);
MODULE_PARM_DESC(launch, "launch every CPU into VMX non-root mode at load (default: 1)");

/* Seal the default policy at load: for boot-time use on hardened hosts. */
static bool seal;
module_param(seal, bool, 0444);
MODULE_PARM_DESC(seal, "seal the policy right after the default policy is in force (default: 0)");

static int __init rampart_init(void)
{
	int err;

	err = rampart_probe_all();
	if (err)
		return err;
	if (launch) {
		err = rampart_launch_all();
		if (err) {
			pr_err("launch failed: %d; every CPU is native\n", err);
			rampart_probe_free();
			return err;
		}
		rampart_launched = true;
		err = rampart_power_init();
		if (err) {
			pr_err("cannot register the reboot notifier: %d\n", err);
			goto fail;
		}
		/* Without it, text rules can only be "ro": go on. */
		rampart_textpoke_calibrate();
		rampart_policy_on_modules_rule(rampart_modules_protect_all);
		err = rampart_modules_init();
		if (err) {
			pr_err("cannot register the module notifier: %d\n", err);
			goto fail;
		}
	}
	err = rampart_sysfs_init();
	if (err) {
		pr_err("cannot create /sys/kernel/rampart: %d\n", err);
		goto fail;
	}
	rampart_debugfs_init();
	if (rampart_launched) {
		/* Refuse rather than run unprotected (DESIGN.md principle 7). */
		err = rampart_policy_load_default(rampart_textpoke_ready());
		if (!err && seal)
			err = rampart_policy_seal();
		if (err) {
			rampart_debugfs_exit();
			rampart_sysfs_exit();
			goto fail;
		}
	}
	pr_info("loaded: VMCS revision 0x%x, %u CPUs probed%s\n",
		rampart_boot_caps.basic.revision, num_online_cpus(),
		rampart_launched ? ", kernel running in VMX non-root mode" : "");
	return 0;
fail:
	/* Unregistering a notifier that is not registered is harmless. */
	if (rampart_launched) {
		rampart_modules_exit();
		rampart_power_exit();
		rampart_devirt_all();
	}
	rampart_launched = false;
	rampart_probe_free();
	return err;
}

static void __exit rampart_exit(void)
{
	rampart_debugfs_exit();
	rampart_sysfs_exit();
	if (rampart_launched) {
		rampart_modules_exit();
		rampart_power_exit();
		rampart_devirt_all();
	}
	rampart_launched = false;
	rampart_probe_free();
	pr_info("unloaded\n");
}

module_init(rampart_init);
module_exit(rampart_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart: late-launch VMX security hypervisor");
MODULE_VERSION(RAMPART_VERSION);
