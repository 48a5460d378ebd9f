// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the software VM-entry checker. A VMCS image of a 64-bit Linux
 * kernel as Rampart builds it in Bochs passes; each case breaks one SDM
 * rule and expects the checker to name it.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <asm/irq_vectors.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../vmx/caps.h"
#include "../vmx/root/check.h"

#define BOCHS_RAW {							\
	.cpuid1_ecx = RAMPART_CPUID1_ECX_VMX, .feature_control = 5,			\
	.basic = 0x00d810000000002bULL, .misc = 0x00000000200401e0ULL,	\
	.ept_vpid = 0x00000f0106334141ULL,				\
	.ctl = { 0x0000007f00000016ULL, 0xf7f9fffe04006172ULL,		\
		 0x00057fff00000000ULL, 0x007fffff00036dfbULL,		\
		 0x0000ffff000011fbULL },				\
	.cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff,		\
	.cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x3727ff }

/* A VMCS image as a launch on Bochs builds it, and the caps it checks against. */
static struct rampart_vmcs_img *good_image(struct kunit *test,
					   struct rampart_caps *caps)
{
	const struct rampart_caps_raw raw = BOCHS_RAW;
	struct rampart_vmcs_img *img = kunit_kzalloc(test, sizeof(*img), GFP_KERNEL);
	struct rampart_ctl *c = caps->ctl;
	enum rampart_ctl_kind kind;
	u32 v;

	KUNIT_ASSERT_NOT_NULL(test, img);
	rampart_caps_decode(&raw, caps);
#define SET(f, x) (img->v[RP_##f] = (x))
	/* The controls as vmx/vmcs.c sets them, from the one table. */
	for (kind = 0; kind < RAMPART_CTL_NR; kind++) {
		KUNIT_ASSERT_EQ(test, 0, rampart_ctl_adjust(c[kind],
			rampart_ctl_required(kind),
			rampart_ctl_optional(kind, RAMPART_PT_NONE), &v));
		img->v[rampart_ctl_field[kind]] = v;
	}
	SET(MSR_BITMAP, 0x5000);
	/* IA32_PERF_GLOBAL_CTRL switched as vmx/vmcs.c does it. */
	SET(VM_EXIT_MSR_STORE_ADDR, 0x6000);
	SET(VM_EXIT_MSR_STORE_COUNT, 1);
	SET(VM_ENTRY_MSR_LOAD_ADDR, GENMASK_ULL(51, 4));	/* the last slot */
	SET(VM_ENTRY_MSR_LOAD_COUNT, 1);
	SET(VM_EXIT_MSR_LOAD_ADDR, 0x6010);
	SET(VM_EXIT_MSR_LOAD_COUNT, 1);
	SET(EPT_POINTER, 0x1234000 | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4);
	SET(VIRTUAL_PROCESSOR_ID, 1);
	SET(VMCS_LINK_POINTER, ~0ULL);
	SET(CR4_GUEST_HOST_MASK, X86_CR4_VMXE);

	SET(HOST_CR0, 0x80050033);
	SET(HOST_CR3, 0x9000);
	SET(HOST_CR4, 0x3726e0);
	SET(HOST_RSP, 0xffff888000827fd8ULL);
	SET(HOST_RIP, 0xffffffffa0001000ULL);
	SET(HOST_CS_SELECTOR, 0x10);
	SET(HOST_SS_SELECTOR, 0x18);
	SET(HOST_TR_SELECTOR, 0x40);
	SET(HOST_TR_BASE, 0xffff888000828000ULL);
	SET(HOST_GDTR_BASE, 0xffff888000828100ULL);
	SET(HOST_IDTR_BASE, 0xffff888000827000ULL);
	SET(HOST_IA32_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NX);
	SET(HOST_IA32_PAT, 0x0407050600070106ULL);

	SET(GUEST_CR0, 0x80050033);
	SET(GUEST_CR3, 0x98a005);
	SET(GUEST_CR4, 0x3726e0);
	SET(GUEST_DR7, 0x400);
	SET(GUEST_RSP, 0xffffc90000013e80ULL);
	SET(GUEST_RIP, 0xffffffffa0001234ULL);
	SET(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	SET(GUEST_CS_SELECTOR, 0x10);
	SET(GUEST_CS_LIMIT, 0xffffffff);
	SET(GUEST_CS_AR_BYTES, 0xa09b);
	SET(GUEST_SS_SELECTOR, 0x18);
	SET(GUEST_SS_LIMIT, 0xffffffff);
	SET(GUEST_SS_AR_BYTES, 0xc093);
	SET(GUEST_DS_AR_BYTES, VMX_AR_UNUSABLE_MASK);
	SET(GUEST_ES_AR_BYTES, VMX_AR_UNUSABLE_MASK);
	SET(GUEST_FS_AR_BYTES, VMX_AR_UNUSABLE_MASK);
	SET(GUEST_GS_AR_BYTES, VMX_AR_UNUSABLE_MASK);
	SET(GUEST_GS_BASE, 0xffff88801f200000ULL);
	SET(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE_MASK);
	SET(GUEST_TR_SELECTOR, 0x40);
	SET(GUEST_TR_BASE, 0xfffffe0000003000ULL);
	SET(GUEST_TR_LIMIT, 0x4087);
	SET(GUEST_TR_AR_BYTES, 0x8b);
	SET(GUEST_GDTR_BASE, 0xfffffe0000001000ULL);
	SET(GUEST_GDTR_LIMIT, 0x7f);
	SET(GUEST_IDTR_BASE, 0xfffffe0000000000ULL);
	SET(GUEST_IDTR_LIMIT, 0xfff);
	SET(GUEST_IA32_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NX);
	SET(GUEST_IA32_PAT, 0x0407050600070106ULL);
	SET(GUEST_SYSENTER_ESP, 0xfffffe0000003000ULL);
#undef SET
	return img;
}

struct spoil_case {
	const char *name;
	enum rampart_vmcs_id field;
	u64 and_mask;	/* field = (field & and_mask) | or_mask */
	u64 or_mask;
	const char *sdm;
	const char *what;	/* a substring of the rule's text */
};

#define KEEP ~0ULL
static const struct spoil_case spoil_cases[] = {
	{ "pin: posted interrupts not allowed", RP_PIN_BASED_VM_EXEC_CONTROL,
	  KEEP, PIN_BASED_POSTED_INTR, "27.2.1.1", "pin-based" },
	{ "pin: must-be-one bit cleared", RP_PIN_BASED_VM_EXEC_CONTROL,
	  ~0x16ULL, 0, "27.2.1.1", "pin-based" },
	{ "secondary: MBEC not allowed", RP_SECONDARY_VM_EXEC_CONTROL, KEEP,
	  SECONDARY_EXEC_MODE_BASED_EPT_EXEC, "27.2.1.1", "secondary" },
	{ "exit: bit 63 outside the word", RP_VM_EXIT_CONTROLS, KEEP,
	  BIT_ULL(40), "27.2.1.2", "VM-exit controls" },
	{ "entry: SMM entry not allowed", RP_VM_ENTRY_CONTROLS, KEEP,
	  BIT_ULL(31), "27.2.1.3", "VM-entry controls" },
	{ "CR3 targets: 5 > 4", RP_CR3_TARGET_COUNT, 0, 5, "27.2.1.1", "CR3-target" },
	{ "MSR bitmap unaligned", RP_MSR_BITMAP, KEEP, 0x10, "27.2.1.1", "MSR-bitmap" },
	{ "exit MSR-store list unaligned", RP_VM_EXIT_MSR_STORE_ADDR, KEEP, 8,
	  "27.2.1.2", "MSR-store/load" },
	{ "exit MSR-load list beyond 52 bits", RP_VM_EXIT_MSR_LOAD_ADDR, KEEP,
	  BIT_ULL(60), "27.2.1.2", "MSR-store/load" },
	{ "entry MSR-load list ends beyond 52 bits", RP_VM_ENTRY_MSR_LOAD_COUNT,
	  0, 2, "27.2.1.3", "MSR-load list" },
	{ "EPTP: WT memory type", RP_EPT_POINTER, ~7ULL, 4, "27.2.1.1", "EPTP" },
	{ "EPTP: 5-level walk", RP_EPT_POINTER, ~0x38ULL, 0x20, "27.2.1.1", "EPTP" },
	{ "EPTP: reserved bit 7", RP_EPT_POINTER, KEEP, BIT(7), "27.2.1.1", "EPTP" },
	{ "VPID 0", RP_VIRTUAL_PROCESSOR_ID, 0, 0, "27.2.1.1", "VPID" },
	{ "entry event: reserved bits", RP_VM_ENTRY_INTR_INFO_FIELD, KEEP,
	  INTR_INFO_VALID_MASK | BIT(20), "27.2.1.3", "interruption" },
	{ "host CR0 without PE", RP_HOST_CR0, ~1ULL, 0, "27.2.2", "host CR0" },
	{ "host CR4 without VMXE", RP_HOST_CR4, ~(u64)X86_CR4_VMXE, 0,
	  "27.2.2", "host CR4" },
	{ "host CR3 beyond 52 bits", RP_HOST_CR3, KEEP, BIT_ULL(60), "27.2.2", "host CR3" },
	{ "host RIP not canonical", RP_HOST_RIP, 0, 0x0000800000000000ULL,
	  "27.2.2", "canonical" },
	{ "host PAT type 2", RP_HOST_IA32_PAT, ~0xffULL, 2, "27.2.2", "IA32_PAT" },
	{ "host EFER without LMA", RP_HOST_IA32_EFER, ~(u64)EFER_LMA, 0,
	  "27.2.2", "EFER" },
	{ "host CS RPL 3", RP_HOST_CS_SELECTOR, KEEP, 3, "27.2.3", "selector" },
	{ "host TR null", RP_HOST_TR_SELECTOR, 0, 0, "27.2.3", "selector" },
	{ "guest CR0 without NE", RP_GUEST_CR0, ~(u64)X86_CR0_NE, 0,
	  "27.3.1.1", "guest CR0" },
	{ "guest CR0 PG without PE", RP_GUEST_CR0, ~(u64)X86_CR0_PE, 0,
	  "27.3.1.1", "guest CR0" },
	{ "guest CR4 without VMXE", RP_GUEST_CR4, ~(u64)X86_CR4_VMXE, 0,
	  "27.3.1.1", "guest CR4" },
	{ "IA-32e guest without PAE", RP_GUEST_CR4, ~(u64)X86_CR4_PAE, 0,
	  "27.3.1.1", "IA-32e guest" },
	{ "guest DR7 high bits", RP_GUEST_DR7, KEEP, BIT_ULL(40), "27.3.1.1", "DR7" },
	{ "guest EFER LMA clear", RP_GUEST_IA32_EFER, ~(u64)EFER_LMA, 0,
	  "27.3.1.1", "EFER" },
	{ "guest SYSENTER_EIP not canonical", RP_GUEST_SYSENTER_EIP, 0,
	  0x0000900000000000ULL, "27.3.1.1", "SYSENTER" },
	{ "TR in an LDT", RP_GUEST_TR_SELECTOR, KEEP, 4, "27.3.1.2", "LDT" },
	{ "CS base above 4 GiB", RP_GUEST_CS_BASE, 0, BIT_ULL(33), "27.3.1.2", "base" },
	{ "CS as a data segment", RP_GUEST_CS_AR_BYTES, ~0xfULL, 1,
	  "27.3.1.2", "CS access" },
	{ "CS with L and D/B", RP_GUEST_CS_AR_BYTES, KEEP, VMX_AR_DB_MASK, "27.3.1.2", "CS access" },
	{ "CS not present", RP_GUEST_CS_AR_BYTES, ~(u64)VMX_AR_P_MASK, 0, "27.3.1.2", "CS access" },
	{ "CS limit needs G", RP_GUEST_CS_AR_BYTES, ~(u64)VMX_AR_G_MASK, 0, "27.3.1.2", "CS access" },
	{ "SS as code", RP_GUEST_SS_AR_BYTES, ~0xfULL, 0xb, "27.3.1.2", "SS access" },
	{ "DS usable but not accessed", RP_GUEST_DS_AR_BYTES, 0, 0xc092,
	  "27.3.1.2", "DS/ES/FS/GS" },
	{ "TR not busy", RP_GUEST_TR_AR_BYTES, ~0xfULL, 9, "27.3.1.2", "TR not a busy" },
	{ "TR unusable", RP_GUEST_TR_AR_BYTES, KEEP, VMX_AR_UNUSABLE_MASK, "27.3.1.2", "TR not a busy" },
	{ "LDTR usable with a wrong type", RP_GUEST_LDTR_AR_BYTES, 0, 0x83,
	  "27.3.1.2", "LDTR" },
	{ "GDTR limit above 0xffff", RP_GUEST_GDTR_LIMIT, 0, 0x10000, "27.3.1.3", "GDTR" },
	{ "RIP not canonical", RP_GUEST_RIP, 0, 0x0000800000000000ULL, "27.3.1.4", "RIP" },
	{ "RFLAGS bit 1 clear", RP_GUEST_RFLAGS, 0, 0, "27.3.1.4", "RFLAGS" },
	{ "RFLAGS reserved bit 15", RP_GUEST_RFLAGS, KEEP, BIT(15), "27.3.1.4", "RFLAGS" },
	{ "RFLAGS.VM in IA-32e mode", RP_GUEST_RFLAGS, KEEP, X86_EFLAGS_VM,
	  "27.3.1.4", "RFLAGS" },
	{ "activity state 4", RP_GUEST_ACTIVITY_STATE, 0, 4, "27.3.1.5", "activity" },
	{ "STI and MOV-SS blocking", RP_GUEST_INTERRUPTIBILITY_INFO, 0, 3,
	  "27.3.1.5", "interruptibility" },
	{ "STI blocking with IF clear", RP_GUEST_INTERRUPTIBILITY_INFO, 0, 1,
	  "27.3.1.5", "interruptibility" },
	{ "pending debug reserved bit", RP_GUEST_PENDING_DBG_EXCEPTIONS, 0,
	  BIT(5), "27.3.1.5", "pending debug" },
	{ "link pointer 0", RP_VMCS_LINK_POINTER, 0, 0, "27.3.1.5", "link pointer" },
};

static void spoil_desc(const struct spoil_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spoil, spoil_cases, spoil_desc);

static void test_good_image_passes(struct kunit *test)
{
	struct rampart_caps caps;
	struct rampart_vmcs_img *img = good_image(test, &caps);
	const struct rampart_check_rule *r;

	r = rampart_vmcs_check(img, &caps);
	KUNIT_EXPECT_NULL_MSG(test, r, "rejected: %s", r ? r->what : "");
}

static void test_spoiled_image_fails(struct kunit *test)
{
	const struct spoil_case *c = test->param_value;
	struct rampart_caps caps;
	struct rampart_vmcs_img *img = good_image(test, &caps);
	const struct rampart_check_rule *r;

	img->v[c->field] = (img->v[c->field] & c->and_mask) | c->or_mask;
	r = rampart_vmcs_check(img, &caps);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r->sdm, c->sdm);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(r->what, c->what),
				  "rule was: %s", r->what);
}

/* A real-mode guest (as after SIPI): no IA-32e, no paging. */
static void real_mode(struct rampart_vmcs_img *img)
{
	img->v[RP_VM_ENTRY_CONTROLS] &= ~(u64)VM_ENTRY_IA32E_MODE;
	img->v[RP_GUEST_IA32_EFER] = 0;
	img->v[RP_GUEST_CR0] = X86_CR0_NE | X86_CR0_ET;
	img->v[RP_GUEST_CR4] = X86_CR4_VMXE;
	img->v[RP_GUEST_CS_AR_BYTES] = 0x9b;
	img->v[RP_GUEST_CS_LIMIT] = 0xffff;
	img->v[RP_GUEST_SS_AR_BYTES] = 0x93;
	img->v[RP_GUEST_SS_LIMIT] = 0xffff;
	img->v[RP_GUEST_RIP] = 0x1000;
	img->v[RP_GUEST_TR_BASE] = 0;
	img->v[RP_GUEST_GS_BASE] = 0;
}

/* Unrestricted guest lets CR0.PE and PG be 0; without it, they are fixed. */
static void test_unrestricted_guest_relaxes_cr0(struct kunit *test)
{
	struct rampart_caps caps;
	struct rampart_vmcs_img *img = good_image(test, &caps);

	real_mode(img);
	KUNIT_EXPECT_NULL(test, rampart_vmcs_check(img, &caps));
	img->v[RP_SECONDARY_VM_EXEC_CONTROL] &=
		~(u64)SECONDARY_EXEC_UNRESTRICTED_GUEST;
	KUNIT_EXPECT_NOT_NULL(test, rampart_vmcs_check(img, &caps));
}

/*
 * Event injection against the guest state it enters with (27.2.1.3,
 * 27.3.1.4, 27.3.1.5): the rules root's injections (vmx/inject.c) obey.
 */
struct event_case {
	const char *name;
	u32 info;		/* VM-entry interruption information */
	u32 len;		/* VM-entry instruction length */
	u64 rflags;		/* guest RFLAGS */
	u64 intr;		/* guest interruptibility */
	u64 activity;		/* guest activity state */
	bool real_mode;		/* CR0.PE = 0 (unrestricted guest) */
	const char *sdm;	/* NULL: the image passes */
	const char *what;
};

#define EV(type, vec)	(INTR_INFO_VALID_MASK | (type) | (vec))
#define EVC(type, vec)	(EV(type, vec) | INTR_INFO_DELIVER_CODE_MASK)
#define IF		(X86_EFLAGS_FIXED | X86_EFLAGS_IF)
#define NOIF		X86_EFLAGS_FIXED
static const struct event_case event_cases[] = {
	{ "external interrupt, IF=1", EV(INTR_TYPE_EXT_INTR, 0x30), 0, IF, 0,
	  GUEST_ACTIVITY_ACTIVE },
	{ "external interrupt, IF=0 (a step that clears IF)",
	  EV(INTR_TYPE_EXT_INTR, 0x30), 0, NOIF, 0, GUEST_ACTIVITY_ACTIVE,
	  false, "27.3.1.4", "RFLAGS.IF" },
	{ "external interrupt in an STI shadow", EV(INTR_TYPE_EXT_INTR, 0x30),
	  0, IF, GUEST_INTR_STATE_STI, GUEST_ACTIVITY_ACTIVE, false,
	  "27.3.1.5", "interruptibility" },
	{ "external interrupt in HLT", EV(INTR_TYPE_EXT_INTR, 0x30), 0, IF, 0,
	  GUEST_ACTIVITY_HLT },
	{ "NMI in wait-for-SIPI (INIT, then an NMI)",
	  EV(INTR_TYPE_NMI_INTR, NMI_VECTOR), 0, IF, 0,
	  GUEST_ACTIVITY_WAIT_SIPI, false, "27.3.1.5", "activity" },
	{ "NMI with MOV-SS blocking", EV(INTR_TYPE_NMI_INTR, NMI_VECTOR), 0, IF,
	  GUEST_INTR_STATE_MOV_SS, GUEST_ACTIVITY_ACTIVE, false, "27.3.1.5",
	  "interruptibility" },
	{ "NMI with NMI blocking (virtual NMIs)",
	  EV(INTR_TYPE_NMI_INTR, NMI_VECTOR), 0, IF, GUEST_INTR_STATE_NMI,
	  GUEST_ACTIVITY_ACTIVE, false, "27.3.1.5", "interruptibility" },
	{ "NMI with another vector", EV(INTR_TYPE_NMI_INTR, 3), 0, IF, 0,
	  GUEST_ACTIVITY_ACTIVE, false, "27.2.1.3", "interruption" },
	{ "#GP with its error code", EVC(INTR_TYPE_HARD_EXCEPTION, 13), 0, IF, 0,
	  GUEST_ACTIVITY_ACTIVE },
	{ "#GP without its error code", EV(INTR_TYPE_HARD_EXCEPTION, 13), 0, IF,
	  0, GUEST_ACTIVITY_ACTIVE, false, "27.2.1.3", "interruption" },
	{ "#UD with an error code", EVC(INTR_TYPE_HARD_EXCEPTION, 6), 0, IF, 0,
	  GUEST_ACTIVITY_ACTIVE, false, "27.2.1.3", "interruption" },
	{ "#GP with an error code in real mode (SIPI, PE owned)",
	  EVC(INTR_TYPE_HARD_EXCEPTION, 13), 0, IF, 0, GUEST_ACTIVITY_ACTIVE,
	  true, "27.2.1.3", "interruption" },
	{ "#GP without an error code in real mode",
	  EV(INTR_TYPE_HARD_EXCEPTION, 13), 0, IF, 0, GUEST_ACTIVITY_ACTIVE,
	  true },
	{ "#GP in HLT", EVC(INTR_TYPE_HARD_EXCEPTION, 13), 0, IF, 0,
	  GUEST_ACTIVITY_HLT, false, "27.3.1.5", "activity" },
	{ "#DB in HLT", EV(INTR_TYPE_HARD_EXCEPTION, 1), 0, IF, 0,
	  GUEST_ACTIVITY_HLT },
	{ "ICEBP with its length", EV(INTR_TYPE_PRIV_SW_EXCEPTION, 1), 1, IF, 0,
	  GUEST_ACTIVITY_ACTIVE },
	{ "INT3 with length 16", EV(INTR_TYPE_SOFT_EXCEPTION, 3), 16, IF, 0,
	  GUEST_ACTIVITY_ACTIVE, false, "27.2.1.3", "interruption" },
	{ "reserved type 1", EV(1 << 8, 0x30), 0, IF, 0, GUEST_ACTIVITY_ACTIVE,
	  false, "27.2.1.3", "interruption" },
};

static void event_desc(const struct event_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(event, event_cases, event_desc);

static void test_injected_event(struct kunit *test)
{
	const struct event_case *c = test->param_value;
	struct rampart_caps caps;
	struct rampart_vmcs_img *img = good_image(test, &caps);
	const struct rampart_check_rule *r;

	img->v[RP_VM_ENTRY_INTR_INFO_FIELD] = c->info;
	img->v[RP_VM_ENTRY_INSTRUCTION_LEN] = c->len;
	img->v[RP_GUEST_RFLAGS] = c->rflags;
	img->v[RP_GUEST_INTERRUPTIBILITY_INFO] = c->intr;
	img->v[RP_GUEST_ACTIVITY_STATE] = c->activity;
	if (c->real_mode)
		real_mode(img);
	r = rampart_vmcs_check(img, &caps);
	if (!c->sdm) {
		KUNIT_EXPECT_NULL_MSG(test, r, "rejected: %s", r ? r->what : "");
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r->sdm, c->sdm);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(r->what, c->what),
				  "rule was: %s", r->what);
}

/* With STI blocking or in HLT, pending BS must say TF && !BTF (27.3.1.5). */
static void test_pending_bs_follows_tf(struct kunit *test)
{
	struct rampart_caps caps;
	struct rampart_vmcs_img *img = good_image(test, &caps);

	img->v[RP_GUEST_RFLAGS] = IF | X86_EFLAGS_TF;
	img->v[RP_GUEST_INTERRUPTIBILITY_INFO] = GUEST_INTR_STATE_STI;
	KUNIT_EXPECT_NOT_NULL(test, rampart_vmcs_check(img, &caps));
	img->v[RP_GUEST_PENDING_DBG_EXCEPTIONS] = BIT(14);
	KUNIT_EXPECT_NULL(test, rampart_vmcs_check(img, &caps));
	/* What vmx/step.c does instead: drop the STI blocking. */
	img->v[RP_GUEST_PENDING_DBG_EXCEPTIONS] = 0;
	img->v[RP_GUEST_INTERRUPTIBILITY_INFO] = 0;
	KUNIT_EXPECT_NULL(test, rampart_vmcs_check(img, &caps));
}

/* CR4.CET needs CR0.WP (27.3.1.1), on a CPU that allows CET at all. */
/* A CPU that offers PT virtualization (Bochs does not). */
static void allow_pt(struct rampart_caps *caps)
{
	caps->misc.pt_in_vmx = true;
	caps->ctl[RAMPART_CTL_PROC2].may_be_one |= SECONDARY_EXEC_PT_USE_GPA;
	caps->ctl[RAMPART_CTL_EXIT].may_be_one |= VM_EXIT_CLEAR_IA32_RTIT_CTL;
	caps->ctl[RAMPART_CTL_ENTRY].may_be_one |= VM_ENTRY_LOAD_IA32_RTIT_CTL;
}

static void test_pt_gpa_needs_rtit_switch(struct kunit *test)
{
	struct rampart_caps caps;
	struct rampart_vmcs_img *img = good_image(test, &caps);
	const struct rampart_check_rule *r;

	allow_pt(&caps);
	img->v[RP_SECONDARY_VM_EXEC_CONTROL] |= SECONDARY_EXEC_PT_USE_GPA;
	r = rampart_vmcs_check(img, &caps);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r->sdm, "27.2.1.1");
	KUNIT_EXPECT_NOT_NULL(test, strstr(r->what, "guest-physical"));
	img->v[RP_VM_EXIT_CONTROLS] |= VM_EXIT_CLEAR_IA32_RTIT_CTL;
	img->v[RP_VM_ENTRY_CONTROLS] |= VM_ENTRY_LOAD_IA32_RTIT_CTL;
	r = rampart_vmcs_check(img, &caps);
	KUNIT_EXPECT_NULL_MSG(test, r, "rejected: %s", r ? r->what : "");
	/* GUEST_IA32_RTIT_CTL exists only with the entry control. */
	KUNIT_EXPECT_TRUE(test, rampart_vmcs_present(img, RP_GUEST_IA32_RTIT_CTL));
	img->v[RP_VM_ENTRY_CONTROLS] &= ~VM_ENTRY_LOAD_IA32_RTIT_CTL;
	KUNIT_EXPECT_FALSE(test, rampart_vmcs_present(img, RP_GUEST_IA32_RTIT_CTL));
	KUNIT_EXPECT_TRUE(test, rampart_vmcs_present(img, RP_GUEST_RIP));
}

static void test_pt_mode(struct kunit *test)
{
	struct rampart_caps caps;

	good_image(test, &caps);
	/* Bochs: VMX_MISC[14] clear, so VMXON keeps PT off (SDM A.6). */
	KUNIT_EXPECT_EQ(test, rampart_pt_mode(&caps, true), RAMPART_PT_NONE);
	caps.misc.pt_in_vmx = true;
	KUNIT_EXPECT_EQ(test, rampart_pt_mode(&caps, true), RAMPART_PT_REFUSED);
	KUNIT_EXPECT_EQ(test, rampart_pt_mode(&caps, false), RAMPART_PT_NONE);
	allow_pt(&caps);
	KUNIT_EXPECT_EQ(test, rampart_pt_mode(&caps, true), RAMPART_PT_GPA);
	caps.ctl[RAMPART_CTL_ENTRY].may_be_one &= ~VM_ENTRY_LOAD_IA32_RTIT_CTL;
	KUNIT_EXPECT_EQ(test, rampart_pt_mode(&caps, true), RAMPART_PT_REFUSED);
}

static void test_cet_needs_wp(struct kunit *test)
{
	struct rampart_caps caps;
	struct rampart_vmcs_img *img = good_image(test, &caps);

	caps.raw.cr4_fixed1 |= X86_CR4_CET;
	img->v[RP_GUEST_CR4] |= X86_CR4_CET;
	KUNIT_EXPECT_NULL(test, rampart_vmcs_check(img, &caps));
	img->v[RP_GUEST_CR0] &= ~(u64)X86_CR0_WP;
	KUNIT_EXPECT_NOT_NULL(test, rampart_vmcs_check(img, &caps));
}

static struct kunit_case check_test_cases[] = {
	KUNIT_CASE(test_good_image_passes),
	KUNIT_CASE_PARAM(test_spoiled_image_fails, spoil_gen_params),
	KUNIT_CASE(test_unrestricted_guest_relaxes_cr0),
	KUNIT_CASE_PARAM(test_injected_event, event_gen_params),
	KUNIT_CASE(test_pending_bs_follows_tf),
	KUNIT_CASE(test_cet_needs_wp),
	KUNIT_CASE(test_pt_gpa_needs_rtit_switch),
	KUNIT_CASE(test_pt_mode),
	{}
};

static struct kunit_suite check_test_suite = {
	.name = "rampart_vmentry_check",
	.test_cases = check_test_cases,
};

kunit_test_suite(check_test_suite);
