// SPDX-License-Identifier: GPL-2.0-only
/*
 * hotpath MODE N: run N operations of one kind and report how many VM
 * exits they caused, by reason, summed over all CPUs from
 * /sys/kernel/rampart/cpus/cpuN/exits/. The counters are read after the
 * process has started, so exits of its own start-up (glibc runs CPUID)
 * are not counted.
 *
 * Modes: syscall (getppid), fork (fork, child exits, wait), exec (fork and
 * exec of this program, which exits at once), fault (mmap, touch, munmap
 * of 4 pages), ctxsw (pipe ping-pong with a child), file (write, read back
 * and unlink 64 KiB in /tmp), timer (1 ms sleeps), modload (load and
 * unload /lib/modules/rampart/rp_dummy.ko), cpuid (the reference: CPUID
 * always exits, SDM 26.1.2), ldtsw and iopermsw (ctxsw between processes
 * that have an LDT, or an I/O bitmap: the kernel reloads LDTR or TR on
 * those switches, which exit under range.idt; exit status 3 where the
 * kernel has no modify_ldt() or ioperm()).
 *
 * Output: "HOTPATH mode=M ops=N ns_per_op=T exits=E [reason=count ...]";
 * modload adds "HOTPATH-MODLOAD ops=N load_ns_per_op=L unload_ns_per_op=U
 * min_ns=A max_ns=B" (one load and unload: the fastest and the slowest).
 *
 * hotpath dump: print "reason count" for every counter, summed over CPUs,
 * read by one process (a shell loop of cat would add each cat's own
 * start-up CPUIDs between the reads).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/ldt.h>
#include <errno.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REASONS 128
#define SYS "/sys/kernel/rampart/cpus"

struct counts {
	int n;
	char name[MAX_REASONS][256];
	unsigned long long v[MAX_REASONS];
};

static unsigned long long read_ull(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* Sum every exits/<reason> over all CPUs. */
static void snapshot(struct counts *c)
{
	char path[1024];
	DIR *cpus = opendir(SYS), *ex;
	struct dirent *d, *e;
	int i;

	memset(c, 0, sizeof(*c));
	if (!cpus)
		return;		/* Rampart not loaded: a baseline run */
	while ((d = readdir(cpus))) {
		if (strncmp(d->d_name, "cpu", 3))
			continue;
		snprintf(path, sizeof(path), SYS "/%s/exits", d->d_name);
		ex = opendir(path);
		if (!ex)
			continue;
		while ((e = readdir(ex))) {
			if (e->d_name[0] == '.')
				continue;
			for (i = 0; i < c->n; i++)
				if (!strcmp(c->name[i], e->d_name))
					break;
			if (i == c->n && c->n < MAX_REASONS)
				strcpy(c->name[c->n++], e->d_name);
			snprintf(path, sizeof(path), SYS "/%s/exits/%s",
				 d->d_name, e->d_name);
			c->v[i] += read_ull(path);
		}
		closedir(ex);
	}
	closedir(cpus);
}

static void run_syscall(long n)
{
	while (n--)
		syscall(SYS_getppid);
}

static void run_fault(long n)
{
	while (n--) {
		char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int i;

		if (p == MAP_FAILED)
			exit(2);
		for (i = 0; i < 4; i++)
			p[i * 4096] = 1;
		munmap(p, 4 * 4096);
	}
}

static void run_ctxsw(long n)
{
	int a[2], b[2];
	char c = 0;
	pid_t pid;

	if (pipe(a) || pipe(b))
		exit(2);
	pid = fork();
	if (pid == 0) {
		close(a[1]);	/* so that the parent's close means EOF */
		close(b[0]);
		while (read(a[0], &c, 1) == 1 && write(b[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	while (n--)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			exit(2);
	close(a[1]);
	waitpid(pid, NULL, 0);
}

/* Exit status 3: the kernel lacks what a mode needs. */
static void unavailable(const char *what)
{
	printf("HOTPATH missing %s: %s\n", what, strerror(errno));
	exit(3);
}

static void run_ldtsw(long n)
{
	struct user_desc d = {
		.limit = 0xfff, .seg_32bit = 1, .useable = 1,
	};

	if (syscall(SYS_modify_ldt, 1, &d, sizeof(d)))
		unavailable("modify_ldt");
	run_ctxsw(n);
}

static void run_iopermsw(long n)
{
	if (ioperm(0x80, 1, 1))
		unavailable("ioperm");
	run_ctxsw(n);
}

static void run_fork(long n)
{
	while (n--) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			exit(2);
	}
}

static void run_exec(long n)
{
	while (n--) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/proc/self/exe", "hotpath", "noop", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			exit(2);
	}
}

static void run_file(long n)
{
	static char buf[65536];

	while (n--) {
		int fd = open("/tmp/hotpath.f", O_CREAT | O_TRUNC | O_RDWR, 0600);

		if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) ||
		    pread(fd, buf, sizeof(buf), 0) != sizeof(buf))
			exit(2);
		close(fd);
		unlink("/tmp/hotpath.f");
	}
}

static long long ns_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* modload's split: load and unload time, and the fastest and slowest op. */
static struct {
	long long load, unload, min, max;
	long n;
} modsplit;

static void run_modload(long n)
{
	int fd = open("/lib/modules/rampart/rp_dummy.ko", O_RDONLY | O_CLOEXEC);
	long long t0, t1, t2;

	if (fd < 0)
		exit(2);
	modsplit.min = -1;
	while (n--) {
		t0 = ns_now();
		if (syscall(SYS_finit_module, fd, "", 0))
			exit(2);
		t1 = ns_now();
		if (syscall(SYS_delete_module, "rp_dummy", O_NONBLOCK))
			exit(2);
		t2 = ns_now();
		modsplit.load += t1 - t0;
		modsplit.unload += t2 - t1;
		if (modsplit.min < 0 || t2 - t0 < modsplit.min)
			modsplit.min = t2 - t0;
		if (t2 - t0 > modsplit.max)
			modsplit.max = t2 - t0;
		modsplit.n++;
	}
	close(fd);
}

static void run_timer(long n)
{
	struct timespec ts = { 0, 1000000 };

	while (n--)
		nanosleep(&ts, NULL);
}

static void run_cpuid(long n)
{
	unsigned int a, b, c, d;

	while (n--) {
		a = 0;
		c = 0;
		asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	}
}

static const struct {
	const char *name;
	void (*fn)(long n);
} modes[] = {
	{ "syscall", run_syscall },
	{ "fork", run_fork },
	{ "exec", run_exec },
	{ "fault", run_fault },
	{ "ctxsw", run_ctxsw },
	{ "ldtsw", run_ldtsw },
	{ "iopermsw", run_iopermsw },
	{ "file", run_file },
	{ "timer", run_timer },
	{ "modload", run_modload },
	{ "cpuid", run_cpuid },
};

int main(int argc, char **argv)
{
	struct counts before, after;
	struct timespec t0, t1;
	unsigned long long total = 0;
	size_t m;
	long n;
	int i;

	if (argc == 2 && !strcmp(argv[1], "noop"))
		return 0;
	if (argc == 2 && !strcmp(argv[1], "dump")) {
		snapshot(&before);
		for (i = 0; i < before.n; i++)
			printf("%s %llu\n", before.name[i], before.v[i]);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: hotpath MODE N | dump | noop\n");
		return 2;
	}
	n = atol(argv[2]);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		if (!strcmp(argv[1], modes[m].name))
			break;
	if (m == sizeof(modes) / sizeof(modes[0]) || n <= 0) {
		fprintf(stderr, "hotpath: bad mode or count\n");
		return 2;
	}
	snapshot(&before);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	modes[m].fn(n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snapshot(&after);

	for (i = 0; i < after.n; i++)
		if (strcmp(after.name[i], "total"))
			total += after.v[i] - (i < before.n ? before.v[i] : 0);
	printf("HOTPATH mode=%s ops=%ld ns_per_op=%lld exits=%llu", argv[1], n,
	       ((t1.tv_sec - t0.tv_sec) * 1000000000LL +
		(t1.tv_nsec - t0.tv_nsec)) / n, total);
	for (i = 0; i < after.n; i++) {
		unsigned long long d = after.v[i] - (i < before.n ? before.v[i] : 0);

		if (d && strcmp(after.name[i], "total"))
			printf(" %s=%llu", after.name[i], d);
	}
	printf("\n");
	if (modsplit.n)
		printf("HOTPATH-MODLOAD ops=%ld load_ns_per_op=%lld unload_ns_per_op=%lld min_ns=%lld max_ns=%lld\n",
		       modsplit.n, modsplit.load / modsplit.n,
		       modsplit.unload / modsplit.n, modsplit.min, modsplit.max);
	return 0;
}
