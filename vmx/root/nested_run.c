// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running L2 for the kernel (root side): the emulated VM entry builds
 * vmcs02 from vmcs12 and launches it; every L2 exit root does not handle
 * itself becomes an emulated VM exit to L1 (SDM Vol. 3C chapters 27, 28).
 *
 * - Entry: vmcs12 is checked as the CPU would check it, against what
 *   root offers (the software entry checker, vmx/root/check.c, with L1's
 *   capabilities): a bad control fails VMLAUNCH with VMfailValid 7, bad
 *   host state with 8, bad guest state gives L1 the VM-entry failure exit
 *   (SDM 27.8). Then vmcs02 is built (root's own host state, L2's guest
 *   state, the controls L1 asked for plus root's: EPT to the shadow, a
 *   VPID of root's) and checked again against the CPU's capabilities.
 * - Exit: L2's state and the exit information go to vmcs12, then L1's
 *   host state from vmcs12 is loaded into vmcs01 under the policy: CR0
 *   and CR4 bits the policy owns, the MSRs it names and the descriptor
 *   tables it guards are refused and recorded as a MOV to CR, a WRMSR or
 *   an LGDT/LIDT would be; as there is no instruction to fault, refused
 *   bits simply keep their value.
 * - L2's EPT violations are root's (ept/root/shadow.c); its INIT is
 *   refused as L1's would be. Everything else is L1's.
 */
#include <linux/bits.h>
#include <linux/types.h>
#include <asm/irq_vectors.h>
#include <asm/msr-index.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../../ept/root/shadow.h"
#include "arch.h"
#include "caps.h"
#include "check.h"
#include "cr.h"
#include "desc.h"
#include "event.h"
#include "gmem.h"
#include "guest.h"
#include "inject.h"
#include "msr.h"
#include "nested.h"
#include "nested_run.h"
#include "ops.h"
#include "root.h"
#include "rootlog.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"
#include "vmcs_fields.h"

#define NO_RP		0xff	/* a vmcs12 field with no twin in vmcs_fields.h */
#define ENC_TYPE(e)	(((e) >> 10) & 3)	/* SDM 25.11.2 */
#define ENC_TYPE_HOST	3

/* An MSR-load or -store list entry (SDM 25.7.2, Table 25-15). */
struct msr_entry {
	u32 index;
	u32 reserved;
	u64 value;
};

/*
 * The guest state and exit information every L2 exit saves into vmcs12
 * (SDM 28.2, 28.3); EFER, PAT, DR7 and DEBUGCTL only where vmcs12's exit
 * controls say (save_l2()), the VM-instruction error never.
 */
static __rampart_root bool saved_always(int i)
{
	u8 kind = rampart_v12_kind(i);

	return (kind == V12_GUEST || kind == V12_INFO) &&
	       i != V12_VM_INSTRUCTION_ERROR && i != V12_GUEST_IA32_EFER &&
	       i != V12_GUEST_IA32_PAT && i != V12_GUEST_DR7 &&
	       i != V12_GUEST_IA32_DEBUGCTL;
}

/**
 * rampart_nested_prepare() - set up a CPU's nested state before launch.
 * @n: the state, in root memory.
 *
 * Maps each vmcs12 field to the same field in root's VMCS image; vmcs02's
 * MSR bitmap starts out intercepting every MSR.
 */
__rampart_root void rampart_nested_prepare(struct rampart_nested *n)
{
	int i, j;

	n->save_nr = 0;
	for (i = 0; i < V12_NR; i++) {
		n->rp_of_v12[i] = NO_RP;
		for (j = 0; j < RP_VMCS_NR; j++)
			if (rampart_vmcs_enc[j] == rampart_v12_enc(i))
				n->rp_of_v12[i] = j;
		if (saved_always(i)) {
			n->save_idx[n->save_nr] = i;
			n->save_enc[n->save_nr++] = rampart_v12_enc(i);
		}
	}
	rampart_nested_msr_bitmap_init(n);
	n->current_ptr = ~0ULL;
}

/**
 * rampart_nested_vpid() - the VPID every L2 runs under on this CPU.
 * @v: this CPU.
 *
 * Return: a VPID no CPU's vmcs01 uses (those are 1..nr_cpu_ids).
 */
__rampart_root u16 rampart_nested_vpid(const struct rampart_vcpu *v)
{
	return v->vpid | 0x8000;
}

/* vmcs12 as an image root's entry checker reads. */
static __rampart_root void v12_image(const struct rampart_nested *n,
				     struct rampart_vmcs_img *img)
{
	int i;

	for (i = 0; i < RP_VMCS_NR; i++)
		img->v[i] = 0;
	for (i = 0; i < V12_NR; i++)
		if (n->rp_of_v12[i] != NO_RP)
			img->v[n->rp_of_v12[i]] = n->cache.f[i];
	if (!(img->v[RP_CPU_BASED_VM_EXEC_CONTROL] &
	      CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		img->v[RP_SECONDARY_VM_EXEC_CONTROL] = 0;
}

/*
 * vmcs12's VMCS link pointer (SDM 27.3.1.5): ~0, or, without VMCS
 * shadowing (root offers none), a 4 KiB-aligned address within the
 * physical-address width, other than the current VMCS, of a page holding
 * the revision identifier with bit 31 clear. Root reads that page only
 * where the kernel could (vmx/root/gmem.c); root memory fails the check.
 */
static __rampart_root bool link_ok(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;
	u64 link = n->cache.f[V12_VMCS_LINK_POINTER];
	u32 rev;

	if (link == ~0ULL)
		return true;
	return !(link & ~PAGE_MASK) && !(link >> rampart_max_phys_bits()) &&
	       link != n->current_ptr &&
	       !rampart_gmem_phys(v, link, &rev, sizeof(rev), false) &&
	       rev == (v->root->caps->raw.basic & 0x7fffffff);
}

/* Which VMfail (7, 8) or failure (0: guest state) a broken rule means. */
static __rampart_root u32 rule_class(const struct rampart_check_rule *r)
{
	const char *s = r->sdm;

	/* "27.2.1..." controls, "27.2.2" to "27.2.4" host state, "27.3..." guest */
	if (s[3] == '2')
		return s[5] == '1' ? VMXERR_ENTRY_INVALID_CONTROL_FIELD :
				     VMXERR_ENTRY_INVALID_HOST_STATE_FIELD;
	return 0;
}

static __rampart_root u32 read32(unsigned long f)
{
	return rp_vmread_any(f);
}

/* CR0 bits a VM exit leaves alone (SDM 28.5.1). */
#define CR0_KEPT	(X86_CR0_CD | X86_CR0_NW | X86_CR0_ET)

/* Segment access rights a VM exit gives host segments (SDM 28.5.2). */
#define AR_HOST_CS	(VMX_AR_TYPE_CODE_MASK | 0xb | VMX_AR_S_MASK | \
			 VMX_AR_P_MASK | VMX_AR_L_MASK | VMX_AR_G_MASK)
#define AR_HOST_DATA	(0x3 | VMX_AR_S_MASK | VMX_AR_P_MASK | \
			 VMX_AR_DB_MASK | VMX_AR_G_MASK)
#define AR_HOST_TR	(0xb | VMX_AR_P_MASK)

/*
 * The MSRs a VMCS switches: vmcs12's MSR lists may not name them (root
 * keeps their values in the VMCS, vmx/root/msr.c; SDM 27.4 and 28.6 refuse
 * FS/GS base, SMBASE and x2APIC MSRs too). Root writes the others itself,
 * each under the policy, as if L1 had executed WRMSR.
 */
static __rampart_root bool list_msr_ok(u32 msr)
{
	switch (msr) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_EFER:
	case MSR_IA32_CR_PAT:
	case MSR_IA32_SYSENTER_CS:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case MSR_IA32_DEBUGCTLMSR:
	case MSR_CORE_PERF_GLOBAL_CTRL:
	case MSR_IA32_RTIT_CTL:
	case MSR_IA32_SMBASE:
	case MSR_IA32_UCODE_WRITE:	/* acts on a linear address, in root */
		return false;
	}
	/* Nor the x2APIC range, nor the VMX capabilities root emulates. */
	return (msr >> 8) != 0x8 &&
	       !(msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_PROCBASED_CTLS3);
}

/*
 * Load vmcs12's MSR list at @pa, @count entries, each under the policy
 * (rampart_msr_policy_write()). Return 0, or the 1-based number of the
 * entry that failed (SDM 27.4: the exit qualification of a failed entry).
 */
static __rampart_root u32 load_msrs(struct rampart_vcpu *v, u64 pa, u32 count)
{
	struct msr_entry e;
	u32 i;

	for (i = 0; i < count; i++) {
		if (rampart_gmem_phys(v, pa + i * sizeof(e), &e, sizeof(e), false) ||
		    e.reserved || !list_msr_ok(e.index) ||
		    rampart_msr_policy_write(v, e.index, e.value))
			return i + 1;
	}
	return 0;
}

/* Store the MSRs vmcs12's VM-exit MSR-store list names (SDM 28.4). */
static __rampart_root void store_msrs(struct rampart_vcpu *v, u64 pa, u32 count)
{
	struct msr_entry e;
	u32 i;

	for (i = 0; i < count; i++) {
		u64 at = pa + i * sizeof(e);

		if (rampart_gmem_phys(v, at, &e, sizeof(e), false) ||
		    e.reserved || !list_msr_ok(e.index) ||
		    rampart_msr_read(e.index, &e.value))
			continue;
		rampart_gmem_phys(v, at + 8, &e.value, sizeof(e.value), true);
	}
}

/*
 * L1's host state from vmcs12 into vmcs01, as a VM exit loads it (SDM
 * 28.5), under the policy. vmcs01 is current. @nmi: the exit was an NMI,
 * which leaves NMIs blocked in L1 until its IRET (SDM 28.3.4).
 */
static __rampart_root void load_host(struct rampart_vcpu *v, bool nmi)
{
	struct rampart_vmcs12 *c = &v->nested->cache;
	u32 exit12 = c->f[V12_VM_EXIT_CONTROLS];
	static const struct {
		u16 v12;
		u32 sel, base, limit, ar;
	} segs[] __rampart_root_ro = {
		{ V12_HOST_ES_SELECTOR, GUEST_ES_SELECTOR, GUEST_ES_BASE, GUEST_ES_LIMIT, GUEST_ES_AR_BYTES },
		{ V12_HOST_SS_SELECTOR, GUEST_SS_SELECTOR, GUEST_SS_BASE, GUEST_SS_LIMIT, GUEST_SS_AR_BYTES },
		{ V12_HOST_DS_SELECTOR, GUEST_DS_SELECTOR, GUEST_DS_BASE, GUEST_DS_LIMIT, GUEST_DS_AR_BYTES },
		{ V12_HOST_FS_SELECTOR, GUEST_FS_SELECTOR, GUEST_FS_BASE, GUEST_FS_LIMIT, GUEST_FS_AR_BYTES },
		{ V12_HOST_GS_SELECTOR, GUEST_GS_SELECTOR, GUEST_GS_BASE, GUEST_GS_LIMIT, GUEST_GS_AR_BYTES },
	};
	u64 cr3 = c->f[V12_HOST_CR3];
	unsigned int i;

	/*
	 * CR0: CD, NW and ET are not loaded (SDM 28.5.1). Both under the
	 * policy, and consistent: with CR4.CET, CR0.WP stays (27.2.2).
	 */
	rampart_cr_host_load(v, (c->f[V12_HOST_CR0] & ~CR0_KEPT) |
			     (rampart_cr_now(RP_CR0) & CR0_KEPT),
			     c->f[V12_HOST_CR4]);
	/* A CR3 load that is not the one L1 ran with: flush L1's TLB. */
	if (cr3 != rp_vmreadl(GUEST_CR3))
		rp_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, v->vpid, 0);
	rp_vmwritel(GUEST_CR3, cr3);
	rp_vmwritel(GUEST_DR7, 0x400);
	rp_vmwrite64(GUEST_IA32_DEBUGCTL, 0);
	rampart_msr_policy_write(v, MSR_IA32_SYSENTER_CS, c->f[V12_HOST_IA32_SYSENTER_CS]);
	rampart_msr_policy_write(v, MSR_IA32_SYSENTER_ESP, c->f[V12_HOST_IA32_SYSENTER_ESP]);
	rampart_msr_policy_write(v, MSR_IA32_SYSENTER_EIP, c->f[V12_HOST_IA32_SYSENTER_EIP]);
	if (exit12 & VM_EXIT_LOAD_IA32_EFER)
		rampart_msr_policy_write(v, MSR_EFER, c->f[V12_HOST_IA32_EFER]);
	if (exit12 & VM_EXIT_LOAD_IA32_PAT)
		rampart_msr_policy_write(v, MSR_IA32_CR_PAT, c->f[V12_HOST_IA32_PAT]);

	rp_vmwrite16(GUEST_CS_SELECTOR, c->f[V12_HOST_CS_SELECTOR]);
	rp_vmwritel(GUEST_CS_BASE, 0);
	rp_vmwrite32(GUEST_CS_LIMIT, 0xffffffff);
	rp_vmwrite32(GUEST_CS_AR_BYTES, AR_HOST_CS);
	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		u16 sel = c->f[segs[i].v12];

		rp_vmwrite_any(segs[i].sel, sel);
		rp_vmwrite_any(segs[i].base, 0);
		rp_vmwrite_any(segs[i].limit, 0xffffffff);
		rp_vmwrite_any(segs[i].ar, sel ? AR_HOST_DATA : AR_HOST_DATA | VMX_AR_UNUSABLE_MASK);
	}
	rp_vmwritel(GUEST_FS_BASE, c->f[V12_HOST_FS_BASE]);
	rp_vmwritel(GUEST_GS_BASE, c->f[V12_HOST_GS_BASE]);
	rp_vmwrite16(GUEST_TR_SELECTOR, c->f[V12_HOST_TR_SELECTOR]);
	rp_vmwritel(GUEST_TR_BASE, c->f[V12_HOST_TR_BASE]);
	rp_vmwrite32(GUEST_TR_LIMIT, 0x67);
	rp_vmwrite32(GUEST_TR_AR_BYTES, AR_HOST_TR);
	rp_vmwrite16(GUEST_LDTR_SELECTOR, 0);
	rp_vmwritel(GUEST_LDTR_BASE, 0);
	rp_vmwrite32(GUEST_LDTR_LIMIT, 0);
	rp_vmwrite32(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE_MASK);
	rampart_desc_host_load(v, c->f[V12_HOST_GDTR_BASE], c->f[V12_HOST_IDTR_BASE]);

	rp_vmwritel(GUEST_RIP, c->f[V12_HOST_RIP]);
	rp_vmwritel(GUEST_RSP, c->f[V12_HOST_RSP]);
	rp_vmwritel(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	rp_vmwrite32(GUEST_INTERRUPTIBILITY_INFO, nmi ? GUEST_INTR_STATE_NMI : 0);
	rp_vmwrite32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	rp_vmwritel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	load_msrs(v, c->f[V12_VM_EXIT_MSR_LOAD_ADDR], c->f[V12_VM_EXIT_MSR_LOAD_COUNT]);
}

/*
 * A VM entry that fails after its checks (SDM 27.8): L1 gets the exit
 * @reason with bit 31 set and its host state. vmcs01 is current.
 */
static __rampart_root int entry_failure(struct rampart_vcpu *v, u32 reason,
					u64 qual)
{
	struct rampart_vmcs12 *c = &v->nested->cache;

	c->f[V12_VM_EXIT_REASON] = reason | VMX_EXIT_REASONS_FAILED_VMENTRY;
	c->f[V12_EXIT_QUALIFICATION] = qual;
	v->nested->shadow_stale = true;
	load_host(v, false);
	return EXIT_RESUME;
}

/* The controls of vmcs02: L1's, with root's where root needs them. */
static __rampart_root void build_controls(struct rampart_vcpu *v,
					  struct rampart_vmcs_img *img)
{
	struct rampart_nested *n = v->nested;
	struct rampart_vmcs12 *c = &n->cache;
	u32 proc2_01 = read32(SECONDARY_VM_EXEC_CONTROL);
	u32 entry01 = read32(VM_ENTRY_CONTROLS);
	bool ept12 = img->v[RP_SECONDARY_VM_EXEC_CONTROL] & SECONDARY_EXEC_ENABLE_EPT;
	bool vpid12 = img->v[RP_SECONDARY_VM_EXEC_CONTROL] & SECONDARY_EXEC_ENABLE_VPID;
	u32 len;

	/* L2 always runs under root's shadow EPT and a VPID of root's. */
	img->v[RP_CPU_BASED_VM_EXEC_CONTROL] |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	img->v[RP_SECONDARY_VM_EXEC_CONTROL] |= SECONDARY_EXEC_ENABLE_EPT |
		SECONDARY_EXEC_ENABLE_VPID | (proc2_01 & RAMPART_PT_GPA_PROC2);
	img->v[RP_EPT_POINTER] = rampart_sept_eptp(v, ept12 ? c->f[V12_EPT_POINTER] : 0);
	img->v[RP_VIRTUAL_PROCESSOR_ID] = rampart_nested_vpid(v);
	/* One VPID for every L2: flush it where hardware would have (SDM 29.4.3). */
	if (!vpid12 || c->f[V12_VIRTUAL_PROCESSOR_ID] != n->last_vpid12)
		rp_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, rampart_nested_vpid(v), 0);
	n->last_vpid12 = vpid12 ? c->f[V12_VIRTUAL_PROCESSOR_ID] : 0;
	/* Exits restore root's host state, as vmcs01's do; acknowledging is L1's choice. */
	img->v[RP_VM_EXIT_CONTROLS] = read32(VM_EXIT_CONTROLS) |
		(c->f[V12_VM_EXIT_CONTROLS] & VM_EXIT_ACK_INTR_ON_EXIT);
	img->v[RP_VM_ENTRY_CONTROLS] = (c->f[V12_VM_ENTRY_CONTROLS] & VM_ENTRY_IA32E_MODE) |
		VM_ENTRY_LOAD_DEBUG_CONTROLS | VM_ENTRY_LOAD_IA32_EFER |
		VM_ENTRY_LOAD_IA32_PAT | (entry01 & RAMPART_PT_GPA_ENTRY) |
		v->root->caps->ctl[RAMPART_CTL_ENTRY].must_be_one;
	img->v[RP_CR3_TARGET_COUNT] = 0;
	img->v[RP_CPU_BASED_VM_EXEC_CONTROL] |= CPU_BASED_USE_MSR_BITMAPS;
	img->v[RP_MSR_BITMAP] = (u64)n->msr_bitmap - v->root->direct_map;
	img->v[RP_IO_BITMAP_A] = 0;
	img->v[RP_IO_BITMAP_B] = 0;
	img->v[RP_VMCS_LINK_POINTER] = ~0ULL;
	if (!(img->v[RP_CPU_BASED_VM_EXEC_CONTROL] & CPU_BASED_USE_TSC_OFFSETTING))
		img->v[RP_TSC_OFFSET] = 0;
	/*
	 * Root's own MSR lists (vmx/vmcs.c: the performance counters stop in
	 * root), and the MSRs held for L2 (vmx/root/nested_msr.c).
	 */
	len = rampart_nested_msr_lists(v, read32(VM_EXIT_MSR_STORE_COUNT) ? 1 : 0);
	img->v[RP_VM_EXIT_MSR_STORE_ADDR] = rp_vmread64(VM_EXIT_MSR_STORE_ADDR);
	img->v[RP_VM_EXIT_MSR_STORE_COUNT] = read32(VM_EXIT_MSR_STORE_COUNT);
	img->v[RP_VM_EXIT_MSR_LOAD_ADDR] = (u64)n->exit_load - v->root->direct_map;
	img->v[RP_VM_EXIT_MSR_LOAD_COUNT] = len;
	img->v[RP_VM_ENTRY_MSR_LOAD_ADDR] = (u64)n->entry_load - v->root->direct_map;
	img->v[RP_VM_ENTRY_MSR_LOAD_COUNT] = len;
}

/*
 * L2's guest state where vmcs12 leaves it to L1's (SDM 27.3.2.1): EFER,
 * PAT and the debug controls when vmcs12 does not load them. Host state
 * is root's, from vmcs01. vmcs01 is current.
 */
static __rampart_root void build_state(struct rampart_vcpu *v,
				       struct rampart_vmcs_img *img)
{
	u32 entry12 = v->nested->cache.f[V12_VM_ENTRY_CONTROLS];
	int i;

	if (!(entry12 & VM_ENTRY_LOAD_IA32_EFER)) {
		u64 efer = rp_vmread64(GUEST_IA32_EFER) & ~(EFER_LMA | EFER_LME);

		if (entry12 & VM_ENTRY_IA32E_MODE)
			efer |= EFER_LMA | ((img->v[RP_GUEST_CR0] & X86_CR0_PG) ?
					    EFER_LME : 0);
		img->v[RP_GUEST_IA32_EFER] = efer;
	}
	if (!(entry12 & VM_ENTRY_LOAD_IA32_PAT))
		img->v[RP_GUEST_IA32_PAT] = rp_vmread64(GUEST_IA32_PAT);
	if (!(entry12 & VM_ENTRY_LOAD_DEBUG_CONTROLS)) {
		img->v[RP_GUEST_DR7] = rp_vmreadl(GUEST_DR7);
		img->v[RP_GUEST_IA32_DEBUGCTL] = rp_vmread64(GUEST_IA32_DEBUGCTL);
	}
	if (img->v[RP_VM_ENTRY_CONTROLS] & VM_ENTRY_LOAD_IA32_RTIT_CTL)
		img->v[RP_GUEST_IA32_RTIT_CTL] = rp_vmread64(GUEST_IA32_RTIT_CTL);
	for (i = 0; i < RP_VMCS_NR; i++)
		if (ENC_TYPE(rampart_vmcs_enc[i]) == ENC_TYPE_HOST)
			img->v[i] = rp_vmread_any(rampart_vmcs_enc[i]);
}

/**
 * rampart_nested_enter() - the VM entry of an L1 VMLAUNCH or VMRESUME,
 * after the instruction's own checks (vmx/root/nested_insn.c).
 * @x: the exit of that instruction; vmcs01 is current.
 *
 * Return: EXIT_LAUNCH with vmcs02 current, EXIT_RESUME after a VM-entry
 * failure given to L1, or minus the VM-instruction error of a VMfailValid.
 */
__rampart_root int rampart_nested_enter(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	struct rampart_nested *n = v->nested;
	struct rampart_vmcs12 *c = &n->cache;
	const struct rampart_check_rule *bad;
	struct rampart_vmcs_img img;
	u32 failed, i;

	v12_image(n, &img);
	/*
	 * With the control checks, first (SDM 27.2.1.1): an MSR bitmap root
	 * will not read (root memory) is refused like a bad address.
	 */
	if (rampart_nested_msr_bitmap(v, img.v[RP_CPU_BASED_VM_EXEC_CONTROL] &
				      CPU_BASED_USE_MSR_BITMAPS,
				      c->f[V12_MSR_BITMAP])) {
		rampart_root_event_cpu(v, RAMPART_CPU_EV_NESTED_DENIED,
				       RAMPART_ACT_DENY, c->f[V12_MSR_BITMAP], 0);
		return -VMXERR_ENTRY_INVALID_CONTROL_FIELD;
	}
	if (!link_ok(v)) {
		/* Controls and host state are checked before guest state. */
		bad = rampart_vmcs_check(&img, v->root->l1_caps);
		if (bad && rule_class(bad))
			return -rule_class(bad);
		return entry_failure(v, EXIT_REASON_INVALID_STATE, 0);
	}
	img.v[RP_VMCS_LINK_POINTER] = ~0ULL;
	bad = rampart_vmcs_check(&img, v->root->l1_caps);
	if (bad && rule_class(bad))
		return -rule_class(bad);
	if (bad)
		return entry_failure(v, EXIT_REASON_INVALID_STATE, 0);
	failed = load_msrs(v, c->f[V12_VM_ENTRY_MSR_LOAD_ADDR],
			   c->f[V12_VM_ENTRY_MSR_LOAD_COUNT]);
	if (failed)
		return entry_failure(v, EXIT_REASON_MSR_LOAD_FAIL, failed);

	build_controls(v, &img);
	build_state(v, &img);
	bad = rampart_vmcs_check(&img, v->root->caps);
	if (bad) {
		/* vmcs12 passed, vmcs02 did not: root's mistake, not L1's. */
		rampart_rootlog("\nrampart: root: BUG: vmcs02 check failed, SDM ");
		rampart_rootlog(bad->sdm);
		rampart_rootlog(": ");
		rampart_rootlog(bad->what);
		return entry_failure(v, EXIT_REASON_INVALID_STATE, 0);
	}
	if (rp_vmclear(n->vmcs02_pa) || rp_vmptrld(n->vmcs02_pa))
		return -VMXERR_ENTRY_INVALID_CONTROL_FIELD;
	for (i = 0; i < RP_VMCS_NR; i++)
		if (rampart_vmcs_present(&img, i))
			rp_vmwrite_any(rampart_vmcs_enc[i], img.v[i]);
	n->in_l2 = true;
	n->vmcs02_launched = false;
	n->entries++;
	return EXIT_LAUNCH;
}

/* L2's state, and what the exit tells, into vmcs12 (SDM 28.2, 28.3). */
static __rampart_root void save_l2(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;
	struct rampart_vmcs12 *c = &n->cache;
	u32 exit12 = c->f[V12_VM_EXIT_CONTROLS];
	u32 i;

	for (i = 0; i < n->save_nr; i++)
		c->f[n->save_idx[i]] = rp_vmread_any(n->save_enc[i]);
	if (exit12 & VM_EXIT_SAVE_IA32_EFER)
		c->f[V12_GUEST_IA32_EFER] = rp_vmread64(GUEST_IA32_EFER);
	if (exit12 & VM_EXIT_SAVE_IA32_PAT)
		c->f[V12_GUEST_IA32_PAT] = rp_vmread64(GUEST_IA32_PAT);
	if (exit12 & VM_EXIT_SAVE_DEBUG_CONTROLS) {
		c->f[V12_GUEST_DR7] = rp_vmreadl(GUEST_DR7);
		c->f[V12_GUEST_IA32_DEBUGCTL] = rp_vmread64(GUEST_IA32_DEBUGCTL);
	}
	/* An exit clears the valid bit of the entry's event (SDM 28.2.? "VM-entry interruption"). */
	c->f[V12_VM_ENTRY_INTR_INFO_FIELD] &= ~(u64)INTR_INFO_VALID_MASK;
	c->launch = RAMPART_V12_LAUNCHED;
	store_msrs(v, c->f[V12_VM_EXIT_MSR_STORE_ADDR], c->f[V12_VM_EXIT_MSR_STORE_COUNT]);
}

/* vmcs01 current again. */
static __rampart_root int to_vmcs01(struct rampart_vcpu *v)
{
	v->nested->in_l2 = false;
	return rp_vmptrld(v->vmcs_pa);
}

/* The emulated VM exit, after save_l2() and the exit information. */
static __rampart_root int to_l1(struct rampart_vcpu *v, bool nmi)
{
	if (to_vmcs01(v))
		return RAMPART_NESTED_BROKEN;
	load_host(v, nmi);
	v->nested->shadow_stale = true;
	v->nested->reflected++;
	return RAMPART_NESTED_TO_L1;
}

/* L2's exit is L1's to handle, as the CPU reported it. */
static __rampart_root int reflect(struct rampart_vcpu *v, u32 reason,
				  bool nmi)
{
	save_l2(v);
	v->nested->cache.f[V12_VM_EXIT_REASON] = reason;
	return to_l1(v, nmi);
}

/* An NMI root took while L2 ran: L1's, as an NMI exit (SDM 25.2, pin-based NMI exiting). */
static __rampart_root int resume_l2(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;

	if (v->nmi_pending &&
	    (n->cache.f[V12_PIN_BASED_VM_EXEC_CONTROL] & PIN_BASED_NMI_EXITING)) {
		v->nmi_pending = false;
		save_l2(v);
		n->cache.f[V12_VM_EXIT_INTR_INFO] = INTR_INFO_VALID_MASK |
			INTR_TYPE_NMI_INTR | NMI_VECTOR;
		/* The vectoring information save_l2() kept: an event cut short. */
		n->cache.f[V12_EXIT_QUALIFICATION] = 0;
		n->cache.f[V12_VM_EXIT_REASON] = EXIT_REASON_EXCEPTION_NMI;
		return to_l1(v, true);
	}
	/* Rampart's EPT changed while L2 ran: refill under the new one. */
	rampart_sept_eptp(v, (n->cache.f[V12_SECONDARY_VM_EXEC_CONTROL] &
			      SECONDARY_EXEC_ENABLE_EPT) &&
			     (n->cache.f[V12_CPU_BASED_VM_EXEC_CONTROL] &
			      CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ?
			     n->cache.f[V12_EPT_POINTER] : 0);
	return RAMPART_NESTED_STAY;
}

/* An EPT violation of L2's (ept/root/shadow.c). */
static __rampart_root int ept_violation(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	struct rampart_vmcs12 *c = &v->nested->cache;
	bool ept12 = (c->f[V12_CPU_BASED_VM_EXEC_CONTROL] &
		      CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
		     (c->f[V12_SECONDARY_VM_EXEC_CONTROL] & SECONDARY_EXEC_ENABLE_EPT);
	u64 gpa = rp_vmread64(GUEST_PHYSICAL_ADDRESS), qual12 = 0, hpa = 0;
	int r;

	r = rampart_sept_fault(v, ept12 ? c->f[V12_EPT_POINTER] : 0, gpa,
			       x->qual, &qual12, &hpa);
	switch (r) {
	case RAMPART_SEPT_FILLED:
		/* Delivery cut short, or NMI unblocking by IRET (SDM 28.2.3). */
		if (!rampart_reinject_vectoring(v) && (x->qual & BIT_ULL(12)))
			rp_vmwrite32(GUEST_INTERRUPTIBILITY_INFO,
				     rp_vmread32(GUEST_INTERRUPTIBILITY_INFO) |
				     GUEST_INTR_STATE_NMI);
		return resume_l2(v);
	case RAMPART_SEPT_VIOLATION:
		if (!ept12)
			break;
		save_l2(v);
		c->f[V12_EXIT_QUALIFICATION] = qual12;
		c->f[V12_VM_EXIT_REASON] = EXIT_REASON_EPT_VIOLATION;
		return to_l1(v, false);
	case RAMPART_SEPT_MISCONFIG:
		if (ept12)
			return reflect(v, EXIT_REASON_EPT_MISCONFIG, false);
		break;
	}
	/*
	 * L1's EPT allows it, Rampart's does not (or, without EPT in vmcs12,
	 * no memory is there): refused and recorded. The guest stops as a
	 * triple fault would stop it; L1 decides what follows (KVM reports
	 * a shutdown to its user space).
	 */
	rampart_root_event_cpu(v, RAMPART_CPU_EV_NESTED_DENIED, RAMPART_ACT_DENY,
			       hpa, x->qual & 7);
	return reflect(v, EXIT_REASON_TRIPLE_FAULT, false);
}

/**
 * rampart_nested_exit() - a VM exit from L2.
 * @x: the exit; vmcs02 is current.
 * @raw: the full exit reason.
 *
 * Return: RAMPART_NESTED_STAY to resume L2 (vmcs02 current), _TO_L1
 * after an emulated VM exit (vmcs01 current, L1 at its host RIP), or
 * _BROKEN if vmcs01 could not be made current again.
 */
__rampart_root int rampart_nested_exit(struct exit_ctx *x, u32 raw)
{
	struct rampart_vcpu *v = x->v;

	v->nested->vmcs02_launched = true;
	if (raw & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		rampart_nested_msrs_back(v);
		/* Hardware refused what both checks let through: L1 sees the failure. */
		v->nested->cache.f[V12_EXIT_QUALIFICATION] = x->qual;
		if (to_vmcs01(v))
			return RAMPART_NESTED_BROKEN;
		entry_failure(v, raw & 0xffff, x->qual);
		return RAMPART_NESTED_TO_L1;
	}
	switch (x->reason) {
	case EXIT_REASON_EPT_VIOLATION:
		return ept_violation(x);
	case EXIT_REASON_EPT_MISCONFIG:
		/* The shadow is root's: a misconfiguration there is root's bug. */
		rampart_report(v, "BUG: shadow EPT misconfigured, L2 stopped", x->reason);
		return reflect(v, EXIT_REASON_TRIPLE_FAULT, false);
	case EXIT_REASON_INIT_SIGNAL:
		/* Refused as for L1 (vmx/root/exit.c handle_init). */
		rampart_root_event_cpu(v, RAMPART_CPU_EV_INIT, RAMPART_ACT_DENY,
				       rp_vmread32(GUEST_ACTIVITY_STATE), 0);
		return resume_l2(v);
	case EXIT_REASON_EXCEPTION_NMI:
		return reflect(v, raw, (rp_vmread32(VM_EXIT_INTR_INFO) &
				       INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR);
	}
	return reflect(v, raw, false);
}

/**
 * rampart_nested_entry_failed() - VMLAUNCH of vmcs02 failed (VMfailValid).
 * @v: this CPU; vmcs02 is current.
 *
 * Both checks passed, the CPU refused anyway: L1's VMLAUNCH or VMRESUME
 * fails with the CPU's error, which L1 would have seen on bare metal.
 *
 * Return: the VM-instruction error for L1 with vmcs01 current, or 0 if
 * vmcs01 cannot be made current (the caller parks the CPU).
 */
__rampart_root u32 rampart_nested_entry_failed(struct rampart_vcpu *v)
{
	u32 err = rp_vmread32(VM_INSTRUCTION_ERROR);

	rampart_report(v, "nested VM entry refused by the CPU", err);
	rampart_nested_msrs_back(v);
	if (to_vmcs01(v))
		return 0;
	return err ?: VMXERR_ENTRY_INVALID_CONTROL_FIELD;
}
