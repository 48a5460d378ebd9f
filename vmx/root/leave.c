// SPDX-License-Identifier: GPL-2.0-only
/*
 * Leaving VMX on one CPU (root side): the way out of an unsealed DEVIRT.
 * The CPU becomes the native one the kernel had, in the state the guest
 * left: vmx/root/entry.S calls rampart_root_leave() and IRETs to the guest.
 */
#include <linux/types.h>
#include <asm/desc_defs.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "entry.h"
#include "nested.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

static inline __rampart_root void load_sel(u16 sel, int which)
{
	switch (which) {
	case 0:
		asm volatile("mov %0, %%ds" : : "r"(sel));
		break;
	case 1:
		asm volatile("mov %0, %%es" : : "r"(sel));
		break;
	case 2:
		asm volatile("mov %0, %%fs" : : "r"(sel));
		break;
	default:
		asm volatile("mov %0, %%gs" : : "r"(sel));
		break;
	}
}

static inline __rampart_root void wrmsr_raw(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
		     : "memory");
}

static __rampart_root u16 usable_sel(unsigned long sel_field, unsigned long ar_field)
{
	return (rp_vmread32(ar_field) & VMX_AR_UNUSABLE_MASK) ? 0 :
	       rp_vmread16(sel_field);
}

/* Everything a VM exit replaced, from the guest-state area (SDM 28.5). */
static __rampart_root void save_native(struct rampart_vcpu *v)
{
	struct rampart_native *n = &v->native;

	n->rip = rp_vmreadl(GUEST_RIP);
	n->rsp = rp_vmreadl(GUEST_RSP);
	n->rflags = rp_vmreadl(GUEST_RFLAGS);
	n->cs = rp_vmread16(GUEST_CS_SELECTOR);
	n->ss = rp_vmread16(GUEST_SS_SELECTOR);
	n->cr0 = rp_vmreadl(GUEST_CR0);
	n->cr3 = rp_vmreadl(GUEST_CR3);
	/* VMXE as the kernel set it (nested VMX), from the read shadow. */
	n->cr4 = (rp_vmreadl(GUEST_CR4) & ~X86_CR4_VMXE) |
		 (rp_vmreadl(CR4_READ_SHADOW) & X86_CR4_VMXE);
	n->dr7 = rp_vmreadl(GUEST_DR7);
	n->debugctl = rp_vmread64(GUEST_IA32_DEBUGCTL);
	n->efer = rp_vmread64(GUEST_IA32_EFER);
	n->pat = rp_vmread64(GUEST_IA32_PAT);
	n->fs_base = rp_vmreadl(GUEST_FS_BASE);
	n->gs_base = rp_vmreadl(GUEST_GS_BASE);
	n->sysenter_cs = rp_vmread32(GUEST_SYSENTER_CS);
	n->sysenter_esp = rp_vmreadl(GUEST_SYSENTER_ESP);
	n->sysenter_eip = rp_vmreadl(GUEST_SYSENTER_EIP);
	n->ds = usable_sel(GUEST_DS_SELECTOR, GUEST_DS_AR_BYTES);
	n->es = usable_sel(GUEST_ES_SELECTOR, GUEST_ES_AR_BYTES);
	n->fs = usable_sel(GUEST_FS_SELECTOR, GUEST_FS_AR_BYTES);
	n->gs = usable_sel(GUEST_GS_SELECTOR, GUEST_GS_AR_BYTES);
	n->gdt_base = rp_vmreadl(GUEST_GDTR_BASE);
	n->gdt_limit = rp_vmread32(GUEST_GDTR_LIMIT);
	n->idt_base = rp_vmreadl(GUEST_IDTR_BASE);
	n->idt_limit = rp_vmread32(GUEST_IDTR_LIMIT);
	n->rtit_ctl = v->seen_pt_gpa ? rp_vmread64(GUEST_IA32_RTIT_CTL) : 0;
}

/* Out of VMX operation, with no stale guest translation (SDM 29.4.3). */
static __rampart_root void leave_vmx(struct rampart_vcpu *v)
{
	rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	rp_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0, 0);
	rp_vmclear(v->vmcs_pa);
	/* And vmcs02, which nested VMX may have left active (SDM 25.11.1). */
	rp_vmclear(v->nested->vmcs02_pa);
	if (v->nested->shadow_ready)
		rp_vmclear(v->nested->shadow_pa);
	rp_vmxoff();
	v->left = true;
}

/* Control and debug registers, segments and MSRs as the guest had them. */
static __rampart_root void restore_native(struct rampart_vcpu *v)
{
	const struct rampart_native *n = &v->native;

	/* CR4 without VMXE, via PGE off: flushes every TLB entry. */
	asm volatile("mov %0, %%cr4" : : "r"(n->cr4 & ~X86_CR4_PGE) : "memory");
	asm volatile("mov %0, %%cr4" : : "r"(n->cr4) : "memory");
	asm volatile("mov %0, %%cr0" : : "r"(n->cr0) : "memory");
	asm volatile("mov %0, %%dr7" : : "r"(n->dr7));

	/* Selectors first (our GDT is a copy of the kernel's), then bases. */
	load_sel(n->ds, 0);
	load_sel(n->es, 1);
	load_sel(n->fs, 2);
	load_sel(n->gs, 3);
	wrmsr_raw(MSR_FS_BASE, n->fs_base);
	wrmsr_raw(MSR_GS_BASE, n->gs_base);
	wrmsr_raw(MSR_EFER, n->efer);
	wrmsr_raw(MSR_IA32_CR_PAT, n->pat);
	wrmsr_raw(MSR_IA32_DEBUGCTLMSR, n->debugctl);
	wrmsr_raw(MSR_IA32_SYSENTER_CS, n->sysenter_cs);
	wrmsr_raw(MSR_IA32_SYSENTER_ESP, n->sysenter_esp);
	wrmsr_raw(MSR_IA32_SYSENTER_EIP, n->sysenter_eip);
	/* Tracing as the kernel had it: the exit stopped both (vmx/vmcs.c). */
	if (v->root->pmu_off_in_root)
		wrmsr_raw(MSR_CORE_PERF_GLOBAL_CTRL, v->msr_guest[0].value);
	if (v->seen_pt_gpa)
		wrmsr_raw(MSR_IA32_RTIT_CTL, n->rtit_ctl);
}

/* The exit set both limits to 0xffff (SDM 28.5.2); restore them. */
static __rampart_root void restore_tables(const struct rampart_native *n)
{
	struct desc_ptr gdt = { .size = n->gdt_limit, .address = n->gdt_base };
	struct desc_ptr idt = { .size = n->idt_limit, .address = n->idt_base };

	asm volatile("lgdt %0" : : "m"(gdt));
	asm volatile("lidt %0" : : "m"(idt));
}

/**
 * rampart_root_leave() - turn this CPU back into a native one.
 * @f: the exit frame; its iret frame is filled with the guest's
 *     RIP, CS, RFLAGS, RSP and SS.
 *
 * Restores from the guest-state area everything a VM exit replaced (SDM
 * 28.5: CR0/CR4, DR7, DEBUGCTL, EFER, PAT, SYSENTER, segment registers,
 * GDTR/IDTR with their true limits), then VMCLEAR and VMXOFF. The kernel
 * reloads TR itself (force_reload_TR()); until then TR is Rampart's TSS,
 * which carries the kernel's IST stacks. entry.S loads the returned CR3
 * and IRETs to the guest.
 *
 * Return: the guest CR3.
 */
__rampart_root u64 rampart_root_leave(struct rampart_exit_frame *f)
{
	struct rampart_vcpu *v = rampart_vcpu_of((unsigned long)f);
	const struct rampart_native *n = &v->native;

	save_native(v);
	leave_vmx(v);
	restore_native(v);
	restore_tables(n);
	f->out.rip = n->rip;
	f->out.cs = n->cs;
	f->out.rflags = n->rflags;
	f->out.rsp = n->rsp;
	f->out.ss = n->ss;
	return n->cr3;
}
