/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A store the test modules expect to fault: the exception-table entry
 * turns the #PF into a result instead of an oops (copy_to_kernel_nofault
 * is not exported in 6.1).
 */
#ifndef RP_STORE_H
#define RP_STORE_H

#include <linux/types.h>
#include <asm/asm.h>

/* Store @v at *@p, as wide as *@p; true if the store faulted. */
#define rp_store_faulted(p, v) ({					\
	bool __faulted = true;						\
	asm volatile("1: mov %[val], %[mem]\n\t"			\
		     "movb $0, %[f]\n"					\
		     "2:\n"						\
		     _ASM_EXTABLE(1b, 2b)				\
		     : [f] "+m"(__faulted), [mem] "=m"(*(p))		\
		     : [val] "r"((typeof(*(p)))(v)) : "memory");	\
	__faulted;							\
})

#endif /* RP_STORE_H */
