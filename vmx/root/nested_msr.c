// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSRs held for L2 (root side). KVM gives its guest the guest's own
 * SYSCALL MSRs (STAR, LSTAR, CSTAR, SYSCALL_MASK), KERNEL_GS_BASE and
 * TSC_AUX by writing them with WRMSR before VM entry, since a VM entry
 * does not switch them. Where the policy locks one, that write would be
 * refused and L2 would run on the host's value (a 64-bit Linux guest's
 * first system call would land in the host's entry code). Instead, while
 * the kernel is in VMX operation, root holds the value for L2: the kernel
 * keeps the locked value, and vmcs02's VM-entry MSR-load list gives L2
 * the held one, its VM-exit MSR-load list the locked one back (SDM 25.7.2,
 * 25.8.2, 27.4, 28.6). The kernel itself gains nothing; such a write is
 * counted, not recorded as a violation.
 *
 * vmcs02's MSR bitmap intercepts every MSR but a few a hypervisor
 * commonly gives its guests (l2_msrs[]): those a VM exit switches (FS/GS
 * base, SYSENTER, so L1 gets its own values back from vmcs12's host state,
 * under the policy), TSC reads, and the stateless command MSRs. For those,
 * L2 goes without an exit only where both L1's bitmap and root's own for
 * the kernel let it. No MSR value L2 writes thus reaches the kernel
 * outside the policy, whenever a policy comes into force. Any other
 * access of L2's exits to L1, even where L1's bitmap would let it through
 * (KVM emulates any MSR exit it gets; KVM as L0 does the same for its
 * own L2s).
 */
#include <linux/bits.h>
#include <linux/types.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include "arch.h"
#include "event.h"
#include "gmem.h"
#include "msr.h"
#include "nested.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"

static const u32 held_msrs[RAMPART_HELD_MSRS] __rampart_root_ro = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
	MSR_TSC_AUX,
};

/* Would WRMSR take @val (SDM Vol. 4: these MSRs' reserved bits)? */
static __rampart_root bool value_ok(u32 msr, u64 val)
{
	switch (msr) {
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_KERNEL_GS_BASE:
		return rampart_canonical(val);
	case MSR_SYSCALL_MASK:
	case MSR_TSC_AUX:
		return !(val >> 32);
	}
	return true;	/* STAR: every bit is defined */
}

/**
 * rampart_nested_held_index() - an MSR's place among those held for L2.
 * @msr: the MSR.
 *
 * Return: its index, or -1 if it is not one of them.
 */
__rampart_root int rampart_nested_held_index(u32 msr)
{
	int i;

	for (i = 0; i < RAMPART_HELD_MSRS; i++)
		if (held_msrs[i] == msr)
			return i;
	return -1;
}

/**
 * rampart_nested_hold() - hold a refused WRMSR's value for L2.
 * @v: this CPU.
 * @msr: the MSR the kernel wrote.
 * @val: the value it asked for.
 * @l1_val: the value the kernel keeps (the locked one).
 * @line: the policy line that locks it, for the record.
 *
 * Return: true if held (the WRMSR completes, the kernel's value unchanged);
 * false outside VMX operation or for another MSR (refused as usual).
 */
__rampart_root bool rampart_nested_hold(struct rampart_vcpu *v, u32 msr,
					u64 val, u64 l1_val, u32 line)
{
	struct rampart_nested *n = v->nested;
	int i = rampart_nested_held_index(msr);

	/* A value WRMSR itself would refuse (#GP) is not held either. */
	if (i < 0 || !n->vmxon || !value_ok(msr, val))
		return false;
	/* Each new value is recorded, logged: the kernel itself gains nothing. */
	if (val != l1_val && (!(n->held_set & BIT(i)) || n->held[i] != val)) {
		struct rp_verdict vd = {
			.action = RAMPART_ACT_LOG, .line = line, .bits = val ^ l1_val,
			.result = l1_val, .write = false,
		};

		rampart_root_event_record(v, RAMPART_ASSET_MSR, msr, &vd, l1_val, val);
	}
	n->held[i] = val;
	if (val == l1_val)
		n->held_set &= ~BIT(i);
	else
		n->held_set |= BIT(i);
	n->held_writes++;
	return true;
}

/**
 * rampart_nested_msr_lists() - fill vmcs02's MSR-load lists.
 * @v: this CPU.
 * @root_n: how many of root's own entries (vmcs01's lists: the
 *          performance counters, vmx/vmcs.c) come first: 0 or 1.
 *
 * The entry list gives L2 the held values, the exit list gives the
 * kernel its own (the locked ones, read now) back.
 *
 * Return: the length of both lists.
 */
__rampart_root u32 rampart_nested_msr_lists(struct rampart_vcpu *v, u32 root_n)
{
	struct rampart_nested *n = v->nested;
	u32 i, len = 0;

	if (root_n) {
		n->entry_load[0] = v->msr_guest[0];
		n->exit_load[0] = v->msr_host[0];
		len = 1;
	}
	for (i = 0; i < RAMPART_HELD_MSRS; i++) {
		u32 lo, hi;

		if (!(n->held_set & BIT(i)))
			continue;
		asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(held_msrs[i]));
		n->entry_load[len] = (struct vmx_msr_entry){
			.index = held_msrs[i], .value = n->held[i],
		};
		n->exit_load[len] = (struct vmx_msr_entry){
			.index = held_msrs[i], .value = (u64)hi << 32 | lo,
		};
		len++;
	}
	n->msr_list_len = len;
	return len;
}

/**
 * rampart_nested_msrs_back() - load the kernel's own values of the held
 * MSRs, after a VM entry of vmcs02 that failed: the CPU may have loaded
 * some of the entry list and will not load the exit list (SDM 27.8).
 * @v: this CPU.
 */
__rampart_root void rampart_nested_msrs_back(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;
	u32 i;

	for (i = 0; i < n->msr_list_len; i++)
		asm volatile("wrmsr" : : "c"(n->exit_load[i].index),
			     "a"((u32)n->exit_load[i].value),
			     "d"((u32)(n->exit_load[i].value >> 32)));
}

/* Which accesses of an MSR L2 may make without an exit. */
#define L2_RD	1
#define L2_WR	2

/* The MSRs L2 may touch without an exit where L1 and root let it. */
static const struct {
	u32 msr;
	u8 access;
} l2_msrs[] __rampart_root_ro = {
	{ MSR_FS_BASE, L2_RD | L2_WR },
	{ MSR_GS_BASE, L2_RD | L2_WR },
	{ MSR_IA32_SYSENTER_CS, L2_RD | L2_WR },
	{ MSR_IA32_SYSENTER_ESP, L2_RD | L2_WR },
	{ MSR_IA32_SYSENTER_EIP, L2_RD | L2_WR },
	{ MSR_IA32_TSC, L2_RD },
	{ MSR_IA32_PRED_CMD, L2_WR },
	{ MSR_IA32_FLUSH_CMD, L2_WR },
};

/**
 * rampart_nested_msr_bitmap_init() - vmcs02's MSR bitmap intercepts all.
 * @n: a CPU's nested state, before launch.
 */
__rampart_root void rampart_nested_msr_bitmap_init(struct rampart_nested *n)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		n->msr_bitmap[i] = 0xff;
}

/**
 * rampart_nested_msr_bitmap() - fill vmcs02's MSR bitmap for an L2 entry.
 * @v: this CPU.
 * @use12: vmcs12 uses MSR bitmaps (else every access exits to L1).
 * @pa12: vmcs12's MSR-bitmap address, checked aligned and within
 *        MAXPHYADDR (SDM 27.2.1.1).
 *
 * L1's page is read in place, and only where the kernel could read it
 * (vmx/root/gmem.c): root memory is never read on L1's behalf.
 *
 * Return: 0, or -EACCES if root refuses @pa12.
 */
__rampart_root int rampart_nested_msr_bitmap(struct rampart_vcpu *v, bool use12,
					     u64 pa12)
{
	u8 *b = v->nested->msr_bitmap;
	const u8 *root = v->root->msr_bitmap;
	const u8 *l1 = NULL;
	unsigned int i, k;

	if (use12) {
		l1 = rampart_gmem_phys_page(v, pa12);
		if (!l1)
			return -EACCES;
	}
	for (i = 0; i < ARRAY_SIZE(l2_msrs); i++) {
		u8 mask, access = l2_msrs[i].access;
		u32 at = rampart_msr_bitmap_byte(l2_msrs[i].msr, &mask);

		/* The read half, then the write half (access bit 0, then 1). */
		for (k = at; k < PAGE_SIZE; k += RAMPART_MSR_BITMAP_WRITES, access >>= 1) {
			bool exit = !(access & 1) || !l1 ||
				    (READ_ONCE(l1[k]) & mask) ||
				    (READ_ONCE(root[k]) & mask);

			b[k] = exit ? b[k] | mask : b[k] & ~mask;
		}
	}
	return 0;
}
