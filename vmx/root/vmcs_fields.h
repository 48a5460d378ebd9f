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

#include "caps.h"

/* Each field's index in struct rampart_vmcs_img: RP_<name>. */
enum rampart_vmcs_id {
#define RP_VMCS_FIELD(x) RP_##x,
#define RP_VMCS_GATED_FIELD(x, ctl, bit) RP_##x,
#include "vmcs_field_table.h"
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

/* Access rights (SDM 25.4.1 Table 25-2): the kernel's VMX_AR_* names. */

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
extern const u16 rampart_ctl_field[RAMPART_CTL_NR];

/* Does field @i exist in a VMCS whose controls are those of @img? */
static __always_inline bool rampart_vmcs_present(const struct rampart_vmcs_img *img,
						 unsigned int i)
{
	const struct rampart_vmcs_gate *g = &rampart_vmcs_gate[i];

	return !g->bit || (img->v[g->ctl] & g->bit);
}

#endif /* RAMPART_VMX_VMCS_FIELDS_H */
