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
 * Run "rampartctl help" for the commands; rampartctl.8 is the same text.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "policy/policy.h"

#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif

#define PROG		"rampartctl"
#define SYSFS_DEFAULT	"/sys/kernel/rampart"
#define SYSFS_MAGIC_FS	0x62656572	/* SYSFS_MAGIC, linux/magic.h */
#define TEXT_MAX	(16u << 20)	/* largest policy file we read */
#define EV_SIZE		sizeof(struct rampart_event)
#define EV_BATCH	64		/* records per read */
#define FOLLOW_NS	200000000L	/* -f polls every 200 ms */
#define SEQ_MAX		(1ULL << 56)	/* keeps (seq - 1) * 64 an off_t */
#define POKE_ANY	(RAMPART_POKE_CONTEXT | RAMPART_POKE_CR3 | \
			 RAMPART_POKE_ADDR | RAMPART_POKE_RIP)

_Static_assert(sizeof(struct rampart_event) == 64, "event record size");

/* Exit statuses. */
enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2 };

static const char *sysfs_root = SYSFS_DEFAULT;
static volatile sig_atomic_t stop;

static const char *const err_names[RP_ERR_NR] = {
#define RP_ERROR(name, err, msg) [RP_ERR_##name] = #name,
#include "policy/error_table.h"
};

static const char help_text[] =
"NAME\n"
"    rampartctl - control the Rampart security hypervisor\n"
"\n"
"SYNOPSIS\n"
"    rampartctl [--sysfs DIR] status\n"
"    rampartctl policy check FILE\n"
"    rampartctl [--sysfs DIR] policy load FILE\n"
"    rampartctl [--sysfs DIR] show\n"
"    rampartctl [--sysfs DIR] seal\n"
"    rampartctl [--sysfs DIR] events [-f|--follow] [-n N]\n"
"    rampartctl [--sysfs DIR] events --first\n"
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
"        numbers is printed as \"N events dropped\". -f keeps printing\n"
"        new records, polling every 200 ms, until interrupted.\n"
"\n"
"    events --first\n"
"        Print the first violation records after the seal, which the\n"
"        hypervisor keeps in its own memory and never overwrites (256),\n"
"        then how many it recorded since the seal.\n"
"\n"
"    help, --help, -h\n"
"        Print this text.\n"
"\n"
"OPTIONS\n"
"    --sysfs DIR\n"
"        Use DIR instead of /sys/kernel/rampart (also the environment\n"
"        variable RAMPART_SYSFS).\n"
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
"FILES\n"
"    /sys/kernel/rampart/\n"
"        state, version, cpus/cpuN/state, cpus/cpuN/policy_generation\n"
"    /sys/kernel/rampart/policy/\n"
"        staging, commit, active, sealed, generation, rules\n"
"    /sys/kernel/rampart/events/\n"
"        log (struct rampart_event records), total, denied, logged, dropped\n"
"\n"
"EXIT STATUS\n"
"    0 on success, 1 on any error (a bad policy, a rejected load, a\n"
"    missing or unreadable sysfs file), 2 on a usage error.\n"
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
static void __attribute__((format(printf, 1, 0))) say(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* One line on stderr; returns EX_FAIL. */
static int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return EX_FAIL;
}

/* A usage error: one line, a hint, EX_USAGE. */
static int __attribute__((format(printf, 1, 2))) usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	usage_hint();
	return EX_USAGE;
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
			struct rampart_policy *p, struct rp_policy_error *e)
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
	int err;

	err = read_policy_file(file, text, len);
	if (err)
		return fail("%s: %s", name, strerror(-err));
	err = compile_text(*text, *len, p, &e);
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

static int cmd_policy_check(int argc, char **argv)
{
	struct rampart_policy *p;
	bool code_only = false;
	size_t len;
	char *text;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "--code")) {
		code_only = true;
		argc--;
		argv++;
	}
	if (argc != 2)
		return usage("usage: policy check FILE");
	p = malloc(sizeof(*p));
	if (!p)
		return fail("%s", strerror(ENOMEM));
	ret = check_file(argv[1], &text, &len, p, code_only);
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
	char num[32];
	size_t len, at;
	char *text;
	int ret, err;

	if (argc != 2)
		return usage("usage: policy load FILE");
	p = malloc(sizeof(*p));
	if (!p)
		return fail("%s", strerror(ENOMEM));
	ret = check_file(argv[1], &text, &len, p, false);
	free(p);
	if (ret) {
		fprintf(stderr, PROG ": not loading %s: it fails the check\n",
			argv[1]);
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

static int cmd_show(int argc, char **argv __maybe_unused)
{
	char path[4096];
	size_t len;
	char *text;
	int fd, err;

	if (argc != 1)
		return usage("usage: show");
	sys_path(path, sizeof(path), "policy/active");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("%s: %s", path, strerror(errno));
	err = slurp(fd, &text, &len);
	close(fd);
	if (err)
		return fail("%s: %s", path, strerror(-err));
	fwrite(text, 1, len, stdout);
	free(text);
	return EX_OK;
}

static int cmd_seal(int argc, char **argv __maybe_unused)
{
	char buf[16];
	size_t at;
	int err;

	if (argc != 1)
		return usage("usage: seal");
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

static int cmd_status(int argc, char **argv __maybe_unused)
{
	char a[128], b[64], c[64], d[64], rel[128];
	unsigned long long gen = 0, cgen;
	bool have_gen, have_policy;
	struct cpu_ent *cpus = NULL;
	size_t ncpu = 0, i;
	int err;

	if (argc != 1)
		return usage("usage: status");
	err = read_attr("state", a, sizeof(a));
	if (err)
		return fail("%s/state: %s (is rampart.ko loaded?)", sysfs_root,
			    strerror(-err));
	printf("state       %s\n", a);
	printf("version     %s\n", attr_or_q("version", a, sizeof(a)));

	have_gen = !read_num("policy/generation", &gen);
	err = list_cpus(&cpus, &ncpu);
	if (err) {
		printf("cpus        ? (%s)\n", strerror(-err));
		ncpu = 0;
		cpus = NULL;
	}
	for (i = 0; i < ncpu; i++) {
		snprintf(rel, sizeof(rel), "cpus/cpu%u/state", cpus[i].nr);
		attr_or_q(rel, a, sizeof(a));
		snprintf(rel, sizeof(rel), "cpus/cpu%u/policy_generation",
			 cpus[i].nr);
		err = read_num(rel, &cgen);
		if (err)
			printf("cpu%-8u %-10s policy generation ?\n",
			       cpus[i].nr, a);
		else
			printf("cpu%-8u %-10s policy generation %llu\n",
			       cpus[i].nr, a, cgen);
		if (have_gen && !err && cgen != gen)
			fprintf(stderr, PROG ": warning: cpu%u (%s) has policy generation %llu, not %llu\n",
				cpus[i].nr, a, cgen, gen);
	}
	free(cpus);

	have_policy = have_gen || !read_attr("policy/rules", a, sizeof(a));
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

static void print_event(const struct rampart_event *ev)
{
	char asset[64], action[32], names[256] = "";
	const char *name;

	switch (ev->kind) {
	case RAMPART_ASSET_CR:
		snprintf(asset, sizeof(asset), "cr%u", ev->asset);
		if (ev->asset == 0 || ev->asset == 4)
			cr_bit_names(ev->asset, ev->bits, names, sizeof(names));
		break;
	case RAMPART_ASSET_MSR:
		name = rp_name_of(rp_msr_names, ev->asset);
		if (name)
			snprintf(asset, sizeof(asset), "msr.%s", name);
		else
			snprintf(asset, sizeof(asset), "msr.0x%x", ev->asset);
		break;
	case RAMPART_ASSET_RANGE:
		if (ev->bits & RAMPART_DESC_REFUSED) {
			printf("seq %llu cpu %u range.idt deny gp desc_refused exit %llu insn %llu rip 0x%llx line %u tsc %llu\n",
			       (unsigned long long)ev->seq, ev->cpu,
			       (unsigned long long)ev->attempted >> 2,
			       (unsigned long long)ev->attempted & 3,
			       (unsigned long long)ev->rip, ev->line,
			       (unsigned long long)ev->tsc);
			return;
		}
		if (ev->bits & (RAMPART_DESC_GDTR | RAMPART_DESC_IDTR)) {
			/* A GDTR or IDTR load: old is the base in force. */
			printf("seq %llu cpu %u range.idt %s %s base 0x%llx limit 0x%x in_force 0x%llx limit 0x%x rip 0x%llx line %u tsc %llu\n",
			       (unsigned long long)ev->seq, ev->cpu,
			       ev->action == RAMPART_ACT_DENY ? "deny gp" : "log",
			       ev->bits & RAMPART_DESC_IDTR ? "lidt" : "lgdt",
			       (unsigned long long)ev->attempted,
			       RAMPART_DESC_LIMIT_NEW(ev->bits),
			       (unsigned long long)ev->old,
			       RAMPART_DESC_LIMIT_OLD(ev->bits),
			       (unsigned long long)ev->rip, ev->line,
			       (unsigned long long)ev->tsc);
			return;
		}
		/* fall through */
	case RAMPART_ASSET_PHYS:
		/* Memory: old is the physical, attempted the linear address. */
		name = rp_name_of(rp_range_names, ev->asset);
		printf("seq %llu cpu %u %s%s %s gpa 0x%llx gla 0x%llx access%s%s%s%s%s%s%s%s rip 0x%llx line %u tsc %llu\n",
		       (unsigned long long)ev->seq, ev->cpu,
		       name ? "range." : "phys", name ? name : "",
		       ev->action == RAMPART_ACT_DENY ? "deny" : "log",
		       (unsigned long long)ev->old,
		       (unsigned long long)ev->attempted,
		       ev->bits & 1 ? " read" : "", ev->bits & 2 ? " write" : "",
		       ev->bits & 4 ? " fetch" : "",
		       ev->bits & POKE_ANY ? " poke_refused" : "",
		       ev->bits & RAMPART_POKE_CONTEXT ? " context" : "",
		       ev->bits & RAMPART_POKE_CR3 ? " cr3" : "",
		       ev->bits & RAMPART_POKE_ADDR ? " addr" : "",
		       ev->bits & RAMPART_POKE_RIP ? " rip" : "",
		       (unsigned long long)ev->rip, ev->line,
		       (unsigned long long)ev->tsc);
		return;
	case RAMPART_EVENT_CPU:
		/* Root refused or did something to the CPU itself. */
		name = rp_name_of(rp_cpu_event_names, ev->asset);
		printf("seq %llu cpu %u cpu.%s %s 0x%llx 0x%llx rip 0x%llx tsc %llu\n",
		       (unsigned long long)ev->seq, ev->cpu, name ? name : "?",
		       ev->action == RAMPART_ACT_LOG ? "log" : "deny",
		       (unsigned long long)ev->old,
		       (unsigned long long)ev->attempted,
		       (unsigned long long)ev->rip,
		       (unsigned long long)ev->tsc);
		return;
	default:
		snprintf(asset, sizeof(asset), "kind%u:0x%x", ev->kind,
			 ev->asset);
		break;
	}
	if (ev->action == RAMPART_ACT_DENY && ev->deny == RAMPART_DENY_GP)
		snprintf(action, sizeof(action), "deny gp");
	else if (ev->action == RAMPART_ACT_DENY &&
		 ev->deny == RAMPART_DENY_IGNORE)
		snprintf(action, sizeof(action), "deny ignore");
	else if (ev->action == RAMPART_ACT_DENY)
		snprintf(action, sizeof(action), "deny");
	else if (ev->action == RAMPART_ACT_LOG)
		snprintf(action, sizeof(action), "log");
	else if (ev->action == RAMPART_ACT_ALLOW)
		snprintf(action, sizeof(action), "allow");
	else
		snprintf(action, sizeof(action), "action%u", ev->action);
	printf("seq %llu cpu %u %s %s 0x%llx -> 0x%llx bits 0x%llx%s%s%s rip 0x%llx line %u tsc %llu\n",
	       (unsigned long long)ev->seq, ev->cpu, asset, action,
	       (unsigned long long)ev->old,
	       (unsigned long long)ev->attempted,
	       (unsigned long long)ev->bits, names[0] ? " (" : "", names,
	       names[0] ? ")" : "", (unsigned long long)ev->rip, ev->line,
	       (unsigned long long)ev->tsc);
}

/* One record read from the log, with the gap before it. */
struct ev_ent {
	struct rampart_event ev;
	u64 dropped;
};

static void print_ent(const struct ev_ent *ent)
{
	if (ent->dropped)
		printf("%llu events dropped\n",
		       (unsigned long long)ent->dropped);
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

static void on_signal(int sig __maybe_unused)
{
	stop = 1;
}

/* events --first: root's records after the seal, from events/first. */
static int cmd_events_first(void)
{
	struct rampart_event buf[EV_BATCH];
	unsigned long long sealed = 0;
	char path[4096];
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
	if (!read_num("events/sealed", &sealed))
		printf("%llu events since the seal\n", sealed);
	return EX_OK;
}

static int cmd_events(int argc, char **argv)
{
	unsigned long long total, keep = 0;
	struct ev_sink sink = { .direct = true };
	bool follow = false, have_n = false;
	char path[4096], *end;
	const char *arg;
	u64 next = 1;
	int i, fd;
	long r;

	if (argc == 2 && !strcmp(argv[1], "--first"))
		return cmd_events_first();
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--follow")) {
			follow = true;
			continue;
		}
		if (!strcmp(argv[i], "-n")) {
			if (++i >= argc)
				return usage("-n needs a number");
			arg = argv[i];
		} else if (!strncmp(argv[i], "-n", 2)) {
			arg = argv[i] + 2;
		} else {
			return usage("events: unknown argument '%s'", argv[i]);
		}
		errno = 0;
		keep = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || arg[0] == '-' ||
		    keep > (1u << 20))
			return usage("events: bad count '%s'", arg);
		have_n = true;
	}
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
	r = read_events(fd, &next, &sink);
	if (!sink.direct)
		sink_flush(&sink);
	free(sink.ring);
	sink.direct = true;
	if (r < 0) {
		close(fd);
		return fail("%s: %s", path, strerror(-r));
	}
	if (follow) {
		struct sigaction sa = { .sa_handler = on_signal };
		struct timespec ts = { 0, FOLLOW_NS };

		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		fflush(stdout);
		while (!stop) {
			nanosleep(&ts, NULL);
			if (stop)
				break;
			r = read_events(fd, &next, &sink);
			if (r < 0) {
				close(fd);
				return fail("%s: %s", path, strerror(-r));
			}
			if (r)
				fflush(stdout);
		}
	}
	close(fd);
	return EX_OK;
}

/**
 * main() - rampartctl entry point.
 * @argc: argument count.
 * @argv: [--sysfs DIR] COMMAND [ARGS].
 *
 * Return: 0 on success, 1 on failure, 2 on a usage error.
 */
int main(int argc, char **argv)
{
	const char *env = getenv("RAMPART_SYSFS");
	const char *cmd;
	int i = 1;

	if (env && *env)
		sysfs_root = env;
	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		if (!strcmp(argv[i], "--sysfs")) {
			if (i + 1 >= argc)
				return usage("--sysfs needs a directory");
			sysfs_root = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--sysfs=", 8)) {
			sysfs_root = argv[i] + 8;
			i++;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			fputs(help_text, stdout);
			return EX_OK;
		} else {
			return usage("unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc)
		return usage("no command");
	cmd = argv[i];
	argc -= i;
	argv += i;
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
	return usage("unknown command '%s'", cmd);
}
