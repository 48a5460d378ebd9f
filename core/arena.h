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

/*
 * Every chunk is read-only to the kernel once Rampart runs; the VMXON
 * regions and VMCSs inside the per-CPU chunks are made absent on top
 * (core/launch.c).
 */
struct rampart_arena_chunk {
	void *va;
	unsigned int order;
};

void *rampart_arena_alloc(unsigned int order);
void rampart_arena_free_all(void);
unsigned int rampart_arena_count(void);
const struct rampart_arena_chunk *rampart_arena_chunk(unsigned int i);
unsigned long rampart_arena_bytes(void);

#endif /* RAMPART_CORE_ARENA_H */
