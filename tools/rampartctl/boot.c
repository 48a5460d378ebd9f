// SPDX-License-Identifier: GPL-2.0-only
/*
 * boot: what an initramfs hook and a systemd unit run. Each step logs one
 * line to standard error and the kernel log, "rampart: boot: ...".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rampartctl.h"

#define BOOT_CONF	"/etc/rampart/rampart.conf"
#define BOOT_POLICY	"/etc/rampart/policy"

static int kmsg_fd = -1;
static bool kmsg_tried;

static void __printf(2, 3) boot_log(bool bad, const char *fmt, ...)
{
	char msg[1024], rec[1100];
	va_list ap;
	ssize_t w;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rampart: boot: %s\n", msg);
	if (!kmsg_tried) {
		const char *path = getenv("RAMPARTCTL_KMSG");

		kmsg_tried = true;
		kmsg_fd = open(path && *path ? path : "/dev/kmsg",
			       O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
	}
	if (kmsg_fd < 0)
		return;
	/* One write() is one record; KERN_ERR or KERN_NOTICE. */
	n = snprintf(rec, sizeof(rec), "<%d>rampart: boot: %s\n", bad ? 3 : 5,
		     msg);
	if (n >= (int)sizeof(rec))
		n = sizeof(rec) - 1;
	w = write(kmsg_fd, rec, n);
	(void)w;	/* the kernel log is best effort */
}

/* The symbolic name of an errno, for log lines. */
static const char *errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} t[] = {
#define E(x) { x, #x }
		E(EPERM), E(ENOENT), E(EIO), E(ENXIO), E(E2BIG), E(ENOMEM),
		E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV),
		E(ENOTDIR), E(EISDIR), E(EINVAL), E(EFBIG), E(ENOSPC),
		E(EROFS), E(ERANGE), E(ENAMETOOLONG), E(ELOOP), E(EBADMSG),
		E(EOPNOTSUPP),
#undef E
	};
	static char buf[24];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i].err == err)
			return t[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* Blanks off both ends of @s. */
static char *trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Control characters of @s as '?', so a log line stays one line. */
static char *printable(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

struct boot_conf {
	const char *file;
	char policy[PATH_MAX];
	unsigned int policy_line, seal_line;
	bool seal;		/* a line "seal = yes" parsed */
	unsigned int errors;
};

/* One "key = value" line of rampart.conf. */
static void conf_line(struct boot_conf *c, unsigned int n, char *s)
{
	char *eq, *key, *val;

	eq = strchr(s, '=');
	if (!eq) {
		boot_log(true, "config %s:%u: expected 'key = value', not '%s'",
			 c->file, n, printable(s));
		c->errors++;
		return;
	}
	*eq = '\0';
	key = printable(trim(s));
	val = printable(trim(eq + 1));
	if (!strcmp(key, "seal")) {
		/* Any "seal = yes" seals, even a refused duplicate. */
		if (!strcmp(val, "yes"))
			c->seal = true;
		if (c->seal_line) {
			boot_log(true, "config %s:%u: seal given twice (see line %u)",
				 c->file, n, c->seal_line);
		} else if (strcmp(val, "yes") && strcmp(val, "no")) {
			boot_log(true, "config %s:%u: seal takes yes or no, not '%s'",
				 c->file, n, val);
		} else {
			c->seal_line = n;
			return;
		}
	} else if (!strcmp(key, "policy")) {
		if (c->policy_line) {
			boot_log(true, "config %s:%u: policy given twice (see line %u)",
				 c->file, n, c->policy_line);
		} else if (val[0] != '/' || strlen(val) >= sizeof(c->policy)) {
			boot_log(true, "config %s:%u: policy takes an absolute path, not '%s'",
				 c->file, n, val);
		} else {
			snprintf(c->policy, sizeof(c->policy), "%s", val);
			c->policy_line = n;
			return;
		}
	} else {
		boot_log(true, "config %s:%u: unknown key '%s' (policy, seal)",
			 c->file, n, key);
	}
	c->errors++;
}

/*
 * Read rampart.conf. A missing file means the defaults; each line it
 * refuses is logged and counted in @c->errors.
 */
static void boot_config(struct boot_conf *c)
{
	unsigned int n = 0;
	size_t cap = 0;
	char *buf = NULL, *s, *hash;
	FILE *f;

	snprintf(c->policy, sizeof(c->policy), "%s", BOOT_POLICY);
	f = fopen(c->file, "re");
	if (!f) {
		if (errno != ENOENT) {
			boot_log(true, "config %s: %s (%s)", c->file,
				 strerror(errno), errno_name(errno));
			c->errors++;
		}
		return;
	}
	while (getline(&buf, &cap, f) != -1) {
		n++;
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		s = trim(buf);
		if (*s)
			conf_line(c, n, s);
	}
	if (ferror(f)) {
		boot_log(true, "config %s: read error", c->file);
		c->errors++;
	}
	free(buf);
	fclose(f);
}

/* Run "modprobe rampart". Returns 0, or -1 with the reason in @why. */
static int run_modprobe(char *why, size_t size)
{
	const char *env = getenv("RAMPARTCTL_MODPROBE");
	char *const path[] = { "modprobe", "rampart", NULL };
	char *const sbin[] = { "/sbin/modprobe", "rampart", NULL };
	char *const own[] = { (char *)env, "rampart", NULL };
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, size, "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		if (env && *env) {
			execvp(env, own);
		} else {
			execvp(path[0], path);
			execv(sbin[0], sbin);
		}
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, size, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(why, size, "cannot run %s", env && *env ? env : "modprobe");
	else if (WIFEXITED(status))
		snprintf(why, size, "modprobe rampart failed (exit status %d); the kernel log has the reason",
			 WEXITSTATUS(status));
	else
		snprintf(why, size, "modprobe rampart killed by signal %d",
			 WTERMSIG(status));
	return -1;
}

/* Step 1: the module loaded and launched. */
static bool boot_module(bool *fresh)
{
	char why[256], state[64];
	struct stat st;
	int err;

	*fresh = false;
	if (stat(sysfs_root, &st)) {
		if (run_modprobe(why, sizeof(why))) {
			boot_log(true, "module: %s", why);
			return false;
		}
		if (stat(sysfs_root, &st)) {
			boot_log(true, "module: modprobe rampart succeeded, but %s is missing",
				 sysfs_root);
			return false;
		}
		*fresh = true;
	}
	err = read_attr("state", state, sizeof(state));
	if (err) {
		boot_log(true, "module: %s/state: %s", sysfs_root,
			 strerror(-err));
		return false;
	}
	if (strcmp(state, "launched")) {
		boot_log(true, "module loaded but not launched (state '%s'); the kernel log has the reason",
			 printable(state));
		return false;
	}
	boot_log(false, *fresh ? "module loaded" : "module already loaded");
	return true;
}

/* What a policy step that changes nothing leaves in force. */
static const char *boot_stays(bool fresh, char *buf, size_t size)
{
	unsigned long long gen;

	if (fresh)
		return "the default stays in force";
	if (read_num("policy/generation", &gen))
		return "the policy in force stays";
	snprintf(buf, size, "the policy in force stays (generation %llu)",
		 gen);
	return buf;
}

/* Whether policy/active holds the rules of @p (comments aside). */
static bool boot_in_force(const struct rampart_policy *p)
{
	size_t alen, wlen, apos = 0, wpos = 0, al, wl;
	const char *ar, *wr;
	char *active, *want;
	bool same = true, a, w;

	wlen = rp_render(p, NULL, 0);
	want = malloc(wlen + 1);
	if (!want)
		return false;
	rp_render(p, want, wlen + 1);
	if (read_active(&active, &alen)) {
		free(want);
		return false;
	}
	do {
		a = next_rule(active, alen, &apos, &ar, &al);
		w = next_rule(want, wlen, &wpos, &wr, &wl);
		if (a != w || (a && (al != wl || memcmp(ar, wr, al))))
			same = false;
	} while (same && a && w);
	free(active);
	free(want);
	return same;
}

/* Step 2: the policy file checked and put in force. */
static bool boot_policy(const char *file, bool fresh)
{
	struct rp_policy_error e = { 0 };
	unsigned long long gen = 0, rules = 0;
	struct rampart_policy *p;
	char buf[96], other[32] = "", num[32];
	size_t len, at;
	char *text;
	u32 count = 0;
	int err;

	err = read_policy_file(file, &text, &len);
	if (err) {
		boot_log(true, "policy %s: %s (%s); %s", file, strerror(-err),
			 errno_name(-err), boot_stays(fresh, buf, sizeof(buf)));
		return false;
	}
	p = malloc(sizeof(*p));
	err = p ? compile_text(text, len, p, &e, &count) : -ENOMEM;
	if (err == -ENOMEM) {
		boot_log(true, "policy %s: %s; %s", file, strerror(ENOMEM),
			 boot_stays(fresh, buf, sizeof(buf)));
		goto bad;
	}
	if (err) {
		if (e.other)
			snprintf(other, sizeof(other), " (see line %u)",
				 e.other);
		boot_log(true, "policy %s: line %u: %s%s (%s); %s", file, e.line,
			 rp_policy_strerror(e.code), other,
			 errno_name(-rp_policy_errno(e.code)),
			 boot_stays(fresh, buf, sizeof(buf)));
		goto bad;
	}
	if (!count) {
		boot_log(false, "policy %s has no rules; %s", file,
			 boot_stays(fresh, buf, sizeof(buf)));
		goto good;
	}
	if (boot_in_force(p)) {
		read_num("policy/generation", &gen);
		read_num("policy/rules", &rules);
		boot_log(false, "policy %s already in force (%llu rules, generation %llu)",
			 file, rules, gen);
		goto good;
	}
	err = write_attr("policy/staging", text, len, &at);
	if (!err) {
		snprintf(num, sizeof(num), "%zu\n", len);
		err = write_attr("policy/commit", num, strlen(num), &at);
	}
	if (err) {
		boot_log(true, "policy %s refused: %s (%s): %s, the kernel log has the line and reason; %s",
			 file, strerror(-err), errno_name(-err),
			 commit_hint(-err), boot_stays(fresh, buf, sizeof(buf)));
		goto bad;
	}
	read_num("policy/generation", &gen);
	read_num("policy/rules", &rules);
	boot_log(false, "policy %s applied (%llu rules, generation %llu)",
		 file, rules, gen);
good:
	free(p);
	free(text);
	return true;
bad:
	free(p);
	free(text);
	return false;
}

/* Step 3: seal. */
static bool boot_seal(void)
{
	char buf[16];
	size_t at;
	int err;

	err = read_attr("policy/sealed", buf, sizeof(buf));
	if (err) {
		boot_log(true, "seal: %s/policy/sealed: %s", sysfs_root,
			 strerror(-err));
		return false;
	}
	if (!strcmp(buf, "1")) {
		boot_log(false, "already sealed");
		return true;
	}
	err = write_attr("policy/sealed", "1\n", 2, &at);
	if (err) {
		boot_log(true, "seal failed: %s (%s)", strerror(-err),
			 errno_name(-err));
		return false;
	}
	boot_log(false, "sealed");
	return true;
}

/**
 * cmd_boot() - "rampartctl boot".
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 *
 * Return: the exit status.
 */
int cmd_boot(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct boot_conf conf = { .file = BOOT_CONF };
	bool fresh, mod_ok, pol_ok = false, seal_ok = false;
	char buf[96];
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:c:h", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf.file = optarg;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, "boot");
		}
	}
	if (optind != argc)
		return usage("usage: boot [--config FILE]");

	boot_config(&conf);
	mod_ok = boot_module(&fresh);
	if (!mod_ok)
		boot_log(true, "policy %s not applied: the module is not loaded",
			 conf.policy);
	else if (conf.errors)
		boot_log(true, "policy %s not applied: %s has errors; %s",
			 conf.policy, conf.file,
			 boot_stays(fresh, buf, sizeof(buf)));
	else
		pol_ok = boot_policy(conf.policy, fresh);
	if (!conf.seal) {
		if (conf.seal_line)
			boot_log(false, "not sealed (seal = no)");
		else
			boot_log(false, "not sealed (no 'seal = yes' in %s)",
				 conf.file);
		seal_ok = true;
	} else if (!mod_ok) {
		boot_log(true, "not sealed: the module is not loaded");
	} else {
		seal_ok = boot_seal();
	}
	if (!conf.errors && mod_ok && pol_ok && seal_ok)
		return EX_OK;
	boot_log(true, "failed:%s%s%s%s", conf.errors ? " config" : "",
		 mod_ok ? "" : " module", pol_ok ? "" : " policy",
		 seal_ok ? "" : " seal");
	return EX_FAIL;
}
