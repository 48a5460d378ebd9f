// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build the VMCS image of the CPU we run on: guest state is this CPU's
 * current state, so VMLAUNCH continues the kernel where it stands (SDM
 * 25.4); host state is Rampart's own (SDM 25.5). Kernel side, on the
 * target CPU with interrupts off, before launch.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/printk.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/special_insns.h>

#include "root/ops.h"
#include "vmcs.h"

/*
 * Keep tracing hardware off root memory. Performance counters: the MSR
 * lists stop them for root (a PEBS record written in root would bypass the
 * EPT) and give the kernel its own value back on entry. PT: the controls
 * above; its state at launch carries over.
 */
static void build_tracing(struct rampart_vmcs_img *img,
			  const struct rampart_vmcs_ctx *ctx)
{
	struct rampart_vcpu *v = ctx->vcpu;

	if (ctx->pmu_off_in_root) {
		v->msr_guest[0] = (struct vmx_msr_entry){
			.index = MSR_CORE_PERF_GLOBAL_CTRL,
			.value = native_read_msr(MSR_CORE_PERF_GLOBAL_CTRL),
		};
		v->msr_host[0] = (struct vmx_msr_entry){
			.index = MSR_CORE_PERF_GLOBAL_CTRL,
		};
		img->v[RP_VM_EXIT_MSR_STORE_ADDR] = virt_to_phys(v->msr_guest);
		img->v[RP_VM_EXIT_MSR_STORE_COUNT] = ARRAY_SIZE(v->msr_guest);
		img->v[RP_VM_ENTRY_MSR_LOAD_ADDR] = virt_to_phys(v->msr_guest);
		img->v[RP_VM_ENTRY_MSR_LOAD_COUNT] = ARRAY_SIZE(v->msr_guest);
		img->v[RP_VM_EXIT_MSR_LOAD_ADDR] = virt_to_phys(v->msr_host);
		img->v[RP_VM_EXIT_MSR_LOAD_COUNT] = ARRAY_SIZE(v->msr_host);
	}
	if (img->v[RP_VM_ENTRY_CONTROLS] & VM_ENTRY_LOAD_IA32_RTIT_CTL)
		img->v[RP_GUEST_IA32_RTIT_CTL] = native_read_msr(MSR_IA32_RTIT_CTL);
}

static u16 read_sel(enum rampart_seg s)
{
	u16 sel = 0;

	switch (s) {
	case RP_SEG_ES:
		savesegment(es, sel);
		break;
	case RP_SEG_CS:
		savesegment(cs, sel);
		break;
	case RP_SEG_SS:
		savesegment(ss, sel);
		break;
	case RP_SEG_DS:
		savesegment(ds, sel);
		break;
	case RP_SEG_FS:
		savesegment(fs, sel);
		break;
	case RP_SEG_GS:
		savesegment(gs, sel);
		break;
	case RP_SEG_LDTR:
		asm volatile("sldt %0" : "=r"(sel));
		break;
	case RP_SEG_TR:
		asm volatile("str %0" : "=r"(sel));
		break;
	default:
		break;
	}
	return sel;
}

/* Fill one guest segment from its GDT descriptor, SDM 25.4.1. */
static void guest_segment(struct rampart_vmcs_img *img, enum rampart_seg s,
			  const struct desc_ptr *gdt)
{
	u16 sel = read_sel(s);
	const u8 *d = (const u8 *)gdt->address + (sel & ~7);
	u64 desc, base, limit, ar;

	img->v[RP_SEG_SELECTOR(s)] = sel;
	/* A null selector, or one in an LDT Linux does not use: unusable. */
	if (!(sel & ~3) || (sel & 4) || (sel | 7) > gdt->size) {
		img->v[RP_SEG_AR(s)] = VMX_AR_UNUSABLE_MASK;
		return;
	}
	desc = *(const u64 *)d;
	ar = (desc >> 40) & 0xf0ff;
	base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);
	limit = (desc & 0xffff) | ((desc >> 32) & 0xf0000);
	if (ar & VMX_AR_G_MASK)
		limit = (limit << 12) | 0xfff;
	if (!(ar & VMX_AR_S_MASK))	/* system descriptor: 16 bytes in IA-32e */
		base |= (u64)*(const u32 *)(d + 8) << 32;
	img->v[RP_SEG_BASE(s)] = base;
	img->v[RP_SEG_LIMIT(s)] = limit;
	img->v[RP_SEG_AR(s)] = ar;
}

static void build_guest(struct rampart_vmcs_img *img)
{
	struct desc_ptr gdt, idt;
	unsigned long dr7;
	int s;

	native_store_gdt(&gdt);
	store_idt(&idt);
	for (s = 0; s < RP_SEG_NR; s++)
		guest_segment(img, s, &gdt);
	img->v[RP_GUEST_FS_BASE] = native_read_msr(MSR_FS_BASE);
	img->v[RP_GUEST_GS_BASE] = native_read_msr(MSR_GS_BASE);
	img->v[RP_GUEST_GDTR_BASE] = gdt.address;
	img->v[RP_GUEST_GDTR_LIMIT] = gdt.size;
	img->v[RP_GUEST_IDTR_BASE] = idt.address;
	img->v[RP_GUEST_IDTR_LIMIT] = idt.size;

	img->v[RP_GUEST_CR0] = native_read_cr0();
	img->v[RP_GUEST_CR3] = __native_read_cr3();
	img->v[RP_GUEST_CR4] = native_read_cr4();
	asm volatile("mov %%dr7, %0" : "=r"(dr7));
	img->v[RP_GUEST_DR7] = dr7;
	img->v[RP_GUEST_IA32_DEBUGCTL] = native_read_msr(MSR_IA32_DEBUGCTLMSR);
	img->v[RP_GUEST_IA32_EFER] = native_read_msr(MSR_EFER);
	img->v[RP_GUEST_IA32_PAT] = native_read_msr(MSR_IA32_CR_PAT);
	img->v[RP_GUEST_SYSENTER_CS] = native_read_msr(MSR_IA32_SYSENTER_CS);
	img->v[RP_GUEST_SYSENTER_ESP] = native_read_msr(MSR_IA32_SYSENTER_ESP);
	img->v[RP_GUEST_SYSENTER_EIP] = native_read_msr(MSR_IA32_SYSENTER_EIP);
	/* RSP, RIP and RFLAGS are written by the launch itself. */
	img->v[RP_GUEST_RFLAGS] = X86_EFLAGS_FIXED;
	img->v[RP_GUEST_ACTIVITY_STATE] = GUEST_ACTIVITY_ACTIVE;
	img->v[RP_VMCS_LINK_POINTER] = ~0ULL;	/* SDM 27.3.1.5 */
}

/* Host state: Rampart's stack, descriptor tables and page tables. */
static void build_host(struct rampart_vmcs_img *img,
		       const struct rampart_vmcs_ctx *ctx)
{
	struct rampart_vcpu *v = ctx->vcpu;

	img->v[RP_HOST_CR0] = native_read_cr0();
	img->v[RP_HOST_CR3] = ctx->host_cr3;
	/*
	 * Root runs without CET: IBT and supervisor shadow stacks would follow
	 * IA32_S_CET and SSP, which stay the guest's across a VM exit (root
	 * does not use the load-CET-state controls, SDM 28.5.1), so the kernel
	 * could otherwise choose how root's own branches are checked.
	 */
	img->v[RP_HOST_CR4] = native_read_cr4() & ~X86_CR4_CET;
	/* The top 40 bytes of the stack hold the way-out iret frame. */
	img->v[RP_HOST_RSP] = (u64)(v->stack + RAMPART_STACK_SIZE) -
			      sizeof(struct rampart_iret);
	img->v[RP_HOST_RIP] = ctx->host_rip;
	img->v[RP_HOST_CS_SELECTOR] = __KERNEL_CS;
	img->v[RP_HOST_SS_SELECTOR] = __KERNEL_DS;
	/* ES, DS, FS, GS stay 0 (SDM 27.2.3 allows null); TR is Rampart's. */
	img->v[RP_HOST_TR_SELECTOR] = GDT_ENTRY_TSS * 8;
	img->v[RP_HOST_TR_BASE] = (u64)&v->tss;
	img->v[RP_HOST_GDTR_BASE] = (u64)v->gdt;
	img->v[RP_HOST_IDTR_BASE] = (u64)v->idt;
	img->v[RP_HOST_IA32_EFER] = native_read_msr(MSR_EFER);
	img->v[RP_HOST_IA32_PAT] = native_read_msr(MSR_IA32_CR_PAT);
}

/**
 * rampart_vmcs_build() - build the VMCS image for the CPU we run on.
 * @img: filled in; fields not named here are 0.
 * @ctx: the rest of what the VMCS needs.
 *
 * Return: 0, or -EOPNOTSUPP if the capability MSRs do not allow a control.
 */
int rampart_vmcs_build(struct rampart_vmcs_img *img,
		       const struct rampart_vmcs_ctx *ctx)
{
	const struct rampart_ctl *ctl = ctx->caps->ctl;
	enum rampart_ctl_kind kind;
	u32 val;
	int err = 0;

	memset(img, 0, sizeof(*img));
	for (kind = 0; kind < RAMPART_CTL_NR; kind++) {
		u32 optional = rampart_ctl_optional(kind, ctx->pt);

		/* I/O bitmaps only where root guards a port (vmx/root/io.c). */
		if (kind == RAMPART_CTL_PROC && ctx->io_bitmap)
			optional |= CPU_BASED_USE_IO_BITMAPS;
		err = rampart_ctl_adjust(ctl[kind], rampart_ctl_required(kind),
					 optional, &val);
		if (err)
			break;
		img->v[rampart_ctl_field[kind]] = val;
	}
	if (err)
		return err;

	img->v[RP_MSR_BITMAP] = ctx->msr_bitmap;
	if (img->v[RP_CPU_BASED_VM_EXEC_CONTROL] & CPU_BASED_USE_IO_BITMAPS) {
		img->v[RP_IO_BITMAP_A] = ctx->io_bitmap;
		img->v[RP_IO_BITMAP_B] = ctx->io_bitmap + PAGE_SIZE;
	}
	img->v[RP_EPT_POINTER] = ctx->eptp;
	img->v[RP_VIRTUAL_PROCESSOR_ID] = ctx->vcpu->vpid;
	build_guest(img);
	build_host(img, ctx);
	build_tracing(img, ctx);
	/*
	 * The guest must run with CR4.VMXE set (IA32_VMX_CR4_FIXED0, SDM
	 * 26.3.1.1) but should not see it: own the bit and shadow it as 0.
	 * The kernel's own writes of CR4 then carry VMXE=0, match the
	 * shadow, and cause no exit (SDM 25.6.6).
	 */
	img->v[RP_CR4_GUEST_HOST_MASK] = X86_CR4_VMXE;
	img->v[RP_CR4_READ_SHADOW] = img->v[RP_GUEST_CR4] & ~X86_CR4_VMXE;
	img->v[RP_CR0_READ_SHADOW] = img->v[RP_GUEST_CR0];
	return 0;
}

/**
 * rampart_vmcs_write() - write an image into the current VMCS.
 * @img: the image.
 *
 * Return: 0, or -EIO naming the field that VMWRITE refused.
 */
int rampart_vmcs_write(const struct rampart_vmcs_img *img)
{
	int i;

	for (i = 0; i < RP_VMCS_NR; i++) {
		if (!rampart_vmcs_present(img, i))
			continue;
		if (rp_vmwrite_insn(rampart_vmcs_enc[i], img->v[i])) {
			pr_err("VMWRITE %s failed, error %llu\n",
			       rampart_vmcs_name[i], rampart_vmcs_insn_error());
			return -EIO;
		}
	}
	return 0;
}

/**
 * rampart_vmcs_insn_error() - why the last VMX instruction failed.
 *
 * Return: VM_INSTRUCTION_ERROR of the current VMCS (SDM 31.4), or ~0 if
 * there is none to read.
 */
u64 rampart_vmcs_insn_error(void)
{
	u64 err;

	return rp_vmread_insn(VM_INSTRUCTION_ERROR, &err) ? ~0ULL : err;
}

/**
 * rampart_vmcs_dump() - log every field of the current VMCS.
 * @cpu: the CPU, for the log lines.
 *
 * A field this CPU does not have (VMREAD fails, SDM 31.3) says so.
 */
void rampart_vmcs_dump(unsigned int cpu)
{
	u64 val;
	int i;

	for (i = 0; i < RP_VMCS_NR; i++) {
		if (rp_vmread_insn(rampart_vmcs_enc[i], &val))
			pr_err("cpu%u: %-30s absent\n", cpu, rampart_vmcs_name[i]);
		else
			pr_err("cpu%u: %-30s 0x%llx\n", cpu,
			       rampart_vmcs_name[i], val);
	}
}
