/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory types for the identity EPT, derived from the MTRRs (SDM Vol. 3A
 * 11.11). With EPT, the EPT memory type takes the place of the MTRR type
 * and combines with the guest PAT (SDM Vol. 3C 29.3.7.2), so each EPT leaf
 * carries the MTRR type of the range it maps.
 */
#ifndef RAMPART_EPT_MTRR_H
#define RAMPART_EPT_MTRR_H

#include <linux/types.h>

#define RAMPART_MTRR_MAX_VAR	32
#define RAMPART_MTRR_NR_FIXED	88	/* 11 MSRs x 8 ranges, SDM 11.11.2.2 */

/* Memory type encodings, SDM 11.11.1 Table 11-8. */
enum rampart_mt {
	RAMPART_MT_UC = 0,
	RAMPART_MT_WC = 1,
	RAMPART_MT_WT = 4,
	RAMPART_MT_WP = 5,
	RAMPART_MT_WB = 6,
	RAMPART_MT_MIXED = 0xff,	/* the range is not uniform */
};

/*
 * struct rampart_mtrr - the MTRR state of the machine.
 * @enabled, @fixed_enabled: IA32_MTRR_DEF_TYPE bits 11 and 10.
 * @def_type: IA32_MTRR_DEF_TYPE bits 7:0.
 * @fixed: the type of each fixed range below 1 MiB, in address order.
 * @var_base, @var_mask: IA32_MTRR_PHYSBASEn / PHYSMASKn, raw.
 * @phys_mask: bits of a physical address (MAXPHYADDR), page-aligned.
 */
struct rampart_mtrr {
	bool enabled;
	bool fixed_enabled;
	u8 def_type;
	u8 fixed[RAMPART_MTRR_NR_FIXED];
	unsigned int nr_var;
	u64 var_base[RAMPART_MTRR_MAX_VAR];
	u64 var_mask[RAMPART_MTRR_MAX_VAR];
	u64 phys_mask;
};

u8 rampart_mtrr_type(const struct rampart_mtrr *m, u64 start, u64 size);
void rampart_mtrr_read(struct rampart_mtrr *m);

#endif /* RAMPART_EPT_MTRR_H */
