/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints, usable from perf, trace-cmd and bpftrace:
 * rampart:rampart_violation, one per record root wrote to its event ring,
 * and rampart:rampart_watch, one per write-watch hit (uapi/watch.h).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM rampart

#if !defined(_RAMPART_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _RAMPART_TRACE_H

#include <linux/tracepoint.h>

#include "../uapi/policy.h"
#include "../uapi/watch.h"

/* Sizes of the text fields of rampart_watch, NUL included. */
#define RAMPART_TRACE_SYM	96
#define RAMPART_TRACE_HEX	(3 + 2 * RAMPART_WATCH_BYTES)
#define RAMPART_TRACE_STACK	(RAMPART_WATCH_STACK * RAMPART_TRACE_SYM)

TRACE_EVENT(rampart_violation,
	TP_PROTO(const struct rampart_event *e),
	TP_ARGS(e),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(u64, tsc)
		__field(u64, rip)
		__field(u64, old)
		__field(u64, attempted)
		__field(u64, bits)
		__field(u32, asset)
		__field(u32, cpu)
		__field(u32, line)
		__field(u8, kind)
		__field(u8, action)
		__field(u8, deny)
	),
	TP_fast_assign(
		__entry->seq = e->seq;
		__entry->tsc = e->tsc;
		__entry->rip = e->rip;
		__entry->old = e->old;
		__entry->attempted = e->attempted;
		__entry->bits = e->bits;
		__entry->asset = e->asset;
		__entry->cpu = e->cpu;
		__entry->line = e->line;
		__entry->kind = e->kind;
		__entry->action = e->action;
		__entry->deny = e->deny;
	),
	TP_printk("seq=%llu cpu=%u %s asset=%#x old=%#llx attempted=%#llx bits=%#llx action=%s%s rip=%pS line=%u",
		  __entry->seq, __entry->cpu,
		  __print_symbolic(__entry->kind,
				   { RAMPART_ASSET_CR, "cr" },
				   { RAMPART_ASSET_MSR, "msr" },
				   { RAMPART_ASSET_PHYS, "phys" },
				   { RAMPART_ASSET_RANGE, "range" },
				   { RAMPART_ASSET_WATCH, "watch" },
				   { RAMPART_EVENT_CPU, "cpu" }),
		  __entry->asset, __entry->old, __entry->attempted,
		  __entry->bits,
		  __print_symbolic(__entry->action,
				   { RAMPART_ACT_LOG, "log" },
				   { RAMPART_ACT_DENY, "deny" }),
		  __print_symbolic(__entry->deny,
				   { RAMPART_DENY_NONE, "" },
				   { RAMPART_DENY_GP, "-gp" },
				   { RAMPART_DENY_IGNORE, "-ignore" }),
		  (void *)__entry->rip, __entry->line)
);

/*
 * A write-watch hit. addr is the written address symbolized (%pS), old
 * and new the bytes as one little-endian hex number, stack the stack
 * words that point into kernel text, symbolized, "<-" between them.
 * Fixed-size text fields: every kernel since 5.10 prints them the same.
 */
TRACE_EVENT(rampart_watch,
	TP_PROTO(const struct rampart_watch_hit *h, const char *addr,
		 const char *old, const char *new, const char *stack),
	TP_ARGS(h, addr, old, new, stack),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(u64, tsc)
		__field(u64, rip)
		__field(u64, va)
		__field(u64, pa)
		__field(u32, cpu)
		__field(u32, line)
		__field(u16, width)
		__field(u8, len)
		__array(char, addr, RAMPART_TRACE_SYM)
		__array(char, old, RAMPART_TRACE_HEX)
		__array(char, new, RAMPART_TRACE_HEX)
		__array(char, stack, RAMPART_TRACE_STACK)
	),
	TP_fast_assign(
		__entry->seq = h->seq;
		__entry->tsc = h->tsc;
		__entry->rip = h->rip;
		__entry->va = h->va;
		__entry->pa = h->pa;
		__entry->cpu = h->cpu;
		__entry->line = h->line;
		__entry->width = h->width;
		__entry->len = h->len;
		strscpy(__entry->addr, addr, RAMPART_TRACE_SYM);
		strscpy(__entry->old, old, RAMPART_TRACE_HEX);
		strscpy(__entry->new, new, RAMPART_TRACE_HEX);
		strscpy(__entry->stack, stack, RAMPART_TRACE_STACK);
	),
	TP_printk("seq=%llu cpu=%u addr=%s va=%#llx pa=%#llx width=%u len=%u old=%s new=%s rip=%pS stack=%s line=%u",
		  __entry->seq, __entry->cpu, __entry->addr, __entry->va,
		  __entry->pa, __entry->width, __entry->len, __entry->old,
		  __entry->new, (void *)__entry->rip, __entry->stack,
		  __entry->line)
);

#endif /* _RAMPART_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
