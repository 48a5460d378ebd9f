// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/rampart/ (root only, 0400):
 *   root_pages   one line per root-memory chunk: "pa bytes access", then
 *                each CPU's VMXON region and VMCS ("none"), then the
 *                pages of root code ("text") and root tables ("rodata"),
 *                all read-only or absent in the EPT. It gives
 *                away physical addresses, so it is for tests and
 *                debugging, never in sysfs.
 *   memory       bytes of root memory, how much of all memory root's page
 *                tables let it write (root's own, no more), EPT tables,
 *                splits, leaves by size, and the per-CPU part of it
 *   timing       per CPU: how long its last launch took, in ns; then how
 *                often the event drain's timer has run (core/events.c)
 *   tracing      how root keeps Intel PT and the performance counters off
 *                its memory (vmx/vmcs.c), then per CPU what root read back
 *                from that CPU's VMCS at its first exit
 */
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/seq_file.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "../ept/ept.h"
#include "../vmx/caps.h"
#include "../vmx/root/nested.h"
#include "../vmx/root/root.h"
#include "../vmx/root/rootstate.h"
#include "../vmx/root/vcpu.h"
#include "arena.h"
#include "events.h"
#include "launch.h"
#include "rampart.h"

static struct dentry *dir;

static void module_pages(struct seq_file *m, const u8 *start,
			 const u8 *end, const char *what)
{
	const u8 *va;

	for (va = start; va < end; va += PAGE_SIZE)
		seq_printf(m, "%#llx %lu %s\n",
			   (u64)page_to_phys(vmalloc_to_page(va)), PAGE_SIZE,
			   what);
}

static int root_pages_show(struct seq_file *m, void *unused)
{
	unsigned int i, cpu;

	for (i = 0; i < rampart_arena_count(); i++) {
		const struct rampart_arena_chunk *c = rampart_arena_chunk(i);

		seq_printf(m, "%#llx %lu read\n", (u64)virt_to_phys(c->va),
			   PAGE_SIZE << c->order);
	}
	for_each_possible_cpu(cpu) {
		const struct rampart_vcpu *v = rampart_vcpu(cpu);

		if (v)
			seq_printf(m, "%#llx %lu none\n%#llx %lu none\n",
				   v->vmxon_pa, PAGE_SIZE, v->vmcs_pa, PAGE_SIZE);
	}
	module_pages(m, rampart_root_text_start, rampart_root_text_end, "text");
	module_pages(m, rampart_root_rodata_start, rampart_root_rodata_end,
		     "rodata");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(root_pages);

static int memory_show(struct seq_file *m, void *unused)
{
	const struct rampart_ept *e = rampart_ept_info();
	const struct rampart_root *rs = rampart_root_state();
	unsigned int cpu;

	seq_printf(m, "root_bytes %lu\n", rampart_arena_bytes());
	seq_printf(m, "root_writable_bytes %llu\n",
		   rampart_root_writable_bytes());
	seq_printf(m, "ept_table_pages %lu\n", e->table_pages);
	seq_printf(m, "ept_end %#llx\n", e->end);
	seq_printf(m, "ept_leaves_4k %lu\nept_leaves_2m %lu\nept_leaves_1g %lu\n",
		   e->leaves[0], e->leaves[1], e->leaves[2]);
	seq_printf(m, "ept_splits %lu\n", e->splits);
	if (rs) {
		/* Splits root made for policy ranges, from its table pool. */
		seq_printf(m, "ept_policy_splits %u\n", READ_ONCE(rs->ept_splits));
		seq_printf(m, "ept_pool_used %u\nept_pool_pending %u\nept_pool_pages %u\nept_merges %u\n",
			   READ_ONCE(rs->ept_pool_used),
			   READ_ONCE(rs->ept_pool_pending_n), rs->ept_pool_pages,
			   READ_ONCE(rs->ept_merges));
		seq_printf(m, "ept_alt_pages %u\n",
			   RAMPART_ALT_PAGES * num_possible_cpus());
		seq_printf(m, "module_runs %u\nmodule_runs_max %lu\n",
			   READ_ONCE(rs->nmods), RAMPART_MODS_MAX);
		seq_printf(m, "module_add_calls %llu\nmodule_add_refused %llu\nmodule_del_calls %llu\nmodule_del_refused %llu\n",
			   READ_ONCE(rs->mod_add_calls),
			   READ_ONCE(rs->mod_add_refused),
			   READ_ONCE(rs->mod_del_calls),
			   READ_ONCE(rs->mod_del_refused));
		seq_printf(m, "text_pokes %llu\ntext_pokes_refused %llu\n",
			   READ_ONCE(rs->pokes), READ_ONCE(rs->pokes_refused));
		for_each_online_cpu(cpu) {
			const struct rampart_vcpu *v = rampart_vcpu(cpu);

			if (v && READ_ONCE(v->launched))
				seq_printf(m, "cpu%u_text_pokes %llu\ncpu%u_desc_user_refused %llu\n",
					   cpu, READ_ONCE(v->pokes), cpu,
					   READ_ONCE(v->desc_user_refused));
		}
		seq_printf(m, "logged_write_steps %llu\n", READ_ONCE(rs->steps));
		seq_printf(m, "alt_ept_stale_closed %llu\nept_edits %llu\n",
			   READ_ONCE(rs->alt_stale), READ_ONCE(rs->ept_epoch));
		seq_printf(m, "pm1a_cnt %#x\npm1b_cnt %#x\n", rs->pm1_cnt[0],
			   rs->pm1_cnt[1]);
	}
	seq_printf(m, "per_cpu_bytes %lu\n", PAGE_SIZE << RAMPART_VCPU_ORDER);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(memory);

static int timing_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		seq_printf(m, "cpu%u launch_ns %llu\n", cpu,
			   rampart_cpus[cpu]->launch_ns);
	seq_printf(m, "drain_runs %llu\n", rampart_events_drain_runs());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(timing);

static int tracing_show(struct seq_file *m, void *unused)
{
	const struct rampart_root *rs = rampart_root_state();
	unsigned int cpu;

	if (!rs)
		return 0;
	seq_printf(m, "pt %s\npmu_off_in_root %d\n",
		   rampart_pt_names[rs->pt_mode], rs->pmu_off_in_root);
	for_each_online_cpu(cpu) {
		const struct rampart_vcpu *v = rampart_vcpu(cpu);

		if (v && READ_ONCE(v->launched))
			seq_printf(m, "cpu%u pmu_off_in_root %d pt_gpa %d\n", cpu,
				   READ_ONCE(v->seen_pmu_off),
				   READ_ONCE(v->seen_pt_gpa));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tracing);

/* Root's failed VMREADs and VMWRITEs (vmx/root/vmcs_access.c): none, ever. */
static int vmcs_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		const struct rampart_vcpu *v = rampart_vcpu(cpu);
		u64 n = v ? READ_ONCE(v->vmcs_errors) : 0;

		if (!v || !READ_ONCE(v->launched))
			continue;
		seq_printf(m, "cpu%u vmcs_errors %llu", cpu, n);
		if (n)
			seq_printf(m, " first %s %#x", READ_ONCE(v->vmcs_error_write) ?
				   "VMWRITE" : "VMREAD", READ_ONCE(v->vmcs_error_field));
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmcs);

/* Nested VMX per CPU (vmx/root/nested.h): L2 entries, exits, shadow EPT. */
static int nested_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		const struct rampart_vcpu *v = rampart_vcpu(cpu);
		const struct rampart_nested *n;

		if (!v || !READ_ONCE(v->launched))
			continue;
		n = v->nested;
		seq_printf(m, "cpu%u vmxon %d l2_entries %llu reflected %llu sept_fills %llu sept_flushes %llu sept_pages %u/%u refused %llu held_writes %llu vmcs_shadowing %d\n",
			   cpu, READ_ONCE(n->vmxon), READ_ONCE(n->entries),
			   READ_ONCE(n->reflected), READ_ONCE(n->sept_fills),
			   READ_ONCE(n->sept_flushes), READ_ONCE(n->sept_used),
			   RAMPART_SEPT_PAGES, READ_ONCE(n->refused),
			   READ_ONCE(n->held_writes),
			   READ_ONCE(n->shadow_ready));
	}
	seq_printf(m, "per_cpu_bytes %lu\n",
		   (PAGE_SIZE << RAMPART_NESTED_ORDER) + (PAGE_SIZE << RAMPART_SEPT_ORDER) +
		   (PAGE_SIZE << RAMPART_SHADOW_ORDER));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nested);

/**
 * rampart_debugfs_init() - create /sys/kernel/debug/rampart/. Failures
 * only lose the debug files, so they are not reported.
 */
void rampart_debugfs_init(void)
{
	dir = debugfs_create_dir("rampart", NULL);
	debugfs_create_file("root_pages", 0400, dir, NULL, &root_pages_fops);
	debugfs_create_file("memory", 0400, dir, NULL, &memory_fops);
	debugfs_create_file("timing", 0400, dir, NULL, &timing_fops);
	debugfs_create_file("tracing", 0400, dir, NULL, &tracing_fops);
	debugfs_create_file("vmcs", 0400, dir, NULL, &vmcs_fops);
	debugfs_create_file("nested", 0400, dir, NULL, &nested_fops);
}

/**
 * rampart_debugfs_exit() - remove /sys/kernel/debug/rampart/.
 */
void rampart_debugfs_exit(void)
{
	debugfs_remove(dir);
	dir = NULL;
}
