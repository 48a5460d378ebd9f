// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel side of the write-watch ring (uapi/watch.h). The events drain
 * (core/events.c) takes the hits out of root's ring (core/ring.c); each
 * goes to the tracepoint rampart:rampart_watch, symbolized, and to a
 * kernel-side copy of the last 1024 that watch/log serves.
 *
 * /sys/kernel/rampart/watch/:
 *   list        (0444) the watches in force, as written (core/watch.c)
 *   hits        (0444) hits root recorded
 *   neighbours  (0444) writes to unwatched bytes of watched pages
 *   dropped     (0444) hits the kernel side never saw
 *   log         (0400, binary) struct rampart_watch_hit records; the hit
 *               with sequence number s is at offset (s - 1) * 128
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/kallsyms.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>

#include "../vmx/root/rootstate.h"
#include "ksym.h"
#include "launch.h"
#include "ring.h"
#include "trace.h"
#include "watch.h"

#define KEEP		1024
#define LIST_MAX	(256 * 1024)

static DEFINE_MUTEX(drain_mutex);
static struct rampart_watch_hit *kept;	/* by (seq - 1) % KEEP */
static struct kobject *watch_kobj;
static DEFINE_MUTEX(list_mutex);
static char *list_text;		/* watch/list as last rendered */
static size_t list_len;

/* The bytes as one little-endian number: "0x" and 2 digits a byte. */
static void hex_le(char *buf, const u8 *b, u32 len)
{
	u32 i;

	buf += sprintf(buf, "0x");
	for (i = len; i > 0; i--)
		buf += sprintf(buf, "%02x", b[i - 1]);
}

/* Does @w point into kernel text, as an oops' "?" entries do? */
static bool is_text(u64 w)
{
	unsigned long start, size;
	unsigned int level;
	pte_t *pte = lookup_address(w, &level);

	return pte && pte_present(*pte) && pte_exec(*pte) &&
	       !rampart_ksym_extent(w, &start, &size);
}

static void announce(const struct rampart_watch_hit *h)
{
	char addr[RAMPART_TRACE_SYM], old[RAMPART_TRACE_HEX];
	char new[RAMPART_TRACE_HEX], stack[RAMPART_TRACE_STACK];
	u32 len = min_t(u32, h->len, RAMPART_WATCH_BYTES), i, k = 0;

	snprintf(addr, sizeof(addr), "%pS", (void *)h->va);
	hex_le(old, h->old, len);
	hex_le(new, h->new, len);
	stack[0] = '\0';
	for (i = 0; i < h->nstack && i < RAMPART_WATCH_STACK; i++)
		if (is_text(h->stack[i]))
			k += scnprintf(stack + k, sizeof(stack) - k, "%s%pS",
				       k ? "<-" : "", (void *)h->stack[i]);
	if (!k)
		strscpy(stack, "-", sizeof(stack));
	trace_rampart_watch(h, addr, old, new, stack);
}

static void take(const void *rec)
{
	announce(rec);
}

static struct rampart_watch_hit copy;
static struct rampart_ring_reader reader = {
	.rec = sizeof(struct rampart_watch_hit), .size = RAMPART_WATCH_RING_SIZE,
	.next = 1, .take = take, .buf = &copy, .keep = KEEP,
};

/**
 * rampart_watch_drain() - take every new hit out of root's watch ring.
 *
 * Return: how many hits root had added since the last drain.
 */
u64 rampart_watch_drain(void)
{
	const struct rampart_root *rs = rampart_root_state();
	u64 seen;

	if (!rs || !rs->watch_ring || !kept)
		return 0;
	mutex_lock(&drain_mutex);
	reader.base = rs->watch_ring;
	seen = rampart_ring_drain(&reader, READ_ONCE(rs->watch_head));
	mutex_unlock(&drain_mutex);
	return seen;
}

static ssize_t count_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	const struct rampart_root *rs = rampart_root_state();
	u64 v = 0;

	rampart_watch_drain();
	if (!strcmp(a->attr.name, "dropped"))
		v = reader.dropped;
	else if (rs && !strcmp(a->attr.name, "hits"))
		v = READ_ONCE(rs->watch_head);
	else if (rs)
		v = READ_ONCE(rs->watch_neighbours);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t log_read(struct file *f, struct kobject *k,
			struct bin_attribute *a, char *buf, loff_t off,
			size_t count)
{
	size_t n;

	if (off < 0)
		return -EINVAL;
	rampart_watch_drain();
	mutex_lock(&drain_mutex);
	n = rampart_ring_read_kept(&reader, buf, off, count);
	mutex_unlock(&drain_mutex);
	return n;
}

/* The list, rendered whole at offset 0 and served from that copy. */
static ssize_t list_read(struct file *f, struct kobject *k,
			 struct bin_attribute *a, char *buf, loff_t off,
			 size_t count)
{
	ssize_t n = 0;

	if (off < 0)
		return -EINVAL;
	mutex_lock(&list_mutex);
	if (!list_text)
		list_text = vmalloc(LIST_MAX);
	if (list_text && !off)
		list_len = rampart_watch_list(list_text, LIST_MAX);
	if (!list_text) {
		n = -ENOMEM;
	} else if (off < list_len) {
		n = min_t(size_t, count, list_len - off);
		memcpy(buf, list_text + off, n);
	}
	mutex_unlock(&list_mutex);
	return n;
}

static struct kobj_attribute count_attrs[] = {
	__ATTR(hits, 0444, count_show, NULL),
	__ATTR(neighbours, 0444, count_show, NULL),
	__ATTR(dropped, 0444, count_show, NULL),
};

static struct attribute *watch_attrs[] = {
	&count_attrs[0].attr, &count_attrs[1].attr, &count_attrs[2].attr,
	NULL,
};

static BIN_ATTR(log, 0400, log_read, NULL, 0);
static BIN_ATTR(list, 0444, list_read, NULL, 0);

static struct bin_attribute *watch_bin_attrs[] = {
	&bin_attr_log, &bin_attr_list, NULL,
};

static const struct attribute_group watch_group = {
	.attrs = watch_attrs,
	.bin_attrs = watch_bin_attrs,
};

/**
 * rampart_watch_events_init() - create watch/.
 * @parent: /sys/kernel/rampart.
 *
 * Return: 0 or a negative errno.
 */
int rampart_watch_events_init(struct kobject *parent)
{
	kept = vzalloc(KEEP * sizeof(*kept));
	reader.kept = kept;
	watch_kobj = kobject_create_and_add("watch", parent);
	if (!kept || !watch_kobj)
		return -ENOMEM;
	return sysfs_create_group(watch_kobj, &watch_group);
}

/**
 * rampart_watch_events_exit() - remove watch/ (after the events drain
 * has stopped).
 */
void rampart_watch_events_exit(void)
{
	kobject_put(watch_kobj);
	watch_kobj = NULL;
	mutex_lock(&drain_mutex);
	reader.kept = NULL;
	vfree(kept);
	kept = NULL;
	mutex_unlock(&drain_mutex);
	vfree(list_text);
	list_text = NULL;
	rampart_watch_commit(NULL);
}
