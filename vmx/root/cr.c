// SPDX-License-Identifier: GPL-2.0-only
/*
 * MOV to CR0/CR4/CR3 exits (root side). Only bits in the guest/host masks
 * exit (SDM 25.6.6, 26.1.3): CR4.VMXE, which Rampart owns (the kernel
 * sees its own value of it in the read shadow, vmx/root/nested_insn.c),
 * and the bits
 * the policy logs or denies. The kernel's ordinary writes (CR4.PGE
 * toggles on TLB flushes, CR4.TSD/PCE on context switches) leave those
 * bits alone and run without an exit.
 */
#include <linux/types.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "arch.h"
#include "cr.h"
#include "event.h"
#include "guest.h"
#include "inject.h"
#include "lock.h"
#include "nested.h"
#include "ops.h"
#include "poke.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* Bits whose change flushes the TLB on bare metal (Vol. 3A 4.10.4.1). */
#define CR0_FLUSH	(X86_CR0_PG | X86_CR0_WP | X86_CR0_CD | X86_CR0_NW)
#define CR4_FLUSH	(X86_CR4_PGE | X86_CR4_PSE | X86_CR4_PAE | \
			 X86_CR4_PCIDE | X86_CR4_SMEP | X86_CR4_SMAP | \
			 X86_CR4_PKE)
/* Mode switches root does not emulate: refuse them (fail closed). */
#define CR0_MODE	(X86_CR0_PG | X86_CR0_PE)
#define CR4_MODE	(X86_CR4_PAE | X86_CR4_LA57)

struct cr_regs {
	unsigned long guest, mask, shadow;
	u64 flush, mode;
};

static const struct cr_regs cr_fields[RP_CR_NR] __rampart_root_ro = {
	[RP_CR0] = { GUEST_CR0, CR0_GUEST_HOST_MASK, CR0_READ_SHADOW,
		     CR0_FLUSH, CR0_MODE },
	[RP_CR4] = { GUEST_CR4, CR4_GUEST_HOST_MASK, CR4_READ_SHADOW,
		     CR4_FLUSH, CR4_MODE },
};

/*
 * Would hardware refuse @val? Reserved bits and the VMX fixed bits (SDM
 * Appendix A.7/A.8; unrestricted guest frees CR0.PE/PG, 26.3), CR0
 * consistency (Vol. 3A 2.5), PCIDE with a non-zero PCID, and CET only
 * with CR0.WP (Vol. 1 17.2.3: clearing WP with CR4.CET set, or setting
 * CET with WP clear, is #GP; VM entry would refuse the state otherwise).
 */
static __rampart_root bool cr_invalid(struct exit_ctx *x, int cri, u64 old,
				      u64 val)
{
	struct rampart_vcpu *v = x->v;

	if (cri == RP_CR0) {
		u64 fixed0 = v->cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);

		return (val >> 32) || (val & ~v->cr0_fixed1) ||
		       (~val & fixed0) ||
		       ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
		       ((val & X86_CR0_NW) && !(val & X86_CR0_CD)) ||
		       (!(val & X86_CR0_WP) &&
			(rp_vmreadl(GUEST_CR4) & X86_CR4_CET));
	}
	/*
	 * CR4.VMXE is the kernel's only while root emulates VMX, and it may
	 * not clear it in VMX operation (SDM 24.8, MOV to CR4: #GP).
	 */
	return ((val & X86_CR4_VMXE) && !rampart_nested_on(v->root)) ||
	       (!(val & X86_CR4_VMXE) && v->nested->vmxon) ||
	       (val & ~v->cr4_fixed1) ||
	       ((val & ~old & X86_CR4_PCIDE) &&
		(rp_vmreadl(GUEST_CR3) & 0xfff)) ||
	       ((val & X86_CR4_CET) && !(rp_vmreadl(GUEST_CR0) & X86_CR0_WP));
}

/*
 * Control-register exit qualification, SDM Table 28-3: the CR in bits 3:0
 * (<asm/vmx.h>'s CONTROL_REG_ACCESS_NUM covers only 2:0, too few for CR8),
 * the access type in 5:4, the GPR in 11:8.
 */
#define CR_QUAL_NUM	0xf

static __rampart_root unsigned int cr_gpr(u64 qual)
{
	return (qual & CONTROL_REG_ACCESS_REG) >> 8;
}

/*
 * MOV to CR3, which exits only while a text-poke window is open (vmx/
 * poke.c): the kernel switching back from text_poke()'s mm. Close the
 * window, then emulate: bit 63 (no flush) is not part of CR3 (Vol. 3A
 * 4.10.4.1), bits above MAXPHYADDR are reserved (#GP), and the flush the
 * instruction would have done is at most a full VPID flush (SDM 29.4.3).
 */
static __rampart_root int mov_to_cr3(struct exit_ctx *x)
{
	u64 val = rampart_gpr_read(x, cr_gpr(x->qual));
	bool pcide = rp_vmreadl(GUEST_CR4) & X86_CR4_PCIDE;
	u64 noflush = pcide ? val & BIT_ULL(63) : 0;
	u64 cr3 = val & ~BIT_ULL(63);

	rampart_poke_close(x->v);
	if ((!pcide && (val & BIT_ULL(63))) || (cr3 >> rampart_max_phys_bits()))
		return rampart_inject_gp(x);
	rp_vmwritel(GUEST_CR3, cr3);
	if (!noflush)
		rp_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0, 0);
	return rampart_skip_insn(x);
}

/**
 * rampart_handle_cr() - a MOV to CR0 or CR4 that touches an owned bit.
 * @x: the exit.
 *
 * Decides from the policy in force (policy/decide.c), records denied and
 * logged writes, and completes the write the way the verdict says. The
 * guest sees the bits it owns in the real register, the rest in the read
 * shadow, which root keeps equal to the real value (VMXE aside).
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_cr(struct exit_ctx *x)
{
	unsigned int cr = x->qual & CR_QUAL_NUM;
	unsigned int type = (x->qual & CONTROL_REG_ACCESS_TYPE) >> 4;
	struct rampart_root *rs = x->v->root;
	const struct cr_regs *f;
	struct rp_verdict vd;
	u64 val, old;
	int cri;

	/* SDM Table 28-3: type 0 is MOV to CR; CLTS/LMSW never own a bit. */
	if (cr == 3 && type == 0)
		return mov_to_cr3(x);
	cri = rp_cr_index(cr);
	if (type != 0 || cri < 0) {
		rampart_report(x->v, "CR access Rampart never asked for, #GP",
			       x->reason);
		return rampart_inject_gp(x);
	}
	f = &cr_fields[cri];
	val = rampart_gpr_read(x, cr_gpr(x->qual));
	old = rampart_cr_now(cri);
	if (cr_invalid(x, cri, old, val))
		return rampart_inject_gp(x);

	rampart_root_lock(rs);
	rp_decide_cr(&rs->slot[rs->active], cri, old, val, &vd);
	rampart_root_unlock(rs);
	if (vd.action != RAMPART_ACT_ALLOW)
		rampart_root_event_record(x->v, RAMPART_ASSET_CR, cr, &vd, old, val);
	if (!vd.write || ((vd.result ^ old) & f->mode))
		return rampart_inject_gp(x);

	rp_vmwritel(f->guest, cri == RP_CR4 ? vd.result | X86_CR4_VMXE :
		   vd.result);
	rp_vmwritel(f->shadow, vd.result);
	/* Emulated, so flush what the instruction would have (SDM 29.4.3). */
	if ((vd.result ^ old) & f->flush)
		rp_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0, 0);
	return rampart_skip_insn(x);
}

/**
 * rampart_cr_now() - the kernel's value of CR0 or CR4, as it reads it.
 * @cri: RP_CR0 or RP_CR4.
 *
 * Return: the bits it owns from the register, the others from the shadow.
 */
__rampart_root u64 rampart_cr_now(int cri)
{
	const struct cr_regs *f = &cr_fields[cri];
	u64 mask = rp_vmreadl(f->mask);

	return (rp_vmreadl(f->guest) & ~mask) | (rp_vmreadl(f->shadow) & mask);
}

/* @val as the policy lets it in: refused bits and mode bits keep theirs. */
static __rampart_root u64 host_value(struct rampart_vcpu *v, int cri, u64 val)
{
	const struct cr_regs *f = &cr_fields[cri];
	struct rampart_root *rs = v->root;
	u64 old = rampart_cr_now(cri), res;
	struct rp_verdict vd;

	rampart_root_lock(rs);
	rp_decide_cr(&rs->slot[rs->active], cri, old, val, &vd);
	rampart_root_unlock(rs);
	if (vd.action != RAMPART_ACT_ALLOW)
		rampart_root_event_record(v, RAMPART_ASSET_CR, cri == RP_CR0 ? 0 : 4,
					  &vd, old, val);
	res = vd.write ? vd.result : val ^ ((val ^ old) & vd.bits);
	return (res & ~f->mode) | (old & f->mode);
}

static __rampart_root void host_write(struct rampart_vcpu *v, int cri, u64 res)
{
	const struct cr_regs *f = &cr_fields[cri];
	u64 old = rampart_cr_now(cri);

	rp_vmwritel(f->guest, cri == RP_CR4 ? res | X86_CR4_VMXE : res);
	rp_vmwritel(f->shadow, res);
	if ((res ^ old) & f->flush)
		rp_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, v->vpid, 0);
}

/**
 * rampart_cr_host_load() - load CR0 and CR4 as an emulated VM exit does
 * (SDM 28.5.1), under the policy in force, into the current VMCS (vmcs01).
 * @v: this CPU.
 * @cr0: the host CR0 from vmcs12, checked at VM entry (SDM 27.2.2).
 * @cr4: the host CR4 from vmcs12, likewise.
 *
 * Decided and recorded as a MOV to CR would be; there is no instruction
 * to fault, so bits the policy refuses keep their value, and so do the
 * bits that would switch the paging mode. The pair stays one a VM entry
 * takes: with CR4.CET kept, CR0.WP is kept too (SDM 27.3.1.1).
 */
__rampart_root void rampart_cr_host_load(struct rampart_vcpu *v, u64 cr0,
					 u64 cr4)
{
	u64 res0 = host_value(v, RP_CR0, cr0), res4 = host_value(v, RP_CR4, cr4);

	if (res4 & X86_CR4_CET)
		res0 |= X86_CR0_WP;
	host_write(v, RP_CR0, res0);
	host_write(v, RP_CR4, res4);
}
