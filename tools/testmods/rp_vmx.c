// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal L1 hypervisor that checks the architectural behaviour of every
 * VMX instruction (Intel SDM Vol. 3C, chapter "VMX Instruction Reference",
 * and the chapters on VM entries and VM exits), on each online CPU in turn,
 * with interrupts off on that CPU. What is expected is derived from the SDM,
 * the VMX capability MSRs and CPUID only, never from what one implementation
 * happens to do,
 * so the same module gives the same transcript on bare metal (or Bochs) and
 * under a hypervisor that emulates VMX for the kernel (Rampart's nested VMX).
 *
 * Each check prints one line, in a fixed order:
 *
 *   rp_vmx: cpu<N> ok|not ok|skip <name> <detail>
 *
 * preceded by one "rp_vmx: cpu<N> caps ..." line and followed by
 * "rp_vmx: done cpus=<n> checks=<n> ok=<n> not_ok=<n> skip=<n> nmis=<n>
 * aborted=<n>" (nmis: host NMIs that arrived while L2 ran). Details
 * hold no addresses, so the lines of two runs can be compared as text.
 *
 * The checks: CPUID and IA32_FEATURE_CONTROL; #UD for VMX instructions
 * outside VMX operation; VMXON's failures and VMfailInvalid/VMfailValid
 * with and without a current VMCS; VMCLEAR, VMPTRLD and VMPTRST; VMREAD and
 * VMWRITE of missing and read-only fields and of fields of every width;
 * VMLAUNCH/VMRESUME failures (no VMCS, shadow VMCS, MOV-SS blocking, launch
 * state, controls, host state, guest state); a real-mode L2 under
 * unrestricted guest, EPT and VPID that exits on OUT, CPUID, IN, HLT and an
 * EPT violation; INVEPT and INVVPID of every type; clearing CR4.VMXE in VMX
 * operation (#GP); VMXOFF.
 *
 * attack=NAME: instead, on the first online CPU, one attack an L1 could
 * try on a hypervisor that emulates VMX for it; one line, without
 * addresses, says what happened (exit reasons in decimal, -1 for none):
 *
 *   ept_rodata, ept_text, ept_phys: L2's EPT maps a page writable, L2
 *     flips a byte of it (HLT) and writes it back (HLT). The byte: of
 *     linux_banner (rodata); the last of the page _etext ends in (kernel
 *     text, never executed); the last of the page pa= names, or of a page
 *     of the module's own.
 *       attack ept_text: target=etext_page_end cpu<N> exit1=<reason>
 *         written=<0|1> exit2=<reason> restored=<0|1> error=<none|step>
 *   host_cr0_wp, host_cr4_smep, host_cr4_smap: vmcs12's host CR0/CR4
 *     lacks the bit; after L2's exit, is it clear (then set again)?
 *       attack host_cr4_smep: cpu<N> exit1=12 cleared=<0|1> restored=1 error=none
 *   exit_msr_lstar: the VM-exit MSR-load list loads a bogus LSTAR:
 *       attack exit_msr_lstar: cpu<N> exit1=12 loaded=<0|1> restored=1 error=none
 *   vmxoff_smep: after L2, VMXOFF and CR4.VMXE clear, a MOV to CR4 that
 *     clears SMEP (not native_write_cr4(), whose pinning would undo it):
 *       attack vmxoff_smep: cpu<N> exit1=12 write=<done|#GP> cleared=<0|1>
 *         restored=1 error=none
 *   link_root: the VMCS link pointer at the first page of pa= holding the
 *     VMCS revision identifier (or pa[0]), or at a page of the module's own
 *     holding it; VMLAUNCH:
 *       attack link_root: link=<own|given> rev=<0|1> cpu<N> exit1=<%#x> error=none
 *   msrlist_root: the VM-exit MSR-store list holds one entry, for
 *     MSR_STAR: in a page of the module's own, or (pa= naming root
 *     chunks) an entry planted in the hypervisor's own copy of vmcs12
 *     through VMWRITEs of the CR3-target values, found in those chunks:
 *       attack msrlist_root: list=<own|given> found=1 cpu<N> exit1=12
 *         stored=<0|1> vmcs12_intact=<0|1> error=none
 *   msrbitmap_root: vmcs12 uses an MSR bitmap at pa[0] or at a page of
 *     the module's own (all zeros); VMLAUNCH:
 *       attack msrbitmap_root: bitmap=<own|given> cpu<N> exit1=<reason|-1>
 *         error=<none|vmfail7|vmfail>
 */
#define pr_fmt(fmt) "rp_vmx: " fmt

#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/objtool.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <asm/asm.h>
#include <asm/cpu_entry_area.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "rp_lookup.h"

static char *attack = "";
module_param(attack, charp, 0444);
MODULE_PARM_DESC(attack, "run one attack instead of the checks: ept_rodata, ept_text, ept_phys, host_cr0_wp, host_cr4_smep, host_cr4_smap, exit_msr_lstar, vmxoff_smep, link_root, msrlist_root, msrbitmap_root");

/*
 * Outcome of one VMX instruction (SDM "Conventions" of the VMX instruction
 * reference): VMsucceed, VMfailInvalid, VMfailValid(error), a fault, or a
 * flags pattern that is none of the three.
 */
#define R_OK		0
#define R_INVALID	0x100
#define R_VALID(e)	(0x200 | (e))
#define R_FAULT(v)	(0x300 | (v))
#define R_EXIT		0x400		/* VMLAUNCH/VMRESUME: a VM exit came back */
#define R_FLAGS		0x10000		/* | the arithmetic flags seen */
#define R_UD		R_FAULT(X86_TRAP_UD)
#define R_GP		R_FAULT(X86_TRAP_GP)

#define RPV_ARITH	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/* IA32_VMX_MISC[29]: VMWRITE may write any field, read-only ones included. */
#define RPV_MISC_VMWRITE_ANY	BIT_ULL(29)
/* IA32_VMX_BASIC: region size, physical addresses limited to 32 bits, TRUE controls. */
#define RPV_BASIC_SIZE(b)	(((b) >> 32) & 0x1fff)
#define RPV_BASIC_32BIT		BIT_ULL(48)
#define RPV_BASIC_TRUE		BIT_ULL(55)
/* DR7 after reset and after a VM exit (SDM "Loading Host State"). */
#define RPV_DR7_INIT		0x400UL

/* The L2 guest's physical layout (guest-physical == what the EPT maps). */
#define GPA_CODE	0x1000
#define GPA_DATA	0x2000
#define GPA_LATE	0x3000		/* unmapped until the EPT violation */
#define GPA_TARGET	0x4000		/* ept_* attacks: the target page */
#define ATTACK_OFF	0x80		/* attack code, offset in the code page */
#define EPT_LEAF_WB	((u64)VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT | VMX_EPT_IPAT_BIT)
#define EPT_R		VMX_EPT_READABLE_MASK
#define EPT_W		VMX_EPT_WRITABLE_MASK
#define EPT_X		VMX_EPT_EXECUTABLE_MASK

/*
 * Real-mode L2 code at GPA_CODE (CS base 0, IP = GPA). The exits it takes,
 * at these offsets: 0x02 OUT 0x80,AL; 0x0a OUT DX,AX (DX=0x1234); 0x0e
 * CPUID; 0x2f IN EAX,DX (DX=0x5678); 0x35 HLT; 0x36 a read of GPA_LATE
 * (EPT violation, then mapped); 0x3c HLT. The data page gets:
 * +0 0xdeadbeef, +4 EBX, +8 EAX, +0xc ECX, +0x10 EDX after CPUID,
 * +0x14 EAX after IN, +0x18 the word read from GPA_LATE.
 */
static const u8 l2_code[] = {
	0xb0, 0x5a,				/* 00 mov al, 0x5a */
	0xe6, 0x80,				/* 02 out 0x80, al */
	0xba, 0x34, 0x12,			/* 04 mov dx, 0x1234 */
	0xb8, 0xef, 0xbe,			/* 07 mov ax, 0xbeef */
	0xef,					/* 0a out dx, ax */
	0x66, 0x31, 0xc0,			/* 0b xor eax, eax */
	0x0f, 0xa2,				/* 0e cpuid */
	0x66, 0xa3, 0x08, 0x20,			/* 10 mov [0x2008], eax */
	0x66, 0x89, 0x1e, 0x04, 0x20,		/* 14 mov [0x2004], ebx */
	0x66, 0x89, 0x0e, 0x0c, 0x20,		/* 19 mov [0x200c], ecx */
	0x66, 0x89, 0x16, 0x10, 0x20,		/* 1e mov [0x2010], edx */
	0x66, 0xc7, 0x06, 0x00, 0x20,		/* 23 mov dword [0x2000], */
	0xef, 0xbe, 0xad, 0xde,			/*    0xdeadbeef */
	0xba, 0x78, 0x56,			/* 2c mov dx, 0x5678 */
	0x66, 0xed,				/* 2f in eax, dx */
	0x66, 0xa3, 0x14, 0x20,			/* 31 mov [0x2014], eax */
	0xf4,					/* 35 hlt */
	0xa1, 0x00, 0x30,			/* 36 mov ax, [0x3000] */
	0xa3, 0x18, 0x20,			/* 39 mov [0x2018], ax */
	0xf4,					/* 3c hlt */
	0xeb, 0xfe,				/* 3d jmp $ */
};

/* Attack code at GPA_CODE + ATTACK_OFF: SI = the target byte's GPA. */
static const u8 l2_attack[] = {
	0x8a, 0x04,				/* 00 mov al, [si] */
	0x88, 0xc3,				/* 02 mov bl, al */
	0xf6, 0xd0,				/* 04 not al */
	0x88, 0x04,				/* 06 mov [si], al */
	0xf4,					/* 08 hlt */
	0x88, 0x1c,				/* 09 mov [si], bl */
	0xf4,					/* 0b hlt */
	0xeb, 0xfe,				/* 0c jmp $ */
};

/* Guest GPRs in the order of their encodings (RSP unused: it is in the VMCS). */
enum { G_AX, G_CX, G_DX, G_BX, G_SP, G_BP, G_SI, G_DI, G_NR = 16 };
struct rpv_gprs {
	u64 r[G_NR];
};

struct rpv_caps {
	bool cpuid_vmx;
	u64 feat_ctl, basic, misc, cr0_f0, cr0_f1, cr4_f0, cr4_f1;
	u64 pin, proc, exit, entry, proc2, ept_vpid;
	unsigned int width;		/* VMX physical-address width */
};

#define RPV_MAX_RES	160
struct rpv_res {
	char name[32];
	char detail[96];
	u8 state;			/* 0 ok, 1 not ok, 2 skip */
};

struct rpv_cpu {
	int cpu;
	struct rpv_caps k;
	char caps[320];
	void *vmxon, *vmcs_a, *vmcs_b, *badrev, *shadow;
	u64 *pml4, *pdpt, *pd, *pt;
	u8 *code, *data, *late;
	u64 eptp;
	struct rpv_gprs g;
	/* Host state saved before the first entry and put back after each exit. */
	struct desc_ptr gdt, idt;
	u16 ldt, ds, es, fs, gs;
	u64 fs_base, kgs_base, debugctl;
	unsigned long dr7, cr4_orig;
	bool vmxe_set, in_vmx;
	int nmis;			/* host NMIs taken while L2 ran */
	u64 wfail;			/* first field a VMWRITE of rpv_fill failed on */
	int nres;
	bool aborted;
	struct rpv_res res[RPV_MAX_RES];
};

/* ---- the instructions ---------------------------------------------------- */

/*
 * Each wrapper sets CF, PF, AF, ZF, SF and OF before the instruction, so the
 * flags after it show exactly what it cleared and set. A fault (#UD, #GP)
 * goes to label 2 through the exception table, with the vector in EAX.
 */
#define RPV_PRE				\
	"pushf\n\t"			\
	"orq %[arith], (%%rsp)\n\t"	\
	"popf\n\t"
#define RPV_POST			\
	"pushf\n\t"			\
	"pop %[fl]\n"			\
	"2:\n"				\
	_ASM_EXTABLE_FAULT(1b, 2b)

static u32 rpv_insn_error(void)
{
	u64 v = 0xff;

	asm volatile("vmread %[f], %[v]" : [v] "+r"(v)
		     : [f] "r"((u64)VM_INSTRUCTION_ERROR) : "cc");
	return v;
}

static int rpv_result(unsigned long fl, int trap)
{
	unsigned long a = fl & RPV_ARITH;

	if (trap >= 0)
		return R_FAULT(trap);
	if (!a)
		return R_OK;
	if (a == X86_EFLAGS_CF)
		return R_INVALID;
	if (a == X86_EFLAGS_ZF)
		return R_VALID(rpv_insn_error() & 0xff);
	return R_FLAGS | a;
}

static int rpv_vmxon(u64 pa)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmxon %[pa]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [pa] "m"(pa), [arith] "i"(RPV_ARITH) : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_vmxoff(void)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmxoff\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [arith] "i"(RPV_ARITH) : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_vmclear(u64 pa)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmclear %[pa]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [pa] "m"(pa), [arith] "i"(RPV_ARITH) : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_vmptrld(u64 pa)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmptrld %[pa]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [pa] "m"(pa), [arith] "i"(RPV_ARITH) : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_vmptrst(u64 *pa)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmptrst %[pa]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap), [pa] "+m"(*pa)
		     : [arith] "i"(RPV_ARITH) : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_vmread(u64 field, u64 *val)
{
	unsigned long fl = 0;
	int trap = -1;
	u64 v = *val;

	asm volatile(RPV_PRE "1: vmread %[f], %[v]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap), [v] "+r"(v)
		     : [f] "r"(field), [arith] "i"(RPV_ARITH) : "cc", "memory");
	*val = v;
	return rpv_result(fl, trap);
}

/* VMREAD with a memory destination: 64 bits are written in 64-bit mode. */
static int rpv_vmread_mem(u64 field, u64 *mem)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmread %[f], %[m]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap), [m] "+m"(*mem)
		     : [f] "r"(field), [arith] "i"(RPV_ARITH) : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_vmwrite(u64 field, u64 val)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmwrite %[v], %[f]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [f] "r"(field), [v] "r"(val), [arith] "i"(RPV_ARITH)
		     : "cc", "memory");
	return rpv_result(fl, trap);
}

/* VMWRITE with a memory source operand. */
static int rpv_vmwrite_mem(u64 field, const u64 *mem)
{
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: vmwrite %[m], %[f]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [f] "r"(field), [m] "m"(*mem), [arith] "i"(RPV_ARITH)
		     : "cc", "memory");
	return rpv_result(fl, trap);
}

/*
 * VMLAUNCH/VMRESUME that can only fail (no VMCS, outside VMX operation, a
 * shadow VMCS, a launched VMCS): no host state needed. @movss executes it
 * right after MOV SS, in the MOV-SS shadow.
 */
static int rpv_vmentry_nohost(bool resume, bool movss)
{
	unsigned long fl = 0, t = 0;
	int trap = -1;

	if (resume)
		asm volatile(RPV_PRE "1: vmresume\n\t" RPV_POST
			     : [fl] "+r"(fl), "+a"(trap)
			     : [arith] "i"(RPV_ARITH) : "cc", "memory");
	else if (movss)
		asm volatile(RPV_PRE
			     "mov %%ss, %k[t]\n\t"
			     "mov %k[t], %%ss\n\t"
			     "1: vmlaunch\n\t"
			     RPV_POST
			     : [fl] "+r"(fl), "+a"(trap), [t] "+r"(t)
			     : [arith] "i"(RPV_ARITH) : "cc", "memory");
	else
		asm volatile(RPV_PRE "1: vmlaunch\n\t" RPV_POST
			     : [fl] "+r"(fl), "+a"(trap)
			     : [arith] "i"(RPV_ARITH) : "cc", "memory");
	return rpv_result(fl, trap);
}

struct rpv_desc {
	u64 lo, hi;
};

static int rpv_invept(u64 type, u64 eptp)
{
	struct rpv_desc d = { eptp, 0 };
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: invept %[d], %[t]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [t] "r"(type), [d] "m"(d), [arith] "i"(RPV_ARITH)
		     : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_invvpid(u64 type, u64 lo, u64 la)
{
	struct rpv_desc d = { lo, la };
	unsigned long fl = 0;
	int trap = -1;

	asm volatile(RPV_PRE "1: invvpid %[d], %[t]\n\t" RPV_POST
		     : [fl] "+r"(fl), "+a"(trap)
		     : [t] "r"(type), [d] "m"(d), [arith] "i"(RPV_ARITH)
		     : "cc", "memory");
	return rpv_result(fl, trap);
}

static int rpv_write_cr4(unsigned long v)
{
	int trap = -1;

	asm volatile("1: mov %[v], %%cr4\n2:\n" _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(trap) : [v] "r"(v) : "memory");
	return trap < 0 ? R_OK : R_FAULT(trap);
}

/*
 * VM entry on the current VMCS with the guest GPRs in @g. HOST_RSP is this
 * stack (with @g on top) and HOST_RIP label 3, so a VM exit comes back
 * here, stores the guest GPRs and returns 0. A failed VMLAUNCH/VMRESUME
 * falls through and returns RFLAGS (bit 1 is always set: never 0).
 */
#define RPV_LOAD				\
	"mov 0x00(%%rdi), %%rax\n\t"	\
	"mov 0x08(%%rdi), %%rcx\n\t"	\
	"mov 0x10(%%rdi), %%rdx\n\t"	\
	"mov 0x18(%%rdi), %%rbx\n\t"	\
	"mov 0x28(%%rdi), %%rbp\n\t"	\
	"mov 0x30(%%rdi), %%rsi\n\t"	\
	"mov 0x40(%%rdi), %%r8\n\t"	\
	"mov 0x48(%%rdi), %%r9\n\t"	\
	"mov 0x50(%%rdi), %%r10\n\t"	\
	"mov 0x58(%%rdi), %%r11\n\t"	\
	"mov 0x60(%%rdi), %%r12\n\t"	\
	"mov 0x68(%%rdi), %%r13\n\t"	\
	"mov 0x70(%%rdi), %%r14\n\t"	\
	"mov 0x78(%%rdi), %%r15\n\t"	\
	"mov 0x38(%%rdi), %%rdi\n\t"
#define RPV_SAVE				\
	"mov %%rax, 0x00(%%rdi)\n\t"	\
	"mov %%rcx, 0x08(%%rdi)\n\t"	\
	"mov %%rdx, 0x10(%%rdi)\n\t"	\
	"mov %%rbx, 0x18(%%rdi)\n\t"	\
	"mov %%rbp, 0x28(%%rdi)\n\t"	\
	"mov %%rsi, 0x30(%%rdi)\n\t"	\
	"mov %%r8, 0x40(%%rdi)\n\t"	\
	"mov %%r9, 0x48(%%rdi)\n\t"	\
	"mov %%r10, 0x50(%%rdi)\n\t"	\
	"mov %%r11, 0x58(%%rdi)\n\t"	\
	"mov %%r12, 0x60(%%rdi)\n\t"	\
	"mov %%r13, 0x68(%%rdi)\n\t"	\
	"mov %%r14, 0x70(%%rdi)\n\t"	\
	"mov %%r15, 0x78(%%rdi)\n\t"

static noinline unsigned long rpv_enter(struct rpv_gprs *g, unsigned long launch)
{
	unsigned long ret;

	asm volatile("push %%rbp\n\t"
		     "push %%rdi\n\t"
		     "mov %[hrsp], %%eax\n\t"
		     "vmwrite %%rsp, %%rax\n\t"
		     "lea 3f(%%rip), %%rcx\n\t"
		     "mov %[hrip], %%eax\n\t"
		     "vmwrite %%rcx, %%rax\n\t"
		     "test %%rdx, %%rdx\n\t"
		     "jz 1f\n\t"
		     RPV_PRE RPV_LOAD
		     "vmlaunch\n\t"
		     "jmp 2f\n"
		     "1:\n\t"
		     RPV_PRE RPV_LOAD
		     "vmresume\n"
		     "2:\n\t"
		     "pushf\n\t"
		     "pop %%rax\n\t"
		     "lea 8(%%rsp), %%rsp\n\t"
		     "pop %%rbp\n\t"
		     "jmp 4f\n"
		     "3:\n\t"
		     "xchg %%rdi, (%%rsp)\n\t"
		     RPV_SAVE
		     "popq 0x38(%%rdi)\n\t"
		     "pop %%rbp\n\t"
		     "xor %%eax, %%eax\n"
		     "4:"
		     : "=&a"(ret), "+D"(g), "+d"(launch)
		     : [hrsp] "i"(HOST_RSP), [hrip] "i"(HOST_RIP),
		       [arith] "i"(RPV_ARITH)
		     : "rbx", "rcx", "rsi", "r8", "r9", "r10", "r11", "r12",
		       "r13", "r14", "r15", "cc", "memory");
	return ret;
}
/* A VM exit lands in the middle of it, on purpose. */
STACK_FRAME_NON_STANDARD(rpv_enter);

/* ---- results ---------------------------------------------------------------- */

static void rpv_rstr(char *buf, size_t n, int r)
{
	if (r == R_OK)
		snprintf(buf, n, "VMsucceed");
	else if (r == R_INVALID)
		snprintf(buf, n, "VMfailInvalid");
	else if (r == R_EXIT)
		snprintf(buf, n, "VM-exit");
	else if (r == R_UD)
		snprintf(buf, n, "#UD");
	else if (r == R_GP)
		snprintf(buf, n, "#GP");
	else if ((r & 0xff00) == 0x200)
		snprintf(buf, n, "VMfailValid(%d)", r & 0xff);
	else if ((r & 0xff00) == 0x300)
		snprintf(buf, n, "fault(%d)", r & 0xff);
	else
		snprintf(buf, n, "flags(%#x)", r & 0xffff);
}

static __printf(4, 5) bool rpv_report(struct rpv_cpu *c, const char *name,
				      u8 state, const char *fmt, ...)
{
	struct rpv_res *res;
	va_list ap;

	if (c->nres >= RPV_MAX_RES)
		return state == 0;
	res = &c->res[c->nres++];
	strscpy(res->name, name, sizeof(res->name));
	res->state = state;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
	return state == 0;
}

#define rpv_check(c, name, cond, fmt, ...) \
	rpv_report(c, name, (cond) ? 0 : 1, fmt, ##__VA_ARGS__)

/* An instruction's outcome against the one the SDM requires. */
static bool rpv_expect(struct rpv_cpu *c, const char *name, int got, int want)
{
	char g[24], w[24];

	rpv_rstr(g, sizeof(g), got);
	if (got == want)
		return rpv_report(c, name, 0, "%s", g);
	rpv_rstr(w, sizeof(w), want);
	return rpv_report(c, name, 1, "%s, want %s", g, w);
}

static bool rpv_expect_val(struct rpv_cpu *c, const char *name, int got,
			   u64 val, u64 want)
{
	char g[24];

	rpv_rstr(g, sizeof(g), got);
	if (got == R_OK && val == want)
		return rpv_report(c, name, 0, "%#llx", val);
	return rpv_report(c, name, 1, "%s %#llx, want VMsucceed %#llx", g, val,
			  want);
}

/* VMPTRST against a pointer, named by @what: details hold no address. */
static bool rpv_expect_ptr(struct rpv_cpu *c, const char *name, int got,
			   u64 val, u64 want, const char *what)
{
	char g[24];

	rpv_rstr(g, sizeof(g), got);
	if (got == R_OK && val == want)
		return rpv_report(c, name, 0, "%s", what);
	return rpv_report(c, name, 1, "%s %#llx, want VMsucceed %s %#llx", g, val,
			  what, want);
}

/* ---- capabilities ------------------------------------------------------------ */

static u64 rpv_rdmsr(u32 msr)
{
	u64 v;

	return rdmsrl_safe(msr, &v) ? 0 : v;
}

static bool rpv_allowed1(u64 ctl_msr, u32 bits)
{
	return ((ctl_msr >> 32) & bits) == bits;
}

/* A control value: the bits wanted plus those that must be 1. */
static u32 rpv_ctl(u64 ctl_msr, u32 want)
{
	return (want | (u32)ctl_msr) & (u32)(ctl_msr >> 32);
}

static void rpv_read_caps(struct rpv_cpu *c)
{
	struct rpv_caps *k = &c->k;
	bool tru;

	k->cpuid_vmx = cpuid_ecx(1) & BIT(5);
	k->feat_ctl = rpv_rdmsr(MSR_IA32_FEAT_CTL);
	k->basic = rpv_rdmsr(MSR_IA32_VMX_BASIC);
	k->misc = rpv_rdmsr(MSR_IA32_VMX_MISC);
	k->cr0_f0 = rpv_rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	k->cr0_f1 = rpv_rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	k->cr4_f0 = rpv_rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	k->cr4_f1 = rpv_rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	tru = k->basic & RPV_BASIC_TRUE;
	k->pin = rpv_rdmsr(tru ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS);
	k->proc = rpv_rdmsr(tru ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS);
	k->exit = rpv_rdmsr(tru ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS);
	k->entry = rpv_rdmsr(tru ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS);
	if (rpv_allowed1(k->proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		k->proc2 = rpv_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	if (rpv_allowed1(k->proc2, SECONDARY_EXEC_ENABLE_EPT) ||
	    rpv_allowed1(k->proc2, SECONDARY_EXEC_ENABLE_VPID))
		k->ept_vpid = rpv_rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	/* MAXPHYADDR from CPUID: the kernel's x86_phys_bits may be reduced. */
	k->width = 36;
	if (cpuid_eax(0x80000000) >= 0x80000008)
		k->width = cpuid_eax(0x80000008) & 0xff;
	if (k->basic & RPV_BASIC_32BIT)
		k->width = 32;
	snprintf(c->caps, sizeof(c->caps),
		 "vmx=%d feat_ctl=%#llx basic=%#llx misc=%#llx cr0_fixed=%#llx/%#llx cr4_fixed=%#llx/%#llx pin=%#llx proc=%#llx exit=%#llx entry=%#llx proc2=%#llx ept_vpid=%#llx width=%u",
		 k->cpuid_vmx, k->feat_ctl, k->basic, k->misc, k->cr0_f0,
		 k->cr0_f1, k->cr4_f0, k->cr4_f1, k->pin, k->proc, k->exit,
		 k->entry, k->proc2, k->ept_vpid, k->width);
}

static bool rpv_fixed_ok(u64 v, u64 f0, u64 f1)
{
	return (v & f0) == f0 && !(v & ~f1);
}

static bool rpv_has_invept(const struct rpv_caps *k)
{
	return rpv_allowed1(k->proc2, SECONDARY_EXEC_ENABLE_EPT) &&
	       (k->ept_vpid & VMX_EPT_INVEPT_BIT);
}

static bool rpv_has_invvpid(const struct rpv_caps *k)
{
	return rpv_allowed1(k->proc2, SECONDARY_EXEC_ENABLE_VPID) &&
	       (k->ept_vpid >> 32 & VMX_VPID_INVVPID_BIT);
}

/* INVVPID type @t supported (EPT_VPID_CAP bits 40-43)? */
static bool rpv_invvpid_type(const struct rpv_caps *k, int t)
{
	return rpv_has_invvpid(k) && (k->ept_vpid & BIT_ULL(40 + t));
}

/* INVEPT type @t supported (bit 25 single-context, 26 all-context)? */
static bool rpv_invept_type(const struct rpv_caps *k, int t)
{
	return rpv_has_invept(k) && (t == 1 || t == 2) &&
	       (k->ept_vpid & BIT_ULL(24 + t));
}

/* ---- host state ------------------------------------------------------------- */

static void rpv_save_host(struct rpv_cpu *c)
{
	native_store_gdt(&c->gdt);
	store_idt(&c->idt);
	asm volatile("sldt %0" : "=r"(c->ldt));
	savesegment(ds, c->ds);
	savesegment(es, c->es);
	savesegment(fs, c->fs);
	savesegment(gs, c->gs);
	rdmsrl(MSR_FS_BASE, c->fs_base);
	rdmsrl(MSR_KERNEL_GS_BASE, c->kgs_base);
	rdmsrl(MSR_IA32_DEBUGCTLMSR, c->debugctl);
	get_debugreg(c->dr7, 7);
}

/*
 * A VM exit sets the GDTR and IDTR limits to 0xffff, the TR limit to 0x67,
 * LDTR to null, DR7 to 0x400 and IA32_DEBUGCTL to 0, and loads the data
 * segment selectors from the (null) host fields (SDM "Loading Host State").
 */
static void rpv_restore_host(struct rpv_cpu *c)
{
	native_load_gdt(&c->gdt);
	native_load_idt(&c->idt);
	if (c->ldt)
		asm volatile("lldt %w0" : : "r"(c->ldt));
	invalidate_tss_limit();
	if (c->ds)
		loadsegment(ds, c->ds);
	if (c->es)
		loadsegment(es, c->es);
	if (c->fs) {
		loadsegment(fs, c->fs);
		wrmsrl(MSR_FS_BASE, c->fs_base);
	}
	if (c->gs) {
		load_gs_index(c->gs);
		wrmsrl(MSR_KERNEL_GS_BASE, c->kgs_base);
	}
	if (c->debugctl)
		wrmsrl(MSR_IA32_DEBUGCTLMSR, c->debugctl);
	if (c->dr7 != RPV_DR7_INIT)
		set_debugreg(c->dr7, 7);
}

static u64 rpv_rd(u64 field)
{
	u64 v = 0;

	return rpv_vmread(field, &v) == R_OK ? v : ~0ULL;
}

/* Did the host get an NMI while L2 ran ("NMI exiting" is on)? */
static bool rpv_exit_is_nmi(void)
{
	u32 info = rpv_rd(VM_EXIT_INTR_INFO);

	return rpv_rd(VM_EXIT_REASON) == EXIT_REASON_EXCEPTION_NMI &&
	       (info & (INTR_INFO_VALID_MASK | INTR_INFO_INTR_TYPE_MASK)) ==
	       (INTR_INFO_VALID_MASK | INTR_TYPE_NMI_INTR);
}

/*
 * One VM entry: R_EXIT after a VM exit, or the failed entry's outcome. An
 * NMI meant for the host is handed to the kernel's handler and L2 resumed,
 * so it never shows in the results.
 */
static int rpv_run(struct rpv_cpu *c, bool launch)
{
	unsigned long fl;

	for (;;) {
		fl = rpv_enter(&c->g, launch);
		rpv_restore_host(c);
		if (fl)
			return rpv_result(fl, -1);
		if (!rpv_exit_is_nmi())
			return R_EXIT;
		c->nmis++;
		asm volatile("int $2");
		launch = false;
	}
}

static void rpv_wr(struct rpv_cpu *c, u64 field, u64 val)
{
	if (rpv_vmwrite(field, val) != R_OK && !c->wfail)
		c->wfail = field | BIT_ULL(63);
}

/* ---- the VMCS of the L2 guest ------------------------------------------------- */

static void rpv_ept_map(struct rpv_cpu *c, u64 gpa, u64 hpa, u64 perm)
{
	c->pt[(gpa >> PAGE_SHIFT) & 511] = perm ? (hpa | perm | EPT_LEAF_WB) : 0;
}

static void rpv_build_ept(struct rpv_cpu *c)
{
	u64 nl = EPT_R | EPT_W | EPT_X;

	memset(c->pml4, 0, PAGE_SIZE);
	memset(c->pdpt, 0, PAGE_SIZE);
	memset(c->pd, 0, PAGE_SIZE);
	memset(c->pt, 0, PAGE_SIZE);
	c->pml4[0] = virt_to_phys(c->pdpt) | nl;
	c->pdpt[0] = virt_to_phys(c->pd) | nl;
	c->pd[0] = virt_to_phys(c->pt) | nl;
	rpv_ept_map(c, GPA_CODE, virt_to_phys(c->code), EPT_R | EPT_X);
	rpv_ept_map(c, GPA_DATA, virt_to_phys(c->data), EPT_R | EPT_W);
	c->eptp = virt_to_phys(c->pml4) | VMX_EPTP_PWL_4 |
		  ((c->k.ept_vpid & VMX_EPTP_WB_BIT) ? VMX_EPTP_MT_WB : VMX_EPTP_MT_UC);
}

/* The controls, host state and real-mode guest state for an L2 at @rip. */
static void rpv_fill(struct rpv_cpu *c, u64 rip)
{
	struct rpv_caps *k = &c->k;
	unsigned long cr4 = __read_cr4();
	u64 v;
	int s;
	static const u32 seg[][4] = {	/* selector, limit, AR, base fields */
		{ GUEST_ES_SELECTOR, GUEST_ES_LIMIT, GUEST_ES_AR_BYTES, GUEST_ES_BASE },
		{ GUEST_CS_SELECTOR, GUEST_CS_LIMIT, GUEST_CS_AR_BYTES, GUEST_CS_BASE },
		{ GUEST_SS_SELECTOR, GUEST_SS_LIMIT, GUEST_SS_AR_BYTES, GUEST_SS_BASE },
		{ GUEST_DS_SELECTOR, GUEST_DS_LIMIT, GUEST_DS_AR_BYTES, GUEST_DS_BASE },
		{ GUEST_FS_SELECTOR, GUEST_FS_LIMIT, GUEST_FS_AR_BYTES, GUEST_FS_BASE },
		{ GUEST_GS_SELECTOR, GUEST_GS_LIMIT, GUEST_GS_AR_BYTES, GUEST_GS_BASE },
	};

	c->wfail = 0;
	/* Controls: NMIs exit; HLT and all port I/O exit; EPT, VPID, UG. */
	rpv_wr(c, PIN_BASED_VM_EXEC_CONTROL, rpv_ctl(k->pin, PIN_BASED_NMI_EXITING));
	rpv_wr(c, CPU_BASED_VM_EXEC_CONTROL,
	       rpv_ctl(k->proc, CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
			       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS));
	rpv_wr(c, SECONDARY_VM_EXEC_CONTROL,
	       rpv_ctl(k->proc2, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID |
				SECONDARY_EXEC_UNRESTRICTED_GUEST));
	rpv_wr(c, VM_EXIT_CONTROLS, rpv_ctl(k->exit, VM_EXIT_HOST_ADDR_SPACE_SIZE));
	rpv_wr(c, VM_ENTRY_CONTROLS, rpv_ctl(k->entry, 0));
	rpv_wr(c, EXCEPTION_BITMAP, ~0U);
	rpv_wr(c, PAGE_FAULT_ERROR_CODE_MASK, 0);
	rpv_wr(c, PAGE_FAULT_ERROR_CODE_MATCH, 0);
	rpv_wr(c, CR3_TARGET_COUNT, 0);
	rpv_wr(c, VM_EXIT_MSR_STORE_COUNT, 0);
	rpv_wr(c, VM_EXIT_MSR_LOAD_COUNT, 0);
	rpv_wr(c, VM_ENTRY_MSR_LOAD_COUNT, 0);
	rpv_wr(c, VM_ENTRY_INTR_INFO_FIELD, 0);
	rpv_wr(c, VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	rpv_wr(c, VM_ENTRY_INSTRUCTION_LEN, 0);
	rpv_wr(c, TSC_OFFSET, 0);
	rpv_wr(c, CR0_GUEST_HOST_MASK, 0);
	rpv_wr(c, CR4_GUEST_HOST_MASK, 0);
	rpv_wr(c, CR0_READ_SHADOW, 0);
	rpv_wr(c, CR4_READ_SHADOW, 0);
	rpv_wr(c, VIRTUAL_PROCESSOR_ID, 1);
	rpv_wr(c, EPT_POINTER, c->eptp);
	rpv_wr(c, VMCS_LINK_POINTER, ~0ULL);

	/* Host: this CPU's kernel state; null data segments (SDM 26.2.3). */
	rpv_wr(c, HOST_CR0, native_read_cr0());
	rpv_wr(c, HOST_CR3, __read_cr3());
	rpv_wr(c, HOST_CR4, cr4);
	rpv_wr(c, HOST_CS_SELECTOR, __KERNEL_CS);
	rpv_wr(c, HOST_SS_SELECTOR, __KERNEL_DS);
	rpv_wr(c, HOST_DS_SELECTOR, 0);
	rpv_wr(c, HOST_ES_SELECTOR, 0);
	rpv_wr(c, HOST_FS_SELECTOR, 0);
	rpv_wr(c, HOST_GS_SELECTOR, 0);
	rpv_wr(c, HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rpv_wr(c, HOST_FS_BASE, c->fs_base);
	rdmsrl(MSR_GS_BASE, v);
	rpv_wr(c, HOST_GS_BASE, v);
	rpv_wr(c, HOST_TR_BASE, (unsigned long)&get_cpu_entry_area(c->cpu)->tss.x86_tss);
	rpv_wr(c, HOST_GDTR_BASE, c->gdt.address);
	rpv_wr(c, HOST_IDTR_BASE, c->idt.address);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	rpv_wr(c, HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	rpv_wr(c, HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	rpv_wr(c, HOST_IA32_SYSENTER_EIP, v);

	/* Guest: real mode (CR0.PE=PG=0 under unrestricted guest), IF=0. */
	rpv_wr(c, GUEST_CR0, k->cr0_f0 & ~(X86_CR0_PE | X86_CR0_PG));
	rpv_wr(c, GUEST_CR3, 0);
	rpv_wr(c, GUEST_CR4, k->cr4_f0);
	rpv_wr(c, GUEST_DR7, RPV_DR7_INIT);
	rpv_wr(c, GUEST_IA32_DEBUGCTL, 0);
	for (s = 0; s < ARRAY_SIZE(seg); s++) {
		rpv_wr(c, seg[s][0], 0);
		rpv_wr(c, seg[s][1], 0xffff);
		/* CS: execute/read accessed code; others read/write accessed data. */
		rpv_wr(c, seg[s][2], seg[s][0] == GUEST_CS_SELECTOR ? 0x9b : 0x93);
		rpv_wr(c, seg[s][3], 0);
	}
	rpv_wr(c, GUEST_LDTR_SELECTOR, 0);
	rpv_wr(c, GUEST_LDTR_LIMIT, 0);
	rpv_wr(c, GUEST_LDTR_AR_BYTES, 0x10000);	/* unusable */
	rpv_wr(c, GUEST_LDTR_BASE, 0);
	rpv_wr(c, GUEST_TR_SELECTOR, 0);
	rpv_wr(c, GUEST_TR_LIMIT, 0xffff);
	rpv_wr(c, GUEST_TR_AR_BYTES, 0x8b);		/* busy 32-bit TSS */
	rpv_wr(c, GUEST_TR_BASE, 0);
	rpv_wr(c, GUEST_GDTR_BASE, 0);
	rpv_wr(c, GUEST_GDTR_LIMIT, 0);
	rpv_wr(c, GUEST_IDTR_BASE, 0);
	rpv_wr(c, GUEST_IDTR_LIMIT, 0x3ff);
	rpv_wr(c, GUEST_SYSENTER_CS, 0);
	rpv_wr(c, GUEST_SYSENTER_ESP, 0);
	rpv_wr(c, GUEST_SYSENTER_EIP, 0);
	rpv_wr(c, GUEST_INTERRUPTIBILITY_INFO, 0);
	rpv_wr(c, GUEST_ACTIVITY_STATE, 0);
	rpv_wr(c, GUEST_PENDING_DBG_EXCEPTIONS, 0);
	rpv_wr(c, GUEST_RSP, 0xff0);
	rpv_wr(c, GUEST_RIP, rip);
	rpv_wr(c, GUEST_RFLAGS, X86_EFLAGS_FIXED);
	memset(&c->g, 0, sizeof(c->g));
}

static bool rpv_vmcs_filled(struct rpv_cpu *c, const char *name)
{
	if (c->wfail)
		return rpv_report(c, name, 1, "VMWRITE of field %#llx failed",
				  c->wfail & 0xffffffff);
	return rpv_report(c, name, 0, "every VMWRITE succeeded");
}

/* The L2 needs these (all are allowed-1 on the CPUs Rampart supports). */
static bool rpv_l2_caps(struct rpv_caps *k)
{
	return rpv_allowed1(k->proc, CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
				     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	       rpv_allowed1(k->proc2, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID |
				      SECONDARY_EXEC_UNRESTRICTED_GUEST) &&
	       rpv_allowed1(k->pin, PIN_BASED_NMI_EXITING) &&
	       rpv_allowed1(k->exit, VM_EXIT_HOST_ADDR_SPACE_SIZE) &&
	       (k->ept_vpid & VMX_EPT_PAGE_WALK_4_BIT) &&
	       (k->ept_vpid & (VMX_EPTP_WB_BIT | VMX_EPTP_UC_BIT));
}

/* ---- the L2 run -------------------------------------------------------------- */

struct rpv_exit {
	u32 reason, len;
	u64 qual, rip;
};

static void rpv_read_exit(struct rpv_exit *e)
{
	e->reason = rpv_rd(VM_EXIT_REASON);
	e->qual = rpv_rd(EXIT_QUALIFICATION);
	e->len = rpv_rd(VM_EXIT_INSTRUCTION_LEN);
	e->rip = rpv_rd(GUEST_RIP);
}

/*
 * Enter L2 and check the exit it takes: reason, qualification (@qmask of
 * it), instruction length (~0U: not checked) and guest RIP.
 */
static bool rpv_step(struct rpv_cpu *c, const char *name, bool launch,
		     u32 reason, u64 qual, u64 qmask, u32 len, u64 rip)
{
	struct rpv_exit e = {};
	int r = rpv_run(c, launch);
	char rs[24];
	bool ok;

	if (r != R_EXIT) {
		rpv_rstr(rs, sizeof(rs), r);
		return rpv_check(c, name, false, "entry %s, want a VM exit", rs);
	}
	rpv_read_exit(&e);
	ok = e.reason == reason && (e.qual & qmask) == qual && e.rip == rip &&
	     (len == ~0U || e.len == len);
	if (ok)
		return rpv_check(c, name, true, "reason=%u qual=%#llx len=%d rip=%#llx",
				 e.reason, e.qual & qmask, len == ~0U ? -1 : e.len, e.rip);
	return rpv_check(c, name, false,
			 "reason=%#x qual=%#llx len=%u rip=%#llx, want %u %#llx %d %#llx",
			 e.reason, e.qual, e.len, e.rip, reason, qual,
			 len == ~0U ? -1 : (int)len, rip);
}

/* Move L2 past the instruction that exited. */
static void rpv_skip_insn(void)
{
	rpv_vmwrite(GUEST_RIP, rpv_rd(GUEST_RIP) + rpv_rd(VM_EXIT_INSTRUCTION_LEN));
}

static void rpv_l2(struct rpv_cpu *c)
{
	u32 *d = (u32 *)c->data;
	u64 late_q;

	memset(c->data, 0, PAGE_SIZE);
	rpv_ept_map(c, GPA_LATE, 0, 0);
	rpv_fill(c, GPA_CODE);
	if (!rpv_vmcs_filled(c, "l2.vmcs"))
		return;

	/* OUT 0x80, AL: size 1, OUT, immediate port (SDM Table 28-5). */
	if (!rpv_step(c, "l2.exit1.out_imm8", true, EXIT_REASON_IO_INSTRUCTION,
		      0x00800040, ~0ULL, 2, GPA_CODE + 0x02))
		return;
	rpv_check(c, "l2.exit1.al", (c->g.r[G_AX] & 0xff) == 0x5a, "al=%#llx",
		  c->g.r[G_AX] & 0xff);
	/* The VMCS is launched now: VMLAUNCH fails; MOV-SS blocking comes first. */
	rpv_expect(c, "vmlaunch.launched", rpv_run(c, true),
		   R_VALID(VMXERR_VMLAUNCH_NONCLEAR_VMCS));
	rpv_expect(c, "vmlaunch.movss_blocking", rpv_vmentry_nohost(false, true),
		   R_VALID(VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS));
	rpv_skip_insn();

	/* OUT DX, AX: size 2, OUT, port in DX. */
	if (!rpv_step(c, "l2.exit2.out_dx16", false, EXIT_REASON_IO_INSTRUCTION,
		      0x12340001, ~0ULL, 1, GPA_CODE + 0x0a))
		return;
	rpv_check(c, "l2.exit2.ax_dx", (c->g.r[G_AX] & 0xffff) == 0xbeef &&
		  (c->g.r[G_DX] & 0xffff) == 0x1234, "ax=%#llx dx=%#llx",
		  c->g.r[G_AX] & 0xffff, c->g.r[G_DX] & 0xffff);
	rpv_skip_insn();

	if (!rpv_step(c, "l2.exit3.cpuid", false, EXIT_REASON_CPUID, 0, 0, 2,
		      GPA_CODE + 0x0e))
		return;
	rpv_check(c, "l2.exit3.eax", (u32)c->g.r[G_AX] == 0, "eax=%#x",
		  (u32)c->g.r[G_AX]);
	c->g.r[G_AX] = 0x11111111;
	c->g.r[G_BX] = 0x22222222;
	c->g.r[G_CX] = 0x33333333;
	c->g.r[G_DX] = 0x44444444;
	rpv_skip_insn();

	/* IN EAX, DX: size 4, IN, port in DX. */
	if (!rpv_step(c, "l2.exit4.in_dx32", false, EXIT_REASON_IO_INSTRUCTION,
		      0x5678000b, ~0ULL, 2, GPA_CODE + 0x2f))
		return;
	c->g.r[G_AX] = 0x600dd00d;
	rpv_skip_insn();

	if (!rpv_step(c, "l2.exit5.hlt", false, EXIT_REASON_HLT, 0, 0, 1,
		      GPA_CODE + 0x35))
		return;
	rpv_check(c, "l2.data", d[0] == 0xdeadbeef && d[1] == 0x22222222 &&
		  d[2] == 0x11111111 && d[3] == 0x33333333 &&
		  d[4] == 0x44444444 && d[5] == 0x600dd00d,
		  "%08x %08x %08x %08x %08x %08x", d[0], d[1], d[2], d[3], d[4], d[5]);
	rpv_skip_insn();

	/*
	 * A read of an unmapped GPA: EPT violation, qualification bit 0 (read),
	 * 3-5 clear (not present), 7 (linear address valid), 8 (translation of
	 * a linear address), 12 clear (no IRET); 6 and 9-11 vary by feature.
	 */
	if (!rpv_step(c, "l2.exit6.ept_violation", false, EXIT_REASON_EPT_VIOLATION,
		      0x181, 0x11bf, ~0U, GPA_CODE + 0x36))
		return;
	late_q = rpv_rd(GUEST_PHYSICAL_ADDRESS);
	rpv_check(c, "l2.exit6.gpa", late_q == GPA_LATE, "%#llx", late_q);
	late_q = rpv_rd(GUEST_LINEAR_ADDRESS);
	rpv_check(c, "l2.exit6.linear", late_q == GPA_LATE, "%#llx", late_q);
	/* Map it and resume at the same instruction (fault-like exit). */
	*(u16 *)c->late = 0x4242;
	rpv_ept_map(c, GPA_LATE, virt_to_phys(c->late), EPT_R | EPT_W);
	if (rpv_invept_type(&c->k, 1))
		rpv_expect(c, "invept.after_map", rpv_invept(1, c->eptp), R_OK);
	else if (rpv_invept_type(&c->k, 2))
		rpv_expect(c, "invept.after_map", rpv_invept(2, 0), R_OK);
	else
		rpv_report(c, "invept.after_map", 2, "no INVEPT type supported");
	if (!rpv_step(c, "l2.exit7.hlt", false, EXIT_REASON_HLT, 0, 0, 1,
		      GPA_CODE + 0x3c))
		return;
	rpv_check(c, "l2.late_read", (d[6] & 0xffff) == 0x4242, "%#x", d[6] & 0xffff);
}

/* VMLAUNCH/VMRESUME failures on VMCS B, which never runs L2. */
static void rpv_entry_failures(struct rpv_cpu *c, u64 b_pa)
{
	struct rpv_caps *k = &c->k;
	u32 pin = rpv_ctl(k->pin, PIN_BASED_NMI_EXITING), bad;
	u64 v;
	int r;

	rpv_expect(c, "vmclear.b", rpv_vmclear(b_pa), R_OK);
	rpv_expect(c, "vmptrld.b", rpv_vmptrld(b_pa), R_OK);
	rpv_expect(c, "vmresume.clear", rpv_vmentry_nohost(true, false),
		   R_VALID(VMXERR_VMRESUME_NONLAUNCHED_VMCS));
	rpv_fill(c, GPA_CODE);
	if (!rpv_vmcs_filled(c, "vmcs.b"))
		return;

	/* A pin-based control the MSR says must be 0 set, or one that must be 1 clear. */
	bad = ~(u32)(k->pin >> 32);
	if (bad) {
		rpv_wr(c, PIN_BASED_VM_EXEC_CONTROL, pin | BIT(__fls(bad)));
	} else if ((u32)k->pin) {
		rpv_wr(c, PIN_BASED_VM_EXEC_CONTROL, pin & ~BIT(__ffs((u32)k->pin)));
	} else {
		rpv_report(c, "vmlaunch.bad_pin_ctl", 2, "every pin-based control is flexible");
		goto host;
	}
	rpv_expect(c, "vmlaunch.bad_pin_ctl", rpv_run(c, true),
		   R_VALID(VMXERR_ENTRY_INVALID_CONTROL_FIELD));
	rpv_wr(c, PIN_BASED_VM_EXEC_CONTROL, pin);
host:
	/* CR4.VMXE is fixed to 1 in VMX operation: a host CR4 without it. */
	rpv_wr(c, HOST_CR4, __read_cr4() & ~X86_CR4_VMXE);
	rpv_expect(c, "vmlaunch.bad_host_cr4", rpv_run(c, true),
		   R_VALID(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD));
	rpv_wr(c, HOST_CR4, __read_cr4());

	/* RFLAGS bit 1 clear: VM-entry failure, exit reason 33 with bit 31. */
	rpv_wr(c, GUEST_RFLAGS, 0);
	r = rpv_run(c, true);
	v = rpv_rd(VM_EXIT_REASON);
	rpv_check(c, "vmlaunch.bad_guest_state",
		  r == R_EXIT && v == (EXIT_REASON_INVALID_STATE | VMX_EXIT_REASONS_FAILED_VMENTRY),
		  "%s reason=%#llx", r == R_EXIT ? "VM-exit" : "no VM-exit", v);
	/* The launch state changes only on a successful VM entry. */
	rpv_expect(c, "vmresume.after_entry_failure", rpv_run(c, false),
		   R_VALID(VMXERR_VMRESUME_NONLAUNCHED_VMCS));
	rpv_expect(c, "vmclear.b_again", rpv_vmclear(b_pa), R_OK);
}

static void rpv_vmread_vmwrite(struct rpv_cpu *c)
{
	u64 v, m;
	int r;

	/* Bits 31:15 of an encoding are reserved; bits 63:32 must be 0. */
	v = 0;
	rpv_expect(c, "vmread.no_field", rpv_vmread(0xffffffff, &v),
		   R_VALID(VMXERR_UNSUPPORTED_VMCS_COMPONENT));
	rpv_expect(c, "vmread.field_bits_63_32", rpv_vmread(BIT_ULL(32) | GUEST_RIP, &v),
		   R_VALID(VMXERR_UNSUPPORTED_VMCS_COMPONENT));
	rpv_expect(c, "vmwrite.no_field", rpv_vmwrite(0xffffffff, 0),
		   R_VALID(VMXERR_UNSUPPORTED_VMCS_COMPONENT));
	rpv_expect(c, "vmwrite.field_bits_63_32", rpv_vmwrite(BIT_ULL(32) | GUEST_RIP, 0),
		   R_VALID(VMXERR_UNSUPPORTED_VMCS_COMPONENT));

	/* A VM-exit information field: writable only with IA32_VMX_MISC[29]. */
	if (c->k.misc & RPV_MISC_VMWRITE_ANY) {
		rpv_expect(c, "vmwrite.read_only", rpv_vmwrite(VM_EXIT_REASON, 0x1234), R_OK);
		r = rpv_vmread(VM_EXIT_REASON, &v);
		rpv_expect_val(c, "vmread.read_only", r, v, 0x1234);
	} else {
		rpv_expect(c, "vmwrite.read_only", rpv_vmwrite(VM_EXIT_REASON, 0x1234),
			   R_VALID(VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT));
		rpv_report(c, "vmread.read_only", 2, "IA32_VMX_MISC[29] clear");
	}

	/* A failing VMX instruction changes only the VM-instruction error (SDM 31.2). */
	rpv_vmread(GUEST_RIP, &m);
	rpv_expect(c, "vmwrite.before_vmfail", rpv_vmwrite(GUEST_RIP, 0x5a5a), R_OK);
	rpv_vmwrite(0xffffffff, 0);
	r = rpv_vmread(GUEST_RIP, &v);
	rpv_expect_val(c, "vmfail.keeps_fields", r, v, 0x5a5a);
	rpv_vmwrite(GUEST_RIP, m);

	/* Widths (SDM VMWRITE/VMREAD): short fields ignore/zero the high bits. */
	rpv_expect(c, "vmwrite.16bit", rpv_vmwrite(GUEST_ES_SELECTOR, 0xffffffffffff1234ULL), R_OK);
	v = ~0ULL;
	r = rpv_vmread(GUEST_ES_SELECTOR, &v);
	rpv_expect_val(c, "vmread.16bit", r, v, 0x1234);
	m = ~0ULL;
	r = rpv_vmread_mem(GUEST_ES_SELECTOR, &m);
	rpv_expect_val(c, "vmread.16bit_to_memory", r, m, 0x1234);
	rpv_expect(c, "vmwrite.32bit", rpv_vmwrite(GUEST_ES_LIMIT, 0xffffffff89abcdefULL), R_OK);
	r = rpv_vmread(GUEST_ES_LIMIT, &v);
	rpv_expect_val(c, "vmread.32bit", r, v, 0x89abcdef);
	rpv_expect(c, "vmwrite.64bit", rpv_vmwrite(IO_BITMAP_A, 0x0123456789abcdefULL), R_OK);
	r = rpv_vmread(IO_BITMAP_A, &v);
	rpv_expect_val(c, "vmread.64bit", r, v, 0x0123456789abcdefULL);
	r = rpv_vmread(IO_BITMAP_A_HIGH, &v);
	rpv_expect_val(c, "vmread.64bit_high", r, v, 0x01234567);
	rpv_expect(c, "vmwrite.64bit_high", rpv_vmwrite(IO_BITMAP_A_HIGH, 0xffffffff76543210ULL), R_OK);
	r = rpv_vmread(IO_BITMAP_A, &v);
	rpv_expect_val(c, "vmread.64bit_after_high", r, v, 0x7654321089abcdefULL);
	rpv_expect(c, "vmwrite.natural", rpv_vmwrite(GUEST_SYSENTER_ESP, 0xfedcba9876543210ULL), R_OK);
	r = rpv_vmread(GUEST_SYSENTER_ESP, &v);
	rpv_expect_val(c, "vmread.natural", r, v, 0xfedcba9876543210ULL);
	m = 0x13572468;
	rpv_expect(c, "vmwrite.from_memory", rpv_vmwrite_mem(GUEST_ES_LIMIT, &m), R_OK);
	r = rpv_vmread(GUEST_ES_LIMIT, &v);
	rpv_expect_val(c, "vmread.from_memory", r, v, 0x13572468);
}

static void rpv_invalidations(struct rpv_cpu *c)
{
	struct rpv_caps *k = &c->k;
	int ept = rpv_has_invept(k) ? R_VALID(VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID) : R_UD;
	int vpid = rpv_has_invvpid(k) ? R_VALID(VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID) : R_UD;

	/* INVEPT: types 1 and 2 as EPT_VPID_CAP says; 0 and 3 are never types. */
	rpv_expect(c, "invept.single", rpv_invept(1, c->eptp),
		   rpv_invept_type(k, 1) ? R_OK : ept);
	rpv_expect(c, "invept.all", rpv_invept(2, 0), rpv_invept_type(k, 2) ? R_OK : ept);
	rpv_expect(c, "invept.type0", rpv_invept(0, c->eptp), ept);
	rpv_expect(c, "invept.type3", rpv_invept(3, c->eptp), ept);
	/* Single-context with an EPTP a VM entry would refuse (memory type 7). */
	rpv_expect(c, "invept.single_bad_eptp", rpv_invept(1, (c->eptp & ~7ULL) | 7), ept);

	/* INVVPID: types 0-3 as EPT_VPID_CAP says; descriptor checks. */
	rpv_expect(c, "invvpid.individual", rpv_invvpid(0, 1, 0x1000),
		   rpv_invvpid_type(k, 0) ? R_OK : vpid);
	rpv_expect(c, "invvpid.single", rpv_invvpid(1, 1, 0),
		   rpv_invvpid_type(k, 1) ? R_OK : vpid);
	rpv_expect(c, "invvpid.all", rpv_invvpid(2, 1, 0),
		   rpv_invvpid_type(k, 2) ? R_OK : vpid);
	rpv_expect(c, "invvpid.all_vpid0", rpv_invvpid(2, 0, 0),
		   rpv_invvpid_type(k, 2) ? R_OK : vpid);
	rpv_expect(c, "invvpid.single_nonglobal", rpv_invvpid(3, 1, 0),
		   rpv_invvpid_type(k, 3) ? R_OK : vpid);
	rpv_expect(c, "invvpid.type4", rpv_invvpid(4, 1, 0), vpid);
	rpv_expect(c, "invvpid.single_vpid0", rpv_invvpid(1, 0, 0), vpid);
	rpv_expect(c, "invvpid.individual_vpid0", rpv_invvpid(0, 0, 0x1000), vpid);
	rpv_expect(c, "invvpid.individual_noncanonical",
		   rpv_invvpid(0, 1, 0x8000000000000000ULL), vpid);
	rpv_expect(c, "invvpid.reserved_bits", rpv_invvpid(2, BIT_ULL(16) | 1, 0), vpid);
}

static void rpv_shadow(struct rpv_cpu *c, u64 a_pa, u32 rev)
{
	u64 s_pa = virt_to_phys(c->shadow), v = 0;
	int r;

	*(u32 *)c->shadow = rev | BIT(31);
	rpv_expect(c, "vmclear.shadow", rpv_vmclear(s_pa), R_OK);
	if (rpv_allowed1(c->k.proc2, SECONDARY_EXEC_SHADOW_VMCS)) {
		rpv_expect(c, "vmptrld.shadow", rpv_vmptrld(s_pa), R_OK);
		r = rpv_vmptrst(&v);
		rpv_expect_ptr(c, "vmptrst.shadow", r, v, s_pa, "the shadow VMCS");
		/* SDM 26.1: VM entry with a shadow VMCS fails with CF=1. */
		rpv_expect(c, "vmlaunch.shadow", rpv_vmentry_nohost(false, false), R_INVALID);
		rpv_expect(c, "vmclear.shadow_current", rpv_vmclear(s_pa), R_OK);
	} else {
		rpv_expect(c, "vmptrld.shadow", rpv_vmptrld(s_pa),
			   R_VALID(VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID));
		rpv_report(c, "vmptrst.shadow", 2, "no VMCS shadowing");
		rpv_report(c, "vmlaunch.shadow", 2, "no VMCS shadowing");
		rpv_report(c, "vmclear.shadow_current", 2, "no VMCS shadowing");
	}
	rpv_expect(c, "vmptrld.after_shadow", rpv_vmptrld(a_pa), R_OK);
}

/* The whole sequence on this CPU, interrupts off. */
static void rpv_sequence(struct rpv_cpu *c)
{
	struct rpv_caps *k = &c->k;
	u64 vmxon_pa = virt_to_phys(c->vmxon), a_pa = virt_to_phys(c->vmcs_a);
	u64 b_pa = virt_to_phys(c->vmcs_b), bad_pa = virt_to_phys(c->badrev);
	u64 beyond = BIT_ULL(k->width), v;
	u32 rev = k->basic & 0x7fffffff;
	int ept, r;

	c->cr4_orig = __read_cr4();
	if (!rpv_check(c, "cr4.vmxe_clear", !(c->cr4_orig & X86_CR4_VMXE),
		       "VMXE=%d", !!(c->cr4_orig & X86_CR4_VMXE))) {
		c->aborted = true;
		return;
	}
	*(u32 *)c->vmxon = rev;
	*(u32 *)c->vmcs_a = rev;
	*(u32 *)c->vmcs_b = rev;
	rpv_expect(c, "vmxon.vmxe_clear", rpv_vmxon(vmxon_pa), R_UD);

	cr4_set_bits(X86_CR4_VMXE);
	c->vmxe_set = true;
	/* Outside VMX operation every other VMX instruction raises #UD. */
	rpv_expect(c, "vmxoff.outside", rpv_vmxoff(), R_UD);
	rpv_expect(c, "vmclear.outside", rpv_vmclear(a_pa), R_UD);
	rpv_expect(c, "vmptrld.outside", rpv_vmptrld(a_pa), R_UD);
	v = 0;
	rpv_expect(c, "vmptrst.outside", rpv_vmptrst(&v), R_UD);
	rpv_expect(c, "vmread.outside", rpv_vmread(GUEST_RIP, &v), R_UD);
	rpv_expect(c, "vmwrite.outside", rpv_vmwrite(GUEST_RIP, 0), R_UD);
	rpv_expect(c, "vmlaunch.outside", rpv_vmentry_nohost(false, false), R_UD);
	rpv_expect(c, "vmresume.outside", rpv_vmentry_nohost(true, false), R_UD);
	rpv_expect(c, "invept.outside", rpv_invept(2, 0), R_UD);
	rpv_expect(c, "invvpid.outside", rpv_invvpid(2, 0, 0), R_UD);

	/* VMXON: address and revision checks, VMfailInvalid (no VMCS yet). */
	rpv_expect(c, "vmxon.misaligned", rpv_vmxon(vmxon_pa + 0x800), R_INVALID);
	rpv_expect(c, "vmxon.beyond_width", rpv_vmxon(vmxon_pa | beyond), R_INVALID);
	*(u32 *)c->badrev = (rev + 1) & 0x7fffffff;
	rpv_expect(c, "vmxon.bad_revision", rpv_vmxon(bad_pa), R_INVALID);
	*(u32 *)c->badrev = rev | BIT(31);
	rpv_expect(c, "vmxon.revision_bit31", rpv_vmxon(bad_pa), R_INVALID);
	r = rpv_vmxon(vmxon_pa);
	if (!rpv_expect(c, "vmxon.ok", r, R_OK)) {
		c->aborted = true;
		return;
	}
	c->in_vmx = true;

	/* In VMX root operation, no current VMCS: VMfail is VMfailInvalid. */
	rpv_expect(c, "vmxon.again_no_vmcs", rpv_vmxon(vmxon_pa), R_INVALID);
	v = 0;
	r = rpv_vmptrst(&v);
	rpv_expect_ptr(c, "vmptrst.no_vmcs", r, v, ~0ULL, "none (~0)");
	rpv_expect(c, "vmread.no_vmcs", rpv_vmread(GUEST_RIP, &v), R_INVALID);
	rpv_expect(c, "vmwrite.no_vmcs", rpv_vmwrite(GUEST_RIP, 0), R_INVALID);
	rpv_expect(c, "vmlaunch.no_vmcs", rpv_vmentry_nohost(false, false), R_INVALID);
	rpv_expect(c, "vmresume.no_vmcs", rpv_vmentry_nohost(true, false), R_INVALID);
	rpv_expect(c, "vmclear.misaligned_no_vmcs", rpv_vmclear(a_pa + 0x800), R_INVALID);
	rpv_expect(c, "vmclear.vmxon_ptr_no_vmcs", rpv_vmclear(vmxon_pa), R_INVALID);
	rpv_expect(c, "vmptrld.vmxon_ptr_no_vmcs", rpv_vmptrld(vmxon_pa), R_INVALID);
	ept = rpv_has_invept(k) ? R_INVALID : R_UD;
	rpv_expect(c, "invept.type0_no_vmcs", rpv_invept(0, 0), ept);
	ept = rpv_has_invvpid(k) ? R_INVALID : R_UD;
	rpv_expect(c, "invvpid.type4_no_vmcs", rpv_invvpid(4, 1, 0), ept);

	/* A current VMCS: the same failures are VMfailValid with their numbers. */
	rpv_expect(c, "vmclear.a", rpv_vmclear(a_pa), R_OK);
	if (!rpv_expect(c, "vmptrld.a", rpv_vmptrld(a_pa), R_OK)) {
		c->aborted = true;
		return;
	}
	v = 0;
	r = rpv_vmptrst(&v);
	rpv_expect_ptr(c, "vmptrst.current", r, v, a_pa, "VMCS A");
	rpv_expect(c, "vmxon.again", rpv_vmxon(vmxon_pa),
		   R_VALID(VMXERR_VMXON_IN_VMX_ROOT_OPERATION));
	rpv_expect(c, "vmclear.misaligned", rpv_vmclear(b_pa + 0x800),
		   R_VALID(VMXERR_VMCLEAR_INVALID_ADDRESS));
	rpv_expect(c, "vmclear.beyond_width", rpv_vmclear(b_pa | beyond),
		   R_VALID(VMXERR_VMCLEAR_INVALID_ADDRESS));
	rpv_expect(c, "vmclear.vmxon_ptr", rpv_vmclear(vmxon_pa),
		   R_VALID(VMXERR_VMCLEAR_VMXON_POINTER));
	rpv_expect(c, "vmptrld.misaligned", rpv_vmptrld(b_pa + 0x800),
		   R_VALID(VMXERR_VMPTRLD_INVALID_ADDRESS));
	rpv_expect(c, "vmptrld.beyond_width", rpv_vmptrld(b_pa | beyond),
		   R_VALID(VMXERR_VMPTRLD_INVALID_ADDRESS));
	rpv_expect(c, "vmptrld.vmxon_ptr", rpv_vmptrld(vmxon_pa),
		   R_VALID(VMXERR_VMPTRLD_VMXON_POINTER));
	*(u32 *)c->badrev = (rev + 1) & 0x7fffffff;
	rpv_expect(c, "vmptrld.bad_revision", rpv_vmptrld(bad_pa),
		   R_VALID(VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID));
	v = 0;
	r = rpv_vmptrst(&v);
	rpv_expect_ptr(c, "vmptrst.after_failures", r, v, a_pa, "VMCS A");
	rpv_shadow(c, a_pa, rev);

	rpv_vmread_vmwrite(c);

	/* VMCLEAR of the current VMCS: no current VMCS, the data kept in memory. */
	rpv_expect(c, "vmclear.current", rpv_vmclear(a_pa), R_OK);
	v = 0;
	r = rpv_vmptrst(&v);
	rpv_expect_ptr(c, "vmptrst.after_vmclear", r, v, ~0ULL, "none (~0)");
	rpv_expect(c, "vmread.after_vmclear", rpv_vmread(GUEST_ES_LIMIT, &v), R_INVALID);
	rpv_expect(c, "vmptrld.reload", rpv_vmptrld(a_pa), R_OK);
	r = rpv_vmread(GUEST_ES_LIMIT, &v);
	rpv_expect_val(c, "vmread.kept_across_vmclear", r, v, 0x13572468);

	rpv_save_host(c);
	rpv_build_ept(c);
	if (rpv_check(c, "l2.caps", rpv_l2_caps(k),
		      "EPT 4-level, VPID, unrestricted guest, HLT/IO/NMI exiting")) {
		rpv_entry_failures(c, b_pa);
		rpv_expect(c, "vmptrld.a_for_l2", rpv_vmptrld(a_pa), R_OK);
		rpv_expect(c, "vmclear.a_for_l2", rpv_vmclear(a_pa), R_OK);
		rpv_expect(c, "vmptrld.a_clear", rpv_vmptrld(a_pa), R_OK);
		rpv_l2(c);
	}
	rpv_invalidations(c);

	/* CR4.VMXE cannot be cleared in VMX operation (SDM 23.8). */
	r = rpv_write_cr4(__read_cr4() & ~X86_CR4_VMXE);
	rpv_expect(c, "cr4.clear_vmxe_in_vmx", r, R_GP);
	if (r == R_OK)
		rpv_write_cr4(__read_cr4() | X86_CR4_VMXE);
	rpv_expect(c, "vmclear.a_end", rpv_vmclear(a_pa), R_OK);
	r = rpv_vmxoff();
	rpv_expect(c, "vmxoff.ok", r, R_OK);
	if (r == R_OK)
		c->in_vmx = false;
	rpv_expect(c, "vmxoff.again", rpv_vmxoff(), R_UD);
}

/* ---- per CPU ------------------------------------------------------------------ */

static void rpv_free_pages(struct rpv_cpu *c)
{
	void *p[] = { c->vmxon, c->vmcs_a, c->vmcs_b, c->badrev, c->shadow, c->pml4,
		      c->pdpt, c->pd, c->pt, c->code, c->data, c->late };
	int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		free_page((unsigned long)p[i]);
}

static int rpv_alloc_pages(struct rpv_cpu *c)
{
	void **p[] = { &c->vmxon, &c->vmcs_a, &c->vmcs_b, &c->badrev, &c->shadow,
		       (void **)&c->pml4, (void **)&c->pdpt, (void **)&c->pd,
		       (void **)&c->pt, (void **)&c->code, (void **)&c->data,
		       (void **)&c->late };
	int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		*p[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!*p[i])
			return -ENOMEM;
	}
	memcpy(c->code, l2_code, sizeof(l2_code));
	memcpy(c->code + ATTACK_OFF, l2_attack, sizeof(l2_attack));
	return 0;
}

/* Leave VMX operation and put CR4 back, whatever state the sequence left. */
static void rpv_leave(struct rpv_cpu *c)
{
	if (c->in_vmx)
		rpv_vmxoff();
	c->in_vmx = false;
	if (c->vmxe_set)
		cr4_clear_bits(X86_CR4_VMXE);
	c->vmxe_set = false;
}

static long rpv_cpu_fn(void *arg)
{
	struct rpv_cpu *c = arg;
	struct rpv_caps *k = &c->k;
	unsigned long flags, cr4;

	c->cpu = smp_processor_id();
	rpv_read_caps(c);
	rpv_check(c, "cpuid.vmx", k->cpuid_vmx, "CPUID.1:ECX[5]=%d", k->cpuid_vmx);
	rpv_check(c, "feature_control",
		  (k->feat_ctl & (FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) ==
		  (FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX),
		  "locked=%d outside_smx=%d", !!(k->feat_ctl & FEAT_CTL_LOCKED),
		  !!(k->feat_ctl & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX));
	rpv_check(c, "basic", !(k->basic & BIT(31)) && (k->basic & 0x7fffffff) &&
		  RPV_BASIC_SIZE(k->basic) && RPV_BASIC_SIZE(k->basic) <= PAGE_SIZE,
		  "revision bit 31 clear, region %llu bytes", RPV_BASIC_SIZE(k->basic));
	rpv_check(c, "cr0.fixed", rpv_fixed_ok(native_read_cr0(), k->cr0_f0, k->cr0_f1),
		  "the kernel's CR0 is allowed in VMX operation");
	rpv_check(c, "cr4.fixed",
		  rpv_fixed_ok(__read_cr4() | X86_CR4_VMXE, k->cr4_f0, k->cr4_f1),
		  "the kernel's CR4 with VMXE is allowed in VMX operation");
	if (!k->cpuid_vmx || c->nres != 5 || c->res[1].state || c->res[2].state ||
	    c->res[3].state || c->res[4].state) {
		c->aborted = true;
		return 0;
	}
	local_irq_save(flags);
	rpv_sequence(c);
	rpv_leave(c);
	cr4 = __read_cr4();
	local_irq_restore(flags);
	rpv_check(c, "cr4.restored", cr4 == c->cr4_orig || c->aborted, "VMXE=%d",
		  !!(cr4 & X86_CR4_VMXE));
	return 0;
}

/* ---- the attacks (attack=...) -------------------------------------------------- */

static bool rpv_attack_caps(struct rpv_cpu *c)
{
	struct rpv_caps *k = &c->k;

	return k->cpuid_vmx && (k->feat_ctl & FEAT_CTL_LOCKED) &&
	       (k->feat_ctl & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX) && rpv_l2_caps(k);
}

/* The bogus LSTAR of exit_msr_lstar: canonical, and easy to spot. */
#define RPV_BOGUS_LSTAR		0xffffffff8badc0deULL
/* The MSR-store entry msrlist_root plants: index and value both MSR_STAR. */
#define RPV_PLANT		((u64)MSR_STAR)
/* How much of each given root chunk msrlist_root searches for it. */
#define RPV_CHUNK_SPAN		(4 * PAGE_SIZE)
/* Up to this many physical addresses in pa=. */
#define RPV_MAX_PA		16

static const u32 rpv_cr3_targets[] = {
	CR3_TARGET_VALUE0, CR3_TARGET_VALUE1, CR3_TARGET_VALUE2, CR3_TARGET_VALUE3,
};

struct rpv_attack;

/* One attack: @go runs on the filled VMCS A, L2 not yet launched. */
struct rpv_attack_def {
	const char *name;
	void (*go)(struct rpv_attack *a);
	u64 bit;			/* host_cr*: the bit HOST_CR0/CR4 lacks */
	bool cr4;
};

struct rpv_attack {
	struct rpv_cpu *c;
	const struct rpv_attack_def *def;
	u8 *target;			/* ept_*: the byte L2 flips */
	u64 target_pa;
	const char *what;		/* the target, as the line names it */
	unsigned long cr4;		/* CR4 when the VMCS was filled */
	char line[200];
};

static unsigned long rpv_pa[RPV_MAX_PA];
static int npa;
module_param_array_named(pa, rpv_pa, ulong, &npa, 0444);
MODULE_PARM_DESC(pa, "physical addresses for ept_phys, link_root, msrlist_root, msrbitmap_root (none: a page of the module's own)");

/* A byte through the kernel's mapping, -1 if it cannot be read. */
static int rpv_peek(const void *p)
{
	u8 b;

	return copy_from_kernel_nofault(&b, p, 1) ? -1 : b;
}

static int rpv_write_cr0(unsigned long v)
{
	int trap = -1;

	asm volatile("1: mov %[v], %%cr0\n2:\n" _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(trap) : [v] "r"(v) : "memory");
	return trap < 0 ? R_OK : R_FAULT(trap);
}

/* VMLAUNCH; the exit reason, or -1 for none (the entry failed). */
static int rpv_attack_launch(struct rpv_cpu *c)
{
	return rpv_run(c, true) == R_EXIT ? (int)rpv_rd(VM_EXIT_REASON) : -1;
}

/*
 * ept_rodata, ept_text, ept_phys: L2's EPT maps the target's page
 * writable; L2 reads the byte, writes its complement (HLT), then writes
 * the original back (HLT).
 */
static void rpv_att_ept(struct rpv_attack *a)
{
	struct rpv_cpu *c = a->c;
	int before = rpv_peek(a->target), during, after, e2 = -1, e1;
	const char *err = "none";

	rpv_ept_map(c, GPA_TARGET, a->target_pa & PAGE_MASK, EPT_R | EPT_W);
	rpv_vmwrite(GUEST_RIP, GPA_CODE + ATTACK_OFF);
	c->g.r[G_SI] = GPA_TARGET + (a->target_pa & ~PAGE_MASK);
	e1 = rpv_attack_launch(c);
	during = rpv_peek(a->target);
	if (e1 == EXIT_REASON_HLT) {
		rpv_skip_insn();
		e2 = rpv_run(c, false) == R_EXIT ? (int)rpv_rd(VM_EXIT_REASON) : -1;
	} else {
		err = "first_exit";
	}
	after = rpv_peek(a->target);
	snprintf(a->line, sizeof(a->line),
		 "target=%s cpu%d exit1=%d written=%d exit2=%d restored=%d error=%s",
		 a->what, c->cpu, e1, before >= 0 && during == (u8)~before, e2,
		 before >= 0 && after == before, err);
}

/*
 * host_cr0_wp, host_cr4_smep, host_cr4_smap: vmcs12's host CR0 or CR4
 * lacks the bit; after L2's exit (HLT), is it clear? Put back at once.
 */
static void rpv_att_host_cr(struct rpv_attack *a)
{
	struct rpv_cpu *c = a->c;
	const struct rpv_attack_def *d = a->def;
	unsigned long was = d->cr4 ? a->cr4 : native_read_cr0(), now;
	const char *err = "none";
	int e1, put = R_OK;

	if (!(was & d->bit)) {
		snprintf(a->line, sizeof(a->line), "cpu%d error=bit_not_set", c->cpu);
		return;
	}
	rpv_vmwrite(d->cr4 ? HOST_CR4 : HOST_CR0, was & ~d->bit);
	e1 = rpv_attack_launch(c);
	now = d->cr4 ? __read_cr4() : native_read_cr0();
	if (!(now & d->bit))
		put = d->cr4 ? rpv_write_cr4(now | d->bit) : rpv_write_cr0(now | d->bit);
	if (put != R_OK)
		err = "restore_failed";
	else if (e1 != EXIT_REASON_HLT)
		err = "first_exit";
	snprintf(a->line, sizeof(a->line), "cpu%d exit1=%d cleared=%d restored=%d error=%s",
		 c->cpu, e1, !(now & d->bit),
		 !!((d->cr4 ? __read_cr4() : native_read_cr0()) & d->bit), err);
}

/* exit_msr_lstar: vmcs12's VM-exit MSR-load list loads a bogus LSTAR. */
static void rpv_att_exit_msr(struct rpv_attack *a)
{
	struct rpv_cpu *c = a->c;
	u64 *list = (u64 *)c->late, was, now, fin;
	int e1;

	rdmsrl(MSR_LSTAR, was);
	list[0] = MSR_LSTAR;		/* index, reserved 0 (SDM Table 25-15) */
	list[1] = RPV_BOGUS_LSTAR;
	rpv_vmwrite(VM_EXIT_MSR_LOAD_ADDR, virt_to_phys(list));
	rpv_vmwrite(VM_EXIT_MSR_LOAD_COUNT, 1);
	e1 = rpv_attack_launch(c);
	rdmsrl(MSR_LSTAR, now);
	if (now != was)
		wrmsrl(MSR_LSTAR, was);
	rdmsrl(MSR_LSTAR, fin);
	snprintf(a->line, sizeof(a->line), "cpu%d exit1=%d loaded=%d restored=%d error=%s",
		 c->cpu, e1, now == RPV_BOGUS_LSTAR, fin == was,
		 e1 == EXIT_REASON_HLT ? "none" : "first_exit");
}

/* vmxoff_smep: L2 runs, then VMXOFF; then a MOV to CR4 without SMEP. */
static void rpv_att_vmxoff(struct rpv_attack *a)
{
	struct rpv_cpu *c = a->c;
	int e1 = rpv_attack_launch(c);

	snprintf(a->line, sizeof(a->line), "cpu%d exit1=%d", c->cpu, e1);
}

/* After rpv_leave(): VMX is off, CR4.VMXE clear, interrupts still off. */
static void rpv_att_vmxoff_after(struct rpv_attack *a)
{
	unsigned long was = __read_cr4(), now;
	char w[24];
	int r;
	size_t n = strlen(a->line);

	if (!(was & X86_CR4_SMEP)) {
		snprintf(a->line + n, sizeof(a->line) - n, " error=bit_not_set");
		return;
	}
	r = rpv_write_cr4(was & ~X86_CR4_SMEP);
	now = __read_cr4();
	if (!(now & X86_CR4_SMEP))
		rpv_write_cr4(was);
	rpv_rstr(w, sizeof(w), r);
	snprintf(a->line + n, sizeof(a->line) - n,
		 " write=%s cleared=%d restored=%d error=none",
		 r == R_OK ? "done" : w, !(now & X86_CR4_SMEP),
		 !!(__read_cr4() & X86_CR4_SMEP));
}

/*
 * link_root: VMCS_LINK_POINTER at a given page (the first of pa= that
 * holds this CPU's VMCS revision identifier, else rpv_pa[0]) or at a page of
 * the module's own with the identifier; VMLAUNCH. The SDM (27.3.1.5)
 * checks a link pointer other than ~0 against the identifier in memory.
 */
static void rpv_att_link(struct rpv_attack *a)
{
	struct rpv_cpu *c = a->c;
	u32 rev = c->k.basic & 0x7fffffff, got = 0;
	u64 link = virt_to_phys(c->shadow);
	bool has_rev = true;
	int i, e1;

	*(u32 *)c->shadow = rev;
	if (npa) {
		link = rpv_pa[0] & PAGE_MASK;
		has_rev = false;
		for (i = 0; i < npa; i++) {
			if (copy_from_kernel_nofault(&got, phys_to_virt(rpv_pa[i] & PAGE_MASK),
						     sizeof(got)) || got != rev)
				continue;
			link = rpv_pa[i] & PAGE_MASK;
			has_rev = true;
			break;
		}
	}
	rpv_vmwrite(VMCS_LINK_POINTER, link);
	e1 = rpv_attack_launch(c);
	snprintf(a->line, sizeof(a->line), "link=%s rev=%d cpu%d exit1=%#x error=none",
		 npa ? "given" : "own", has_rev, c->cpu, (u32)e1);
}

/*
 * Where in the given root memory a VMWRITE of RPV_PLANT to the four
 * CR3-target values landed: root's copy of vmcs12. The address of a
 * 16-byte-aligned MSR-list entry there that reads {MSR_STAR, 0, MSR_STAR},
 * or 0.
 */
static u64 rpv_find_plant(void)
{
	u64 q[4], at;
	int i;

	for (i = 0; i < npa; i++) {
		for (at = rpv_pa[i] & PAGE_MASK; at < (rpv_pa[i] & PAGE_MASK) + RPV_CHUNK_SPAN;
		     at += 8) {
			if (copy_from_kernel_nofault(q, phys_to_virt(at), sizeof(q)))
				break;
			if (q[0] != RPV_PLANT || q[1] != RPV_PLANT || q[2] != RPV_PLANT ||
			    q[3] != RPV_PLANT)
				continue;
			return (at & 8) ? at + 8 : at;
		}
	}
	return 0;
}

/*
 * msrlist_root: vmcs12's VM-exit MSR-store list names one entry that
 * stores MSR_STAR. Natively the list is a page of the module's own; with
 * pa=, it is the entry planted in root's copy of vmcs12 (the CR3-target
 * values, unused with a CR3-target count of 0), found in the given root
 * chunks: root must not write it.
 */
static void rpv_att_msrlist(struct rpv_attack *a)
{
	struct rpv_cpu *c = a->c;
	u64 *own = (u64 *)c->late, list = virt_to_phys(own), star, v, after = 0;
	bool intact = true;
	int i, e1;

	for (i = 0; i < ARRAY_SIZE(rpv_cr3_targets); i++)
		rpv_vmwrite(rpv_cr3_targets[i], RPV_PLANT);
	/*
	 * VMCLEAR and VMPTRLD: under Rampart the VMWRITEs may sit in a shadow
	 * VMCS; this puts them in root's copy of vmcs12, where the search looks.
	 */
	if (rpv_vmclear(virt_to_phys(c->vmcs_a)) != R_OK ||
	    rpv_vmptrld(virt_to_phys(c->vmcs_a)) != R_OK) {
		snprintf(a->line, sizeof(a->line), "cpu%d error=reload", c->cpu);
		return;
	}
	own[0] = RPV_PLANT;
	own[1] = RPV_PLANT;
	if (npa) {
		list = rpv_find_plant();
		if (!list) {
			snprintf(a->line, sizeof(a->line),
				 "list=given found=0 cpu%d error=no_plant", c->cpu);
			return;
		}
	}
	rpv_vmwrite(VM_EXIT_MSR_STORE_ADDR, list);
	rpv_vmwrite(VM_EXIT_MSR_STORE_COUNT, 1);
	e1 = rpv_attack_launch(c);
	rdmsrl(MSR_STAR, star);
	if (copy_from_kernel_nofault(&after, phys_to_virt(list + 8), sizeof(after)))
		after = RPV_PLANT;
	for (i = 0; i < ARRAY_SIZE(rpv_cr3_targets); i++)
		intact &= rpv_vmread(rpv_cr3_targets[i], &v) == R_OK && v == RPV_PLANT;
	snprintf(a->line, sizeof(a->line),
		 "list=%s found=1 cpu%d exit1=%d stored=%d vmcs12_intact=%d error=%s",
		 npa ? "given" : "own", c->cpu, e1, after == star && after != RPV_PLANT,
		 intact, e1 == EXIT_REASON_HLT ? "none" : "first_exit");
}

/*
 * msrbitmap_root: vmcs12 uses an MSR bitmap at a given page (the first of
 * pa=), or at a page of the module's own (all zeros: no MSR exits). The
 * CPU reads that page on every L2 MSR access; root must not read root
 * memory for L1, so it fails the VMLAUNCH (VMfailValid 7). Natively, and
 * with the module's page, L2 runs to its HLT (exit1=12).
 */
static void rpv_att_msrbitmap(struct rpv_attack *a)
{
	struct rpv_cpu *c = a->c;
	u64 bitmap = npa ? rpv_pa[0] & PAGE_MASK : virt_to_phys(c->late);
	u64 proc = 0;
	int e1;

	if (!npa)
		memset(c->late, 0, PAGE_SIZE);
	rpv_vmread(CPU_BASED_VM_EXEC_CONTROL, &proc);
	rpv_vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc | CPU_BASED_USE_MSR_BITMAPS);
	rpv_vmwrite(MSR_BITMAP, bitmap);
	e1 = rpv_attack_launch(c);
	snprintf(a->line, sizeof(a->line), "bitmap=%s cpu%d exit1=%d error=%s",
		 npa ? "given" : "own", c->cpu, e1,
		 e1 >= 0 ? "none" : e1 == -1 && (rpv_insn_error() & 0xff) == 7 ?
		 "vmfail7" : "vmfail");
}

static const struct rpv_attack_def rpv_attacks[] = {
	{ "ept_rodata", rpv_att_ept },
	{ "ept_text", rpv_att_ept },
	{ "ept_phys", rpv_att_ept },
	{ "host_cr0_wp", rpv_att_host_cr, X86_CR0_WP, false },
	{ "host_cr4_smep", rpv_att_host_cr, X86_CR4_SMEP, true },
	{ "host_cr4_smap", rpv_att_host_cr, X86_CR4_SMAP, true },
	{ "exit_msr_lstar", rpv_att_exit_msr },
	{ "vmxoff_smep", rpv_att_vmxoff },
	{ "link_root", rpv_att_link },
	{ "msrlist_root", rpv_att_msrlist },
	{ "msrbitmap_root", rpv_att_msrbitmap },
};

/*
 * On the first online CPU, interrupts off: VMXON, a clear VMCS A, L2 at
 * its HLT (GPA_CODE + 0x35), then the attack's own steps.
 */
static long rpv_attack_fn(void *arg)
{
	struct rpv_attack *a = arg;
	struct rpv_cpu *c = a->c;
	u64 a_pa = virt_to_phys(c->vmcs_a);
	const char *err = NULL;
	unsigned long flags;

	c->cpu = smp_processor_id();
	rpv_read_caps(c);
	if (!rpv_attack_caps(c)) {
		snprintf(a->line, sizeof(a->line), "cpu%d error=caps (%.150s)", c->cpu,
			 c->caps);
		return 0;
	}
	*(u32 *)c->vmxon = c->k.basic & 0x7fffffff;
	*(u32 *)c->vmcs_a = c->k.basic & 0x7fffffff;
	local_irq_save(flags);
	c->cr4_orig = __read_cr4();
	if (c->cr4_orig & X86_CR4_VMXE) {
		err = "vmxe_already_set";
		goto out;
	}
	cr4_set_bits(X86_CR4_VMXE);
	c->vmxe_set = true;
	if (rpv_vmxon(virt_to_phys(c->vmxon)) != R_OK) {
		err = "vmxon";
		goto out;
	}
	c->in_vmx = true;
	if (rpv_vmclear(a_pa) != R_OK || rpv_vmptrld(a_pa) != R_OK) {
		err = "vmptrld";
		goto out;
	}
	rpv_save_host(c);
	rpv_build_ept(c);
	a->cr4 = __read_cr4();
	rpv_fill(c, GPA_CODE + 0x35);
	if (c->wfail) {
		err = "vmwrite";
		goto out_clear;
	}
	a->def->go(a);
out_clear:
	rpv_vmclear(a_pa);
out:
	rpv_leave(c);
	if (!err && a->def->go == rpv_att_vmxoff)
		rpv_att_vmxoff_after(a);
	local_irq_restore(flags);
	if (err)
		snprintf(a->line, sizeof(a->line), "cpu%d error=%s", c->cpu, err);
	return 0;
}

/* The target of an ept_* attack; false (and a line) if there is none. */
static bool rpv_ept_target(struct rpv_attack *a)
{
	const char *name = a->def->name;
	unsigned long etext;

	if (!strcmp(name, "ept_phys") && npa) {
		/* The last byte of the given page. */
		a->target_pa = rpv_pa[0] | (PAGE_SIZE - 1);
		a->target = phys_to_virt(a->target_pa);
		a->what = "given";
		return true;
	}
	if (!strcmp(name, "ept_rodata")) {
		a->target = (u8 *)rp_lookup("linux_banner");
		a->what = "linux_banner";
	} else if (!strcmp(name, "ept_text")) {
		/*
		 * The last byte of the page _etext ends in: kernel text as
		 * Rampart's policy rounds it (whole pages), never executed.
		 */
		etext = rp_lookup("_etext");
		a->what = "etext_page_end";
		if (etext && offset_in_page(etext))
			a->target = (u8 *)(etext | (PAGE_SIZE - 1));
	} else {
		a->target = a->c->late + PAGE_SIZE - 1;
		a->what = "own";
	}
	if (!a->target) {
		pr_info("attack %s: target=%s error=no_target\n", name, a->what);
		return false;
	}
	a->target_pa = slow_virt_to_phys(a->target);
	return true;
}

static int rpv_attack_run(void)
{
	struct rpv_attack a = {};
	int i, ret = -ENOMEM;

	for (i = 0; i < ARRAY_SIZE(rpv_attacks); i++)
		if (!strcmp(attack, rpv_attacks[i].name))
			a.def = &rpv_attacks[i];
	if (!a.def) {
		pr_info("attack %s: unknown\n", attack);
		return -EINVAL;
	}
	a.c = kvzalloc(sizeof(*a.c), GFP_KERNEL);
	if (!a.c || rpv_alloc_pages(a.c))
		goto out;
	ret = 0;
	if (a.def->go == rpv_att_ept && !rpv_ept_target(&a))
		goto out;
	cpus_read_lock();
	work_on_cpu(cpumask_first(cpu_online_mask), rpv_attack_fn, &a);
	cpus_read_unlock();
	pr_info("attack %s: %s\n", a.def->name, a.line);
out:
	if (a.c)
		rpv_free_pages(a.c);
	kvfree(a.c);
	return ret;
}

static const char *const rpv_state[] = { "ok", "not ok", "skip" };

static int __init rp_vmx_init(void)
{
	struct rpv_cpu **cs, *c;
	int cpu, i, n = 0, ok = 0, bad = 0, skip = 0, nmis = 0, aborted = 0;
	int ret = -ENOMEM;

	if (attack[0])
		return rpv_attack_run();
	cs = kcalloc(nr_cpu_ids, sizeof(*cs), GFP_KERNEL);
	if (!cs)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		cs[cpu] = kvzalloc(sizeof(*c), GFP_KERNEL);
		if (!cs[cpu] || rpv_alloc_pages(cs[cpu]))
			goto out;
	}
	cpus_read_lock();
	for_each_online_cpu(cpu)
		if (cs[cpu])
			work_on_cpu(cpu, rpv_cpu_fn, cs[cpu]);
	cpus_read_unlock();

	for_each_online_cpu(cpu) {
		c = cs[cpu];
		if (!c)
			continue;
		/* Every CPU must offer the same VMX (the first one's). */
		rpv_check(c, "caps.same_on_all_cpus",
			  !strcmp(c->caps, cs[cpumask_first(cpu_online_mask)]->caps),
			  "as cpu%u", cpumask_first(cpu_online_mask));
		pr_info("cpu%d caps %s\n", c->cpu, c->caps);
		for (i = 0; i < c->nres; i++) {
			pr_info("cpu%d %s %s %s\n", c->cpu, rpv_state[c->res[i].state],
				c->res[i].name, c->res[i].detail);
			ok += c->res[i].state == 0;
			bad += c->res[i].state == 1;
			skip += c->res[i].state == 2;
		}
		aborted += c->aborted;
		nmis += c->nmis;
		n++;
	}
	pr_info("done cpus=%d checks=%d ok=%d not_ok=%d skip=%d nmis=%d aborted=%d\n",
		n, ok + bad + skip, ok, bad, skip, nmis, aborted);
	ret = 0;
out:
	for_each_online_cpu(cpu) {
		if (cs[cpu])
			rpv_free_pages(cs[cpu]);
		kvfree(cs[cpu]);
	}
	kfree(cs);
	return ret;
}

static void __exit rp_vmx_exit(void)
{
}

module_init(rp_vmx_init);
module_exit(rp_vmx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: the architectural behaviour of every VMX instruction, as L1");
