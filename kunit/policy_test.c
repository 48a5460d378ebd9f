// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the policy parser, root's validation and compiler, the
 * enforcement decisions, sealing (stricter-only) and the renderer.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../core/default_policy.h"
#include "../policy/policy.h"

#define CR0_PE	0x1ULL
#define CR0_WP	0x10000ULL
#define CR0_PG	0x80000000ULL
#define CR4_SMEP 0x100000ULL
#define CR4_SMAP 0x200000ULL
#define CR4_UMIP 0x800ULL

/* Parse and compile @text as root would; 0 or the first error. */
static int compile_text(struct kunit *test, const char *text,
			struct rampart_policy *p, struct rp_policy_error *e)
{
	struct rampart_rule *rules;
	u32 n, i;
	int err;

	rules = kunit_kcalloc(test, RAMPART_POLICY_MAX_RULES + 1,
			      sizeof(*rules), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rules);
	err = rp_parse(text, strlen(text), rules, RAMPART_POLICY_MAX_RULES + 1,
		       &n, e);
	if (err)
		return err;
	rp_policy_init(p);
	for (i = 0; i < n; i++) {
		err = rp_policy_add(p, &rules[i], e);
		if (err)
			return err;
	}
	return 0;
}

static struct rampart_policy *new_policy(struct kunit *test)
{
	struct rampart_policy *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/* ---- errors: each malformed or unsafe rule names its code and line ---- */

struct err_case {
	const char *name;
	const char *text;
	u32 code;
	u32 line;
	u32 other;
	int err;
	size_t len;	/* for texts with NUL bytes; 0: strlen() */
};



static const struct err_case err_cases[] = {
	{ "unknown asset kind", "cr3.pg lock deny gp\n", RP_ERR_ASSET, 1, 0, -EINVAL },
	{ "unknown CR4 bit, line 3", "# c\n\ncr4.smepp lock deny gp\n", RP_ERR_CR_NAME, 3, 0, -EINVAL },
	{ "unknown MSR name", "msr.lstarr lock deny gp\n", RP_ERR_MSR_NAME, 1, 0, -EINVAL },
	{ "bad number", "msr.0x1g lock deny gp\n", RP_ERR_NUMBER, 1, 0, -EINVAL },
	{ "number overflows 64 bits", "msr.0x10000000000000000 lock deny gp\n", RP_ERR_NUMBER, 1, 0, -EINVAL },
	{ "unknown protection", "cr0.wp locked deny gp\n", RP_ERR_PROT, 1, 0, -EINVAL },
	{ "unknown action", "cr0.wp lock refuse gp\n", RP_ERR_ACTION, 1, 0, -EINVAL },
	{ "deny without gp or ignore", "cr0.wp lock deny\n", RP_ERR_DENY_MODE, 1, 0, -EINVAL },
	{ "gp with log", "cr0.wp lock log gp\n", RP_ERR_NOT_DENY, 1, 0, -EINVAL },
	{ "trailing word", "cr0.wp lock deny gp now\n", RP_ERR_TRAILING, 1, 0, -EINVAL },
	{ "too few words", "cr0.wp lock\n", RP_ERR_SYNTAX, 1, 0, -EINVAL },
	{ "reserved CR4 bit 15", "cr4.0x8000 lock deny gp\n", RP_ERR_CR_RESERVED, 1, 0, -ERANGE },
	{ "empty CR mask", "cr0.0 lock deny gp\n", RP_ERR_CR_EMPTY, 1, 0, -EINVAL },
	{ "CR bits are not ro", "cr0.wp ro deny gp\n", RP_ERR_CR_PROT, 1, 0, -EINVAL },
	{ "CR4.PGE is hot", "cr4.smep,pge lock deny gp\n", RP_ERR_CR_HOT, 1, 0, -EINVAL },
	{ "CR0.TS is hot", "cr0.ts lock log\n", RP_ERR_CR_HOT, 1, 0, -EINVAL },
	{ "CR4.VMXE is Rampart's", "cr4.vmxe lock deny gp\n", RP_ERR_CR_OWNED, 1, 0, -EINVAL },
	{ "MSR outside the bitmap", "msr.0x40000000 lock deny gp\n", RP_ERR_MSR_RANGE, 1, 0, -ERANGE },
	{ "FS_BASE is in the VMCS", "msr.fs_base lock deny gp\n", RP_ERR_MSR_VMCS, 1, 0, -EINVAL },
	{ "RTIT_CTL is the VMCS's or root's", "msr.rtit_ctl lock log\n", RP_ERR_MSR_VMCS, 1, 0, -EINVAL },
	{ "x2APIC EOI is hot", "msr.0x80b lock log\n", RP_ERR_MSR_HOT, 1, 0, -EINVAL },
	{ "TSC_DEADLINE is hot", "msr.tsc_deadline lock deny gp\n", RP_ERR_MSR_HOT, 1, 0, -EINVAL },
	{ "empty MSR mask", "msr.efer/0 lock deny gp\n", RP_ERR_MSR_EMPTY, 1, 0, -EINVAL },
	{ "CR bit deny vs log", "cr0.wp lock deny gp\ncr0.pg,wp lock log\n", RP_ERR_CONFLICT, 2, 1, -EEXIST },
	{ "CR bit gp vs ignore", "cr4.smep lock deny gp\n\ncr4.smep lock deny ignore\n", RP_ERR_CONFLICT, 3, 1, -EEXIST },
	{ "allow contradicts deny", "msr.lstar lock deny gp\nmsr.lstar lock allow\n", RP_ERR_CONFLICT, 2, 1, -EEXIST },
	{ "MSR masks differ", "msr.efer/0x800 lock deny gp\nmsr.efer lock deny gp\n", RP_ERR_CONFLICT, 2, 1, -EEXIST },
	{ "unaligned physical range", "phys.0x1001+0x1000 ro deny\n", RP_ERR_PHYS, 1, 0, -ERANGE },
	{ "wrapping physical range", "phys.0xfffffffffffff000+0x2000 ro deny\n", RP_ERR_PHYS, 1, 0, -ERANGE },
	{ "unresolved named range", "range.kernel_text ro deny\n", RP_ERR_RANGE_LATER, 1, 0, -EOPNOTSUPP },
	{ "poke is for text only", "phys.0x1000+0x1000 poke deny\n", RP_ERR_RANGE_PROT, 1, 0, -EINVAL },
	{ "MSRs take lock or ro", "msr.lstar poke deny gp\n", RP_ERR_MSR_PROT, 1, 0, -EINVAL },
	{ "modules: poke vs ro", "range.modules poke deny\nrange.modules ro deny\n", RP_ERR_CONFLICT, 2, 1, -EEXIST },
	{ "memory ranges take ro", "phys.0x1000+0x1000 lock deny\n", RP_ERR_RANGE_PROT, 1, 0, -EINVAL },
	{ "deny and allow ranges overlap", "phys.0x1000+0x2000 ro deny\nphys.0x2000+0x1000 ro allow\n", RP_ERR_CONFLICT, 2, 1, -EEXIST },
	{ "unknown range", "range.kernel_txt ro deny\n", RP_ERR_RANGE_NAME, 1, 0, -EINVAL },
	{ "NUL byte", "cr0.wp lock deny gp\ncr0.pg\0 lock deny gp\n", RP_ERR_NUL, 2, 0, -EINVAL,
	  sizeof("cr0.wp lock deny gp\ncr0.pg\0 lock deny gp\n") - 1 },
	/* Found by the fuzzer: a NUL, then text, before any token. */
	{ "NUL then text at line start", "\0x", RP_ERR_NUL, 1, 0, -EINVAL, 2 },
	{ "blank, NUL, then text", " \0abc lock log\n", RP_ERR_NUL, 1, 0, -EINVAL,
	  sizeof(" \0abc lock log\n") - 1 },
	{ "unknown VMX feature", "vmx.nestd lock allow\n", RP_ERR_VMX_NAME, 1, 0, -EINVAL },
	{ "VMX feature by number", "vmx.1 lock allow\n", RP_ERR_VMX_NAME, 1, 0, -EINVAL },
	{ "vmx.nested is not ro", "vmx.nested ro deny\n", RP_ERR_VMX_PROT, 1, 0, -EINVAL },
	{ "vmx.nested is not poke", "vmx.nested poke allow\n", RP_ERR_VMX_PROT, 1, 0, -EINVAL },
	{ "vmx.nested has nothing to log", "# c\nvmx.nested lock log\n", RP_ERR_VMX_ACTION, 2, 0, -EINVAL },
	{ "vmx.nested deny is no #GP", "vmx.nested lock deny gp\n", RP_ERR_VMX_DENY_MODE, 1, 0, -EINVAL },
	{ "vmx.nested deny is no ignore", "vmx.nested lock deny ignore\n", RP_ERR_VMX_DENY_MODE, 1, 0, -EINVAL },
	{ "vmx.nested allow with gp", "vmx.nested lock allow gp\n", RP_ERR_NOT_DENY, 1, 0, -EINVAL },
	{ "vmx.nested allow vs deny", "vmx.nested lock allow\n\nvmx.nested lock deny\n", RP_ERR_CONFLICT, 3, 1, -EEXIST },
};

static void err_case_desc(const struct err_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(err, err_cases, err_case_desc);

static void policy_rejects(struct kunit *test)
{
	const struct err_case *c = test->param_value;
	struct rampart_policy *p = new_policy(test);
	struct rampart_rule rules[4];
	struct rp_policy_error e;
	size_t len = c->len ?: strlen(c->text);
	u32 n, i;
	int err;

	err = rp_parse(c->text, len, rules, ARRAY_SIZE(rules), &n, &e);
	for (i = 0; !err && i < n; i++)
		err = rp_policy_add(p, &rules[i], &e);
	KUNIT_EXPECT_EQ(test, err, c->err);
	KUNIT_EXPECT_EQ_MSG(test, e.code, c->code, "got \"%s\"",
			    rp_policy_strerror(e.code));
	KUNIT_EXPECT_EQ(test, e.line, c->line);
	KUNIT_EXPECT_EQ(test, e.other, c->other);
	KUNIT_EXPECT_EQ(test, rp_policy_errno(e.code), c->err);
}

/* ---- what a good policy compiles to ----------------------------------- */

static void policy_compiles(struct kunit *test)
{
	static const char text[] =
		"# comment line\n"
		"  cr0.pe,wp,pg   lock deny gp   # trailing comment\n"
		"cr4.smep,smap lock deny ignore\n"
		"cr4.umip lock log\n"
		"cr4.0x10000 lock allow\n"
		"msr.lstar lock deny gp\n"
		"msr.efer/0x800 lock deny ignore\n"
		"msr.0x3a ro log\n"
		"msr.lstar lock deny gp\n";	/* same rule again: merged */
	struct rampart_policy *p = new_policy(test);
	struct rp_policy_error e;
	const struct rp_msr_rule *m;

	KUNIT_ASSERT_EQ(test, compile_text(test, text, p, &e), 0);
	KUNIT_EXPECT_EQ(test, p->nrules, 8U);
	KUNIT_EXPECT_EQ(test, p->cr_owned[RP_CR0], CR0_PE | CR0_WP | CR0_PG);
	/* allow (FSGSBASE) is listed but not owned: it never exits. */
	KUNIT_EXPECT_EQ(test, p->cr_owned[RP_CR4], CR4_SMEP | CR4_SMAP | CR4_UMIP);
	KUNIT_EXPECT_EQ(test, p->cr[RP_CR4][16].action, RAMPART_ACT_ALLOW);
	KUNIT_EXPECT_EQ(test, p->cr[RP_CR0][16].line, 2U);
	KUNIT_EXPECT_EQ(test, p->cr[RP_CR4][20].deny, RAMPART_DENY_IGNORE);
	KUNIT_EXPECT_EQ(test, p->nmsr, 3U);
	/* Sorted by index for the binary search. */
	KUNIT_EXPECT_EQ(test, p->msr[0].index, 0x3aU);
	KUNIT_EXPECT_EQ(test, p->msr[1].index, 0xc0000080U);
	KUNIT_EXPECT_EQ(test, p->msr[2].index, 0xc0000082U);
	m = rp_policy_msr(p, 0xc0000080);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->mask, 0x800ULL);
	KUNIT_EXPECT_NULL(test, rp_policy_msr(p, 0xc0000081));
}

/* CR4 bits past PKS, and the MSRs of tracing, FRED and PKS, by name. */
static void newer_assets_named(struct kunit *test)
{
	static const char text[] =
		"cr4.lass,lam_sup,fred lock deny gp\n"
		"msr.ds_area lock deny gp\n"
		"msr.rtit_output_base lock deny gp\n"
		"msr.fred_config lock deny gp\n"
		"msr.pkrs lock deny gp\n"
		"msr.misc_enable/0x400000000 lock deny gp\n";
	struct rampart_policy *p = new_policy(test);
	struct rp_policy_error e;

	KUNIT_ASSERT_EQ(test, compile_text(test, text, p, &e), 0);
	KUNIT_EXPECT_EQ(test, p->cr_owned[RP_CR4],
			BIT_ULL(27) | BIT_ULL(28) | BIT_ULL(32));
	KUNIT_EXPECT_EQ(test, p->nmsr, 5U);
	KUNIT_EXPECT_NOT_NULL(test, rp_policy_msr(p, 0x600));
	KUNIT_EXPECT_NOT_NULL(test, rp_policy_msr(p, 0x560));
	KUNIT_EXPECT_NOT_NULL(test, rp_policy_msr(p, 0x1d4));
	KUNIT_EXPECT_NOT_NULL(test, rp_policy_msr(p, 0x6e1));
	KUNIT_EXPECT_EQ(test, rp_policy_msr(p, 0x1a0)->mask, BIT_ULL(34));
	KUNIT_EXPECT_STREQ(test, rp_name_of(rp_cr4_bits, BIT_ULL(32)), "fred");
}

/* ---- decisions ---------------------------------------------------------- */

static const char decide_policy[] =
	"cr0.wp,pg lock deny gp\n"
	"cr4.smep lock deny ignore\n"
	"cr4.umip lock log\n"
	"msr.lstar lock deny gp\n"
	"msr.efer/0x800 lock deny ignore\n"
	"msr.star ro deny ignore\n"
	"msr.tsc_aux lock log\n"
	"msr.0x3a ro log\n";

struct cr_case {
	const char *name;
	int cri;
	u64 old, val;
	u8 action, deny;
	bool write;
	u64 result, bits;
};

static const struct cr_case cr_cases[] = {
	{ "unowned bit changes freely", RP_CR4, CR4_SMEP, CR4_SMEP | 0x80,
	  RAMPART_ACT_ALLOW, 0, true, CR4_SMEP | 0x80, 0 },
	{ "same value is no violation", RP_CR0, CR0_WP | CR0_PG, CR0_WP | CR0_PG,
	  RAMPART_ACT_ALLOW, 0, true, CR0_WP | CR0_PG, 0 },
	{ "clearing WP: #GP, nothing written", RP_CR0, CR0_WP | CR0_PG | 1, CR0_PG | 1,
	  RAMPART_ACT_DENY, RAMPART_DENY_GP, false, CR0_WP | CR0_PG | 1, CR0_WP },
	{ "clearing SMEP: ignored, other bits written", RP_CR4, CR4_SMEP, 0x80,
	  RAMPART_ACT_DENY, RAMPART_DENY_IGNORE, true, CR4_SMEP | 0x80, CR4_SMEP },
	{ "setting UMIP: logged and written", RP_CR4, CR4_SMEP, CR4_SMEP | CR4_UMIP,
	  RAMPART_ACT_LOG, 0, true, CR4_SMEP | CR4_UMIP, CR4_UMIP },
	{ "ignore beats log in one write", RP_CR4, CR4_SMEP, CR4_UMIP,
	  RAMPART_ACT_DENY, RAMPART_DENY_IGNORE, true, CR4_SMEP | CR4_UMIP,
	  CR4_SMEP | CR4_UMIP },
};

static void cr_case_desc(const struct cr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cr, cr_cases, cr_case_desc);

static void policy_decides_cr(struct kunit *test)
{
	const struct cr_case *c = test->param_value;
	struct rampart_policy *p = new_policy(test);
	struct rp_policy_error e;
	struct rp_verdict v;

	KUNIT_ASSERT_EQ(test, compile_text(test, decide_policy, p, &e), 0);
	rp_decide_cr(p, c->cri, c->old, c->val, &v);
	KUNIT_EXPECT_EQ(test, v.action, c->action);
	KUNIT_EXPECT_EQ(test, v.deny, c->deny);
	KUNIT_EXPECT_EQ(test, v.write, c->write);
	KUNIT_EXPECT_EQ(test, v.result, c->result);
	KUNIT_EXPECT_EQ(test, v.bits, c->bits);
}

struct msr_case {
	const char *name;
	u32 msr;
	u64 old, val;
	u8 action, deny;
	bool write;
	u64 result;
	u32 line;
};

static const struct msr_case msr_cases[] = {
	{ "MSR not in the policy", 0xc0000083, 1, 2, RAMPART_ACT_ALLOW, 0, true, 2, 0 },
	{ "LSTAR same value", 0xc0000082, 0xffffffff81000000, 0xffffffff81000000,
	  RAMPART_ACT_ALLOW, 0, true, 0xffffffff81000000, 0 },
	{ "LSTAR changed: #GP", 0xc0000082, 0xffffffff81000000, 0xdead000,
	  RAMPART_ACT_DENY, RAMPART_DENY_GP, false, 0xffffffff81000000, 4 },
	{ "EFER.NXE cleared: ignored, SCE still written", 0xc0000080, 0xd01, 0x500,
	  RAMPART_ACT_DENY, RAMPART_DENY_IGNORE, true, 0xd00, 5 },
	{ "EFER outside the mask: allowed", 0xc0000080, 0xd01, 0xd00,
	  RAMPART_ACT_ALLOW, 0, true, 0xd00, 0 },
	{ "ro STAR, same value: still denied", 0xc0000081, 7, 7,
	  RAMPART_ACT_DENY, RAMPART_DENY_IGNORE, false, 7, 6 },
	{ "TSC_AUX changed: logged, written", 0xc0000103, 1, 2,
	  RAMPART_ACT_LOG, 0, true, 2, 7 },
	{ "ro log: every write logged", 0x3a, 5, 5, RAMPART_ACT_LOG, 0, true, 5, 8 },
};

static void msr_case_desc(const struct msr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(msr, msr_cases, msr_case_desc);

static void policy_decides_msr(struct kunit *test)
{
	const struct msr_case *c = test->param_value;
	struct rampart_policy *p = new_policy(test);
	struct rp_policy_error e;
	struct rp_verdict v;

	KUNIT_ASSERT_EQ(test, compile_text(test, decide_policy, p, &e), 0);
	rp_decide_msr(rp_policy_msr(p, c->msr), c->old, c->val, &v);
	KUNIT_EXPECT_EQ(test, v.action, c->action);
	KUNIT_EXPECT_EQ(test, v.deny, c->deny);
	KUNIT_EXPECT_EQ(test, v.write, c->write);
	KUNIT_EXPECT_EQ(test, v.result, c->result);
	KUNIT_EXPECT_EQ(test, v.line, c->line);
}

/* ---- sealing: a new policy may only be stricter ------------------------- */

struct seal_case {
	const char *name;
	const char *new;
	int err;
	u32 line;	/* the sealed rule that would be relaxed */
};

static const char sealed_policy[] =
	"cr0.wp lock deny gp\n"
	"cr4.smep lock log\n"
	"msr.lstar lock deny gp\n"
	"msr.efer/0x800 lock deny gp\n"
	"msr.tsc_aux lock allow\n";

static const struct seal_case seal_cases[] = {
	{ "the same policy", "cr0.wp lock deny gp\ncr4.smep lock log\nmsr.lstar lock deny gp\nmsr.efer/0x800 lock deny gp\n", 0, 0 },
	{ "more bits, log to deny, wider mask, ro",
	  "cr0.wp,pg lock deny gp\ncr4.smep lock deny gp\nmsr.lstar ro deny gp\nmsr.efer/0xc01 lock deny gp\nmsr.star lock log\n", 0, 0 },
	{ "dropping CR0.WP", "cr4.smep lock log\nmsr.lstar lock deny gp\nmsr.efer/0x800 lock deny gp\n", -EPERM, 1 },
	{ "deny to log", "cr0.wp lock log\ncr4.smep lock log\nmsr.lstar lock deny gp\nmsr.efer/0x800 lock deny gp\n", -EPERM, 1 },
	{ "gp to ignore", "cr0.wp lock deny ignore\ncr4.smep lock log\nmsr.lstar lock deny gp\nmsr.efer/0x800 lock deny gp\n", -EPERM, 1 },
	{ "log to allow", "cr0.wp lock deny gp\ncr4.smep lock allow\nmsr.lstar lock deny gp\nmsr.efer/0x800 lock deny gp\n", -EPERM, 2 },
	{ "dropping LSTAR", "cr0.wp lock deny gp\ncr4.smep lock log\nmsr.efer/0x800 lock deny gp\n", -EPERM, 3 },
	{ "narrower EFER mask", "cr0.wp lock deny gp\ncr4.smep lock log\nmsr.lstar lock deny gp\nmsr.efer/0x1 lock deny gp\n", -EPERM, 4 },
};

static void seal_case_desc(const struct seal_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seal, seal_cases, seal_case_desc);

static void policy_seal_stricter_only(struct kunit *test)
{
	const struct seal_case *c = test->param_value;
	struct rampart_policy *old = new_policy(test), *new = new_policy(test);
	struct rp_policy_error e = {};

	KUNIT_ASSERT_EQ(test, compile_text(test, sealed_policy, old, &e), 0);
	KUNIT_ASSERT_EQ(test, compile_text(test, c->new, new, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(old, new, &e), c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_RELAXES);
		KUNIT_EXPECT_EQ(test, e.line, c->line);
	}
}

/* ---- limits and the binary header --------------------------------------- */

static void policy_limits(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test);
	struct rampart_policy_hdr h = {
		RAMPART_POLICY_MAGIC, RAMPART_POLICY_VERSION, 0, 0
	};
	struct rp_policy_error e;
	struct rampart_rule r = {
		.kind = RAMPART_ASSET_MSR, .prot = RAMPART_PROT_LOCK,
		.action = RAMPART_ACT_LOG, .mask = ~0ULL,
	};
	u32 i;

	KUNIT_EXPECT_EQ(test, rp_policy_check_hdr(&h, &e), 0);
	h.count = RAMPART_POLICY_MAX_RULES + 1;
	KUNIT_EXPECT_EQ(test, rp_policy_check_hdr(&h, &e), -E2BIG);
	h.count = 1;
	h.magic ^= 1;
	KUNIT_EXPECT_EQ(test, rp_policy_check_hdr(&h, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_HEADER);

	/* 1024 distinct MSRs compile, in descending order (worst case). */
	rp_policy_init(p);
	for (i = 0; i < RAMPART_POLICY_MAX_MSRS; i++) {
		r.id = 0x1fff - i;
		r.line = i + 1;
		KUNIT_ASSERT_EQ(test, rp_policy_add(p, &r, &e), 0);
	}
	for (i = 1; i < p->nmsr; i++)
		KUNIT_EXPECT_LT(test, p->msr[i - 1].index, p->msr[i].index);
	r.id = 0x1000 - 1 - RAMPART_POLICY_MAX_MSRS;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_MSR_TOO_MANY);
	/* Duplicates still count as rules, up to the rule limit. */
	r.id = 0x1fff;
	for (i = p->nrules; i < RAMPART_POLICY_MAX_RULES; i++)
		KUNIT_ASSERT_EQ(test, rp_policy_add(p, &r, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_TOO_MANY);
	/* A binary rule with a bad field is refused, not guessed at. */
	rp_policy_init(p);
	r.action = RAMPART_ACT_DENY;	/* deny without a deny mode */
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_FIELD);
	r.action = 9;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
}

/* ---- rendering: canonical text that compiles to the same policy --------- */

static void policy_renders(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test), *q = new_policy(test);
	struct rp_policy_error e;
	char *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	size_t len;
	int cri;
	u32 b;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, compile_text(test, decide_policy, p, &e), 0);
	len = rp_render(p, buf, 4096);
	KUNIT_ASSERT_LT(test, len, (size_t)4096);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "cr0.wp,pg lock deny gp\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "msr.efer/0x800 lock deny ignore\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "msr.feature_control ro log\n"));
	KUNIT_ASSERT_EQ(test, compile_text(test, buf, q, &e), 0);
	for (cri = 0; cri < RP_CR_NR; cri++) {
		KUNIT_EXPECT_EQ(test, p->cr_owned[cri], q->cr_owned[cri]);
		for (b = 0; b < 64; b++) {
			KUNIT_EXPECT_EQ(test, p->cr[cri][b].action, q->cr[cri][b].action);
			KUNIT_EXPECT_EQ(test, p->cr[cri][b].deny, q->cr[cri][b].deny);
		}
	}
	KUNIT_ASSERT_EQ(test, p->nmsr, q->nmsr);
	for (b = 0; b < p->nmsr; b++) {
		KUNIT_EXPECT_EQ(test, p->msr[b].index, q->msr[b].index);
		KUNIT_EXPECT_EQ(test, p->msr[b].mask, q->msr[b].mask);
		KUNIT_EXPECT_EQ(test, p->msr[b].prot, q->msr[b].prot);
		KUNIT_EXPECT_EQ(test, p->msr[b].action, q->msr[b].action);
	}
	/* A short buffer is cut, terminated, and the full length reported. */
	KUNIT_EXPECT_EQ(test, rp_render(p, buf, 10), len);
	KUNIT_EXPECT_EQ(test, strlen(buf), (size_t)9);
}

/* ---- memory ranges ------------------------------------------------------ */

static void policy_ranges(struct kunit *test)
{
	static const char text[] =
		"phys.0x200000+0x2000 ro deny\n"
		"phys.0x100000+0x1000 ro deny\n"
		"phys.0x200000+0x2000 ro deny\n"	/* again: merged */
		"phys.0x201000+0x3000 ro deny\n";	/* overlaps, same action */
	struct rampart_policy *p = new_policy(test), *q = new_policy(test);
	struct rp_policy_error e;

	KUNIT_ASSERT_EQ(test, compile_text(test, text, p, &e), 0);
	KUNIT_ASSERT_EQ(test, p->nrange, 3U);
	KUNIT_EXPECT_EQ(test, p->range[0].start, 0x100000ULL);	/* sorted */
	KUNIT_EXPECT_EQ(test, rp_policy_range(p, 0x100fff)->line, 2U);
	KUNIT_EXPECT_EQ(test, rp_policy_range(p, 0x203000)->line, 4U);
	KUNIT_EXPECT_NULL(test, rp_policy_range(p, 0x101000));
	KUNIT_EXPECT_NULL(test, rp_policy_range(p, 0x204000));

	/* Sealed: one bigger range covers all: stricter; dropping one: not. */
	KUNIT_ASSERT_EQ(test, compile_text(test,
		"phys.0x100000+0x200000 ro deny\nphys.0x300000+0x1000 ro deny\n",
		q, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), 0);
	KUNIT_ASSERT_EQ(test, compile_text(test, "phys.0x200000+0x4000 ro deny\n",
					   q, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), -EPERM);
	KUNIT_EXPECT_EQ(test, e.line, 2U);

	/* log: sealed, it may become deny, not allow or nothing. */
	KUNIT_ASSERT_EQ(test, compile_text(test, "phys.0x100000+0x1000 ro log\n",
					   p, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_range(p, 0x100000)->action,
			(u8)RAMPART_ACT_LOG);
	KUNIT_ASSERT_EQ(test, compile_text(test, "phys.0x100000+0x2000 ro deny\n",
					   q, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(q, p, &e), -EPERM);
	KUNIT_ASSERT_EQ(test, compile_text(test, "phys.0x100000+0x1000 ro allow\n",
					   q, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), -EPERM);
}

/* A named range as the kernel side resolves it. */
static int add_named(struct rampart_policy *p, u32 name, u64 start, u64 size,
		     u8 prot, u32 line)
{
	struct rampart_rule r = {
		.kind = RAMPART_ASSET_RANGE, .prot = prot,
		.action = RAMPART_ACT_DENY, .line = line, .id = start,
		.mask = size, .range = name,
	};
	struct rp_policy_error e;

	return rp_policy_add(p, &r, &e);
}

/* poke with log makes no sense: a logged write happens anyway. */
static void policy_poke_log(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test);
	struct rampart_rule r = {
		.kind = RAMPART_ASSET_RANGE, .prot = RAMPART_PROT_POKE,
		.action = RAMPART_ACT_LOG, .line = 1, .id = 0x1000000,
		.mask = 0x1000, .range = RAMPART_RANGE_KERNEL_TEXT,
	};
	struct rp_policy_error e;

	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_RANGE_LOG);
}

static void policy_text(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test), *q = new_policy(test);
	struct rp_policy_error e;
	char *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, add_named(p, RAMPART_RANGE_KERNEL_TEXT, 0x1000000,
					0x800000, RAMPART_PROT_POKE, 1), 0);
	KUNIT_EXPECT_EQ(test, add_named(p, RAMPART_RANGE_MODULES, 0, 0,
					RAMPART_PROT_POKE, 2), 0);
	KUNIT_EXPECT_EQ(test, p->nrange, 1U);
	KUNIT_EXPECT_EQ(test, p->range[0].prot, (u8)RAMPART_PROT_POKE);
	KUNIT_EXPECT_EQ(test, p->modules.action, (u8)RAMPART_ACT_DENY);
	KUNIT_EXPECT_EQ(test, p->modules.prot, (u8)RAMPART_PROT_POKE);
	/* modules has no extent; poke fits only text; ro over poke conflicts. */
	KUNIT_EXPECT_EQ(test, add_named(p, RAMPART_RANGE_MODULES, 0x1000, 0x1000,
					RAMPART_PROT_POKE, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, add_named(p, RAMPART_RANGE_RODATA, 0x2000000,
					0x1000, RAMPART_PROT_POKE, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, add_named(p, RAMPART_RANGE_IDT, 0x1001000, 0x1000,
					RAMPART_PROT_RO, 5), -EEXIST);
	rp_render(p, buf, 4096);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "range.kernel_text poke deny\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "range.modules poke deny\n"));

	/* Sealed: poke may become ro; ro may not become poke; modules stays. */
	KUNIT_EXPECT_EQ(test, add_named(q, RAMPART_RANGE_KERNEL_TEXT, 0x1000000,
					0x800000, RAMPART_PROT_RO, 7), 0);
	KUNIT_EXPECT_EQ(test, add_named(q, RAMPART_RANGE_MODULES, 0, 0,
					RAMPART_PROT_RO, 8), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(q, p, &e), -EPERM);
	KUNIT_EXPECT_EQ(test, e.line, 7U);
	rp_policy_init(q);
	KUNIT_EXPECT_EQ(test, add_named(q, RAMPART_RANGE_KERNEL_TEXT, 0x1000000,
					0x800000, RAMPART_PROT_POKE, 1), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), -EPERM);
	KUNIT_EXPECT_EQ(test, e.line, 2U);
}

/*
 * range.idt also guards IDTR and GDTR (vmx/root/desc.c), by its name: the
 * strictest such rule decides, and sealed, it may not become a phys rule
 * over the same page, nor gain a weaker sibling that would decide instead.
 */
static void policy_idt_guard(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test), *q = new_policy(test);
	struct rampart_rule log = {
		.kind = RAMPART_ASSET_RANGE, .prot = RAMPART_PROT_RO,
		.action = RAMPART_ACT_LOG, .line = 3, .id = 0x5000000,
		.mask = 0x1000, .range = RAMPART_RANGE_IDT,
	};
	struct rampart_rule phys = {
		.kind = RAMPART_ASSET_PHYS, .prot = RAMPART_PROT_RO,
		.action = RAMPART_ACT_DENY, .line = 9, .id = 0x1d01000,
		.mask = 0x1000,
	};
	struct rp_policy_error e;

	KUNIT_EXPECT_NULL(test, rp_policy_idt_rule(p));
	KUNIT_ASSERT_EQ(test, add_named(p, RAMPART_RANGE_IDT, 0x1d01000, 0x1000,
					RAMPART_PROT_RO, 2), 0);
	KUNIT_ASSERT_EQ(test, rp_policy_add(p, &log, &e), 0);
	KUNIT_ASSERT_NOT_NULL(test, rp_policy_idt_rule(p));
	KUNIT_EXPECT_EQ(test, rp_policy_idt_rule(p)->line, 2U);

	/* The same page as a phys rule keeps the page, not the registers. */
	KUNIT_ASSERT_EQ(test, rp_policy_add(q, &phys, &e), 0);
	log.line = 4;
	KUNIT_ASSERT_EQ(test, rp_policy_add(q, &log, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), -EPERM);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_RELAXES);
	KUNIT_EXPECT_EQ(test, e.line, 2U);
	/* Named again, deny: as strict. */
	KUNIT_ASSERT_EQ(test, add_named(q, RAMPART_RANGE_IDT, 0x1d01000, 0x1000,
					RAMPART_PROT_RO, 5), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), 0);
}

/* ---- vmx.nested: emulate VMX for the kernel, or hide it ----------------- */

static void policy_vmx(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test), *q = new_policy(test);
	struct rampart_rule r = {
		.kind = RAMPART_ASSET_VMX, .prot = RAMPART_PROT_LOCK,
		.action = RAMPART_ACT_ALLOW, .line = 1, .id = RAMPART_VMX_NESTED,
	};
	struct rp_policy_error e;
	char *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* No rule: hidden, and nothing rendered. */
	rp_policy_init(p);
	KUNIT_EXPECT_FALSE(test, rp_policy_nested(p));
	rp_render(p, buf, 4096);
	KUNIT_EXPECT_NULL(test, strstr(buf, "vmx."));

	/* allow, twice: merged; renders and compiles back the same. */
	KUNIT_ASSERT_EQ(test, compile_text(test,
		"cr0.wp lock deny gp\nvmx.nested   lock allow # KVM\nvmx.nested lock allow\n",
		p, &e), 0);
	KUNIT_EXPECT_EQ(test, p->nrules, 3U);
	KUNIT_EXPECT_EQ(test, p->vmx_nested.action, (u8)RAMPART_ACT_ALLOW);
	KUNIT_EXPECT_EQ(test, p->vmx_nested.line, 2U);
	KUNIT_EXPECT_TRUE(test, rp_policy_nested(p));
	rp_render(p, buf, 4096);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nvmx.nested lock allow\n"));
	KUNIT_ASSERT_EQ(test, compile_text(test, buf, q, &e), 0);
	KUNIT_EXPECT_EQ(test, q->vmx_nested.action, (u8)RAMPART_ACT_ALLOW);
	KUNIT_EXPECT_EQ(test, q->cr_owned[RP_CR0], CR0_WP);

	/* deny: hidden, and said so. */
	KUNIT_ASSERT_EQ(test, compile_text(test, "vmx.nested lock deny\n", p, &e), 0);
	KUNIT_EXPECT_EQ(test, p->vmx_nested.action, (u8)RAMPART_ACT_DENY);
	KUNIT_EXPECT_FALSE(test, rp_policy_nested(p));
	rp_render(p, buf, 4096);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nvmx.nested lock deny\n"));
	KUNIT_ASSERT_EQ(test, compile_text(test, buf, q, &e), 0);
	KUNIT_EXPECT_EQ(test, q->vmx_nested.action, (u8)RAMPART_ACT_DENY);

	/* Binary rules root would get from a kernel that lies. */
	rp_policy_init(p);
	r.id = 0;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_VMX_NAME);
	r.id = RAMPART_VMX_NR;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_VMX_NAME);
	r.id = RAMPART_VMX_NESTED;
	r.mask = 1;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_FIELD);
	r.mask = 0;
	r.range = RAMPART_RANGE_IDT;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_FIELD);
	r.range = 0;
	r.action = RAMPART_ACT_DENY;
	r.deny = RAMPART_DENY_GP;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_VMX_DENY_MODE);
	KUNIT_EXPECT_EQ(test, p->vmx_nested.action, (u8)0);
	KUNIT_EXPECT_EQ(test, p->nrules, 0U);
}

struct vmx_seal_case {
	const char *name;
	const char *old, *new;
	int err;
	u32 line, other;	/* the sealed rule (0: none) and the new one */
};

static const struct vmx_seal_case vmx_seal_cases[] = {
	{ "allow to deny", "vmx.nested lock allow\n", "cr0.wp lock deny gp\nvmx.nested lock deny\n", 0, 0, 0 },
	{ "allow to no rule (deny)", "vmx.nested lock allow\n", "cr0.wp lock deny gp\n", 0, 0, 0 },
	{ "allow stays allow", "vmx.nested lock allow\n", "vmx.nested lock allow\n", 0, 0, 0 },
	{ "deny stays deny", "vmx.nested lock deny\n", "vmx.nested lock deny\n", 0, 0, 0 },
	{ "deny to no rule", "vmx.nested lock deny\n", "cr0.wp lock deny gp\n", 0, 0, 0 },
	{ "deny to allow", "cr0.wp lock deny gp\nvmx.nested lock deny\n",
	  "cr0.wp lock deny gp\n\nvmx.nested lock allow\n", -EPERM, 2, 3 },
	{ "no rule to allow", "cr0.wp lock deny gp\n",
	  "cr0.wp lock deny gp\nvmx.nested lock allow\n", -EPERM, 0, 2 },
};

static void vmx_seal_case_desc(const struct vmx_seal_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vmx_seal, vmx_seal_cases, vmx_seal_case_desc);

/* Sealed, VMX emulation may be turned off, never on. */
static void policy_vmx_sealed(struct kunit *test)
{
	const struct vmx_seal_case *c = test->param_value;
	struct rampart_policy *old = new_policy(test), *new = new_policy(test);
	struct rp_policy_error e = {};

	KUNIT_ASSERT_EQ(test, compile_text(test, c->old, old, &e), 0);
	KUNIT_ASSERT_EQ(test, compile_text(test, c->new, new, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(old, new, &e), c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_RELAXES);
		KUNIT_EXPECT_EQ(test, e.line, c->line);
		KUNIT_EXPECT_EQ(test, e.other, c->other);
	}
}

/*
 * The default policy (core/default_policy.c) allows nested VMX where root
 * can emulate it, and says nothing (hidden) where it cannot; each compiles.
 */
static void default_policy_vmx(struct kunit *test)
{
	struct rampart_policy *on = new_policy(test), *off = new_policy(test);
	struct rp_policy_error e = {};
	char *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = rampart_default_policy(buf, 1024, false, true);
	KUNIT_ASSERT_LT(test, len, (size_t)1023);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nvmx.nested lock allow\n"));
	KUNIT_ASSERT_EQ_MSG(test, compile_text(test, buf, on, &e), 0,
			    "line %u: %s", e.line, rp_policy_strerror(e.code));
	KUNIT_EXPECT_TRUE(test, rp_policy_nested(on));

	len = rampart_default_policy(buf, 1024, false, false);
	KUNIT_ASSERT_LT(test, len, (size_t)1023);
	KUNIT_EXPECT_NULL(test, strstr(buf, "vmx."));
	KUNIT_ASSERT_EQ(test, compile_text(test, buf, off, &e), 0);
	KUNIT_EXPECT_FALSE(test, rp_policy_nested(off));

	/* Sealed with the default, a policy may drop the rule, not add it. */
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(on, off, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(off, on, &e), -EPERM);
	KUNIT_EXPECT_EQ(test, e.line, 0U);
}

static struct kunit_case policy_cases[] = {
	KUNIT_CASE(policy_vmx),
	KUNIT_CASE_PARAM(policy_vmx_sealed, vmx_seal_gen_params),
	KUNIT_CASE(default_policy_vmx),
	KUNIT_CASE(policy_idt_guard),
	KUNIT_CASE(policy_ranges),
	KUNIT_CASE(policy_text),
	KUNIT_CASE(policy_poke_log),
	KUNIT_CASE_PARAM(policy_rejects, err_gen_params),
	KUNIT_CASE(policy_compiles),
	KUNIT_CASE(newer_assets_named),
	KUNIT_CASE_PARAM(policy_decides_cr, cr_gen_params),
	KUNIT_CASE_PARAM(policy_decides_msr, msr_gen_params),
	KUNIT_CASE_PARAM(policy_seal_stricter_only, seal_gen_params),
	KUNIT_CASE(policy_limits),
	KUNIT_CASE(policy_renders),
	{}
};

static struct kunit_suite policy_suite = {
	.name = "rampart_policy",
	.test_cases = policy_cases,
};

kunit_test_suite(policy_suite);
