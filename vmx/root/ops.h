/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMX instructions as inline functions, usable from root and kernel side
 * alike (they reference no symbol); root reaches VMREAD and VMWRITE only
 * through vmcs_access.h. Each returns 0 or -EIO on VMfail; the
 * SDM's conventions are in Vol. 3C 30.2 "Conventions": CF=1 is
 * VMfailInvalid, ZF=1 is VMfailValid (the error is in VM_INSTRUCTION_ERROR).
 * Field encodings come from the kernel's enum vmcs_field (asm/vmx.h), the
 * one table of them (DESIGN.md principle 6).
 */
#ifndef RAMPART_VMX_OPS_H
#define RAMPART_VMX_OPS_H

#include <linux/types.h>
#include <linux/errno.h>
#include <asm/vmx.h>

static __always_inline int rp_vmxon(u64 pa)
{
	bool fail;

	asm volatile("vmxon %[pa]" : "=@ccbe"(fail) : [pa] "m"(pa) : "memory");
	return fail ? -EIO : 0;
}

static __always_inline void rp_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

static __always_inline int rp_vmclear(u64 pa)
{
	bool fail;

	asm volatile("vmclear %[pa]" : "=@ccbe"(fail) : [pa] "m"(pa) : "memory");
	return fail ? -EIO : 0;
}

static __always_inline int rp_vmptrld(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %[pa]" : "=@ccbe"(fail) : [pa] "m"(pa) : "memory");
	return fail ? -EIO : 0;
}

static __always_inline int rp_vmwrite_insn(unsigned long field, u64 val)
{
	bool fail;

	asm volatile("vmwrite %[val], %[field]"
		     : "=@ccbe"(fail)
		     : [field] "r"(field), [val] "rm"(val)
		     : "memory");
	return fail ? -EIO : 0;
}

/* VMREAD into @val. volatile: the read has side conditions. */
static __always_inline int rp_vmread_insn(unsigned long field, u64 *val)
{
	u64 out = 0;
	bool fail;

	asm volatile("vmread %[field], %[out]"
		     : [out] "+rm"(out), "=@ccbe"(fail)
		     : [field] "r"(field)
		     : "memory");
	*val = out;
	return fail ? -EIO : 0;
}

/* INVEPT / INVVPID descriptors, SDM Vol. 3C 31.3. */
static __always_inline int rp_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, rsvd; } desc = { eptp, 0 };
	bool fail;

	asm volatile("invept %[desc], %[type]"
		     : "=@ccbe"(fail)
		     : [desc] "m"(desc), [type] "r"(type)
		     : "memory");
	return fail ? -EIO : 0;
}

static __always_inline int rp_invvpid(unsigned long type, u16 vpid, u64 gva)
{
	struct { u64 vpid, gva; } desc = { vpid, gva };
	bool fail;

	asm volatile("invvpid %[desc], %[type]"
		     : "=@ccbe"(fail)
		     : [desc] "m"(desc), [type] "r"(type)
		     : "memory");
	return fail ? -EIO : 0;
}

#endif /* RAMPART_VMX_OPS_H */
