/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel side of the hypercall ABI (uapi/hypercall.h). */
#ifndef RAMPART_CORE_HYPERCALL_H
#define RAMPART_CORE_HYPERCALL_H

#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/types.h>
#include <asm/asm.h>

#include "../uapi/hypercall.h"

struct rampart_hc_out {
	unsigned long rbx, rcx, rdx;
};

/*
 * rampart_vmcall3() - issue a hypercall with three arguments on this CPU.
 * A CPU that is not under Rampart raises #UD; the exception-table entry
 * turns that into -ENODEV instead of an oops.
 */
static inline long rampart_vmcall3(unsigned long nr, unsigned long a1,
				   unsigned long a2, unsigned long a3,
				   struct rampart_hc_out *out)
{
	unsigned long rax = nr, rbx = a1, rcx = a2, rdx = a3;
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

/* rampart_vmcall() - a hypercall with one argument. */
static inline long rampart_vmcall(unsigned long nr, unsigned long a1,
				  struct rampart_hc_out *out)
{
	return rampart_vmcall3(nr, a1, 0, 0, out);
}

/*
 * rampart_vmcall3_pinned() - rampart_vmcall3() with preemption off, for a
 * caller that may sleep: the call and its answer stay on one CPU.
 */
static inline long rampart_vmcall3_pinned(unsigned long nr, unsigned long a1,
					  unsigned long a2, unsigned long a3,
					  struct rampart_hc_out *out)
{
	long ret;

	preempt_disable();
	ret = rampart_vmcall3(nr, a1, a2, a3, out);
	preempt_enable();
	return ret;
}

/* rampart_vmcall_pinned() - a pinned hypercall with one argument. */
static inline long rampart_vmcall_pinned(unsigned long nr, unsigned long a1,
					 struct rampart_hc_out *out)
{
	return rampart_vmcall3_pinned(nr, a1, 0, 0, out);
}

#endif /* RAMPART_CORE_HYPERCALL_H */
