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

/*
 * Parse @text, with @fn resolving its watches (NULL: physical ones only),
 * and compile it as root would; 0 or the first error.
 */
static int compile_resolve(struct kunit *test, const char *text,
			   struct rampart_policy *p, struct rp_policy_error *e,
			   rp_watch_resolve_fn fn, void *ctx)
{
	struct rampart_rule *rules;
	u32 n, i;
	int err;

	rules = kunit_kcalloc(test, RAMPART_POLICY_MAX_RULES + 1,
			      sizeof(*rules), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rules);
	err = rp_parse_resolve(text, strlen(text), rules,
			       RAMPART_POLICY_MAX_RULES + 1, &n, e, fn, ctx);
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

/* Parse and compile @text as root would; 0 or the first error. */
static int compile_text(struct kunit *test, const char *text,
			struct rampart_policy *p, struct rp_policy_error *e)
{
	return compile_resolve(test, text, p, e, NULL, NULL);
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
	/* Write-watch: the target's syntax, then what root refuses. */
	{ "watch: virt without :len", "# w\nwatch.virt.0xffffc90000000000 ro log\n", RP_ERR_WATCH_NAME, 2, 0, -EINVAL },
	{ "watch: phys without :len", "watch.phys.0x1000 ro log\n", RP_ERR_WATCH_NAME, 1, 0, -EINVAL },
	{ "watch: symbol starts with a digit", "watch.1jiffies ro log\n", RP_ERR_WATCH_NAME, 1, 0, -EINVAL },
	{ "watch: symbol with '-'", "watch.jiffies-64 ro log\n", RP_ERR_WATCH_NAME, 1, 0, -EINVAL },
	{ "watch: symbol with '-', off, len", "watch.a-b+8:8 ro log\n", RP_ERR_WATCH_NAME, 1, 0, -EINVAL },
	{ "watch: no symbol before +off", "watch.+8 ro log\n", RP_ERR_WATCH_NAME, 1, 0, -EINVAL },
	{ "watch: no symbol before :len", "watch.:8 ro log\n", RP_ERR_WATCH_NAME, 1, 0, -EINVAL },
	{ "watch: nothing after watch.", "watch. ro log\n", RP_ERR_ASSET, 1, 0, -EINVAL },
	{ "watch: bad :len", "watch.jiffies_64:8x ro log\n", RP_ERR_NUMBER, 1, 0, -EINVAL },
	{ "watch: empty :len", "watch.jiffies_64: ro log\n", RP_ERR_NUMBER, 1, 0, -EINVAL },
	{ "watch: bad +off", "\nwatch.jiffies_64+0xg ro log\n", RP_ERR_NUMBER, 2, 0, -EINVAL },
	{ "watch: bad virt address", "watch.virt.0xffffzz:8 ro log\n", RP_ERR_NUMBER, 1, 0, -EINVAL },
	{ "watch: bad phys address", "watch.phys.4096x:8 ro log\n", RP_ERR_NUMBER, 1, 0, -EINVAL },
	{ "watch: :len overflows 64 bits", "watch.phys.0x1000:0x10000000000000000 ro log\n", RP_ERR_NUMBER, 1, 0, -EINVAL },
	{ "watch: symbol :0", "watch.jiffies_64:0 ro log\n", RP_ERR_WATCH_RANGE, 1, 0, -ERANGE },
	{ "watch: phys :0", "# c\n\nwatch.phys.0x1000:0x0 ro log\n", RP_ERR_WATCH_RANGE, 3, 0, -ERANGE },
	{ "watch: virt :0", "watch.virt.0xffffc90000000000:0 ro log\n", RP_ERR_WATCH_RANGE, 1, 0, -ERANGE },
	{ "watch: ro deny", "watch.jiffies_64 ro deny\n", RP_ERR_WATCH_RULE, 1, 0, -EINVAL },
	{ "watch: ro deny gp", "watch.phys.0x1000:8 ro deny gp\n", RP_ERR_WATCH_RULE, 1, 0, -EINVAL },
	{ "watch: lock log", "watch.phys.0x1000:8 lock log\n", RP_ERR_WATCH_RULE, 1, 0, -EINVAL },
	{ "watch: poke log", "\nwatch.jiffies_64 poke log\n", RP_ERR_WATCH_RULE, 2, 0, -EINVAL },
	{ "watch: ro allow", "watch.virt.0xffffc90000000000:8 ro allow\n", RP_ERR_WATCH_RULE, 1, 0, -EINVAL },
	{ "watch: symbol needs the kernel", "cr0.wp lock deny gp\nwatch.jiffies_64 ro log\n", RP_ERR_WATCH_LATER, 2, 0, -EINVAL },
	{ "watch: symbol+off:len needs the kernel", "watch.rp_watch_target+0x8:8 ro log\n", RP_ERR_WATCH_LATER, 1, 0, -EINVAL },
	{ "watch: virt needs the kernel", "# c\n\nwatch.virt.0xffffc90000000000:8 ro log\n", RP_ERR_WATCH_LATER, 3, 0, -EINVAL },
	{ "watch: unaligned phys deny is a range", "phys.0x1001+0x10 ro deny\n", RP_ERR_PHYS, 1, 0, -ERANGE },
	{ "watch: unaligned phys allow is a range", "phys.0x1000+0x10 ro allow\n", RP_ERR_PHYS, 1, 0, -ERANGE },
	{ "watch: overlapping watches", "watch.phys.0x1000:8 ro log\n# x\nwatch.phys.0x1004:8 ro log\n", RP_ERR_CONFLICT, 3, 1, -EEXIST },
	{ "watch: unaligned phys log overlaps", "watch.phys.0x1000:0x10 ro log\nphys.0x1008+0x10 ro log\n", RP_ERR_CONFLICT, 2, 1, -EEXIST },
	{ "watch: phys that wraps", "watch.phys.0xfffffffffffffff8:0x10 ro log\n", RP_ERR_WATCH_RANGE, 1, 0, -ERANGE },
	{ "watch: phys over 256 pages", "watch.phys.0x1000:0x100001 ro log\n", RP_ERR_WATCH_TOO_MANY, 1, 0, -E2BIG },
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

/* ---- write-watch: parsing, resolving, compiling, sealing, rendering ----- */

/* What a test resolver saw and does: see watch_resolve(). */
struct watch_rec {
	u32 calls;
	struct rp_watch_ref ref;	/* the last watch */
	char name[RP_WATCH_NAME_MAX + 1];
	u32 room;			/* the room it was given */
	u32 pieces;			/* pieces to emit (0: 1) */
	u32 claim;			/* 0, or the count to claim instead */
	u32 fail;			/* 0, or the error to return */
	u64 next;			/* where the next piece starts */
};

/*
 * A resolver as the kernel side is one: each watch becomes @rec->pieces
 * 8-byte pieces, one per page from @rec->next on; or it fails.
 */
static int watch_resolve(void *ctx, const struct rp_watch_ref *w,
			 struct rampart_rule *out, u32 room, u32 *n,
			 struct rp_policy_error *e)
{
	struct watch_rec *rec = ctx;
	u32 i, want = rec->pieces ?: 1;

	rec->calls++;
	rec->ref = *w;
	rec->room = room;
	memset(rec->name, 0, sizeof(rec->name));
	if (w->name && w->name_len < sizeof(rec->name))
		memcpy(rec->name, w->name, w->name_len);
	if (rec->fail)
		return rp_policy_fail(e, rec->fail, w->line, 0);
	for (i = 0; i < want && i < room; i++) {
		rp_watch_piece(&out[i], w, rec->next, 8);
		rec->next += 0x1000;
	}
	*n = rec->claim ?: i;
	return 0;
}

static struct watch_rec *new_rec(struct kunit *test)
{
	struct watch_rec *rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rec);
	rec->next = 0x7000000;
	return rec;
}

struct watch_form {
	const char *text;	/* the watch on line 2 */
	u32 how;
	const char *name;	/* RP_WATCH_SYM: the symbol */
	bool has_len;
	u64 addr, off, len;
};

static const struct watch_form watch_forms[] = {
	{ "watch.jiffies_64 ro log", RP_WATCH_SYM, "jiffies_64", false, 0, 0, 0 },
	{ "watch.rp_watch_target+0x8 ro log", RP_WATCH_SYM, "rp_watch_target", false, 0, 8, 0 },
	{ "watch.init_task:16 ro log", RP_WATCH_SYM, "init_task", true, 0, 0, 16 },
	{ "watch.rp_watch_target+8:0x8 ro log", RP_WATCH_SYM, "rp_watch_target", true, 0, 8, 8 },
	{ "watch.foo.cold$1+0x10:4 ro log", RP_WATCH_SYM, "foo.cold$1", true, 0, 0x10, 4 },
	{ "watch._$a.b ro log", RP_WATCH_SYM, "_$a.b", false, 0, 0, 0 },
	{ "watch.virt:8 ro log", RP_WATCH_SYM, "virt", true, 0, 0, 8 },
	{ "watch.virt.0xffffc90000123000:24 ro log", RP_WATCH_VIRT, NULL, true, 0xffffc90000123000ULL, 0, 24 },
	{ "\twatch.virt.18446683600571215872:0X18  ro  log # c", RP_WATCH_VIRT, NULL, true, 0xffffc90000123000ULL, 0, 24 },
	{ "watch.phys.0x1234:8 ro log", RP_WATCH_PHYS, NULL, true, 0x1234, 0, 8 },
	{ "watch.phys.0:0x100000 ro log", RP_WATCH_PHYS, NULL, true, 0, 0, 0x100000 },
	{ "phys.0x1234+8 ro log", RP_WATCH_PHYS, NULL, true, 0x1234, 0, 8 },
	{ "phys.0x1000+0x1008 ro log", RP_WATCH_PHYS, NULL, true, 0x1000, 0, 0x1008 },
};

static void watch_form_desc(const struct watch_form *f, char *desc)
{
	strscpy(desc, f->text, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(watch_form, watch_forms, watch_form_desc);

/* Each form of a watch reaches the resolver as written, with its line. */
static void watch_parses(struct kunit *test)
{
	const struct watch_form *f = test->param_value;
	struct watch_rec *rec = new_rec(test);
	struct rampart_rule *rules = kunit_kcalloc(test, 8, sizeof(*rules),
						   GFP_KERNEL);
	struct rp_policy_error e;
	char *text = kunit_kzalloc(test, 512, GFP_KERNEL);
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, rules);
	KUNIT_ASSERT_NOT_NULL(test, text);
	snprintf(text, 512, "cr0.wp lock deny gp\n%s\nmsr.lstar lock deny gp\n",
		 f->text);
	KUNIT_ASSERT_EQ_MSG(test, rp_parse_resolve(text, strlen(text), rules, 8,
						   &n, &e, watch_resolve, rec), 0,
			    "line %u: %s", e.line, rp_policy_strerror(e.code));
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, rec->calls, 1U);
	KUNIT_EXPECT_EQ(test, rec->room, 7U);
	KUNIT_EXPECT_EQ(test, rec->ref.how, f->how);
	KUNIT_EXPECT_EQ(test, rec->ref.line, 2U);
	KUNIT_EXPECT_EQ(test, rec->ref.has_len, f->has_len);
	KUNIT_EXPECT_EQ(test, rec->ref.addr, f->addr);
	KUNIT_EXPECT_EQ(test, rec->ref.off, f->off);
	KUNIT_EXPECT_EQ(test, rec->ref.len, f->len);
	if (f->name) {
		KUNIT_EXPECT_EQ(test, rec->ref.name_len, (u32)strlen(f->name));
		KUNIT_EXPECT_STREQ(test, rec->name, f->name);
	} else {
		KUNIT_EXPECT_EQ(test, rec->ref.name_len, 0U);
	}
	KUNIT_EXPECT_EQ(test, rules[1].kind, (u8)RAMPART_ASSET_WATCH);
	KUNIT_EXPECT_EQ(test, rules[1].line, 2U);
	KUNIT_EXPECT_EQ(test, rules[1].id, 0x7000000ULL);
	KUNIT_EXPECT_EQ(test, rules[2].kind, (u8)RAMPART_ASSET_MSR);
	KUNIT_EXPECT_EQ(test, rules[2].line, 3U);
}

/* A symbol of RP_WATCH_NAME_MAX bytes is the longest a watch may name. */
static void watch_name_length(struct kunit *test)
{
	struct watch_rec *rec = new_rec(test);
	struct rampart_rule rules[2];
	struct rp_policy_error e;
	char *text = kunit_kzalloc(test, 256, GFP_KERNEL);
	u32 n, len;

	KUNIT_ASSERT_NOT_NULL(test, text);
	for (len = RP_WATCH_NAME_MAX - 1; len <= RP_WATCH_NAME_MAX + 1; len++) {
		memset(text, 0, 256);
		memcpy(text, "\nwatch.", 7);
		memset(text + 7, 'a', len);
		text[7 + len - 1] = '9';
		strscpy(text + 7 + len, "+0x10:8 ro log\n", 256 - 7 - len);
		rec->calls = 0;
		if (len <= RP_WATCH_NAME_MAX) {
			KUNIT_EXPECT_EQ(test, rp_parse_resolve(text, strlen(text),
					rules, 2, &n, &e, watch_resolve, rec), 0);
			KUNIT_EXPECT_EQ(test, rec->ref.name_len, len);
			KUNIT_EXPECT_EQ(test, rec->ref.off, 0x10ULL);
			KUNIT_EXPECT_EQ(test, rec->name[len - 1], '9');
		} else {
			KUNIT_EXPECT_EQ(test, rp_parse_resolve(text, strlen(text),
					rules, 2, &n, &e, watch_resolve, rec),
					-EINVAL);
			KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_NAME);
			KUNIT_EXPECT_EQ(test, e.line, 2U);
			KUNIT_EXPECT_EQ(test, rec->calls, 0U);
		}
	}
}

/* Without a resolver a physical watch is one rule; so is unaligned phys log. */
static void watch_phys_rule(struct kunit *test)
{
	static const char text[] =
		"watch.phys.0x1234:8 ro log\n"
		"phys.0x2001+0x10 ro log\n"
		"phys.0x3000+0x1000 ro log\n"	/* aligned: a range */
		"phys.0x4000+0x10 ro deny\n";	/* deny: a range, refused */
	struct rampart_policy *p = new_policy(test);
	struct rampart_rule rules[4];
	struct rp_policy_error e;
	u32 n;

	KUNIT_ASSERT_EQ(test, rp_parse(text, strlen(text), rules, 4, &n, &e), 0);
	KUNIT_ASSERT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, rules[0].kind, (u8)RAMPART_ASSET_WATCH);
	KUNIT_EXPECT_EQ(test, rules[0].prot, (u8)RAMPART_PROT_RO);
	KUNIT_EXPECT_EQ(test, rules[0].action, (u8)RAMPART_ACT_LOG);
	KUNIT_EXPECT_EQ(test, rules[0].deny, (u8)RAMPART_DENY_NONE);
	KUNIT_EXPECT_EQ(test, rules[0].line, 1U);
	KUNIT_EXPECT_EQ(test, rules[0].id, 0x1234ULL);
	KUNIT_EXPECT_EQ(test, rules[0].mask, 8ULL);
	KUNIT_EXPECT_EQ(test, rules[0].range, 0U);
	KUNIT_EXPECT_EQ(test, rules[1].kind, (u8)RAMPART_ASSET_WATCH);
	KUNIT_EXPECT_EQ(test, rules[1].id, 0x2001ULL);
	KUNIT_EXPECT_EQ(test, rules[1].mask, 0x10ULL);
	KUNIT_EXPECT_EQ(test, rules[1].line, 2U);
	KUNIT_EXPECT_EQ(test, rules[2].kind, (u8)RAMPART_ASSET_PHYS);
	KUNIT_EXPECT_EQ(test, rules[3].kind, (u8)RAMPART_ASSET_PHYS);
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &rules[0], &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &rules[1], &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &rules[2], &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &rules[3], &e), -ERANGE);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_PHYS);
	KUNIT_EXPECT_EQ(test, e.line, 4U);
	KUNIT_EXPECT_EQ(test, p->nwatch, 2U);
	KUNIT_EXPECT_EQ(test, p->nrange, 1U);
	KUNIT_EXPECT_EQ(test, p->range[0].action, (u8)RAMPART_ACT_LOG);
}

/* A resolver's pieces, its errors, and what it may not claim. */
static void watch_resolver(struct kunit *test)
{
	static const char text[] =
		"cr0.wp lock deny gp\n"
		"watch.jiffies_64 ro log\n"
		"msr.lstar lock deny gp\n";
	struct rampart_policy *p = new_policy(test);
	struct watch_rec *rec = new_rec(test);
	struct rampart_rule rules[5];
	struct rp_policy_error e;
	u32 n;

	/* Two pieces for one watch: both on its line, then the next rule. */
	rec->pieces = 2;
	KUNIT_ASSERT_EQ(test, rp_parse_resolve(text, strlen(text), rules, 5,
					       &n, &e, watch_resolve, rec), 0);
	KUNIT_ASSERT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, rec->room, 4U);
	KUNIT_EXPECT_EQ(test, rules[1].kind, (u8)RAMPART_ASSET_WATCH);
	KUNIT_EXPECT_EQ(test, rules[1].id, 0x7000000ULL);
	KUNIT_EXPECT_EQ(test, rules[2].kind, (u8)RAMPART_ASSET_WATCH);
	KUNIT_EXPECT_EQ(test, rules[2].id, 0x7001000ULL);
	KUNIT_EXPECT_EQ(test, rules[2].line, 2U);
	KUNIT_EXPECT_EQ(test, rules[3].kind, (u8)RAMPART_ASSET_MSR);
	KUNIT_EXPECT_EQ(test, rules[3].line, 3U);
	rec->next = 0x7000000;
	KUNIT_ASSERT_EQ(test, compile_resolve(test, text, p, &e, watch_resolve,
					      rec), 0);
	KUNIT_EXPECT_EQ(test, p->nrules, 4U);
	KUNIT_EXPECT_EQ(test, p->nwatch, 2U);
	KUNIT_EXPECT_EQ(test, p->nwatch_pages, 2U);
	KUNIT_EXPECT_EQ(test, p->watch[1].start, 0x7001000ULL);
	KUNIT_EXPECT_EQ(test, p->watch[1].end, 0x7001008ULL);
	KUNIT_EXPECT_EQ(test, p->watch[1].line, 2U);

	/* Exactly the room there is: fine; one more: too many. */
	rec->pieces = 4;
	KUNIT_EXPECT_EQ(test, rp_parse_resolve(text, strlen(text), rules, 5,
					       &n, &e, watch_resolve, rec),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_TOO_MANY);
	KUNIT_EXPECT_EQ(test, e.line, 3U);
	rec->pieces = 0;
	rec->claim = 5;		/* more than the 4 it was given */
	KUNIT_EXPECT_EQ(test, rp_parse_resolve(text, strlen(text), rules, 5,
					       &n, &e, watch_resolve, rec),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_TOO_MANY);
	KUNIT_EXPECT_EQ(test, e.line, 2U);
	KUNIT_EXPECT_EQ(test, n, 0U);
	rec->claim = 4;
	KUNIT_EXPECT_EQ(test, rp_parse_resolve(text, strlen(text), rules, 5,
					       &n, &e, watch_resolve, rec),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, e.line, 3U);	/* no room for the MSR */

	/* The resolver's error, code and line, is the caller's. */
	rec->claim = 0;
	rec->fail = RP_ERR_WATCH_SYMBOL;
	KUNIT_EXPECT_EQ(test, rp_parse_resolve(text, strlen(text), rules, 5,
					       &n, &e, watch_resolve, rec),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_SYMBOL);
	KUNIT_EXPECT_EQ(test, e.line, 2U);
	KUNIT_EXPECT_EQ(test, n, 0U);
	rec->fail = RP_ERR_WATCH_ADDR;
	KUNIT_EXPECT_EQ(test, compile_resolve(test, "\n\nwatch.virt.0x1000:8 ro log\n",
					      p, &e, watch_resolve, rec),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_ADDR);
	KUNIT_EXPECT_EQ(test, e.line, 3U);
	/* A syntax error never reaches the resolver. */
	rec->fail = 0;
	rec->calls = 0;
	KUNIT_EXPECT_EQ(test, compile_resolve(test, "watch.jiffies_64 ro deny\n",
					      p, &e, watch_resolve, rec),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_RULE);
	KUNIT_EXPECT_EQ(test, rec->calls, 0U);
}

/* One watch piece as the kernel side hands it to root. */
static int add_piece(struct rampart_policy *p, u64 start, u64 len, u32 line,
		     struct rp_policy_error *e)
{
	struct rampart_rule r = {
		.kind = RAMPART_ASSET_WATCH, .prot = RAMPART_PROT_RO,
		.action = RAMPART_ACT_LOG, .line = line, .id = start,
		.mask = len,
	};

	return rp_policy_add(p, &r, e);
}

/* Pieces are kept sorted and disjoint; the same one again merges. */
static void watch_compiles(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test);
	struct rampart_rule r = {
		.kind = RAMPART_ASSET_WATCH, .prot = RAMPART_PROT_RO,
		.action = RAMPART_ACT_LOG, .line = 9, .id = 0x9000, .mask = 8,
	};
	struct rp_policy_error e;

	KUNIT_ASSERT_EQ(test, add_piece(p, 0x3000, 0x10, 1, &e), 0);
	KUNIT_ASSERT_EQ(test, add_piece(p, 0x1000, 8, 2, &e), 0);
	KUNIT_ASSERT_EQ(test, add_piece(p, 0x2ff8, 8, 3, &e), 0);
	KUNIT_ASSERT_EQ(test, add_piece(p, 0x1008, 8, 4, &e), 0);	/* touches */
	KUNIT_ASSERT_EQ(test, add_piece(p, 0x0ff8, 8, 5, &e), 0);	/* touches */
	KUNIT_ASSERT_EQ(test, p->nwatch, 5U);
	KUNIT_EXPECT_EQ(test, p->watch[0].start, 0x0ff8ULL);
	KUNIT_EXPECT_EQ(test, p->watch[1].start, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, p->watch[2].start, 0x1008ULL);
	KUNIT_EXPECT_EQ(test, p->watch[3].start, 0x2ff8ULL);
	KUNIT_EXPECT_EQ(test, p->watch[3].end, 0x3000ULL);
	KUNIT_EXPECT_EQ(test, p->watch[3].line, 3U);
	KUNIT_EXPECT_EQ(test, p->watch[4].start, 0x3000ULL);
	KUNIT_EXPECT_EQ(test, p->watch[4].end, 0x3010ULL);
	KUNIT_EXPECT_EQ(test, p->nwatch_pages, 4U);	/* pages 0 to 3 */

	/* The same piece again: merged, first line kept, still a rule. */
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1000, 8, 6, &e), 0);
	KUNIT_EXPECT_EQ(test, p->nwatch, 5U);
	KUNIT_EXPECT_EQ(test, p->watch[1].line, 2U);
	KUNIT_EXPECT_EQ(test, p->nrules, 6U);

	/* Overlaps conflict, naming the piece they overlap. */
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1004, 8, 7, &e), -EEXIST);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_CONFLICT);
	KUNIT_EXPECT_EQ(test, e.line, 7U);
	KUNIT_EXPECT_EQ(test, e.other, 2U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1000, 4, 7, &e), -EEXIST);
	KUNIT_EXPECT_EQ(test, e.other, 2U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x2000, 0x1001, 7, &e), -EEXIST);
	KUNIT_EXPECT_EQ(test, e.other, 3U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0, 0x10000, 7, &e), -EEXIST);
	KUNIT_EXPECT_EQ(test, e.other, 5U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x300f, 1, 7, &e), -EEXIST);
	KUNIT_EXPECT_EQ(test, e.other, 1U);
	KUNIT_EXPECT_EQ(test, p->nwatch, 5U);

	/* Lengths: 0 or wrapping is out of range; id 0 mask 0 unresolved. */
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x9000, 0, 8, &e), -ERANGE);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_RANGE);
	KUNIT_EXPECT_EQ(test, e.line, 8U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0xfffffffffffff000ULL, 0x2000, 8, &e),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_RANGE);
	KUNIT_EXPECT_EQ(test, add_piece(p, ~0ULL, ~0ULL, 8, &e), -ERANGE);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_RANGE);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0, 0, 8, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_LATER);
	KUNIT_EXPECT_EQ(test, e.line, 8U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0xfffffffffffffff0ULL, 0xf, 8, &e), 0);

	/* Binary fields a kernel that lies could send. */
	r.range = RAMPART_RANGE_IDT;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_FIELD);
	KUNIT_EXPECT_EQ(test, e.line, 9U);
	r.range = 0;
	r.prot = RAMPART_PROT_LOCK;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_RULE);
	r.prot = RAMPART_PROT_RO;
	r.action = RAMPART_ACT_DENY;
	r.deny = RAMPART_DENY_GP;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_RULE);
	r.action = RAMPART_ACT_LOG;
	r.deny = RAMPART_DENY_GP;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_FIELD);
	r.deny = 0;
	r.reserved = 1;
	KUNIT_EXPECT_EQ(test, rp_policy_add(p, &r, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_FIELD);
	KUNIT_EXPECT_EQ(test, p->nwatch, 6U);
	KUNIT_EXPECT_EQ(test, p->nrules, 7U);
}

/* 1024 pieces at most, and 256 pages: a page shared is counted once. */
static void watch_limits(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test);
	struct rp_policy_error e;
	u32 i;

	/* 1024 pieces of 8 bytes, 12 apart: 3 pages, some pieces across two. */
	for (i = 0; i < RAMPART_WATCH_MAX; i++)
		KUNIT_ASSERT_EQ(test, add_piece(p, 0x100000 + 12 * i, 8, i + 1,
						&e), 0);
	KUNIT_EXPECT_EQ(test, p->nwatch, RAMPART_WATCH_MAX);
	KUNIT_EXPECT_EQ(test, p->nwatch_pages, 3U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x100000, 8, 1, &e), 0);	/* again */
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x100008, 4, 2000, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_TOO_MANY);
	KUNIT_EXPECT_EQ(test, e.line, 2000U);
	KUNIT_EXPECT_EQ(test, p->nwatch, RAMPART_WATCH_MAX);

	/* The same, added from the top: pages shared with the next piece. */
	rp_policy_init(p);
	for (i = RAMPART_WATCH_MAX; i-- > 0;)
		KUNIT_ASSERT_EQ(test, add_piece(p, 0x100000 + 12 * i, 8, i + 1,
						&e), 0);
	KUNIT_EXPECT_EQ(test, p->nwatch_pages, 3U);
	KUNIT_EXPECT_EQ(test, p->watch[0].start, 0x100000ULL);
	KUNIT_EXPECT_EQ(test, p->watch[1023].start, 0x100000ULL + 12 * 1023);

	/* 256 pieces in the middle of 256 pages: full. */
	rp_policy_init(p);
	for (i = 0; i < RAMPART_WATCH_MAX_PAGES; i++)
		KUNIT_ASSERT_EQ(test, add_piece(p, 0x200800 + 0x1000 * i, 8,
						i + 1, &e), 0);
	KUNIT_EXPECT_EQ(test, p->nwatch_pages, RAMPART_WATCH_MAX_PAGES);
	/* A 257th page is refused, alone or as the tail of a piece. */
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x300000, 1, 300, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_TOO_MANY);
	KUNIT_EXPECT_EQ(test, e.line, 300U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x2ff810, 0x800, 301, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1ff800, 0x801, 302, &e), -E2BIG);
	/* Pages already counted are free: the same page, or bridging two. */
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x200000, 0x10, 303, &e), 0);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x200808, 0x1000 - 8, 304, &e), 0);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x2ff808, 0x7f8, 305, &e), 0);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x202808, 0xff8, 306, &e), 0);
	KUNIT_EXPECT_EQ(test, p->nwatch_pages, RAMPART_WATCH_MAX_PAGES);
	KUNIT_EXPECT_EQ(test, p->nwatch, RAMPART_WATCH_MAX_PAGES + 4);

	/* One piece: 256 pages is the most; one byte more, refused. */
	rp_policy_init(p);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1000000, 0x100001, 5, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_WATCH_TOO_MANY);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1000800, 0x100000, 5, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1000000, ~0ULL >> 1, 5, &e), -E2BIG);
	KUNIT_EXPECT_EQ(test, p->nwatch, 0U);
	KUNIT_EXPECT_EQ(test, add_piece(p, 0x1000000, 0x100000, 5, &e), 0);
	KUNIT_EXPECT_EQ(test, p->nwatch_pages, RAMPART_WATCH_MAX_PAGES);
}

struct watch_find {
	u64 start, end;
	u32 line;	/* of the watch found; 0: none */
};

static const struct watch_find watch_finds[] = {
	{ 0x1000, 0x1001, 1 }, { 0x1007, 0x1008, 1 }, { 0x0ff8, 0x1000, 0 },
	{ 0x0, 0x1001, 1 }, { 0x1008, 0x1010, 0 }, { 0x1007, 0x1011, 1 },
	{ 0x1008, 0x1011, 2 }, { 0x101f, 0x1020, 2 }, { 0x1020, 0x2000, 0 },
	{ 0x0, ~0ULL, 1 }, { 0x1020, ~0ULL, 3 }, { 0x2000, 0x2001, 3 },
	{ 0x2001, ~0ULL, 0 }, { 0x0, 0x1000, 0 },
};

/* The first piece that overlaps a write; the end is exclusive. */
static void watch_found(struct kunit *test)
{
	struct rampart_policy *p = new_policy(test);
	const struct rp_watch_rule *w;
	struct rp_policy_error e;
	u32 i;

	KUNIT_EXPECT_NULL(test, rp_policy_watch(p, 0, ~0ULL));
	KUNIT_ASSERT_EQ(test, add_piece(p, 0x2000, 1, 3, &e), 0);
	KUNIT_ASSERT_EQ(test, add_piece(p, 0x1010, 0x10, 2, &e), 0);
	KUNIT_ASSERT_EQ(test, add_piece(p, 0x1000, 8, 1, &e), 0);
	for (i = 0; i < ARRAY_SIZE(watch_finds); i++) {
		const struct watch_find *f = &watch_finds[i];

		w = rp_policy_watch(p, f->start, f->end);
		KUNIT_EXPECT_EQ_MSG(test, w ? w->line : 0, f->line,
				    "[%#llx, %#llx)", f->start, f->end);
	}
}

struct watch_seal_case {
	const char *name;
	const char *old, *new;
	int err;
	u32 line;	/* the sealed watch refused */
};

static const struct watch_seal_case watch_seal_cases[] = {
	{ "watch kept", "# w\nwatch.phys.0x1000:8 ro log\n",
	  "watch.phys.0x1000:8 ro log\n", 0, 0 },
	{ "watch removed", "# w\nwatch.phys.0x1000:8 ro log\n",
	  "cr0.wp lock deny gp\n", -EPERM, 2 },
	{ "second watch removed",
	  "watch.phys.0x1000:8 ro log\nwatch.phys.0x5000:8 ro log\n",
	  "watch.phys.0x1000:8 ro log\n", -EPERM, 2 },
	{ "watch grows", "watch.phys.0x1000:8 ro log\n",
	  "watch.phys.0xff0:0x20 ro log\n", 0, 0 },
	{ "watch shrinks", "watch.phys.0x1000:8 ro log\n",
	  "watch.phys.0x1000:4 ro log\n", -EPERM, 1 },
	{ "watch moves", "watch.phys.0x1000:8 ro log\n",
	  "watch.phys.0x1004:8 ro log\n", -EPERM, 1 },
	{ "log range does not (no bytes)", "watch.phys.0x1000:8 ro log\n",
	  "phys.0x1000+0x1000 ro log\n", -EPERM, 1 },
	{ "deny range covers it", "watch.phys.0x1ff8:8 ro log\n",
	  "phys.0x0+0x2000 ro deny\n", 0, 0 },
	{ "allow range does not", "watch.phys.0x1000:8 ro log\n",
	  "phys.0x1000+0x1000 ro allow\n", -EPERM, 1 },
	{ "range covers a part", "watch.phys.0xff8:0x10 ro log\n",
	  "phys.0x1000+0x1000 ro deny\n", -EPERM, 1 },
	{ "watches added", "watch.phys.0x1000:8 ro log\n",
	  "watch.phys.0x3000:8 ro log\nwatch.phys.0x1000:8 ro log\nphys.0x2001+1 ro log\n",
	  0, 0 },
	{ "first watches", "cr0.wp lock deny gp\n",
	  "cr0.wp lock deny gp\nwatch.phys.0x1000:8 ro log\n", 0, 0 },
};

static void watch_seal_case_desc(const struct watch_seal_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(watch_seal, watch_seal_cases, watch_seal_case_desc);

/* Sealed, a load may add watches, never remove one. */
static void watch_sealed(struct kunit *test)
{
	const struct watch_seal_case *c = test->param_value;
	struct rampart_policy *old = new_policy(test), *new = new_policy(test);
	struct rp_policy_error e = {};

	KUNIT_ASSERT_EQ(test, compile_text(test, c->old, old, &e), 0);
	KUNIT_ASSERT_EQ(test, compile_text(test, c->new, new, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(old, new, &e), c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ(test, e.code, (u32)RP_ERR_RELAXES);
		KUNIT_EXPECT_EQ(test, e.line, c->line);
		KUNIT_EXPECT_EQ(test, e.other, 0U);
	}
}

/* The canonical text of watches, and the same pieces parsed back. */
static void watch_renders(struct kunit *test)
{
	static const char text[] =
		"watch.phys.0x2000:0x10 ro log\n"
		"cr0.wp lock deny gp\n"
		"phys.0x1234+8 ro log\n"
		"watch.phys.0x1ffc:4 ro log\n"
		"phys.0x5000+0x1000 ro log\n";
	struct rampart_policy *p = new_policy(test), *q = new_policy(test);
	struct watch_rec *rec = new_rec(test);
	struct rp_policy_error e;
	char *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	const char *a, *b, *c;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, compile_text(test, text, p, &e), 0);
	KUNIT_ASSERT_LT(test, rp_render(p, buf, 4096), (size_t)4096);
	a = strstr(buf, "\nwatch.phys.0x1234:0x8 ro log\n");
	b = strstr(buf, "\nwatch.phys.0x1ffc:0x4 ro log\n");
	c = strstr(buf, "\nwatch.phys.0x2000:0x10 ro log\n");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, a < b && b < c);	/* by start */
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nphys.0x5000+0x1000 ro log\n"));
	KUNIT_ASSERT_EQ(test, compile_text(test, buf, q, &e), 0);
	KUNIT_ASSERT_EQ(test, q->nwatch, 3U);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, q->watch[i].start, p->watch[i].start);
		KUNIT_EXPECT_EQ(test, q->watch[i].end, p->watch[i].end);
	}
	KUNIT_EXPECT_EQ(test, q->nwatch_pages, p->nwatch_pages);
	KUNIT_EXPECT_EQ(test, q->nrange, 1U);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), 0);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(q, p, &e), 0);

	/* Resolved watches render as their pieces; those parse back alone. */
	rec->pieces = 3;
	KUNIT_ASSERT_EQ(test, compile_resolve(test,
		"watch.jiffies_64 ro log\nwatch.virt.0xffffc90000123000:24 ro log\n",
		p, &e, watch_resolve, rec), 0);
	KUNIT_ASSERT_EQ(test, p->nwatch, 6U);
	rp_render(p, buf, 4096);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nwatch.phys.0x7000000:0x8 ro log\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nwatch.phys.0x7005000:0x8 ro log\n"));
	KUNIT_EXPECT_NULL(test, strstr(buf, "jiffies"));
	KUNIT_ASSERT_EQ(test, compile_text(test, buf, q, &e), 0);
	KUNIT_ASSERT_EQ(test, q->nwatch, 6U);
	for (i = 0; i < 6; i++) {
		KUNIT_EXPECT_EQ(test, q->watch[i].start, p->watch[i].start);
		KUNIT_EXPECT_EQ(test, q->watch[i].end, p->watch[i].end);
	}
	KUNIT_EXPECT_EQ(test, q->nwatch_pages, 6U);
	KUNIT_EXPECT_EQ(test, rp_policy_stricter(p, q, &e), 0);
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
	KUNIT_CASE_PARAM(watch_parses, watch_form_gen_params),
	KUNIT_CASE(watch_name_length),
	KUNIT_CASE(watch_phys_rule),
	KUNIT_CASE(watch_resolver),
	KUNIT_CASE(watch_compiles),
	KUNIT_CASE(watch_limits),
	KUNIT_CASE(watch_found),
	KUNIT_CASE_PARAM(watch_sealed, watch_seal_gen_params),
	KUNIT_CASE(watch_renders),
	{}
};

static struct kunit_suite policy_suite = {
	.name = "rampart_policy",
	.test_cases = policy_cases,
};

kunit_test_suite(policy_suite);
