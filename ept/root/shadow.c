// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shadow EPT that L2 runs under (root side): L1's EPT intersected
 * with Rampart's. Identity mapping means L1's guest-physical addresses are
 * host-physical, so L1's EPT leaf already names the host page; root only
 * intersects permissions, page by page, as L2 touches them (filled on
 * EPT violations, 4 KiB leaves only).
 *
 * - Root reads L1's EPT tables only where the kernel may read (vmx/root/
 *   gmem.c); an L1 that points them at memory it cannot read gets an EPT
 *   misconfiguration.
 * - A page L1 maps but Rampart's EPT keeps from the kernel (protected
 *   text, rodata, root's own memory) gets at most the permissions
 *   Rampart's EPT gives the kernel; root's own pages get none. A write
 *   the policy refuses never reaches memory (RAMPART_SEPT_DENIED).
 * - The memory type is Rampart's (from the MTRRs), never L1's.
 * - Bounded: RAMPART_SEPT_PAGES tables per CPU. When they run out, the
 *   whole shadow is dropped and refilled. It is also dropped on L1's
 *   INVEPT, when L1 switches EPTs, and when Rampart's EPT changes (its
 *   epoch, ept/root/perm.c), before L2 runs again.
 *
 * Without EPT in vmcs12, L2's guest-physical addresses are L1's: root
 * treats that as an identity EPT of L1's with every permission.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/page_types.h>
#include <asm/vmx.h>

#include "../../vmx/root/arch.h"
#include "../../vmx/root/caps.h"
#include "../../vmx/root/gmem.h"
#include "../../vmx/root/nested.h"
#include "../../vmx/root/ops.h"
#include "../../vmx/root/root.h"
#include "../../vmx/root/rootstate.h"
#include "../../vmx/root/vcpu.h"
#include "ept.h"
#include "shadow.h"

/* The walk length and write-back type of an EPTP (SDM 25.6.11). */
#define EPTP_WB_4LEVEL	(VMX_EPTP_MT_WB | VMX_EPTP_PWL_4)
/* EPT memory type values that are reserved (SDM 29.3.7). */
#define MT_RESERVED(mt)	((mt) == 2 || (mt) == 3 || (mt) == 7)

static __rampart_root u64 *sept_page(const struct rampart_nested *n, u32 i)
{
	return n->sept + i * (PAGE_SIZE / sizeof(u64));
}

static __rampart_root void zero_page(u64 *t)
{
	int i;

	for (i = 0; i < 512; i++)
		WRITE_ONCE(t[i], 0);
}

/**
 * rampart_sept_flush() - drop this CPU's whole shadow EPT.
 * @v: this CPU.
 *
 * Clears the top table and flushes what the CPU cached for it (INVEPT,
 * single context, SDM 29.4.3.1).
 */
__rampart_root void rampart_sept_flush(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;

	zero_page(sept_page(n, 0));
	n->sept_used = 1;
	n->sept_flushes++;
	rp_invept(VMX_EPT_EXTENT_CONTEXT, ((u64)n->sept - v->root->direct_map) |
		  EPTP_WB_4LEVEL);
}

/**
 * rampart_sept_eptp() - the EPT pointer of vmcs02, for L1's @eptp12.
 * @v: this CPU.
 * @eptp12: vmcs12's EPT pointer, 0 if vmcs12 does not enable EPT.
 *
 * The shadow is dropped first if it follows another EPT of L1's, or was
 * built under an older Rampart EPT.
 *
 * Return: the EPTP.
 */
__rampart_root u64 rampart_sept_eptp(struct rampart_vcpu *v, u64 eptp12)
{
	struct rampart_nested *n = v->nested;
	u64 epoch = __atomic_load_n(&v->root->ept_epoch, __ATOMIC_ACQUIRE);
	u64 root12 = eptp12 & PAGE_MASK;

	if (n->sept_eptp12 != root12 || n->sept_epoch != epoch) {
		rampart_sept_flush(v);
		n->sept_eptp12 = root12;
		n->sept_epoch = epoch;
	}
	return ((u64)n->sept - v->root->direct_map) | EPTP_WB_4LEVEL;
}

/*
 * Is L1's EPT entry @e at @level (3: PML4E ... 0: PTE) misconfigured
 * (SDM 29.3.3.1)? @leaf says whether it maps a page.
 */
static __rampart_root bool misconfigured(u64 e, int level, bool leaf,
					 const struct rampart_root *rs)
{
	u64 rwx = e & RAMPART_EPT_RWX;
	u64 rsvd = GENMASK_ULL(51, rampart_max_phys_bits());

	if ((rwx & RAMPART_EPT_W) && !(rwx & RAMPART_EPT_R))
		return true;
	if (rwx == RAMPART_EPT_X && !rs->caps->ept.exec_only)
		return true;
	if (!leaf)
		return (e & rsvd) || (e & GENMASK_ULL(7, 3));
	if (level)
		rsvd |= GENMASK_ULL(12 + 9 * level - 1, 12);
	if (level == 2 && !rs->caps->ept.page_1g)
		return true;
	return (e & rsvd) || MT_RESERVED((e >> 3) & 7);
}

/*
 * Walk L1's EPT for @gpa. Return 0 with the host-physical @hpa and the
 * permissions all levels grant (@perm, SDM 29.3.2), -ENOENT where an entry
 * is not present (@perm then 0), -EINVAL for a misconfiguration.
 */
static __rampart_root int walk12(struct rampart_vcpu *v, u64 eptp12, u64 gpa,
				 u64 *hpa, u64 *perm)
{
	u64 table = eptp12 & RAMPART_EPT_ADDR, e = 0;
	int level;

	*perm = RAMPART_EPT_RWX;
	if (!eptp12) {
		*hpa = gpa;
		return 0;
	}
	for (level = 3; level >= 0; level--) {
		bool leaf;

		if (rampart_gmem_phys(v, table + 8 * rampart_ept_index(gpa, level),
				      &e, sizeof(e), false))
			return -EINVAL;
		*perm &= e & RAMPART_EPT_RWX;
		if (!(e & RAMPART_EPT_RWX))
			return -ENOENT;
		leaf = !level || (level < 3 && (e & RAMPART_EPT_PS));
		if (misconfigured(e, level, leaf, v->root))
			return -EINVAL;
		if (leaf) {
			u64 size = rampart_ept_level_size(level);

			*hpa = (e & RAMPART_EPT_ADDR & ~(size - 1)) | (gpa & (size - 1));
			return 0;
		}
		table = e & RAMPART_EPT_ADDR;
	}
	return -EINVAL;
}

/* The shadow's PTE slot for @gpa, creating tables; NULL when out of pages. */
static __rampart_root u64 *pte_slot(struct rampart_vcpu *v, u64 gpa)
{
	struct rampart_nested *n = v->nested;
	u64 *t = sept_page(n, 0);
	int level;

	for (level = 3; level > 0; level--) {
		u64 *e = &t[rampart_ept_index(gpa, level)];

		if (!(*e & RAMPART_EPT_RWX)) {
			u64 *sub;

			if (n->sept_used >= RAMPART_SEPT_PAGES)
				return NULL;
			sub = sept_page(n, n->sept_used++);
			zero_page(sub);
			WRITE_ONCE(*e, ((u64)sub - v->root->direct_map) |
				   RAMPART_EPT_RWX);
		}
		t = rampart_ept_table_of(v->root, *e);
	}
	return &t[rampart_ept_index(gpa, 0)];
}

/* EPT-violation qualification bits (SDM Table 28-7). */
#define QUAL_ACCESS	GENMASK_ULL(2, 0)
#define QUAL_PERM_SHIFT	3
#define QUAL_KEEP	(BIT_ULL(7) | BIT_ULL(8) | BIT_ULL(12))

/**
 * rampart_sept_fault() - an EPT violation of L2's.
 * @v: this CPU, with vmcs02 current.
 * @eptp12: vmcs12's EPT pointer, 0 without EPT.
 * @gpa: the guest-physical address (L2's).
 * @qual: the exit qualification.
 * @qual12: for RAMPART_SEPT_VIOLATION, the qualification L1 sees: the
 *          access, and the permissions of L1's own EPT (SDM Table 28-7).
 * @hpa: the host-physical address, for RAMPART_SEPT_DENIED.
 *
 * Return: enum rampart_sept_result.
 */
__rampart_root int rampart_sept_fault(struct rampart_vcpu *v, u64 eptp12,
				      u64 gpa, u64 qual, u64 *qual12, u64 *hpa)
{
	struct rampart_nested *n = v->nested;
	u64 access = qual & QUAL_ACCESS, perm12 = 0, leaf0, perm, was, *pte = NULL;
	int err, tries;

	/* Beyond a 4-level walk's reach: no entry maps it (SDM 29.3.2). */
	err = gpa >> 48 ? -ENOENT : walk12(v, eptp12, gpa, hpa, &perm12);
	if (err == -EINVAL)
		return RAMPART_SEPT_MISCONFIG;
	if (err || (access & ~perm12)) {
		*qual12 = access | perm12 << QUAL_PERM_SHIFT | (qual & QUAL_KEEP);
		return RAMPART_SEPT_VIOLATION;
	}
	leaf0 = *hpa < v->root->ept_end ? rampart_root_ept_leaf(v->root, *hpa) : 0;
	perm = (leaf0 & RAMPART_EPT_ROOT) ? 0 : perm12 & leaf0 & RAMPART_EPT_RWX;
	if (access & ~perm) {
		n->refused++;
		return RAMPART_SEPT_DENIED;
	}
	for (tries = 0; tries < 2; tries++) {
		pte = pte_slot(v, gpa);
		if (pte)
			break;
		rampart_sept_flush(v);
	}
	if (!pte)
		return RAMPART_SEPT_DENIED;
	was = *pte & RAMPART_EPT_RWX;
	WRITE_ONCE(*pte, (*hpa & PAGE_MASK) | perm |
		   (leaf0 & (VMX_EPT_MT_MASK | VMX_EPT_IPAT_BIT)));
	/* A leaf that was present: L1 widened its EPT without INVEPT. */
	if (was)
		rp_invept(VMX_EPT_EXTENT_CONTEXT,
			  ((u64)n->sept - v->root->direct_map) | EPTP_WB_4LEVEL);
	n->sept_fills++;
	return RAMPART_SEPT_FILLED;
}
