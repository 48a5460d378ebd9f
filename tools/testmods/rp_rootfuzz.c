// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest-side fuzzer of root (issue 19). From ring 0 of the deprivileged
 * kernel it runs a seeded stream of random operations on one CPU, each of
 * which exits to root or could, and checks after each one, and after
 * every batch, that root still answers, still protects what the policy
 * says and still behaves as the hardware would. The rig's rootfuzz
 * scenario loads the policy it expects (the default policy, plus
 * range.rodata and range.idt "ro deny" and a write-watch on watch_len
 * bytes at page_pa + watch_off), writes 1 to armed, then a seed to run:
 *
 *   rp_rootfuzz: seed S stats ...
 *   rp_rootfuzz: seed S ops N ok
 *   rp_rootfuzz: seed S FAIL at op K: <reason>   (then the last ops)
 *
 * The same seed gives the same operations and the same random draws, so a
 * failing seed reruns exactly (trace=1 prints each op before it runs,
 * for one that takes the kernel down; writing to dump prints the ring of
 * the last RF_RING ops). Operations:
 *
 *   hc       hypercalls: PING, POLICY_SYNC, and with arguments root must
 *            refuse, POKE_CALIBRATE, MODULE_ADD, MODULE_DEL, TEST and
 *            unknown numbers (0, RAMPART_HC_NR and above, huge), with
 *            boundary and random arguments
 *   cr0/cr4  MOV of the value with random bits flipped (locked, reserved,
 *            VMX fixed, mode bits ...), then the old value back
 *   cr3      MOV of the current CR3 (with the no-flush bit under PCIDE)
 *   lmsw     LMSW of random MP/EM/TS, then CR0 back
 *   msr      WRMSR of random values to every MSR the default policy
 *            names and to IA32_APIC_BASE (refused bits only), the old
 *            value back where one got through
 *   vmxcap   RDMSR of the VMX capability MSRs (root emulates them)
 *   nmi      an NMI IPI to a CPU (this one too); it must arrive
 *   lidt/lgdt  the table in force again, or another one (refused)
 *   lldt/ltr LLDT and LTR of random selectors, then the old ones back
 *   trload   the kernel's own TR reload (GDT alias, LTR, GDT back)
 *   sdesc    SLDT/STR to 16-bit, 32-bit and REX.W registers
 *   prot     8-byte stores to protected pages (kernel text and rodata,
 *            this module's text and rodata, the system call table, the
 *            IDT) through the direct map and a writable vmap alias
 *   watched  1 to 8-byte stores to the watched page, near the watch or not;
 *            one in eight a PUSHF (its image must hold the CPU's TF, IF)
 *   cpuid    CPUID of random leaves, twice, the same answer
 *   xsetbv   XSETBV of XCR0 with random bits flipped, then XCR0 back
 *   invd     INVD (root turns it into WBINVD)
 *   vmxinsn  a VMX instruction outside VMX operation: #UD
 *
 * Some run with interrupts off. Left out: DEVIRT, SEAL and POLICY_LOAD
 * hypercalls (the first two change state for good, and a POLICY_LOAD
 * takes no argument: root loads whatever the kernel side last staged in
 * the mailbox, a real load the scenario's own loader makes instead),
 * TEST 1, 2 and 3 (deliberate entry failures, a parked CPU, a counted
 * VMREAD failure), INIT and SIPI (Bochs 2.7 livelocks on a refused INIT:
 * README, "What Bochs cannot show"), and the CR4 bits whose change the
 * kernel itself could not survive even for a moment (PCIDE, FSGSBASE,
 * OSFXSR, OSXSAVE, MCE, FRED).
 */
#define pr_fmt(fmt) "rp_rootfuzz: " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/objtool.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/apic.h>
#include <asm/asm.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/irqflags.h>
#include <asm/msr.h>
#include <asm/nmi.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/set_memory.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>

#include "../../core/hypercall.h"
#include "../../uapi/hypercall.h"
#include "rp_lookup.h"

#define RF_RING		128	/* ops kept for the dump */
#define RF_WATCH_OFF	0x200	/* the watched bytes of the page */
#define RF_WATCH_LEN	64
#define RF_NMI_WAIT_US	500000
#define RF_WHY		192
#define RF_NOTRAP	(-1)
#define RF_MSR_S_CET	0x6a2
#define RF_MSR_PL0_SSP	0x6a4
#define RF_VMX_BASIC	0x480
#define RF_MAX_TARGETS	8

static unsigned int ops = 500;
module_param(ops, uint, 0644);
MODULE_PARM_DESC(ops, "operations per run");
static unsigned int batch = 32;
module_param(batch, uint, 0644);
MODULE_PARM_DESC(batch, "operations between two checks of every oracle");
static unsigned int pause_ms = 150;
module_param(pause_ms, uint, 0644);
MODULE_PARM_DESC(pause_ms, "sleep after each batch, so the event drain keeps up");
static int rf_cpu = -1;
module_param_named(cpu, rf_cpu, int, 0644);
MODULE_PARM_DESC(cpu, "CPU a run goes to (-1: the writer's)");
static bool trace;
module_param(trace, bool, 0644);
MODULE_PARM_DESC(trace, "print each op and its random draws before it runs");
static unsigned long root_pa;
module_param(root_pa, ulong, 0644);
MODULE_PARM_DESC(root_pa, "a page of root memory (debugfs root_pages), as an argument");
static unsigned long page_pa;
module_param(page_pa, ulong, 0444);
MODULE_PARM_DESC(page_pa, "physical address of the page the scenario watches");
static unsigned int watch_off = RF_WATCH_OFF;
module_param(watch_off, uint, 0444);
MODULE_PARM_DESC(watch_off, "offset of the watched bytes in that page");
static unsigned int watch_len = RF_WATCH_LEN;
module_param(watch_len, uint, 0444);
MODULE_PARM_DESC(watch_len, "how many bytes the watch covers");

/* This module's rodata, under range.modules: stores must never land. */
#define RF_RO_WORDS	1024
#define RF_RO_PATTERN	0x52504f52544f4f52ULL
static const u64 rf_ro[RF_RO_WORDS] = { [0 ... RF_RO_WORDS - 1] = RF_RO_PATTERN };

enum rf_kind {
	RF_HC, RF_CR0, RF_CR4, RF_CR3, RF_LMSW, RF_MSR, RF_VMXCAP, RF_NMI,
	RF_LIDT, RF_LGDT, RF_LLDT, RF_LTR, RF_TRLOAD, RF_SDESC, RF_PROT,
	RF_WATCHED, RF_CPUID, RF_XSETBV, RF_INVD, RF_VMXINSN, RF_NKINDS
};

static const char *const rf_kind_name[RF_NKINDS] = {
	"hc", "cr0", "cr4", "cr3", "lmsw", "msr", "vmxcap", "nmi", "lidt",
	"lgdt", "lldt", "ltr", "trload", "sdesc", "prot", "watched", "cpuid",
	"xsetbv", "invd", "vmxinsn",
};

/* How often each kind comes, out of the sum. */
static const u8 rf_weight[RF_NKINDS] = {
	8, 3, 4, 1, 1, 5, 1, 2, 2, 2, 2, 1, 1, 1, 4, 5, 1, 1, 1, 1,
};

struct rf_op {
	u32 k;
	u8 kind;
	u8 irqoff;
	s8 trap;		/* exception the op took, -1 none */
	u8 done;
	long ret;
	u64 a[4];		/* what it did, by kind */
};

static struct rf_op rf_ring[RF_RING];

/* One run; runs are serialised by the module's parameter lock. */
static struct {
	u64 seed, state;
	u32 nops, k;
	bool failed;
	char why[RF_WHY];
	u32 count[RF_NKINDS];
	u32 traps, hits, neighbours, nmis, skipped;
} rf;

static bool rf_armed;
static u8 *rf_wpage;		/* watched: page_pa */
static u8 *rf_shadow;		/* what the watched page must hold */
static u8 *rf_scratch;		/* unwatched, unprotected */
static void *rf_idt_copy, *rf_gdt_copy;
static u64 rf_scratch_pa, rf_text_pa, rf_mailbox, rf_mailbox_pa;
static bool rf_cet;

/* ---- the seeded generator ------------------------------------------------ */

/* splitmix64: every seed, 0 included, gives a full-period stream. */
static u64 rf_next(void)
{
	u64 z = (rf.state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static enum rf_kind rf_pick_kind(u64 r)
{
	unsigned int sum = 0, i, x;

	for (i = 0; i < RF_NKINDS; i++)
		sum += rf_weight[i];
	x = r % sum;
	for (i = 0; i < RF_NKINDS - 1 && x >= rf_weight[i]; i++)
		x -= rf_weight[i];
	return i;
}

/* A boundary or random argument, by @r. */
static u64 rf_value(u64 r)
{
	switch (r % 16) {
	case 0: return 0;
	case 1: return 1;
	case 2: return ~0ULL;
	case 3: return 1ULL << 63;
	case 4: return PAGE_SIZE;
	case 5: return page_pa;
	case 6: return (unsigned long)rf_wpage;
	case 7: return rf_mailbox;
	case 8: return rf_mailbox_pa;
	case 9: return root_pa;
	case 10: return rf_scratch_pa;
	case 11: return (unsigned long)hex_asc & PAGE_MASK;
	case 12: return 1ULL << 52;
	case 13: return ((r >> 16) & 0xfffff) << PAGE_SHIFT;
	case 14: return r >> 4;
	default: return rf_text_pa;
	}
}

static __printf(1, 2) void rf_fail(const char *fmt, ...)
{
	va_list args;

	if (rf.failed)
		return;
	rf.failed = true;
	va_start(args, fmt);
	vsnprintf(rf.why, sizeof(rf.why), fmt, args);
	va_end(args);
}

/* ---- instructions that may fault: the trap number, or RF_NOTRAP ---------- */

#define RF_FIXUP "\n2:\n" _ASM_EXTABLE_FAULT(1b, 2b)

static int rf_mov_cr0(unsigned long v)
{
	int trap = RF_NOTRAP;

	asm volatile("1: mov %[v], %%cr0" RF_FIXUP
		     : "+a"(trap) : [v] "r"(v) : "memory");
	return trap;
}

static int rf_mov_cr4(unsigned long v)
{
	int trap = RF_NOTRAP;

	asm volatile("1: mov %[v], %%cr4" RF_FIXUP
		     : "+a"(trap) : [v] "r"(v) : "memory");
	return trap;
}

static int rf_mov_cr3(unsigned long v)
{
	int trap = RF_NOTRAP;

	asm volatile("1: mov %[v], %%cr3" RF_FIXUP
		     : "+a"(trap) : [v] "r"(v) : "memory");
	return trap;
}

static unsigned long rf_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static unsigned long rf_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static unsigned long rf_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static int rf_lmsw(u16 v)
{
	int trap = RF_NOTRAP;

	asm volatile("1: lmsw %w[v]" RF_FIXUP
		     : "+a"(trap) : [v] "r"(v) : "memory");
	return trap;
}

static int rf_load_dt(bool idt, const struct desc_ptr *d)
{
	int trap = RF_NOTRAP;

	if (idt)
		asm volatile("1: lidt %[d]" RF_FIXUP
			     : "+a"(trap) : [d] "m"(*d) : "memory");
	else
		asm volatile("1: lgdt %[d]" RF_FIXUP
			     : "+a"(trap) : [d] "m"(*d) : "memory");
	return trap;
}

static void rf_store_dt(bool idt, struct desc_ptr *d)
{
	if (idt)
		store_idt(d);
	else
		native_store_gdt(d);
}

static int rf_lldt(u16 sel)
{
	int trap = RF_NOTRAP;

	asm volatile("1: lldt %w[s]" RF_FIXUP
		     : "+a"(trap) : [s] "r"(sel) : "memory");
	return trap;
}

static int rf_ltr(u16 sel)
{
	int trap = RF_NOTRAP;

	asm volatile("1: ltr %w[s]" RF_FIXUP
		     : "+a"(trap) : [s] "r"(sel) : "memory");
	return trap;
}

static u16 rf_sldt(void)
{
	u16 sel;

	asm volatile("sldt %0" : "=m"(sel));
	return sel;
}

static u16 rf_str(void)
{
	u16 sel;

	asm volatile("str %0" : "=m"(sel));
	return sel;
}

/* A store of @w bytes (1, 2, 4, 8) of @v at @p. */
static int rf_store(void *p, unsigned int w, u64 v)
{
	int trap = RF_NOTRAP;

	switch (w) {
	case 1:
		asm volatile("1: movb %b[v], %[m]" RF_FIXUP
			     : "+a"(trap), [m] "=m"(*(u8 *)p) : [v] "q"((u8)v) : "memory");
		break;
	case 2:
		asm volatile("1: movw %w[v], %[m]" RF_FIXUP
			     : "+a"(trap), [m] "=m"(*(u16 *)p) : [v] "r"((u16)v) : "memory");
		break;
	case 4:
		asm volatile("1: movl %k[v], %[m]" RF_FIXUP
			     : "+a"(trap), [m] "=m"(*(u32 *)p) : [v] "r"((u32)v) : "memory");
		break;
	default:
		asm volatile("1: movq %[v], %[m]" RF_FIXUP
			     : "+a"(trap), [m] "=m"(*(u64 *)p) : [v] "r"(v) : "memory");
		break;
	}
	return trap;
}

static u64 rf_read(const void *p, unsigned int w)
{
	u64 v = 0;

	memcpy(&v, p, w);
	return v;
}

/*
 * XSETBV takes EDX:EAX, and RAX holds the trap number for the fixup: the
 * low half comes in EBX and is swapped into EAX right before.
 */
static int rf_xsetbv(u32 idx, u64 v)
{
	int trap = RF_NOTRAP;
	u32 lo = v;

	asm volatile("xchg %%ebx, %%eax\n\t"
		     "1: xsetbv\n\t"
		     "mov $-1, %%eax" RF_FIXUP
		     : "+a"(trap), "+b"(lo)
		     : "c"(idx), "d"((u32)(v >> 32))
		     : "memory");
	return trap;
}

static u64 rf_xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (u64)hi << 32;
}

/* ---- the snapshot the oracles compare against (taken when armed) ---------- */

struct rf_msr {
	const char *name;
	u32 msr;
	u64 locked;		/* bits root must keep */
	u64 flips;		/* bits a write flips; 0: any value */
	bool cet;		/* only where the default policy names it */
};

/*
 * IA32_MISC_ENABLE: XD disable is locked; root writes the other bits
 * itself. Not MONITOR/MWAIT enable (18) or the CPUID limit (22): they can
 * be package-wide, and another CPU may be in MWAIT or run CPUID.
 */
#define RF_MISC_FLIPS	(BIT_ULL(0) | BIT_ULL(1) | BIT_ULL(2) | BIT_ULL(3) | \
			 BIT_ULL(5) | BIT_ULL(7) | BIT_ULL(13) | BIT_ULL(16) | \
			 BIT_ULL(19) | BIT_ULL(23) | BIT_ULL(24) | BIT_ULL(38) | \
			 BIT_ULL(39) | BIT_ULL(63))
#define RF_APIC_FIXED	(~(u64)(MSR_IA32_APICBASE_ENABLE | X2APIC_ENABLE))

static const struct rf_msr rf_msrs[] = {
	{ "efer", MSR_EFER, ~0ULL, 0, false },
	{ "star", MSR_STAR, ~0ULL, 0, false },
	{ "lstar", MSR_LSTAR, ~0ULL, 0, false },
	{ "cstar", MSR_CSTAR, ~0ULL, 0, false },
	{ "syscall_mask", MSR_SYSCALL_MASK, ~0ULL, 0, false },
	{ "sysenter_cs", MSR_IA32_SYSENTER_CS, ~0ULL, 0, false },
	{ "sysenter_esp", MSR_IA32_SYSENTER_ESP, ~0ULL, 0, false },
	{ "sysenter_eip", MSR_IA32_SYSENTER_EIP, ~0ULL, 0, false },
	{ "feature_control", MSR_IA32_FEAT_CTL, ~0ULL, 0, false },
	{ "misc_enable", MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE_XD_DISABLE,
	  RF_MISC_FLIPS | MSR_IA32_MISC_ENABLE_XD_DISABLE, false },
	{ "apic_base", MSR_IA32_APICBASE, RF_APIC_FIXED, RF_APIC_FIXED, false },
	{ "s_cet", RF_MSR_S_CET, ~0ULL, 0, true },
	{ "pl0_ssp", RF_MSR_PL0_SSP, ~0ULL, 0, true },
};

#define RF_NMSR	ARRAY_SIZE(rf_msrs)

/* CR4 bits the default policy locks where the CPU has them on. */
#define RF_CR4_SECURITY	(X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_UMIP | \
			 X86_CR4_PKE | X86_CR4_CET | BIT(24))
#define RF_CR0_LOCKED	(X86_CR0_PE | X86_CR0_WP | X86_CR0_PG)

struct rf_snap {
	bool valid;
	unsigned long cr0, cr4;
	u64 msr[RF_NMSR];
	bool msr_ok[RF_NMSR];
	struct desc_ptr idt, gdt;
	u16 tr;
};

static DEFINE_PER_CPU(struct rf_snap, rf_snap);
static DEFINE_PER_CPU(atomic_t, rf_nmi_want);
static DEFINE_PER_CPU(atomic_t, rf_nmi_seen);

static bool rf_msr_used(const struct rf_msr *m)
{
	return !m->cet || rf_cet;
}

static void rf_snap_fn(void *unused)
{
	struct rf_snap *s = this_cpu_ptr(&rf_snap);
	unsigned int i;

	s->cr0 = rf_cr0();
	s->cr4 = rf_cr4();
	for (i = 0; i < RF_NMSR; i++)
		s->msr_ok[i] = rf_msr_used(&rf_msrs[i]) &&
			       !rdmsrl_safe(rf_msrs[i].msr, &s->msr[i]);
	store_idt(&s->idt);
	native_store_gdt(&s->gdt);
	s->tr = rf_str();
	s->valid = true;
}

/* ---- protected pages ------------------------------------------------------ */

struct rf_target {
	const char *name;
	u8 *direct;		/* the page through the direct map */
	u8 *alias;		/* a writable vmap alias of it */
	u32 lo, hi;		/* bytes of the page the stores go to */
	bool change;		/* store other bytes, not the same ones */
	u8 *copy;		/* [lo, hi) when armed, checked after each batch */
};

static struct rf_target rf_targets[RF_MAX_TARGETS];
static unsigned int rf_ntargets;

static void rf_add_target(const char *name, struct page *pg, u32 lo, u32 hi,
			  bool change, bool check)
{
	struct rf_target *t = &rf_targets[rf_ntargets];

	if (!pg || rf_ntargets == RF_MAX_TARGETS || hi < lo + 8 || hi > PAGE_SIZE) {
		pr_info("target %s: left out\n", name);
		return;
	}
	t->alias = vmap(&pg, 1, VM_MAP, PAGE_KERNEL);
	t->copy = check ? kmalloc(hi - lo, GFP_KERNEL) : NULL;
	if (!t->alias || (check && !t->copy)) {
		if (t->alias)
			vunmap(t->alias);
		kfree(t->copy);
		pr_info("target %s: left out (no memory)\n", name);
		return;
	}
	t->name = name;
	t->direct = page_address(pg);
	t->lo = lo;
	t->hi = hi;
	t->change = change;
	rf_ntargets++;
}

static struct page *rf_kpage(const void *p)
{
	return pfn_to_page(slow_virt_to_phys((void *)p) >> PAGE_SHIFT);
}

static void rf_targets_init(void)
{
	unsigned long sct = rp_lookup("sys_call_table");
	unsigned long ro = PAGE_ALIGN((unsigned long)rf_ro);
	u32 off = offset_in_page(hex_asc);
	struct desc_ptr idt;

	rf_add_target("rodata", rf_kpage(hex_asc), off, min_t(u32, off + 16, PAGE_SIZE),
		      true, true);
	rf_add_target("modrodata", vmalloc_to_page((void *)ro), 0, PAGE_SIZE, true, true);
	rf_add_target("text", rf_kpage((const void *)vfree), 0, PAGE_SIZE, false, false);
	rf_add_target("modtext", vmalloc_to_page((const void *)rf_next), 0, PAGE_SIZE, false, false);
	if (sct)
		rf_add_target("sys_call_table", rf_kpage((void *)sct),
			      offset_in_page(sct), PAGE_SIZE, false, true);
	store_idt(&idt);
	rf_add_target("idt", rf_kpage((void *)idt.address), 0, PAGE_SIZE, false, true);
}

static void rf_targets_copy(void)
{
	unsigned int i;

	for (i = 0; i < rf_ntargets; i++)
		if (rf_targets[i].copy)
			memcpy(rf_targets[i].copy,
			       rf_targets[i].direct + rf_targets[i].lo,
			       rf_targets[i].hi - rf_targets[i].lo);
}

/* ---- the ops ------------------------------------------------------------- */

static const u64 rf_unknown_hc[] = {
	0, RAMPART_HC_NR, RAMPART_HC_NR + 1, RAMPART_HC_NR + 7, 0x40, 0xff,
	0x100, 0xffff, 1ULL << 31, 1ULL << 32, 1ULL << 63, ~0ULL, ~0ULL - 1,
};

static void rf_op_hc(struct rf_op *op, const u64 *r)
{
	unsigned int c = (r[0] >> 16) % 10, me = smp_processor_id();
	struct rampart_hc_out out = {};
	u64 nr, a1 = rf_value(r[1]), a2 = rf_value(r[2]), a3 = rf_value(r[3]);
	unsigned long flags = 0;
	long ret;

	switch (c) {
	case 0:
		nr = RAMPART_HC_PING;
		break;
	case 1:
		nr = RAMPART_HC_POLICY_SYNC;
		break;
	case 2:	/* refused once a policy is in force (vmx/root/poke.c) */
		nr = RAMPART_HC_POKE_CALIBRATE;
		switch ((r[1] >> 8) % 4) {
		case 0:	/* disarm */
			a1 = 0;
			break;
		case 1:
			a1 = RAMPART_POKE_SET_COPY;
			break;
		case 2:	/* arm */
			a1 &= PAGE_MASK;
			break;
		default:
			break;
		}
		break;
	case 3:
	case 4:	/* runs root must refuse (vmx/root/modtext.c, check_run()) */
		nr = RAMPART_HC_MODULE_ADD;
		switch ((r[1] >> 8) % 8) {
		case 0:		/* empty */
			a3 = 0;
			break;
		case 1:		/* an unaligned start */
			a2 |= 1 + (r[2] >> 8) % (PAGE_SIZE - 1);
			break;
		case 2:		/* an unaligned size */
			a3 = ((r[3] >> 8) & 0xffffff) | 1;
			break;
		case 3:		/* past the EPT */
			a2 = (r[2] & 1) ? 1ULL << 52 : ~0ULL & PAGE_MASK;
			a3 = PAGE_SIZE << ((r[3] >> 8) % 4);
			break;
		case 4:		/* wraps */
			a2 = rf_scratch_pa;
			a3 = (r[3] & 1) ? 1ULL << 63 : ~0ULL & PAGE_MASK;
			break;
		case 5:		/* a handle nobody holds: -ESTALE */
			a1 = r[1] | 1;
			a2 = rf_scratch_pa;
			a3 = PAGE_SIZE;
			break;
		case 6:		/* the watched page: a watch mutes it */
			a1 = 0;
			a2 = page_pa;
			a3 = PAGE_SIZE;
			break;
		default:	/* this module's text: held already */
			a1 = 0;
			a2 = rf_text_pa;
			a3 = PAGE_SIZE;
			break;
		}
		break;
	case 5:	/* handles no run holds */
		nr = RAMPART_HC_MODULE_DEL;
		if (((r[1] >> 8) & 3) == 0)
			a1 = (unsigned long)THIS_MODULE;
		break;
	case 6:	/* not 1, 2 or 3: deliberate entry failures, a VMREAD failure */
		nr = RAMPART_HC_TEST;
		if (a1 >= 1 && a1 <= 3)
			a1 += 3;
		break;
	default:
		nr = rf_unknown_hc[(r[1] >> 8) % ARRAY_SIZE(rf_unknown_hc)];
		break;
	}
	op->irqoff = r[4] & 1;
	op->a[0] = nr;
	op->a[1] = a1;
	op->a[2] = a2;
	op->a[3] = a3;
	if (op->irqoff)
		local_irq_save(flags);
	ret = rampart_vmcall3(nr, a1, a2, a3, &out);
	if (op->irqoff)
		local_irq_restore(flags);
	op->ret = ret;
	if (ret == -ENODEV) {
		rf_fail("hypercall %llu raised #UD: cpu%u is not under Rampart", nr, me);
		return;
	}
	switch (nr) {
	case RAMPART_HC_PING:
		if (ret || out.rbx != RAMPART_HC_MAGIC || out.rcx != RAMPART_HC_ABI ||
		    out.rdx != me)
			rf_fail("PING: ret %ld rbx %#lx rcx %lu rdx %lu on cpu%u",
				ret, out.rbx, out.rcx, out.rdx, me);
		break;
	case RAMPART_HC_POLICY_SYNC:
		if (ret)
			rf_fail("POLICY_SYNC: ret %ld", ret);
		break;
	case RAMPART_HC_POKE_CALIBRATE:
		if (ret >= 0)
			rf_fail("POKE_CALIBRATE %#llx %#llx %#llx taken (%ld) with a policy in force",
				a1, a2, a3, ret);
		break;
	case RAMPART_HC_MODULE_ADD:
		if (ret >= 0) {
			rampart_vmcall(RAMPART_HC_MODULE_DEL, out.rbx, NULL);
			rf_fail("MODULE_ADD handle %#llx run %#llx+%#llx taken (handle %#lx)",
				a1, a2, a3, out.rbx);
		}
		break;
	case RAMPART_HC_MODULE_DEL:
		if (ret != -ENOENT && ret != -EBUSY)
			rf_fail("MODULE_DEL %#llx: ret %ld, %lu runs", a1, ret, out.rbx);
		break;
	case RAMPART_HC_TEST:
		if (ret != -EINVAL && ret != -RAMPART_HC_ENOSYS)
			rf_fail("TEST %#llx: ret %ld", a1, ret);
		break;
	default:
		if (ret != -RAMPART_HC_ENOSYS)
			rf_fail("unknown hypercall %#llx: ret %ld, not -%d", nr, ret,
				RAMPART_HC_ENOSYS);
		break;
	}
}

static const unsigned long rf_cr0_bits[] = {
	X86_CR0_PE, X86_CR0_MP, X86_CR0_EM, X86_CR0_TS, X86_CR0_ET,
	X86_CR0_NE, X86_CR0_WP, X86_CR0_AM, X86_CR0_NW, X86_CR0_CD,
	X86_CR0_PG, BIT(32), BIT(47), BIT(63),
};

/*
 * Left out: PCIDE (CR3's PCID would refuse it back), FSGSBASE (the NMI
 * entry uses RDGSBASE), OSFXSR, OSXSAVE, MCE and FRED (bit 32).
 */
static const unsigned long rf_cr4_bits[] = {
	X86_CR4_VME, X86_CR4_PVI, X86_CR4_TSD, X86_CR4_DE, X86_CR4_PSE,
	X86_CR4_PAE, X86_CR4_PGE, X86_CR4_PCE, X86_CR4_OSXMMEXCPT,
	X86_CR4_UMIP, X86_CR4_LA57, X86_CR4_VMXE, X86_CR4_SMXE, X86_CR4_SMEP,
	X86_CR4_SMAP, X86_CR4_PKE, X86_CR4_CET, BIT(15), BIT(19), BIT(24),
	BIT(25), BIT(26), BIT(27), BIT(28), BIT(29), BIT(31), BIT(33),
	BIT(40), BIT(63),
};

static void rf_op_cr(struct rf_op *op, const u64 *r, bool cr4)
{
	const unsigned long *bits = cr4 ? rf_cr4_bits : rf_cr0_bits;
	unsigned int n = cr4 ? ARRAY_SIZE(rf_cr4_bits) : ARRAY_SIZE(rf_cr0_bits);
	const struct rf_snap *s = this_cpu_ptr(&rf_snap);
	unsigned long flags, orig, val, now, flip = 0, locked, exact;
	unsigned int i;
	int trap;

	for (i = 0; i <= r[2] % 3; i++)		/* one to three bits */
		flip |= bits[(r[1] >> (8 * i)) % n];
	if ((r[2] >> 60) == 0)			/* one in 16: all of them */
		for (i = 0; i < n; i++)
			flip |= bits[i];
	locked = cr4 ? s->cr4 & RF_CR4_SECURITY : RF_CR0_LOCKED;
	exact = cr4 ? ~0UL : ~X86_CR0_ET;	/* ET is hardwired */
	op->irqoff = 1;
	local_irq_save(flags);
	orig = cr4 ? rf_cr4() : rf_cr0();
	val = orig ^ flip;
	trap = cr4 ? rf_mov_cr4(val) : rf_mov_cr0(val);
	now = cr4 ? rf_cr4() : rf_cr0();
	if (now != orig) {
		int back = cr4 ? rf_mov_cr4(orig) : rf_mov_cr0(orig);
		unsigned long again = cr4 ? rf_cr4() : rf_cr0();

		if (back != RF_NOTRAP || again != orig) {
			local_irq_restore(flags);
			rf_fail("CR%d %#lx -> %#lx: cannot put it back (trap %d, now %#lx)",
				cr4 ? 4 : 0, orig, now, back, again);
			return;
		}
	}
	local_irq_restore(flags);
	op->a[0] = orig;
	op->a[1] = val;
	op->a[2] = now;
	op->trap = trap;
	if ((now ^ orig) & locked)
		rf_fail("CR%d locked bits %#lx changed: %#lx -> %#lx", cr4 ? 4 : 0,
			(now ^ orig) & locked, orig, now);
	else if ((flip & locked) && trap != X86_TRAP_GP)
		rf_fail("CR%d %#lx -> %#lx flips locked bits %#lx: trap %d, not #GP",
			cr4 ? 4 : 0, orig, val, flip & locked, trap);
	else if (trap == RF_NOTRAP && ((now ^ val) & exact))
		rf_fail("CR%d %#lx -> %#lx completed, reads %#lx", cr4 ? 4 : 0, orig,
			val, now);
	else if (trap != RF_NOTRAP && trap != X86_TRAP_GP)
		rf_fail("CR%d %#lx -> %#lx: trap %d", cr4 ? 4 : 0, orig, val, trap);
}

static void rf_op_cr3(struct rf_op *op, const u64 *r)
{
	unsigned long flags, cr3, val, now;
	int trap;

	op->irqoff = 1;
	local_irq_save(flags);
	cr3 = rf_cr3();
	val = cr3;
	if ((r[1] & 1) && (rf_cr4() & X86_CR4_PCIDE))
		val |= BIT(63);		/* no flush */
	trap = rf_mov_cr3(val);
	now = rf_cr3();
	local_irq_restore(flags);
	op->a[0] = cr3;
	op->a[1] = val;
	op->trap = trap;
	if (trap != RF_NOTRAP || now != cr3)
		rf_fail("MOV to CR3 of itself (%#lx): trap %d, reads %#lx", val, trap, now);
}

static void rf_op_lmsw(struct rf_op *op, const u64 *r)
{
	unsigned long flags, orig, now, back;
	u16 v;
	int trap, trap2;

	op->irqoff = 1;
	local_irq_save(flags);
	orig = rf_cr0();
	v = (orig & 0xfff0) | (r[1] & 0xe) | X86_CR0_PE;
	trap = rf_lmsw(v);
	now = rf_cr0();
	trap2 = rf_mov_cr0(orig);
	back = rf_cr0();
	local_irq_restore(flags);
	op->a[0] = orig;
	op->a[1] = v;
	op->a[2] = now;
	op->trap = trap;
	if (trap != RF_NOTRAP || (now & 0xf) != (v & 0xf) || (now & ~0xfUL) != (orig & ~0xfUL))
		rf_fail("LMSW %#x on CR0 %#lx: trap %d, CR0 %#lx", v, orig, trap, now);
	else if (trap2 != RF_NOTRAP || back != orig)
		rf_fail("CR0 back after LMSW: trap %d, %#lx not %#lx", trap2, back, orig);
}

static unsigned int rf_msr_pick(u64 r)
{
	unsigned int i, n = 0, want;

	for (i = 0; i < RF_NMSR; i++)
		n += rf_msr_used(&rf_msrs[i]);
	want = r % n;
	for (i = 0; i < RF_NMSR; i++) {
		if (!rf_msr_used(&rf_msrs[i]))
			continue;
		if (!want--)
			break;
	}
	return i;
}

static void rf_op_msr(struct rf_op *op, const u64 *r)
{
	const struct rf_msr *m = &rf_msrs[rf_msr_pick(r[0] >> 16)];
	u64 orig, val, now = 0, again = 0;
	unsigned long flags;
	bool fault, bad = false;

	op->irqoff = 1;
	local_irq_save(flags);
	if (rdmsrl_safe(m->msr, &orig)) {
		local_irq_restore(flags);
		op->ret = -EIO;
		rf.skipped++;
		return;
	}
	if (m->flips) {
		u64 flip = r[2] & m->flips;

		if (m->msr == MSR_IA32_MISC_ENABLE && (r[1] & 1))
			flip |= MSR_IA32_MISC_ENABLE_XD_DISABLE;
		val = orig ^ (flip ?: (m->flips & -m->flips));
	} else {
		switch (r[1] % 8) {
		case 0:
			val = orig;
			break;
		case 1:
			val = r[2];
			break;
		case 2:
			val = orig ^ BIT_ULL(r[2] % 64);
			break;
		case 3:
			val = orig ^ r[2];
			break;
		case 4:
			val = 0;
			break;
		case 5:
			val = ~0ULL;
			break;
		case 6:
			val = BIT_ULL(63);
			break;
		default:
			val = (unsigned long)rf_wpage;
			break;
		}
	}
	fault = wrmsrl_safe(m->msr, val) != 0;
	rdmsrl_safe(m->msr, &now);
	if (now != orig) {
		bad = wrmsrl_safe(m->msr, orig) != 0;
		rdmsrl_safe(m->msr, &again);
		bad |= again != orig;
	}
	local_irq_restore(flags);
	op->a[0] = m->msr;
	op->a[1] = orig;
	op->a[2] = val;
	op->a[3] = now;
	op->ret = fault ? -EIO : 0;
	if (bad)
		rf_fail("MSR %s %#llx -> %#llx: cannot put it back (now %#llx)", m->name,
			orig, now, again);
	else if ((now ^ orig) & m->locked)
		rf_fail("MSR %s locked bits %#llx changed: %#llx -> %#llx", m->name,
			(now ^ orig) & m->locked, orig, now);
	else if (((val ^ orig) & m->locked) && !fault)
		rf_fail("MSR %s %#llx -> %#llx changes locked bits %#llx: no #GP", m->name,
			orig, val, (val ^ orig) & m->locked);
}

static void rf_op_vmxcap(struct rf_op *op, const u64 *r)
{
	u32 msr = RF_VMX_BASIC + (r[1] >> 8) % 20;
	u64 v1 = 0, v2 = 0;
	int e1, e2;

	e1 = rdmsrl_safe(msr, &v1);
	e2 = rdmsrl_safe(msr, &v2);
	op->a[0] = msr;
	op->a[1] = v1;
	op->ret = e1;
	if (!!e1 != !!e2 || (!e1 && v1 != v2))
		rf_fail("RDMSR %#x twice: %d %#llx, then %d %#llx", msr, e1, v1, e2, v2);
}

static int rf_nmi(unsigned int type, struct pt_regs *regs)
{
	if (!atomic_add_unless(this_cpu_ptr(&rf_nmi_want), -1, 0))
		return NMI_DONE;
	atomic_inc(this_cpu_ptr(&rf_nmi_seen));
	return NMI_HANDLED;
}

static void rf_op_nmi(struct rf_op *op, const u64 *r)
{
	unsigned int n = (r[1] >> 8) % num_online_cpus(), t, waited = 0;
	unsigned long flags = 0;
	int seen;

	for (t = cpumask_first(cpu_online_mask); n--; )
		t = cpumask_next(t, cpu_online_mask);
	op->irqoff = r[4] & 1;
	op->a[0] = t;
	seen = atomic_read(per_cpu_ptr(&rf_nmi_seen, t));
	atomic_inc(per_cpu_ptr(&rf_nmi_want, t));
	if (op->irqoff)
		local_irq_save(flags);
	apic->send_IPI(t, NMI_VECTOR);
	while (atomic_read(per_cpu_ptr(&rf_nmi_seen, t)) == seen &&
	       waited < RF_NMI_WAIT_US) {
		udelay(10);
		waited += 10;
	}
	if (op->irqoff)
		local_irq_restore(flags);
	op->a[1] = waited;
	if (atomic_read(per_cpu_ptr(&rf_nmi_seen, t)) == seen) {
		atomic_set(per_cpu_ptr(&rf_nmi_want, t), 0);
		rf_fail("NMI to cpu%u not delivered in %u us", t, waited);
		return;
	}
	rf.nmis++;
}

static void rf_op_loaddt(struct rf_op *op, const u64 *r, bool idt)
{
	const char *name = idt ? "LIDT" : "LGDT";
	struct desc_ptr kept, d, now;
	unsigned long flags;
	bool same = ((r[0] >> 16) & 3) < 2;
	int trap;

	op->irqoff = 1;
	local_irq_save(flags);
	rf_store_dt(idt, &kept);
	d = kept;
	if (!same) {
		switch (r[1] % 6) {
		case 0:
			d.address = (unsigned long)(idt ? rf_idt_copy : rf_gdt_copy);
			break;
		case 1:	/* same base */
			break;
		case 2:
			d.address = kept.address + PAGE_SIZE;
			break;
		case 3:
			d.address = (unsigned long)rf_scratch;
			break;
		case 4:
			d.address = 0xffff800000000000UL | (r[2] & ~7UL);
			break;
		default:	/* likely not canonical */
			d.address = r[2];
			break;
		}
		if ((r[3] & 3) != 0)
			d.size = r[3] >> 16;
		if (d.address == kept.address && d.size == kept.size)
			d.size ^= 1;
		if (!d.size)		/* an empty table root lets through */
			d.size = 2;
	}
	trap = rf_load_dt(idt, &d);
	rf_store_dt(idt, &now);
	if (now.address != kept.address || now.size != kept.size)
		rf_load_dt(idt, &kept);
	local_irq_restore(flags);
	op->a[0] = d.address;
	op->a[1] = d.size;
	op->a[2] = now.address;
	op->a[3] = now.size;
	op->trap = trap;
	if (same && (trap != RF_NOTRAP || now.address != kept.address ||
		     now.size != kept.size))
		rf_fail("%s of the table in force (%#lx limit %#x): trap %d, now %#lx limit %#x",
			name, kept.address, kept.size, trap, now.address, now.size);
	else if (!same && (trap != X86_TRAP_GP || now.address != kept.address ||
			   now.size != kept.size))
		rf_fail("%s %#lx limit %#x under range.idt: trap %d (not #GP), now %#lx limit %#x",
			name, d.address, d.size, trap, now.address, now.size);
}

/* Would LLDT of @sel fault on bare metal (SDM Vol. 2, LLDT)? */
static bool rf_lldt_faults(u16 sel, const struct desc_ptr *gdt)
{
	const u8 *d;
	u32 hi, up;
	u64 base;

	if (!(sel & ~3))
		return false;
	if ((sel & 4) || (sel & ~7) + 15 > gdt->size)
		return true;
	d = (const u8 *)gdt->address + (sel & ~7);
	memcpy(&hi, d + 12, sizeof(hi));
	if ((d[5] & 0x1f) != DESC_LDT || !(d[5] & 0x80) || (hi & 0x1f00))
		return true;
	memcpy(&up, d + 8, sizeof(up));
	base = d[2] | (u64)d[3] << 8 | (u64)d[4] << 16 | (u64)d[7] << 24 |
	       (u64)up << 32;
	return !__is_canonical_address(base, boot_cpu_data.x86_virt_bits);
}

static u16 rf_selector(const u64 *r, u16 cur)
{
	switch ((r[1] >> 8) % 4) {
	case 0: return cur;
	case 1: return r[2] & 3;		/* null, any RPL */
	case 2: return r[2] & 0x7f;		/* within Linux's GDT */
	default: return r[2];
	}
}

static void rf_op_lldt(struct rf_op *op, const u64 *r)
{
	struct desc_ptr gdt;
	unsigned long flags;
	u16 orig, sel, now, back;
	bool must;
	int trap, trap2;

	op->irqoff = 1;
	local_irq_save(flags);
	native_store_gdt(&gdt);
	orig = rf_sldt();
	sel = rf_selector(r, orig);
	must = rf_lldt_faults(sel, &gdt);
	trap = rf_lldt(sel);
	now = rf_sldt();
	trap2 = rf_lldt(orig);
	back = rf_sldt();
	local_irq_restore(flags);
	op->a[0] = orig;
	op->a[1] = sel;
	op->a[2] = now;
	op->trap = trap;
	if (must != (trap != RF_NOTRAP) ||
	    (trap != RF_NOTRAP && trap != X86_TRAP_GP && trap != X86_TRAP_NP))
		rf_fail("LLDT %#x: trap %d, %s", sel, trap,
			must ? "the CPU would fault" : "the CPU would load it");
	else if (trap == RF_NOTRAP && now != sel)
		rf_fail("LLDT %#x: SLDT then gives %#x", sel, now);
	else if (trap2 != RF_NOTRAP || back != orig)
		rf_fail("LLDT %#x back: trap %d, SLDT %#x", orig, trap2, back);
}

static void rf_op_ltr(struct rf_op *op, const u64 *r)
{
	unsigned long flags;
	u16 orig, sel, now;
	int trap;

	op->irqoff = 1;
	local_irq_save(flags);
	orig = rf_str();
	sel = rf_selector(r, orig);
	/* The one TSS is busy: every LTR faults (SDM Vol. 2, LTR). */
	trap = rf_ltr(sel);
	now = rf_str();
	if (trap == RF_NOTRAP || now != orig)
		force_reload_TR();
	local_irq_restore(flags);
	op->a[0] = orig;
	op->a[1] = sel;
	op->a[2] = now;
	op->trap = trap;
	if ((trap != X86_TRAP_GP && trap != X86_TRAP_NP) || now != orig)
		rf_fail("LTR %#x with TR %#x busy: trap %d, STR %#x", sel, orig, trap, now);
}

static void rf_op_trload(struct rf_op *op, const u64 *r)
{
	const struct rf_snap *s = this_cpu_ptr(&rf_snap);
	struct desc_ptr gdt;
	unsigned long flags;
	u16 tr;

	op->irqoff = 1;
	local_irq_save(flags);
	force_reload_TR();
	tr = rf_str();
	native_store_gdt(&gdt);
	local_irq_restore(flags);
	op->a[0] = tr;
	op->a[1] = gdt.address;
	if (tr != s->tr || gdt.address != s->gdt.address || gdt.size != s->gdt.size)
		rf_fail("TR reload: TR %#x GDT %#lx limit %#x, not %#x %#lx %#x", tr,
			gdt.address, gdt.size, s->tr, s->gdt.address, s->gdt.size);
}

/*
 * SLDT or STR to a register, in four forms: 16-bit (0x66: the rest of
 * the register stays), 32-bit, REX.W, and 0x66 with REX.W (REX.W wins):
 * the last three zero-extend the selector (SDM Vol. 2, SLDT and STR).
 * GAS drops REX.W from "str %rax", so those two are spelt out, on RAX.
 */
static void rf_op_sdesc(struct rf_op *op, const u64 *r)
{
	unsigned int form = (r[1] >> 1) % 4;
	bool tr = r[1] & 1;
	u64 junk = r[2] | 0xdead0000ULL, v = junk, want;
	unsigned long flags;
	u16 sel;

	op->irqoff = 1;
	local_irq_save(flags);
	sel = tr ? rf_str() : rf_sldt();
	switch (form) {
	case 0:
		if (tr)
			asm volatile("str %w0" : "+r"(v));
		else
			asm volatile("sldt %w0" : "+r"(v));
		break;
	case 1:
		if (tr)
			asm volatile("str %k0" : "+r"(v));
		else
			asm volatile("sldt %k0" : "+r"(v));
		break;
	case 2:
		if (tr)
			asm volatile(".byte 0x48, 0x0f, 0x00, 0xc8" : "+a"(v));
		else
			asm volatile(".byte 0x48, 0x0f, 0x00, 0xc0" : "+a"(v));
		break;
	default:
		if (tr)
			asm volatile(".byte 0x66, 0x48, 0x0f, 0x00, 0xc8" : "+a"(v));
		else
			asm volatile(".byte 0x66, 0x48, 0x0f, 0x00, 0xc0" : "+a"(v));
		break;
	}
	local_irq_restore(flags);
	want = form ? sel : (junk & ~0xffffULL) | sel;
	op->a[0] = form;
	op->a[1] = junk;
	op->a[2] = v;
	op->a[3] = sel;
	if (v != want)
		rf_fail("%s to a register (form %u) over %#llx: %#llx, not %#llx",
			tr ? "STR" : "SLDT", form, junk, v, want);
}

static void rf_op_prot(struct rf_op *op, const u64 *r)
{
	const struct rf_target *t;
	unsigned long flags = 0;
	u64 before, val, after;
	u8 *p;
	u32 off;
	int trap;

	if (!rf_ntargets) {
		rf.skipped++;
		return;
	}
	t = &rf_targets[(r[0] >> 16) % rf_ntargets];
	off = t->lo + r[2] % (t->hi - t->lo - 7);
	p = ((r[1] & 1) ? t->alias : t->direct) + off;
	op->irqoff = (r[1] >> 1) & 1;
	if (op->irqoff)
		local_irq_save(flags);
	before = rf_read(t->direct + off, 8);
	val = t->change ? before ^ (r[3] | 1) : before;
	trap = rf_store(p, 8, val);
	after = rf_read(t->direct + off, 8);
	if (trap == RF_NOTRAP)	/* it landed: put the bytes back */
		rf_store(p, 8, before);
	if (op->irqoff)
		local_irq_restore(flags);
	op->a[0] = (unsigned long)p;
	op->a[1] = before;
	op->a[2] = val;
	op->a[3] = after;
	op->trap = trap;
	if (trap != X86_TRAP_PF || after != before)
		rf_fail("store to %s+%#x (%s) of %#llx over %#llx: trap %d, now %#llx",
			t->name, off, (r[1] & 1) ? "vmap alias" : "direct map", val,
			before, trap, after);
}

/* PUSHF with RSP at @top: its image lands at @top - 8. */
static noinline void rf_pushf_at(void *top)
{
	asm volatile("mov %%rsp, %%rbx\n\t"
		     "mov %[top], %%rsp\n\t"
		     "pushf\n\t"
		     "mov %%rbx, %%rsp"
		     : : [top] "r"(top) : "rbx", "memory");
}
/* It runs on a stack objtool cannot follow, on purpose. */
STACK_FRAME_NON_STANDARD(rf_pushf_at);

/*
 * A PUSHF into the watched page, interrupts off (a frame would land there
 * too): the image holds TF and IF as the CPU has them, whatever step root
 * runs the write in.
 */
static void rf_op_pushf(struct rf_op *op, unsigned int off, bool hit)
{
	unsigned long flags, want;
	u64 after;

	op->irqoff = 1;
	local_irq_save(flags);
	want = native_save_fl();
	rf_pushf_at(rf_wpage + off + 8);
	after = rf_read(rf_wpage + off, 8);
	local_irq_restore(flags);
	op->a[0] = off;
	op->a[1] = 8;
	op->a[2] = want;
	op->a[3] = after;
	op->trap = RF_NOTRAP;
	memcpy(rf_shadow + off, &after, 8);
	if ((after ^ want) & (X86_EFLAGS_TF | X86_EFLAGS_IF)) {
		rf_fail("PUSHF into the watched page +%#x stored %#llx, flags were %#lx",
			off, after, want);
		return;
	}
	if (hit)
		rf.hits++;
	else
		rf.neighbours++;
}

static void rf_op_watched(struct rf_op *op, const u64 *r)
{
	unsigned int w = 1U << (r[2] % 4), off, i;
	unsigned long flags = 0;
	u64 before, val, after, mask = 0;
	bool hit;
	int trap;

	if (r[1] & 1)		/* near the watch */
		off = watch_off + r[1] % (watch_len + 7) - 7;
	else
		off = r[1] % (PAGE_SIZE - 7);
	off = min_t(unsigned int, off, PAGE_SIZE - w);
	/* One in eight is a PUSHF, 8 bytes at an aligned offset. */
	if (!((r[2] >> 2) % 8)) {
		off &= ~7U;
		rf_op_pushf(op, off, off < watch_off + watch_len &&
			    off + 8 > watch_off);
		return;
	}
	for (i = 0; i < w; i++)		/* every byte changes */
		mask |= (((r[3] >> (8 * i)) & 0xff) | 1) << (8 * i);
	before = rf_read(rf_shadow + off, w);
	val = before ^ mask;
	hit = off < watch_off + watch_len && off + w > watch_off;
	op->irqoff = (r[1] >> 1) & 1;
	if (op->irqoff)
		local_irq_save(flags);
	trap = rf_store(rf_wpage + off, w, val);
	after = rf_read(rf_wpage + off, w);
	if (op->irqoff)
		local_irq_restore(flags);
	op->a[0] = off;
	op->a[1] = w;
	op->a[2] = val;
	op->a[3] = after;
	op->trap = trap;
	if (trap != RF_NOTRAP || after != val) {
		rf_fail("%u-byte store of %#llx to the watched page +%#x: trap %d, reads %#llx",
			w, val, off, trap, after);
		return;
	}
	memcpy(rf_shadow + off, &val, w);
	if (hit)
		rf.hits++;
	else
		rf.neighbours++;
}

static void rf_op_cpuid(struct rf_op *op, const u64 *r)
{
	u32 leaf, sub = (r[2] & 1) ? r[2] >> 32 : r[2] & 0xf, a[2], b[2], c[2], d[2];
	unsigned long flags;
	int i;

	switch ((r[1] >> 8) % 4) {
	case 0:
		leaf = r[1] % 0x21;
		break;
	case 1:
		leaf = 0x40000000 + r[1] % 0x10;
		break;
	case 2:
		leaf = 0x80000000 + r[1] % 9;
		break;
	default:
		leaf = r[1] >> 32;
		break;
	}
	local_irq_save(flags);
	for (i = 0; i < 2; i++)
		cpuid_count(leaf, sub, &a[i], &b[i], &c[i], &d[i]);
	local_irq_restore(flags);
	op->irqoff = 1;
	op->a[0] = leaf;
	op->a[1] = sub;
	op->a[2] = a[0] | (u64)b[0] << 32;
	op->a[3] = c[0] | (u64)d[0] << 32;
	if (a[0] != a[1] || b[0] != b[1] || c[0] != c[1] || d[0] != d[1])
		rf_fail("CPUID %#x.%#x twice: %x %x %x %x, then %x %x %x %x", leaf, sub,
			a[0], b[0], c[0], d[0], a[1], b[1], c[1], d[1]);
}

static const u8 rf_xcr0_flips[] = { 0, 1, 2, 3, 4, 5, 6, 7, 9, 17, 18, 62, 63 };

static void rf_op_xsetbv(struct rf_op *op, const u64 *r)
{
	u32 idx = (r[1] % 8) ? 0 : 1 + (r[2] >> 40) % 3, a, b, c, d;
	u64 orig, val, now, back, supported;
	unsigned long flags;
	bool must;
	int trap, trap2 = RF_NOTRAP;

	if (!(rf_cr4() & X86_CR4_OSXSAVE)) {
		rf.skipped++;
		return;
	}
	cpuid_count(0xd, 0, &a, &b, &c, &d);
	supported = a | (u64)d << 32;
	op->irqoff = 1;
	/*
	 * A valid XCR0 without AVX loses the upper halves of the YMM
	 * registers: have the kernel save any task's registers first and
	 * reload them from memory afterwards.
	 */
	kernel_fpu_begin();
	local_irq_save(flags);
	orig = rf_xgetbv0();
	switch ((r[1] >> 8) % 4) {
	case 0:
		val = orig;
		break;
	case 1:
		val = orig ^ BIT_ULL(rf_xcr0_flips[r[2] % ARRAY_SIZE(rf_xcr0_flips)]);
		break;
	case 2:
		val = orig ^ (r[2] & 0x3ff);
		break;
	default:
		val = r[2];
		break;
	}
	/* What the CPU refuses for certain (SDM Vol. 1 13.3; Vol. 2, XSETBV). */
	must = idx || !(val & 1) || (val & ~supported) || ((val & 4) && !(val & 2));
	trap = rf_xsetbv(idx, val);
	now = rf_xgetbv0();
	if (now != orig)
		trap2 = rf_xsetbv(0, orig);
	back = rf_xgetbv0();
	local_irq_restore(flags);
	kernel_fpu_end();
	op->a[0] = idx;
	op->a[1] = orig;
	op->a[2] = val;
	op->a[3] = now;
	op->trap = trap;
	if (trap2 != RF_NOTRAP || back != orig)
		rf_fail("XCR0 %#llx -> %#llx: cannot put it back (trap %d, %#llx)", orig,
			now, trap2, back);
	else if (must && trap != X86_TRAP_GP)
		rf_fail("XSETBV %u, %#llx (supported %#llx): trap %d, not #GP", idx, val,
			supported, trap);
	else if (trap == RF_NOTRAP && now != val)
		rf_fail("XSETBV 0, %#llx completed, XCR0 reads %#llx", val, now);
}

static void rf_op_invd(struct rf_op *op, const u64 *r)
{
	unsigned long flags;
	int trap = RF_NOTRAP;

	op->irqoff = 1;
	local_irq_save(flags);
	asm volatile("1: invd" RF_FIXUP : "+a"(trap) : : "memory");
	local_irq_restore(flags);
	op->trap = trap;
	if (trap != RF_NOTRAP)
		rf_fail("INVD: trap %d", trap);
}

struct rf_desc128 {
	u64 lo, hi;
};

/* A VMX instruction with CR4.VMXE clear: #UD (SDM 31.3), from root too. */
static void rf_op_vmxinsn(struct rf_op *op, const u64 *r)
{
	unsigned int which = (r[1] >> 8) % 12;
	struct rf_desc128 desc = { r[2], r[3] };
	u64 m = rf_value(r[2]), reg = r[3], out = 0;
	unsigned long flags;
	int trap = RF_NOTRAP;

	if (rf_cr4() & X86_CR4_VMXE) {
		rf.skipped++;
		return;
	}
	op->irqoff = 1;
	local_irq_save(flags);
	switch (which) {
	case 0:
		asm volatile("1: vmxon %[m]" RF_FIXUP : "+a"(trap) : [m] "m"(m) : "cc", "memory");
		break;
	case 1:
		asm volatile("1: vmxoff" RF_FIXUP : "+a"(trap) : : "cc", "memory");
		break;
	case 2:
		asm volatile("1: vmclear %[m]" RF_FIXUP : "+a"(trap) : [m] "m"(m) : "cc", "memory");
		break;
	case 3:
		asm volatile("1: vmptrld %[m]" RF_FIXUP : "+a"(trap) : [m] "m"(m) : "cc", "memory");
		break;
	case 4:
		asm volatile("1: vmptrst %[m]" RF_FIXUP : "+a"(trap), [m] "=m"(out) : : "cc", "memory");
		break;
	case 5:
		asm volatile("1: vmread %[f], %[o]" RF_FIXUP
			     : "+a"(trap), [o] "=r"(out) : [f] "r"(reg) : "cc", "memory");
		break;
	case 6:
		asm volatile("1: vmwrite %[v], %[f]" RF_FIXUP
			     : "+a"(trap) : [f] "r"(reg), [v] "r"(m) : "cc", "memory");
		break;
	case 7:
		asm volatile("1: vmlaunch" RF_FIXUP : "+a"(trap) : : "cc", "memory");
		break;
	case 8:
		asm volatile("1: vmresume" RF_FIXUP : "+a"(trap) : : "cc", "memory");
		break;
	case 9:
		asm volatile("1: invept %[d], %[t]" RF_FIXUP
			     : "+a"(trap) : [d] "m"(desc), [t] "r"(reg) : "cc", "memory");
		break;
	case 10:
		asm volatile("1: invvpid %[d], %[t]" RF_FIXUP
			     : "+a"(trap) : [d] "m"(desc), [t] "r"(reg) : "cc", "memory");
		break;
	default:	/* VMFUNC 0 */
		asm volatile("xor %%eax, %%eax\n\t"
			     "1: .byte 0x0f, 0x01, 0xd4\n\t"
			     "mov $-1, %%eax" RF_FIXUP
			     : "+a"(trap) : : "cc", "memory");
		break;
	}
	local_irq_restore(flags);
	op->a[0] = which;
	op->a[1] = m;
	op->a[2] = reg;
	op->a[3] = out;
	op->trap = trap;
	if (trap != X86_TRAP_UD)
		rf_fail("VMX instruction %u outside VMX operation: trap %d, not #UD", which,
			trap);
}

/* ---- oracles after each batch ------------------------------------------- */

struct rf_cpu_res {
	char why[RF_WHY];
};

static void rf_cpu_check(void *arg)
{
	const struct rf_snap *s = this_cpu_ptr(&rf_snap);
	struct rf_cpu_res *res = arg;
	unsigned int me = smp_processor_id(), i;
	struct rampart_hc_out out = {};
	struct desc_ptr idt, gdt;
	unsigned long cr0 = rf_cr0(), cr4 = rf_cr4();
	long ret = rampart_vmcall(RAMPART_HC_PING, 0, &out);
	u64 v;

	if (ret || out.rbx != RAMPART_HC_MAGIC || out.rdx != me) {
		snprintf(res->why, sizeof(res->why),
			 "cpu%u: PING ret %ld rbx %#lx rdx %lu", me, ret, out.rbx, out.rdx);
		return;
	}
	if (!s->valid)
		return;
	if ((cr0 ^ s->cr0) & RF_CR0_LOCKED ||
	    (cr4 ^ s->cr4) & (s->cr4 & RF_CR4_SECURITY)) {
		snprintf(res->why, sizeof(res->why),
			 "cpu%u: locked CR bits changed: CR0 %#lx was %#lx, CR4 %#lx was %#lx",
			 me, cr0, s->cr0, cr4, s->cr4);
		return;
	}
	for (i = 0; i < RF_NMSR; i++) {
		if (!s->msr_ok[i] || rdmsrl_safe(rf_msrs[i].msr, &v))
			continue;
		if ((v ^ s->msr[i]) & rf_msrs[i].locked) {
			snprintf(res->why, sizeof(res->why),
				 "cpu%u: MSR %s is %#llx, was %#llx", me, rf_msrs[i].name,
				 v, s->msr[i]);
			return;
		}
	}
	store_idt(&idt);
	native_store_gdt(&gdt);
	if (idt.address != s->idt.address || idt.size != s->idt.size ||
	    gdt.address != s->gdt.address || gdt.size != s->gdt.size ||
	    rf_str() != s->tr)
		snprintf(res->why, sizeof(res->why),
			 "cpu%u: IDTR %#lx/%#x GDTR %#lx/%#x TR %#x, were %#lx/%#x %#lx/%#x %#x",
			 me, idt.address, idt.size, gdt.address, gdt.size, rf_str(),
			 s->idt.address, s->idt.size, s->gdt.address, s->gdt.size, s->tr);
}

static void rf_oracle(void)
{
	struct rf_cpu_res *res = kzalloc(sizeof(*res), GFP_KERNEL);
	unsigned int c, i, j;

	if (!res) {
		rf_fail("no memory for the oracle");
		return;
	}
	for_each_online_cpu(c) {
		res->why[0] = '\0';
		if (smp_call_function_single(c, rf_cpu_check, res, 1))
			snprintf(res->why, sizeof(res->why), "cpu%u answers no IPI", c);
		if (res->why[0]) {
			rf_fail("batch check: %s", res->why);
			break;
		}
	}
	kfree(res);
	for (i = 0; !rf.failed && i < rf_ntargets; i++) {
		const struct rf_target *t = &rf_targets[i];

		if (!t->copy || !memcmp(t->copy, t->direct + t->lo, t->hi - t->lo))
			continue;
		for (j = 0; j < t->hi - t->lo && t->copy[j] == t->direct[t->lo + j]; j++)
			;
		rf_fail("batch check: protected %s changed at +%#x: %#x, was %#x", t->name, t->lo + j,
			t->direct[t->lo + j], t->copy[j]);
	}
	for (i = 0; !rf.failed && i < RF_RO_WORDS; i++)
		if (READ_ONCE(rf_ro[i]) != RF_RO_PATTERN)
			rf_fail("batch check: this module's rodata changed at word %u: %#llx", i,
				READ_ONCE(rf_ro[i]));
	if (!rf.failed && memcmp(rf_wpage, rf_shadow, PAGE_SIZE)) {
		for (j = 0; j < PAGE_SIZE && rf_wpage[j] == rf_shadow[j]; j++)
			;
		rf_fail("batch check: the watched page holds %#x at +%#x, not %#x", rf_wpage[j], j,
			rf_shadow[j]);
	}
}

/* ---- a run ----------------------------------------------------------------- */

static void rf_dump_op(const struct rf_op *op)
{
	pr_info("op %u %s irqoff=%u a=%#llx,%#llx,%#llx,%#llx ret=%ld trap=%d%s\n",
		op->k, rf_kind_name[op->kind], op->irqoff, op->a[0], op->a[1], op->a[2],
		op->a[3], op->ret, op->trap, op->done ? "" : " (did not finish)");
}

static void rf_dump(void)
{
	u32 k, first = rf.nops > RF_RING ? rf.nops - RF_RING : 0;

	pr_info("seed %llu: the last %u ops\n", rf.seed, rf.nops - first);
	for (k = first; k < rf.nops; k++)
		rf_dump_op(&rf_ring[k % RF_RING]);
}

static void rf_do(struct rf_op *op, const u64 *r)
{
	switch (op->kind) {
	case RF_HC:
		rf_op_hc(op, r);
		break;
	case RF_CR0:
		rf_op_cr(op, r, false);
		break;
	case RF_CR4:
		rf_op_cr(op, r, true);
		break;
	case RF_CR3:
		rf_op_cr3(op, r);
		break;
	case RF_LMSW:
		rf_op_lmsw(op, r);
		break;
	case RF_MSR:
		rf_op_msr(op, r);
		break;
	case RF_VMXCAP:
		rf_op_vmxcap(op, r);
		break;
	case RF_NMI:
		rf_op_nmi(op, r);
		break;
	case RF_LIDT:
		rf_op_loaddt(op, r, true);
		break;
	case RF_LGDT:
		rf_op_loaddt(op, r, false);
		break;
	case RF_LLDT:
		rf_op_lldt(op, r);
		break;
	case RF_LTR:
		rf_op_ltr(op, r);
		break;
	case RF_TRLOAD:
		rf_op_trload(op, r);
		break;
	case RF_SDESC:
		rf_op_sdesc(op, r);
		break;
	case RF_PROT:
		rf_op_prot(op, r);
		break;
	case RF_WATCHED:
		rf_op_watched(op, r);
		break;
	case RF_CPUID:
		rf_op_cpuid(op, r);
		break;
	case RF_XSETBV:
		rf_op_xsetbv(op, r);
		break;
	case RF_INVD:
		rf_op_invd(op, r);
		break;
	default:
		rf_op_vmxinsn(op, r);
		break;
	}
}

static long rf_run_fn(void *arg)
{
	u32 every = batch ?: 1, k, i, n;
	char kinds[RF_NKINDS * 16];
	u64 r[5];

	rf.state = rf.seed;
	rf.failed = false;
	rf.why[0] = '\0';
	rf.traps = rf.hits = rf.neighbours = rf.nmis = rf.skipped = 0;
	memset(rf.count, 0, sizeof(rf.count));
	memset(rf_ring, 0, sizeof(rf_ring));
	memcpy(rf_shadow, rf_wpage, PAGE_SIZE);
	for (k = 0; k < rf.nops && !rf.failed; k++) {
		struct rf_op *op = &rf_ring[k % RF_RING];

		for (i = 0; i < ARRAY_SIZE(r); i++)
			r[i] = rf_next();
		memset(op, 0, sizeof(*op));
		op->k = k;
		op->kind = rf_pick_kind(r[0]);
		op->trap = RF_NOTRAP;
		rf.k = k;
		rf.count[op->kind]++;
		if (trace)
			pr_info("op %u %s r=%#llx,%#llx,%#llx,%#llx,%#llx\n", k,
				rf_kind_name[op->kind], r[0], r[1], r[2], r[3], r[4]);
		preempt_disable();
		rf_do(op, r);
		preempt_enable();
		op->done = 1;
		rf.traps += op->trap != RF_NOTRAP;
		if (!rf.failed && ((k + 1) % every == 0 || k + 1 == rf.nops)) {
			rf_oracle();
			if (!rf.failed && pause_ms)
				msleep(pause_ms);
		}
		cond_resched();
	}
	rf.nops = k;
	pr_info("seed %llu stats ops=%u traps=%u hits=%u neighbours=%u nmis=%u skipped=%u\n",
		rf.seed, k, rf.traps, rf.hits, rf.neighbours, rf.nmis, rf.skipped);
	for (i = 0, n = 0; i < RF_NKINDS; i++)
		n += scnprintf(kinds + n, sizeof(kinds) - n, " %s=%u", rf_kind_name[i],
			       rf.count[i]);
	pr_info("seed %llu kinds%s\n", rf.seed, kinds);
	if (rf.failed) {
		pr_info("seed %llu FAIL at op %u: %s\n", rf.seed, rf.k, rf.why);
		rf_dump();
	} else {
		pr_info("seed %llu ops %u ok\n", rf.seed, k);
	}
	return 0;
}

/* Every online CPU must answer root before anything runs. */
static void rf_ping_fn(void *ok)
{
	struct rampart_hc_out out = {};

	if (rampart_vmcall(RAMPART_HC_PING, 0, &out) == 0 && out.rbx == RAMPART_HC_MAGIC)
		atomic_inc(ok);
}

static bool rf_all_under_rampart(void)
{
	atomic_t ok = ATOMIC_INIT(0);

	on_each_cpu(rf_ping_fn, &ok, 1);
	return atomic_read(&ok) == num_online_cpus();
}

static int run_set(const char *val, const struct kernel_param *kp)
{
	int target = rf_cpu;
	u64 seed;
	int err = kstrtoull(val, 0, &seed);

	if (err)
		return err;
	if (!rf_armed) {
		pr_info("not armed: load the rootfuzz policy, then write 1 to armed\n");
		return -EPERM;
	}
	if (target < 0)
		target = raw_smp_processor_id();
	if (target >= nr_cpu_ids || !cpu_online(target))
		return -EINVAL;
	rf.seed = seed;
	rf.nops = ops;
	return work_on_cpu(target, rf_run_fn, NULL);
}

static const struct kernel_param_ops run_ops = { .set = run_set };
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "run this seed (ops operations on cpu)");

static int dump_set(const char *val, const struct kernel_param *kp)
{
	rf_dump();
	return 0;
}

static const struct kernel_param_ops dump_ops = { .set = dump_set };
module_param_cb(dump, &dump_ops, NULL, 0200);
MODULE_PARM_DESC(dump, "print the last ops of the last run");

/*
 * Armed: the scenario's policy is in force. Snapshot what the oracles
 * keep: each CPU's CRs, MSRs and descriptor tables, the protected bytes,
 * copies of the IDT and GDT (bases for refused loads).
 */
static int armed_set(const char *val, const struct kernel_param *kp)
{
	struct desc_ptr idt, gdt;
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	if (on && !rf_all_under_rampart()) {
		pr_info("not every CPU is under Rampart: not armed\n");
		return -ENODEV;
	}
	if (on) {
		on_each_cpu(rf_snap_fn, NULL, 1);
		rf_targets_copy();
		store_idt(&idt);
		native_store_gdt(&gdt);
		memcpy(rf_idt_copy, (void *)idt.address, min_t(u32, idt.size + 1, PAGE_SIZE));
		memcpy(rf_gdt_copy, (void *)gdt.address, min_t(u32, gdt.size + 1, PAGE_SIZE));
	}
	rf_armed = on;
	return 0;
}

static const struct kernel_param_ops armed_ops = {
	.set = armed_set,
	.get = param_get_bool,
};
module_param_cb(armed, &armed_ops, &rf_armed, 0644);
MODULE_PARM_DESC(armed, "1: the rootfuzz policy is in force, snapshot and allow runs");

/* CET shadow stack or IBT: CPUID.(7,0):ECX[7] or EDX[20] (core/default_policy.c). */
static bool rf_has_cet(void)
{
	unsigned int a, b, c, d;

	if (boot_cpu_data.cpuid_level < 7)
		return false;
	cpuid_count(7, 0, &a, &b, &c, &d);
	return (c & BIT(7)) || (d & BIT(20));
}

static void rf_free(void)
{
	unsigned int i;

	for (i = 0; i < rf_ntargets; i++) {
		vunmap(rf_targets[i].alias);
		kfree(rf_targets[i].copy);
	}
	free_page((unsigned long)rf_shadow);
	free_page((unsigned long)rf_scratch);
	free_page((unsigned long)rf_idt_copy);
	free_page((unsigned long)rf_gdt_copy);
	/*
	 * rf_wpage is not given back: a policy may still watch it, and
	 * nothing else should ever write there.
	 */
}

static int __init rp_rootfuzz_init(void)
{
	unsigned long mb = rp_lookup("rampart:mailbox");
	void *p = NULL;
	int err;

	rf_wpage = (u8 *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	rf_shadow = (u8 *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	rf_scratch = (u8 *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	rf_idt_copy = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	rf_gdt_copy = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!rf_wpage || !rf_shadow || !rf_scratch || !rf_idt_copy || !rf_gdt_copy) {
		free_page((unsigned long)rf_wpage);
		rf_free();
		return -ENOMEM;
	}
	page_pa = virt_to_phys(rf_wpage);
	rf_scratch_pa = virt_to_phys(rf_scratch);
	rf_text_pa = page_to_phys(vmalloc_to_page((const void *)rf_next));
	rf_cet = rf_has_cet();
	/* The kernel side's policy mailbox, as an argument (0 if not found). */
	if (mb && !copy_from_kernel_nofault(&p, (void *)mb, sizeof(p)) && p &&
	    virt_addr_valid(p)) {
		rf_mailbox = (unsigned long)p;
		rf_mailbox_pa = virt_to_phys(p);
	}
	rf_targets_init();
	err = register_nmi_handler(NMI_LOCAL, rf_nmi, 0, "rp_rootfuzz");
	if (err) {
		rf_free();
		free_page((unsigned long)rf_wpage);
		return err;
	}
	pr_info("page_pa=%#lx watch=+%#x:%u targets=%u mailbox=%#llx cet=%d\n", page_pa,
		watch_off, watch_len, rf_ntargets, rf_mailbox_pa, rf_cet);
	return 0;
}

static void __exit rp_rootfuzz_exit(void)
{
	unregister_nmi_handler(NMI_LOCAL, "rp_rootfuzz");
	rf_free();
}

module_init(rp_rootfuzz_init);
module_exit(rp_rootfuzz_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: a seeded fuzzer of root from the deprivileged kernel");
