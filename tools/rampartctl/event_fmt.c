// SPDX-License-Identifier: GPL-2.0-only
/* One event record as the line "events" prints, or as JSON. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "rampartctl.h"

#define POKE_ANY	(RAMPART_POKE_CONTEXT | RAMPART_POKE_CR3 | \
			 RAMPART_POKE_ADDR | RAMPART_POKE_RIP)

/* CR bit names of @bits, comma separated, into @buf. */
static void cr_bit_names(u32 cr, u64 bits, char *buf, size_t size)
{
	const struct rp_name *t = cr == 0 ? rp_cr0_bits : rp_cr4_bits;
	size_t len = 0;
	unsigned int b;

	buf[0] = '\0';
	for (b = 0; b < 64 && len < size; b++) {
		const char *name;

		if (!(bits & (1ULL << b)))
			continue;
		name = rp_name_of(t, 1ULL << b);
		if (name)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "," : "", name);
		else
			len += snprintf(buf + len, size - len, "%sbit%u",
					len ? "," : "", b);
	}
}

static bool ev_is_desc(const struct rampart_event *ev)
{
	return ev->kind == RAMPART_ASSET_RANGE &&
	       (ev->bits & (RAMPART_DESC_REFUSED | RAMPART_DESC_GDTR |
			    RAMPART_DESC_IDTR));
}

static bool ev_is_mem(const struct rampart_event *ev)
{
	return ev->kind == RAMPART_ASSET_PHYS ||
	       (ev->kind == RAMPART_ASSET_RANGE && !ev_is_desc(ev));
}

/* The action as the events line words it for CRs and MSRs. */
static void action_words(const struct rampart_event *ev, char *buf,
			 size_t size)
{
	if (ev->action == RAMPART_ACT_DENY && ev->deny == RAMPART_DENY_GP)
		snprintf(buf, size, "deny gp");
	else if (ev->action == RAMPART_ACT_DENY &&
		 ev->deny == RAMPART_DENY_IGNORE)
		snprintf(buf, size, "deny ignore");
	else if (ev->action == RAMPART_ACT_DENY)
		snprintf(buf, size, "deny");
	else if (ev->action == RAMPART_ACT_LOG)
		snprintf(buf, size, "log");
	else if (ev->action == RAMPART_ACT_ALLOW)
		snprintf(buf, size, "allow");
	else
		snprintf(buf, size, "action%u", ev->action);
}

/* The asset as the events line names it. */
static void ev_asset(const struct rampart_event *ev, char *buf, size_t size)
{
	const char *name;

	switch (ev->kind) {
	case RAMPART_ASSET_CR:
		snprintf(buf, size, "cr%u", ev->asset);
		return;
	case RAMPART_ASSET_MSR:
		name = rp_name_of(rp_msr_names, ev->asset);
		if (name)
			snprintf(buf, size, "msr.%s", name);
		else
			snprintf(buf, size, "msr.0x%x", ev->asset);
		return;
	case RAMPART_ASSET_RANGE:
	case RAMPART_ASSET_PHYS:
		if (ev_is_desc(ev)) {
			snprintf(buf, size, "range.idt");
			return;
		}
		name = rp_name_of(rp_range_names, ev->asset);
		snprintf(buf, size, "%s%s", name ? "range." : "phys",
			 name ? name : "");
		return;
	case RAMPART_EVENT_CPU:
		name = rp_name_of(rp_cpu_event_names, ev->asset);
		snprintf(buf, size, "cpu.%s", name ? name : "?");
		return;
	case RAMPART_ASSET_WATCH:
		snprintf(buf, size, "watch");
		return;
	default:
		snprintf(buf, size, "kind%u:0x%x", ev->kind, ev->asset);
	}
}

/* One record as the line "events" prints, without the newline. */
static void format_event(const struct rampart_event *ev,
			 const struct ev_extra *x, char *buf, size_t size)
{
	char asset[64], action[32], names[256] = "", rip[160], tsc[24];

	if (x && x->rip_sym)
		snprintf(rip, sizeof(rip), "%s", x->rip_sym);
	else
		snprintf(rip, sizeof(rip), "0x%llx",
			 (unsigned long long)ev->rip);
	if (x && x->no_tsc)
		snprintf(tsc, sizeof(tsc), "?");
	else
		snprintf(tsc, sizeof(tsc), "%llu",
			 (unsigned long long)ev->tsc);
	ev_asset(ev, asset, sizeof(asset));

	if (ev->kind == RAMPART_ASSET_RANGE &&
	    (ev->bits & RAMPART_DESC_REFUSED)) {
		snprintf(buf, size, "seq %llu cpu %u range.idt deny gp desc_refused exit %llu insn %llu rip %s line %u tsc %s",
			 (unsigned long long)ev->seq, ev->cpu,
			 (unsigned long long)ev->attempted >> 2,
			 (unsigned long long)ev->attempted & 3, rip, ev->line,
			 tsc);
	} else if (ev_is_desc(ev)) {
		/* A GDTR or IDTR load: old is the base in force. */
		snprintf(buf, size, "seq %llu cpu %u range.idt %s %s base 0x%llx limit 0x%x in_force 0x%llx limit 0x%x rip %s line %u tsc %s",
			 (unsigned long long)ev->seq, ev->cpu,
			 ev->action == RAMPART_ACT_DENY ? "deny gp" : "log",
			 ev->bits & RAMPART_DESC_IDTR ? "lidt" : "lgdt",
			 (unsigned long long)ev->attempted,
			 RAMPART_DESC_LIMIT_NEW(ev->bits),
			 (unsigned long long)ev->old,
			 RAMPART_DESC_LIMIT_OLD(ev->bits), rip, ev->line, tsc);
	} else if (ev_is_mem(ev)) {
		/* Memory: old is the physical, attempted the linear address. */
		snprintf(buf, size, "seq %llu cpu %u %s %s gpa 0x%llx gla 0x%llx access%s%s%s%s%s%s%s%s rip %s line %u tsc %s",
			 (unsigned long long)ev->seq, ev->cpu, asset,
			 ev->action == RAMPART_ACT_DENY ? "deny" : "log",
			 (unsigned long long)ev->old,
			 (unsigned long long)ev->attempted,
			 ev->bits & 1 ? " read" : "",
			 ev->bits & 2 ? " write" : "",
			 ev->bits & 4 ? " fetch" : "",
			 ev->bits & POKE_ANY ? " poke_refused" : "",
			 ev->bits & RAMPART_POKE_CONTEXT ? " context" : "",
			 ev->bits & RAMPART_POKE_CR3 ? " cr3" : "",
			 ev->bits & RAMPART_POKE_ADDR ? " addr" : "",
			 ev->bits & RAMPART_POKE_RIP ? " rip" : "",
			 rip, ev->line, tsc);
	} else if (ev->kind == RAMPART_ASSET_WATCH) {
		/* A write-watch hit: the first 8 bytes, length, physical address. */
		snprintf(buf, size, "seq %llu cpu %u watch log 0x%llx -> 0x%llx len %u pa 0x%llx rip %s line %u tsc %s",
			 (unsigned long long)ev->seq, ev->cpu,
			 (unsigned long long)ev->old,
			 (unsigned long long)ev->attempted, ev->asset,
			 (unsigned long long)ev->bits, rip, ev->line, tsc);
	} else if (ev->kind == RAMPART_EVENT_CPU) {
		/* Root refused or did something to the CPU itself. */
		snprintf(buf, size, "seq %llu cpu %u %s %s 0x%llx 0x%llx rip %s tsc %s",
			 (unsigned long long)ev->seq, ev->cpu, asset,
			 ev->action == RAMPART_ACT_LOG ? "log" : "deny",
			 (unsigned long long)ev->old,
			 (unsigned long long)ev->attempted, rip, tsc);
	} else {
		if (ev->kind == RAMPART_ASSET_CR &&
		    (ev->asset == 0 || ev->asset == 4))
			cr_bit_names(ev->asset, ev->bits, names, sizeof(names));
		action_words(ev, action, sizeof(action));
		snprintf(buf, size, "seq %llu cpu %u %s %s 0x%llx -> 0x%llx bits 0x%llx%s%s%s rip %s line %u tsc %s",
			 (unsigned long long)ev->seq, ev->cpu, asset, action,
			 (unsigned long long)ev->old,
			 (unsigned long long)ev->attempted,
			 (unsigned long long)ev->bits, names[0] ? " (" : "",
			 names, names[0] ? ")" : "", rip, ev->line, tsc);
	}
}

static const char *kind_name(u8 kind, char *buf, size_t size)
{
	switch (kind) {
	case RAMPART_ASSET_CR:
		return "cr";
	case RAMPART_ASSET_MSR:
		return "msr";
	case RAMPART_ASSET_PHYS:
		return "phys";
	case RAMPART_ASSET_RANGE:
		return "range";
	case RAMPART_ASSET_VMX:
		return "vmx";
	case RAMPART_ASSET_WATCH:
		return "watch";
	case RAMPART_EVENT_CPU:
		return "cpu";
	}
	snprintf(buf, size, "kind%u", kind);
	return buf;
}

/* The fields of one kind of record that the common ones do not say. */
static void json_event_detail(struct jobj *o, const struct rampart_event *ev)
{
	static const char *const access[] = { "read", "write", "fetch" };
	static const struct {
		u64 bit;
		const char *name;
	} poke[] = {
		{ RAMPART_POKE_CONTEXT, "context" }, { RAMPART_POKE_CR3, "cr3" },
		{ RAMPART_POKE_ADDR, "addr" }, { RAMPART_POKE_RIP, "rip" },
	};
	char names[256], *s, *comma;
	struct jobj arr;
	size_t i;

	if (ev->kind == RAMPART_ASSET_CR && (ev->asset == 0 || ev->asset == 4)) {
		cr_bit_names(ev->asset, ev->bits, names, sizeof(names));
		jkey(o, "bit_names");
		jarray(&arr);
		for (s = names; *s; s = comma + 1) {
			comma = strchr(s, ',');
			jelem_mem(&arr, s, comma ? (size_t)(comma - s) : strlen(s));
			if (!comma)
				break;
		}
		jarray_end();
	} else if (ev->kind == RAMPART_ASSET_RANGE &&
		   (ev->bits & RAMPART_DESC_REFUSED)) {
		jbool(o, "desc_refused", true);
		ju64(o, "exit_reason", ev->attempted >> 2);
		ju64(o, "insn", ev->attempted & 3);
	} else if (ev_is_desc(ev)) {
		jstr(o, "insn", ev->bits & RAMPART_DESC_IDTR ? "lidt" : "lgdt");
		jhex(o, "base", ev->attempted);
		jhex(o, "limit", RAMPART_DESC_LIMIT_NEW(ev->bits));
		jhex(o, "in_force", ev->old);
		jhex(o, "in_force_limit", RAMPART_DESC_LIMIT_OLD(ev->bits));
	} else if (ev->kind == RAMPART_ASSET_WATCH) {
		jhex(o, "pa", ev->bits);
		ju64(o, "len", ev->asset);
	} else if (ev_is_mem(ev)) {
		jhex(o, "gpa", ev->old);
		jhex(o, "gla", ev->attempted);
		jkey(o, "access");
		jarray(&arr);
		for (i = 0; i < 3; i++)
			if (ev->bits & (1ULL << i))
				jelem_mem(&arr, access[i], strlen(access[i]));
		jarray_end();
		jkey(o, "poke_refused");
		jarray(&arr);
		for (i = 0; i < ARRAY_SIZE(poke); i++)
			if (ev->bits & poke[i].bit)
				jelem_mem(&arr, poke[i].name,
					  strlen(poke[i].name));
		jarray_end();
	}
}

/* One record as a JSON object on a line of its own. */
static void json_event(const struct rampart_event *ev,
		       const struct ev_extra *x, const char *text)
{
	char buf[64];
	struct jobj o;

	jopen(&o);
	jstr(&o, "type", "event");
	ju64(&o, "seq", ev->seq);
	ju64(&o, "cpu", ev->cpu);
	jstr(&o, "kind", kind_name(ev->kind, buf, sizeof(buf)));
	ev_asset(ev, buf, sizeof(buf));
	jstr(&o, "asset", buf);
	ju64(&o, "asset_id", ev->asset);
	if (ev->action == RAMPART_ACT_DENY)
		jstr(&o, "action", "deny");
	else if (ev->action == RAMPART_ACT_LOG)
		jstr(&o, "action", "log");
	else if (ev->action == RAMPART_ACT_ALLOW)
		jstr(&o, "action", "allow");
	else
		ju64(&o, "action", ev->action);
	jstr(&o, "deny", ev->deny == RAMPART_DENY_GP ? "gp" :
	     ev->deny == RAMPART_DENY_IGNORE ? "ignore" : NULL);
	jhex(&o, "old", ev->old);
	jhex(&o, "attempted", ev->attempted);
	jhex(&o, "bits", ev->bits);
	if (x && x->rip_sym) {
		jstr(&o, "rip", NULL);
		jstr(&o, "rip_symbol", x->rip_sym);
	} else {
		jhex(&o, "rip", ev->rip);
	}
	ju64(&o, "line", ev->line);
	if (x && x->no_tsc)
		jstr(&o, "tsc", NULL);
	else
		ju64(&o, "tsc", ev->tsc);
	json_event_detail(&o, ev);
	jstr(&o, "text", text);
	jclose();
}

/**
 * print_record() - Print one record, as a line of text or of JSON.
 * @ev: the record.
 * @x: what it lacks, when it comes from a trace line; else NULL.
 */
void print_record(const struct rampart_event *ev,
		  const struct ev_extra *x)
{
	char line[1024];

	format_event(ev, x, line, sizeof(line));
	if (json)
		json_event(ev, x, line);
	else
		printf("%s\n", line);
}

/**
 * print_event() - Print one record of the log.
 * @ev: the record.
 */
void print_event(const struct rampart_event *ev)
{
	print_record(ev, NULL);
}

/**
 * print_gap() - Print a gap of sequence numbers before the next record.
 * @n: how many.
 */
void print_gap(u64 n)
{
	struct jobj o;

	if (!json) {
		printf("%llu events dropped\n", (unsigned long long)n);
		return;
	}
	jopen(&o);
	jstr(&o, "type", "dropped");
	ju64(&o, "count", n);
	jclose();
}
