// SPDX-License-Identifier: GPL-2.0-only
/*
 * rampartctl: inspect Rampart and manage its policy from user space.
 *
 * Talks to the module only through sysfs (/sys/kernel/rampart, or
 * --sysfs DIR / $RAMPART_SYSFS), and checks policies with the same parser
 * and compiler the kernel side and VMX root run (the policy directory), so a policy
 * that passes "policy check" fails in the kernel only for reasons that
 * depend on the running system (sealing, a load in progress).
 *
 * Run "rampartctl help" for the commands; rampartctl.8 has the same text
 * and more (memory rules, the boot configuration).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "policy/policy.h"

/*
 * The kernel's __printf(), which user space lacks (GCC's other spelling
 * of the keyword, so that checkpatch takes this for the kernel macro).
 */
#ifndef __printf
#define __printf(a, b)	__attribute((format(printf, a, b)))
#endif

#define PROG		"rampartctl"
#define SYSFS_DEFAULT	"/sys/kernel/rampart"
#define SYSFS_MAGIC_FS	0x62656572	/* SYSFS_MAGIC, linux/magic.h */
#define TRACEFS_MAGIC_FS 0x74726163	/* TRACEFS_MAGIC, linux/magic.h */
#define BOOT_CONF	"/etc/rampart/rampart.conf"
#define BOOT_POLICY	"/etc/rampart/policy"
#define TEXT_MAX	(16u << 20)	/* largest policy file we read */
#define EV_SIZE		sizeof(struct rampart_event)
#define EV_BATCH	64		/* records per read */
#define SEQ_MAX		(1ULL << 56)	/* keeps (seq - 1) * 64 an off_t */
#define POKE_ANY	(RAMPART_POKE_CONTEXT | RAMPART_POKE_CR3 | \
			 RAMPART_POKE_ADDR | RAMPART_POKE_RIP)

_Static_assert(sizeof(struct rampart_event) == 64, "event record size");

/* Exit statuses. */
enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2 };

/* getopt_long() values of the long options without a short one. */
enum { OPT_SYSFS = 256, OPT_JSON, OPT_FIRST };

static const char *sysfs_root = SYSFS_DEFAULT;
static bool json;		/* --json */
/*
 * Set by the signal handler, which runs only inside ppoll() (the signals
 * are blocked elsewhere): the call is a barrier, so no volatile is needed.
 */
static sig_atomic_t stop;

static const char *const err_names[RP_ERR_NR] = {
#define RP_ERROR(name, err, msg) \
	[RP_ERR_##name] = #name,
#include "policy/error_table.h"
};

static const char help_text[] =
"NAME\n"
"    rampartctl - control the Rampart security hypervisor\n"
"\n"
"SYNOPSIS\n"
"    rampartctl [--sysfs DIR] [--json] status\n"
"    rampartctl policy check [--code] FILE\n"
"    rampartctl [--sysfs DIR] policy load FILE\n"
"    rampartctl [--sysfs DIR] [--json] show\n"
"    rampartctl [--sysfs DIR] seal\n"
"    rampartctl [--sysfs DIR] [--json] events [-f|--follow] [-n N]\n"
"    rampartctl [--sysfs DIR] [--json] events --first\n"
"    rampartctl [--sysfs DIR] boot [-c|--config FILE]\n"
"    rampartctl help | --help | -h\n"
"\n"
"DESCRIPTION\n"
"    Rampart (rampart.ko) moves the running Linux kernel into a VMX guest\n"
"    and enforces a policy on writes to CR0, CR4 and MSRs from VMX root\n"
"    mode. rampartctl reads its state, checks and loads policies, seals\n"
"    the policy and prints the violation log, all through sysfs.\n"
"\n"
"    Policies are checked locally with the parser and compiler that the\n"
"    kernel and VMX root run, before anything is written to the kernel.\n"
"\n"
"COMMANDS\n"
"    status\n"
"        Print the module state and version, the state and policy\n"
"        generation of each CPU, the policy generation, rule count and\n"
"        seal, and the event counters. Warns about every CPU whose policy\n"
"        generation is not the current one.\n"
"\n"
"    policy check FILE\n"
"        Parse FILE (- for standard input) and compile it rule by rule as\n"
"        VMX root would. On success print the policy in canonical form;\n"
"        on error print FILE:LINE: message (and \"(see line N)\" for the\n"
"        earlier rule it conflicts with) and exit 1. Needs no kernel.\n"
"        --code prints \"0 OK\" or \"LINE CODE_NAME\" on standard output\n"
"        instead, for scripts.\n"
"\n"
"    policy load FILE\n"
"        Check FILE as above and refuse it if the check fails; otherwise\n"
"        write it to policy/staging and its length to policy/commit. The\n"
"        kernel parses it again and root validates it and loads it\n"
"        atomically on all CPUs, or rejects it as a whole; the kernel\n"
"        log then has the reason and line.\n"
"\n"
"    show\n"
"        Print the policy in force (policy/active), in canonical form.\n"
"\n"
"    seal\n"
"        Seal the policy: until reboot, no load may relax any rule in\n"
"        force and the hypervisor can no longer be unloaded. One-way.\n"
"\n"
"    events [-f|--follow] [-n N]\n"
"        Print the last N violation records (default: all the kernel\n"
"        keeps), one a line: sequence number, CPU, asset, action, the\n"
"        old and the attempted value, the protected bits the write tried\n"
"        to change, guest RIP, policy line and TSC. A gap in sequence\n"
"        numbers is printed as \"N events dropped\". -f then follows the\n"
"        rampart:rampart_violation tracepoint in a tracefs instance of its\n"
"        own (instances/rampartctl.PID, removed on exit), blocking until\n"
"        records come, and prints each once, in order, until SIGINT or\n"
"        SIGTERM. A record the log no longer holds is printed from the\n"
"        trace line, its RIP as the kernel symbolized it and \"tsc ?\".\n"
"        Without tracefs, -f fails.\n"
"\n"
"    events --first\n"
"        Print the first violation records after the seal, which the\n"
"        hypervisor keeps in its own memory and never overwrites (256),\n"
"        then how many it recorded since the seal.\n"
"\n"
"    boot [-c|--config FILE]\n"
"        What the initramfs hook and rampart.service run: load the module\n"
"        (modprobe rampart) unless it is loaded, apply the policy file\n"
"        the configuration names, and seal if it says seal = yes. One\n"
"        line per step, \"rampart: boot: ...\", on standard error and in\n"
"        the kernel log. A bad policy file leaves the policy in force as\n"
"        it is; sealing is still done. Exits 0 only if every step\n"
"        succeeded; running it again changes nothing. See BOOT\n"
"        CONFIGURATION.\n"
"\n"
"    help, --help, -h\n"
"        Print this text.\n"
"\n"
"OPTIONS\n"
"    --sysfs DIR\n"
"        Use DIR instead of /sys/kernel/rampart (also the environment\n"
"        variable RAMPART_SYSFS).\n"
"\n"
"    --json\n"
"        status and show print one JSON object; events prints one JSON\n"
"        object a line (JSON Lines): \"type\" is \"event\", \"dropped\"\n"
"        or \"since_seal\". Addresses, values and masks are strings\n"
"        (\"0x...\"), so no bit is lost. May also follow the command.\n"
"\n"
"POLICY FORMAT\n"
"    One rule a line; # starts a comment:\n"
"\n"
"        <asset> <protection> <action> [gp|ignore]\n"
"\n"
"    asset       cr0.<bits>, cr4.<bits> (names or a mask, comma\n"
"                separated), msr.<name|index>[/<mask>],\n"
"                phys.<start>+<size>, range.<name>, vmx.nested\n"
"    protection  lock (keep the value the bits have when the policy takes\n"
"                effect) or ro (MSRs: no write at all)\n"
"    action      deny gp (inject #GP), deny ignore (complete the write,\n"
"                keep the protected bits), log, or allow\n"
"\n"
"    vmx.nested lock allow has the hypervisor emulate VMX for the kernel,\n"
"    so KVM guests run under it; vmx.nested lock deny, or no vmx rule,\n"
"    hides VMX (VMX instructions raise #UD). Sealed, allow may only\n"
"    become deny.\n"
"\n"
"    The full grammar is in uapi/policy.h, the rules and what is refused\n"
"    (unsafe bits, hot MSRs) in README.md, \"Policy\".\n"
"\n"
"BOOT CONFIGURATION\n"
"    /etc/rampart/rampart.conf: lines \"key = value\", # comments:\n"
"\n"
"    policy = PATH   the policy file (default /etc/rampart/policy); one\n"
"                    without rules keeps the built-in default\n"
"    seal = yes|no   seal after applying it (default no)\n"
"\n"
"    A missing file means the defaults. A bad line is an error (FILE:LINE)\n"
"    and no policy is applied, but the module is still loaded and, if a\n"
"    line seal = yes was read, the policy sealed.\n"
"\n"
"FILES\n"
"    /etc/rampart/rampart.conf, /etc/rampart/policy\n"
"        boot's configuration and policy\n"
"    /sys/kernel/rampart/\n"
"        state, version, cpus/cpuN/state, cpus/cpuN/policy_generation\n"
"    /sys/kernel/rampart/policy/\n"
"        staging, commit, active, sealed, generation, rules\n"
"    /sys/kernel/rampart/events/\n"
"        log (struct rampart_event records), total, denied, logged, dropped\n"
"    /sys/kernel/tracing/instances/rampartctl.PID/\n"
"        events -f's tracefs instance (or under /sys/kernel/debug/tracing)\n"
"\n"
"EXIT STATUS\n"
"    0 on success, 1 on any error (a bad policy, a rejected load, a\n"
"    missing or unreadable sysfs file, no tracefs for events -f, a boot\n"
"    step that failed), 2 on a usage error.\n"
"\n"
"EXAMPLES\n"
"    Lock SMEP and SMAP, log LSTAR changes:\n"
"\n"
"        printf 'cr4.smep,smap lock deny gp\\nmsr.lstar lock log\\n' > p\n"
"        rampartctl policy check p && rampartctl policy load p\n"
"        rampartctl status\n"
"        rampartctl events -f\n"
"\n"
"    Seal it once the system is up:\n"
"\n"
"        rampartctl seal\n";

static void usage_hint(void)
{
	fprintf(stderr, "Try '" PROG " help'.\n");
}

/* One line "rampartctl: ..." on stderr. */
static void __printf(1, 0) say(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* One line on stderr; returns EX_FAIL. */
static int __printf(1, 2) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return EX_FAIL;
}

/* A usage error: one line, a hint, EX_USAGE. */
static int __printf(1, 2) usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	usage_hint();
	return EX_USAGE;
}

/*
 * A getopt_long() error @c (':' or '?') of @cmd (NULL: the global
 * options): one line, a hint, EX_USAGE.
 */
static int opt_error(int c, char **argv, const char *cmd)
{
	const char *arg = argv[optind - 1];
	const char *sep = cmd ? ": " : "";

	if (!cmd)
		cmd = "";
	if (c == ':')
		return usage("%s%soption '%s' needs an argument", cmd, sep, arg);
	if (optopt)
		return usage("%s%sunknown option '-%c'", cmd, sep, optopt);
	return usage("%s%sunknown option '%s'", cmd, sep, arg);
}

/*
 * JSON output, for --json: objects and arrays written as they go, on
 * standard output. Strings are escaped; bytes outside printable ASCII
 * are written as \u00XX, so the output is ASCII and always valid JSON.
 */
struct jobj {
	bool first;
};

static void json_mem(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void jopen(struct jobj *o)
{
	putchar('{');
	o->first = true;
}

/* The end of a top-level object, and of its line. */
static void jclose(void)
{
	fputs("}\n", stdout);
}

static void jclose_inner(void)
{
	putchar('}');
}

static void jarray(struct jobj *a)
{
	putchar('[');
	a->first = true;
}

static void jarray_end(void)
{
	putchar(']');
}

/* Before each member of an object or element of an array. */
static void jelem(struct jobj *a)
{
	if (!a->first)
		putchar(',');
	a->first = false;
}

static void jelem_mem(struct jobj *a, const char *s, size_t len)
{
	jelem(a);
	json_mem(s, len);
}

/* @key is a literal of ours: it needs no escaping. */
static void jkey(struct jobj *o, const char *key)
{
	jelem(o);
	printf("\"%s\":", key);
}

/* A string, or null for NULL. */
static void jstr(struct jobj *o, const char *key, const char *v)
{
	jkey(o, key);
	if (v)
		json_mem(v, strlen(v));
	else
		fputs("null", stdout);
}

static void ju64(struct jobj *o, const char *key, u64 v)
{
	jkey(o, key);
	printf("%llu", (unsigned long long)v);
}

/* Addresses, values and masks: hex strings, which lose no bits. */
static void jhex(struct jobj *o, const char *key, u64 v)
{
	jkey(o, key);
	printf("\"0x%llx\"", (unsigned long long)v);
}

static void jbool(struct jobj *o, const char *key, bool v)
{
	jkey(o, key);
	fputs(v ? "true" : "false", stdout);
}

static void sys_path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", sysfs_root, rel);
}

/*
 * Read a small sysfs text file (relative to the root) into @buf, without
 * the trailing newline. Returns 0 or -errno.
 */
static int read_attr(const char *rel, char *buf, size_t size)
{
	char path[4096];
	ssize_t n;
	size_t len = 0;
	int fd, err = 0;

	sys_path(path, sizeof(path), rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	if (err)
		return err;
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return 0;
}

/* A sysfs number, or -errno (-EBADMSG if it is not one). */
static int read_num(const char *rel, unsigned long long *v)
{
	char buf[64], *end;
	int err = read_attr(rel, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EBADMSG;
	return 0;
}

/* read_attr() for printing: "?" where the file cannot be read. */
static const char *attr_or_q(const char *rel, char *buf, size_t size)
{
	if (read_attr(rel, buf, size) || !buf[0])
		snprintf(buf, size, "?");
	return buf;
}

/* read_num() for printing. */
static const char *num_or_q(const char *rel, char *buf, size_t size)
{
	unsigned long long v;

	if (read_num(rel, &v))
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%llu", v);
	return buf;
}

/* A sysfs number as a JSON member, null where it cannot be read. */
static void jnum_attr(struct jobj *o, const char *key, const char *rel)
{
	unsigned long long v;

	jkey(o, key);
	if (read_num(rel, &v))
		fputs("null", stdout);
	else
		printf("%llu", v);
}

/* A sysfs 0 or 1 as a JSON boolean, null where it is neither. */
static void jbool_attr(struct jobj *o, const char *key, const char *rel)
{
	char buf[16];

	if (read_attr(rel, buf, sizeof(buf)) ||
	    (strcmp(buf, "0") && strcmp(buf, "1"))) {
		jstr(o, key, NULL);
		return;
	}
	jbool(o, key, buf[0] == '1');
}

/*
 * Write all of @data to a sysfs file through one fd, from offset 0, in
 * as many write() calls as the kernel wants (sysfs takes binary files a
 * page at a time). A regular file (a fake tree in tests) is truncated to
 * what was written, as a new staging buffer would be. Returns 0 or
 * -errno, with the offset of the failing write in @at.
 */
static int write_attr(const char *rel, const char *data, size_t len,
		      size_t *at)
{
	char path[4096];
	struct statfs sfs;
	size_t off = 0;
	int fd, err = 0;

	*at = 0;
	sys_path(path, sizeof(path), rel);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n && len) {
			err = -EIO;
			break;
		}
		off += n;
	} while (off < len);
	*at = off;
	if (!err && !fstatfs(fd, &sfs) && sfs.f_type != SYSFS_MAGIC_FS &&
	    ftruncate(fd, len))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* Read all of @fd into a malloc()ed buffer. */
static int slurp(int fd, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= TEXT_MAX) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (!r)
			break;
		n += r;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* A policy file, or standard input for "-". */
static int read_policy_file(const char *file, char **text, size_t *len)
{
	int fd, err;

	if (!strcmp(file, "-"))
		return slurp(STDIN_FILENO, text, len);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = slurp(fd, text, len);
	close(fd);
	return err;
}

/*
 * Parse and compile @text exactly as the kernel and root do: rp_parse()
 * into binary rules, the header check, then rp_policy_add() one rule at a
 * time into an empty policy. Returns 0 or a negative errno, with @e set.
 */
/*
 * The kernel resolves named ranges to this machine's physical extents
 * before root sees them. Without a kernel, stand-ins with the same
 * containment: ro_after_init is rodata's extent, the vDSO image lies
 * inside rodata, the IDT is a page of its own, kernel text lies apart;
 * modules has no extent anywhere (root learns module pages as they load).
 */
static void stand_in_ranges(struct rampart_rule *rules, u32 count)
{
	static const struct {
		u64 start, size;
	} ext[RAMPART_RANGE_NR] = {
		[RAMPART_RANGE_KERNEL_TEXT] = { 0x1000000, 0x1000000 },
		[RAMPART_RANGE_RODATA] = { 0x40000000, 0x1000000 },
		[RAMPART_RANGE_RO_AFTER_INIT] = { 0x40000000, 0x1000000 },
		[RAMPART_RANGE_VDSO] = { 0x40001000, 0x2000 },
		[RAMPART_RANGE_IDT] = { 0x80000000, 0x1000 },
	};
	u32 i;

	for (i = 0; i < count; i++) {
		struct rampart_rule *r = &rules[i];

		if (r->kind != RAMPART_ASSET_RANGE || r->range >= RAMPART_RANGE_NR)
			continue;
		r->id = ext[r->range].start;
		r->mask = ext[r->range].size;
	}
}

static int compile_text(const char *text, size_t len,
			struct rampart_policy *p, struct rp_policy_error *e,
			u32 *nrules)
{
	struct rampart_policy_hdr hdr = {
		.magic = RAMPART_POLICY_MAGIC,
		.version = RAMPART_POLICY_VERSION,
	};
	struct rampart_rule *rules;
	u32 count, i;
	int err;

	rules = calloc(RAMPART_POLICY_MAX_RULES, sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	err = rp_parse(text, len, rules, RAMPART_POLICY_MAX_RULES, &count, e);
	if (!err) {
		stand_in_ranges(rules, count);
		hdr.count = count;
		err = rp_policy_check_hdr(&hdr, e);
	}
	if (!err) {
		rp_policy_init(p);
		for (i = 0; i < count && !err; i++)
			err = rp_policy_add(p, &rules[i], e);
		*nrules = count;
	}
	free(rules);
	return err;
}

static void print_policy_error(const char *name,
			       const struct rp_policy_error *e)
{
	if (e->line)
		fprintf(stderr, "%s:%u: %s", name, e->line,
			rp_policy_strerror(e->code));
	else
		fprintf(stderr, "%s: %s", name, rp_policy_strerror(e->code));
	if (e->other)
		fprintf(stderr, " (see line %u)", e->other);
	fputc('\n', stderr);
}

/*
 * Read and check @file. On success @text holds it and @p the compiled
 * policy. Returns EX_OK, or EX_FAIL after printing the error; with
 * @code_only the error goes to stdout as "LINE CODE_NAME".
 */
static int check_file(const char *file, char **text, size_t *len,
		      struct rampart_policy *p, bool code_only)
{
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	struct rp_policy_error e = { 0 };
	u32 count;
	int err;

	err = read_policy_file(file, text, len);
	if (err)
		return fail("%s: %s", name, strerror(-err));
	err = compile_text(*text, *len, p, &e, &count);
	if (err == -ENOMEM)
		return fail("%s: %s", name, strerror(ENOMEM));
	if (!err)
		return EX_OK;
	if (code_only)
		printf("%u %s\n", e.line,
		       e.code < RP_ERR_NR ? err_names[e.code] : "?");
	else
		print_policy_error(name, &e);
	free(*text);
	*text = NULL;
	return EX_FAIL;
}

static int print_canonical(const struct rampart_policy *p)
{
	size_t len = rp_render(p, NULL, 0);
	char *buf = malloc(len + 1);

	if (!buf)
		return fail("%s", strerror(ENOMEM));
	rp_render(p, buf, len + 1);
	fputs(buf, stdout);
	free(buf);
	return EX_OK;
}

/*
 * The options of a command that takes none but --help (and --json where
 * @json_ok), then @npos arguments. Returns -1 to go on (the arguments
 * start at argv[optind]), or the exit status to return.
 */
static int plain_opts(int argc, char **argv, const char *use, int npos,
		      bool json_ok)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			if (!json_ok)
				return usage("%s: --json is only for status, show and events",
					     use);
			json = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, use);
		}
	}
	if (argc - optind != npos)
		return usage("usage: %s", use);
	return -1;
}

static int cmd_policy_check(int argc, char **argv)
{
	struct rampart_policy *p;
	bool code_only = false;
	size_t len;
	char *text;
	int ret;

	static const struct option lo[] = {
		{ "code", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			code_only = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, "policy check");
		}
	}
	if (optind != argc - 1)
		return usage("usage: policy check [--code] FILE");
	p = malloc(sizeof(*p));
	if (!p)
		return fail("%s", strerror(ENOMEM));
	ret = check_file(argv[optind], &text, &len, p, code_only);
	if (ret == EX_OK) {
		if (code_only)
			printf("0 OK\n");
		else
			ret = print_canonical(p);
		free(text);
	}
	free(p);
	return ret;
}

/* What a failed commit most likely means, after the errno text. */
static const char *commit_hint(int err)
{
	switch (err) {
	case EPERM:
		return "the policy is sealed and this would relax it";
	case EBUSY:
		return "another policy load is in progress";
	case EBADMSG:
		return "the staged text is not what was written (another writer?)";
	case EOPNOTSUPP:
		return "the policy uses something this kernel does not enforce";
	default:
		return "the policy was rejected";
	}
}

static int cmd_policy_load(int argc, char **argv)
{
	struct rampart_policy *p;
	unsigned long long gen, rules;
	const char *file;
	char num[32];
	size_t len, at;
	char *text;
	int ret, err;

	ret = plain_opts(argc, argv, "policy load FILE", 1, false);
	if (ret >= 0)
		return ret;
	file = argv[optind];
	p = malloc(sizeof(*p));
	if (!p)
		return fail("%s", strerror(ENOMEM));
	ret = check_file(file, &text, &len, p, false);
	free(p);
	if (ret) {
		fprintf(stderr, PROG ": not loading %s: it fails the check\n",
			file);
		return ret;
	}
	err = write_attr("policy/staging", text, len, &at);
	free(text);
	if (err)
		return fail("%s/policy/staging: write at offset %zu: %s",
			    sysfs_root, at, strerror(-err));
	snprintf(num, sizeof(num), "%zu\n", len);
	err = write_attr("policy/commit", num, strlen(num), &at);
	if (err)
		return fail("policy load: %s: %s; the kernel log (dmesg) has the line and reason",
			    strerror(-err), commit_hint(-err));
	if (!read_num("policy/generation", &gen) &&
	    !read_num("policy/rules", &rules))
		printf("policy loaded: generation %llu, %llu rules\n", gen,
		       rules);
	else
		printf("policy loaded\n");
	return EX_OK;
}

static int cmd_policy(int argc, char **argv)
{
	if (argc < 2)
		return usage("usage: policy check|load FILE");
	if (!strcmp(argv[1], "check"))
		return cmd_policy_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "load"))
		return cmd_policy_load(argc - 1, argv + 1);
	return usage("unknown policy command '%s'", argv[1]);
}

/*
 * The next rule of policy text from *@pos on, without its comment and the
 * blanks around it. Returns false at the end of @t.
 */
static bool next_rule(const char *t, size_t len, size_t *pos,
		      const char **rule, size_t *rlen)
{
	while (*pos < len) {
		const char *nl = memchr(t + *pos, '\n', len - *pos);
		size_t s = *pos, end = nl ? (size_t)(nl - t) : len, e;
		const char *hash = memchr(t + s, '#', end - s);

		*pos = nl ? end + 1 : len;
		e = hash ? (size_t)(hash - t) : end;
		while (s < e && isspace((unsigned char)t[s]))
			s++;
		while (e > s && isspace((unsigned char)t[e - 1]))
			e--;
		if (e > s) {
			*rule = t + s;
			*rlen = e - s;
			return true;
		}
	}
	return false;
}

/* policy/active, read whole. Returns 0 or -errno. */
static int read_active(char **text, size_t *len)
{
	char path[4096];
	int fd, err;

	sys_path(path, sizeof(path), "policy/active");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = slurp(fd, text, len);
	close(fd);
	return err;
}

static int cmd_show(int argc, char **argv)
{
	char path[4096];
	const char *rule;
	size_t len, pos = 0, rlen;
	struct jobj o, lines;
	char *text;
	int err;

	err = plain_opts(argc, argv, "show", 0, true);
	if (err >= 0)
		return err;
	sys_path(path, sizeof(path), "policy/active");
	err = read_active(&text, &len);
	if (err)
		return fail("%s: %s", path, strerror(-err));
	if (!json) {
		fwrite(text, 1, len, stdout);
		free(text);
		return EX_OK;
	}
	jopen(&o);
	jnum_attr(&o, "generation", "policy/generation");
	jnum_attr(&o, "rules", "policy/rules");
	jbool_attr(&o, "sealed", "policy/sealed");
	jkey(&o, "lines");
	jarray(&lines);
	while (next_rule(text, len, &pos, &rule, &rlen))
		jelem_mem(&lines, rule, rlen);
	jarray_end();
	jkey(&o, "text");
	json_mem(text, len);
	jclose();
	free(text);
	return EX_OK;
}

static int cmd_seal(int argc, char **argv)
{
	char buf[16];
	size_t at;
	int err;

	err = plain_opts(argc, argv, "seal", 0, false);
	if (err >= 0)
		return err;
	err = read_attr("policy/sealed", buf, sizeof(buf));
	if (err)
		return fail("%s/policy/sealed: %s", sysfs_root, strerror(-err));
	if (!strcmp(buf, "1")) {
		printf("already sealed\n");
		return EX_OK;
	}
	fprintf(stderr, PROG ": warning: sealing is one-way until reboot: no load may relax the policy, the hypervisor cannot be unloaded\n");
	err = write_attr("policy/sealed", "1\n", 2, &at);
	if (err)
		return fail("%s/policy/sealed: %s", sysfs_root, strerror(-err));
	printf("sealed\n");
	return EX_OK;
}

/* A cpus/ entry: cpuN. */
struct cpu_ent {
	unsigned int nr;
};

static int cmp_cpu(const void *a, const void *b)
{
	const struct cpu_ent *x = a, *y = b;

	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int list_cpus(struct cpu_ent **out, size_t *count)
{
	char path[4096];
	struct cpu_ent *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir;

	sys_path(path, sizeof(path), "cpus");
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		unsigned int nr;
		char tail;

		if (sscanf(d->d_name, "cpu%u%c", &nr, &tail) != 1)
			continue;
		if (n == cap) {
			struct cpu_ent *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(dir);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++].nr = nr;
	}
	closedir(dir);
	if (n)
		qsort(v, n, sizeof(*v), cmp_cpu);
	*out = v;
	*count = n;
	return 0;
}

/* status --json: "policy" and "events", or null where absent. */
static void status_json_tail(struct jobj *o, bool have_policy)
{
	char a[64];
	struct jobj sub;

	jkey(o, "policy");
	if (have_policy) {
		jopen(&sub);
		jnum_attr(&sub, "generation", "policy/generation");
		jnum_attr(&sub, "rules", "policy/rules");
		jbool_attr(&sub, "sealed", "policy/sealed");
		jclose_inner();
	} else {
		fputs("null", stdout);
	}
	jkey(o, "events");
	if (!read_attr("events/total", a, sizeof(a))) {
		jopen(&sub);
		jnum_attr(&sub, "total", "events/total");
		jnum_attr(&sub, "denied", "events/denied");
		jnum_attr(&sub, "logged", "events/logged");
		jnum_attr(&sub, "dropped", "events/dropped");
		jnum_attr(&sub, "since_seal", "events/sealed");
		jclose_inner();
	} else {
		fputs("null", stdout);
	}
	jclose();
}

static int cmd_status(int argc, char **argv)
{
	char a[128], b[64], c[64], d[64], rel[128];
	unsigned long long gen = 0, cgen;
	bool have_gen, have_policy, st_ok;
	struct cpu_ent *cpus = NULL;
	struct jobj o, arr, cpu;
	size_t ncpu = 0, i;
	int err;

	err = plain_opts(argc, argv, "status", 0, true);
	if (err >= 0)
		return err;
	err = read_attr("state", a, sizeof(a));
	if (err)
		return fail("%s/state: %s (is rampart.ko loaded?)", sysfs_root,
			    strerror(-err));
	if (json) {
		jopen(&o);
		jstr(&o, "state", a);
		jstr(&o, "version",
		     read_attr("version", a, sizeof(a)) ? NULL : a);
	} else {
		printf("state       %s\n", a);
		printf("version     %s\n", attr_or_q("version", a, sizeof(a)));
	}

	have_gen = !read_num("policy/generation", &gen);
	err = list_cpus(&cpus, &ncpu);
	if (err) {
		if (json) {
			jkey(&o, "cpus");
			fputs("null", stdout);
		} else {
			printf("cpus        ? (%s)\n", strerror(-err));
		}
		ncpu = 0;
		cpus = NULL;
	} else if (json) {
		jkey(&o, "cpus");
		jarray(&arr);
	}
	for (i = 0; i < ncpu; i++) {
		snprintf(rel, sizeof(rel), "cpus/cpu%u/state", cpus[i].nr);
		st_ok = !read_attr(rel, a, sizeof(a)) && a[0];
		if (!st_ok)
			snprintf(a, sizeof(a), "?");
		snprintf(rel, sizeof(rel), "cpus/cpu%u/policy_generation",
			 cpus[i].nr);
		err = read_num(rel, &cgen);
		if (json) {
			jelem(&arr);
			jopen(&cpu);
			ju64(&cpu, "cpu", cpus[i].nr);
			jstr(&cpu, "state", st_ok ? a : NULL);
			jkey(&cpu, "policy_generation");
			if (err)
				fputs("null", stdout);
			else
				printf("%llu", cgen);
			jclose_inner();
		} else if (err) {
			printf("cpu%-8u %-10s policy generation ?\n",
			       cpus[i].nr, a);
		} else {
			printf("cpu%-8u %-10s policy generation %llu\n",
			       cpus[i].nr, a, cgen);
		}
		if (have_gen && !err && cgen != gen)
			fprintf(stderr, PROG ": warning: cpu%u (%s) has policy generation %llu, not %llu\n",
				cpus[i].nr, a, cgen, gen);
	}
	if (json && cpus)
		jarray_end();
	free(cpus);

	have_policy = have_gen || !read_attr("policy/rules", a, sizeof(a));
	if (json) {
		status_json_tail(&o, have_policy);
		return EX_OK;
	}
	if (have_policy) {
		attr_or_q("policy/sealed", a, sizeof(a));
		printf("policy      generation %s, %s rules, %s\n",
		       num_or_q("policy/generation", b, sizeof(b)),
		       num_or_q("policy/rules", c, sizeof(c)),
		       !strcmp(a, "1") ? "sealed" :
		       !strcmp(a, "0") ? "not sealed" : "sealed ?");
	} else {
		printf("policy      (not available)\n");
	}
	if (!read_attr("events/total", a, sizeof(a)))
		printf("events      total %s, denied %s, logged %s, dropped %s\n",
		       num_or_q("events/total", a, sizeof(a)),
		       num_or_q("events/denied", b, sizeof(b)),
		       num_or_q("events/logged", c, sizeof(c)),
		       num_or_q("events/dropped", d, sizeof(d)));
	else
		printf("events      (not available)\n");
	return EX_OK;
}

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

/*
 * What a record from a trace line lacks: the TSC, and the RIP as a
 * number when the kernel printed it as a symbol.
 */
struct ev_extra {
	const char *rip_sym;	/* the symbolized RIP, or NULL */
	bool no_tsc;
};

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

/* One record, as a line of text or of JSON. */
static void print_record(const struct rampart_event *ev,
			 const struct ev_extra *x)
{
	char line[1024];

	format_event(ev, x, line, sizeof(line));
	if (json)
		json_event(ev, x, line);
	else
		printf("%s\n", line);
}

static void print_event(const struct rampart_event *ev)
{
	print_record(ev, NULL);
}

/* A gap of @n sequence numbers before the next record. */
static void print_gap(u64 n)
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

static int cmd_events(int argc, char **argv)
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

/*
 * boot: what an initramfs hook and a systemd unit run. Each step logs one
 * line to standard error and the kernel log, "rampart: boot: ...".
 */
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

static int cmd_boot(int argc, char **argv)
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

/**
 * main() - rampartctl entry point.
 * @argc: argument count.
 * @argv: [--sysfs DIR] [--json] COMMAND [ARGS].
 *
 * Return: 0 on success, 1 on failure, 2 on a usage error.
 */
int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "sysfs", required_argument, NULL, OPT_SYSFS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("RAMPART_SYSFS");
	const char *cmd;
	int c;

	if (env && *env)
		sysfs_root = env;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", lo, NULL)) != -1) {
		switch (c) {
		case OPT_SYSFS:
			sysfs_root = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, NULL);
		}
	}
	if (optind >= argc)
		return usage("no command");
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (!strcmp(cmd, "help")) {
		fputs(help_text, stdout);
		return EX_OK;
	}
	if (!strcmp(cmd, "status"))
		return cmd_status(argc, argv);
	if (!strcmp(cmd, "policy"))
		return cmd_policy(argc, argv);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc, argv);
	if (!strcmp(cmd, "seal"))
		return cmd_seal(argc, argv);
	if (!strcmp(cmd, "events"))
		return cmd_events(argc, argv);
	if (!strcmp(cmd, "boot"))
		return cmd_boot(argc, argv);
	return usage("unknown command '%s'", cmd);
}
