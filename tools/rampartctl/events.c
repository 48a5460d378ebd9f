// SPDX-License-Identifier: GPL-2.0-only
/*
 * events: the records of the event log (events/log), those of root after
 * the seal (events/first), and events -f, which follows the log through
 * the rampart_violation tracepoint in a tracefs instance.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rampartctl.h"

#define EV_SIZE		sizeof(struct rampart_event)
#define EV_BATCH	64		/* records per read */
#define SEQ_MAX		(1ULL << 56)	/* keeps (seq - 1) * 64 an off_t */

_Static_assert(sizeof(struct rampart_event) == 64, "event record size");

/* One record read from the log, with the gap before it. */
struct ev_ent {
	struct rampart_event ev;
	u64 dropped;
};

static void print_ent(const struct ev_ent *ent)
{
	if (ent->dropped)
		print_gap(ent->dropped);
	print_event(&ent->ev);
}

/*
 * The last @keep entries read, in a ring; @keep == 0 with @all: print
 * each at once.
 */
struct ev_sink {
	struct ev_ent *ring;
	size_t keep, n, head;
	bool direct;
};

static void sink_put(struct ev_sink *s, const struct ev_ent *ent)
{
	if (s->direct) {
		print_ent(ent);
		return;
	}
	if (!s->keep)
		return;
	s->ring[s->head] = *ent;
	s->head = (s->head + 1) % s->keep;
	if (s->n < s->keep)
		s->n++;
}

static void sink_flush(struct ev_sink *s)
{
	size_t i, first = (s->head + s->keep - s->n) % (s->keep ? s->keep : 1);

	for (i = 0; i < s->n; i++)
		print_ent(&s->ring[(first + i) % s->keep]);
	s->n = 0;
	s->head = 0;
}

/*
 * Read every record from sequence number *@next on and hand each to @s.
 * A record with a lower number than expected is one the kernel is still
 * writing (seq is written last): stop there. Returns the number of
 * records read, or -errno.
 */
static long read_events(int fd, u64 *next, struct ev_sink *s)
{
	struct rampart_event buf[EV_BATCH];
	long total = 0;

	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf),
				  (off_t)((*next - 1) * EV_SIZE));
		size_t i, cnt;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		cnt = n / EV_SIZE;
		if (!cnt)
			return total;
		for (i = 0; i < cnt; i++) {
			struct ev_ent ent;

			/* Older: still being written; absurd: corrupt. */
			if (buf[i].seq < *next || buf[i].seq > SEQ_MAX)
				return total;
			ent.ev = buf[i];
			ent.dropped = buf[i].seq - *next;
			sink_put(s, &ent);
			*next = buf[i].seq + 1;
			total++;
		}
	}
}

/* events --first: root's records after the seal, from events/first. */
static int cmd_events_first(void)
{
	struct rampart_event buf[EV_BATCH];
	unsigned long long sealed = 0;
	char path[4096];
	struct jobj o;
	off_t off = 0;
	ssize_t n;
	int fd;

	sys_path(path, sizeof(path), "events/first");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("%s: %s", path, strerror(errno));
	for (;;) {
		size_t i;

		n = pread(fd, buf, sizeof(buf), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n / EV_SIZE; i++)
			print_event(&buf[i]);
		off += n - n % EV_SIZE;
	}
	close(fd);
	if (n < 0)
		return fail("%s: %s", path, strerror(errno));
	if (read_num("events/sealed", &sealed))
		return EX_OK;
	if (!json) {
		printf("%llu events since the seal\n", sealed);
		return EX_OK;
	}
	jopen(&o);
	jstr(&o, "type", "since_seal");
	ju64(&o, "count", sealed);
	jclose();
	return EX_OK;
}

static u8 trace_kind(const char *s)
{
	static const struct {
		const char *name;
		u8 kind;
	} t[] = {
		{ "cr", RAMPART_ASSET_CR }, { "msr", RAMPART_ASSET_MSR },
		{ "phys", RAMPART_ASSET_PHYS }, { "range", RAMPART_ASSET_RANGE },
		{ "watch", RAMPART_ASSET_WATCH }, { "cpu", RAMPART_EVENT_CPU },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (!strcmp(s, t[i].name))
			return t[i].kind;
	return strtoul(s, NULL, 0);
}

/*
 * A trace_pipe line of rampart_violation (TP_printk in core/trace.h) into
 * a record: "seq=S cpu=C KIND asset=A old=O attempted=T bits=B
 * action=ACT[-gp|-ignore] rip=SYM+OFF/LEN [MOD] line=L". The TSC is not
 * in it, and the RIP only as %pS. Returns false for any other line.
 */
static bool parse_trace_line(char *text, struct rampart_event *ev,
			     char *sym, size_t size, struct ev_extra *x)
{
	static const char tag[] = "rampart_violation: ";
	unsigned long long seq, old, att, bits, rip;
	unsigned int cpu, asset, line;
	char kind[16], action[32], *p, *r, *l, *s, *end;

	p = strstr(text, tag);
	if (!p)
		return false;
	p += sizeof(tag) - 1;
	r = strstr(p, " rip=");
	if (!r)
		return false;
	*r = '\0';
	r += 5;
	/* The symbol may hold spaces ("sym+0x1/0x2 [mod]"): the last one. */
	for (l = NULL, s = r; (s = strstr(s, " line=")); s++)
		l = s;
	if (!l || sscanf(l + 6, "%u", &line) != 1)
		return false;
	*l = '\0';
	if (sscanf(p, "seq=%llu cpu=%u %15s asset=%x old=%llx attempted=%llx bits=%llx action=%31s",
		   &seq, &cpu, kind, &asset, &old, &att, &bits, action) != 8 ||
	    !seq || seq > SEQ_MAX)
		return false;
	memset(ev, 0, sizeof(*ev));
	ev->seq = seq;
	ev->cpu = cpu;
	ev->kind = trace_kind(kind);
	ev->asset = asset;
	ev->old = old;
	ev->attempted = att;
	ev->bits = bits;
	ev->line = line;
	s = action;
	if (!strncmp(s, "deny", 4)) {
		ev->action = RAMPART_ACT_DENY;
		s += 4;
	} else if (!strncmp(s, "log", 3)) {
		ev->action = RAMPART_ACT_LOG;
		s += 3;
	} else {
		ev->action = strtoul(s, &s, 0);
	}
	if (!strcmp(s, "-gp"))
		ev->deny = RAMPART_DENY_GP;
	else if (!strcmp(s, "-ignore"))
		ev->deny = RAMPART_DENY_IGNORE;
	else if (*s)
		ev->deny = strtoul(s, NULL, 0);
	x->no_tsc = true;
	x->rip_sym = NULL;
	errno = 0;
	rip = strtoull(r, &end, 16);
	if (!strncmp(r, "0x", 2) && !*end && !errno) {
		ev->rip = rip;
	} else {
		snprintf(sym, size, "%s", r);
		x->rip_sym = sym;
	}
	return true;
}

/*
 * A trace line: print what the log has up to its record, then the record
 * itself from the line if the log no longer (or never) had it. Records
 * printed already are skipped, so each is printed once, in order.
 */
static int follow_line(char *text, int logfd, u64 *next)
{
	struct ev_sink sink = { .direct = true };
	struct rampart_event ev;
	struct ev_extra x;
	char sym[256];
	long r;

	if (!parse_trace_line(text, &ev, sym, sizeof(sym), &x) ||
	    ev.seq < *next)
		return EX_OK;
	r = read_events(logfd, next, &sink);
	if (r < 0)
		return fail("%s/events/log: %s", sysfs_root, strerror(-r));
	if (ev.seq < *next)
		return EX_OK;
	if (ev.seq > *next)
		print_gap(ev.seq - *next);
	print_record(&ev, &x);
	*next = ev.seq + 1;
	return EX_OK;
}

/* What follow_line() needs. */
struct follow_ctx {
	int logfd;
	u64 *next;
};

static int follow_cb(char *line, void *ctx)
{
	struct follow_ctx *f = ctx;

	return follow_line(line, f->logfd, f->next);
}

/* -n's argument. Returns 0, or EX_USAGE after the message. */
static int parse_count(const char *arg, unsigned long long *keep)
{
	char *end;

	errno = 0;
	*keep = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || *keep > (1u << 20))
		return usage("events: bad count '%s'", arg);
	return 0;
}

/**
 * cmd_events() - "rampartctl events".
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 *
 * Return: the exit status.
 */
int cmd_events(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "first", no_argument, NULL, OPT_FIRST },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long total, keep = 0;
	struct ev_sink sink = { .direct = true };
	bool follow = false, first = false, have_n = false;
	struct tracer tr = {
		.cmd = "events -f", .event = "rampart/rampart_violation",
		.buffer_kb = 64,	/* the records come from events/log */
		.pipe = -1,
	};
	struct follow_ctx fc;
	sigset_t waitmask;
	char path[4096];
	int c, fd, ret = EX_OK;
	u64 next = 1;
	long r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:fn:h", lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			follow = true;
			break;
		case OPT_FIRST:
			first = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'n':
			if (parse_count(optarg, &keep))
				return EX_USAGE;
			have_n = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, "events");
		}
	}
	if (optind != argc)
		return usage("events: unknown argument '%s'", argv[optind]);
	if (first && (follow || have_n))
		return usage("events: --first takes neither -f nor -n");
	if (first)
		return cmd_events_first();
	if (have_n) {
		sink.direct = false;
		sink.keep = keep;
		sink.ring = calloc(keep ? keep : 1, sizeof(*sink.ring));
		if (!sink.ring)
			return fail("%s", strerror(ENOMEM));
		/* Start near the end; a stale total only costs a longer read. */
		if (!read_num("events/total", &total) && total > keep)
			next = total - keep + 1;
	}
	sys_path(path, sizeof(path), "events/log");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(sink.ring);
		return fail("%s: %s", path, strerror(errno));
	}
	/* The instance first: what comes while the log is read is kept. */
	if (follow) {
		tracer_signals(&waitmask);
		ret = tracer_start(&tr);
		if (ret) {
			free(sink.ring);
			close(fd);
			return ret;
		}
	}
	r = read_events(fd, &next, &sink);
	if (!sink.direct)
		sink_flush(&sink);
	free(sink.ring);
	if (r < 0)
		ret = fail("%s: %s", path, strerror(-r));
	else if (follow) {
		fc.logfd = fd;
		fc.next = &next;
		ret = tracer_loop(&tr, &waitmask, follow_cb, &fc);
	}
	tracer_stop(&tr);
	close(fd);
	return ret;
}
