// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmtest: run small guests through /dev/kvm and check every exit they
 * cause. Prints TAP (one test point per sub-test, timings as "#" lines);
 * the descriptions hold no timing, so two runs' "ok"/"not ok" lines can be
 * diffed (bare KVM against KVM under Rampart). Exit status 0 only when
 * every test point passed.
 *
 *   kvmtest [-n IO] [-c CYCLES] [-e] [TEST...]
 *
 * Tests (default: all of them, in this order):
 *   real    real mode: IO one-byte OUTs (DX = port, AL counting up), HLT
 *   long    64-bit mode under 4-level paging (GDT, CR0/CR4/EFER set with
 *           KVM_SET_SREGS): memory write and read back, a 32-bit OUT, IO/10
 *           OUTs, a 4-byte MMIO write and an 8-byte MMIO read of an
 *           unbacked guest-physical page, the read value stored, HLT
 *   syscall the 64-bit guest as a Linux guest uses SYSCALL/SYSRET: the host
 *           sets STAR, LSTAR, CSTAR, SYSCALL_MASK, KERNEL_GS_BASE
 *           (KVM_SET_MSRS) and EFER.SCE to values no host kernel uses; a
 *           SYSCALL from CPL0, SYSRET to CPL3, IO/10 SYSCALLs from CPL3
 *           and a last one, each to the guest's LSTAR handler (SWAPGS,
 *           a read through the kernel GS base, SWAPGS, a 4-byte OUT of
 *           the call's number, SYSRET; HLT after the last); every OUT's
 *           registers checked (RCX, R11, the masked RFLAGS, CS/SS from
 *           STAR, the GS words), the MSRs read back with KVM_GET_MSRS
 *   smp     one VM, two vCPUs, each on its own thread: IO OUTs, HLT
 *   cycle   CYCLES times: create a VM, run a few OUTs and HLT, destroy it
 *   spread  as smp, but one vCPU per allowed CPU, each thread pinned to
 *           its CPU (run once, after the per-CPU sets)
 * -e runs the tests other than spread once on each CPU the process may
 * use, pinned there with sched_setaffinity(); without -e they run once
 * wherever the scheduler puts them. Every vCPU gets the CPUID KVM
 * supports (KVM_SET_CPUID2), as a VMM's would.
 *
 * kvmtest -b ... is the benchmark mode (compute, io, touch; see
 * bench_main() below).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* Guest-physical layout. */
#define MEM_SIZE	0x100000	/* 1 MiB of RAM at guest-physical 0 */
#define GDT_GPA		0x1000
#define PML4_GPA	0x2000
#define PDPT_GPA	0x3000
#define PD_GPA		0x4000
#define PT_GPA		0x5000
#define CODE_GPA	0x8000
#define DATA_GPA	0x9000
#define SYS_ENTRY_GPA	0xa000	/* syscall: the guest's LSTAR handler */
#define SYS_KGS_GPA	0xb000	/* syscall: the guest's KERNEL_GS_BASE */
#define SYS_UGS_GPA	0xc000	/* syscall: the guest's user GS base */
#define MMIO_GPA	0x10000000	/* no memory slot: every access exits */
#define TSS_GPA		0xfffbd000	/* KVM_SET_TSS_ADDR: 3 pages, above RAM */

/* Ports. */
#define PORT_REAL	0x5a
#define PORT_LONG_WORD	0x5b
#define PORT_LONG_LOOP	0x5c
#define PORT_LONG_FAIL	0x5d
#define PORT_SYSCALL	0x5e
#define PORT_SMP	0x60	/* + vCPU index */

/*
 * Values the long-mode guest and the host agree on (no C suffixes: the
 * guest's assembly uses them too).
 */
#define LONG_PATTERN	0x1122334455667788
#define MMIO_WVAL	0xcafef00d
#define MMIO_RVAL	0x0123456789abcdef

/*
 * syscall: the call numbers the guest passes in EAX, which its handler
 * OUTs: SYS_NR_FIRST from CPL0, then n down to 1 from CPL3, then
 * SYS_NR_LAST, after which the handler halts. SYS_KGS_WORD and
 * SYS_UGS_WORD are the words at the kernel and the user GS bases.
 */
#define SYS_NR_FIRST	0x5c5c0000
#define SYS_NR_LAST	0x5c5cffff
#define SYS_KGS_WORD	0x6b65726e656c6773
#define SYS_UGS_WORD	0x7573657267736773

/*
 * Real mode, at CODE_GPA with CS = 0: the host sets AX = first value,
 * CX = count (at least 1), DX = port.
 */
asm(".pushsection .rodata, \"a\"\n"
    ".globl kvmtest_real, kvmtest_real_end\n"
    "kvmtest_real:\n"
    ".code16\n"
    "1:	outb %al, %dx\n"
    "	incw %ax\n"
    "	loop 1b\n"
    "	hlt\n"
    ".code64\n"
    "kvmtest_real_end:\n"
    ".popsection\n");

/*
 * 64-bit mode, at CODE_GPA (identity-mapped): the host sets RSI = number
 * of one-byte OUTs (at least 1).
 */
asm(".pushsection .rodata, \"a\"\n"
    ".globl kvmtest_long, kvmtest_long_hlt, kvmtest_long_end\n"
    "kvmtest_long:\n"
    "	movabs $" STR(LONG_PATTERN) ", %rax\n"
    "	mov $" STR(DATA_GPA) ", %ebx\n"
    "	mov %rax, (%rbx)\n"
    "	mov (%rbx), %rcx\n"
    "	cmp %rax, %rcx\n"
    "	jne 2f\n"
    "	mov $" STR(PORT_LONG_WORD) ", %dx\n"
    "	mov %ecx, %eax\n"
    "	out %eax, %dx\n"
    "	mov %rsi, %rcx\n"
    "	xor %eax, %eax\n"
    "1:	out %al, $" STR(PORT_LONG_LOOP) "\n"
    "	inc %eax\n"
    "	loop 1b\n"
    "	mov $" STR(MMIO_GPA) ", %ebx\n"
    "	movl $" STR(MMIO_WVAL) ", (%rbx)\n"
    "	mov 8(%rbx), %rax\n"
    "	mov %rax, " STR(DATA_GPA) " + 8\n"
    "kvmtest_long_hlt:\n"
    "	hlt\n"
    "2:	mov $" STR(PORT_LONG_FAIL) ", %dx\n"
    "	out %eax, %dx\n"
    "	hlt\n"
    "kvmtest_long_end:\n"
    ".popsection\n");

/*
 * syscall, at CODE_GPA (a user page) in 64-bit mode at CPL0: the host
 * sets ESI = number of calls from CPL3 (at least 1) and RFLAGS. Only
 * MOVs before the first SYSCALL, so its R11 is exactly the host's
 * RFLAGS; the loop's DEC changes only the arithmetic flags.
 */
asm(".pushsection .rodata, \"a\"\n"
    ".globl kvmtest_sys, kvmtest_sys_ret0, kvmtest_sys_ret1\n"
    ".globl kvmtest_sys_ret2, kvmtest_sys_end\n"
    "kvmtest_sys:\n"
    "	mov $" STR(SYS_NR_FIRST) ", %eax\n"
    "	syscall\n"
    "kvmtest_sys_ret0:\n"			/* CPL3 from here on */
    "	mov %cs, %edi\n"
    "	mov %gs:0, %rbx\n"
    "1:	mov %esi, %eax\n"
    "	syscall\n"
    "kvmtest_sys_ret1:\n"
    "	dec %esi\n"
    "	jnz 1b\n"
    "	mov $" STR(SYS_NR_LAST) ", %eax\n"
    "	syscall\n"
    "kvmtest_sys_ret2:\n"
    "	ud2\n"
    "kvmtest_sys_end:\n"
    ".popsection\n");

/*
 * The guest's LSTAR handler, at SYS_ENTRY_GPA (a supervisor page): what
 * a Linux guest's entry does with GS, then one 4-byte OUT of the call's
 * number; SYSRET to CPL3, or HLT after the last call.
 */
asm(".pushsection .rodata, \"a\"\n"
    ".globl kvmtest_sys_entry, kvmtest_sys_out, kvmtest_sys_hlt\n"
    ".globl kvmtest_sys_entry_end\n"
    "kvmtest_sys_entry:\n"
    "	swapgs\n"
    "	mov %gs:0, %rdx\n"
    "	swapgs\n"
    "kvmtest_sys_out:\n"
    "	out %eax, $" STR(PORT_SYSCALL) "\n"
    "	cmp $" STR(SYS_NR_LAST) ", %eax\n"
    "	je 1f\n"
    "	sysretq\n"
    "1:\n"
    "kvmtest_sys_hlt:\n"
    "	hlt\n"
    "	ud2\n"
    "kvmtest_sys_entry_end:\n"
    ".popsection\n");

extern const uint8_t kvmtest_real[], kvmtest_real_end[];
extern const uint8_t kvmtest_sys[], kvmtest_sys_ret0[], kvmtest_sys_ret1[];
extern const uint8_t kvmtest_sys_ret2[], kvmtest_sys_end[];
extern const uint8_t kvmtest_sys_entry[], kvmtest_sys_out[], kvmtest_sys_hlt[];
extern const uint8_t kvmtest_sys_entry_end[];
extern const uint8_t kvmtest_long[], kvmtest_long_hlt[], kvmtest_long_end[];

struct vm {
	int fd;
	uint8_t *mem;
};

struct vcpu {
	int fd;
	struct kvm_run *run;
	unsigned long exits;	/* KVM_RUN returns */
	char err[256];		/* first failure, empty while all is well */
};

#define VCPU_INIT { .fd = -1, .run = MAP_FAILED, .err = "" }

static int kvm_fd;
static int run_size;
static struct kvm_cpuid2 *cpuid;	/* KVM_GET_SUPPORTED_CPUID, for every vCPU */
static int tap_n, tap_failed;
static unsigned long n_io = 1000, n_cycles = 20;
static unsigned long total_exits;
static double total_ms;

static int fail(struct vcpu *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void tap(int ok, const char *err, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok && err && err[0])
		printf("#   %s\n", err);
	fflush(stdout);
}

static void timing(const char *what, unsigned long exits, double ms)
{
	total_exits += exits;
	total_ms += ms;
	printf("# %s: %lu exits in %.3f ms (%.1f us per exit)\n", what, exits,
	       ms, exits ? ms * 1e3 / exits : 0.0);
	fflush(stdout);
}

static const char *reason_name(unsigned int r)
{
	switch (r) {
	case KVM_EXIT_UNKNOWN: return "unknown";
	case KVM_EXIT_EXCEPTION: return "exception";
	case KVM_EXIT_IO: return "io";
	case KVM_EXIT_HLT: return "hlt";
	case KVM_EXIT_MMIO: return "mmio";
	case KVM_EXIT_SHUTDOWN: return "shutdown (triple fault)";
	case KVM_EXIT_FAIL_ENTRY: return "fail_entry";
	case KVM_EXIT_INTR: return "intr";
	case KVM_EXIT_INTERNAL_ERROR: return "internal_error";
	default: return "other";
	}
}

/* Describe an exit that was not the expected one. */
static int unexpected(struct vcpu *c, const char *want)
{
	struct kvm_run *r = c->run;
	struct kvm_regs regs;
	unsigned long long rip = 0;

	if (!ioctl(c->fd, KVM_GET_REGS, &regs))
		rip = regs.rip;
	switch (r->exit_reason) {
	case KVM_EXIT_IO:
		return fail(c, "exit %lu: want %s, got io %s port 0x%x size %u count %u (rip 0x%llx)",
			    c->exits, want, r->io.direction ? "out" : "in",
			    r->io.port, r->io.size, r->io.count, rip);
	case KVM_EXIT_MMIO:
		return fail(c, "exit %lu: want %s, got mmio %s 0x%llx len %u (rip 0x%llx)",
			    c->exits, want, r->mmio.is_write ? "write" : "read",
			    (unsigned long long)r->mmio.phys_addr, r->mmio.len, rip);
	case KVM_EXIT_FAIL_ENTRY:
		return fail(c, "exit %lu: want %s, got fail_entry reason 0x%llx",
			    c->exits, want,
			    (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
	case KVM_EXIT_INTERNAL_ERROR:
		return fail(c, "exit %lu: want %s, got internal_error suberror %u (rip 0x%llx)",
			    c->exits, want, r->internal.suberror, rip);
	default:
		return fail(c, "exit %lu: want %s, got %s (%u) (rip 0x%llx)",
			    c->exits, want, reason_name(r->exit_reason),
			    r->exit_reason, rip);
	}
}

static int vm_create(struct vm *vm, struct vcpu *c)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = MEM_SIZE,
	};

	vm->mem = MAP_FAILED;
	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return fail(c, "KVM_CREATE_VM: %s", strerror(errno));
	/* Intel without unrestricted guest emulates real mode with a TSS. */
	if (ioctl(vm->fd, KVM_SET_TSS_ADDR, TSS_GPA) < 0)
		return fail(c, "KVM_SET_TSS_ADDR: %s", strerror(errno));
	vm->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED)
		return fail(c, "mmap guest memory: %s", strerror(errno));
	region.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail(c, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	return 0;
}

static void vm_destroy(struct vm *vm)
{
	if (vm->mem != MAP_FAILED)
		munmap(vm->mem, MEM_SIZE);
	if (vm->fd >= 0)
		close(vm->fd);
}

static int vcpu_create(struct vm *vm, int id, struct vcpu *c)
{
	c->run = MAP_FAILED;
	c->exits = 0;
	c->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (c->fd < 0)
		return fail(c, "KVM_CREATE_VCPU %d: %s", id, strerror(errno));
	c->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c->fd, 0);
	if (c->run == MAP_FAILED)
		return fail(c, "mmap kvm_run: %s", strerror(errno));
	/*
	 * What a VMM gives its guests: without it the vCPU has no CPUID,
	 * and KVM (6.12) refuses long mode in KVM_SET_SREGS.
	 */
	if (ioctl(c->fd, KVM_SET_CPUID2, cpuid) < 0)
		return fail(c, "KVM_SET_CPUID2: %s", strerror(errno));
	return 0;
}

/* KVM_GET_SUPPORTED_CPUID into cpuid, growing the buffer as KVM asks. */
static int get_cpuid(void)
{
	int n;

	for (n = 64; n <= 4096; n *= 2) {
		cpuid = calloc(1, sizeof(*cpuid) + n * sizeof(cpuid->entries[0]));
		if (!cpuid)
			return -1;
		cpuid->nent = n;
		if (!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid))
			return 0;
		free(cpuid);
		cpuid = NULL;
		if (errno != E2BIG)
			return -1;
	}
	return -1;
}

static void vcpu_destroy(struct vcpu *c)
{
	if (c->run != MAP_FAILED)
		munmap(c->run, run_size);
	if (c->fd >= 0)
		close(c->fd);
}

/* Enter the guest until it exits to user space (a signal just retries). */
static int vcpu_run(struct vcpu *c)
{
	while (ioctl(c->fd, KVM_RUN, 0) < 0) {
		if (errno != EINTR && errno != EAGAIN)
			return fail(c, "KVM_RUN after %lu exits: %s", c->exits,
				    strerror(errno));
	}
	c->exits++;
	return 0;
}

static uint64_t io_data(struct vcpu *c)
{
	uint64_t v = 0;

	memcpy(&v, (uint8_t *)c->run + c->run->io.data_offset, c->run->io.size);
	return v;
}

/* Run until an OUT of SIZE bytes to PORT, and check its value. */
static int expect_out(struct vcpu *c, uint16_t port, int size, uint64_t val)
{
	struct kvm_run *r = c->run;
	char want[64];

	snprintf(want, sizeof(want), "out port 0x%x", port);
	if (vcpu_run(c))
		return -1;
	if (r->exit_reason != KVM_EXIT_IO || r->io.direction != KVM_EXIT_IO_OUT ||
	    r->io.port != port || r->io.size != size || r->io.count != 1)
		return unexpected(c, want);
	if (io_data(c) != val)
		return fail(c, "exit %lu: out port 0x%x: data 0x%llx, want 0x%llx",
			    c->exits, port, (unsigned long long)io_data(c),
			    (unsigned long long)val);
	return 0;
}

static int expect_hlt(struct vcpu *c)
{
	if (vcpu_run(c))
		return -1;
	if (c->run->exit_reason != KVM_EXIT_HLT)
		return unexpected(c, "hlt");
	return 0;
}

/* Real mode at CODE_GPA: N OUTs of AX = FIRST, FIRST + 1, ... to PORT. */
static int real_setup(struct vm *vm, struct vcpu *c, uint16_t port,
		      uint16_t first, unsigned long n)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = {
		.rip = CODE_GPA,
		.rflags = 0x2,
		.rax = first,
		.rcx = n,
		.rdx = port,
	};

	memcpy(vm->mem + CODE_GPA, kvmtest_real, kvmtest_real_end - kvmtest_real);
	if (ioctl(c->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail(c, "KVM_GET_SREGS: %s", strerror(errno));
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(c->fd, KVM_SET_SREGS, &sregs) < 0)
		return fail(c, "KVM_SET_SREGS: %s", strerror(errno));
	if (ioctl(c->fd, KVM_SET_REGS, &regs) < 0)
		return fail(c, "KVM_SET_REGS: %s", strerror(errno));
	return 0;
}

static int real_check(struct vcpu *c, uint16_t port, uint16_t first,
		      unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (expect_out(c, port, 1, (uint8_t)(first + i)))
			return -1;
	return expect_hlt(c);
}

static void test_real(const char *pfx)
{
	struct vm vm;
	struct vcpu c = VCPU_INIT;
	char what[64];
	double t0 = now_ms();

	if (!vm_create(&vm, &c) && !vcpu_create(&vm, 0, &c) &&
	    !real_setup(&vm, &c, PORT_REAL, 0, n_io))
		real_check(&c, PORT_REAL, 0, n_io);
	snprintf(what, sizeof(what), "%sreal", pfx);
	timing(what, c.exits, now_ms() - t0);
	tap(!c.err[0], c.err,
	    "%sreal mode: %lu one-byte OUTs to port 0x%x, data counting up, then HLT",
	    pfx, n_io, PORT_REAL);
	vcpu_destroy(&c);
	vm_destroy(&vm);
}

static void put64(uint8_t *mem, uint64_t gpa, uint64_t v)
{
	memcpy(mem + gpa, &v, sizeof(v));
}

static uint64_t get64(const uint8_t *mem, uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, mem + gpa, sizeof(v));
	return v;
}

/*
 * GDT (null, 64-bit code, data); PML4 -> PDPT -> PD, whose entry 0 points
 * to a page table identity-mapping the first 2 MiB in 4 KiB pages and
 * whose entry MMIO_GPA >> 21 maps the unbacked MMIO_GPA as one 2 MiB page.
 */
static void long_tables(uint8_t *mem)
{
	const uint64_t p = 1, w = 2, ps = 0x80;
	int i;

	put64(mem, GDT_GPA, 0);
	put64(mem, GDT_GPA + 8, 0x00af9b000000ffffULL);
	put64(mem, GDT_GPA + 16, 0x00cf93000000ffffULL);
	put64(mem, PML4_GPA, PDPT_GPA | p | w);
	put64(mem, PDPT_GPA, PD_GPA | p | w);
	put64(mem, PD_GPA, PT_GPA | p | w);
	put64(mem, PD_GPA + 8 * (MMIO_GPA >> 21), MMIO_GPA | p | w | ps);
	for (i = 0; i < 512; i++)
		put64(mem, PT_GPA + 8 * i, ((uint64_t)i << 12) | p | w);
}

/*
 * 64-bit mode under long_tables(), CPL0, the code from CODE to END at
 * CODE_GPA, RSI = N.
 */
static int long_setup(struct vm *vm, struct vcpu *c, const uint8_t *code,
		      const uint8_t *end, unsigned long n)
{
	struct kvm_segment cs = {
		.base = 0, .limit = 0xffffffff, .selector = 8, .type = 11,
		.present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.base = 0, .limit = 0xffffffff, .selector = 16, .type = 3,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = CODE_GPA, .rflags = 0x2, .rsi = n };

	long_tables(vm->mem);
	memcpy(vm->mem + CODE_GPA, code, end - code);
	if (ioctl(c->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail(c, "KVM_GET_SREGS: %s", strerror(errno));
	sregs.cs = cs;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.gdt.base = GDT_GPA;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.cr3 = PML4_GPA;
	sregs.cr4 = 1 << 5;				/* PAE */
	sregs.cr0 = 0x80010033;				/* PG WP NE ET MP PE */
	sregs.efer = (1 << 8) | (1 << 10);		/* LME LMA */
	if (ioctl(c->fd, KVM_SET_SREGS, &sregs) < 0)
		return fail(c, "KVM_SET_SREGS (long mode): %s", strerror(errno));
	if (ioctl(c->fd, KVM_SET_REGS, &regs) < 0)
		return fail(c, "KVM_SET_REGS: %s", strerror(errno));
	return 0;
}

static int long_check(struct vm *vm, struct vcpu *c, unsigned long n)
{
	struct kvm_run *r = c->run;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	uint64_t hlt_rip = CODE_GPA + (kvmtest_long_hlt - kvmtest_long) + 1;
	uint64_t v;
	unsigned long i;

	if (ioctl(c->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail(c, "KVM_GET_SREGS: %s", strerror(errno));
	if (!(sregs.efer & (1 << 10)) || !sregs.cs.l)
		return fail(c, "not in 64-bit mode after KVM_SET_SREGS (efer 0x%llx, cs.l %u)",
			    (unsigned long long)sregs.efer, sregs.cs.l);
	if (expect_out(c, PORT_LONG_WORD, 4, (uint32_t)LONG_PATTERN))
		return -1;
	for (i = 0; i < n; i++)
		if (expect_out(c, PORT_LONG_LOOP, 1, (uint8_t)i))
			return -1;
	/* The 4-byte MMIO write. */
	if (vcpu_run(c))
		return -1;
	if (r->exit_reason != KVM_EXIT_MMIO || !r->mmio.is_write ||
	    r->mmio.phys_addr != MMIO_GPA || r->mmio.len != 4)
		return unexpected(c, "mmio write of 4 bytes at " STR(MMIO_GPA));
	v = 0;
	memcpy(&v, r->mmio.data, 4);
	if (v != MMIO_WVAL)
		return fail(c, "mmio write data 0x%llx, want 0x%x",
			    (unsigned long long)v, MMIO_WVAL);
	/* The 8-byte MMIO read: the value is ours to give. */
	if (vcpu_run(c))
		return -1;
	if (r->exit_reason != KVM_EXIT_MMIO || r->mmio.is_write ||
	    r->mmio.phys_addr != MMIO_GPA + 8 || r->mmio.len != 8)
		return unexpected(c, "mmio read of 8 bytes at " STR(MMIO_GPA) " + 8");
	v = MMIO_RVAL;
	memcpy(r->mmio.data, &v, 8);
	if (expect_hlt(c))
		return -1;
	if (ioctl(c->fd, KVM_GET_REGS, &regs) < 0)
		return fail(c, "KVM_GET_REGS: %s", strerror(errno));
	if (regs.rip != hlt_rip || regs.rax != MMIO_RVAL)
		return fail(c, "after HLT: rip 0x%llx rax 0x%llx, want 0x%llx 0x%llx",
			    regs.rip, regs.rax, (unsigned long long)hlt_rip,
			    (unsigned long long)MMIO_RVAL);
	if (get64(vm->mem, DATA_GPA) != LONG_PATTERN ||
	    get64(vm->mem, DATA_GPA + 8) != MMIO_RVAL)
		return fail(c, "guest memory: 0x%llx 0x%llx, want 0x%llx 0x%llx",
			    (unsigned long long)get64(vm->mem, DATA_GPA),
			    (unsigned long long)get64(vm->mem, DATA_GPA + 8),
			    (unsigned long long)LONG_PATTERN,
			    (unsigned long long)MMIO_RVAL);
	return 0;
}

static void test_long(const char *pfx)
{
	unsigned long n = n_io / 10 ? n_io / 10 : 1;
	struct vm vm;
	struct vcpu c = VCPU_INIT;
	char what[64];
	double t0 = now_ms();

	if (!vm_create(&vm, &c) && !vcpu_create(&vm, 0, &c) &&
	    !long_setup(&vm, &c, kvmtest_long, kvmtest_long_end, n))
		long_check(&vm, &c, n);
	snprintf(what, sizeof(what), "%slong", pfx);
	timing(what, c.exits, now_ms() - t0);
	tap(!c.err[0], c.err,
	    "%s64-bit paged guest: memory write/read, OUTs (1 dword, %lu bytes), MMIO write 4 at 0x%x, MMIO read 8 at 0x%x, HLT",
	    pfx, n, MMIO_GPA, MMIO_GPA + 8);
	vcpu_destroy(&c);
	vm_destroy(&vm);
}

/*
 * syscall: the guest's SYSCALL MSRs, none of them what a host kernel
 * would hold (Linux: STAR 0x0023001000000000, LSTAR and CSTAR kernel text
 * addresses, SYSCALL_MASK 0x47700, KERNEL_GS_BASE 0 or a user value).
 * STAR[47:32] = 8: SYSCALL loads CS 8 and SS 16 (long_tables()' kernel
 * code and data); STAR[63:48] = 0x1b: SYSRET to 64-bit loads CS 0x2b and
 * SS 0x23 (the user descriptors sys_setup() adds at 40 and 32).
 */
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define EFER_SCE		(1 << 0)
#define SYS_STAR		0x001b000800000000ULL
#define SYS_CSTAR		0x6000ULL	/* compat target: never used here */
#define SYS_MASK		0x47700ULL	/* AC NT IOPL DF IF TF, as Linux */
#define SYS_KERNEL_CS		0x08
#define SYS_KERNEL_SS		0x10
#define SYS_USER_CS		0x2b
#define SYS_USER_SS		0x23
/* The caller's RFLAGS: DF and AC, both in SYS_MASK. */
#define SYS_RFLAGS		0x40402ULL
/* CF PF AF ZF SF OF: the loop's DEC sets them. */
#define RFLAGS_ARITH		0x8d5ULL

static const struct {
	uint32_t index;
	uint64_t value;
	const char *name;
} sys_msrs[] = {
	{ MSR_STAR, SYS_STAR, "STAR" },
	{ MSR_LSTAR, SYS_ENTRY_GPA, "LSTAR" },
	{ MSR_CSTAR, SYS_CSTAR, "CSTAR" },
	{ MSR_SYSCALL_MASK, SYS_MASK, "SYSCALL_MASK" },
	{ MSR_KERNEL_GS_BASE, SYS_KGS_GPA, "KERNEL_GS_BASE" },
};
#define SYS_NMSRS (sizeof(sys_msrs) / sizeof(sys_msrs[0]))

static struct kvm_msrs *sys_msr_list(void)
{
	struct kvm_msrs *m = calloc(1, sizeof(*m) +
				    SYS_NMSRS * sizeof(struct kvm_msr_entry));
	unsigned int i;

	if (!m)
		return NULL;
	m->nmsrs = SYS_NMSRS;
	for (i = 0; i < SYS_NMSRS; i++)
		m->entries[i].index = sys_msrs[i].index;
	return m;
}

/* KVM_GET_MSRS: every one of sys_msrs[] holds the guest's value. */
static int sys_msrs_check(struct vcpu *c, const char *when)
{
	struct kvm_msrs *m = sys_msr_list();
	unsigned int i;
	int n;

	if (!m)
		return fail(c, "out of memory");
	n = ioctl(c->fd, KVM_GET_MSRS, m);
	if (n != (int)SYS_NMSRS) {
		free(m);
		return fail(c, "KVM_GET_MSRS %s: %d of %zu MSRs read (%s)", when,
			    n, SYS_NMSRS, n < 0 ? strerror(errno) : "short");
	}
	for (i = 0; i < SYS_NMSRS; i++)
		if (m->entries[i].data != sys_msrs[i].value) {
			fail(c, "KVM_GET_MSRS %s: %s 0x%llx, want 0x%llx", when,
			     sys_msrs[i].name,
			     (unsigned long long)m->entries[i].data,
			     (unsigned long long)sys_msrs[i].value);
			break;
		}
	free(m);
	return c->err[0] ? -1 : 0;
}

static int sys_setup(struct vm *vm, struct vcpu *c, unsigned long n)
{
	const uint64_t u = 4;	/* U/S */
	struct kvm_msrs *m;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	unsigned int i;
	int r;

	if (long_setup(vm, c, kvmtest_sys, kvmtest_sys_end, n))
		return -1;
	/* User descriptors: 32-bit code (unused), data, 64-bit code. */
	put64(vm->mem, GDT_GPA + 24, 0x00cffb000000ffffULL);
	put64(vm->mem, GDT_GPA + 32, 0x00cff3000000ffffULL);
	put64(vm->mem, GDT_GPA + 40, 0x00affb000000ffffULL);
	/* CPL3 may use the code page and the user GS page, nothing else. */
	vm->mem[PML4_GPA] |= u;
	vm->mem[PDPT_GPA] |= u;
	vm->mem[PD_GPA] |= u;
	vm->mem[PT_GPA + 8 * (CODE_GPA >> 12)] |= u;
	vm->mem[PT_GPA + 8 * (SYS_UGS_GPA >> 12)] |= u;
	memcpy(vm->mem + SYS_ENTRY_GPA, kvmtest_sys_entry,
	       kvmtest_sys_entry_end - kvmtest_sys_entry);
	put64(vm->mem, SYS_KGS_GPA, SYS_KGS_WORD);
	put64(vm->mem, SYS_UGS_GPA, SYS_UGS_WORD);

	if (ioctl(c->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail(c, "KVM_GET_SREGS: %s", strerror(errno));
	sregs.gdt.limit = 6 * 8 - 1;
	sregs.gs.base = SYS_UGS_GPA;
	sregs.efer |= EFER_SCE;
	if (ioctl(c->fd, KVM_SET_SREGS, &sregs) < 0)
		return fail(c, "KVM_SET_SREGS (EFER.SCE): %s", strerror(errno));
	if (ioctl(c->fd, KVM_GET_REGS, &regs) < 0)
		return fail(c, "KVM_GET_REGS: %s", strerror(errno));
	regs.rflags = SYS_RFLAGS;
	if (ioctl(c->fd, KVM_SET_REGS, &regs) < 0)
		return fail(c, "KVM_SET_REGS: %s", strerror(errno));

	m = sys_msr_list();
	if (!m)
		return fail(c, "out of memory");
	for (i = 0; i < SYS_NMSRS; i++)
		m->entries[i].data = sys_msrs[i].value;
	r = ioctl(c->fd, KVM_SET_MSRS, m);
	free(m);
	if (r != (int)SYS_NMSRS)
		return fail(c, "KVM_SET_MSRS: %d of %zu MSRs set (%s)", r,
			    SYS_NMSRS, r < 0 ? strerror(errno) : "short");
	return sys_msrs_check(c, "before the run");
}

/*
 * The handler's OUT of call number NR: the handler's RIP, SYSCALL's CS,
 * SS and RFLAGS (the caller's, less SYSCALL_MASK), RCX = RET (the
 * caller's next instruction), R11 = the caller's RFLAGS (in the bits of
 * R11_MASK), RDX = the word at KERNEL_GS_BASE and the user GS base back
 * in GS; from CPL3 also the caller's CS (RDI) and its GS word (RBX).
 */
static int sys_out(struct vcpu *c, uint32_t nr, const uint8_t *ret,
		   uint64_t r11_mask, int cpl3)
{
	uint64_t out = SYS_ENTRY_GPA + (kvmtest_sys_out - kvmtest_sys_entry);
	uint64_t rcx = CODE_GPA + (ret - kvmtest_sys);
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (expect_out(c, PORT_SYSCALL, 4, nr))
		return -1;
	if (ioctl(c->fd, KVM_GET_REGS, &regs) < 0)
		return fail(c, "KVM_GET_REGS: %s", strerror(errno));
	if (ioctl(c->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail(c, "KVM_GET_SREGS: %s", strerror(errno));
	/* The OUT is 2 bytes: RIP at it, or past it once completed. */
	if (regs.rip != out && regs.rip != out + 2)
		return fail(c, "call 0x%x: OUT at rip 0x%llx, want the handler's 0x%llx (LSTAR not in force?)",
			    nr, regs.rip, (unsigned long long)out);
	if (sregs.cs.selector != SYS_KERNEL_CS || sregs.cs.dpl != 0 ||
	    !sregs.cs.l || sregs.ss.selector != SYS_KERNEL_SS)
		return fail(c, "call 0x%x: handler CS 0x%x (dpl %u, l %u) SS 0x%x, want 0x%x (0, 1) 0x%x",
			    nr, sregs.cs.selector, sregs.cs.dpl, sregs.cs.l,
			    sregs.ss.selector, SYS_KERNEL_CS, SYS_KERNEL_SS);
	if (regs.rcx != rcx)
		return fail(c, "call 0x%x: RCX 0x%llx, want the return RIP 0x%llx",
			    nr, regs.rcx, (unsigned long long)rcx);
	if ((regs.r11 & r11_mask) != (SYS_RFLAGS & r11_mask))
		return fail(c, "call 0x%x: R11 0x%llx, want RFLAGS 0x%llx (in bits 0x%llx)",
			    nr, regs.r11, SYS_RFLAGS,
			    (unsigned long long)r11_mask);
	if (regs.rflags != ((regs.r11 & ~SYS_MASK) | 2))
		return fail(c, "call 0x%x: handler RFLAGS 0x%llx, want 0x%llx (R11 less SYSCALL_MASK 0x%llx)",
			    nr, regs.rflags,
			    (unsigned long long)((regs.r11 & ~SYS_MASK) | 2),
			    SYS_MASK);
	if (regs.rdx != SYS_KGS_WORD || sregs.gs.base != SYS_UGS_GPA)
		return fail(c, "call 0x%x: word read after SWAPGS 0x%llx (want 0x%llx), GS base after two 0x%llx (want 0x%x)",
			    nr, regs.rdx, (unsigned long long)SYS_KGS_WORD,
			    sregs.gs.base, SYS_UGS_GPA);
	if (cpl3 && (regs.rdi != SYS_USER_CS || regs.rbx != SYS_UGS_WORD))
		return fail(c, "call 0x%x: caller's CS 0x%llx GS word 0x%llx, want 0x%x 0x%llx (SYSRET to CPL3)",
			    nr, regs.rdi, regs.rbx, SYS_USER_CS,
			    (unsigned long long)SYS_UGS_WORD);
	return 0;
}

static int sys_check(struct vcpu *c, unsigned long n)
{
	uint64_t hlt_rip = SYS_ENTRY_GPA + (kvmtest_sys_hlt - kvmtest_sys_entry) + 1;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	unsigned long i;

	if (sys_out(c, SYS_NR_FIRST, kvmtest_sys_ret0, ~0ULL, 0))
		return -1;
	for (i = n; i > 0; i--)
		if (sys_out(c, i, kvmtest_sys_ret1, ~RFLAGS_ARITH, 1))
			return -1;
	if (sys_out(c, SYS_NR_LAST, kvmtest_sys_ret2, ~RFLAGS_ARITH, 1))
		return -1;
	if (expect_hlt(c))
		return -1;
	if (ioctl(c->fd, KVM_GET_REGS, &regs) < 0)
		return fail(c, "KVM_GET_REGS: %s", strerror(errno));
	if (ioctl(c->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail(c, "KVM_GET_SREGS: %s", strerror(errno));
	if (regs.rip != hlt_rip || sregs.cs.selector != SYS_KERNEL_CS)
		return fail(c, "after HLT: rip 0x%llx CS 0x%x, want 0x%llx 0x%x",
			    regs.rip, sregs.cs.selector,
			    (unsigned long long)hlt_rip, SYS_KERNEL_CS);
	if (!(sregs.efer & EFER_SCE))
		return fail(c, "after HLT: EFER 0x%llx without SCE",
			    (unsigned long long)sregs.efer);
	return sys_msrs_check(c, "after the run");
}

static void test_syscall(const char *pfx)
{
	unsigned long n = n_io / 10 ? n_io / 10 : 1;
	struct vm vm;
	struct vcpu c = VCPU_INIT;
	char what[64];
	double t0 = now_ms();

	if (!vm_create(&vm, &c) && !vcpu_create(&vm, 0, &c) &&
	    !sys_setup(&vm, &c, n))
		sys_check(&c, n);
	snprintf(what, sizeof(what), "%ssyscall", pfx);
	timing(what, c.exits, now_ms() - t0);
	tap(!c.err[0], c.err,
	    "%s64-bit guest with its own STAR, LSTAR 0x%x, CSTAR, SYSCALL_MASK 0x%llx, KERNEL_GS_BASE, EFER.SCE: SYSCALL from CPL0, SYSRET to CPL3, %lu + 1 SYSCALLs from CPL3, each to the LSTAR handler (SWAPGS twice, OUT to port 0x%x, SYSRET), HLT; MSRs read back",
	    pfx, SYS_ENTRY_GPA, SYS_MASK, n, PORT_SYSCALL);
	vcpu_destroy(&c);
	vm_destroy(&vm);
}

struct smp_arg {
	struct vcpu c;
	int id;
	int cpu;	/* pin the thread here; -1: leave it */
};

static void *smp_thread(void *p)
{
	struct smp_arg *a = p;
	cpu_set_t set;

	if (a->cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(a->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fail(&a->c, "vCPU %d: pin to cpu%d: %s", a->id, a->cpu,
			     strerror(errno));
			return NULL;
		}
	}
	real_check(&a->c, PORT_SMP + a->id, a->id * 1000, n_io);
	return NULL;
}

/*
 * One VM with N vCPUs running the real-mode loop, each vCPU on a thread
 * of its own (pinned to CPUS[i] when CPUS is given).
 */
static void run_smp(const char *pfx, int n, const int *cpus, const char *desc)
{
	struct smp_arg *a = calloc(n, sizeof(*a));
	pthread_t *t = calloc(n, sizeof(*t));
	struct vcpu top = VCPU_INIT;
	struct vm vm;
	char what[64];
	unsigned long exits = 0;
	int i, started = 0;
	double t0 = now_ms();

	if (!a || !t) {
		fail(&top, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		a[i].c.fd = -1;
		a[i].c.run = MAP_FAILED;
	}
	if (vm_create(&vm, &top))
		goto join;
	for (i = 0; i < n; i++) {
		a[i].id = i;
		a[i].cpu = cpus ? cpus[i] : -1;
		if (vcpu_create(&vm, i, &a[i].c) ||
		    real_setup(&vm, &a[i].c, PORT_SMP + i, i * 1000, n_io)) {
			fail(&top, "vCPU %d: %s", i, a[i].c.err);
			goto join;
		}
	}
	for (started = 0; started < n; started++) {
		errno = pthread_create(&t[started], NULL, smp_thread, &a[started]);
		if (errno) {
			fail(&top, "pthread_create: %s", strerror(errno));
			break;
		}
	}
join:
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < n; i++) {
		exits += a[i].c.exits;
		if (a[i].c.err[0])
			fail(&top, "vCPU %d: %s", i, a[i].c.err);
		vcpu_destroy(&a[i].c);
	}
	vm_destroy(&vm);
out:
	snprintf(what, sizeof(what), "%s%s", pfx, desc);
	timing(what, exits, now_ms() - t0);
	tap(!top.err[0], top.err,
	    "%s%s: one VM, %d vCPUs on threads of their own, %lu OUTs each to its own port, then HLT",
	    pfx, desc, n, n_io);
	free(a);
	free(t);
}

static void test_smp(const char *pfx)
{
	run_smp(pfx, 2, NULL, "smp");
}

static void test_cycle(const char *pfx)
{
	struct vcpu c = VCPU_INIT;
	unsigned long i, exits = 0;
	char what[64];
	double t0 = now_ms(), t1, t2, t3, create = 0, run = 0, destroy = 0;

	for (i = 0; i < n_cycles && !c.err[0]; i++) {
		struct vm vm;
		struct vcpu v = VCPU_INIT;

		t1 = now_ms();
		if (!vm_create(&vm, &v) && !vcpu_create(&vm, 0, &v) &&
		    !real_setup(&vm, &v, PORT_REAL, 0, 10)) {
			t2 = now_ms();
			real_check(&v, PORT_REAL, 0, 10);
		} else {
			t2 = now_ms();
		}
		t3 = now_ms();
		exits += v.exits;
		vcpu_destroy(&v);
		vm_destroy(&vm);
		create += t2 - t1;
		run += t3 - t2;
		destroy += now_ms() - t3;
		if (v.err[0])
			fail(&c, "cycle %lu: %s", i, v.err);
	}
	snprintf(what, sizeof(what), "%scycle", pfx);
	timing(what, exits, now_ms() - t0);
	if (i)
		printf("# %scycle: per VM %.3f ms to create, %.3f ms to run, %.3f ms to destroy\n",
		       pfx, create / i, run / i, destroy / i);
	tap(!c.err[0], c.err,
	    "%s%lu times: create a VM and a vCPU, 10 OUTs and HLT, destroy", pfx,
	    n_cycles);
}

static const struct test {
	const char *name;
	void (*fn)(const char *pfx);
} tests[] = {
	{ "real", test_real },
	{ "long", test_long },
	{ "syscall", test_syscall },
	{ "smp", test_smp },
	{ "cycle", test_cycle },
	{ "spread", NULL },	/* run once, after the per-CPU sets */
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

/*
 * Benchmark mode (kvmtest -b): the same L2 workloads timed on bare KVM
 * and on KVM under Rampart (tools/rig/scenarios/kvmbench.sh compares
 * them). One vCPU, the process pinned to one CPU, each workload in a VM
 * of its own; only the guest's run is timed (VM and vCPU set-up and the
 * host's checks are not). Each run prints one machine-readable line
 *
 *   # bench NAME key=value...
 *
 * with ns (guest time of the run, CLOCK_MONOTONIC around KVM_RUN), exits
 * (KVM's own count of the vCPU's exits, from its binary stats: every L2
 * exit KVM handled, -1 where the stats are not there), uexits (KVM_RUN
 * returns) and, where /sys/kernel/rampart is there, l0 (Rampart's exits
 * on every CPU during the run) and the deltas of
 * /sys/kernel/debug/rampart/nested's counters (reflected, l2_entries,
 * sept_fills, sept_flushes, refused, held_writes), plus a "# bench-l0"
 * line of Rampart's exits by reason. Then a TAP point per run: the
 * workload's result checked.
 *
 *   kvmtest -b [-p CPU] [-r REPS] [-i ITERS] [-n IO] [-m MIB] [WORKLOAD...]
 *
 * Workloads (default: all of them, in this order), 64-bit guests:
 *   compute ITERS (default 2000000) rounds of xorshift64 in registers, no
 *           exit asked for, then one 4-byte OUT of the result and HLT; the
 *           64-bit result checked (its low half in the OUT, RAX after HLT)
 *   io      IO (default 1000) one-byte OUTs counting up, then HLT; every
 *           OUT checked (ns / iters is the time per exit)
 *   touch   MIB (default 16) MiB of guest memory (2 MiB guest pages, host
 *           memory populated beforehand), one byte written per 4 KiB
 *           page, twice: "touch1" is the first pass (each page's first
 *           access: EPT violations), "touch2" the second over the same
 *           pages; an OUT after each pass, the bytes checked after each
 * -p pins to CPU (default: the first allowed), -r runs each workload REPS
 * times (default 1).
 */
#define BENCH_PORT_COMPUTE	0x90
#define BENCH_PORT_IO		0x91
#define BENCH_PORT_TOUCH	0x92
#define BENCH_TOUCH_GPA		0x200000	/* after the page-table/code 2 MiB */
#define BENCH_SEED		0x9e3779b97f4a7c15
#define BENCH_SYS		"/sys/kernel/rampart/cpus"
#define BENCH_NESTED		"/sys/kernel/debug/rampart/nested"

/* compute: RAX = seed, RCX = rounds (at least 1). */
asm(".pushsection .rodata, \"a\"\n"
    ".globl kvmbench_compute, kvmbench_compute_end\n"
    "kvmbench_compute:\n"
    "1:	mov %rax, %rdx\n"
    "	shl $13, %rdx\n"
    "	xor %rdx, %rax\n"
    "	mov %rax, %rdx\n"
    "	shr $7, %rdx\n"
    "	xor %rdx, %rax\n"
    "	mov %rax, %rdx\n"
    "	shl $17, %rdx\n"
    "	xor %rdx, %rax\n"
    "	dec %rcx\n"
    "	jnz 1b\n"
    "	out %eax, $" STR(BENCH_PORT_COMPUTE) "\n"
    "	hlt\n"
    "kvmbench_compute_end:\n"
    ".popsection\n");

/* io: RSI = number of OUTs (at least 1). */
asm(".pushsection .rodata, \"a\"\n"
    ".globl kvmbench_io, kvmbench_io_end\n"
    "kvmbench_io:\n"
    "	mov %rsi, %rcx\n"
    "	xor %eax, %eax\n"
    "1:	out %al, $" STR(BENCH_PORT_IO) "\n"
    "	inc %eax\n"
    "	loop 1b\n"
    "	hlt\n"
    "kvmbench_io_end:\n"
    ".popsection\n");

/*
 * touch: RBX = first page, RSI = pages (at least 1); pass 1 writes 1 at
 * the start of every page and OUTs 1, pass 2 writes 2 and OUTs 2, HLT.
 */
asm(".pushsection .rodata, \"a\"\n"
    ".globl kvmbench_touch, kvmbench_touch_end\n"
    "kvmbench_touch:\n"
    "	mov $1, %eax\n"
    "1:	mov %rbx, %rdi\n"
    "	mov %rsi, %rcx\n"
    "2:	mov %al, (%rdi)\n"
    "	add $4096, %rdi\n"
    "	loop 2b\n"
    "	out %al, $" STR(BENCH_PORT_TOUCH) "\n"
    "	inc %eax\n"
    "	cmp $3, %eax\n"
    "	jne 1b\n"
    "	hlt\n"
    "kvmbench_touch_end:\n"
    ".popsection\n");

extern const uint8_t kvmbench_compute[], kvmbench_compute_end[];
extern const uint8_t kvmbench_io[], kvmbench_io_end[];
extern const uint8_t kvmbench_touch[], kvmbench_touch_end[];

static unsigned long bench_iters = 2000000, bench_io = 1000, bench_mib = 16;

/* Rampart's counters and KVM's at one instant. */
#define BENCH_MAX_REASONS	64
#define BENCH_NESTED_KEYS	6
static const char *const bench_nested_keys[BENCH_NESTED_KEYS] = {
	"reflected", "l2_entries", "sept_fills", "sept_flushes", "refused",
	"held_writes",
};

struct bench_snap {
	int rampart;			/* /sys/kernel/rampart/cpus is there */
	int nested;			/* and the nested debugfs file */
	int n;
	char name[BENCH_MAX_REASONS][32];
	unsigned long long v[BENCH_MAX_REASONS];	/* summed over CPUs */
	unsigned long long nv[BENCH_NESTED_KEYS];	/* summed over CPUs */
	long long kvm_exits;		/* -1: no binary stats */
};

struct bench_vcpu {
	struct vcpu c;
	int stats_fd;
	uint64_t exits_off;		/* of "exits" in the stats file */
};

static unsigned long long bench_read_ull(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* Rampart's exits on every CPU, by reason ("total" among them). */
static void bench_snap_rampart(struct bench_snap *s)
{
	char path[512];
	DIR *cpus = opendir(BENCH_SYS), *ex;
	struct dirent *d, *e;
	int i;

	if (!cpus)
		return;
	s->rampart = 1;
	while ((d = readdir(cpus))) {
		if (strncmp(d->d_name, "cpu", 3))
			continue;
		snprintf(path, sizeof(path), BENCH_SYS "/%s/exits", d->d_name);
		ex = opendir(path);
		if (!ex)
			continue;
		while ((e = readdir(ex))) {
			if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(s->name[0]))
				continue;
			for (i = 0; i < s->n; i++)
				if (!strcmp(s->name[i], e->d_name))
					break;
			if (i == s->n) {
				if (s->n == BENCH_MAX_REASONS)
					continue;
				strcpy(s->name[s->n++], e->d_name);
			}
			snprintf(path, sizeof(path), BENCH_SYS "/%s/exits/%s",
				 d->d_name, e->d_name);
			s->v[i] += bench_read_ull(path);
		}
		closedir(ex);
	}
	closedir(cpus);
}

/* The nested file's "key value" pairs, summed over its cpuN lines. */
static void bench_snap_nested(struct bench_snap *s)
{
	char line[512], *tok, *save, *key;
	FILE *f = fopen(BENCH_NESTED, "r");
	int k;

	if (!f)
		return;
	s->nested = 1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "cpu", 3))
			continue;
		key = NULL;
		for (tok = strtok_r(line, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save)) {
			if (key)
				for (k = 0; k < BENCH_NESTED_KEYS; k++)
					if (!strcmp(key, bench_nested_keys[k]))
						s->nv[k] += strtoull(tok, NULL, 10);
			key = tok;
		}
	}
	fclose(f);
}

static long long bench_kvm_exits(const struct bench_vcpu *b)
{
	uint64_t v;

	if (b->stats_fd < 0 ||
	    pread(b->stats_fd, &v, sizeof(v), b->exits_off) != sizeof(v))
		return -1;
	return (long long)v;
}

static void bench_snap(struct bench_snap *s, const struct bench_vcpu *b)
{
	memset(s, 0, sizeof(*s));
	s->kvm_exits = bench_kvm_exits(b);
	bench_snap_rampart(s);
	bench_snap_nested(s);
}

static unsigned long long bench_reason(const struct bench_snap *s,
				       const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->v[i];
	return 0;
}

/*
 * The vCPU's binary stats (KVM_GET_STATS_FD): find "exits". Without them
 * (an old kernel) exits= reads -1.
 */
static void bench_stats_open(struct bench_vcpu *b)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsz;
	uint32_t i;

	b->stats_fd = ioctl(b->c.fd, KVM_GET_STATS_FD, NULL);
	if (b->stats_fd < 0)
		return;
	if (pread(b->stats_fd, &h, sizeof(h), 0) != sizeof(h))
		goto none;
	dsz = sizeof(*d) + h.name_size;
	d = malloc(dsz);
	if (!d)
		goto none;
	for (i = 0; i < h.num_desc; i++) {
		if (pread(b->stats_fd, d, dsz, h.desc_offset + i * dsz) != (ssize_t)dsz)
			break;
		d->name[h.name_size - 1] = 0;
		if (!strcmp(d->name, "exits") && d->size == 1) {
			b->exits_off = h.data_offset + d->offset;
			free(d);
			return;
		}
	}
	free(d);
none:
	close(b->stats_fd);
	b->stats_fd = -1;
}

/* A VM with MEM bytes at guest-physical 0 (populated), and its vCPU. */
static int bench_vm_create(struct vm *vm, struct bench_vcpu *b, size_t mem)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = mem,
	};
	struct vcpu *c = &b->c;

	b->stats_fd = -1;
	vm->mem = MAP_FAILED;
	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return fail(c, "KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(vm->fd, KVM_SET_TSS_ADDR, TSS_GPA) < 0)
		return fail(c, "KVM_SET_TSS_ADDR: %s", strerror(errno));
	vm->mem = mmap(NULL, mem, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (vm->mem == MAP_FAILED)
		return fail(c, "mmap guest memory (%zu bytes): %s", mem, strerror(errno));
	region.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail(c, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	if (vcpu_create(vm, 0, c))
		return -1;
	bench_stats_open(b);
	return 0;
}

static void bench_vm_destroy(struct vm *vm, struct bench_vcpu *b, size_t mem)
{
	if (b->stats_fd >= 0)
		close(b->stats_fd);
	vcpu_destroy(&b->c);
	if (vm->mem != MAP_FAILED)
		munmap(vm->mem, mem);
	if (vm->fd >= 0)
		close(vm->fd);
}

/*
 * 64-bit mode at CODE_GPA with long_tables()' mappings, TWO_MIB more PD
 * entries (1 on) mapping BENCH_TOUCH_GPA on in 2 MiB pages, and REGS.
 */
static int bench_long_setup(struct vm *vm, struct vcpu *c, const uint8_t *code,
			    size_t len, unsigned long two_mib,
			    struct kvm_regs *regs)
{
	struct kvm_segment cs = {
		.base = 0, .limit = 0xffffffff, .selector = 8, .type = 11,
		.present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment ds = {
		.base = 0, .limit = 0xffffffff, .selector = 16, .type = 3,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};
	struct kvm_sregs sregs;
	unsigned long i;

	long_tables(vm->mem);
	for (i = 0; i < two_mib; i++)
		put64(vm->mem, PD_GPA + 8 * (1 + i),
		      (BENCH_TOUCH_GPA + (i << 21)) | 0x83);	/* P W PS */
	memcpy(vm->mem + CODE_GPA, code, len);
	if (ioctl(c->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail(c, "KVM_GET_SREGS: %s", strerror(errno));
	sregs.cs = cs;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = ds;
	sregs.gdt.base = GDT_GPA;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.cr3 = PML4_GPA;
	sregs.cr4 = 1 << 5;				/* PAE */
	sregs.cr0 = 0x80010033;				/* PG WP NE ET MP PE */
	sregs.efer = (1 << 8) | (1 << 10);		/* LME LMA */
	if (ioctl(c->fd, KVM_SET_SREGS, &sregs) < 0)
		return fail(c, "KVM_SET_SREGS (long mode): %s", strerror(errno));
	regs->rip = CODE_GPA;
	/*
	 * IF set, as in a guest kernel: no interrupt is ever injected (no
	 * in-kernel irqchip), but the host's own interrupts exit the guest
	 * whatever IF says (external-interrupt exiting).
	 */
	regs->rflags = 0x202;
	if (ioctl(c->fd, KVM_SET_REGS, regs) < 0)
		return fail(c, "KVM_SET_REGS: %s", strerror(errno));
	return 0;
}

/* One timed stretch of a run: counters before and after, and the time. */
struct bench_span {
	struct bench_snap a, b;
	double t0, t1;
	unsigned long uexits;
};

static void bench_begin(struct bench_span *s, const struct bench_vcpu *b)
{
	bench_snap(&s->a, b);
	s->uexits = b->c.exits;
	s->t0 = now_ms();
}

static void bench_end(struct bench_span *s, const struct bench_vcpu *b)
{
	s->t1 = now_ms();
	s->uexits = b->c.exits - s->uexits;
	bench_snap(&s->b, b);
}

static void bench_report(const char *name, const char *params,
			 const struct bench_span *s, int ok)
{
	long long kx = s->a.kvm_exits < 0 || s->b.kvm_exits < 0 ? -1 :
		       s->b.kvm_exits - s->a.kvm_exits;
	int i, k;

	printf("# bench %s %s ns=%.0f exits=%lld uexits=%lu", name, params,
	       (s->t1 - s->t0) * 1e6, kx, s->uexits);
	if (s->a.rampart && s->b.rampart)
		printf(" l0=%llu", bench_reason(&s->b, "total") - bench_reason(&s->a, "total"));
	if (s->a.nested && s->b.nested)
		for (k = 0; k < BENCH_NESTED_KEYS; k++)
			printf(" %s=%llu", bench_nested_keys[k], s->b.nv[k] - s->a.nv[k]);
	printf(" ok=%d\n", ok);
	if (s->a.rampart && s->b.rampart) {
		printf("# bench-l0 %s", name);
		for (i = 0; i < s->b.n; i++) {
			unsigned long long d = s->b.v[i] - bench_reason(&s->a, s->b.name[i]);

			if (d && strcmp(s->b.name[i], "total"))
				printf(" %s=%llu", s->b.name[i], d);
		}
		printf("\n");
	}
	fflush(stdout);
}

static uint64_t bench_xorshift(uint64_t x, unsigned long n)
{
	while (n--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

static void bench_compute(const char *pfx)
{
	size_t mem = 2 << 20;
	struct bench_vcpu b = { .c = VCPU_INIT, .stats_fd = -1 };
	struct kvm_regs regs = { .rax = BENCH_SEED, .rcx = bench_iters };
	uint64_t want = bench_xorshift(BENCH_SEED, bench_iters);
	struct bench_span s = { 0 };
	struct vm vm;
	char params[64];

	if (!bench_vm_create(&vm, &b, mem) &&
	    !bench_long_setup(&vm, &b.c, kvmbench_compute,
			      kvmbench_compute_end - kvmbench_compute, 0, &regs)) {
		bench_begin(&s, &b);
		vcpu_run(&b.c);
		bench_end(&s, &b);
		if (!b.c.err[0] &&
		    (b.c.run->exit_reason != KVM_EXIT_IO ||
		     b.c.run->io.port != BENCH_PORT_COMPUTE || b.c.run->io.size != 4))
			unexpected(&b.c, "out port " STR(BENCH_PORT_COMPUTE));
		else if (!b.c.err[0] && io_data(&b.c) != (uint32_t)want)
			fail(&b.c, "result 0x%llx, want 0x%x",
			     (unsigned long long)io_data(&b.c), (uint32_t)want);
		if (!b.c.err[0] && !expect_hlt(&b.c)) {
			if (ioctl(b.c.fd, KVM_GET_REGS, &regs) < 0)
				fail(&b.c, "KVM_GET_REGS: %s", strerror(errno));
			else if (regs.rax != want)
				fail(&b.c, "RAX 0x%llx after HLT, want 0x%llx",
				     regs.rax, (unsigned long long)want);
		}
	}
	snprintf(params, sizeof(params), "iters=%lu", bench_iters);
	bench_report("compute", params, &s, !b.c.err[0]);
	tap(!b.c.err[0], b.c.err,
	    "%sbench compute: %lu rounds of xorshift64 in the guest, the result checked",
	    pfx, bench_iters);
	bench_vm_destroy(&vm, &b, mem);
}

static void bench_io_run(const char *pfx)
{
	size_t mem = 2 << 20;
	struct bench_vcpu b = { .c = VCPU_INIT, .stats_fd = -1 };
	struct kvm_regs regs = { .rsi = bench_io };
	struct bench_span s = { 0 };
	struct vm vm;
	char params[64];
	unsigned long i;

	if (!bench_vm_create(&vm, &b, mem) &&
	    !bench_long_setup(&vm, &b.c, kvmbench_io, kvmbench_io_end - kvmbench_io,
			      0, &regs)) {
		bench_begin(&s, &b);
		for (i = 0; i < bench_io; i++)
			if (expect_out(&b.c, BENCH_PORT_IO, 1, (uint8_t)i))
				break;
		if (!b.c.err[0])
			expect_hlt(&b.c);
		bench_end(&s, &b);
	}
	snprintf(params, sizeof(params), "iters=%lu", bench_io);
	bench_report("io", params, &s, !b.c.err[0]);
	tap(!b.c.err[0], b.c.err,
	    "%sbench io: %lu one-byte OUTs, each checked, then HLT", pfx, bench_io);
	bench_vm_destroy(&vm, &b, mem);
}

/* Every touched page's first byte is V (and the rest of it still 0). */
static int bench_touch_check(struct vm *vm, struct vcpu *c, unsigned long pages,
			     uint8_t v)
{
	unsigned long i;
	const uint8_t *p;

	for (i = 0; i < pages; i++) {
		p = vm->mem + BENCH_TOUCH_GPA + (i << 12);
		if (p[0] != v || p[1] || p[4095])
			return fail(c, "pass %u: page %lu holds %u %u .. %u", v, i,
				    p[0], p[1], p[4095]);
	}
	return 0;
}

static void bench_touch(const char *pfx)
{
	unsigned long pages = bench_mib << 8;
	size_t mem = BENCH_TOUCH_GPA + (bench_mib << 20);
	struct bench_vcpu b = { .c = VCPU_INIT, .stats_fd = -1 };
	struct kvm_regs regs = { .rbx = BENCH_TOUCH_GPA, .rsi = pages };
	struct bench_span s[2];
	struct vm vm;
	char params[64];
	int pass, done = 0;

	memset(s, 0, sizeof(s));
	if (!bench_vm_create(&vm, &b, mem) &&
	    !bench_long_setup(&vm, &b.c, kvmbench_touch,
			      kvmbench_touch_end - kvmbench_touch, bench_mib / 2,
			      &regs)) {
		for (pass = 1; pass <= 2; pass++) {
			bench_begin(&s[pass - 1], &b);
			vcpu_run(&b.c);
			bench_end(&s[pass - 1], &b);
			if (b.c.err[0])
				break;
			if (b.c.run->exit_reason != KVM_EXIT_IO ||
			    b.c.run->io.port != BENCH_PORT_TOUCH ||
			    b.c.run->io.size != 1 || io_data(&b.c) != (uint64_t)pass) {
				unexpected(&b.c, "out port " STR(BENCH_PORT_TOUCH));
				break;
			}
			if (bench_touch_check(&vm, &b.c, pages, pass))
				break;
			done = pass;
		}
		if (done == 2)
			expect_hlt(&b.c);
	}
	snprintf(params, sizeof(params), "pages=%lu", pages);
	bench_report("touch1", params, &s[0], done >= 1);
	bench_report("touch2", params, &s[1], done == 2 && !b.c.err[0]);
	tap(!b.c.err[0], b.c.err,
	    "%sbench touch: one byte in each of %lu pages (%lu MiB), twice, each pass checked, then HLT",
	    pfx, pages, bench_mib);
	bench_vm_destroy(&vm, &b, mem);
}

static const struct test bench_tests[] = {
	{ "compute", bench_compute },
	{ "io", bench_io_run },
	{ "touch", bench_touch },
};
#define NBENCH (sizeof(bench_tests) / sizeof(bench_tests[0]))

static void bench_usage(void)
{
	fprintf(stderr, "usage: kvmtest -b [-p CPU] [-r REPS] [-i ITERS] [-n IO] [-m MIB] [compute|io|touch]...\n");
	exit(2);
}

/* kvmtest -b ...: ARGV[0] is "-b". */
static int bench_main(int argc, char **argv)
{
	int want[NBENCH] = { 0 }, any = 0, opt, cpu = -1, i;
	unsigned long reps = 1, r;
	struct bench_vcpu none = { .c = VCPU_INIT, .stats_fd = -1 };
	struct bench_snap s0, s1;
	cpu_set_t set;
	unsigned int t;
	char pfx[32];

	while ((opt = getopt(argc, argv, "p:r:i:n:m:")) != -1) {
		switch (opt) {
		case 'p': cpu = atoi(optarg); break;
		case 'r': reps = strtoul(optarg, NULL, 0); break;
		case 'i': bench_iters = strtoul(optarg, NULL, 0); break;
		case 'n': bench_io = strtoul(optarg, NULL, 0); break;
		case 'm': bench_mib = strtoul(optarg, NULL, 0); break;
		default: bench_usage();
		}
	}
	if (reps < 1 || reps > 100 || bench_iters < 1 || bench_io < 1 ||
	    bench_mib < 2 || bench_mib > 128 || bench_mib % 2)
		bench_usage();
	for (; optind < argc; optind++) {
		for (t = 0; t < NBENCH; t++)
			if (!strcmp(argv[optind], bench_tests[t].name))
				break;
		if (t == NBENCH)
			bench_usage();
		want[t] = any = 1;
	}
	for (t = 0; t < NBENCH; t++)
		want[t] |= !any;

	printf("TAP version 13\n");
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	run_size = kvm_fd < 0 ? -1 : ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(struct kvm_run)) {
		printf("not ok 1 - open /dev/kvm, vCPU mmap size %d: %s\n1..1\n",
		       run_size, strerror(errno));
		return 1;
	}
	if (get_cpuid()) {
		printf("not ok 1 - KVM_GET_SUPPORTED_CPUID: %s\n1..1\n", strerror(errno));
		return 1;
	}
	if (sched_getaffinity(0, sizeof(set), &set)) {
		printf("not ok 1 - sched_getaffinity: %s\n1..1\n", strerror(errno));
		return 1;
	}
	for (i = 0; cpu < 0 && i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			cpu = i;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		printf("not ok 1 - pin to cpu%d: %s\n1..1\n", cpu, strerror(errno));
		return 1;
	}
	/* What reading the counters costs: an empty stretch. */
	bench_snap(&s0, &none);
	bench_snap(&s1, &none);
	printf("# bench-setup cpu=%d reps=%lu rampart=%d nested=%d empty_l0=%llu\n",
	       cpu, reps, s0.rampart, s0.nested,
	       bench_reason(&s1, "total") - bench_reason(&s0, "total"));
	for (r = 0; r < reps; r++) {
		pfx[0] = 0;
		if (reps > 1)
			snprintf(pfx, sizeof(pfx), "rep %lu: ", r + 1);
		for (t = 0; t < NBENCH; t++)
			if (want[t])
				bench_tests[t].fn(pfx);
	}
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: kvmtest [-n IO] [-c CYCLES] [-e] [real|long|syscall|smp|cycle|spread]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int want[NTESTS] = { 0 }, each_cpu = 0, any = 0, opt, ver, cpus[CPU_SETSIZE];
	int ncpu = 0, i;
	unsigned int t;
	cpu_set_t all, one;
	char pfx[32];

	if (argc > 1 && !strcmp(argv[1], "-b"))
		return bench_main(argc - 1, argv + 1);

	while ((opt = getopt(argc, argv, "n:c:e")) != -1) {
		switch (opt) {
		case 'n': n_io = strtoul(optarg, NULL, 0); break;
		case 'c': n_cycles = strtoul(optarg, NULL, 0); break;
		case 'e': each_cpu = 1; break;
		default: usage();
		}
	}
	if (n_io < 1 || n_io > 60000)
		usage();
	for (; optind < argc; optind++) {
		for (t = 0; t < NTESTS; t++)
			if (!strcmp(argv[optind], tests[t].name))
				break;
		if (t == NTESTS)
			usage();
		want[t] = any = 1;
	}
	for (t = 0; t < NTESTS; t++)
		want[t] |= !any;

	printf("TAP version 13\n");
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		printf("not ok 1 - open /dev/kvm: %s\n1..1\n", strerror(errno));
		return 1;
	}
	ver = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (ver != KVM_API_VERSION || run_size < (int)sizeof(struct kvm_run)) {
		printf("not ok 1 - KVM API version %d (want %d), vCPU mmap size %d\n1..1\n",
		       ver, KVM_API_VERSION, run_size);
		return 1;
	}
	if (get_cpuid()) {
		printf("not ok 1 - KVM_GET_SUPPORTED_CPUID: %s\n1..1\n", strerror(errno));
		return 1;
	}
	if (sched_getaffinity(0, sizeof(all), &all)) {
		printf("not ok 1 - sched_getaffinity: %s\n1..1\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &all))
			cpus[ncpu++] = i;
	printf("# KVM API %d, %d CPUs allowed, recommended vCPUs %d, max %d, %u CPUID entries\n",
	       ver, ncpu, ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS),
	       ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS), cpuid->nent);

	for (i = 0; i < (each_cpu ? ncpu : 1); i++) {
		pfx[0] = 0;
		if (each_cpu) {
			CPU_ZERO(&one);
			CPU_SET(cpus[i], &one);
			snprintf(pfx, sizeof(pfx), "cpu%d: ", cpus[i]);
			if (sched_setaffinity(0, sizeof(one), &one)) {
				tap(0, strerror(errno), "%spin to the CPU", pfx);
				continue;
			}
		}
		for (t = 0; t < NTESTS; t++)
			if (want[t] && tests[t].fn)
				tests[t].fn(pfx);
	}
	if (sched_setaffinity(0, sizeof(all), &all))
		tap(0, strerror(errno), "restore the CPU mask");
	if (want[NTESTS - 1])
		run_smp("", ncpu, cpus, "spread");
	printf("# total: %lu exits in %.3f ms\n", total_exits, total_ms);
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
