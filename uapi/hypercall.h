/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Rampart hypercall ABI: VMCALL from ring 0 of the deprivileged kernel.
 *
 *   in:  RAX = hypercall number, RBX, RCX, RDX = arguments
 *   out: RAX = 0 or a negative errno, RBX, RCX, RDX = results
 *
 * VMCALL from CPL > 0 raises #UD, as on bare metal. Unknown numbers return
 * -ENOSYS. Root mode takes every argument by value, validates it, and never
 * trusts the caller (DESIGN.md principle 5). Calls may come in any order
 * and on any CPU.
 */
#ifndef RAMPART_UAPI_HYPERCALL_H
#define RAMPART_UAPI_HYPERCALL_H

/* "RAMP" in RBX, and the ABI version in RCX, answer a PING. */
#define RAMPART_HC_MAGIC	0x504d4152U
#define RAMPART_HC_ABI		4U
/*
 * An unknown hypercall number returns -RAMPART_HC_ENOSYS: the errno for
 * "no such call", as KVM_ENOSYS is for KVM's hypercalls.
 */
#define RAMPART_HC_ENOSYS	38

enum rampart_hypercall {
	RAMPART_HC_PING = 1,	/* out: RBX = magic, RCX = ABI, RDX = CPU id */
	/*
	 * Leave VMX on this CPU, resume natively. -EPERM once the policy is
	 * sealed.
	 */
	RAMPART_HC_DEVIRT = 2,
	/*
	 * Load the policy the kernel staged in the mailbox whose address was
	 * fixed before launch (struct rampart_policy_hdr + rules). Root copies
	 * each rule once, validates and compiles it into its own memory and
	 * publishes it only if all of it is good (and, once sealed, only if
	 * it relaxes nothing). out: RBX = policy error code, RCX = line,
	 * RDX = generation now in force.
	 */
	RAMPART_HC_POLICY_LOAD = 3,
	/* Apply the published policy on this CPU. out: RDX = generation. */
	RAMPART_HC_POLICY_SYNC = 4,
	/*
	 * Seal, one-way: no relaxing loads, no DEVIRT, until reboot. -EBUSY
	 * while a CPU is not under Rampart: RBX = the first one, or
	 * RAMPART_SEAL_UNLISTED for CPUs the MADT lists beyond Linux's.
	 */
	RAMPART_HC_SEAL = 5,
	/*
	 * Learn what the kernel's text_poke() looks like (vmx/root/poke.c),
	 * before any policy: RBX = a page of kernel-side text to arm; RBX = 0
	 * to disarm, -ENOENT if no text_poke() write was seen; then RBX =
	 * RAMPART_POKE_SET_COPY, RCX and RDX = the start and end of the copy
	 * routine around the calibrating store's RIP, once. out: RBX =
	 * text-poke windows so far, RCX = that RIP.
	 */
	RAMPART_HC_POKE_CALIBRATE = 6,
	/*
	 * A module's text and rodata, one physical run per call, for the
	 * modules rule: RBX = the module's handle, 0 for its first run;
	 * RCX = start, RDX = size. out: RBX = the handle. Root picks it,
	 * unpredictably where the CPU has RDRAND, and only it releases the
	 * runs. -ENOENT without a denying modules rule; -ESTALE for a handle
	 * no run holds (root dropped them with an earlier rule); -ENOSPC and
	 * -ENOMEM when the run table or EPT pool is full, -EINVAL for a bad
	 * run: both recorded, and the module must not load.
	 */
	RAMPART_HC_MODULE_ADD = 7,
	/*
	 * The module whose handle is RBX is going: release its runs. out:
	 * RBX = runs. -ENOENT, recorded, for a handle no run holds.
	 */
	RAMPART_HC_MODULE_DEL = 8,
	/*
	 * Rig builds only (RAMPART_ENTRY_CHECK=1), for tests of root's own
	 * failure paths; -ENOSYS elsewhere. RBX = 1: make the next VM entry
	 * fail on an injected event (call it with interrupts off); RBX = 2:
	 * make it fail on guest state, which parks this CPU in root;
	 * RBX = 3: a VMREAD of no field at all, which root counts and
	 * reports (debugfs vmcs).
	 */
	RAMPART_HC_TEST = 9,
	RAMPART_HC_NR,
};

/* RAMPART_HC_POKE_CALIBRATE's RBX that names the copy routine. */
#define RAMPART_POKE_SET_COPY	1

/* RAMPART_HC_SEAL's RBX for CPUs Linux does not have (core/madt.c). */
#define RAMPART_SEAL_UNLISTED	0x7fffffff

#endif /* RAMPART_UAPI_HYPERCALL_H */
