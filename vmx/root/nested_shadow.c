// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMCS shadowing for L1 (root side). While L1 has a current vmcs12, vmcs01
 * links a shadow VMCS of root's (SDM Vol. 3C 25.10, 26.3): L1's VMREAD and
 * VMWRITE of the fields it holds complete without a VM exit, as the
 * VMREAD and VMWRITE bitmaps say (SDM 25.6.15). It holds the fields a
 * hypervisor such as kvm_intel reads or writes around every L2 exit
 * (shadow_fields[]); every other field, and every VMWRITE of a read-only
 * one, still exits to root's emulation (vmx/root/nested_insn.c). Each
 * field the shadow holds is copied at every L2 entry and exit, so the
 * list is kept short.
 *
 * The shadow VMCS is in root memory: L1 reaches it only through those two
 * instructions. Which copy holds the truth:
 * - while linked, the shadow holds the read-write fields as L1 last wrote
 *   them; root copies them into its cache ("pull") before it reads the
 *   cache to enter L2 or to write the region back;
 * - root's cache holds the exit information, and is newer after an
 *   emulated VM exit; root copies it into the shadow ("push") before L1
 *   runs again. The VM-instruction error, which a VMfail sets, is not in
 *   the shadow: L1's VMREAD of it exits.
 * Root checks the cache at each L2 entry, never the shadow: what L1 wrote
 * there is validated exactly as before. Each access is bracketed by
 * VMPTRLD of the shadow, VMCLEAR of it (so its data is in memory for the
 * CPU's use through the link pointer) and VMPTRLD of vmcs01. Should that
 * last VMPTRLD fail, the VMRESUME of L1 fails and root parks the CPU
 * (vmx/root/exit.c): fail closed.
 */
#include <linux/build_bug.h>
#include <linux/types.h>
#include <asm/page_types.h>
#include <asm/vmx.h>

#include "caps.h"
#include "nested.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

#define ENC_W64		1	/* bits 14:13 of a 64-bit field (SDM 25.11.2) */

/* The fields the shadow VMCS holds, where root emulates them. */
static const u32 shadow_fields[] __rampart_root_ro = {
	/* exit information, read-only (SDM 25.9) */
	VM_EXIT_REASON, EXIT_QUALIFICATION, VM_EXIT_INTR_INFO,
	VM_EXIT_INTR_ERROR_CODE, VM_EXIT_INSTRUCTION_LEN, VMX_INSTRUCTION_INFO,
	IDT_VECTORING_INFO_FIELD, IDT_VECTORING_ERROR_CODE,
	GUEST_LINEAR_ADDRESS, GUEST_PHYSICAL_ADDRESS,
	/* L2 state an exit handler reads or changes */
	GUEST_RIP, GUEST_RSP, GUEST_RFLAGS, GUEST_CR0, GUEST_CR3, GUEST_CR4,
	GUEST_CS_AR_BYTES, GUEST_SS_AR_BYTES, GUEST_INTERRUPTIBILITY_INFO,
	/* event injection and the controls toggled for it */
	VM_ENTRY_INTR_INFO_FIELD, VM_ENTRY_EXCEPTION_ERROR_CODE,
	VM_ENTRY_INSTRUCTION_LEN, PIN_BASED_VM_EXEC_CONTROL,
	CPU_BASED_VM_EXEC_CONTROL, SECONDARY_VM_EXEC_CONTROL, EXCEPTION_BITMAP,
	VM_ENTRY_CONTROLS, VM_EXIT_CONTROLS, CR0_GUEST_HOST_MASK,
	CR0_READ_SHADOW, CR4_READ_SHADOW, TSC_OFFSET,
	/* L1's host state as it changes between entries */
	HOST_CR3, HOST_FS_SELECTOR, HOST_GS_SELECTOR, HOST_FS_BASE, HOST_GS_BASE,
};

/* Let L1's VMREAD (@bm = the VMREAD bitmap) or VMWRITE of @enc through. */
static __rampart_root void let_through(u8 *bm, u64 enc)
{
	bm[(enc & 0x7fff) >> 3] &= ~(1 << (enc & 7));
	/* A 64-bit field's high half has an encoding of its own (25.11.2). */
	if (((enc >> 13) & 3) == ENC_W64)
		bm[((enc | 1) & 0x7fff) >> 3] &= ~(1 << ((enc | 1) & 7));
}

/* Make the shadow current; false if the CPU refuses (vmcs01 stays). */
static __rampart_root bool shadow_load(struct rampart_vcpu *v)
{
	return !rp_vmptrld(v->nested->shadow_pa);
}

/* Flush the shadow to memory and make vmcs01 current again. */
static __rampart_root void shadow_done(struct rampart_vcpu *v)
{
	rp_vmclear(v->nested->shadow_pa);
	rp_vmptrld(v->vmcs_pa);
}

/**
 * rampart_shadow_setup() - prepare VMCS shadowing on this CPU, at L1's
 * first VMXON here. Where the CPU has no VMCS shadowing, nothing: every
 * VMREAD and VMWRITE exits.
 * @v: this CPU; vmcs01 is current.
 *
 * A field of shadow_fields[] is shadowed where root emulates it and the
 * CPU takes a VMWRITE of it into a shadow VMCS (that also needs
 * IA32_VMX_MISC[29] for the exit information).
 * VMWRITEs of read-only fields exit anyway: L1 gets VMfailValid 13.
 */
__rampart_root void rampart_shadow_setup(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;
	struct rampart_vmcs_shadow *s = n->shadow;
	u64 *rd = (u64 *)s->vmread_bitmap, *wr = (u64 *)s->vmwrite_bitmap;
	unsigned int i;

	if (n->shadow_ready ||
	    !(v->root->caps->ctl[RAMPART_CTL_PROC2].may_be_one &
	      SECONDARY_EXEC_SHADOW_VMCS))
		return;
	n->shadow_pa = (u64)s->vmcs - v->root->direct_map;
	/* The revision with the shadow-VMCS indicator, bit 31 (SDM 25.2). */
	*(u32 *)s->vmcs = v->root->caps->basic.revision | 0x80000000U;
	for (i = 0; i < PAGE_SIZE / 8; i++) {
		rd[i] = ~0ULL;
		wr[i] = ~0ULL;
	}
	BUILD_BUG_ON(ARRAY_SIZE(shadow_fields) > RAMPART_SHADOW_FIELDS);
	n->shadow_nr = 0;
	if (rp_vmclear(n->shadow_pa) || !shadow_load(v)) {
		rp_vmptrld(v->vmcs_pa);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(shadow_fields); i++) {
		u32 enc = shadow_fields[i];
		bool high;
		int k = rampart_v12_find(enc, &high);

		if (k < 0 || rp_vmwrite_insn(enc, 0))
			continue;
		n->shadow_idx[n->shadow_nr++] = k;
		let_through(s->vmread_bitmap, enc);
		if (rampart_v12_kind(k) != V12_INFO)
			let_through(s->vmwrite_bitmap, enc);
	}
	shadow_done(v);
	rp_vmwrite64(VMREAD_BITMAP, (u64)s->vmread_bitmap - v->root->direct_map);
	rp_vmwrite64(VMWRITE_BITMAP, (u64)s->vmwrite_bitmap - v->root->direct_map);
	n->shadow_ready = true;
}

/* The cache into the shadow: every field it holds. vmcs01 is current. */
static __rampart_root bool push(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;
	int i;

	if (!shadow_load(v))
		return false;
	for (i = 0; i < n->shadow_nr; i++) {
		int k = n->shadow_idx[i];

		rp_vmwrite_any(rampart_v12_enc(k), n->cache.f[k]);
	}
	shadow_done(v);
	n->shadow_stale = false;
	return true;
}

/**
 * rampart_shadow_link() - a vmcs12 became current: copy it into the
 * shadow and let L1 use it.
 * @v: this CPU; vmcs01 is current.
 */
__rampart_root void rampart_shadow_link(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;

	/* Without a filled shadow, every VMREAD and VMWRITE keeps exiting. */
	if (!n->shadow_ready || !push(v))
		return;
	rp_vmwrite64(VMCS_LINK_POINTER, n->shadow_pa);
	rampart_ctl_set_bits(v, RP_RT_PROC2, SECONDARY_EXEC_SHADOW_VMCS);
	n->shadow_on = true;
}

/**
 * rampart_shadow_unlink() - no current vmcs12 any more: every VMREAD and
 * VMWRITE exits again. Pull first if the shadow's contents are needed.
 * @v: this CPU; vmcs01 is current.
 */
__rampart_root void rampart_shadow_unlink(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;

	if (!n->shadow_on)
		return;
	rampart_ctl_clear_bits(v, RP_RT_PROC2, SECONDARY_EXEC_SHADOW_VMCS);
	rp_vmwrite64(VMCS_LINK_POINTER, ~0ULL);	/* SDM 27.3.1.5 */
	n->shadow_on = false;
	n->shadow_stale = false;
}

/**
 * rampart_shadow_pull() - the read-write fields L1 wrote into the shadow,
 * into root's cache, before root reads the cache.
 * @v: this CPU; vmcs01 is current.
 */
__rampart_root void rampart_shadow_pull(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;
	int i;

	if (!n->shadow_on || !shadow_load(v))
		return;
	for (i = 0; i < n->shadow_nr; i++) {
		int k = n->shadow_idx[i];

		if (rampart_v12_kind(k) != V12_INFO)
			n->cache.f[k] = rp_vmread_any(rampart_v12_enc(k));
	}
	shadow_done(v);
}

/**
 * rampart_shadow_sync() - before L1 runs: if root changed the cache (an
 * emulated VM exit), copy it into the shadow.
 * @v: this CPU; vmcs01 is current.
 */
__rampart_root void rampart_shadow_sync(struct rampart_vcpu *v)
{
	if (v->nested->shadow_on && v->nested->shadow_stale)
		push(v);
}
