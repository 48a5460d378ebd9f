// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: EPT memory types from MTRRs (SDM Vol. 3A 11.11). The "Bochs"
 * layout is what the rig's BIOS programs: WB default-free map with a
 * variable WB range over RAM and UC above, fixed ranges below 1 MiB.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "../ept/mtrr.h"

#define V	BIT_ULL(11)	/* PHYSMASK valid bit */
#define PHYS	GENMASK_ULL(39, 12)

/* A typical PC: default UC; WB for 0..2 GiB; UC hole at 0xc0000000 (1 GiB). */
static void pc_layout(struct rampart_mtrr *m)
{
	memset(m, 0, sizeof(*m));
	m->enabled = true;
	m->fixed_enabled = true;
	m->def_type = RAMPART_MT_UC;
	m->phys_mask = PHYS;
	memset(m->fixed, RAMPART_MT_WB, sizeof(m->fixed));
	/* 0xa0000-0xbffff: VGA, UC (the 16K ranges 8..15 of FIX16K). */
	memset(m->fixed + 16, RAMPART_MT_UC, 8);
	m->nr_var = 3;
	m->var_base[0] = 0x0 | RAMPART_MT_WB;		/* 0..2G WB */
	m->var_mask[0] = (~(SZ_2G - 1ULL) & PHYS) | V;
	m->var_base[1] = SZ_4G | RAMPART_MT_WB;		/* 4G..8G WB */
	m->var_mask[1] = (~(SZ_4G - 1ULL) & PHYS) | V;
	m->var_base[2] = 0x40000000ULL | RAMPART_MT_UC;	/* 1G..2G UC over WB */
	m->var_mask[2] = (~(SZ_1G - 1ULL) & PHYS) | V;
}

struct mt_case {
	const char *name;
	u64 start;
	u64 size;
	u8 type;
};

static const struct mt_case pc_cases[] = {
	{ "first 4K, fixed WB", 0, SZ_4K, RAMPART_MT_WB },
	{ "VGA hole is UC", 0xa0000, SZ_4K, RAMPART_MT_UC },
	{ "first 64K fixed range", 0, SZ_64K, RAMPART_MT_WB },
	{ "first 1M is mixed (VGA)", 0, SZ_1M, RAMPART_MT_MIXED },
	{ "first 2M straddles fixed and variable", 0, SZ_2M, RAMPART_MT_MIXED },
	{ "BIOS area 0xf0000 WB", 0xf0000, SZ_4K, RAMPART_MT_WB },
	{ "2M..4M WB", SZ_2M, SZ_2M, RAMPART_MT_WB },
	{ "first 1G is mixed (fixed below 1M)", 0, SZ_1G, RAMPART_MT_MIXED },
	{ "1G..2G UC beats WB", SZ_1G, SZ_1G, RAMPART_MT_UC },
	{ "2M inside the UC GiB", SZ_1G + SZ_2M, SZ_2M, RAMPART_MT_UC },
	{ "2G..3G default UC", SZ_2G, SZ_1G, RAMPART_MT_UC },
	{ "3G..4G default UC (MMIO)", 3ULL * SZ_1G, SZ_1G, RAMPART_MT_UC },
	{ "4G..5G WB", SZ_4G, SZ_1G, RAMPART_MT_WB },
	{ "8G default UC", 2 * SZ_4G, SZ_1G, RAMPART_MT_UC },
	{ "4G..8G as one 4G block", SZ_4G, SZ_4G, RAMPART_MT_WB },
	{ "0..4G as one block is mixed", 0, SZ_4G, RAMPART_MT_MIXED },
};

static void mt_case_desc(const struct mt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pc, pc_cases, mt_case_desc);

static void test_pc_layout(struct kunit *test)
{
	const struct mt_case *c = test->param_value;
	struct rampart_mtrr m;

	pc_layout(&m);
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, c->start, c->size), c->type);
}

static void test_disabled_is_uc(struct kunit *test)
{
	struct rampart_mtrr m;

	pc_layout(&m);
	m.enabled = false;
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, SZ_4G, SZ_1G), RAMPART_MT_UC);
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, 0, SZ_4K), RAMPART_MT_UC);
}

static void test_fixed_disabled_uses_variable(struct kunit *test)
{
	struct rampart_mtrr m;

	pc_layout(&m);
	m.fixed_enabled = false;
	/* Without fixed ranges the VGA hole falls under var 0: WB. */
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, 0xa0000, SZ_4K), RAMPART_MT_WB);
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, 0, SZ_2M), RAMPART_MT_WB);
}

static void test_invalid_range_ignored(struct kunit *test)
{
	struct rampart_mtrr m;

	pc_layout(&m);
	m.var_mask[2] &= ~V;
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, SZ_1G, SZ_1G), RAMPART_MT_WB);
}

static void test_wt_wb_overlap_is_wt(struct kunit *test)
{
	struct rampart_mtrr m;

	pc_layout(&m);
	m.var_base[2] = 0x40000000ULL | RAMPART_MT_WT;
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, SZ_1G, SZ_2M), RAMPART_MT_WT);
	m.var_base[2] = 0x40000000ULL | RAMPART_MT_WC;	/* undefined: UC */
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, SZ_1G, SZ_2M), RAMPART_MT_UC);
}

static void test_small_range_splits_large_page(struct kunit *test)
{
	struct rampart_mtrr m;

	pc_layout(&m);
	/* A 64K UC range at 16M: its 2M page is mixed, its 4K pages are not. */
	m.nr_var = 4;
	m.var_base[3] = (16ULL << 20) | RAMPART_MT_UC;
	m.var_mask[3] = (~(SZ_64K - 1ULL) & PHYS) | V;
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, 16ULL << 20, SZ_2M),
			RAMPART_MT_MIXED);
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, 16ULL << 20, SZ_4K),
			RAMPART_MT_UC);
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, (16ULL << 20) + SZ_64K,
						SZ_4K), RAMPART_MT_WB);
	KUNIT_EXPECT_EQ(test, rampart_mtrr_type(&m, 18ULL << 20, SZ_2M),
			RAMPART_MT_WB);
}

static struct kunit_case mtrr_test_cases[] = {
	KUNIT_CASE_PARAM(test_pc_layout, pc_gen_params),
	KUNIT_CASE(test_disabled_is_uc),
	KUNIT_CASE(test_fixed_disabled_uses_variable),
	KUNIT_CASE(test_invalid_range_ignored),
	KUNIT_CASE(test_wt_wb_overlap_is_wt),
	KUNIT_CASE(test_small_range_splits_large_page),
	{}
};

static struct kunit_suite mtrr_test_suite = {
	.name = "rampart_mtrr",
	.test_cases = mtrr_test_cases,
};

kunit_test_suite(mtrr_test_suite);
