/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root arena: every page VMX root mode relies on (VMXON regions, VMCSs,
 * stacks, descriptor tables, EPT and host page tables, MSR bitmap) is
 * allocated here, so that one list says what the EPT must protect and
 * what unload must free.
 */
#ifndef RAMPART_CORE_ARENA_H
#define RAMPART_CORE_ARENA_H

#include <linux/types.h>

/* What the kernel may still do with a root page once Rampart runs. */
enum rampart_arena_access {
	RAMPART_ARENA_NONE,	/* VMXON region, VMCS */
	RAMPART_ARENA_READ,	/* everything else: the kernel may look */
};

struct rampart_arena_chunk {
	void *va;
	unsigned int order;
	enum rampart_arena_access access;
};

void *rampart_arena_alloc(unsigned int order, enum rampart_arena_access a);
void rampart_arena_free_all(void);
unsigned int rampart_arena_count(void);
const struct rampart_arena_chunk *rampart_arena_chunk(unsigned int i);
unsigned long rampart_arena_bytes(void);

#endif /* RAMPART_CORE_ARENA_H */
