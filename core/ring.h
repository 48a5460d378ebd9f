/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading one of root's record rings (core/ring.c). Kernel side. */
#ifndef RAMPART_CORE_RING_H
#define RAMPART_CORE_RING_H

#include <linux/types.h>

/*
 * A ring root appends to: @size records of @rec bytes at @base, each
 * starting with its u64 sequence number (1 for the first), which root
 * writes last; @head counts the records root ever wrote.
 */
struct rampart_ring_reader {
	const void *base;
	size_t rec;
	u64 size;
	u64 next;		/* the next sequence number to take */
	u64 dropped;		/* records lost: overwritten, or torn */
	void (*take)(const void *rec);	/* each whole record, copied */
	void *buf;		/* @rec bytes, for the copy */
	void *kept;		/* the last @keep records taken, by seq */
	u64 keep;
};

u64 rampart_ring_drain(struct rampart_ring_reader *r, u64 head);
size_t rampart_ring_read_kept(const struct rampart_ring_reader *r, char *buf,
			      loff_t off, size_t count);

#endif /* RAMPART_CORE_RING_H */
