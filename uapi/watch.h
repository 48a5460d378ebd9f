/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Rampart write-watch ABI: the hit record root writes for each write that
 * changes watched bytes (README.md, "Write-watch for debuggers").
 *
 * A watch is a policy rule "watch.<what> ro log" (uapi/policy.h). The
 * kernel side resolves it to physically contiguous pieces, one binary rule
 * of kind RAMPART_ASSET_WATCH each: id the physical start, mask the length.
 * Root keeps the pages of every piece read-only; a write to such a page
 * runs in a single step (vmx/root/step.c), and root records a hit only if
 * the bytes written overlap a piece. Writes to the other bytes of the page
 * are counted, not recorded.
 */
#ifndef RAMPART_UAPI_WATCH_H
#define RAMPART_UAPI_WATCH_H

#include <linux/types.h>

#define RAMPART_WATCH_MAX	1024U	/* watch pieces in one policy */
#define RAMPART_WATCH_MAX_PAGES	256U	/* pages they cover, all together */
#define RAMPART_WATCH_BYTES	16U	/* old and new bytes kept per hit */
#define RAMPART_WATCH_STACK	4U	/* raw stack words kept per hit */

/*
 * One hit (128 bytes). seq is written last, 1 for the first hit ever;
 * the hit with sequence number s sits at (s - 1) % the ring's size.
 */
struct rampart_watch_hit {
	__u64 seq;
	__u64 tsc;		/* TSC at the violation exit */
	__u64 rip;		/* guest RIP of the writing instruction */
	__u64 va;		/* guest-linear address of old[0] */
	__u64 pa;		/* guest-physical address of old[0] */
	__u64 watch;		/* physical start of the piece hit */
	__u8 old[RAMPART_WATCH_BYTES];	/* bytes before the write */
	__u8 new[RAMPART_WATCH_BYTES];	/* bytes after it */
	/* top words of the writer's stack that point into kernel space */
	__u64 stack[RAMPART_WATCH_STACK];
	__u32 cpu;
	__u32 line;		/* policy line of the watch */
	__u16 width;		/* bytes the instruction writes; 0: unknown */
	__u8 len;		/* valid bytes in old and new */
	__u8 nstack;		/* valid words in stack */
	__u32 reserved;
};

#endif /* RAMPART_UAPI_WATCH_H */
