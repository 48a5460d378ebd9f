// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory to watch, for write-watch policies: the rig puts it under a
 * "log" or "watch" rule and writes it on demand, from a chosen CPU.
 *
 * Read-only parameters (/sys/module/rp_watch/parameters/):
 *   pa           a zeroed page's physical address (decimal)
 *   target_va    &rp_watch_target, which has a page to itself
 *   target_pa    its physical address
 *   cross_va     a 16-byte object straddling a page boundary (8 + 8 bytes)
 *   cross_pa     the physical address of its first byte
 *   cross_pa2    the physical address of its second page
 *   vmalloc_va   64 bytes into a vmalloc'ed page
 *   vmalloc_pa   its physical address
 *   many_va      the first of 1100 u64, in three pages of their own
 * Addresses read as 0x-prefixed hex, except pa.
 *
 * Writable parameters:
 *   cpu      the CPU each of the writes below runs on (-1: any; the write
 *            then runs on the writing process's CPU)
 *   write=N  one 8-byte store of N into the page at pa (a fault is
 *            caught); logs
 *            "rp_watch: wrote <N> now <value read back> fault=<0|1>"
 *   field=N, before=N, after=N   an 8-byte store into rp_watch_target
 *   tail=N   a 4-byte store at rp_watch_target.tail + 4
 *   cross=N  an 8-byte store at cross_va + 4, across the page boundary
 *   vm=N     an 8-byte store at vmalloc_va
 *   many=N   N 8-byte stores, one into each of the first N u64 at many_va
 *   bench=S:N  N 8-byte stores to one spot S (before, field, after, vm, or
 *            plain: the page at pa), timed; logs
 *            "rp_watch: bench <S> <N> stores on cpu<C> in <ns> ns"
 *
 * Each store is one instruction in rp_watch_store() and logs
 *   "rp_watch: <what> <old> -> <new> on cpu<N> read back <value> at <va>"
 * with old, new and the value read back as 0x and two hex digits a byte
 * (the bytes as one little-endian number), or, for many,
 *   "rp_watch: many <N> stores from <va> on cpu<C>, <K> read back".
 */
#define pr_fmt(fmt) "rp_watch: " fmt

#include <linux/build_bug.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/page.h>
#include "rp_store.h"

struct rp_watch_target {
	u64 before;
	u64 field;
	u64 after;
	u8 tail[24];
};

/*
 * rp_watch_target alone in its page, so that a watch on it sees no write
 * but the test's own: defined in assembly, because C leaves the order of
 * two objects in a section to the compiler. The local symbol after it
 * keeps its kallsyms size at 48 bytes.
 */
asm(".pushsection .data..rp_watch_target, \"aw\", @progbits\n"
	"	.balign 4096\n"
	"	.globl rp_watch_target\n"
	"	.type rp_watch_target, @object\n"
	"	.size rp_watch_target, 48\n"
	"rp_watch_target:\n"
	"	.zero 48\n"
	"	.type rp_watch_target_rest, @object\n"
	"	.size rp_watch_target_rest, 4096 - 48\n"
	"rp_watch_target_rest:\n"
	"	.zero 4096 - 48\n"
	".popsection\n");
extern struct rp_watch_target rp_watch_target;

/* Two pages of their own; the object sits 8 bytes before the boundary. */
#define CROSS_OFF	(PAGE_SIZE - 8)
static u8 cross_area[2 * PAGE_SIZE] __aligned(PAGE_SIZE)
	__section(".data..rp_watch_cross");

/* Three pages of their own; many_va is 64 bytes in. */
#define MANY_N		1100
#define MANY_OFF	8
static u64 many_area[3 * PAGE_SIZE / sizeof(u64)] __aligned(PAGE_SIZE)
	__section(".data..rp_watch_many");

static u64 *page;
static unsigned long pa;
module_param(pa, ulong, 0444);
MODULE_PARM_DESC(pa, "physical address of the watched page");

static u8 *vbuf;
static unsigned long target_va, target_pa, cross_va, cross_pa, cross_pa2,
	vmalloc_va, vmalloc_pa, many_va;

static int hex_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%#lx\n", *(unsigned long *)kp->arg);
}

static const struct kernel_param_ops hex_ops = { .get = hex_get };
module_param_cb(target_va, &hex_ops, &target_va, 0444);
MODULE_PARM_DESC(target_va, "&rp_watch_target");
module_param_cb(target_pa, &hex_ops, &target_pa, 0444);
MODULE_PARM_DESC(target_pa, "physical address of rp_watch_target");
module_param_cb(cross_va, &hex_ops, &cross_va, 0444);
MODULE_PARM_DESC(cross_va, "a 16-byte object across a page boundary");
module_param_cb(cross_pa, &hex_ops, &cross_pa, 0444);
MODULE_PARM_DESC(cross_pa, "physical address of the object's first byte");
module_param_cb(cross_pa2, &hex_ops, &cross_pa2, 0444);
MODULE_PARM_DESC(cross_pa2, "physical address of the object's second page");
module_param_cb(vmalloc_va, &hex_ops, &vmalloc_va, 0444);
MODULE_PARM_DESC(vmalloc_va, "8 bytes to watch in a vmalloc'ed page");
module_param_cb(vmalloc_pa, &hex_ops, &vmalloc_pa, 0444);
MODULE_PARM_DESC(vmalloc_pa, "physical address of vmalloc_va");
module_param_cb(many_va, &hex_ops, &many_va, 0444);
MODULE_PARM_DESC(many_va, "the first of 1100 u64 for many watches");

static int target_cpu = -1;
module_param_named(cpu, target_cpu, int, 0644);
MODULE_PARM_DESC(cpu, "CPU the writes run on (-1: the writer's)");

/* One store request, run on the chosen CPU. */
struct rp_watch_req {
	u8 *addr;
	u32 width;	/* 4 or 8 */
	u32 count;	/* stores, width bytes apart */
	u64 val;	/* the first store's value; the next ones add 1 */
	u64 old;	/* the last store's */
	u64 now;
	u32 good;	/* stores read back as written */
	u32 cpu;
	bool same;	/* every store at addr (the benchmark) */
	u64 ns;		/* time all the stores took */
};

static void rp_watch_store(void *info)
{
	struct rp_watch_req *r = info;
	u32 i;

	r->cpu = smp_processor_id();
	if (r->same) {
		u64 t0 = ktime_get_ns();

		for (i = 0; i < r->count; i++)
			asm volatile("movq %1, %0" : "=m" (*(u64 *)r->addr)
				     : "r" (r->val + i));
		r->ns = ktime_get_ns() - t0;
		return;
	}
	for (i = 0; i < r->count; i++) {
		u8 *p = r->addr + i * r->width;
		u64 v = r->val + i;
		u32 v4 = v;

		r->old = 0;
		r->now = 0;
		/* One instruction of width bytes; p may cross a page. */
		memcpy(&r->old, p, r->width);
		if (r->width == 4)
			asm volatile("movl %1, %0" : "=m" (*(u32 *)p) : "r" (v4));
		else
			asm volatile("movq %1, %0" : "=m" (*(u64 *)p) : "r" (v));
		memcpy(&r->now, p, r->width);
		if (r->now == (r->width == 4 ? v4 : v))
			r->good++;
	}
}

static int run_store(struct rp_watch_req *r)
{
	int cpu = READ_ONCE(target_cpu);

	if (cpu < 0) {
		preempt_disable();
		rp_watch_store(r);
		preempt_enable();
		return 0;
	}
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -ENXIO;
	return smp_call_function_single(cpu, rp_watch_store, r, 1);
}

/* A store target: its name (the parameter's) and where, set at init. */
struct rp_watch_spot {
	const char *name;
	u8 *addr;
	u32 width;
};

static struct rp_watch_spot spot_before = { "before", NULL, 8 };
static struct rp_watch_spot spot_field = { "field", NULL, 8 };
static struct rp_watch_spot spot_after = { "after", NULL, 8 };
static struct rp_watch_spot spot_tail = { "tail", NULL, 4 };
static struct rp_watch_spot spot_cross = { "cross", NULL, 8 };
static struct rp_watch_spot spot_vm = { "vm", NULL, 8 };

static int spot_set(const char *val, const struct kernel_param *kp)
{
	struct rp_watch_spot *s = kp->arg;
	struct rp_watch_req r = { .addr = s->addr, .width = s->width, .count = 1 };
	int digits = 2 * s->width, err;

	err = kstrtou64(val, 0, &r.val);
	if (err)
		return err;
	if (s->width == 4 && r.val > U32_MAX)
		return -ERANGE;
	err = run_store(&r);
	if (err)
		return err;
	pr_info("%s 0x%0*llx -> 0x%0*llx on cpu%u read back 0x%0*llx at %#lx\n",
		s->name, digits, r.old, digits, r.val, r.cpu, digits, r.now,
		(unsigned long)s->addr);
	return 0;
}

static const struct kernel_param_ops spot_ops = { .set = spot_set };
module_param_cb(before, &spot_ops, &spot_before, 0200);
MODULE_PARM_DESC(before, "8-byte store into rp_watch_target.before");
module_param_cb(field, &spot_ops, &spot_field, 0200);
MODULE_PARM_DESC(field, "8-byte store into rp_watch_target.field");
module_param_cb(after, &spot_ops, &spot_after, 0200);
MODULE_PARM_DESC(after, "8-byte store into rp_watch_target.after");
module_param_cb(tail, &spot_ops, &spot_tail, 0200);
MODULE_PARM_DESC(tail, "4-byte store at rp_watch_target.tail + 4");
module_param_cb(cross, &spot_ops, &spot_cross, 0200);
MODULE_PARM_DESC(cross, "8-byte store across the page boundary at cross_va + 4");
module_param_cb(vm, &spot_ops, &spot_vm, 0200);
MODULE_PARM_DESC(vm, "8-byte store at vmalloc_va");

static int many_set(const char *val, const struct kernel_param *kp)
{
	static u64 round;
	struct rp_watch_req r = { .addr = (u8 *)many_va, .width = 8 };
	int err = kstrtou32(val, 0, &r.count);

	if (err)
		return err;
	if (r.count > MANY_N)
		return -ERANGE;
	/* Values no earlier round stored: every store changes its u64. */
	r.val = ++round << 32 | 1;
	err = run_store(&r);
	if (err)
		return err;
	pr_info("many %u stores from %#lx on cpu%u, %u read back\n", r.count,
		many_va, r.cpu, r.good);
	return 0;
}

static const struct kernel_param_ops many_ops = { .set = many_set };
module_param_cb(many, &many_ops, NULL, 0200);
MODULE_PARM_DESC(many, "N: one 8-byte store into each of the first N u64 at many_va");

static int write_set(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int err = kstrtoul(val, 0, &v);

	if (err)
		return err;
	/* A "deny" range makes root inject a #PF: caught here. */
	err = rp_store_faulted(&page[1], v);
	pr_info("wrote %lu now %llu fault=%d\n", v, READ_ONCE(page[1]), err);
	return 0;
}

static const struct kernel_param_ops write_ops = { .set = write_set };

/* The benchmark's stores: "<spot>:<n>", or "plain:<n>" to an unwatched page. */
static int bench_set(const char *val, const struct kernel_param *kp)
{
	static struct rp_watch_spot *const spots[] = {
		&spot_before, &spot_field, &spot_after, &spot_vm,
	};
	struct rp_watch_req r = { .width = 8, .same = true, .val = 1 };
	const char *colon = strchr(val, ':');
	size_t len = colon ? colon - val : 0;
	unsigned int i;
	int err;

	if (!colon)
		return -EINVAL;
	err = kstrtou32(colon + 1, 0, &r.count);
	if (err)
		return err;
	if (len == 5 && !strncmp(val, "plain", 5))
		r.addr = (u8 *)&page[1];
	for (i = 0; i < ARRAY_SIZE(spots) && !r.addr; i++)
		if (strlen(spots[i]->name) == len &&
		    !strncmp(val, spots[i]->name, len))
			r.addr = spots[i]->addr;
	if (!r.addr || !r.count)
		return -EINVAL;
	err = run_store(&r);
	if (err)
		return err;
	pr_info("bench %.*s %u stores on cpu%u in %llu ns\n", (int)len, val,
		r.count, r.cpu, r.ns);
	return 0;
}

static const struct kernel_param_ops bench_ops = { .set = bench_set };
module_param_cb(bench, &bench_ops, NULL, 0200);
MODULE_PARM_DESC(bench, "<spot>:<n>: n 8-byte stores to one spot, timed (plain: an unwatched page)");
module_param_cb(write, &write_ops, NULL, 0200);
MODULE_PARM_DESC(write, "store this value in the watched page");

static unsigned long phys_of(const void *p)
{
	return slow_virt_to_phys((void *)p);
}

static int __init rp_watch_init(void)
{
	BUILD_BUG_ON(sizeof(struct rp_watch_target) != 48);
	BUILD_BUG_ON(PAGE_SIZE != 4096);
	BUILD_BUG_ON(MANY_OFF + MANY_N > ARRAY_SIZE(many_area));

	page = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	vbuf = vzalloc(PAGE_SIZE);
	if (!vbuf) {
		free_page((unsigned long)page);
		return -ENOMEM;
	}
	pa = virt_to_phys(page);
	target_va = (unsigned long)&rp_watch_target;
	target_pa = phys_of(&rp_watch_target);
	cross_va = (unsigned long)cross_area + CROSS_OFF;
	cross_pa = phys_of(cross_area + CROSS_OFF);
	cross_pa2 = phys_of(cross_area + PAGE_SIZE);
	vmalloc_va = (unsigned long)vbuf + 64;
	vmalloc_pa = phys_of(vbuf + 64);
	many_va = (unsigned long)&many_area[MANY_OFF];

	spot_before.addr = (u8 *)&rp_watch_target.before;
	spot_field.addr = (u8 *)&rp_watch_target.field;
	spot_after.addr = (u8 *)&rp_watch_target.after;
	spot_tail.addr = &rp_watch_target.tail[4];
	spot_cross.addr = cross_area + CROSS_OFF + 4;
	spot_vm.addr = vbuf + 64;
	return 0;
}

static void __exit rp_watch_exit(void)
{
	vfree(vbuf);
	free_page((unsigned long)page);
}

module_init(rp_watch_init);
module_exit(rp_watch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: memory for write-watch policies");
