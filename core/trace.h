/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoint for policy violations: rampart:rampart_violation, usable from
 * perf, trace-cmd and bpftrace. One event per record root wrote.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM rampart

#if !defined(_RAMPART_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _RAMPART_TRACE_H

#include <linux/tracepoint.h>

#include "../uapi/policy.h"

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

#endif /* _RAMPART_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
