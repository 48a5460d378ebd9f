// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMX instructions the kernel (L1) executes, emulated by root (root
 * side). In VMX non-root operation each of them exits (SDM 26.1.3), so
 * root completes it as the CPU would in VMX root operation: the checks
 * and results of SDM Vol. 3C 31.3 for each instruction, under the
 * conventions of 31.2 (VMsucceed, VMfailInvalid, VMfailValid with the
 * error numbers of 31.4).
 *
 * Root emulates L1 in 64-bit mode only, as Linux runs: elsewhere (and
 * while root refuses VMX, the policy's choice) each instruction raises
 * #UD, as on a CPU without VMX. Physical addresses L1 names (VMXON region,
 * VMCS regions) are touched only where the kernel itself could read and
 * write (vmx/root/gmem.c): a VMCLEAR aimed at protected memory or root's
 * own fails as an invalid address, never writes there.
 */
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../../ept/root/shadow.h"
#include "arch.h"
#include "caps.h"
#include "check.h"
#include "gmem.h"
#include "guest.h"
#include "inject.h"
#include "nested.h"
#include "nested_run.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* A helper that did not finish the exit itself: the handler goes on. */
#define GO_ON		(-1)
#define NO_VMCS		(~0ULL)	/* the invalid current-VMCS pointer, SDM 25.1 */

/* The arithmetic flags the conventions set (SDM 31.2). */
#define VMX_RFLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/* Complete the instruction with @set among the flags of SDM 31.2. */
static __rampart_root int vm_result(struct exit_ctx *x, u64 set)
{
	u64 rflags = rp_vmreadl(GUEST_RFLAGS);

	rp_vmwritel(GUEST_RFLAGS, (rflags & ~VMX_RFLAGS) | set);
	return rampart_skip_insn(x);
}

static __rampart_root int vm_succeed(struct exit_ctx *x)
{
	return vm_result(x, 0);
}

static __rampart_root int vm_fail_invalid(struct exit_ctx *x)
{
	return vm_result(x, X86_EFLAGS_CF);
}

/* VMfail(@err): VMfailValid with a current VMCS, else VMfailInvalid. */
static __rampart_root int vm_fail(struct exit_ctx *x, u32 err)
{
	struct rampart_nested *n = x->v->nested;

	if (n->current_ptr == NO_VMCS)
		return vm_fail_invalid(x);
	/* Not a field the shadow VMCS holds: L1 reads it with a VMREAD exit. */
	n->cache.f[V12_VM_INSTRUCTION_ERROR] = err;
	return vm_result(x, X86_EFLAGS_ZF);
}

/**
 * rampart_nested_vmfail() - end L1's VMX instruction with VMfail.
 * @x: the exit of the instruction; vmcs01 is current.
 * @err: the VM-instruction error (SDM 31.4).
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_nested_vmfail(struct exit_ctx *x, u32 err)
{
	return vm_fail(x, err);
}

/*
 * The checks every VMX instruction makes first (SDM 31.3): #UD outside
 * 64-bit mode, with CR4.VMXE clear (as L1 set it: the read shadow), or
 * outside VMX operation for all but VMXON; then #GP(0) above CPL 0.
 * Where the policy hides VMX, all #UD, except in a VMX operation begun
 * before: that one may be wound down (no L2 entry, vmx/root/nested_run.c).
 */
static __rampart_root int gate(struct exit_ctx *x, bool need_vmxon)
{
	struct rampart_vcpu *v = x->v;

	if ((!v->nested->vmxon && !rampart_nested_on(v->root)) ||
	    !(rp_vmreadl(CR4_READ_SHADOW) & X86_CR4_VMXE) ||
	    !(rp_vmread32(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK) ||
	    (need_vmxon && !v->nested->vmxon))
		return rampart_inject_ud(x);
	if (rampart_guest_cpl())
		return rampart_inject_gp(x);
	return GO_ON;
}

/* A memory access that faulted (#PF, #GP) or that root refused (#GP(0)). */
static __rampart_root int access_failed(struct exit_ctx *x, int err,
					const struct rampart_gfault *f)
{
	if (err == -EFAULT) {
		rampart_gmem_inject(x->v, f);
		return EXIT_RESUME;
	}
	return rampart_inject_gp(x);
}

/* Read the instruction's m64 (or m128) operand; a register form is #UD. */
static __rampart_root int read_operand(struct exit_ctx *x, u32 info, void *buf,
				       u32 len)
{
	struct rampart_gfault f;
	int err;

	if (info & II_REG_FORM)
		return rampart_inject_ud(x);
	err = rampart_gmem_read(x->v, rampart_operand_gla(x, info), buf, len, &f);
	return err ? access_failed(x, err, &f) : GO_ON;
}

static __rampart_root int write_operand(struct exit_ctx *x, u32 info, u64 val)
{
	struct rampart_gfault f;
	int err;

	err = rampart_gmem_write(x->v, rampart_operand_gla(x, info), &val, 8, &f);
	return err ? access_failed(x, err, &f) : GO_ON;
}

/* A VMXON or VMCS pointer: 4 KiB aligned, within MAXPHYADDR (SDM 31.3). */
static __rampart_root bool region_ok(u64 pa)
{
	return !(pa & ~PAGE_MASK) && !(pa >> rampart_max_phys_bits());
}

/*
 * The checks VMCLEAR and VMPTRLD make on their operand (SDM 31.3): @pa
 * read, 4 KiB aligned within MAXPHYADDR (else VMfail @bad), not the VMXON
 * pointer (else VMfail @vmxon).
 */
static __rampart_root int vmcs_operand(struct exit_ctx *x, u64 *pa, u32 bad,
				       u32 vmxon)
{
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO);
	int r = gate(x, true);

	if (r != GO_ON)
		return r;
	r = read_operand(x, info, pa, sizeof(*pa));
	if (r != GO_ON)
		return r;
	if (!region_ok(*pa))
		return vm_fail(x, bad);
	if (*pa == x->v->nested->vmxon_ptr)
		return vm_fail(x, vmxon);
	return GO_ON;
}

/* The revision identifier L1 must write into its regions (SDM 25.2). */
static __rampart_root u32 revision(const struct rampart_vcpu *v)
{
	return v->root->caps->raw.basic & 0x7fffffff;
}

/*
 * Copy the current vmcs12 back into L1's region (SDM 25.11.3's "flush"),
 * with what L1 wrote into the shadow VMCS.
 */
static __rampart_root int writeback(struct rampart_vcpu *v)
{
	struct rampart_nested *n = v->nested;

	if (n->current_ptr == NO_VMCS)
		return 0;
	rampart_shadow_pull(v);
	return rampart_gmem_phys(v, n->current_ptr, &n->cache,
				 sizeof(n->cache), true);
}

/* No current VMCS: VMREAD and VMWRITE exit again. */
static __rampart_root void drop_current(struct rampart_vcpu *v)
{
	v->nested->current_ptr = NO_VMCS;
	rampart_shadow_unlink(v);
}

/**
 * rampart_handle_vmxon() - VMXON (SDM 31.3): enter emulated VMX operation.
 * @x: the exit.
 *
 * The region must be RAM the kernel may write, with the right revision;
 * root never touches it again (nor does the CPU on L1's behalf).
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_vmxon(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	struct rampart_nested *n = v->nested;
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO), rev;
	u64 pa, cr0 = rp_vmreadl(GUEST_CR0);
	int r = gate(x, false);

	if (r != GO_ON)
		return r;
	if (n->vmxon)
		return vm_fail(x, VMXERR_VMXON_IN_VMX_ROOT_OPERATION);
	/* CR0 outside the VMX fixed bits: #GP(0) (SDM 31.3, A.7). */
	if ((cr0 & v->cr0_fixed0) != v->cr0_fixed0 || (cr0 & ~v->cr0_fixed1))
		return rampart_inject_gp(x);
	r = read_operand(x, info, &pa, sizeof(pa));
	if (r != GO_ON)
		return r;
	if (!region_ok(pa) || !rampart_gmem_phys_writable(v, pa) ||
	    rampart_gmem_phys(v, pa, &rev, sizeof(rev), false) ||
	    rev != revision(v))
		return vm_fail_invalid(x);
	n->vmxon = true;
	n->vmxon_ptr = pa;
	n->current_ptr = NO_VMCS;
	rampart_shadow_setup(v);
	return vm_succeed(x);
}

/**
 * rampart_handle_vmxoff() - VMXOFF (SDM 31.3): leave emulated VMX
 * operation. The current vmcs12 is written back, as a CPU may do.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_vmxoff(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	int r = gate(x, true);

	if (r != GO_ON)
		return r;
	writeback(v);
	drop_current(v);
	v->nested->vmxon = false;
	v->nested->held_set = 0;
	rampart_sept_flush(v);
	return vm_succeed(x);
}

/**
 * rampart_handle_vmclear() - VMCLEAR (SDM 31.3): write a VMCS back to its
 * region with launch state clear.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_vmclear(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	struct rampart_nested *n = v->nested;
	u32 clear = 0;
	u64 pa;
	int r = vmcs_operand(x, &pa, VMXERR_VMCLEAR_INVALID_ADDRESS,
			     VMXERR_VMCLEAR_VMXON_POINTER);

	if (r != GO_ON)
		return r;
	if (pa == n->current_ptr) {
		n->cache.launch = 0;
		r = writeback(v);
		drop_current(v);
	} else {
		r = rampart_gmem_phys(v, pa + offsetof(struct rampart_vmcs12, launch),
				      &clear, sizeof(clear), true);
	}
	if (r)
		return vm_fail(x, VMXERR_VMCLEAR_INVALID_ADDRESS);
	return vm_succeed(x);
}

/**
 * rampart_handle_vmptrld() - VMPTRLD (SDM 31.3): make a VMCS current.
 * Root copies L1's region in once; L1 changes it only through VMWRITE
 * until it is written back.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_vmptrld(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	struct rampart_nested *n = v->nested;
	u32 rev;
	u64 pa;
	int r = vmcs_operand(x, &pa, VMXERR_VMPTRLD_INVALID_ADDRESS,
			     VMXERR_VMPTRLD_VMXON_POINTER);

	if (r != GO_ON)
		return r;
	/* Root writes the region back later: it must be the kernel's to write. */
	if (!rampart_gmem_phys_writable(v, pa) ||
	    rampart_gmem_phys(v, pa, &rev, sizeof(rev), false))
		return vm_fail(x, VMXERR_VMPTRLD_INVALID_ADDRESS);
	/* Bit 31 set asks for a shadow VMCS, which root does not offer. */
	if (rev != revision(v))
		return vm_fail(x, VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID);
	if (pa == n->current_ptr)
		return vm_succeed(x);
	writeback(v);
	drop_current(v);
	if (rampart_gmem_phys(v, pa, &n->cache, sizeof(n->cache), false))
		return vm_fail_invalid(x);
	n->current_ptr = pa;
	rampart_shadow_link(v);
	return vm_succeed(x);
}

/**
 * rampart_handle_vmptrst() - VMPTRST (SDM 31.3): store the current-VMCS
 * pointer.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_vmptrst(struct exit_ctx *x)
{
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO);
	int r = gate(x, true);

	if (r != GO_ON)
		return r;
	if (info & II_REG_FORM)
		return rampart_inject_ud(x);
	r = write_operand(x, info, x->v->nested->current_ptr);
	return r != GO_ON ? r : vm_succeed(x);
}

/**
 * rampart_handle_vmread() - VMREAD (SDM 31.3) from the current vmcs12:
 * without a current vmcs12, or of a field the shadow VMCS does not hold
 * (vmx/root/nested_shadow.c), which are the cache's.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_vmread(struct exit_ctx *x)
{
	struct rampart_nested *n = x->v->nested;
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO);
	bool high;
	u64 val;
	int i, r = gate(x, true);

	if (r != GO_ON)
		return r;
	if (n->current_ptr == NO_VMCS)
		return vm_fail_invalid(x);
	i = rampart_v12_find(rampart_gpr_read(x, II_REG2(info)), &high);
	if (i < 0)
		return vm_fail(x, VMXERR_UNSUPPORTED_VMCS_COMPONENT);
	val = n->cache.f[i];
	if (high)
		val >>= 32;
	if (info & II_REG_FORM) {
		rampart_gpr_write(x, II_REG1(info), val);
		return vm_succeed(x);
	}
	r = write_operand(x, info, val);
	return r != GO_ON ? r : vm_succeed(x);
}

/* What a VMWRITE of @val to field @enc leaves in it (SDM 25.11.2). */
static __rampart_root u64 v12_store(u64 old, u64 enc, bool high, u64 val)
{
	switch ((enc >> 13) & 3) {
	case 0:				/* 16-bit */
		return (u16)val;
	case 2:				/* 32-bit */
		return (u32)val;
	case 1:				/* 64-bit, or its high half */
		return high ? (u32)old | (u64)(u32)val << 32 : val;
	}
	return val;			/* natural width */
}

/**
 * rampart_handle_vmwrite() - VMWRITE (SDM 31.3) to the current vmcs12,
 * where it exits (as for VMREAD). VM-exit information fields are read-only: L1 has no "VMWRITE to any
 * field" (IA32_VMX_MISC[29] is 0 for it, vmx/root/nested_caps.c).
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_vmwrite(struct exit_ctx *x)
{
	struct rampart_nested *n = x->v->nested;
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO);
	u64 enc, val;
	bool high;
	int i, r = gate(x, true);

	if (r != GO_ON)
		return r;
	if (n->current_ptr == NO_VMCS)
		return vm_fail_invalid(x);
	if (info & II_REG_FORM) {
		val = rampart_gpr_read(x, II_REG1(info));
	} else {
		r = read_operand(x, info, &val, sizeof(val));
		if (r != GO_ON)
			return r;
	}
	enc = rampart_gpr_read(x, II_REG2(info));
	i = rampart_v12_find(enc, &high);
	if (i < 0)
		return vm_fail(x, VMXERR_UNSUPPORTED_VMCS_COMPONENT);
	if (rampart_v12_kind(i) == V12_INFO)
		return vm_fail(x, VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT);
	n->cache.f[i] = v12_store(n->cache.f[i], enc, high, val);
	return vm_succeed(x);
}

/* The INVEPT/INVVPID descriptor (SDM 31.3). */
struct inv_desc {
	u64 lo, hi;
};

/**
 * rampart_handle_invept() - INVEPT (SDM 31.3): L1 changed its EPT. Root
 * drops the whole shadow EPT, whatever the type: it refills on demand.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_invept(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO);
	u64 type, caps;
	struct inv_desc d;
	int r = gate(x, true);

	if (r != GO_ON)
		return r;
	if (!(rampart_nested_ctl_may1(v->root, RAMPART_CTL_PROC2) &
	      SECONDARY_EXEC_ENABLE_EPT) ||
	    rampart_nested_msr(v->root, MSR_IA32_VMX_EPT_VPID_CAP, &caps))
		return rampart_inject_ud(x);
	type = rampart_gpr_read(x, II_REG2(info));
	r = read_operand(x, info, &d, sizeof(d));
	if (r != GO_ON)
		return r;
	/* Single-context: of a valid EPTP only (SDM 31.3 INVEPT, 25.6.11). */
	if (!((type == VMX_EPT_EXTENT_CONTEXT &&
	       (caps & VMX_EPT_EXTENT_CONTEXT_BIT) &&
	       rampart_eptp_valid(d.lo, v->root->l1_caps)) ||
	      (type == VMX_EPT_EXTENT_GLOBAL &&
	       (caps & VMX_EPT_EXTENT_GLOBAL_BIT))))
		return vm_fail(x, VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID);
	rampart_sept_flush(v);
	return vm_succeed(x);
}

/**
 * rampart_handle_invvpid() - INVVPID (SDM 31.3). Every L2 runs under one
 * VPID of root's per CPU, so any valid INVVPID flushes all of it.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_invvpid(struct exit_ctx *x)
{
	struct rampart_vcpu *v = x->v;
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO);
	struct inv_desc d;
	u64 type;
	bool bad;
	int r = gate(x, true);

	if (r != GO_ON)
		return r;
	if (!(rampart_nested_ctl_may1(v->root, RAMPART_CTL_PROC2) &
	      SECONDARY_EXEC_ENABLE_VPID))
		return rampart_inject_ud(x);
	type = rampart_gpr_read(x, II_REG2(info));
	r = read_operand(x, info, &d, sizeof(d));
	if (r != GO_ON)
		return r;
	/* Bits 63:16 of the VPID quadword are reserved. */
	bad = type > VMX_VPID_EXTENT_SINGLE_NON_GLOBAL || (d.lo >> 16) ||
	      (type != VMX_VPID_EXTENT_ALL_CONTEXT && !d.lo) ||
	      (type == VMX_VPID_EXTENT_INDIVIDUAL_ADDR && !rampart_canonical(d.hi));
	if (bad)
		return vm_fail(x, VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID);
	rp_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, rampart_nested_vpid(v), 0);
	return vm_succeed(x);
}

/* VMLAUNCH and VMRESUME: the checks before any L2 state (SDM 31.3). */
static __rampart_root int launch(struct exit_ctx *x, bool first)
{
	struct rampart_nested *n = x->v->nested;
	int r = gate(x, true);

	if (r != GO_ON)
		return r;
	if (n->current_ptr == NO_VMCS)
		return vm_fail_invalid(x);
	rampart_shadow_pull(x->v);
	if (rp_vmread32(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_MOV_SS)
		return vm_fail(x, VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS);
	if (first && n->cache.launch == RAMPART_V12_LAUNCHED)
		return vm_fail(x, VMXERR_VMLAUNCH_NONCLEAR_VMCS);
	if (!first && n->cache.launch != RAMPART_V12_LAUNCHED)
		return vm_fail(x, VMXERR_VMRESUME_NONLAUNCHED_VMCS);
	/* The policy hides VMX now: no more L2 entries. */
	if (!rampart_nested_on(x->v->root))
		return vm_fail(x, VMXERR_ENTRY_INVALID_CONTROL_FIELD);
	r = rampart_nested_enter(x);
	if (r >= 0)
		return r;
	return vm_fail(x, -r);
}

/**
 * rampart_handle_vmlaunch() - VMLAUNCH (SDM 31.3): run L2 on a clear vmcs12.
 * @x: the exit.
 *
 * Return: EXIT_RESUME or EXIT_ENTER_L2.
 */
__rampart_root int rampart_handle_vmlaunch(struct exit_ctx *x)
{
	return launch(x, true);
}

/**
 * rampart_handle_vmresume() - VMRESUME (SDM 31.3): run L2 on a launched
 * vmcs12.
 * @x: the exit.
 *
 * Return: EXIT_RESUME or EXIT_ENTER_L2.
 */
__rampart_root int rampart_handle_vmresume(struct exit_ctx *x)
{
	return launch(x, false);
}
