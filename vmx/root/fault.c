// SPDX-License-Identifier: GPL-2.0-only
/*
 * Root's own interrupt descriptor table handlers (root side), entered from
 * the stubs in vmx/root/entry.S: an NMI that arrives in root is kept for
 * the guest; a #GP on one of the guarded instructions (vmx/root/insn.S)
 * resumes at its fixup; any other exception is a root bug and stops the
 * CPU (fail closed, DESIGN.md principle 4).
 */
#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/trapnr.h>

#include "entry.h"
#include "guest.h"
#include "root.h"
#include "rootlog.h"
#include "vcpu.h"

/**
 * rampart_root_nmi_c() - an NMI arrived in root mode: keep it for the guest.
 * @sp: the stack pointer, inside this CPU's root stack.
 */
__rampart_root void rampart_root_nmi_c(unsigned long sp)
{
	rampart_vcpu_of(sp)->nmi_pending = true;
}

/**
 * rampart_root_exception() - an exception in root mode.
 * @f: the saved state.
 *
 * A #GP on a guarded instruction resumes at its fixup. Anything else is a
 * bug in root mode: report it on COM1 and stop the CPU (fail closed).
 */
__rampart_root void rampart_root_exception(struct rampart_exc_frame *f)
{
	static const struct {
		const u8 *insn, *fixup;
	} guarded[] __rampart_root_ro = {
		{ rampart_root_rdmsr_insn, rampart_root_rdmsr_fixup },
		{ rampart_root_wrmsr_insn, rampart_root_wrmsr_fixup },
		{ rampart_root_xsetbv_insn, rampart_root_xsetbv_fixup },
	};
	unsigned long cr2;
	unsigned int i;

	for (i = 0; f->vector == X86_TRAP_GP && i < ARRAY_SIZE(guarded); i++) {
		if (f->iret.rip == (u64)guarded[i].insn) {
			f->iret.rip = (u64)guarded[i].fixup;
			return;
		}
	}
	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	rampart_rootlog("\nrampart: root: exception in VMX root, CPU halted");
	rampart_rootlog_hex("vector", f->vector);
	rampart_rootlog_hex("error", f->error);
	rampart_rootlog_hex("rip", f->iret.rip);
	rampart_rootlog_hex("rsp", f->iret.rsp);
	rampart_rootlog_hex("cr2", cr2);
	rampart_rootlog("\n");
	rampart_halt_forever();
}
