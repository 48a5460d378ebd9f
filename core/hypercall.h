/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel side of the hypercall ABI (uapi/hypercall.h). */
#ifndef RAMPART_CORE_HYPERCALL_H
#define RAMPART_CORE_HYPERCALL_H

#include <asm/asm.h>

#include "../uapi/hypercall.h"

struct rampart_hc_out {
	unsigned long rbx, rcx, rdx;
};

/*
 * rampart_vmcall() - issue a hypercall on this CPU.
 * A CPU that is not under Rampart raises #UD; the exception-table entry
 * turns that into -ENODEV instead of an oops.
 */
static inline long rampart_vmcall(unsigned long nr, unsigned long a1,
				  struct rampart_hc_out *out)
{
	unsigned long rax = nr, rbx = a1, rcx = 0, rdx = 0;
	bool faulted = true;

	asm volatile("1: vmcall\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx),
		       [faulted] "+m"(faulted)
		     : : "memory");
	if (faulted)
		return -ENODEV;
	if (out) {
		out->rbx = rbx;
		out->rcx = rcx;
		out->rdx = rdx;
	}
	return rax;
}

#endif /* RAMPART_CORE_HYPERCALL_H */
