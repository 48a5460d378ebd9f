// SPDX-License-Identifier: GPL-2.0-only
/*
 * Root arena allocator (see arena.h). Kernel side, before launch: chunks
 * are zeroed, physically contiguous and direct-mapped.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "arena.h"

static struct rampart_arena_chunk *chunks;
static unsigned int nr_chunks, cap_chunks;

/**
 * rampart_arena_alloc() - allocate 2^@order zeroed pages for root mode.
 * @order: allocation order.
 *
 * Return: the direct-map address, or NULL.
 */
void *rampart_arena_alloc(unsigned int order)
{
	void *va;

	if (nr_chunks == cap_chunks) {
		unsigned int cap = cap_chunks ? 2 * cap_chunks : 64;
		void *n = krealloc_array(chunks, cap, sizeof(*chunks),
					 GFP_KERNEL);

		if (!n)
			return NULL;
		chunks = n;
		cap_chunks = cap;
	}
	va = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!va)
		return NULL;
	chunks[nr_chunks++] = (struct rampart_arena_chunk){ va, order };
	return va;
}

/**
 * rampart_arena_free_all() - free every chunk. Only once no CPU runs root.
 */
void rampart_arena_free_all(void)
{
	while (nr_chunks--)
		free_pages((unsigned long)chunks[nr_chunks].va,
			   chunks[nr_chunks].order);
	kfree(chunks);
	chunks = NULL;
	nr_chunks = cap_chunks = 0;
}

/**
 * rampart_arena_count() - number of chunks allocated.
 *
 * Return: the count.
 */
unsigned int rampart_arena_count(void)
{
	return nr_chunks;
}

/**
 * rampart_arena_chunk() - one chunk, for protection and accounting.
 * @i: index below rampart_arena_count().
 *
 * Return: the chunk.
 */
const struct rampart_arena_chunk *rampart_arena_chunk(unsigned int i)
{
	return &chunks[i];
}

/**
 * rampart_arena_bytes() - memory held by the arena.
 *
 * Return: bytes.
 */
unsigned long rampart_arena_bytes(void)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < nr_chunks; i++)
		sum += PAGE_SIZE << chunks[i].order;
	return sum;
}
