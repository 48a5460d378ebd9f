// SPDX-License-Identifier: GPL-2.0-only
/*
 * Following a tracepoint: a tracefs instance of rampartctl's own
 * (instances/rampartctl.PID), so that it shares no settings with other
 * tracers, with one event enabled; its trace_pipe read line by line until
 * SIGINT, SIGTERM or SIGHUP; the instance removed on the way out. events
 * -f and watch follow use it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

/*
 * Set by the signal handler, which runs only inside ppoll() (the signals
 * are blocked elsewhere): the call is a barrier, so no volatile is needed.
 */
static sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

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

/**
 * tracer_stop() - Disable the event and remove the instance.
 * @t: the tracer; nothing happens if it has no instance.
 */
void tracer_stop(struct tracer *t)
{
	char rel[PATH_MAX];
	struct statfs sfs;
	int err;

	if (!t->dir[0])
		return;
	snprintf(rel, sizeof(rel), "events/%s/enable", t->event);
	tracer_write(t, rel, "0");
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

/**
 * tracer_start() - Create the instance, open its trace_pipe, enable the event.
 * @t: the tracer; its event ("rampart/NAME") and cmd (the command, for
 *     messages) set, buffer_kb the instance's buffer size (0: tracefs'
 *     default).
 *
 * An instance of the same name is a stale one of a process that had this
 * PID and was killed: it is taken over.
 *
 * Return: EX_OK, or EX_FAIL after the message (nothing left behind).
 */
int tracer_start(struct tracer *t)
{
	const char *root = tracefs_root();
	char path[PATH_MAX + 64], rel[PATH_MAX], num[24];
	int err, ret;

	t->dir[0] = '\0';
	t->pipe = -1;
	if (!root)
		return fail("%s: tracefs is not mounted (no instances/ in /sys/kernel/tracing or /sys/kernel/debug/tracing); mount it with: mount -t tracefs nodev /sys/kernel/tracing",
			    t->cmd);
	snprintf(t->dir, sizeof(t->dir), "%s/instances/" PROG ".%d", root,
		 (int)getpid());
	if (mkdir(t->dir, 0700) && errno != EEXIST) {
		ret = fail("%s: cannot create the tracefs instance %s: %s",
			   t->cmd, t->dir, strerror(errno));
		t->dir[0] = '\0';
		return ret;
	}
	if (t->buffer_kb) {
		snprintf(num, sizeof(num), "%u", t->buffer_kb);
		tracer_write(t, "buffer_size_kb", num);
	}
	/* poll() wakes at the first event, not when the buffer is half full. */
	tracer_write(t, "buffer_percent", "0");
	snprintf(rel, sizeof(rel), "events/%s/enable", t->event);
	err = tracer_write(t, rel, "1");
	if (err) {
		ret = fail("%s: %s/%s: %s (is rampart.ko loaded?)", t->cmd,
			   t->dir, rel, strerror(-err));
		tracer_stop(t);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	t->pipe = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->pipe < 0) {
		ret = fail("%s: %s: %s", t->cmd, path, strerror(errno));
		tracer_stop(t);
		return ret;
	}
	return EX_OK;
}

/**
 * tracer_signals() - Catch the signals that end a follow.
 * @waitmask: where the mask to wait with (in tracer_loop()) goes.
 *
 * Catches SIGTERM, and SIGINT and SIGHUP unless they are ignored (a
 * background job, nohup), and blocks them: they are taken only in
 * ppoll(), so none is lost between the check and the wait. SIGPIPE is
 * ignored, so a closed output ends the loop through a failed write and
 * the instance is still removed.
 */
void tracer_signals(sigset_t *waitmask)
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

/**
 * tracer_loop() - Hand each trace_pipe line to @fn until a signal comes.
 * @t: the started tracer.
 * @waitmask: from tracer_signals().
 * @fn: called with each line (NUL-terminated, without the newline);
 *      returns EX_OK to go on, TRACE_DONE to end with EX_OK, or EX_FAIL
 *      after its message.
 * @ctx: passed to @fn.
 *
 * Standard output is flushed after each read. A line longer than the
 * buffer (8 KiB) is dropped. The loop also ends at the end of the file,
 * which only a test's FIFO has.
 *
 * Return: EX_OK or EX_FAIL.
 */
int tracer_loop(struct tracer *t, const sigset_t *waitmask,
		int (*fn)(char *line, void *ctx), void *ctx)
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
			return fail("%s: poll: %s", t->cmd, strerror(errno));
		}
		n = read(t->pipe, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return fail("%s: %s/trace_pipe: %s", t->cmd, t->dir,
				    strerror(errno));
		if (!n)
			break;	/* no writer left: only a test's FIFO ends */
		have += n;
		p = buf;
		while ((nl = memchr(p, '\n', buf + have - p))) {
			*nl = '\0';
			ret = skip ? EX_OK : fn(p, ctx);
			if (ret == TRACE_DONE && fflush(stdout) == EOF)
				ret = fail("standard output: %s",
					   strerror(errno));
			if (ret == TRACE_DONE)
				return EX_OK;
			if (ret)
				return ret;
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
