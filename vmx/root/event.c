// SPDX-License-Identifier: GPL-2.0-only
/*
 * The violation ring (root side). Every CPU's root appends records with
 * one atomic add on the head and never waits: when the kernel side reads
 * too slowly, the oldest records are overwritten and the kernel counts
 * the gap from the sequence numbers (core/events.c). Once the policy is
 * sealed, the first RAMPART_FIRST_SIZE records also go to a buffer that
 * never wraps, so a flood of junk cannot erase the first violation.
 */
#include <linux/types.h>
#include <asm/vmx.h>

#include "arch.h"
#include "event.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* Fill @e from @src, seq last with release ordering (cleared first). */
static __rampart_root void put_record(struct rampart_event *e,
				      const struct rampart_event *src)
{
	__atomic_store_n(&e->seq, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	e->tsc = src->tsc;
	e->rip = src->rip;
	e->old = src->old;
	e->attempted = src->attempted;
	e->bits = src->bits;
	e->asset = src->asset;
	e->cpu = src->cpu;
	e->line = src->line;
	e->kind = src->kind;
	e->action = src->action;
	e->deny = src->deny;
	e->reserved = 0;
	__atomic_store_n(&e->seq, src->seq, __ATOMIC_RELEASE);
}

/*
 * Append @rec, whose seq is taken, to the ring, and (sealed, @first_too)
 * to @first: a watch hit, which has its own ring, takes no room there.
 */
static __rampart_root void append(struct rampart_root *rs,
				  const struct rampart_event *rec,
				  bool first_too)
{
	u64 n;

	put_record(&rs->ring[(rec->seq - 1) % RAMPART_RING_SIZE], rec);
	if (first_too && READ_ONCE(rs->sealed)) {
		n = __atomic_fetch_add(&rs->sealed_events, 1, __ATOMIC_RELAXED);
		if (n < RAMPART_FIRST_SIZE)
			put_record(&rs->first[n], rec);
	}
	if (rec->action < RAMPART_ACT_NR)
		__atomic_add_fetch(&rs->ring_count[rec->action], 1,
				   __ATOMIC_RELAXED);
}

/**
 * rampart_root_event_record() - append one violation record.
 * @v: this CPU.
 * @kind: RAMPART_ASSET_CR or _MSR.
 * @asset: the CR number or MSR index.
 * @vd: the verdict (action, deny mode, rule line, bits).
 * @old: the value before the write.
 * @attempted: the value the write tried to store.
 *
 * The record's seq is cleared first and written last, with release
 * ordering, so a reader never takes a half-written record for a whole one.
 */
__rampart_root void rampart_root_event_record(struct rampart_vcpu *v, u8 kind,
					 u32 asset, const struct rp_verdict *vd,
					 u64 old, u64 attempted)
{
	struct rampart_event rec = {
		.seq = __atomic_add_fetch(&v->root->ring_head, 1,
					  __ATOMIC_RELAXED),
		.tsc = rampart_root_tsc(),
		.rip = rp_vmreadl(GUEST_RIP),
		.old = old,
		.attempted = attempted,
		.bits = vd->bits,
		.asset = asset,
		.cpu = v->cpu,
		.line = vd->line,
		.kind = kind,
		.action = vd->action,
		.deny = vd->deny,
	};

	append(v->root, &rec, true);
}

/* The first @len (at most 8) of @b, little-endian. */
static __rampart_root u64 le_bytes(const u8 *b, u32 len)
{
	u64 x = 0;
	u32 i;

	for (i = 0; i < len && i < 8; i++)
		x |= (u64)b[i] << (8 * i);
	return x;
}

/**
 * rampart_root_event_watch() - record a write-watch hit as an event too.
 * @v: this CPU.
 * @h: the hit (uapi/watch.h), its bytes complete.
 *
 * Kind RAMPART_ASSET_WATCH, action LOG: asset is the bytes kept, old and
 * attempted their first 8 before and after, bits the physical address.
 */
__rampart_root void rampart_root_event_watch(struct rampart_vcpu *v,
					     const struct rampart_watch_hit *h)
{
	struct rampart_event rec = {
		.seq = __atomic_add_fetch(&v->root->ring_head, 1,
					  __ATOMIC_RELAXED),
		.tsc = h->tsc,
		.rip = h->rip,
		.old = le_bytes(h->old, h->len),
		.attempted = le_bytes(h->new, h->len),
		.bits = h->pa,
		.asset = h->len,
		.cpu = v->cpu,
		.line = h->line,
		.kind = RAMPART_ASSET_WATCH,
		.action = RAMPART_ACT_LOG,
	};

	append(v->root, &rec, false);
}

/**
 * rampart_root_event_mem() - record a denied or logged memory write.
 * @v: this CPU, at the EPT violation.
 * @r: the rule that guards the page.
 * @access: the access (uapi/policy.h: 1 read, 2 write, 4 fetch).
 * @gpa: the guest-physical address; the linear one comes from the exit.
 */
__rampart_root void rampart_root_event_mem(struct rampart_vcpu *v,
				      const struct rp_range_rule *r,
				      u64 access, u64 gpa)
{
	struct rp_verdict vd = {
		.action = r->action, .line = r->line, .bits = access,
		.write = r->action != RAMPART_ACT_DENY,
	};

	rampart_root_event_record(v, r->name ? RAMPART_ASSET_RANGE :
			     RAMPART_ASSET_PHYS, r->name, &vd, gpa,
			     rp_vmreadl(GUEST_LINEAR_ADDRESS));
}

/**
 * rampart_root_event_cpu() - record what root refused or did to a CPU.
 * @v: this CPU.
 * @what: enum rampart_cpu_event.
 * @action: RAMPART_ACT_DENY for a refusal, RAMPART_ACT_LOG for a change
 *          root made on the kernel's word.
 * @a: recorded as old (uapi/policy.h says what it holds).
 * @b: recorded as attempted.
 */
__rampart_root void rampart_root_event_cpu(struct rampart_vcpu *v, u32 what,
					   u8 action, u64 a, u64 b)
{
	struct rp_verdict vd = { .action = action };

	rampart_root_event_record(v, RAMPART_EVENT_CPU, what, &vd, a, b);
}
