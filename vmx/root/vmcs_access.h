/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Root's VMCS accessors (root side only). Each checks at build time that a
 * constant field has the width the accessor moves: bits 14:13 of the
 * encoding, SDM Vol. 3C 25.11.2 / Appendix B. A VMREAD or VMWRITE that
 * fails (VMfail, SDM 31.2) is counted on this CPU and the first one is
 * reported naming the field (vmx/root/vmcs_access.c); a failed read yields
 * 0. The control words root changes at run time are cached per CPU, so a
 * read-modify-write needs no VMREAD.
 */
#ifndef RAMPART_VMX_ROOT_VMCS_ACCESS_H
#define RAMPART_VMX_ROOT_VMCS_ACCESS_H

#ifndef RAMPART_ROOT
#error "root objects only (-DRAMPART_ROOT); the kernel side uses ops.h"
#endif

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/types.h>

#include "ops.h"
#include "vcpu.h"

/* Field widths by encoding bits 14:13 (SDM Vol. 3C 25.11.2). */
enum {
	RP_VMCS_W16 = 0,
	RP_VMCS_W64 = 1,
	RP_VMCS_W32 = 2,
	RP_VMCS_WNAT = 3,
};

#define RP_VMCS_WIDTH(f)	(((f) >> 13) & 3)
/* Bit 0 selects the high half of a 64-bit field: never wanted on x86-64. */
#define RP_VMCS_HIGH(f)		((f) & 1)

#define rp_vmcs_check(f, w)						\
	BUILD_BUG_ON_MSG(__builtin_constant_p(f) &&			\
			 (RP_VMCS_WIDTH(f) != (w) || RP_VMCS_HIGH(f)),	\
			 "VMCS field accessed with the wrong width")

void rampart_vmcs_failed(unsigned long field, bool write);

static __always_inline u64 __rp_vmread(unsigned long field)
{
	u64 val;

	if (unlikely(rp_vmread_insn(field, &val))) {
		rampart_vmcs_failed(field, false);
		return 0;
	}
	return val;
}

static __always_inline void __rp_vmwrite(unsigned long field, u64 val)
{
	if (unlikely(rp_vmwrite_insn(field, val)))
		rampart_vmcs_failed(field, true);
}

static __always_inline u16 rp_vmread16(unsigned long f)
{
	rp_vmcs_check(f, RP_VMCS_W16);
	return __rp_vmread(f);
}

static __always_inline u32 rp_vmread32(unsigned long f)
{
	rp_vmcs_check(f, RP_VMCS_W32);
	return __rp_vmread(f);
}

static __always_inline u64 rp_vmread64(unsigned long f)
{
	rp_vmcs_check(f, RP_VMCS_W64);
	return __rp_vmread(f);
}

static __always_inline unsigned long rp_vmreadl(unsigned long f)
{
	rp_vmcs_check(f, RP_VMCS_WNAT);
	return __rp_vmread(f);
}

static __always_inline void rp_vmwrite16(unsigned long f, u16 val)
{
	rp_vmcs_check(f, RP_VMCS_W16);
	__rp_vmwrite(f, val);
}

static __always_inline void rp_vmwrite32(unsigned long f, u32 val)
{
	rp_vmcs_check(f, RP_VMCS_W32);
	__rp_vmwrite(f, val);
}

static __always_inline void rp_vmwrite64(unsigned long f, u64 val)
{
	rp_vmcs_check(f, RP_VMCS_W64);
	__rp_vmwrite(f, val);
}

static __always_inline void rp_vmwritel(unsigned long f, unsigned long val)
{
	rp_vmcs_check(f, RP_VMCS_WNAT);
	__rp_vmwrite(f, val);
}

/* Any field by a run-time encoding (tables of fields, the entry checker). */
static __always_inline u64 rp_vmread_any(unsigned long f)
{
	return __rp_vmread(f);
}

static __always_inline void rp_vmwrite_any(unsigned long f, u64 val)
{
	__rp_vmwrite(f, val);
}

/* The control words root changes after launch (enum rampart_rt_ctl, vcpu.h). */
bool rampart_ctl_cache_load(struct rampart_vcpu *v);
u32 rampart_ctl_get(const struct rampart_vcpu *v, enum rampart_rt_ctl c);
void rampart_ctl_write(struct rampart_vcpu *v, enum rampart_rt_ctl c, u32 val);
void rampart_ctl_set_bits(struct rampart_vcpu *v, enum rampart_rt_ctl c,
			  u32 bits);
void rampart_ctl_clear_bits(struct rampart_vcpu *v, enum rampart_rt_ctl c,
			    u32 bits);

#endif /* RAMPART_VMX_ROOT_VMCS_ACCESS_H */
