/* SPDX-License-Identifier: GPL-2.0-only */
/* x86 architectural rules root checks values against. Root side. */
#ifndef RAMPART_VMX_ROOT_ARCH_H
#define RAMPART_VMX_ROOT_ARCH_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * A 48-bit canonical address: bits 63:47 all equal (SDM Vol. 3A 3.3.7.1).
 * LA57 guests would need 57; Rampart runs with 4-level paging.
 */
static __always_inline bool rampart_canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

/* The time-stamp counter (SDM Vol. 3B 18.17). */
static __always_inline u64 rampart_root_tsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/*
 * IRET to the next instruction, on this stack, at this CPL: its only
 * effect is to unblock NMIs (SDM Vol. 3A 6.7.1), which a VM exit caused
 * by an NMI leaves blocked in root (SDM Vol. 3C, "Updating Non-Register
 * State" of VM exits) and VM entry does not unblock while virtual NMIs
 * are on. Root has no other IRET on that path.
 */
static __always_inline void rampart_root_nmi_unblock(void)
{
	unsigned long sel, rip;

	asm volatile("mov %%ss, %0\n\t"
		     "pushq %0\n\t"
		     "pushq %%rsp\n\t"
		     "addq $8, (%%rsp)\n\t"
		     "pushfq\n\t"
		     "mov %%cs, %0\n\t"
		     "pushq %0\n\t"
		     "leaq 1f(%%rip), %1\n\t"
		     "pushq %1\n\t"
		     "iretq\n"
		     "1:"
		     : "=&r"(sel), "=&r"(rip) : : "cc", "memory");
}

/* IA32_PAT: each byte one of UC, WC, WT, WP, WB, UC- (SDM Vol. 3A 11.12.2). */
static __always_inline bool rampart_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (8 * i);

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* MAXPHYADDR (CPUID 0x80000008 EAX[7:0]): physical addresses are below 2^it. */
static __always_inline unsigned int rampart_max_phys_bits(void)
{
	u32 a = 0x80000008, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return a & 0xff;
}

#endif /* RAMPART_VMX_ROOT_ARCH_H */
