/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU VMX root state. One struct rampart_vcpu per CPU, physically
 * contiguous and page aligned; after launch every page of it is read-only
 * or absent in the EPT the kernel runs under (DESIGN.md principle 3).
 */
#ifndef RAMPART_VMX_VCPU_H
#define RAMPART_VMX_VCPU_H

#include <linux/types.h>
#include <asm/desc_defs.h>
#include <asm/page_types.h>
#include <asm/processor.h>
#include <asm/vmx.h>

#include "exit_reasons.h"
#include "insn_width.h"
#include "watch.h"

struct rampart_nested;
struct rampart_root;

#define RAMPART_STACK_SIZE	(4 * PAGE_SIZE)
/* A vcpu is one naturally aligned 2^order block: root finds it from RSP. */
#define RAMPART_VCPU_ORDER	3
#define RAMPART_GDT_ENTRIES	16	/* the kernel's 64-bit GDT_ENTRIES */

/* Guest GPRs as the exit stub pushes them (vmx/root/entry.S). RSP is in the VMCS. */
struct rampart_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rbx, rdx, rcx, rax;
};

/*
 * struct rampart_native - what a CPU leaving VMX needs to run natively
 * again, read from the guest-state area (SDM 25.4) by root before VMXOFF.
 */
struct rampart_native {
	u64 rip, rsp, rflags, cs, ss;
	u64 cr0, cr3, cr4, dr7, debugctl;
	u64 efer, pat, fs_base, gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 ds, es, fs, gs;
	u64 gdt_base, idt_base;
	u16 gdt_limit, idt_limit;
	u64 rtit_ctl;
};

/* GDTR or IDTR as the guard keeps it (vmx/root/desc.c). */
struct rampart_dtable {
	u64 base;
	u16 limit;
};

/* Why a CPU stopped running under Rampart, for the kernel side to report. */
struct rampart_diag {
	u32 reason;		/* exit reason, or ~0 */
	u32 insn_error;		/* VM_INSTRUCTION_ERROR for entry failures */
	u64 qualification;
	u64 rip, rsp, cr0, cr3, cr4;
	char what[48];
};

/* An interrupt-stack frame (SDM 6.14.2), as iretq pops it. */
struct rampart_iret {
	u64 rip, cs, rflags, rsp, ss;
};

/* What vmx/root/entry.S leaves on the root stack at a VM exit. */
struct rampart_exit_frame {
	struct rampart_regs regs;
	struct rampart_iret out;	/* filled only to leave VMX */
};

/*
 * The 32-bit control words root changes after launch, cached per CPU
 * (vmx/root/vmcs_access.c): a read-modify-write needs no VMREAD.
 */
enum rampart_rt_ctl {
	RP_RT_PIN,		/* PIN_BASED_VM_EXEC_CONTROL */
	RP_RT_PROC,		/* CPU_BASED_VM_EXEC_CONTROL */
	RP_RT_EXC,		/* EXCEPTION_BITMAP */
	RP_RT_PROC2,		/* SECONDARY_VM_EXEC_CONTROL */
	RP_RT_NR,
};

struct rampart_vcpu {
	u8 vmxon[PAGE_SIZE];			/* SDM 25.11.5 */
	u8 vmcs[PAGE_SIZE];			/* SDM 25.2 */
	u8 stack[RAMPART_STACK_SIZE];		/* HOST_RSP points into it */
	gate_desc idt[256];			/* one page */
	struct desc_struct gdt[RAMPART_GDT_ENTRIES];
	struct x86_hw_tss tss;
	/*
	 * IA32_PERF_GLOBAL_CTRL across exits (vmx/vmcs.c): each exit stores
	 * the guest's value in msr_guest, which the next entry loads back,
	 * and loads msr_host (0). SDM 25.7.2, 25.8.2, 28.4, 28.6.
	 */
	struct vmx_msr_entry msr_guest[1];
	struct vmx_msr_entry msr_host[1];

	/* Set up before launch, while every CPU is native. */
	unsigned int cpu;
	u16 vpid;
	u64 vmxon_pa;
	u64 vmcs_pa;
	u64 cr0_fixed0;
	u64 cr0_fixed1;
	u64 cr4_fixed0;
	u64 cr4_fixed1;
	struct rampart_root *root;	/* shared by all CPUs */
	struct rampart_nested *nested;	/* nested VMX (vmx/root/nested.h) */
	/* This CPU's window onto guest memory (vmx/root/gmem.c). */
	u64 window_va;
	u64 *window_pte;		/* its RAMPART_WINDOW_PAGES leaves */

	/* Written by root only (the EPT keeps the kernel out). */
	bool nmi_pending;
	bool failed;
	bool launched;		/* the kernel has run in non-root since VMLAUNCH */
	bool entry_repaired;	/* the last entry failed; root dropped its event */
	bool entry_check_skip;	/* rig builds: one entry the checker skips */
	bool parked;		/* stopped in root for good (vmx/root/exit.c) */
	bool left;		/* root has left VMX on this CPU */
	bool seen_pmu_off;	/* at launch: exits stop the counters */
	bool seen_pt_gpa;	/* at launch: PT through the EPT, off in root */
	u64 policy_gen;		/* policy generation applied on this CPU */
	bool poking;		/* in a text-poke window (vmx/root/poke.c) */
	u64 pokes;		/* text-poke windows this CPU opened */
	u64 poke_gen;		/* policy generation the window was decided under */
	bool stepping;		/* single-stepping a logged write (vmx/root/step.c) */
	bool step_timer;	/* ... an event delivery, ended by the timer */
	u64 step_gen;		/* ... under this policy generation only */
	bool alt_active;	/* running under alt_ept (ept/root/alt.c) */
	u32 alt_used;		/* alt_ept pages in use */
	u64 *alt_ept;		/* RAMPART_ALT_PAGES pages, fixed before launch */
	u64 main_eptp;		/* the shared EPT's pointer, while alt_active */
	u64 alt_epoch;		/* the shared EPT's epoch alt_ept was copied at */
	u32 ctl[RP_RT_NR];	/* cached control words, loaded at launch */
	u64 vmcs_errors;	/* failed VMREADs and VMWRITEs in root */
	u32 vmcs_error_field;	/* ... the first one's field encoding */
	bool vmcs_error_write;	/* ... and whether it was a VMWRITE */
	u64 step_flags;		/* RFLAGS.TF and IF to give back after the step */
	u32 step_exc_bitmap;	/* the exception bitmap to give back */
	u64 step_debugctl;	/* DEBUGCTL.BTF to give back */
	struct rampart_insn_store step_store;	/* what the stepped write stores */
	u64 step_image_pa;	/* where it stores RFLAGS (PUSHF); 0: nowhere */
	u64 step_image_va;	/* ... the RSP it leaves */
	u64 step_image;		/* ... and the image, as the step stores it */
	/* Write-watch hits the step in progress makes (vmx/root/watch.c). */
	u32 watch_pending;
	u64 watch_write_end;	/* the stepped write's linear end; 0: unknown */
	struct rampart_watch_pend watch_pend[RAMPART_WATCH_PENDING];
	/*
	 * The descriptor-table guard (vmx/root/desc.c): while the policy's
	 * range.idt rule logs or denies, GDTR and IDTR keep the values this
	 * CPU had at launch.
	 */
	u8 desc_action;		/* enum rampart_action; 0: no guard */
	u32 desc_line;		/* the rule's policy line */
	struct rampart_dtable desc_kept[2];	/* GDTR, IDTR */
	u64 desc_user_refused;	/* SxDT, SLDT, STR from CPL 3: #GP */
	u64 exits[RAMPART_EXIT_NR];		/* by reason */
	u64 exits_total;
	u64 unexpected;
	struct rampart_diag diag;
	struct rampart_native native;		/* used on the way out */
} __aligned(PAGE_SIZE);

/* The vcpu whose root stack @sp points into. */
static __always_inline struct rampart_vcpu *rampart_vcpu_of(unsigned long sp)
{
	return (struct rampart_vcpu *)(sp & ~((PAGE_SIZE << RAMPART_VCPU_ORDER) - 1));
}

/* Root-side entry points, for the launch code and the exit-reason table. */
extern const char *const rampart_exit_names[RAMPART_EXIT_NR];
void rampart_vmexit_entry(void);
void rampart_root_nmi(void);
extern const unsigned long rampart_root_exc_stubs[32];

#endif /* RAMPART_VMX_VCPU_H */
