/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The identity EPT (guest-physical == host-physical), shared by all CPUs.
 * Entry format: SDM Vol. 3C 29.3.2, Tables 29-1 to 29-6.
 */
#ifndef RAMPART_EPT_H
#define RAMPART_EPT_H

#include <linux/types.h>

#include "mtrr.h"
#include "root/ept.h"

/*
 * struct rampart_ept - the identity map and what it cost.
 * @pml4: top-level table (direct-map address).
 * @eptp: the EPT pointer for the VMCS (SDM 25.6.11).
 * @end: guest-physical addresses [0, @end) are mapped.
 * @table_pages: pages of EPT tables.
 * @leaves: leaf entries by size: [0] 4 KiB, [1] 2 MiB, [2] 1 GiB.
 * @splits: large pages split to protect a smaller range.
 */
struct rampart_ept {
	u64 *pml4;
	u64 eptp;
	u64 end;
	unsigned long table_pages;
	unsigned long leaves[3];
	unsigned long splits;
};

int rampart_ept_build(struct rampart_ept *ept, const struct rampart_mtrr *m,
		      u64 end, bool use_1g);
int rampart_ept_set_perm(struct rampart_ept *ept, u64 pa, u64 size, u64 perm);
u64 rampart_ept_lookup(const struct rampart_ept *ept, u64 pa, int *level);

#endif /* RAMPART_EPT_H */
