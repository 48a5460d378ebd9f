// SPDX-License-Identifier: GPL-2.0-only
/*
 * Machine state changes while Rampart runs.
 *
 *  reboot, halt, power-off and kexec: the reboot notifier (kernel_kexec()
 *      calls it too, through kernel_restart_prepare()) devirtualizes every
 *      CPU and stops further launches, so the next kernel or the firmware
 *      finds VMX off.
 *  suspend: syscore suspend devirtualizes the last CPU (hotplug already
 *      took the others offline, devirtualizing them); resume relaunches it
 *      and hotplug relaunches the others as they come back.
 *  sealed policy: root refuses to leave VMX, so reboot, power-off and
 *      kexec go on with every CPU still under Rampart (the platform reset
 *      is not intercepted, root lets the ACPI S5 write through); suspend
 *      and CPU offline are refused. A kexec'd kernel gets one CPU: root
 *      refuses the INIT that would start the others.
 *  panic: nothing. Root stays correct without the kernel's help, NMIs that
 *      stop other CPUs are re-injected, and the kernel's emergency VMXOFF
 *      sees CR4.VMXE clear through the read shadow, so it does not fault.
 *      A kdump kernel starts in non-root mode under the identity EPT.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/smp.h>

#include "compat.h"
#include "launch.h"
#include "power.h"

static int rampart_reboot(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	const char *what = action == SYS_RESTART ? "restart" :
			   action == SYS_HALT ? "halt" : "power off";

	/* Sealed: root refuses to leave; firmware reset and ACPI still work. */
	if (rampart_sealed()) {
		pr_info("policy sealed: every CPU stays under Rampart for %s\n",
			what);
		return NOTIFY_DONE;
	}
	rampart_shutdown_all();
	pr_info("every CPU devirtualized for %s\n", what);
	return NOTIFY_DONE;
}

static struct notifier_block reboot_nb = {
	.notifier_call = rampart_reboot,
};

static int rampart_suspend(RAMPART_SYSCORE_ARGS)
{
	/* Firmware would resume with VMX off and the policy gone: refuse. */
	if (rampart_sealed()) {
		pr_err("policy sealed: suspend refused (-EBUSY)\n");
		return -EBUSY;
	}
	rampart_devirt_this_cpu();
	return 0;
}

static void rampart_resume(RAMPART_SYSCORE_ARGS)
{
	rampart_relaunch_this_cpu();
}

rampart_syscore_decl(syscore, rampart_suspend, rampart_resume);

/**
 * rampart_power_init() - follow reboot, kexec and suspend.
 *
 * Return: 0 or a negative errno.
 */
int rampart_power_init(void)
{
	rampart_syscore_register(&syscore);
	return register_reboot_notifier(&reboot_nb);
}

/**
 * rampart_power_exit() - stop following them.
 */
void rampart_power_exit(void)
{
	unregister_reboot_notifier(&reboot_nb);
	rampart_syscore_unregister(&syscore);
}
