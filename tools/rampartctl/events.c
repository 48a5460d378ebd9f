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
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "rampartctl.h"

#define TRACEFS_MAGIC_FS 0x74726163	/* TRACEFS_MAGIC, linux/magic.h */
#define EV_SIZE		sizeof(struct rampart_event)
#define EV_BATCH	64		/* records per read */
#define SEQ_MAX		(1ULL << 56)	/* keeps (seq - 1) * 64 an off_t */

_Static_assert(sizeof(struct rampart_event) == 64, "event record size");

/*
 * Set by the signal handler, which runs only inside ppoll() (the signals
 * are blocked elsewhere): the call is a barrier, so no volatile is needed.
 */
static sig_atomic_t stop;

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

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
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

/*
 * events -f follows rampart:rampart_violation in a tracefs instance of
 * its own, so that it shares no settings with other tracers.
 */
struct tracer {
	char dir[PATH_MAX];	/* the instance; "" when none */
	int pipe;		/* its trace_pipe */
};

/* Write @val to @rel in the instance. Returns 0 or -errno. */
static int tracer_write(const struct tracer *t, const char *rel,
			const char *val)
{
	char path[PATH_MAX + 64];
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* Disable the event and remove the instance. */
static void tracer_stop(struct tracer *t)
{
	struct statfs sfs;
	int err;

	if (!t->dir[0])
		return;
	tracer_write(t, "events/rampart/rampart_violation/enable", "0");
	if (t->pipe >= 0)
		close(t->pipe);
	t->pipe = -1;
	/*
	 * tracefs removes an instance with everything in it. Anywhere else
	 * (a test's fake tree) the directory is left as it is.
	 */
	if (rmdir(t->dir) && errno != ENOENT) {
		err = errno;
		if (!statfs(t->dir, &sfs) && sfs.f_type == TRACEFS_MAGIC_FS)
			fprintf(stderr, PROG ": warning: cannot remove the tracefs instance %s: %s\n",
				t->dir, strerror(err));
	}
	t->dir[0] = '\0';
}

/* The tracefs mount: $RAMPARTCTL_TRACEFS, else the usual two places. */
static const char *tracefs_root(void)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	const char *env = getenv("RAMPARTCTL_TRACEFS");
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(roots); i++) {
		const char *root = env && *env ? env : roots[i];

		snprintf(path, sizeof(path), "%s/instances", root);
		if (!stat(path, &st) && S_ISDIR(st.st_mode))
			return root;
		if (env && *env)
			break;
	}
	return NULL;
}

/*
 * Create the instance, open its trace_pipe and enable the event. An
 * instance of the same name is a stale one of a process that had this
 * PID and was killed: it is taken over.
 */
static int tracer_start(struct tracer *t)
{
	const char *root = tracefs_root();
	char path[PATH_MAX + 64];
	int err, ret;

	t->dir[0] = '\0';
	t->pipe = -1;
	if (!root)
		return fail("events -f: tracefs is not mounted (no instances/ in /sys/kernel/tracing or /sys/kernel/debug/tracing); mount it with: mount -t tracefs nodev /sys/kernel/tracing");
	snprintf(t->dir, sizeof(t->dir), "%s/instances/" PROG ".%d", root,
		 (int)getpid());
	if (mkdir(t->dir, 0700) && errno != EEXIST) {
		ret = fail("events -f: cannot create the tracefs instance %s: %s",
			   t->dir, strerror(errno));
		t->dir[0] = '\0';
		return ret;
	}
	/* Small: the records themselves come from events/log. */
	tracer_write(t, "buffer_size_kb", "64");
	/* poll() wakes at the first event, not when the buffer is half full. */
	tracer_write(t, "buffer_percent", "0");
	err = tracer_write(t, "events/rampart/rampart_violation/enable", "1");
	if (err) {
		ret = fail("events -f: %s/events/rampart/rampart_violation/enable: %s (is rampart.ko loaded?)",
			   t->dir, strerror(-err));
		tracer_stop(t);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->pipe = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->pipe < 0) {
		ret = fail("events -f: %s: %s", path, strerror(errno));
		tracer_stop(t);
		return ret;
	}
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
		{ "cpu", RAMPART_EVENT_CPU },
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

/*
 * Follow the trace until a signal in @waitmask's complement arrives. The
 * signals are blocked outside ppoll(), so none is lost between the check
 * of @stop and the wait.
 */
static int follow_trace(struct tracer *t, int logfd, u64 *next,
			const sigset_t *waitmask)
{
	char buf[8192];
	size_t have = 0;
	bool skip = false;
	int ret;

	if (fflush(stdout) == EOF)
		return fail("standard output: %s", strerror(errno));
	while (!stop) {
		struct pollfd pfd = { .fd = t->pipe, .events = POLLIN };
		char *p, *nl;
		ssize_t n;

		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			return fail("events -f: poll: %s", strerror(errno));
		}
		n = read(t->pipe, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return fail("events -f: %s/trace_pipe: %s", t->dir,
				    strerror(errno));
		if (!n)
			break;	/* no writer left: only a test's FIFO ends */
		have += n;
		p = buf;
		while ((nl = memchr(p, '\n', buf + have - p))) {
			*nl = '\0';
			if (!skip) {
				ret = follow_line(p, logfd, next);
				if (ret)
					return ret;
			}
			skip = false;
			p = nl + 1;
		}
		have -= p - buf;
		memmove(buf, p, have);
		if (have == sizeof(buf) - 1) {
			have = 0;	/* no line is this long: drop it */
			skip = true;
		}
		if (fflush(stdout) == EOF)
			return fail("standard output: %s", strerror(errno));
	}
	return EX_OK;
}

/*
 * Catch SIGTERM, and SIGINT and SIGHUP unless they are ignored (a
 * background job, nohup), and block them: they are taken only in
 * ppoll(). SIGPIPE is ignored, so a closed output ends the loop through
 * a failed write and the instance is still removed. @waitmask gets the
 * mask to wait with.
 */
static void follow_signals(sigset_t *waitmask)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, old;
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		if (sigs[i] != SIGTERM && !sigaction(sigs[i], NULL, &old) &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		if (sigismember(&block, sigs[i]))
			sigdelset(waitmask, sigs[i]);
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
	struct tracer tr = { .pipe = -1 };
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
		follow_signals(&waitmask);
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
	else if (follow)
		ret = follow_trace(&tr, fd, &next, &waitmask);
	tracer_stop(&tr);
	close(fd);
	return ret;
}
