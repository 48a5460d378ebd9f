// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel side of the policy: parse text into the mailbox, ask root to load
 * it, make every CPU apply it, seal. Nothing here is trusted by root: it
 * only proposes. Errors give one log line with the policy line number.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/cpumask.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/desc.h>
#include <asm/set_memory.h>
#include <asm/vdso.h>

#include "default_policy.h"
#include "../policy/policy.h"
#include "../vmx/root/rootstate.h"
#include "hypercall.h"
#include "launch.h"
#include "policy.h"
#include "rampart.h"
#include "watch.h"

static DEFINE_MUTEX(policy_mutex);
static bool pinned;

/**
 * rampart_policy_mutex_lock() - serialise everything that edits root's
 * EPT from the kernel side: policy loads, module runs.
 */
void rampart_policy_mutex_lock(void)
{
	mutex_lock(&policy_mutex);
}

/**
 * rampart_policy_mutex_unlock() - see rampart_policy_mutex_lock().
 */
void rampart_policy_mutex_unlock(void)
{
	mutex_unlock(&policy_mutex);
}

static void log_reject(const char *origin, const struct rp_policy_error *e,
		       int err)
{
	if (e->code == RP_ERR_RELAXES && !e->line)
		/* Only VMX has a meaning without a rule: hidden. */
		pr_err("policy rejected (%s): %s: the sealed policy hides VMX (no vmx rule), line %u of this policy would emulate it (%d)\n",
		       origin, rp_policy_strerror(e->code), e->other, err);
	else if (e->code == RP_ERR_RELAXES)
		pr_err("policy rejected (%s): %s: line %u of the sealed policy%s (%d)\n",
		       origin, rp_policy_strerror(e->code), e->line,
		       e->other ? ", weakened by this policy" : ", missing from this policy",
		       err);
	else if (e->other)
		pr_err("policy rejected (%s): line %u: %s (see line %u) (%d)\n",
		       origin, e->line, rp_policy_strerror(e->code), e->other,
		       err);
	else if (e->line)
		pr_err("policy rejected (%s): line %u: %s (%d)\n", origin,
		       e->line, rp_policy_strerror(e->code), err);
	else
		pr_err("policy rejected (%s): %s (%d)\n", origin,
		       rp_policy_strerror(e->code), err);
}

/* A child of a top-level "System RAM" resource, by name (/proc/iomem). */
static int iomem_extent(const char *name, u64 *start, u64 *size)
{
	struct resource *top, *r;

	for (top = iomem_resource.child; top; top = top->sibling) {
		for (r = top->child; r; r = r->sibling) {
			if (!r->name || strcmp(r->name, name))
				continue;
			*start = round_down(r->start, PAGE_SIZE);
			*size = round_up(r->end + 1, PAGE_SIZE) - *start;
			return 0;
		}
	}
	return -ENOENT;
}

/* .rodata holds the system call table and, on x86, ro_after_init data. */
static int resolve_rodata(u64 *start, u64 *size)
{
	return iomem_extent("Kernel rodata", start, size);
}

/* Kernel text, [_text, _etext): only text_poke() writes it at run time. */
static int resolve_kernel_text(u64 *start, u64 *size)
{
	return iomem_extent("Kernel code", start, size);
}

/* Modules have no extent: root learns each one as it goes live. */
static int resolve_modules(u64 *start, u64 *size)
{
	*start = 0;
	*size = 0;
	return 0;
}

/* The IDT page; its cpu_entry_area alias is read-only, the EPT guards both. */
static int resolve_idt(u64 *start, u64 *size)
{
	struct desc_ptr idt;

	store_idt(&idt);
	*start = round_down(slow_virt_to_phys((void *)idt.address), PAGE_SIZE);
	/*
	 * The table itself (IDT_ENTRIES gates), not IDTR's limit: every VM exit
	 * sets that to 0xFFFF (SDM 28.5.2), and after a KVM guest has run on
	 * this CPU it stays so until the next LIDT, which would cover the 15
	 * pages of kernel data that follow the IDT.
	 */
	*size = round_up(IDT_ENTRIES * sizeof(gate_desc), PAGE_SIZE);
	return 0;
}

/* The 64-bit vDSO image the kernel maps into every process. */
static int resolve_vdso(u64 *start, u64 *size)
{
	const struct vdso_image *img = current->mm ?
				       current->mm->context.vdso_image : NULL;

	if (!img)
		return -ENOENT;
	*start = slow_virt_to_phys(img->data);
	*size = img->size;
	return PAGE_ALIGNED(*start) && PAGE_ALIGNED(*size) ? 0 : -EINVAL;
}

/* Named ranges, resolved to this machine's physical extents. */
static int (*const resolvers[RAMPART_RANGE_NR])(u64 *start, u64 *size) = {
	[RAMPART_RANGE_KERNEL_TEXT] = resolve_kernel_text,
	[RAMPART_RANGE_MODULES] = resolve_modules,
	[RAMPART_RANGE_RODATA] = resolve_rodata,
	[RAMPART_RANGE_RO_AFTER_INIT] = resolve_rodata,
	[RAMPART_RANGE_IDT] = resolve_idt,
	[RAMPART_RANGE_VDSO] = resolve_vdso,
};

/* Turn range.<name> rules into this machine's physical extents. */
static int resolve_ranges(struct rampart_rule *rules, u32 count,
			  struct rp_policy_error *e)
{
	u32 i;

	for (i = 0; i < count; i++) {
		struct rampart_rule *r = &rules[i];
		u64 start, size;

		if (r->kind != RAMPART_ASSET_RANGE)
			continue;
		if (r->range >= RAMPART_RANGE_NR || !resolvers[r->range] ||
		    resolvers[r->range](&start, &size)) {
			e->code = RP_ERR_RANGE_LATER;
			e->line = r->line;
			e->other = 0;
			return rp_policy_errno(e->code);
		}
		r->id = start;
		r->mask = size;
	}
	return 0;
}

static void sync_fn(void *unused)
{
	rampart_vmcall(RAMPART_HC_POLICY_SYNC, 0, NULL);
}

/**
 * rampart_policy_sync_all() - every CPU applies the policy in force and
 * drops its cached EPT translations.
 */
void rampart_policy_sync_all(void)
{
	on_each_cpu(sync_fn, NULL, 1);
}

/* Who reports live modules to root when a policy protects them (main.c). */
static void (*modules_protect)(void) __ro_after_init;

/**
 * rampart_policy_on_modules_rule() - name the function that reports every
 * live module to root once a loaded policy protects module text.
 * @fn: it (hooks/modules.c's, set by the module's entry point).
 */
void rampart_policy_on_modules_rule(void (*fn)(void))
{
	modules_protect = fn;
}

/**
 * rampart_policy_load() - parse a policy and have root put it in force.
 * @text: policy text (uapi/policy.h).
 * @len: its length.
 * @origin: "default" or "sysfs", for the log line.
 *
 * All or nothing: on any error the policy in force stays as it was.
 *
 * Return: 0 or a negative errno (see policy/errors.h).
 */
int rampart_policy_load(const char *text, size_t len, const char *origin)
{
	struct rampart_policy_hdr *hdr = rampart_mailbox();
	struct rp_policy_error e;
	struct rampart_hc_out out = {};
	struct rampart_watch_set *watches;
	const struct rampart_policy *p;
	u32 count;
	long ret;
	int err;

	if (!hdr || !rampart_launched) {
		pr_err("policy rejected (%s): Rampart is not launched (%d)\n",
		       origin, -ENODEV);
		return -ENODEV;
	}
	watches = rampart_watch_set_new();
	if (!watches)
		return -ENOMEM;
	mutex_lock(&policy_mutex);
	err = rp_parse_resolve(text, len, (struct rampart_rule *)(hdr + 1),
			       RAMPART_POLICY_MAX_RULES, &count, &e,
			       rampart_watch_resolve, watches);
	err = err ?: resolve_ranges((struct rampart_rule *)(hdr + 1), count, &e);
	if (err) {
		log_reject(origin, &e, err);
		goto out;
	}
	hdr->magic = RAMPART_POLICY_MAGIC;
	hdr->version = RAMPART_POLICY_VERSION;
	hdr->count = count;
	hdr->reserved = 0;

	ret = rampart_vmcall_pinned(RAMPART_HC_POLICY_LOAD, 0, &out);
	if (ret) {
		e.code = out.rbx;
		e.line = (u32)out.rcx;
		e.other = out.rcx >> 32;
		err = ret == -ENODEV ? -ENODEV : rp_policy_errno(e.code);
		log_reject(origin, &e, err);
		goto out;
	}
	rampart_policy_sync_all();
	rampart_watch_commit(watches);
	watches = NULL;
	p = &rampart_root_state()->slot[READ_ONCE(rampart_root_state()->active)];
	if (p->modules.action == RAMPART_ACT_DENY && modules_protect)
		modules_protect();
	pr_info("policy generation %lu in force (%s): %u rules; CR0 %#llx, CR4 %#llx, %u MSRs, %u memory ranges%s guarded, %u watches\n",
		out.rdx, origin, count, p->cr_owned[RP_CR0],
		p->cr_owned[RP_CR4], p->nmsr, p->nrange,
		p->modules.action == RAMPART_ACT_DENY ? " and module text" : "",
		p->nwatch);
out:
	mutex_unlock(&policy_mutex);
	rampart_watch_set_free(watches);
	return err;
}

/**
 * rampart_policy_load_default() - load the default policy (at launch).
 * @poke: root calibrated text_poke(), so text can take "poke" rules.
 *
 * Return: 0 or a negative errno.
 */
int rampart_policy_load_default(bool poke)
{
	char *buf = kmalloc(1024, GFP_KERNEL);
	int err;

	if (!buf)
		return -ENOMEM;
	err = rampart_policy_load(buf,
				  rampart_default_policy(buf, 1024, poke,
							 rampart_nested_supported()),
				  "default");
	kfree(buf);
	return err;
}

/**
 * rampart_policy_seal() - seal the policy, one-way until reboot.
 *
 * Root stops accepting relaxing policies and DEVIRT; the kernel side pins
 * the module so that rmmod fails with EBUSY.
 *
 * Return: 0 or a negative errno.
 */
int rampart_policy_seal(void)
{
	cpumask_var_t out;
	unsigned int cpu;
	u32 unlisted;
	long ret;

	/* launch=0: no root, so nothing to seal (and no root state). */
	if (!rampart_launched) {
		pr_err("seal refused: Rampart is not launched (launch=0) (%d)\n",
		       -ENODEV);
		return -ENODEV;
	}
	/* Root decides (vmx/policy.c); this names every CPU it would miss. */
	unlisted = rampart_root_state()->cpus_unlisted;
	if (unlisted) {
		pr_err("seal refused: the MADT lists %u CPU(s) beyond the %u Linux has (nr_cpus=, possible_cpus= or hot-plug slots); one started outside Rampart could write root memory (%d)\n",
		       unlisted, num_present_cpus(), -EBUSY);
		return -EBUSY;
	}
	if (!zalloc_cpumask_var(&out, GFP_KERNEL))
		return -ENOMEM;
	for_each_present_cpu(cpu)
		if (rampart_cpus[cpu]->state != RAMPART_CPU_LAUNCHED)
			cpumask_set_cpu(cpu, out);
	if (!cpumask_empty(out)) {
		pr_err("seal refused: CPUs %*pbl are not under Rampart; online them first, or boot without maxcpus=/nosmt (%d)\n",
		       cpumask_pr_args(out), -EBUSY);
		free_cpumask_var(out);
		return -EBUSY;
	}
	free_cpumask_var(out);
	mutex_lock(&policy_mutex);
	ret = rampart_vmcall_pinned(RAMPART_HC_SEAL, 0, NULL);
	if (!ret && !pinned) {
		__module_get(THIS_MODULE);
		pinned = true;
		pr_notice("policy sealed: only stricter policies load; unload, CPU offline and suspend are refused until reboot\n");
	}
	mutex_unlock(&policy_mutex);
	if (ret)
		pr_err("seal refused: %ld\n", ret);
	return ret;
}

/**
 * rampart_policy_snapshot() - copy the policy in force out of root memory.
 * @p: the copy.
 *
 * The kernel may read root memory but not lock it, so retry until the
 * generation is the same before and after the copy.
 *
 * Return: the generation copied; 0 when none is in force.
 */
u64 rampart_policy_snapshot(struct rampart_policy *p)
{
	const struct rampart_root *rs = rampart_root_state();
	u64 gen;

	if (!rs)
		return 0;
	do {
		gen = READ_ONCE(rs->gen);
		/* The generation before the slot, as root publishes them. */
		smp_rmb();
		memcpy(p, &rs->slot[READ_ONCE(rs->active)], sizeof(*p));
		/* The slot before the re-check: a flip under us retries. */
		smp_rmb();
	} while (gen != READ_ONCE(rs->gen));
	return gen;
}
