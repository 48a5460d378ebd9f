// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/rampart/: read-only views of what Rampart found.
 *
 *   version, state
 *   caps/<msr>         raw capability MSRs of the boot CPU (all CPUs agree)
 *   caps/revision_id   VMCS revision identifier, IA32_VMX_BASIC[30:0]
 *   caps/features      optional VMX features present, space separated
 *   cpus/cpuN/state    native | unprobed | launched | lost
 *   cpus/cpuN/vmxe     CR4.VMXE at probe time
 *   cpus/cpuN/exits/   VM exits of that CPU by reason, plus total and
 *                      unexpected (counted by root, read-only here)
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/smp.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

#include "../vmx/root/vcpu.h"
#include "events.h"
#include "launch.h"
#include "policy.h"
#include "rampart.h"
#include "watch.h"

static struct kobject *top_kobj, *caps_kobj, *cpus_kobj;

/* A cpus/cpuN directory; it only names the CPU, state lives in core. */
struct cpu_dir {
	struct kobject kobj;
	struct kobject *exits;
	unsigned int cpu;
};

static struct cpu_dir **cpu_dirs;

static ssize_t version_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", RAMPART_VERSION);
}

static ssize_t state_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", rampart_launched ? "launched" : "probed");
}

static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute state_attr = __ATTR_RO(state);

static struct attribute *top_attrs[] = {
	&version_attr.attr,
	&state_attr.attr,
	NULL,
};

static const struct attribute_group top_group = { .attrs = top_attrs };

/* caps/<name>: one raw MSR each, selected by offset into the raw record. */
struct caps_attr {
	struct kobj_attribute ka;
	size_t off;
};

static ssize_t caps_raw_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	size_t off = container_of(a, struct caps_attr, ka)->off;
	const u8 *raw = (const u8 *)&rampart_boot_caps.raw;

	return sysfs_emit(buf, "0x%016llx\n", *(const u64 *)(raw + off));
}

#define CAPS_RAW(_name, _field)						\
	{ .ka = __ATTR(_name, 0444, caps_raw_show, NULL),		\
	  .off = offsetof(struct rampart_caps_raw, _field) }

static struct caps_attr caps_raw_attrs[] = {
	CAPS_RAW(feature_control, feature_control),
	CAPS_RAW(basic, basic),
	CAPS_RAW(misc, misc),
	CAPS_RAW(ept_vpid_cap, ept_vpid),
	CAPS_RAW(pinbased_ctls, ctl[RAMPART_CTL_PIN]),
	CAPS_RAW(procbased_ctls, ctl[RAMPART_CTL_PROC]),
	CAPS_RAW(procbased_ctls2, ctl[RAMPART_CTL_PROC2]),
	CAPS_RAW(exit_ctls, ctl[RAMPART_CTL_EXIT]),
	CAPS_RAW(entry_ctls, ctl[RAMPART_CTL_ENTRY]),
	CAPS_RAW(cr0_fixed0, cr0_fixed0),
	CAPS_RAW(cr0_fixed1, cr0_fixed1),
	CAPS_RAW(cr4_fixed0, cr4_fixed0),
	CAPS_RAW(cr4_fixed1, cr4_fixed1),
};

static ssize_t revision_id_show(struct kobject *k, struct kobj_attribute *a,
				char *buf)
{
	return sysfs_emit(buf, "0x%x\n", rampart_boot_caps.basic.revision);
}

static ssize_t features_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < rampart_nr_features; i++)
		if (rampart_caps_has(&rampart_boot_caps, &rampart_features[i]))
			n += sysfs_emit_at(buf, n, "%s%s", n ? " " : "",
					   rampart_features[i].name);
	return n + sysfs_emit_at(buf, n, "\n");
}

static struct kobj_attribute revision_id_attr = __ATTR_RO(revision_id);
static struct kobj_attribute features_attr = __ATTR_RO(features);

static struct attribute *caps_attrs[ARRAY_SIZE(caps_raw_attrs) + 3];
static const struct attribute_group caps_group = { .attrs = caps_attrs };

static const struct rampart_cpu *dir_cpu(struct kobject *k)
{
	return rampart_cpus[container_of(k, struct cpu_dir, kobj)->cpu];
}

static void ping_fn(void *info)
{
	*(bool *)info = rampart_ping();
}

/* "launched" only if root itself answers on that CPU; "lost" otherwise. */
static ssize_t cpu_state_show(struct kobject *k, struct kobj_attribute *a,
			      char *buf)
{
	const struct rampart_cpu *rc = dir_cpu(k);
	const struct rampart_vcpu *v = rampart_vcpu(rc->cpu);
	bool answered = false;

	/* Root stopped it for good (vmx/exit.c): it answers no IPI. */
	if (rc->state == RAMPART_CPU_LAUNCHED && v && READ_ONCE(v->parked))
		return sysfs_emit(buf, "parked\n");
	if (rc->state == RAMPART_CPU_LAUNCHED) {
		if (smp_call_function_single(rc->cpu, ping_fn, &answered, 1) ||
		    !answered)
			return sysfs_emit(buf, "lost\n");
	}
	return sysfs_emit(buf, "%s\n", rampart_cpu_state_name(rc->state));
}

static ssize_t cpu_vmxe_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", dir_cpu(k)->vmxe);
}

static ssize_t cpu_policy_generation_show(struct kobject *k,
					  struct kobj_attribute *a, char *buf)
{
	const struct rampart_vcpu *v = rampart_vcpu(dir_cpu(k)->cpu);

	return sysfs_emit(buf, "%llu\n", v ? READ_ONCE(v->policy_gen) : 0);
}

static struct kobj_attribute cpu_state_attr =
	__ATTR(state, 0444, cpu_state_show, NULL);
static struct kobj_attribute cpu_vmxe_attr =
	__ATTR(vmxe, 0444, cpu_vmxe_show, NULL);

static struct kobj_attribute cpu_policy_generation_attr =
	__ATTR(policy_generation, 0444, cpu_policy_generation_show, NULL);

static struct attribute *cpu_attrs[] = {
	&cpu_state_attr.attr,
	&cpu_vmxe_attr.attr,
	&cpu_policy_generation_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cpu);

/* cpus/cpuN/exits/<reason>: one file per named exit reason. */
#define EXIT_TOTAL	RAMPART_EXIT_NR
#define EXIT_UNEXPECTED	(RAMPART_EXIT_NR + 1)
static struct kobj_attribute exit_attrs[RAMPART_EXIT_NR + 2];
static struct attribute *exit_attr_ptrs[RAMPART_EXIT_NR + 3];
static const struct attribute_group exits_group = { .attrs = exit_attr_ptrs };

static ssize_t exit_show(struct kobject *k, struct kobj_attribute *a,
			 char *buf)
{
	unsigned int cpu = container_of(k->parent, struct cpu_dir, kobj)->cpu;
	const struct rampart_vcpu *v = rampart_vcpu(cpu);
	unsigned int i = a - exit_attrs;
	u64 n = 0;

	if (v)
		n = i == EXIT_TOTAL ? READ_ONCE(v->exits_total) :
		    i == EXIT_UNEXPECTED ? READ_ONCE(v->unexpected) :
		    READ_ONCE(v->exits[i]);
	return sysfs_emit(buf, "%llu\n", n);
}

static void init_exit_attrs(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(exit_attrs); i++) {
		const char *name = i == EXIT_TOTAL ? "total" :
				   i == EXIT_UNEXPECTED ? "unexpected" :
				   rampart_exit_names[i];

		if (!name)
			continue;
		sysfs_attr_init(&exit_attrs[i].attr);
		exit_attrs[i].attr.name = name;
		exit_attrs[i].attr.mode = 0444;
		exit_attrs[i].show = exit_show;
		exit_attr_ptrs[n++] = &exit_attrs[i].attr;
	}
	exit_attr_ptrs[n] = NULL;
}

static void cpu_dir_release(struct kobject *k)
{
	kfree(container_of(k, struct cpu_dir, kobj));
}

static const struct kobj_type cpu_dir_ktype = {
	.release = cpu_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cpu_groups,
};

static int add_cpu_dirs(void)
{
	unsigned int cpu;
	int err;

	cpu_dirs = kcalloc(nr_cpu_ids, sizeof(*cpu_dirs), GFP_KERNEL);
	if (!cpu_dirs)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct cpu_dir *d = kzalloc(sizeof(*d), GFP_KERNEL);

		if (!d)
			return -ENOMEM;
		d->cpu = cpu;
		err = kobject_init_and_add(&d->kobj, &cpu_dir_ktype, cpus_kobj,
					   "cpu%u", cpu);
		cpu_dirs[cpu] = d;	/* put even on failure, per kobject.rst */
		if (err)
			return err;
		d->exits = kobject_create_and_add("exits", &d->kobj);
		if (!d->exits)
			return -ENOMEM;
		err = sysfs_create_group(d->exits, &exits_group);
		if (err)
			return err;
	}
	return 0;
}

/**
 * rampart_sysfs_exit() - remove /sys/kernel/rampart/. Safe on partial init.
 */
void rampart_sysfs_exit(void)
{
	unsigned int cpu;

	rampart_events_exit();
	rampart_watch_events_exit();
	rampart_policy_sysfs_exit();
	if (cpu_dirs) {
		for_each_possible_cpu(cpu) {
			if (!cpu_dirs[cpu])
				continue;
			kobject_put(cpu_dirs[cpu]->exits);
			kobject_put(&cpu_dirs[cpu]->kobj);
		}
		kfree(cpu_dirs);
		cpu_dirs = NULL;
	}
	kobject_put(cpus_kobj);
	kobject_put(caps_kobj);
	kobject_put(top_kobj);
	cpus_kobj = caps_kobj = top_kobj = NULL;
}

/**
 * rampart_sysfs_init() - create /sys/kernel/rampart/.
 *
 * Return: 0 or a negative errno; on error nothing is left behind.
 */
int rampart_sysfs_init(void)
{
	unsigned int i;
	int err = -ENOMEM;

	for (i = 0; i < ARRAY_SIZE(caps_raw_attrs); i++)
		caps_attrs[i] = &caps_raw_attrs[i].ka.attr;
	caps_attrs[i++] = &revision_id_attr.attr;
	caps_attrs[i] = &features_attr.attr;
	init_exit_attrs();

	top_kobj = kobject_create_and_add("rampart", kernel_kobj);
	if (!top_kobj)
		return -ENOMEM;
	caps_kobj = kobject_create_and_add("caps", top_kobj);
	cpus_kobj = kobject_create_and_add("cpus", top_kobj);
	if (!caps_kobj || !cpus_kobj)
		goto fail;
	err = sysfs_create_group(top_kobj, &top_group);
	if (!err)
		err = sysfs_create_group(caps_kobj, &caps_group);
	if (!err)
		err = add_cpu_dirs();
	if (!err)
		err = rampart_policy_sysfs_init(top_kobj);
	if (!err)
		err = rampart_watch_events_init(top_kobj);
	if (!err)
		err = rampart_events_init(top_kobj);
	if (err)
		goto fail;
	return 0;
fail:
	rampart_sysfs_exit();
	return err;
}
