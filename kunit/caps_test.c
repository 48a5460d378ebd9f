// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: decoding of the VMX capability MSRs (SDM Vol. 3D Appendix A) and
 * the requirement table. Values marked "Bochs" were read from
 * /sys/kernel/rampart/caps/ in the rig's broadwell_ult machine.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include "../vmx/caps.h"

/* Bochs 2.7, broadwell_ult: /sys/kernel/rampart/caps/ in the rig. */
#define BOCHS_BASIC		0x00d810000000002bULL
#define BOCHS_MISC		0x00000000200401e0ULL
#define BOCHS_EPT_VPID		0x00000f0106334141ULL
#define BOCHS_PIN		0x0000007f00000016ULL
#define BOCHS_PROC		0xf7f9fffe04006172ULL
#define BOCHS_PROC2		0x00057fff00000000ULL
#define BOCHS_EXIT		0x007fffff00036dfbULL
#define BOCHS_ENTRY		0x0000ffff000011fbULL

/* --- control words: allowed-0 / allowed-1 pairs, SDM A.3 ------------------ */

struct ctl_case {
	const char *name;
	u64 msr;
	u32 required;
	u32 optional;
	int err;
	u32 out;
};

static const struct ctl_case ctl_cases[] = {
	{ "Bochs pin-based: NMI exiting + virtual NMIs",
	  BOCHS_PIN, PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS, 0, 0,
	  0x16 | PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS },
	{ "Bochs pin-based: no posted interrupts",
	  BOCHS_PIN, PIN_BASED_POSTED_INTR, 0, -EOPNOTSUPP, 0 },
	{ "Bochs proc-based: CR3 exiting may be cleared (TRUE MSR)",
	  BOCHS_PROC, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, 0, 0,
	  0x04006172 | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS },
	{ "Bochs secondary: no MBEC",
	  BOCHS_PROC2, SECONDARY_EXEC_MODE_BASED_EPT_EXEC, 0, -EOPNOTSUPP, 0 },
	{ "nothing wanted gives the must-be-one bits",
	  0x0000007f00000016ULL, 0, 0, 0, 0x16 },
	{ "required bit allowed",
	  0x0000007f00000016ULL, 0x8, 0, 0, 0x1e },
	{ "optional bits filtered by allowed-1",
	  0x0000007f00000016ULL, 0, 0xffffffff, 0, 0x7f },
	{ "required bit not allowed",
	  0x0000007f00000016ULL, 0x80, 0, -EOPNOTSUPP, 0 },
	{ "required and optional mixed",
	  0x000000ff00000001ULL, 0x2, 0x300, 0, 0x3 },
	{ "all allowed",
	  0xffffffff00000000ULL, 0x80000000, 0x1, 0, 0x80000001 },
	{ "nothing allowed, nothing wanted",
	  0x0000000000000000ULL, 0, 0xffffffff, 0, 0 },
	{ "inconsistent MSR: must be one but may not",
	  0x0000000000000001ULL, 0, 0, -EINVAL, 0 },
	{ "must-be-one bit already required",
	  0x0000001f0000001fULL, 0x1f, 0, 0, 0x1f },
};

static void ctl_case_desc(const struct ctl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ctl, ctl_cases, ctl_case_desc);

static void test_ctl_adjust(struct kunit *test)
{
	const struct ctl_case *c = test->param_value;
	u32 out = 0xdeadbeef;
	int err;

	err = rampart_ctl_adjust(rampart_ctl_decode(c->msr), c->required,
				 c->optional, &out);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (!c->err)
		KUNIT_EXPECT_EQ(test, out, c->out);
	else
		KUNIT_EXPECT_EQ(test, out, 0xdeadbeefU);
}

static void test_ctl_decode_halves(struct kunit *test)
{
	struct rampart_ctl c = rampart_ctl_decode(0x123456789abcdef0ULL);

	KUNIT_EXPECT_EQ(test, c.must_be_one, 0x9abcdef0U);
	KUNIT_EXPECT_EQ(test, c.may_be_one, 0x12345678U);
}

/* --- IA32_VMX_BASIC, SDM A.1 --------------------------------------------- */

struct basic_case {
	const char *name;
	u64 msr;
	struct rampart_vmx_basic want;
};

static const struct basic_case basic_cases[] = {
	{ "Bochs broadwell_ult", BOCHS_BASIC,
	  { .revision = 0x2b, .region_size = 4096, .mem_type = 6,
	    .ins_outs_info = true, .true_ctls = true } },
	{ "zero", 0, { 0 } },
	{ "all ones", ~0ULL,
	  { .revision = 0x7fffffff, .region_size = 0x1fff, .mem_type = 0xf,
	    .addr32 = true, .dual_monitor = true, .ins_outs_info = true,
	    .true_ctls = true } },
	{ "bit 31 is not part of the revision", 0x0000100080000001ULL,
	  { .revision = 1, .region_size = 4096 } },
	{ "32-bit addresses, UC, dual monitor", 0x0003100000000004ULL,
	  { .revision = 4, .region_size = 4096, .addr32 = true,
	    .dual_monitor = true, .mem_type = 0 } },
	{ "1 KiB region", 0x0018040000000010ULL,
	  { .revision = 0x10, .region_size = 1024, .mem_type = 6 } },
};

static void basic_case_desc(const struct basic_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(basic, basic_cases, basic_case_desc);

static void test_basic_decode(struct kunit *test)
{
	const struct basic_case *c = test->param_value;
	struct rampart_vmx_basic b;

	memset(&b, 0xa5, sizeof(b));
	rampart_basic_decode(c->msr, &b);
	KUNIT_EXPECT_EQ(test, b.revision, c->want.revision);
	KUNIT_EXPECT_EQ(test, b.region_size, c->want.region_size);
	KUNIT_EXPECT_EQ(test, b.mem_type, c->want.mem_type);
	KUNIT_EXPECT_EQ(test, b.addr32, c->want.addr32);
	KUNIT_EXPECT_EQ(test, b.dual_monitor, c->want.dual_monitor);
	KUNIT_EXPECT_EQ(test, b.ins_outs_info, c->want.ins_outs_info);
	KUNIT_EXPECT_EQ(test, b.true_ctls, c->want.true_ctls);
}

/* --- IA32_VMX_EPT_VPID_CAP, SDM A.10 ------------------------------------- */

struct ept_case {
	const char *name;
	u64 msr;
	struct rampart_ept_caps want;
};

static const struct ept_case ept_cases[] = {
	{ "Bochs broadwell_ult", BOCHS_EPT_VPID,
	  { .exec_only = true, .walk4 = true, .mt_uc = true, .mt_wb = true,
	    .page_2m = true, .page_1g = true, .invept = true, .ad = true,
	    .invept_single = true, .invept_all = true, .invvpid = true,
	    .invvpid_addr = true, .invvpid_single = true, .invvpid_all = true,
	    .invvpid_single_nonglobal = true } },
	{ "Haswell-class part", 0x00000f0106734141ULL,
	  { .exec_only = true, .walk4 = true, .mt_uc = true, .mt_wb = true,
	    .page_2m = true, .page_1g = true, .invept = true, .ad = true,
	    .invept_single = true, .invept_all = true, .invvpid = true,
	    .invvpid_addr = true, .invvpid_single = true, .invvpid_all = true,
	    .invvpid_single_nonglobal = true } },
	{ "zero", 0, { 0 } },
	{ "EPT without VPID", 0x0000000006114040ULL,
	  { .walk4 = true, .mt_wb = true, .page_2m = true, .invept = true,
	    .invept_single = true, .invept_all = true } },
	{ "VPID only, all-context", 0x0000040100000000ULL,
	  { .invvpid = true, .invvpid_all = true } },
	{ "5-level walk is not 4-level", 0x0000000000000080ULL, { 0 } },
};

static void ept_case_desc(const struct ept_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ept, ept_cases, ept_case_desc);

static void test_ept_decode(struct kunit *test)
{
	const struct ept_case *c = test->param_value;
	struct rampart_ept_caps e;

	memset(&e, 0xa5, sizeof(e));
	rampart_ept_decode(c->msr, &e);
	KUNIT_EXPECT_EQ(test, e.exec_only, c->want.exec_only);
	KUNIT_EXPECT_EQ(test, e.walk4, c->want.walk4);
	KUNIT_EXPECT_EQ(test, e.mt_uc, c->want.mt_uc);
	KUNIT_EXPECT_EQ(test, e.mt_wb, c->want.mt_wb);
	KUNIT_EXPECT_EQ(test, e.page_2m, c->want.page_2m);
	KUNIT_EXPECT_EQ(test, e.page_1g, c->want.page_1g);
	KUNIT_EXPECT_EQ(test, e.invept, c->want.invept);
	KUNIT_EXPECT_EQ(test, e.ad, c->want.ad);
	KUNIT_EXPECT_EQ(test, e.invept_single, c->want.invept_single);
	KUNIT_EXPECT_EQ(test, e.invept_all, c->want.invept_all);
	KUNIT_EXPECT_EQ(test, e.invvpid, c->want.invvpid);
	KUNIT_EXPECT_EQ(test, e.invvpid_addr, c->want.invvpid_addr);
	KUNIT_EXPECT_EQ(test, e.invvpid_single, c->want.invvpid_single);
	KUNIT_EXPECT_EQ(test, e.invvpid_all, c->want.invvpid_all);
	KUNIT_EXPECT_EQ(test, e.invvpid_single_nonglobal,
			c->want.invvpid_single_nonglobal);
}

/* --- IA32_VMX_MISC, SDM A.6 ---------------------------------------------- */

static void test_misc_decode(struct kunit *test)
{
	struct rampart_vmx_misc m;

	rampart_misc_decode(BOCHS_MISC, &m);	/* Bochs: rate 0, 4 targets */
	KUNIT_EXPECT_EQ(test, m.preempt_shift, 0);
	KUNIT_EXPECT_TRUE(test, m.lma_store);
	KUNIT_EXPECT_TRUE(test, m.act_wait_sipi);
	KUNIT_EXPECT_EQ(test, m.cr3_targets, 4);
	KUNIT_EXPECT_EQ(test, m.max_msr_list, 512U);
	KUNIT_EXPECT_TRUE(test, m.vmwrite_any);

	/* Rate 5, LMA store, HLT/shutdown/wait-SIPI, 4 CR3 targets,
	 * list field 0 (512), VMWRITE-any, MSEG revision 0.
	 */
	rampart_misc_decode(0x00000000200401e5ULL, &m);
	KUNIT_EXPECT_EQ(test, m.preempt_shift, 5);
	KUNIT_EXPECT_TRUE(test, m.lma_store);
	KUNIT_EXPECT_TRUE(test, m.act_hlt);
	KUNIT_EXPECT_TRUE(test, m.act_shutdown);
	KUNIT_EXPECT_TRUE(test, m.act_wait_sipi);
	KUNIT_EXPECT_EQ(test, m.cr3_targets, 4);
	KUNIT_EXPECT_EQ(test, m.max_msr_list, 512U);
	KUNIT_EXPECT_TRUE(test, m.vmwrite_any);
	KUNIT_EXPECT_FALSE(test, m.zero_len_inject);
	KUNIT_EXPECT_EQ(test, m.mseg_revision, 0U);

	/* Field 7 means 512 * 8 entries; MSEG revision in the high half. */
	rampart_misc_decode(0x1234567840000000ULL | (7ULL << 25), &m);
	KUNIT_EXPECT_EQ(test, m.max_msr_list, 4096U);
	KUNIT_EXPECT_TRUE(test, m.zero_len_inject);
	KUNIT_EXPECT_FALSE(test, m.vmwrite_any);
	KUNIT_EXPECT_EQ(test, m.mseg_revision, 0x12345678U);
	KUNIT_EXPECT_EQ(test, m.cr3_targets, 0);

	/* The CR3-target count is 9 bits wide. */
	rampart_misc_decode(0x1ffULL << 16, &m);
	KUNIT_EXPECT_EQ(test, m.cr3_targets, 0x1ff);
	KUNIT_EXPECT_EQ(test, m.preempt_shift, 0);
}

/* --- the requirement table ---------------------------------------------- */

/* A machine that has everything: the Bochs basic value, generous controls. */
static void good_raw(struct rampart_caps_raw *raw)
{
	int i;

	memset(raw, 0, sizeof(*raw));
	raw->cpuid1_ecx = RAMPART_CPUID1_ECX_VMX;
	raw->feature_control = FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
	raw->basic = BOCHS_BASIC;
	raw->ept_vpid = 0x00000f0106734141ULL;
	for (i = 0; i < RAMPART_CTL_NR; i++)
		raw->ctl[i] = 0xffffffff00000000ULL;
}

struct req_case {
	const char *name;
	void (*spoil)(struct rampart_caps_raw *raw);
	const char *missing;	/* NULL: nothing missing */
};

static void spoil_nothing(struct rampart_caps_raw *r) { }
static void spoil_vmx(struct rampart_caps_raw *r)
{
	r->cpuid1_ecx = 0;
}
static void spoil_unlocked(struct rampart_caps_raw *r)
{
	r->feature_control = FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;
}
static void spoil_smx_only(struct rampart_caps_raw *r)
{
	r->feature_control = FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_INSIDE_SMX;
}
static void spoil_true(struct rampart_caps_raw *r) { r->basic &= ~BIT_ULL(55); }
static void spoil_uc_vmcs(struct rampart_caps_raw *r)
{
	r->basic &= ~(0xfULL << 50);
}
static void spoil_8k_region(struct rampart_caps_raw *r)
{
	r->basic = (r->basic & ~(0x1fffULL << 32)) | (8192ULL << 32);
}
static void spoil_addr32(struct rampart_caps_raw *r) { r->basic |= BIT_ULL(48); }
static void spoil_vnmi(struct rampart_caps_raw *r)
{
	r->ctl[RAMPART_CTL_PIN] &= ~((u64)PIN_BASED_VIRTUAL_NMIS << 32);
}
static void spoil_msr_bitmap(struct rampart_caps_raw *r)
{
	r->ctl[RAMPART_CTL_PROC] &= ~((u64)CPU_BASED_USE_MSR_BITMAPS << 32);
}
static void spoil_ept(struct rampart_caps_raw *r)
{
	r->ctl[RAMPART_CTL_PROC2] &= ~((u64)SECONDARY_EXEC_ENABLE_EPT << 32);
}
static void spoil_vpid(struct rampart_caps_raw *r)
{
	r->ctl[RAMPART_CTL_PROC2] &= ~((u64)SECONDARY_EXEC_ENABLE_VPID << 32);
}
static void spoil_ug(struct rampart_caps_raw *r)
{
	r->ctl[RAMPART_CTL_PROC2] &=
		~((u64)SECONDARY_EXEC_UNRESTRICTED_GUEST << 32);
}
static void spoil_exit_efer(struct rampart_caps_raw *r)
{
	r->ctl[RAMPART_CTL_EXIT] &= ~((u64)VM_EXIT_LOAD_IA32_EFER << 32);
}
static void spoil_entry_ia32e(struct rampart_caps_raw *r)
{
	r->ctl[RAMPART_CTL_ENTRY] &= ~((u64)VM_ENTRY_IA32E_MODE << 32);
}
static void spoil_ept_wb(struct rampart_caps_raw *r)
{
	r->ept_vpid &= ~VMX_EPTP_WB_BIT;
}
static void spoil_ept_2m(struct rampart_caps_raw *r)
{
	r->ept_vpid &= ~VMX_EPT_2MB_PAGE_BIT;
}
static void spoil_invept_all(struct rampart_caps_raw *r)
{
	r->ept_vpid &= ~VMX_EPT_EXTENT_GLOBAL_BIT;
}
static void spoil_invvpid(struct rampart_caps_raw *r)
{
	r->ept_vpid &= ~((u64)VMX_VPID_INVVPID_BIT << 32);
}
static void spoil_1g_only(struct rampart_caps_raw *r)
{
	r->ept_vpid &= ~VMX_EPT_1GB_PAGE_BIT;	/* optional: still fine */
}

static const struct req_case req_cases[] = {
	{ "everything present", spoil_nothing, NULL },
	{ "no 1 GiB EPT pages is fine", spoil_1g_only, NULL },
	{ "no VMX", spoil_vmx, "VMX" },
	{ "feature control unlocked", spoil_unlocked, "VMX enabled by firmware" },
	{ "VMX only inside SMX", spoil_smx_only, "VMX enabled by firmware" },
	{ "no TRUE controls", spoil_true, "TRUE VMX controls" },
	{ "UC VMCS", spoil_uc_vmcs, "write-back VMCS" },
	{ "8 KiB region", spoil_8k_region, "VMCS region of at most 4 KiB" },
	{ "32-bit addresses", spoil_addr32, "64-bit VMX physical addresses" },
	{ "no virtual NMIs", spoil_vnmi, "NMI exiting and virtual NMIs" },
	{ "no MSR bitmaps", spoil_msr_bitmap,
	  "secondary controls and MSR bitmaps" },
	{ "no EPT", spoil_ept, "EPT" },
	{ "no VPID", spoil_vpid, "VPID" },
	{ "no unrestricted guest", spoil_ug, "unrestricted guest" },
	{ "no EFER load on exit", spoil_exit_efer,
	  "64-bit host and EFER/PAT save and load on exit" },
	{ "no IA-32e entry", spoil_entry_ia32e,
	  "IA-32e guest and EFER/PAT load on entry" },
	{ "no WB EPT", spoil_ept_wb, "4-level write-back EPT" },
	{ "no 2 MiB EPT pages", spoil_ept_2m, "EPT 2 MiB pages" },
	{ "no global INVEPT", spoil_invept_all,
	  "single-context and global INVEPT" },
	{ "no INVVPID", spoil_invvpid, "single-context and global INVVPID" },
};

static void req_case_desc(const struct req_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(req, req_cases, req_case_desc);

static void test_requirements(struct kunit *test)
{
	const struct req_case *c = test->param_value;
	const struct rampart_req *r;
	struct rampart_caps_raw raw;
	struct rampart_caps caps;

	good_raw(&raw);
	c->spoil(&raw);
	rampart_caps_decode(&raw, &caps);
	r = rampart_caps_missing(&caps);
	if (!c->missing) {
		KUNIT_EXPECT_NULL(test, r);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r->what, c->missing);
	KUNIT_EXPECT_LT(test, r->err, 0);
}

/* What Bochs reports meets every requirement; its feature list is known. */
static void test_bochs_caps(struct kunit *test)
{
	static const char *const want[] = {
		"vnmi", "preemption_timer", "msr_bitmaps", "tpr_shadow", "ept",
		"vpid", "unrestricted_guest", "desc_exiting", "rdtscp",
		"invpcid", "shadow_vmcs", "ept_x_only", "ept_2m", "ept_1g",
		"ept_ad", "invvpid_addr",
	};
	struct rampart_caps_raw raw = {
		.cpuid1_ecx = RAMPART_CPUID1_ECX_VMX,
		.feature_control = 0x5,
		.basic = BOCHS_BASIC,
		.misc = BOCHS_MISC,
		.ept_vpid = BOCHS_EPT_VPID,
		.ctl = { BOCHS_PIN, BOCHS_PROC, BOCHS_PROC2, BOCHS_EXIT,
			 BOCHS_ENTRY },
	};
	struct rampart_caps caps;
	unsigned int i, j, n = 0;

	rampart_caps_decode(&raw, &caps);
	KUNIT_EXPECT_NULL(test, rampart_caps_missing(&caps));
	for (i = 0; i < rampart_nr_features; i++) {
		bool listed = false;

		for (j = 0; j < ARRAY_SIZE(want); j++)
			listed |= !strcmp(want[j], rampart_features[i].name);
		KUNIT_EXPECT_EQ_MSG(test,
				    rampart_caps_has(&caps, &rampart_features[i]),
				    listed, "feature %s",
				    rampart_features[i].name);
		n += listed;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(want));
}

static void test_no_vmx_is_enodev(struct kunit *test)
{
	struct rampart_caps_raw raw = { 0 };
	struct rampart_caps caps;
	const struct rampart_req *r;

	rampart_caps_decode(&raw, &caps);
	r = rampart_caps_missing(&caps);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->err, -ENODEV);
}

static void test_features(struct kunit *test)
{
	struct rampart_caps_raw raw;
	struct rampart_caps caps;
	unsigned int i, found = 0;

	good_raw(&raw);
	raw.ept_vpid &= ~VMX_EPT_AD_BIT;
	rampart_caps_decode(&raw, &caps);
	for (i = 0; i < rampart_nr_features; i++) {
		bool has = rampart_caps_has(&caps, &rampart_features[i]);

		if (!strcmp(rampart_features[i].name, "ept_ad"))
			KUNIT_EXPECT_FALSE(test, has);
		if (!strcmp(rampart_features[i].name, "ept_1g"))
			KUNIT_EXPECT_TRUE(test, has);
		found += has;
	}
	KUNIT_EXPECT_EQ(test, found, rampart_nr_features - 1);
}

static struct kunit_case caps_test_cases[] = {
	KUNIT_CASE_PARAM(test_ctl_adjust, ctl_gen_params),
	KUNIT_CASE(test_ctl_decode_halves),
	KUNIT_CASE_PARAM(test_basic_decode, basic_gen_params),
	KUNIT_CASE_PARAM(test_ept_decode, ept_gen_params),
	KUNIT_CASE(test_misc_decode),
	KUNIT_CASE_PARAM(test_requirements, req_gen_params),
	KUNIT_CASE(test_bochs_caps),
	KUNIT_CASE(test_no_vmx_is_enodev),
	KUNIT_CASE(test_features),
	{}
};

static struct kunit_suite caps_test_suite = {
	.name = "rampart_caps",
	.test_cases = caps_test_cases,
};

kunit_test_suite(caps_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for Rampart's VMX capability decoding");
