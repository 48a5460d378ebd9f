/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EPT entries as root edits them (guest-physical == host-physical).
 * Entry format: SDM Vol. 3C 29.3.2, Tables 29-1 to 29-6.
 */
#ifndef RAMPART_EPT_ROOT_EPT_H
#define RAMPART_EPT_ROOT_EPT_H

#include <linux/bits.h>
#include <linux/types.h>

#define RAMPART_EPT_R		BIT_ULL(0)
#define RAMPART_EPT_W		BIT_ULL(1)
#define RAMPART_EPT_X		BIT_ULL(2)
#define RAMPART_EPT_RWX		(RAMPART_EPT_R | RAMPART_EPT_W | RAMPART_EPT_X)
#define RAMPART_EPT_PS		BIT_ULL(7)	/* leaf at level 1 or 2, SDM 29.3.2 */
#define RAMPART_EPT_ADDR	GENMASK_ULL(51, 12)
/*
 * Bit 52 is ignored by the CPU (SDM Table 29-6). Rampart marks root pages
 * with it: policy changes never make such a page writable.
 */
#define RAMPART_EPT_ROOT	BIT_ULL(52)

/* Level 0 is the 4 KiB PTE, level 3 the PML4E. */
static __always_inline unsigned int rampart_ept_index(u64 pa, int level)
{
	return (pa >> (12 + 9 * level)) & 511;
}

static __always_inline u64 rampart_ept_level_size(int level)
{
	return 1ULL << (12 + 9 * level);
}

struct rampart_root;

/* Root's page tables map RAM at the kernel's direct-map addresses. */
#define rampart_ept_table_of(rs, e) \
	((u64 *)(((e) & RAMPART_EPT_ADDR) + (rs)->direct_map))

/* ept/perm.c, root side. */
void rampart_ept_fill_split(u64 *sub, u64 e, int level);
u64 rampart_root_ept_leaf(const struct rampart_root *rs, u64 gpa);
u32 rampart_root_ept_splits_needed(const struct rampart_root *rs, u64 pa, u64 end);
int rampart_root_ept_protect(struct rampart_root *rs, u64 pa, u64 size,
			bool writable);
void rampart_root_ept_flushed(struct rampart_root *rs, u32 cpu);
void rampart_root_ept_parked(struct rampart_root *rs, u32 cpu);
u32 rampart_root_ept_pool_free(struct rampart_root *rs);

/* ept/alt.c, root side. */
struct rampart_vcpu;
int rampart_alt_open(struct rampart_vcpu *v, u64 gpa);
void rampart_alt_close(struct rampart_vcpu *v);

#endif /* RAMPART_EPT_ROOT_EPT_H */
