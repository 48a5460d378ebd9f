// SPDX-License-Identifier: GPL-2.0-only
/*
 * MTRR decoding for the identity EPT. rampart_mtrr_type() is pure and
 * covered by KUnit; rampart_mtrr_read() reads the MSRs at load time.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/mtrr.h>
#include <asm/processor.h>

#include "mtrr.h"

#define RP_MTRR_DEF_E	BIT_ULL(11)	/* SDM 11.11.2.1 */
#define RP_MTRR_DEF_FE	BIT_ULL(10)
#define RP_MTRR_CAP_FIX	BIT_ULL(8)	/* SDM 11.11.1 */
#define RP_MTRR_MASK_V	BIT_ULL(11)	/* SDM 11.11.2.3 */

/* Fixed ranges, SDM 11.11.2.2: {first byte, range size, count}. */
static const struct {
	u64 start;
	u64 size;
	unsigned int count;
	unsigned int first;	/* index in rampart_mtrr.fixed */
} fixed_layout[] = {
	{ 0x00000, 0x10000, 8, 0 },	/* IA32_MTRR_FIX64K_00000 */
	{ 0x80000, 0x04000, 16, 8 },	/* FIX16K_80000, FIX16K_A0000 */
	{ 0xc0000, 0x01000, 64, 24 },	/* FIX4K_C0000 .. FIX4K_F8000 */
};

/* The fixed-range MSRs in address order, 8 ranges each, SDM 11.11.2.2. */
static const u32 fixed_msrs[] = {
	MSR_MTRRfix64K_00000, MSR_MTRRfix16K_80000, MSR_MTRRfix16K_A0000,
	MSR_MTRRfix4K_C0000, MSR_MTRRfix4K_C8000, MSR_MTRRfix4K_D0000,
	MSR_MTRRfix4K_D8000, MSR_MTRRfix4K_E0000, MSR_MTRRfix4K_E8000,
	MSR_MTRRfix4K_F0000, MSR_MTRRfix4K_F8000,
};

static u8 fixed_type(const struct rampart_mtrr *m, u64 start, u64 size)
{
	u64 end = min_t(u64, start + size, SZ_1M);
	u8 type = RAMPART_MT_MIXED;
	u64 a;
	int i;

	for (i = 0; i < ARRAY_SIZE(fixed_layout); i++) {
		u64 lo = fixed_layout[i].start;
		u64 step = fixed_layout[i].size;
		u64 hi = lo + step * fixed_layout[i].count;

		if (end <= lo || start >= hi)
			continue;
		for (a = lo + round_down(max(start, lo) - lo, step);
		     a < min(end, hi); a += step) {
			u8 t = m->fixed[fixed_layout[i].first + (a - lo) / step];

			if (type != RAMPART_MT_MIXED && t != type)
				return RAMPART_MT_MIXED;
			type = t;
		}
	}
	return type;
}

/* SDM 11.11.4.1: precedence when several variable ranges match. */
static u8 combine(u8 a, u8 b)
{
	if (a == b)
		return a;
	if (a == RAMPART_MT_UC || b == RAMPART_MT_UC)
		return RAMPART_MT_UC;
	if ((a == RAMPART_MT_WT && b == RAMPART_MT_WB) ||
	    (a == RAMPART_MT_WB && b == RAMPART_MT_WT))
		return RAMPART_MT_WT;
	return RAMPART_MT_UC;	/* undefined by the SDM: be conservative */
}

/**
 * rampart_mtrr_type() - the memory type of a naturally aligned range.
 * @m: MTRR state.
 * @start: first byte, aligned to @size.
 * @size: a power of two of at least 4 KiB.
 *
 * Return: the type shared by every byte of the range, or RAMPART_MT_MIXED.
 */
u8 rampart_mtrr_type(const struct rampart_mtrr *m, u64 start, u64 size)
{
	u64 hi_bits = ~(size - 1) & m->phys_mask;
	u8 type = 0xfe;		/* no variable range matched yet */
	unsigned int i;

	if (!m->enabled)
		return RAMPART_MT_UC;	/* SDM 11.11.2.1: E clear means UC */
	if (m->fixed_enabled && start < SZ_1M) {
		if (start + size > SZ_1M)
			return RAMPART_MT_MIXED;
		return fixed_type(m, start, size);
	}
	for (i = 0; i < m->nr_var; i++) {
		u64 mask = m->var_mask[i];

		if (!(mask & RP_MTRR_MASK_V))
			continue;
		mask &= m->phys_mask;
		/* Address bits above the range's size decide the match. */
		if ((start & mask & hi_bits) != (m->var_base[i] & mask & hi_bits))
			continue;
		/* Mask bits inside the range: only part of it matches. */
		if (mask & (size - 1))
			return RAMPART_MT_MIXED;
		type = type == 0xfe ? (m->var_base[i] & 0xff) :
				      combine(type, m->var_base[i] & 0xff);
	}
	return type == 0xfe ? m->def_type : type;
}

/**
 * rampart_mtrr_read() - read the MTRR MSRs of this CPU.
 * @m: filled in; all MTRRs disabled when the CPU has none.
 */
void rampart_mtrr_read(struct rampart_mtrr *m)
{
	u64 cap, def, v;
	unsigned int i, j;

	memset(m, 0, sizeof(*m));
	m->phys_mask = GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, 12);
	if (!boot_cpu_has(X86_FEATURE_MTRR))
		return;
	rdmsrl(MSR_MTRRcap, cap);
	rdmsrl(MSR_MTRRdefType, def);
	m->enabled = def & RP_MTRR_DEF_E;
	m->fixed_enabled = (def & RP_MTRR_DEF_FE) && (cap & RP_MTRR_CAP_FIX);
	m->def_type = def & 0xff;
	m->nr_var = min_t(unsigned int, cap & 0xff, RAMPART_MTRR_MAX_VAR);
	for (i = 0; i < m->nr_var; i++) {
		rdmsrl(MTRRphysBase_MSR(i), m->var_base[i]);
		rdmsrl(MTRRphysMask_MSR(i), m->var_mask[i]);
	}
	if (!m->fixed_enabled)
		return;
	for (i = 0; i < ARRAY_SIZE(fixed_msrs); i++) {
		rdmsrl(fixed_msrs[i], v);
		for (j = 0; j < 8; j++)
			m->fixed[i * 8 + j] = v >> (j * 8);
	}
}
