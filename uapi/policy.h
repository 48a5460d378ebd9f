/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Rampart policy ABI: the binary rule form the kernel side hands to VMX
 * root mode, and the violation record root mode writes back.
 *
 * Text form (one rule per line; '#' starts a comment; blank lines are
 * ignored; at most RAMPART_POLICY_LINE_MAX bytes per line):
 *
 *   <asset> <protection> <action> [gp|ignore]
 *
 *   asset       cr0.<bits>          CR0 bits by name or mask: cr0.wp,pg  cr0.0x10000
 *               cr4.<bits>          CR4 bits: cr4.smep,smap  cr4.0x300000
 *               msr.<msr>[/<mask>]  an MSR by name or index, optionally only
 *                                   the bits in mask: msr.lstar  msr.efer/0x800
 *                                   msr.0xc0000082
 *               phys.<start>+<size> a physical range (page aligned)
 *               range.<name>        a named kernel range: kernel_text,
 *                                   rodata (with the system call table and
 *                                   ro_after_init), ro_after_init, idt,
 *                                   vdso, and modules (the text and rodata
 *                                   of every live module, as it goes live)
 *               watch.<target>      a write-watch, any byte range: every write
 *                                   that changes it is recorded with the old
 *                                   and new bytes (uapi/watch.h); only
 *                                   "ro log". Targets: <symbol>[+<off>][:<len>]
 *                                   (len: the symbol's size if absent),
 *                                   virt.<addr>:<len>, phys.<addr>:<len>; a
 *                                   phys.<start>+<size> rule with "ro log"
 *                                   that is not page aligned is one too
 *               vmx.nested          VMX for the kernel: allow has root
 *                                   emulate it, so KVM guests run under
 *                                   Rampart; deny hides it (CPUID shows no
 *                                   VMX, VMX instructions raise #UD). Only
 *                                   "lock allow" or "lock deny"; a policy
 *                                   without the rule denies. Sealed, allow
 *                                   may become deny, never the reverse
 *   protection  lock                the bits keep the value they have when
 *                                   the policy takes effect
 *               ro                  (MSRs, ranges) no write at all, even of
 *                                   the same value
 *               poke                (kernel_text, modules) no write except
 *                                   through the kernel's text_poke(): static
 *                                   keys, static calls, ftrace, kprobes and
 *                                   livepatch keep working. ro is stricter
 *                                   and breaks them (README.md, "Text")
 *   action      deny                the write does not happen; CR and MSR
 *                                   rules then say gp (inject #GP) or ignore
 *                                   (complete the instruction, keep the
 *                                   protected bits); a denied memory write
 *                                   gets a not-present #PF at the culprit
 *               log                 the write happens and is recorded (memory:
 *                                   every write, single-stepped; ro only)
 *               allow               explicitly unprotected
 *
 * Numbers are decimal or 0x-prefixed hex. See README.md, "Policy".
 */
#ifndef RAMPART_UAPI_POLICY_H
#define RAMPART_UAPI_POLICY_H

#include <linux/types.h>

#define RAMPART_POLICY_MAGIC	0x4c4f5052U	/* "RPOL" */
#define RAMPART_POLICY_VERSION	1U
#define RAMPART_POLICY_MAX_RULES 2000U
#define RAMPART_POLICY_MAX_MSRS	1024U
#define RAMPART_POLICY_MAX_RANGES 256U
#define RAMPART_POLICY_LINE_MAX	256U

enum rampart_asset_kind {
	RAMPART_ASSET_CR = 1,		/* id: 0 or 4; mask: bits */
	RAMPART_ASSET_MSR = 2,		/* id: MSR index; mask: bits */
	RAMPART_ASSET_PHYS = 3,		/* id: start; mask: size */
	/*
	 * range: enum rampart_range. The text form names the range; the
	 * kernel side resolves it to id: start, mask: size before root sees
	 * it (0 and 0: unresolved, which root refuses). modules has no
	 * extent (0 and 0): root learns each module's pages as it goes live.
	 */
	RAMPART_ASSET_RANGE = 4,
	/*
	 * vmx: id: enum rampart_vmx_feature; mask and range 0. The action
	 * is allow or deny, nothing else (README.md, "Policy").
	 */
	RAMPART_ASSET_VMX = 5,
	/*
	 * watch: one physically contiguous piece of a write-watch; id: start,
	 * mask: length (uapi/watch.h). The kernel side resolves symbols and
	 * virtual addresses; 0 and 0 is unresolved, which root refuses.
	 */
	RAMPART_ASSET_WATCH = 6,
	RAMPART_ASSET_NR,
};

/* What a vmx rule names. */
enum rampart_vmx_feature {
	/* root emulates VMX for the kernel, whose KVM guests it runs */
	RAMPART_VMX_NESTED = 1,
	RAMPART_VMX_NR,
};

/*
 * Events about a CPU rather than a policy asset: kind RAMPART_EVENT_CPU,
 * asset one of enum rampart_cpu_event, line 0; action DENY for what root
 * refused, LOG for what it did on the kernel's word; old and attempted as
 * each value says.
 */
#define RAMPART_EVENT_CPU	16
enum rampart_cpu_event {
	RAMPART_CPU_EV_INIT = 1,	/* INIT refused; old: activity state */
	RAMPART_CPU_EV_SIPI = 2,	/* SIPI ignored; old: vector */
	/*
	 * VM entry failed, root's injection dropped; old: exit reason,
	 * attempted: the interruption information dropped
	 */
	RAMPART_CPU_EV_ENTRY_FAIL = 3,
	/*
	 * parked in root for good; old: exit reason or ~0 for a VMfail,
	 * attempted: VM-instruction error
	 */
	RAMPART_CPU_EV_PARKED = 4,
	/*
	 * S1-S4 requested at a PM1 control port, refused; old: port,
	 * attempted: the value written
	 */
	RAMPART_CPU_EV_SLEEP = 5,
	/*
	 * an access to root memory (EPT read-only or absent), stopped with
	 * a #PF; old: guest-physical address, attempted: the access (1 read,
	 * 2 write, 4 fetch)
	 */
	RAMPART_CPU_EV_ROOT_ACCESS = 6,
	/*
	 * a module run the modules rule could not take (run table or EPT
	 * pool full, a bad run), so the module is refused; old: physical
	 * start, attempted: the errno (positive)
	 */
	RAMPART_CPU_EV_MODULE_REFUSED = 7,
	/* LOG: a module's runs released; old: runs, attempted: a start */
	RAMPART_CPU_EV_MODULE_DEL = 8,
	/* MODULE_DEL for a handle no run holds; old: that handle */
	RAMPART_CPU_EV_MODULE_HANDLE = 9,
	/*
	 * a POLICY_LOAD: LOG if it took effect, DENY if refused; old: the
	 * generation in force after it, attempted: the policy error code
	 * (enum rp_error, 0 if accepted) << 32 | the rule line
	 */
	RAMPART_CPU_EV_POLICY_LOAD = 10,
	/*
	 * an access of a nested guest (L2) that the kernel's EPT for it
	 * allowed and Rampart's refused; the guest is stopped (README.md,
	 * "Nested guests"); old: host-physical address, attempted: the
	 * access (1 read, 2 write, 4 fetch)
	 */
	RAMPART_CPU_EV_NESTED_DENIED = 11,
	RAMPART_CPU_EV_NR,
};

enum rampart_protection {
	RAMPART_PROT_LOCK = 1,
	RAMPART_PROT_RO = 2,
	RAMPART_PROT_POKE = 3,		/* weaker than RO: text_poke() may write */
	RAMPART_PROT_NR,
};

/* Ordered by strictness: a sealed policy may only move up. */
enum rampart_action {
	RAMPART_ACT_ALLOW = 1,
	RAMPART_ACT_LOG = 2,
	RAMPART_ACT_DENY = 3,
	RAMPART_ACT_NR,
};

enum rampart_deny_mode {
	RAMPART_DENY_NONE = 0,		/* not a deny rule */
	RAMPART_DENY_GP = 1,		/* inject #GP(0) */
	RAMPART_DENY_IGNORE = 2,	/* complete, protected bits unchanged */
	RAMPART_DENY_NR,
};

enum rampart_range {
	RAMPART_RANGE_KERNEL_TEXT = 1,
	RAMPART_RANGE_RODATA = 2,
	RAMPART_RANGE_RO_AFTER_INIT = 3,
	RAMPART_RANGE_IDT = 4,
	RAMPART_RANGE_VDSO = 5,
	RAMPART_RANGE_MODULES = 6,
	RAMPART_RANGE_NR,
};

/* One rule, as root mode receives it (32 bytes). */
struct rampart_rule {
	__u8 kind;		/* enum rampart_asset_kind */
	__u8 prot;		/* enum rampart_protection */
	__u8 action;		/* enum rampart_action */
	__u8 deny;		/* enum rampart_deny_mode */
	__u32 line;		/* source line, for errors and events */
	__u64 id;		/* VMX: enum rampart_vmx_feature */
	__u64 mask;
	__u32 range;		/* enum rampart_range for RANGE, else 0 */
	__u32 reserved;		/* 0 */
};

/* The binary policy: this header, then count rules. */
struct rampart_policy_hdr {
	__u32 magic;
	__u32 version;
	__u32 count;
	__u32 reserved;		/* 0 */
};

/*
 * A violation record (64 bytes). Root mode fills one per denied or logged
 * write; seq is written last and is 1 for the first record ever. For
 * memory (kind PHYS or RANGE), the write never executed: asset is the
 * range name (0 for phys), old is the guest-physical address, attempted
 * the guest-linear address, and bits the access (1 read, 2 write, 4
 * fetch), from the EPT-violation exit qualification (SDM Table 28-7). A
 * write to "poke" text that root refused as not text_poke()'s also has
 * the RAMPART_POKE_* reasons in bits.
 */
#define RAMPART_POKE_CONTEXT	(1U << 8)	/* CPL > 0, or interrupts on */
#define RAMPART_POKE_CR3	(1U << 9)	/* not text_poke()'s mm */
#define RAMPART_POKE_ADDR	(1U << 10)	/* not its poking address */
#define RAMPART_POKE_RIP	(1U << 11)	/* not its copy routine */
/*
 * A write-watch hit (uapi/watch.h) is also a record of kind
 * RAMPART_ASSET_WATCH, action LOG: asset is the bytes kept (len), old and
 * attempted their first 8 before and after the write (little-endian),
 * bits the physical address of the first, rip the writer.
 */
/*
 * A load of GDTR or IDTR that range.idt denied or logged (vmx/root/desc.c)
 * is a RANGE record of asset RAMPART_RANGE_IDT with one of these bits:
 * old is the base in force, attempted the base loaded, and bits 47:32 and
 * 63:48 hold the limit in force and the limit loaded.
 */
#define RAMPART_DESC_GDTR	(1U << 12)
#define RAMPART_DESC_IDTR	(1U << 13)
/*
 * ... or a descriptor-table instruction root could not complete and
 * refused with #GP(0) (not in 64-bit mode, or memory root does not touch):
 * attempted is the exit reason << 2 | the instruction identity (SDM
 * Tables 28-10 and 28-11: 0-3 SGDT SIDT LGDT LIDT, or SLDT STR LLDT LTR).
 */
#define RAMPART_DESC_REFUSED	(1U << 14)
#define RAMPART_DESC_LIMIT_OLD(bits)	((__u16)((bits) >> 32))
#define RAMPART_DESC_LIMIT_NEW(bits)	((__u16)((bits) >> 48))

struct rampart_event {
	__u64 seq;
	__u64 tsc;		/* TSC at the exit */
	__u64 rip;		/* guest RIP of the writing instruction */
	__u64 old;		/* value before the write */
	__u64 attempted;	/* value the write tried to store */
	__u64 bits;		/* protected bits the write tried to change */
	__u32 asset;		/* CR number or MSR index */
	__u32 cpu;
	__u32 line;		/* policy line of the rule that matched */
	__u8 kind;		/* enum rampart_asset_kind */
	__u8 action;		/* enum rampart_action taken */
	__u8 deny;		/* enum rampart_deny_mode */
	__u8 reserved;
};

#endif /* RAMPART_UAPI_POLICY_H */
