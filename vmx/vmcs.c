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

/* Controls Rampart needs; the requirement table guarantees they exist. */
#define PIN_REQUIRED	(PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS)
#define PROC_REQUIRED	(CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | \
			 CPU_BASED_USE_MSR_BITMAPS)
#define PROC2_REQUIRED	(SECONDARY_EXEC_ENABLE_EPT | \
			 SECONDARY_EXEC_ENABLE_VPID | \
			 SECONDARY_EXEC_UNRESTRICTED_GUEST)
/*
 * Transparency: without these, RDTSCP, INVPCID, XSAVES/XRSTORS and
 * UMWAIT/TPAUSE raise #UD in non-root mode (SDM 26.3, 25.6.2), so turn on
 * whichever the CPU offers. Their exiting counterparts stay off.
 */
#define PROC2_OPTIONAL	(SECONDARY_EXEC_ENABLE_RDTSCP | \
			 SECONDARY_EXEC_ENABLE_INVPCID | \
			 SECONDARY_EXEC_XSAVES | \
			 SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE)
/*
 * A VM exit always sets DR7 to 0x400 and clears IA32_DEBUGCTL (SDM
 * 28.5.1): save them on exit and load them on entry, or the kernel's
 * hardware breakpoints vanish at the first exit.
 */
#define EXIT_REQUIRED	(VM_EXIT_HOST_ADDR_SPACE_SIZE | \
			 VM_EXIT_SAVE_DEBUG_CONTROLS | \
			 VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER | \
			 VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT)
#define ENTRY_REQUIRED	(VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_DEBUG_CONTROLS | \
			 VM_ENTRY_LOAD_IA32_EFER | \
			 VM_ENTRY_LOAD_IA32_PAT)
/*
 * Intel PT where the CPU virtualizes it (enum rampart_pt): trace output
 * goes through the EPT, so it cannot reach root memory (SDM 25.6.2), each
 * exit saves and clears IA32_RTIT_CTL, so root itself is never traced, and
 * each entry loads it back (SDM 28.3.1, 25.7.1, 25.8.1). Transitions stay
 * out of the kernel's trace where the CPU can conceal them.
 */
#define PT_PROC2	(SECONDARY_EXEC_PT_USE_GPA | SECONDARY_EXEC_PT_CONCEAL_VMX)
#define PT_EXIT		(VM_EXIT_CLEAR_IA32_RTIT_CTL | VM_EXIT_PT_CONCEAL_PIP)
#define PT_ENTRY	(VM_ENTRY_LOAD_IA32_RTIT_CTL | VM_ENTRY_PT_CONCEAL_PIP)

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
	case RP_SEG_ES: savesegment(es, sel); break;
	case RP_SEG_CS: savesegment(cs, sel); break;
	case RP_SEG_SS: savesegment(ss, sel); break;
	case RP_SEG_DS: savesegment(ds, sel); break;
	case RP_SEG_FS: savesegment(fs, sel); break;
	case RP_SEG_GS: savesegment(gs, sel); break;
	case RP_SEG_LDTR: asm volatile("sldt %0" : "=r"(sel)); break;
	case RP_SEG_TR: asm volatile("str %0" : "=r"(sel)); break;
	default: break;
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
		img->v[RP_SEG_AR(s)] = RP_AR_UNUSABLE;
		return;
	}
	desc = *(const u64 *)d;
	ar = (desc >> 40) & 0xf0ff;
	base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);
	limit = (desc & 0xffff) | ((desc >> 32) & 0xf0000);
	if (ar & RP_AR_G)
		limit = (limit << 12) | 0xfff;
	if (!(ar & RP_AR_S))	/* system descriptor: 16 bytes in IA-32e */
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
	img->v[RP_HOST_CR4] = native_read_cr4();
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
	bool pt = ctx->pt == RAMPART_PT_GPA;
	u32 val;
	int err;

	memset(img, 0, sizeof(*img));
	err = rampart_ctl_adjust(ctl[RAMPART_CTL_PIN], PIN_REQUIRED, 0, &val);
	img->v[RP_PIN_BASED_VM_EXEC_CONTROL] = val;
	/* I/O bitmaps only where root guards a port (vmx/io.c). */
	err = err ?: rampart_ctl_adjust(ctl[RAMPART_CTL_PROC], PROC_REQUIRED,
					ctx->io_bitmap ?
					CPU_BASED_USE_IO_BITMAPS : 0, &val);
	img->v[RP_CPU_BASED_VM_EXEC_CONTROL] = val;
	err = err ?: rampart_ctl_adjust(ctl[RAMPART_CTL_PROC2], PROC2_REQUIRED,
					PROC2_OPTIONAL | (pt ? PT_PROC2 : 0),
					&val);
	img->v[RP_SECONDARY_VM_EXEC_CONTROL] = val;
	err = err ?: rampart_ctl_adjust(ctl[RAMPART_CTL_EXIT], EXIT_REQUIRED,
					pt ? PT_EXIT : 0, &val);
	img->v[RP_VM_EXIT_CONTROLS] = val;
	err = err ?: rampart_ctl_adjust(ctl[RAMPART_CTL_ENTRY], ENTRY_REQUIRED,
					pt ? PT_ENTRY : 0, &val);
	img->v[RP_VM_ENTRY_CONTROLS] = val;
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
		if (rp_vmwrite(rampart_vmcs_enc[i], img->v[i])) {
			pr_err("VMWRITE %s failed, error %llu\n",
			       rampart_vmcs_name[i],
			       rp_vmread(VM_INSTRUCTION_ERROR));
			return -EIO;
		}
	}
	return 0;
}

/**
 * rampart_vmcs_dump() - log every field of the current VMCS.
 * @cpu: the CPU, for the log lines.
 */
void rampart_vmcs_dump(unsigned int cpu)
{
	int i;

	for (i = 0; i < RP_VMCS_NR; i++)
		pr_err("cpu%u: %-30s 0x%llx\n", cpu, rampart_vmcs_name[i],
		       rp_vmread(rampart_vmcs_enc[i]));
}
