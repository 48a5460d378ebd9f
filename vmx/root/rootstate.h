/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by every CPU's VMX root: the policy in force and the next
 * one, the MSR bitmap, the violation ring. Allocated from the root arena
 * before launch, so the kernel can read it but never write it (DESIGN.md
 * principle 3); the pointers in it are fixed before launch.
 */
#ifndef RAMPART_VMX_ROOTSTATE_H
#define RAMPART_VMX_ROOTSTATE_H

#include <linux/math.h>
#include <linux/threads.h>
#include <linux/types.h>

#include "../../policy/policy.h"

struct rampart_caps;

#define RAMPART_RING_ORDER	2
#define RAMPART_RING_SIZE	((PAGE_SIZE << RAMPART_RING_ORDER) / \
				 sizeof(struct rampart_event))
/*
 * After seal, root also keeps the first records in a buffer that never
 * wraps (vmx/root/event.c): flooding the ring cannot erase them.
 */
#define RAMPART_FIRST_ORDER	2
#define RAMPART_FIRST_SIZE	((PAGE_SIZE << RAMPART_FIRST_ORDER) / \
				 sizeof(struct rampart_event))
/* Write-watch hits (vmx/root/watch.c): 1024, a burst on every watch. */
#define RAMPART_WATCH_RING_ORDER	5
#define RAMPART_WATCH_RING_SIZE	((PAGE_SIZE << RAMPART_WATCH_RING_ORDER) / \
				 sizeof(struct rampart_watch_hit))
#define RAMPART_ROOT_ORDER	5
/*
 * EPT tables for splits: at most 4 per range (a 1 GiB and two 2 MiB ends),
 * and one per 2 MiB region that holds module text. Module pages are
 * vmalloc'ed and scattered, so a host with a hundred modules needs
 * hundreds: 512 tables (2 MiB) cover 1 GiB of such regions.
 */
#define RAMPART_EPT_POOL_ORDER	9
#define RAMPART_EPT_POOL_WORDS	((1U << RAMPART_EPT_POOL_ORDER) / 64)
/* Header plus the most rules a policy can have: 64016 bytes. */
#define RAMPART_MAILBOX_ORDER	4
#define RAMPART_MAILBOX_SIZE	(sizeof(struct rampart_policy_hdr) + \
				 RAMPART_POLICY_MAX_RULES * \
				 sizeof(struct rampart_rule))

/* A CPU's alternate EPT (ept/alt.c): a PML4 and two 3-table paths. */
#define RAMPART_ALT_ORDER	3
#define RAMPART_ALT_PAGES	(1U << RAMPART_ALT_ORDER)

/* A run of module text and rodata the modules rule protects (vmx/modtext.c). */
struct rampart_mod_run {
	u64 start, end;		/* guest-physical, page aligned */
	u64 handle;		/* root's unpredictable name for the module */
	u64 reserved;
};

/* 8192 runs: a module's vmalloc'ed pages are often one run each. */
#define RAMPART_MODS_ORDER	6
#define RAMPART_MODS_MAX	((PAGE_SIZE << RAMPART_MODS_ORDER) / \
				 sizeof(struct rampart_mod_run))

/* A range of System RAM [start, end), at most RAMPART_RAM_RANGES of them. */
struct rampart_ram_range {
	u64 start, end;
};

#define RAMPART_RAM_RANGES	64

/* One bit per possible CPU number; both CPU bitmaps fit one page. */
#define RAMPART_CPU_WORDS	DIV_ROUND_UP(NR_CPUS, 64)

struct rampart_root {
	/* Root-only synchronisation. */
	u32 lock;		/* held to read or flip the policy in force */
	u32 loading;		/* a POLICY_LOAD is compiling into the spare slot */

	/* Read by the kernel for status, never trusted back. */
	u64 gen;		/* generation in force; 0: none loaded yet */
	u32 active;		/* index of the slot in force */
	u32 sealed;
	u64 ring_head;		/* events ever recorded */
	u64 ring_count[RAMPART_ACT_NR];	/* by action */
	u64 sealed_events;	/* recorded since seal; the first are in @first */
	u64 mod_add_calls;	/* MODULE_ADD hypercalls (vmx/root/modtext.c) */
	u64 mod_add_refused;	/* ... refused: a bad run, or no room */
	u64 mod_del_calls;	/* MODULE_DEL hypercalls */
	u64 mod_del_refused;	/* ... for a handle no run holds */

	/* Fixed before launch. */
	u8 *msr_bitmap;
	u8 *io_bitmap;		/* A and B, two pages; NULL: no I/O exits */
	/*
	 * The FADT's PM1a/PM1b control ports (0: none) and the SLP_TYP value
	 * of S5 for each, the one sleep type root lets through (vmx/io.c).
	 */
	u16 pm1_cnt[2];
	u16 pm1_s5_typ[2];
	/*
	 * Tracing hardware (vmx/vmcs.c): enum rampart_pt, and whether exits
	 * stop the performance counters (IA32_PERF_GLOBAL_CTRL 0 in root).
	 */
	u8 pt_mode;
	bool pmu_off_in_root;
	/*
	 * Nested VMX (vmx/root/nested_*.c): the capabilities root reports
	 * while the policy has it emulate VMX; the checker reads vmcs12
	 * against them.
	 */
	const struct rampart_caps *l1_caps;
	const u8 *mailbox;	/* kernel-writable: each byte is read once */
	struct rampart_event *ring;
	struct rampart_event *first;	/* RAMPART_FIRST_SIZE, after seal */
	struct rampart_watch_hit *watch_ring;	/* RAMPART_WATCH_RING_SIZE */
	u64 direct_map;		/* virtual address of physical 0 */
	/*
	 * System RAM as the kernel listed it before launch (core/launch.c):
	 * the only memory root reads or writes for the guest (vmx/root/gmem.c).
	 */
	u32 nram;
	struct rampart_ram_range ram[RAMPART_RAM_RANGES];
	u64 *ept_pml4;
	u64 ept_end;		/* the EPT maps [0, ept_end) */
	u8 *ept_pool;		/* table pages for splits */
	u32 ept_pool_pages;

	struct rampart_mod_run *mods;	/* RAMPART_MODS_MAX runs, by start */
	/* The boot CPU's capabilities, for the entry checker (vmx/check.c). */
	const struct rampart_caps *caps;

	/*
	 * The split pool (ept/root/perm.c), edited by the EPT editor only: a
	 * table is busy from its split until every CPU has flushed its EPT
	 * caches after the merge that freed it (pending until then).
	 */
	u64 ept_pool_busy[RAMPART_EPT_POOL_WORDS];
	u64 ept_pool_pending[RAMPART_EPT_POOL_WORDS];

	/* Root's EPT accounting, read by debugfs. */
	u32 ept_pool_used;	/* busy tables, pending ones included */
	u32 ept_pool_pending_n;
	u32 ept_splits;
	u32 ept_merges;
	u64 ept_epoch;		/* shared-EPT edits so far (ept/perm.c) */
	u64 alt_stale;		/* windows and steps ended by an edit (vmx/exit.c) */

	/* Text poking (vmx/root/poke.c); the first six under the policy lock. */
	u64 poke_pgd;		/* calibrated CR3[51:12] of text_poke()'s mm */
	u64 poke_va;		/* calibrated poking address (two pages) */
	u64 poke_armed;		/* calibration page while armed, else 0 */
	u64 poke_rip;		/* RIP of the calibrating store */
	u64 poke_copy_start;	/* the copy routine around it: only it may */
	u64 poke_copy_end;	/* store to poke text; 0: not yet named */
	u64 pokes;		/* windows opened */
	u64 pokes_refused;	/* writes to poke ranges not from text_poke() */
	u64 steps;		/* logged memory writes single-stepped */
	u64 watch_head;		/* write-watch hits ever recorded */
	u64 watch_neighbours;	/* writes to unwatched bytes of watched pages */

	/* Module runs, under the policy lock (vmx/modtext.c). */
	u32 nmods;

	/*
	 * CPUs that must run under Rampart before sealing: the present ones
	 * at load, fixed before launch. Root sets a CPU's bit in cpus_in at
	 * its first exit and clears it at the DEVIRT that leaves VMX. All
	 * four CPU bitmaps share one root page (RAMPART_CPU_WORDS each).
	 */
	u64 *cpus_required;
	u64 *cpus_in;
	/*
	 * CPUs that must flush their EPT caches (INVEPT at a policy sync)
	 * before pending pool tables can be used again; same page.
	 */
	u64 *cpus_to_flush;
	u64 *cpus_parked;	/* in root for good: they walk no EPT */
	/*
	 * CPUs the MADT lists beyond the present ones (core/madt.c), fixed
	 * before launch: none of them may ever run natively once sealed, so
	 * sealing is refused while there are any.
	 */
	u32 cpus_unlisted;

	struct rampart_policy slot[2];
};

#endif /* RAMPART_VMX_ROOTSTATE_H */
