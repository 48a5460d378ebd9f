// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/rampart/policy/: load, read back and seal the policy.
 *
 *   staging     (0200, binary) policy text; a write at offset 0 starts over,
 *               later writes must follow on (sysfs splits big writes)
 *   commit      (0200) the number of bytes staged: load them, all or nothing
 *   active      (0444, binary) the policy in force, rendered from root's copy
 *   sealed      (0644) 0 or 1; writing 1 seals, one-way
 *   generation  (0444) loads put in force so far
 *   rules       (0444) rules in the policy in force
 *
 * Only CAP_SYS_ADMIN writes; every refusal is one log line and an errno.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/capability.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include "../policy/policy.h"
#include "../vmx/root/rootstate.h"
#include "launch.h"
#include "policy.h"

#define STAGING_MAX	(256 * 1024)
/* 1024 MSR lines of up to 60 bytes, plus CR lines. */
#define RENDER_MAX	(128 * 1024)

static struct kobject *policy_kobj;
static DEFINE_MUTEX(sysfs_mutex);
static char *staging;
static size_t staged;
static char *rendered;
static size_t rendered_len;
static u64 rendered_gen = ~0ULL;

static bool may_write(const char *file)
{
	if (capable(CAP_SYS_ADMIN))
		return true;
	pr_err_ratelimited("policy/%s: write refused, CAP_SYS_ADMIN required (%d)\n",
			   file, -EPERM);
	return false;
}

static ssize_t staging_write(struct file *f, struct kobject *k,
			     struct bin_attribute *a, char *buf, loff_t off,
			     size_t count)
{
	ssize_t ret = count;

	if (!may_write("staging"))
		return -EPERM;
	mutex_lock(&sysfs_mutex);
	if (off == 0)
		staged = 0;
	/* Only while a policy is being staged: freed at commit. */
	if (!staging)
		staging = vmalloc(STAGING_MAX);
	if (!staging) {
		ret = -ENOMEM;
	} else if (off != staged) {
		pr_err("policy/staging: write at %lld, expected %zu: write the policy in one go from offset 0 (%d)\n",
		       off, staged, -EINVAL);
		ret = -EINVAL;
	} else if (count > STAGING_MAX - staged) {
		pr_err("policy/staging: policy larger than %d bytes (%d)\n",
		       STAGING_MAX, -EFBIG);
		ret = -EFBIG;
	} else {
		memcpy(staging + staged, buf, count);
		staged += count;
	}
	mutex_unlock(&sysfs_mutex);
	return ret;
}

static ssize_t commit_store(struct kobject *k, struct kobj_attribute *a,
			    const char *buf, size_t count)
{
	unsigned long n;
	int err;

	if (!may_write("commit"))
		return -EPERM;
	if (kstrtoul(buf, 0, &n)) {
		pr_err("policy/commit: expected the number of bytes staged (%d)\n",
		       -EINVAL);
		return -EINVAL;
	}
	mutex_lock(&sysfs_mutex);
	if (n != staged) {
		pr_err("policy/commit: %lu bytes committed but %zu staged (%d)\n",
		       n, staged, -EBADMSG);
		err = -EBADMSG;
	} else {
		err = rampart_policy_load(staging, staged, "sysfs");
	}
	staged = 0;
	vfree(staging);
	staging = NULL;
	mutex_unlock(&sysfs_mutex);
	return err ?: count;
}

/* Render the policy in force, once per generation. */
static void render_active(void)
{
	struct rampart_policy *p = vmalloc(sizeof(*p));
	u64 gen;

	if (!p) {
		rendered_len = scnprintf(rendered, RENDER_MAX,
					 "# out of memory\n");
		return;
	}
	gen = rampart_policy_snapshot(p);
	if (gen != rendered_gen) {
		rendered_len = min_t(size_t, rp_render(p, rendered, RENDER_MAX),
				     RENDER_MAX - 1);
		rendered_gen = gen;
	}
	vfree(p);
}

static ssize_t active_read(struct file *f, struct kobject *k,
			   struct bin_attribute *a, char *buf, loff_t off,
			   size_t count)
{
	ssize_t n = 0;

	mutex_lock(&sysfs_mutex);
	if (!rendered)
		rendered = vmalloc(RENDER_MAX);
	if (!rendered) {
		mutex_unlock(&sysfs_mutex);
		return -ENOMEM;
	}
	if (off == 0 || rendered_gen == ~0ULL)
		render_active();
	if (off < rendered_len) {
		n = min_t(size_t, count, rendered_len - off);
		memcpy(buf, rendered + off, n);
	}
	mutex_unlock(&sysfs_mutex);
	return n;
}

static ssize_t sealed_show(struct kobject *k, struct kobj_attribute *a,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", rampart_sealed());
}

static ssize_t sealed_store(struct kobject *k, struct kobj_attribute *a,
			    const char *buf, size_t count)
{
	bool on;
	int err;

	if (!may_write("sealed"))
		return -EPERM;
	if (kstrtobool(buf, &on)) {
		pr_err("policy/sealed: write 1 to seal (%d)\n", -EINVAL);
		return -EINVAL;
	}
	if (!on) {
		if (!rampart_sealed())
			return count;
		pr_err("policy/sealed: the policy stays sealed until reboot (%d)\n",
		       -EPERM);
		return -EPERM;
	}
	err = rampart_policy_seal();
	return err ?: count;
}

static ssize_t generation_show(struct kobject *k, struct kobj_attribute *a,
			       char *buf)
{
	const struct rampart_root *rs = rampart_root_state();

	return sysfs_emit(buf, "%llu\n", rs ? READ_ONCE(rs->gen) : 0);
}

static ssize_t rules_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	const struct rampart_root *rs = rampart_root_state();

	return sysfs_emit(buf, "%u\n",
			  rs ? rs->slot[READ_ONCE(rs->active)].nrules : 0);
}

static struct kobj_attribute commit_attr = __ATTR_WO(commit);
static struct kobj_attribute sealed_attr = __ATTR_RW_MODE(sealed, 0644);
static struct kobj_attribute generation_attr = __ATTR_RO(generation);
static struct kobj_attribute rules_attr = __ATTR_RO(rules);
static BIN_ATTR_WO(staging, 0);
static BIN_ATTR_RO(active, 0);

static struct attribute *policy_attrs[] = {
	&commit_attr.attr, &sealed_attr.attr, &generation_attr.attr,
	&rules_attr.attr, NULL,
};

static struct bin_attribute *policy_bin_attrs[] = {
	&bin_attr_staging, &bin_attr_active, NULL,
};

static const struct attribute_group policy_group = {
	.attrs = policy_attrs,
	.bin_attrs = policy_bin_attrs,
};

/**
 * rampart_policy_sysfs_init() - create /sys/kernel/rampart/policy/.
 * @parent: /sys/kernel/rampart.
 *
 * Return: 0 or a negative errno.
 */
int rampart_policy_sysfs_init(struct kobject *parent)
{
	int err;

	policy_kobj = kobject_create_and_add("policy", parent);
	if (!policy_kobj)
		return -ENOMEM;
	err = sysfs_create_group(policy_kobj, &policy_group);
	return err;
}

/**
 * rampart_policy_sysfs_exit() - remove it.
 */
void rampart_policy_sysfs_exit(void)
{
	kobject_put(policy_kobj);
	policy_kobj = NULL;
	vfree(staging);
	vfree(rendered);
	staging = NULL;
	rendered = NULL;
	staged = 0;
	rendered_gen = ~0ULL;
}
