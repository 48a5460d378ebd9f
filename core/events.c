// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel side of the violation ring. A delayed work drains root's ring
 * (core/ring.c), and the write-watch ring with it (core/watch_events.c);
 * so does every read of events/. Each record goes to the
 * tracepoint, a rate-limited log line and a kernel-side copy of the last
 * 1024 records that events/log serves. Gaps in the sequence numbers are
 * counted as dropped, so no loss goes unnoticed.
 *
 * The drain runs every 100 ms while records arrive and backs off,
 * doubling up to 5 s, while none do. Its timer is deferrable: it never
 * wakes an idle CPU on its own, but runs at that CPU's next wake-up, so
 * an idle machine sees no wake-ups from Rampart at all.
 *
 * /sys/kernel/rampart/events/:
 *   total, denied, logged  (0444) counted by root, exact
 *   dropped                (0444) records the kernel side never saw
 *   log                    (0400, binary) struct rampart_event records; the
 *                          record with sequence number s is at offset
 *                          (s - 1) * 64
 *   sealed                 (0444) records root made since the seal
 *   first                  (0400, binary) the first RAMPART_FIRST_SIZE of
 *                          them, copied straight from root's buffer that
 *                          never wraps, in order
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "../policy/policy.h"
#include "../vmx/root/rootstate.h"
#include "events.h"
#include "launch.h"
#include "ring.h"
#include "watch.h"

#include "trace.h"

#define KEEP		1024
#define DRAIN_MIN	(HZ / 10)
#define DRAIN_MAX	(5 * HZ)

static DEFINE_MUTEX(drain_mutex);
static struct rampart_event *kept;	/* by (seq - 1) % KEEP */
static unsigned long drain_period = DRAIN_MIN;
static u64 drain_runs;			/* timer-driven drains, for debugfs */
static struct kobject *events_kobj;
static void drain_fn(struct work_struct *w);
/* Initialised statically: exit may run after a failed or partial init. */
static DECLARE_DEFERRABLE_WORK(drain_work, drain_fn);

/*
 * The log line: at most 32 per 5 s, the tracepoint and events/log get all.
 * Policy loads, and what root did on the kernel's word (a module gone),
 * the kernel side logs itself, so those get no second line.
 */
static DEFINE_RATELIMIT_STATE(log_limit, 5 * HZ, 32);

static void announce(const struct rampart_event *e)
{
	const char *what = e->kind == RAMPART_ASSET_CR ? "CR" : "MSR";

	trace_rampart_violation(e);
	if (e->kind == RAMPART_EVENT_CPU &&
	    (e->action == RAMPART_ACT_LOG ||
	     e->asset == RAMPART_CPU_EV_POLICY_LOAD))
		return;
	/* A watch hit has its own tracepoint and log (core/watch_events.c). */
	if (e->kind == RAMPART_ASSET_WATCH || !__ratelimit(&log_limit))
		return;
	if (e->kind == RAMPART_EVENT_CPU)
		pr_warn("cpu%u: root: %s refused (%#llx, %#llx) at %pS\n",
			e->cpu, rp_name_of(rp_cpu_event_names, e->asset) ?: "?",
			e->old, e->attempted, (void *)e->rip);
	else if (e->kind == RAMPART_ASSET_RANGE &&
		 (e->bits & RAMPART_DESC_REFUSED))
		pr_warn("cpu%u: refused (#GP) a descriptor-table instruction root cannot complete (exit %llu, insn %llu) at %pS, policy line %u\n",
			e->cpu, e->attempted >> 2, e->attempted & 3,
			(void *)e->rip, e->line);
	else if (e->kind == RAMPART_ASSET_RANGE &&
		 (e->bits & (RAMPART_DESC_GDTR | RAMPART_DESC_IDTR)))
		pr_warn("cpu%u: %s %s load %#llx limit %#x (in force: %#llx limit %#x) at %pS, policy line %u\n",
			e->cpu,
			e->action == RAMPART_ACT_LOG ? "logged" : "denied (#GP)",
			e->bits & RAMPART_DESC_IDTR ? "IDTR" : "GDTR",
			e->attempted, RAMPART_DESC_LIMIT_NEW(e->bits),
			e->old, RAMPART_DESC_LIMIT_OLD(e->bits),
			(void *)e->rip, e->line);
	else if (e->kind == RAMPART_ASSET_PHYS || e->kind == RAMPART_ASSET_RANGE)
		pr_warn("cpu%u: %s write to %s%s at physical %#llx (linear %#llx) at %pS, policy line %u%s\n",
			e->cpu,
			e->action == RAMPART_ACT_LOG ? "logged" : "denied",
			e->kind == RAMPART_ASSET_RANGE ? "range " : "phys",
			e->kind == RAMPART_ASSET_RANGE ?
			rp_name_of(rp_range_names, e->asset) ?: "?" : "",
			e->old, e->attempted, (void *)e->rip, e->line,
			e->bits > 7 ? ", not text_poke()" : "");
	else
		pr_warn("cpu%u: %s write to %s %#x: %#llx -> %#llx (bits %#llx) at %pS, policy line %u\n",
			e->cpu,
			e->action == RAMPART_ACT_LOG ? "logged" :
			e->deny == RAMPART_DENY_IGNORE ? "ignored" :
			"denied (#GP)",
			what, e->asset, e->old, e->attempted, e->bits,
			(void *)e->rip, e->line);
}

static void take(const void *rec)
{
	announce(rec);
}

static struct rampart_event copy;
static struct rampart_ring_reader reader = {
	.rec = sizeof(struct rampart_event), .size = RAMPART_RING_SIZE,
	.next = 1, .take = take, .buf = &copy, .keep = KEEP,
};

/**
 * rampart_events_drain() - take every new record out of root's ring
 * (core/ring.c), and the write-watch hits out of theirs.
 *
 * Return: how many records root had added since the last drain.
 */
u64 rampart_events_drain(void)
{
	const struct rampart_root *rs = rampart_root_state();
	u64 seen;

	if (!rs || !kept)
		return 0;
	mutex_lock(&drain_mutex);
	reader.base = rs->ring;
	seen = rampart_ring_drain(&reader, READ_ONCE(rs->ring_head));
	mutex_unlock(&drain_mutex);
	return seen + rampart_watch_drain();
}

static void drain_fn(struct work_struct *w)
{
	drain_runs++;
	if (rampart_events_drain())
		drain_period = DRAIN_MIN;
	else
		drain_period = min(2 * drain_period, (unsigned long)DRAIN_MAX);
	schedule_delayed_work(&drain_work, drain_period);
}

/**
 * rampart_events_drain_runs() - how often the drain timer has run.
 *
 * Return: the count since load, for debugfs.
 */
u64 rampart_events_drain_runs(void)
{
	return READ_ONCE(drain_runs);
}

static ssize_t count_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	const struct rampart_root *rs = rampart_root_state();
	u64 v = 0;

	rampart_events_drain();
	if (!strcmp(a->attr.name, "dropped")) {
		v = reader.dropped;
	} else if (rs && !strcmp(a->attr.name, "sealed")) {
		v = READ_ONCE(rs->sealed_events);
	} else if (rs) {
		u64 logged = READ_ONCE(rs->ring_count[RAMPART_ACT_LOG]);
		u64 denied = READ_ONCE(rs->ring_count[RAMPART_ACT_DENY]);

		v = !strcmp(a->attr.name, "logged") ? logged :
		    !strcmp(a->attr.name, "denied") ? denied : logged + denied;
	}
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t log_read(struct file *f, struct kobject *k,
			struct bin_attribute *a, char *buf, loff_t off,
			size_t count)
{
	size_t n;

	if (off < 0)
		return -EINVAL;
	rampart_events_drain();
	mutex_lock(&drain_mutex);
	n = rampart_ring_read_kept(&reader, buf, off, count);
	mutex_unlock(&drain_mutex);
	return n;
}

/*
 * Root's first records after the seal, at offset (i * 64) the i-th. Read
 * from root memory each time: the kernel side keeps no copy an attacker
 * could edit. A slot whose seq is 0 is still being written (or unused).
 */
static ssize_t first_read(struct file *f, struct kobject *k,
			  struct bin_attribute *a, char *buf, loff_t off,
			  size_t count)
{
	const struct rampart_root *rs = rampart_root_state();
	const size_t rec = sizeof(struct rampart_event);
	u64 i, used;
	size_t n = 0;

	if (off < 0)
		return -EINVAL;
	if (!rs || !rs->first)
		return 0;
	used = min_t(u64, READ_ONCE(rs->sealed_events), RAMPART_FIRST_SIZE);
	for (i = div_u64(off, rec); i < used && n + rec <= count; i++) {
		struct rampart_event e;

		/* Pairs with root's release store of seq (vmx/root/event.c). */
		if (!smp_load_acquire(&rs->first[i].seq))
			break;
		memcpy(&e, &rs->first[i], rec);
		memcpy(buf + n, &e, rec);
		n += rec;
	}
	return n;
}

static struct kobj_attribute count_attrs[] = {
	__ATTR(total, 0444, count_show, NULL),
	__ATTR(denied, 0444, count_show, NULL),
	__ATTR(logged, 0444, count_show, NULL),
	__ATTR(dropped, 0444, count_show, NULL),
	__ATTR(sealed, 0444, count_show, NULL),
};

static struct attribute *events_attrs[] = {
	&count_attrs[0].attr, &count_attrs[1].attr, &count_attrs[2].attr,
	&count_attrs[3].attr, &count_attrs[4].attr, NULL,
};

static BIN_ATTR(log, 0400, log_read, NULL, 0);
static BIN_ATTR(first, 0400, first_read, NULL, 0);

static struct bin_attribute *events_bin_attrs[] = {
	&bin_attr_log, &bin_attr_first, NULL,
};

static const struct attribute_group events_group = {
	.attrs = events_attrs,
	.bin_attrs = events_bin_attrs,
};

/**
 * rampart_events_init() - create events/ and start draining.
 * @parent: /sys/kernel/rampart.
 *
 * Return: 0 or a negative errno.
 */
int rampart_events_init(struct kobject *parent)
{
	kept = vzalloc(KEEP * sizeof(*kept));
	reader.kept = kept;
	events_kobj = kobject_create_and_add("events", parent);
	if (!kept || !events_kobj)
		return -ENOMEM;
	schedule_delayed_work(&drain_work, DRAIN_MIN);
	return sysfs_create_group(events_kobj, &events_group);
}

/**
 * rampart_events_exit() - stop draining and remove events/.
 */
void rampart_events_exit(void)
{
	cancel_delayed_work_sync(&drain_work);
	rampart_events_drain();
	kobject_put(events_kobj);
	events_kobj = NULL;
	reader.kept = NULL;
	vfree(kept);
	kept = NULL;
}
