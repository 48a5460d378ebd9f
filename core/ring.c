// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading root's record rings (kernel side): the violation ring
 * (core/events.c) and the write-watch ring (core/watch_events.c). Root
 * never waits for the reader: a record may be overwritten while it is
 * copied, so its sequence number is checked before and after the copy.
 * Gaps are counted as dropped, so no loss goes unnoticed.
 */
#include <linux/compiler.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <asm/barrier.h>
#include <linux/string.h>

#include "ring.h"

/**
 * rampart_ring_drain() - take every new record out of a ring.
 * @r: the reader; the caller serialises its calls.
 * @head: the records root has written so far.
 *
 * Return: how many records root added since the last drain.
 */
u64 rampart_ring_drain(struct rampart_ring_reader *r, u64 head)
{
	u64 seen = head - (r->next - 1);

	if (head >= r->next + r->size) {
		u64 lost = head - r->size + 1 - r->next;

		r->dropped += lost;
		r->next += lost;
	}
	while (r->next <= head) {
		const void *src = r->base + ((r->next - 1) % r->size) * r->rec;
		/* Pairs with root's release store of seq. */
		u64 s = smp_load_acquire((const u64 *)src);

		if (s < r->next)
			break;		/* root is still writing it */
		memcpy(r->buf, src, r->rec);
		/* The copy before the re-check: a torn record fails it. */
		smp_rmb();
		if (s != r->next || READ_ONCE(*(const u64 *)src) != r->next) {
			r->dropped++;	/* overwritten under us */
			r->next++;
			continue;
		}
		if (r->kept)
			memcpy(r->kept + ((r->next - 1) % r->keep) * r->rec,
			       r->buf, r->rec);
		r->take(r->buf);
		r->next++;
	}
	return seen;
}

/**
 * rampart_ring_read_kept() - the records kept, for a binary sysfs file:
 * the one with sequence number s at offset (s - 1) * rec; a read below
 * the oldest kept starts at it, so "cat" always gets them all.
 * @r: the reader; the caller serialises this with its drains.
 * @buf: output.
 * @off: file offset, not negative.
 * @count: room in @buf.
 *
 * Return: bytes written, whole records only.
 */
size_t rampart_ring_read_kept(const struct rampart_ring_reader *r, char *buf,
			      loff_t off, size_t count)
{
	u64 seq = div_u64(off, r->rec) + 1;
	u64 first = r->next > r->keep ? r->next - r->keep : 1;
	size_t n = 0;

	if (seq < first)
		seq = first;
	for (; seq < r->next && n + r->rec <= count; seq++) {
		const void *k = r->kept + ((seq - 1) % r->keep) * r->rec;

		if (*(const u64 *)k != seq)
			continue;	/* dropped before we saw it */
		memcpy(buf + n, k, r->rec);
		n += r->rec;
	}
	return n;
}
