/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nested VMX (root side): root emulates VMX for the kernel (L1), so KVM
 * runs its guests (L2) on a VMCS that root builds and keeps (DESIGN.md
 * principle 10). The kernel never leaves non-root mode.
 *
 * Terms, as in KVM: vmcs01 runs L1 (the kernel); vmcs12 is the VMCS L1
 * believes it has, kept in L1's own VMCS region page in root's format
 * (struct rampart_vmcs12); vmcs02 is root's VMCS that runs L2, built from
 * vmcs12 before every L2 entry.
 */
#ifndef RAMPART_VMX_ROOT_NESTED_H
#define RAMPART_VMX_ROOT_NESTED_H

#include <linux/types.h>
#include <asm/page_types.h>
#include <asm/vmx.h>

struct exit_ctx;
struct rampart_root;
struct rampart_vcpu;

/* Each vmcs12 field's index: V12_<name> (vmx/root/vmcs12_table.h). */
enum rampart_v12_id {
#define RP_V12(name, kind) V12_##name,
#include "vmcs12_table.h"
	V12_NR,
};

enum rampart_v12_kind { V12_CTL, V12_GUEST, V12_HOST, V12_INFO };

/*
 * struct rampart_vmcs12 - a VMCS region as root lays it out. L1 sees only
 * the revision identifier and abort indicator the SDM defines (25.2); the
 * rest is root's. Root copies the page in at VMPTRLD and out at VMCLEAR,
 * VMXOFF or the next VMPTRLD: L1 edits it only through VMWRITE.
 */
struct rampart_vmcs12 {
	u32 revision;		/* bit 31: shadow-VMCS indicator */
	u32 abort;		/* VMX-abort indicator (SDM 28.7) */
	u32 launch;		/* RAMPART_V12_LAUNCHED, or clear */
	u32 reserved;
	u64 f[V12_NR];
};

/* The launch state "launched" (SDM 25.1), as the region stores it. */
#define RAMPART_V12_LAUNCHED	0x4c4e4348U	/* "HCNL" */

/*
 * MSRs a VM entry does not switch and KVM switches itself, with WRMSR,
 * around running a guest (its "user return" MSRs). Where the policy
 * locks one, a write of it while the kernel is in VMX operation is held
 * for L2: L1 keeps the locked value, L2 runs with the value asked for
 * (vmcs02's MSR lists, vmx/root/nested_run.c).
 */
#define RAMPART_HELD_MSRS	6
#define RAMPART_HELD_LIST	(1 + RAMPART_HELD_MSRS)	/* and root's own */

/* At most this many vmcs12 fields in the shadow VMCS (vmx/root/nested_shadow.c). */
#define RAMPART_SHADOW_FIELDS	48

/* Pages of shadow EPT (ept/root/shadow.c) each CPU has for its L2. */
#define RAMPART_SEPT_ORDER	5
#define RAMPART_SEPT_PAGES	(1U << RAMPART_SEPT_ORDER)

/*
 * struct rampart_nested - one CPU's nested-VMX state, in root memory
 * (RAMPART_NESTED_ORDER pages from the arena, fixed before launch).
 * @vmcs02: the VMCS root runs L2 on.
 * @cache: the current vmcs12, copied in at VMPTRLD.
 * @msr_bitmap: vmcs02's MSR bitmap, L1's merged with root's.
 */
struct rampart_nested {
	u8 vmcs02[PAGE_SIZE];
	struct rampart_vmcs12 cache;
	u8 pad[PAGE_SIZE - sizeof(struct rampart_vmcs12)];
	u8 msr_bitmap[PAGE_SIZE];

	u64 vmcs02_pa;
	struct rampart_vmcs_shadow *shadow;	/* fixed at launch */
	u64 shadow_pa;
	u8 shadow_idx[RAMPART_SHADOW_FIELDS];	/* the fields it holds ... */
	u8 shadow_nr;				/* ... this many */
	bool shadow_ready;	/* set up on this CPU: shadowing can be used */
	bool shadow_on;		/* vmcs01 links it: it holds the current vmcs12 */
	bool shadow_stale;	/* the cache is newer: copy it in before L1 runs */
	u64 *sept;		/* RAMPART_SEPT_PAGES pages, fixed at launch */
	u32 sept_used;		/* shadow EPT pages in use, the root included */
	u64 sept_epoch;		/* root's EPT epoch the shadow was built at */
	u64 sept_eptp12;	/* L1's EPTP the shadow follows */

	/* vmcs02's entry and exit MSR-load lists: root's own, then the held. */
	struct vmx_msr_entry entry_load[RAMPART_HELD_LIST];
	struct vmx_msr_entry exit_load[RAMPART_HELD_LIST];
	u64 held[RAMPART_HELD_MSRS];	/* values held for L2 ... */
	u32 held_set;			/* ... where bit i is set */
	u32 msr_list_len;		/* entries in both lists */
	u64 held_writes;		/* WRMSRs held, for debugfs */

	u8 rp_of_v12[V12_NR];	/* each field's index in root's VMCS image */
	u8 save_idx[V12_NR];	/* the fields every L2 exit saves ... */
	u32 save_enc[V12_NR];	/* ... their encodings ... */
	u32 save_nr;		/* ... and how many */
	u64 last_vpid12;	/* vmcs12's VPID at the last L2 entry */

	bool vmxon;		/* L1 is in (emulated) VMX operation */
	bool in_l2;		/* vmcs02 is current: L2 runs */
	bool vmcs02_launched;
	u64 vmxon_ptr;
	u64 current_ptr;	/* ~0: none (SDM 25.1) */

	/* Counters for debugfs. */
	u64 entries;		/* L2 entries */
	u64 reflected;		/* L2 exits reflected to L1 */
	u64 sept_fills;		/* shadow EPT entries filled */
	u64 sept_flushes;
	u64 refused;		/* L2 writes the policy refused */
};

#define RAMPART_NESTED_ORDER	2

/*
 * struct rampart_vmcs_shadow - the shadow VMCS L1's VMREAD and VMWRITE use
 * without a VM exit, and its two bitmaps (vmx/root/nested_shadow.c), in
 * root memory (RAMPART_SHADOW_ORDER pages from the arena).
 */
struct rampart_vmcs_shadow {
	u8 vmcs[PAGE_SIZE];
	u8 vmread_bitmap[PAGE_SIZE];
	u8 vmwrite_bitmap[PAGE_SIZE];
};

#define RAMPART_SHADOW_ORDER	2


/* vmx/root/vmcs12.c */
int rampart_v12_find(u64 enc, bool *high);
u8 rampart_v12_kind(int i);
u64 rampart_v12_enc(int i);
u32 rampart_v12_max_index(void);

/* vmx/root/nested_msr.c */
int rampart_nested_held_index(u32 msr);
bool rampart_nested_hold(struct rampart_vcpu *v, u32 msr, u64 val, u64 l1_val,
			 u32 line);
u32 rampart_nested_msr_lists(struct rampart_vcpu *v, u32 root_n);
int rampart_nested_msr_bitmap(struct rampart_vcpu *v, bool use12, u64 pa12);
void rampart_nested_msr_bitmap_init(struct rampart_nested *n);
void rampart_nested_msrs_back(struct rampart_vcpu *v);

/* vmx/root/nested_shadow.c */
void rampart_shadow_setup(struct rampart_vcpu *v);
void rampart_shadow_link(struct rampart_vcpu *v);
void rampart_shadow_unlink(struct rampart_vcpu *v);
void rampart_shadow_pull(struct rampart_vcpu *v);
void rampart_shadow_sync(struct rampart_vcpu *v);

/* vmx/root/nested_caps.c */
bool rampart_nested_on(struct rampart_root *rs);
int rampart_nested_msr(const struct rampart_root *rs, u32 msr, u64 *val);
u32 rampart_nested_ctl_may1(const struct rampart_root *rs, int kind);
u32 rampart_nested_ctl_must1(const struct rampart_root *rs, int kind);

/* vmx/root/nested_insn.c: exit handlers for the VMX instructions. */
int rampart_handle_vmxon(struct exit_ctx *x);
int rampart_handle_vmxoff(struct exit_ctx *x);
int rampart_handle_vmclear(struct exit_ctx *x);
int rampart_handle_vmptrld(struct exit_ctx *x);
int rampart_handle_vmptrst(struct exit_ctx *x);
int rampart_handle_vmread(struct exit_ctx *x);
int rampart_handle_vmwrite(struct exit_ctx *x);
int rampart_handle_invept(struct exit_ctx *x);
int rampart_handle_invvpid(struct exit_ctx *x);
int rampart_handle_vmlaunch(struct exit_ctx *x);
int rampart_handle_vmresume(struct exit_ctx *x);
int rampart_nested_vmfail(struct exit_ctx *x, u32 err);

#endif /* RAMPART_VMX_ROOT_NESTED_H */
