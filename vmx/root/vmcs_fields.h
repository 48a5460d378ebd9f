/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMCS fields Rampart writes, as one table (DESIGN.md principle 6).
 * Encodings are the kernel's enum vmcs_field (asm/vmx.h, SDM Vol. 3D
 * Appendix B). A launch first builds a struct rampart_vmcs_img in memory,
 * checks it against the SDM's VM-entry rules (vmx/check.c), then writes it.
 */
#ifndef RAMPART_VMX_VMCS_FIELDS_H
#define RAMPART_VMX_VMCS_FIELDS_H

#include <linux/types.h>
#include <asm/vmx.h>

#define RAMPART_VMCS_FIELDS(F)						\
	/* VM-execution, exit and entry controls, SDM 25.6-25.8 */	\
	F(PIN_BASED_VM_EXEC_CONTROL)					\
	F(CPU_BASED_VM_EXEC_CONTROL)					\
	F(SECONDARY_VM_EXEC_CONTROL)					\
	F(VM_EXIT_CONTROLS)						\
	F(VM_ENTRY_CONTROLS)						\
	F(EXCEPTION_BITMAP)						\
	F(PAGE_FAULT_ERROR_CODE_MASK)					\
	F(PAGE_FAULT_ERROR_CODE_MATCH)					\
	F(CR3_TARGET_COUNT)						\
	F(VM_EXIT_MSR_STORE_COUNT)					\
	F(VM_EXIT_MSR_LOAD_COUNT)					\
	F(VM_ENTRY_MSR_LOAD_COUNT)					\
	F(VM_EXIT_MSR_STORE_ADDR)					\
	F(VM_EXIT_MSR_LOAD_ADDR)					\
	F(VM_ENTRY_MSR_LOAD_ADDR)					\
	F(VM_ENTRY_INTR_INFO_FIELD)					\
	F(VM_ENTRY_EXCEPTION_ERROR_CODE)				\
	F(VM_ENTRY_INSTRUCTION_LEN)					\
	F(CR0_GUEST_HOST_MASK)						\
	F(CR4_GUEST_HOST_MASK)						\
	F(CR0_READ_SHADOW)						\
	F(CR4_READ_SHADOW)						\
	F(MSR_BITMAP)							\
	F(IO_BITMAP_A)							\
	F(IO_BITMAP_B)							\
	F(EPT_POINTER)							\
	F(VIRTUAL_PROCESSOR_ID)						\
	F(VMCS_LINK_POINTER)						\
	F(TSC_OFFSET)							\
	/* Host-state area, SDM 25.5 */					\
	F(HOST_CR0)							\
	F(HOST_CR3)							\
	F(HOST_CR4)							\
	F(HOST_RSP)							\
	F(HOST_RIP)							\
	F(HOST_ES_SELECTOR)						\
	F(HOST_CS_SELECTOR)						\
	F(HOST_SS_SELECTOR)						\
	F(HOST_DS_SELECTOR)						\
	F(HOST_FS_SELECTOR)						\
	F(HOST_GS_SELECTOR)						\
	F(HOST_TR_SELECTOR)						\
	F(HOST_FS_BASE)							\
	F(HOST_GS_BASE)							\
	F(HOST_TR_BASE)							\
	F(HOST_GDTR_BASE)						\
	F(HOST_IDTR_BASE)						\
	F(HOST_IA32_SYSENTER_CS)					\
	F(HOST_IA32_SYSENTER_ESP)					\
	F(HOST_IA32_SYSENTER_EIP)					\
	F(HOST_IA32_EFER)						\
	F(HOST_IA32_PAT)						\
	/* Guest-state area, SDM 25.4 */				\
	F(GUEST_CR0)							\
	F(GUEST_CR3)							\
	F(GUEST_CR4)							\
	F(GUEST_DR7)							\
	F(GUEST_RSP)							\
	F(GUEST_RIP)							\
	F(GUEST_RFLAGS)							\
	F(GUEST_ES_SELECTOR) F(GUEST_ES_BASE) F(GUEST_ES_LIMIT) F(GUEST_ES_AR_BYTES) \
	F(GUEST_CS_SELECTOR) F(GUEST_CS_BASE) F(GUEST_CS_LIMIT) F(GUEST_CS_AR_BYTES) \
	F(GUEST_SS_SELECTOR) F(GUEST_SS_BASE) F(GUEST_SS_LIMIT) F(GUEST_SS_AR_BYTES) \
	F(GUEST_DS_SELECTOR) F(GUEST_DS_BASE) F(GUEST_DS_LIMIT) F(GUEST_DS_AR_BYTES) \
	F(GUEST_FS_SELECTOR) F(GUEST_FS_BASE) F(GUEST_FS_LIMIT) F(GUEST_FS_AR_BYTES) \
	F(GUEST_GS_SELECTOR) F(GUEST_GS_BASE) F(GUEST_GS_LIMIT) F(GUEST_GS_AR_BYTES) \
	F(GUEST_LDTR_SELECTOR) F(GUEST_LDTR_BASE) F(GUEST_LDTR_LIMIT) F(GUEST_LDTR_AR_BYTES) \
	F(GUEST_TR_SELECTOR) F(GUEST_TR_BASE) F(GUEST_TR_LIMIT) F(GUEST_TR_AR_BYTES) \
	F(GUEST_GDTR_BASE)						\
	F(GUEST_GDTR_LIMIT)						\
	F(GUEST_IDTR_BASE)						\
	F(GUEST_IDTR_LIMIT)						\
	F(GUEST_IA32_DEBUGCTL)						\
	F(GUEST_IA32_EFER)						\
	F(GUEST_IA32_PAT)						\
	F(GUEST_SYSENTER_CS)						\
	F(GUEST_SYSENTER_ESP)						\
	F(GUEST_SYSENTER_EIP)						\
	F(GUEST_ACTIVITY_STATE)						\
	F(GUEST_INTERRUPTIBILITY_INFO)					\
	F(GUEST_PENDING_DBG_EXCEPTIONS)

/*
 * Fields that exist only on CPUs with a control (SDM 25.4.2, Appendix B):
 * G(field, control word, control bit). They are written, read and checked
 * only while that control is 1 in the image; they follow the others, so a
 * control word always comes before the fields it gates.
 */
#define RAMPART_VMCS_GATED_FIELDS(G)					\
	G(GUEST_IA32_RTIT_CTL, VM_ENTRY_CONTROLS, VM_ENTRY_LOAD_IA32_RTIT_CTL)

enum rampart_vmcs_id {
#define RAMPART_VMCS_ID(x) RP_##x,
#define RAMPART_VMCS_GATED_ID(x, ctl, bit) RP_##x,
	RAMPART_VMCS_FIELDS(RAMPART_VMCS_ID)
	RAMPART_VMCS_GATED_FIELDS(RAMPART_VMCS_GATED_ID)
#undef RAMPART_VMCS_GATED_ID
#undef RAMPART_VMCS_ID
	RP_VMCS_NR,
};

/* The eight guest segment registers, SDM 25.4.1, in VMCS order. */
enum rampart_seg {
	RP_SEG_ES, RP_SEG_CS, RP_SEG_SS, RP_SEG_DS, RP_SEG_FS, RP_SEG_GS,
	RP_SEG_LDTR, RP_SEG_TR, RP_SEG_NR,
};

/* Selector, base, limit and access rights of segment @s are consecutive. */
#define RP_SEG_SELECTOR(s)	(RP_GUEST_ES_SELECTOR + 4 * (s))
#define RP_SEG_BASE(s)		(RP_SEG_SELECTOR(s) + 1)
#define RP_SEG_LIMIT(s)		(RP_SEG_SELECTOR(s) + 2)
#define RP_SEG_AR(s)		(RP_SEG_SELECTOR(s) + 3)

/* Access-rights format, SDM 25.4.1 Table 25-2. */
#define RP_AR_TYPE(ar)		((ar) & 0xf)
#define RP_AR_S			BIT(4)
#define RP_AR_DPL(ar)		(((ar) >> 5) & 3)
#define RP_AR_P			BIT(7)
#define RP_AR_L			BIT(13)
#define RP_AR_DB		BIT(14)
#define RP_AR_G			BIT(15)
#define RP_AR_UNUSABLE		BIT(16)

struct rampart_vmcs_img {
	u64 v[RP_VMCS_NR];
};

/* A field's gate: present while img->v[ctl] & bit; bit 0 means always. */
struct rampart_vmcs_gate {
	u16 ctl;
	u32 bit;
};

extern const unsigned long rampart_vmcs_enc[RP_VMCS_NR];
extern const char *const rampart_vmcs_name[RP_VMCS_NR];
extern const struct rampart_vmcs_gate rampart_vmcs_gate[RP_VMCS_NR];

/* Does field @i exist in a VMCS whose controls are those of @img? */
static __always_inline bool rampart_vmcs_present(const struct rampart_vmcs_img *img,
						 unsigned int i)
{
	const struct rampart_vmcs_gate *g = &rampart_vmcs_gate[i];

	return !g->bit || (img->v[g->ctl] & g->bit);
}

#endif /* RAMPART_VMX_VMCS_FIELDS_H */
