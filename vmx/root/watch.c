// SPDX-License-Identifier: GPL-2.0-only
/*
 * Write-watch hits (root side). A watched page is read-only in the EPT;
 * a write to it exits and runs in a single step (vmx/root/step.c). At
 * the violation, root decodes how many bytes the instruction stores
 * (step.c, insn_width.c) and looks for a watch those bytes overlap: if
 * there is one, it reads the old bytes and a sample of the writer's
 * stack; when the step has run, the new bytes, and it appends a hit to
 * the watch ring (uapi/watch.h) and a record to the event ring. A write
 * that overlaps no watch is only counted.
 *
 * Each page a write touches is decided on its own violation; a write that
 * crosses pages and changes one watch on both gives one hit, a write that
 * changes two watches a hit for the first on each page.
 */
#include <linux/types.h>
#include <asm/vmx.h>

#include "arch.h"
#include "event.h"
#include "gmem.h"
#include "lock.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"
#include "watch.h"

/* Stack words root looks at for RAMPART_WATCH_STACK text addresses. */
#define WATCH_STACK_SCAN	16
/* Where the kernel image and modules live (Documentation/x86/x86_64/mm.rst). */
#define WATCH_KERNEL_TEXT	0xffffffff80000000ULL

/* No byte of an earlier hit may show through this one's unused fields. */
static __rampart_root void clear_hit(struct rampart_watch_hit *h)
{
	u64 *w = (u64 *)h;
	u32 i;

	for (i = 0; i < sizeof(*h) / sizeof(u64); i++)
		WRITE_ONCE(w[i], 0);
}

/* The top words of the guest's stack that point into kernel text. */
static __rampart_root void stack_sample(struct rampart_vcpu *v,
					struct rampart_watch_hit *h)
{
	u64 sp = rp_vmreadl(GUEST_RSP) & ~7ULL, w;
	struct rampart_gfault f;
	u32 i;

	h->nstack = 0;
	for (i = 0; i < WATCH_STACK_SCAN && h->nstack < RAMPART_WATCH_STACK;
	     i++) {
		if (rampart_gmem_read(v, sp + 8 * i, &w, sizeof(w), &f))
			return;
		if (w >= WATCH_KERNEL_TEXT)
			h->stack[h->nstack++] = w;
	}
}

/*
 * The watch the bytes [@start, @end) overlap, copied under the policy
 * lock from the policy in force. Return: false if none.
 */
static __rampart_root bool watch_at(struct rampart_root *rs, u64 start,
				    u64 end, struct rp_watch_rule *out)
{
	const struct rp_watch_rule *w;

	rampart_root_lock(rs);
	w = rp_policy_watch(&rs->slot[rs->active], start, end);
	if (w)
		*out = *w;
	rampart_root_unlock(rs);
	return w;
}

/*
 * The second page of a write that crossed into it, changing more bytes of
 * the watch its first page did: the same hit goes on. Return: true if so.
 */
static __rampart_root bool watch_continue(struct rampart_vcpu *v,
					  const struct rp_watch_rule *w,
					  u64 va, u64 from, u32 len)
{
	struct rampart_watch_pend *p;

	if (!v->stepping || !v->watch_pending)
		return false;
	p = &v->watch_pend[v->watch_pending - 1];
	if (p->pa2 || p->hit.line != w->line || p->hit.va + p->hit.len != va ||
	    p->hit.len + len > RAMPART_WATCH_BYTES)
		return false;
	if (rampart_gmem_phys(v, from, p->hit.old + p->hit.len, len, false))
		return true;	/* the bytes on this page stay out */
	p->pa2 = from;
	p->len1 = p->hit.len;
	p->hit.len += len;
	return true;
}

/**
 * rampart_watch_begin() - at the violation of a write that will step:
 * take the old bytes if it writes a watched one.
 * @v: this CPU; stepping already if this is the write's second page.
 * @gpa: the guest-physical address written.
 * @r: the rule that guards the page (a log range, or the watch page rule).
 *
 * What the write stores is v->step_store (vmx/root/step.c): its width is
 * unknown for an event's delivery.
 */
__rampart_root void rampart_watch_begin(struct rampart_vcpu *v, u64 gpa,
					const struct rp_range_rule *r)
{
	u64 page_end = (gpa & PAGE_MASK) + PAGE_SIZE, start = gpa, end, from, to;
	u64 gla = rp_vmreadl(GUEST_LINEAR_ADDRESS);
	struct rampart_watch_pend *p;
	struct rampart_watch_hit *h;
	struct rp_watch_rule w;

	if (!v->stepping)
		v->watch_write_end = v->step_store.width ?
				     gla + v->step_store.width : 0;
	/*
	 * What lands on this page: all of it, or what the first page left.
	 * A store of unknown width (XSAVE, ENTER, an event's frame) may
	 * write anywhere on the page: all of it counts.
	 */
	end = gpa + (v->watch_write_end - gla);
	if (v->watch_write_end <= gla) {
		start = gpa & PAGE_MASK;
		end = page_end;
	}
	if (end > page_end || end < gpa)
		end = page_end;
	if (v->watch_pending >= RAMPART_WATCH_PENDING ||
	    !watch_at(v->root, start, end, &w)) {
		if (r->name == RP_RANGE_WATCH)
			__atomic_add_fetch(&v->root->watch_neighbours, 1,
					   __ATOMIC_RELAXED);
		return;
	}
	from = w.start > start ? w.start : start;
	to = w.end < end ? w.end : end;
	if (to - from > RAMPART_WATCH_BYTES)
		to = from + RAMPART_WATCH_BYTES;
	if (watch_continue(v, &w, gla + (from - gpa), from, to - from))
		return;
	p = &v->watch_pend[v->watch_pending++];
	h = &p->hit;
	clear_hit(h);
	h->tsc = rampart_root_tsc();
	h->rip = rp_vmreadl(GUEST_RIP);
	h->va = gla + (from - gpa);
	h->pa = from;
	h->watch = w.start;
	h->cpu = v->cpu;
	h->line = w.line;
	h->width = v->step_store.width;
	h->len = to - from;
	h->reserved = 0;
	if (rampart_gmem_phys(v, from, h->old, h->len, false))
		h->len = 0;
	p->pa2 = 0;
	p->len1 = h->len;
	stack_sample(v, h);
}

/* Fill @dst from @src, seq last with release ordering (cleared first). */
static __rampart_root void put_hit(struct rampart_watch_hit *dst,
				   const struct rampart_watch_hit *src, u64 seq)
{
	const u64 *s = (const u64 *)src;
	u64 *d = (u64 *)dst;
	u32 i;

	__atomic_store_n(&dst->seq, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = 1; i < sizeof(*dst) / sizeof(u64); i++)
		WRITE_ONCE(d[i], s[i]);
	__atomic_store_n(&dst->seq, seq, __ATOMIC_RELEASE);
}

/**
 * rampart_watch_end() - the step is over: record the hits it made.
 * @v: this CPU.
 * @done: the write ran; false if the step was cancelled or the write
 *        faulted, so the instruction runs again and is decided again.
 */
__rampart_root void rampart_watch_end(struct rampart_vcpu *v, bool done)
{
	struct rampart_root *rs = v->root;
	u32 i;

	for (i = 0; done && i < v->watch_pending; i++) {
		struct rampart_watch_pend *p = &v->watch_pend[i];
		struct rampart_watch_hit *h = &p->hit;
		u64 seq;

		if (p->len1 &&
		    rampart_gmem_phys(v, h->pa, h->new, p->len1, false))
			h->len = 0;
		if (h->len > p->len1 &&
		    rampart_gmem_phys(v, p->pa2, h->new + p->len1,
				      h->len - p->len1, false))
			h->len = p->len1;
		seq = __atomic_add_fetch(&rs->watch_head, 1, __ATOMIC_RELAXED);
		put_hit(&rs->watch_ring[(seq - 1) % RAMPART_WATCH_RING_SIZE],
			h, seq);
		rampart_root_event_watch(v, h);
	}
	v->watch_pending = 0;
}
