// SPDX-License-Identifier: GPL-2.0-only
/*
 * An NMI source for the soak (tools/rig/scenarios/soak.sh): while "run" is
 * 1, a kthread sends NMI IPIs to the online CPUs in turn (this one too),
 * one at a time, and waits until the target's NMI handler took it. Under
 * Rampart every NMI a CPU gets arrives as a VM exit that root must hand
 * back to the kernel (SDM 25.3 and 27.2); one that root loses shows here.
 *
 * Parameters (/sys/module/rp_nmisrc/parameters/):
 *   period_us  the gap between two IPIs, 100 to 1000000 (default 5000)
 *   run        1 starts the sender; 0 stops it
 *   stats      "sent S seen N late L": IPIs sent, NMIs the handler took,
 *              and IPIs not seen within 500 ms (each counted again in
 *              seen if it comes later)
 *
 * The handler claims an NMI only while one is owed to its CPU, so other
 * NMI sources are left to their own handlers.
 */
#define pr_fmt(fmt) "rp_nmisrc: " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <asm/apic.h>
#include <asm/nmi.h>

#define RP_NMI_WAIT_US	500000

static DEFINE_PER_CPU(atomic_t, nmi_owed);
static atomic_long_t nmi_sent, nmi_seen, nmi_late;
static unsigned int period_us = 5000;
static struct task_struct *sender;
static DEFINE_MUTEX(sender_lock);

static int rp_nmisrc_handler(unsigned int type, struct pt_regs *regs)
{
	if (!atomic_add_unless(this_cpu_ptr(&nmi_owed), -1, 0))
		return NMI_DONE;
	atomic_long_inc(&nmi_seen);
	return NMI_HANDLED;
}

/* One NMI to @cpu, then wait (sleeping) until it was taken. */
static void rp_nmisrc_one(unsigned int cpu)
{
	atomic_t *owed = per_cpu_ptr(&nmi_owed, cpu);
	unsigned int waited = 0;

	atomic_inc(owed);
	atomic_long_inc(&nmi_sent);
	apic->send_IPI(cpu, NMI_VECTOR);
	while (atomic_read(owed) && waited < RP_NMI_WAIT_US) {
		usleep_range(20, 40);
		waited += 20;
	}
	if (atomic_read(owed)) {
		atomic_long_inc(&nmi_late);
		pr_warn_ratelimited("NMI to cpu%u not taken in %u us\n", cpu, waited);
	}
}

static int rp_nmisrc_thread(void *unused)
{
	unsigned int cpu = 0;

	while (!kthread_should_stop()) {
		/* No NMI to a CPU going down: hotplug waits for this one. */
		cpus_read_lock();
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
		rp_nmisrc_one(cpu);
		cpus_read_unlock();
		usleep_range(period_us, period_us + period_us / 4);
	}
	return 0;
}

static void rp_nmisrc_stop(void)
{
	if (sender)
		kthread_stop(sender);
	sender = NULL;
}

static int run_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	mutex_lock(&sender_lock);
	if (on && !sender) {
		sender = kthread_run(rp_nmisrc_thread, NULL, "rp_nmisrc");
		if (IS_ERR(sender)) {
			err = PTR_ERR(sender);
			sender = NULL;
		}
	} else if (!on) {
		rp_nmisrc_stop();
	}
	mutex_unlock(&sender_lock);
	return err;
}

static int run_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sender) != NULL);
}

static const struct kernel_param_ops run_ops = {
	.set = run_set,
	.get = run_get,
};
module_param_cb(run, &run_ops, NULL, 0644);
MODULE_PARM_DESC(run, "1: send NMI IPIs, 0: stop");

static int period_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err)
		return err;
	if (v < 100 || v > 1000000)
		return -ERANGE;
	WRITE_ONCE(period_us, v);
	return 0;
}

static const struct kernel_param_ops period_ops = {
	.set = period_set,
	.get = param_get_uint,
};
module_param_cb(period_us, &period_ops, &period_us, 0644);
MODULE_PARM_DESC(period_us, "microseconds between two IPIs (100..1000000)");

static int stats_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "sent %ld seen %ld late %ld\n",
			  atomic_long_read(&nmi_sent),
			  atomic_long_read(&nmi_seen),
			  atomic_long_read(&nmi_late));
}

static const struct kernel_param_ops stats_ops = {
	.get = stats_get,
};
module_param_cb(stats, &stats_ops, NULL, 0444);
MODULE_PARM_DESC(stats, "sent S seen N late L");

static int __init rp_nmisrc_init(void)
{
	return register_nmi_handler(NMI_LOCAL, rp_nmisrc_handler, 0, "rp_nmisrc");
}

static void __exit rp_nmisrc_exit(void)
{
	mutex_lock(&sender_lock);
	rp_nmisrc_stop();
	mutex_unlock(&sender_lock);
	unregister_nmi_handler(NMI_LOCAL, "rp_nmisrc");
	pr_info("sent %ld seen %ld late %ld\n", atomic_long_read(&nmi_sent),
		atomic_long_read(&nmi_seen), atomic_long_read(&nmi_late));
}

module_init(rp_nmisrc_init);
module_exit(rp_nmisrc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart rig: NMI IPIs to every CPU, each one counted");
