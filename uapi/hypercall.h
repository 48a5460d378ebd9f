/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Rampart hypercall ABI: VMCALL from ring 0 of the deprivileged kernel.
 *
 *   in:  RAX = hypercall number, RBX, RCX, RDX = arguments
 *   out: RAX = 0 or a negative errno, RBX, RCX, RDX = results
 *
 * VMCALL from CPL > 0 raises #UD, as on bare metal. Unknown numbers return
 * -ENOSYS. Root mode takes every argument by value, validates it, and never
 * trusts the caller (DESIGN.md principle 5).
 */
#ifndef RAMPART_UAPI_HYPERCALL_H
#define RAMPART_UAPI_HYPERCALL_H

/* "RAMP" in RBX, and the ABI version in RCX, answer a PING. */
#define RAMPART_HC_MAGIC	0x504d4152U
#define RAMPART_HC_ABI		1U

enum rampart_hypercall {
	RAMPART_HC_PING = 1,	/* out: RBX = magic, RCX = ABI, RDX = CPU id */
	RAMPART_HC_DEVIRT = 2,	/* leave VMX on this CPU, resume natively */
	RAMPART_HC_NR,
};

#endif /* RAMPART_UAPI_HYPERCALL_H */
