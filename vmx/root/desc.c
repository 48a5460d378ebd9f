// SPDX-License-Identifier: GPL-2.0-only
/*
 * The descriptor-table guard (root side). An IDT kept read-only protects
 * nothing if LIDT can point the CPU at a copy, nor a GDT if LGDT can.
 * While the policy's range.idt rule logs or denies, descriptor-table
 * exiting (SDM 25.6.2, Table 25-7) makes LGDT, LIDT, SGDT, SIDT, LLDT,
 * LTR, SLDT and STR exit (SDM 26.1.3), and root completes each itself
 * (SDM Vol. 2 for each instruction; operands from the VM-exit instruction
 * information, SDM 28.2.5, Tables 28-10 and 28-11). Nothing the guest
 * wrote is run again, so code another CPU rewrites meanwhile gains nothing.
 *
 * - LGDT and LIDT may load the table the CPU had at launch again, at its
 *   address or at its page's direct-map alias (load_table()), or an empty
 *   one. Any other table is refused with #GP(0) (deny) or loaded (log),
 *   and recorded.
 * - SGDT, SIDT, SLDT, STR store what the CPU would; LLDT and LTR load
 *   from the GDT in force, with the checks the CPU makes.
 * - At CPL 3 (these exit only where the CPU has no UMIP), the stores get
 *   #GP(0), as with CR4.UMIP, and are counted, not recorded: a user must
 *   not be able to fill the root record. LGDT, LIDT, LLDT and LTR fault
 *   at CPL > 0 before any exit.
 * - Root emulates only 64-bit mode at CPL 0 otherwise; an instruction it
 *   cannot complete (outside 64-bit mode, or memory gmem.c refuses) gets
 *   #GP(0) and a record.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/desc_defs.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "caps.h"
#include "desc.h"
#include "event.h"
#include "gmem.h"
#include "guest.h"
#include "inject.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

#define II_ID(i)		(((i) >> 28) & 3)

enum { ID_SGDT, ID_SIDT, ID_LGDT, ID_LIDT };	/* reason GDTR_IDTR */
enum { ID_SLDT, ID_STR, ID_LLDT, ID_LTR };	/* reason LDTR_TR */
enum { DT_GDT, DT_IDT };

/* The VMCS fields of GDTR and IDTR. */
static const u32 dt_base_field[2] __rampart_root_ro = {
	[DT_GDT] = GUEST_GDTR_BASE, [DT_IDT] = GUEST_IDTR_BASE,
};
static const u32 dt_limit_field[2] __rampart_root_ro = {
	[DT_GDT] = GUEST_GDTR_LIMIT, [DT_IDT] = GUEST_IDTR_LIMIT,
};

/* A system descriptor in 64-bit mode: 16 bytes (SDM Vol. 3A 7.2.3, 8.2.3). */
struct sys_desc {
	u16 limit0;
	u16 base0;
	u8 base1;
	u8 type_s_dpl_p;	/* type 3:0, S 4, DPL 6:5, P 7 */
	u8 limit1_flags;	/* limit 19:16 in 3:0, AVL, L, D/B, G 7 */
	u8 base2;
	u32 base3;
	u32 zero;		/* bits 12:8 must be 0 (SDM Vol. 3A 7.2.3) */
} __packed;

/**
 * rampart_desc_available() - whether this CPU can exit on descriptor-table
 * instructions (SDM A.3.3).
 * @rs: root's shared state.
 *
 * Return: true if the "descriptor-table exiting" control may be 1.
 */
__rampart_root bool rampart_desc_available(const struct rampart_root *rs)
{
	return rs->caps->ctl[RAMPART_CTL_PROC2].may_be_one & SECONDARY_EXEC_DESC;
}

/**
 * rampart_desc_guards() - whether a range rule turns the guard on.
 * @r: a compiled range rule.
 *
 * Return: true for range.idt with log or deny.
 */
__rampart_root bool rampart_desc_guards(const struct rp_range_rule *r)
{
	return r->name == RAMPART_RANGE_IDT && r->action != RAMPART_ACT_ALLOW;
}

/* Keep table @t: this value may always be loaded again. */
static __rampart_root void keep(struct rampart_vcpu *v, int t, u64 base,
				u16 limit)
{
	v->desc_kept[t].base = base;
	v->desc_kept[t].limit = limit;
}

/**
 * rampart_desc_launched() - keep this CPU's tables as launch found them.
 * @v: this CPU, at its first exit after VMLAUNCH.
 *
 * The kernel is trusted until the policy is sealed, and a CPU comes under
 * Rampart before that or never (vmx/root/policy_hc.c, sealing), so these
 * are the kernel's own tables: a later policy cannot adopt forged ones.
 */
__rampart_root void rampart_desc_launched(struct rampart_vcpu *v)
{
	keep(v, DT_GDT, rp_vmreadl(GUEST_GDTR_BASE),
	     rp_vmread32(GUEST_GDTR_LIMIT));
	keep(v, DT_IDT, rp_vmreadl(GUEST_IDTR_BASE),
	     rp_vmread32(GUEST_IDTR_LIMIT));
}

/**
 * rampart_desc_apply() - follow @p's range.idt rules on this CPU.
 * @v: this CPU.
 * @p: the policy in force (the caller holds the policy lock).
 *
 * The strictest rule naming the IDT decides; the tables it keeps are the
 * ones this CPU had at launch (rampart_desc_launched()).
 */
__rampart_root void rampart_desc_apply(struct rampart_vcpu *v,
				       const struct rampart_policy *p)
{
	const struct rp_range_rule *r = rp_policy_idt_rule(p);

	/* POLICY_LOAD refuses the rule where the control is missing. */
	if (r && (!rampart_desc_guards(r) || !rampart_desc_available(v->root)))
		r = NULL;
	v->desc_action = r ? r->action : 0;
	v->desc_line = r ? r->line : 0;
	if (r)
		rampart_ctl_set_bits(v, RP_RT_PROC2, SECONDARY_EXEC_DESC);
	else
		rampart_ctl_clear_bits(v, RP_RT_PROC2, SECONDARY_EXEC_DESC);
}

/* Record a refusal or a logged load; @bits, @old, @now as uapi/policy.h says. */
static __rampart_root void record(struct rampart_vcpu *v, u8 action, u64 bits,
				  u64 old, u64 now)
{
	struct rp_verdict vd = {
		.action = action, .line = v->desc_line, .bits = bits,
		.deny = action == RAMPART_ACT_DENY ? RAMPART_DENY_GP :
						     RAMPART_DENY_NONE,
		.write = action != RAMPART_ACT_DENY,
	};

	rampart_root_event_record(v, RAMPART_ASSET_RANGE, RAMPART_RANGE_IDT,
				  &vd, old, now);
}

/* An instruction root cannot complete: #GP(0), recorded. */
static __rampart_root int refuse(struct exit_ctx *x, u32 id)
{
	record(x->v, RAMPART_ACT_DENY, RAMPART_DESC_REFUSED, 0,
	       (u64)x->reason << 2 | id);
	return rampart_inject_gp(x);
}

/* A fault the access raised, or a refusal; always EXIT_RESUME. */
static __rampart_root int access_failed(struct exit_ctx *x, u32 id, int err,
					const struct rampart_gfault *f)
{
	if (err == -EFAULT) {
		rampart_gmem_inject(x->v, f);
		return EXIT_RESUME;
	}
	return refuse(x, id);
}

/*
 * LGDT or LIDT of @base and @limit into table @t. The table kept may be
 * loaded again at its own address or at its direct-map alias (the kernel
 * switches to the writable alias of its GDT around LTR); the kept base's
 * physical address is taken from the guest's page tables now, and only
 * the exact alias passes, never an address the guest chose. An empty
 * table (limit 0: kexec and reboot invalidate the IDT) can describe
 * nothing, so it passes too, recorded as logged. Anything else is refused
 * with #GP(0) (deny) or loaded and kept (log), and recorded.
 */
static __rampart_root int load_table(struct exit_ctx *x, int t, u64 base,
				     u16 limit)
{
	struct rampart_vcpu *v = x->v;
	struct rampart_dtable *k = &v->desc_kept[t];
	u64 bits = (t == DT_IDT ? RAMPART_DESC_IDTR : RAMPART_DESC_GDTR) |
		   (u64)k->limit << 32 | (u64)limit << 48;
	struct rampart_gfault f;
	u64 pa;
	bool same = limit == k->limit &&
		    (base == k->base ||
		     (!rampart_gmem_translate(v, k->base, false, &pa, &f) &&
		      base == v->root->direct_map + pa));

	if (v->desc_action && !same && !limit) {
		record(v, RAMPART_ACT_LOG, bits, k->base, base);
	} else if (v->desc_action && !same) {
		record(v, v->desc_action, bits, k->base, base);
		if (v->desc_action == RAMPART_ACT_DENY)
			return rampart_inject_gp(x);
		keep(v, t, base, limit);
	}
	rp_vmwritel(dt_base_field[t], base);
	rp_vmwrite32(dt_limit_field[t], limit);
	return rampart_skip_insn(x);
}

static __rampart_root int gdtr_idtr(struct exit_ctx *x, u32 info, u64 gla)
{
	struct rampart_gfault f;
	u32 id = II_ID(info);
	int t = id & 1 ? DT_IDT : DT_GDT;
	struct {
		u16 limit;
		u64 base;
	} __packed d;
	int err;

	if (id == ID_SGDT || id == ID_SIDT) {
		d.limit = rp_vmread32(dt_limit_field[t]);
		d.base = rp_vmreadl(dt_base_field[t]);
		err = rampart_gmem_write(x->v, gla, &d, sizeof(d), &f);
		return err ? access_failed(x, id, err, &f) :
			     rampart_skip_insn(x);
	}
	err = rampart_gmem_read(x->v, gla, &d, sizeof(d), &f);
	if (err)
		return access_failed(x, id, err, &f);
	/* LGDT and LIDT #GP on a non-canonical base (SDM Vol. 2, LGDT). */
	if (!rampart_gmem_canonical(d.base))
		return rampart_inject_gp(x);
	return load_table(x, t, d.base, d.limit);
}

/* The VMCS fields of LDTR and TR. */
static const u32 seg_field[2][4] __rampart_root_ro = {
	{ GUEST_LDTR_SELECTOR, GUEST_LDTR_BASE, GUEST_LDTR_LIMIT,
	  GUEST_LDTR_AR_BYTES },
	{ GUEST_TR_SELECTOR, GUEST_TR_BASE, GUEST_TR_LIMIT, GUEST_TR_AR_BYTES },
};

/* #GP or #NP with a selector error code (SDM Vol. 3A 6.13). */
static __rampart_root int selector_fault(struct exit_ctx *x, u32 vector, u16 sel)
{
	rampart_inject_exception(x->v, vector, sel & 0xfffc);
	return EXIT_RESUME;
}

/*
 * LLDT or LTR of @sel (SDM Vol. 2, LLDT and LTR): a null selector empties
 * LDTR (LTR refuses it); otherwise the GDT's descriptor must be present
 * and of the right type, and LTR marks the TSS busy in memory.
 */
static __rampart_root int load_seg(struct exit_ctx *x, u32 id, u16 sel)
{
	bool tr = id == ID_LTR;
	u8 type = tr ? DESC_TSS : DESC_LDT;
	u64 gla = rp_vmreadl(GUEST_GDTR_BASE) + (sel & ~7);
	struct rampart_gfault f;
	struct sys_desc d;
	u32 limit;
	u64 base;
	int err;

	if (!(sel & ~3)) {
		if (tr)
			return selector_fault(x, X86_TRAP_GP, 0);
		rp_vmwrite16(GUEST_LDTR_SELECTOR, sel);
		rp_vmwrite32(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE_MASK);
		return rampart_skip_insn(x);
	}
	/* TI set, or the 16-byte descriptor beyond the GDT's limit. */
	if ((sel & 4) || (sel & ~7) + 15 > rp_vmread32(GUEST_GDTR_LIMIT))
		return selector_fault(x, X86_TRAP_GP, sel);
	err = rampart_gmem_read(x->v, gla, &d, sizeof(d), &f);
	if (err)
		return access_failed(x, id, err, &f);
	if ((d.type_s_dpl_p & 0x1f) != type || (d.zero & 0x1f00))
		return selector_fault(x, X86_TRAP_GP, sel);
	if (!(d.type_s_dpl_p & 0x80))
		return selector_fault(x, X86_TRAP_NP, sel);
	base = d.base0 | (u64)d.base1 << 16 | (u64)d.base2 << 24 |
	       (u64)d.base3 << 32;
	/* A non-canonical base faults, and VM entry would refuse it (26.3.1.2). */
	if (!rampart_gmem_canonical(base))
		return selector_fault(x, X86_TRAP_GP, sel);
	if (tr) {
		/* Busy: type 9 becomes 11, in the GDT as the CPU does it. */
		d.type_s_dpl_p |= 2;
		err = rampart_gmem_write(x->v, gla + 5, &d.type_s_dpl_p, 1, &f);
		if (err)
			return access_failed(x, id, err, &f);
	}
	limit = d.limit0 | (d.limit1_flags & 0xf) << 16;
	if (d.limit1_flags & 0x80)
		limit = limit << 12 | 0xfff;
	rp_vmwrite16(seg_field[tr][0], sel);
	rp_vmwritel(seg_field[tr][1], base);
	rp_vmwrite32(seg_field[tr][2], limit);
	/* Access rights: descriptor bits 47:40 and 55:52 (SDM 25.4.1). */
	rp_vmwrite32(seg_field[tr][3], d.type_s_dpl_p |
		     (d.limit1_flags & 0xf0) << 8);
	return rampart_skip_insn(x);
}

/*
 * Whether SLDT or STR to a register has a 16-bit operand, which leaves the
 * register's other bits alone; with 32 or 64 bits the selector is zero
 * extended (SDM Vol. 2, SLDT and STR). Only the prefixes say which: an
 * operand-size prefix without REX.W. The instruction is read once, from
 * kernel text; if it cannot be, the wider form is assumed.
 */
static __rampart_root bool operand_16(struct exit_ctx *x)
{
	u32 len = rp_vmread32(VM_EXIT_INSTRUCTION_LEN), i;
	struct rampart_gfault f;
	bool o16 = false;
	u8 b[15];

	if (len > sizeof(b) ||
	    rampart_gmem_read(x->v, rp_vmreadl(GUEST_RIP), b, len, &f))
		return false;
	for (i = 0; i < len && b[i] != 0x0f; i++) {
		if (b[i] == 0x66)
			o16 = true;
		else if ((b[i] & 0xf0) == 0x40 && (b[i] & 8))	/* REX.W */
			o16 = false;
	}
	return o16;
}

static __rampart_root int ldtr_tr(struct exit_ctx *x, u32 info, u64 gla)
{
	struct rampart_gfault f;
	u32 id = II_ID(info);
	u64 old;
	u16 sel;
	int err;

	if (id == ID_SLDT || id == ID_STR) {
		sel = rp_vmread16(seg_field[id == ID_STR][0]);
		if (info & II_REG_FORM) {
			old = rampart_gpr_read(x, II_REG1(info));
			rampart_gpr_write(x, II_REG1(info), operand_16(x) ?
					  (old & ~0xffffULL) | sel : sel);
			return rampart_skip_insn(x);
		}
		err = rampart_gmem_write(x->v, gla, &sel, sizeof(sel), &f);
		return err ? access_failed(x, id, err, &f) :
			     rampart_skip_insn(x);
	}
	if (info & II_REG_FORM) {
		sel = rampart_gpr_read(x, II_REG1(info));
	} else {
		err = rampart_gmem_read(x->v, gla, &sel, sizeof(sel), &f);
		if (err)
			return access_failed(x, id, err, &f);
	}
	return load_seg(x, id, sel);
}

/**
 * rampart_handle_desc() - a descriptor-table instruction exited (reasons
 * GDTR_IDTR and LDTR_TR): complete it, or refuse it.
 * @x: the exit.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_desc(struct exit_ctx *x)
{
	u32 info = rp_vmread32(VMX_INSTRUCTION_INFO);
	bool store = II_ID(info) < ID_LGDT, reg;
	u64 gla;

	/* At CPL > 0 the loads fault before any exit; stores get here. */
	if (rampart_guest_cpl()) {
		x->v->desc_user_refused += store;
		return rampart_inject_gp(x);
	}
	/* 64-bit mode: CS.L (SDM 25.4.1); anything else is not Linux's. */
	if (!(rp_vmread32(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK))
		return refuse(x, II_ID(info));
	/* The address size is undefined for a register operand. */
	reg = x->reason == EXIT_REASON_LDTR_TR && (info & II_REG_FORM);
	if (!reg && II_ADDR_SIZE(info) == 0)
		return refuse(x, II_ID(info));
	gla = reg ? 0 : rampart_operand_gla(x, info);
	return x->reason == EXIT_REASON_GDTR_IDTR ? gdtr_idtr(x, info, gla) :
						     ldtr_tr(x, info, gla);
}

/**
 * rampart_desc_host_load() - load GDTR and IDTR as an emulated VM exit
 * does (SDM 28.5.2: the host bases, limits 0xFFFF), under the guard.
 * @v: this CPU; vmcs01 is current.
 * @gdt_base: vmcs12's host GDTR base.
 * @idt_base: vmcs12's host IDTR base.
 *
 * While range.idt logs or denies, a base other than the one kept is
 * recorded, and with deny the kept base is loaded instead: a VM exit is
 * no way around the guard that LGDT and LIDT meet.
 */
__rampart_root void rampart_desc_host_load(struct rampart_vcpu *v, u64 gdt_base,
					   u64 idt_base)
{
	const u64 base[2] = { [DT_GDT] = gdt_base, [DT_IDT] = idt_base };
	int t;

	for (t = DT_GDT; t <= DT_IDT; t++) {
		const struct rampart_dtable *k = &v->desc_kept[t];
		u64 b = base[t];

		if (v->desc_action && b != k->base) {
			record(v, v->desc_action,
			       (t == DT_IDT ? RAMPART_DESC_IDTR : RAMPART_DESC_GDTR) |
			       (u64)k->limit << 32 | 0xffffULL << 48, k->base, b);
			if (v->desc_action == RAMPART_ACT_DENY)
				b = k->base;
		}
		rp_vmwritel(dt_base_field[t], b);
		rp_vmwrite32(dt_limit_field[t], 0xffff);
	}
}
