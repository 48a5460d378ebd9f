// SPDX-License-Identifier: GPL-2.0-only
/*
 * Root mode's own GDT, TSS and IDT (DESIGN.md principle 2). Kernel side,
 * on the CPU about to launch, while it is still native.
 */
#include <linux/string.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/trapnr.h>

#include "host.h"

/**
 * rampart_host_tables_init() - build this CPU's root GDT, TSS and IDT.
 * @v: the CPU's root state.
 *
 * The GDT is a copy of the kernel's, so the selectors root loads on its
 * way out (SDM 28.5.2) mean the same; its TSS descriptor points to
 * Rampart's TSS, a copy of the kernel's hardware TSS. The copy keeps the
 * kernel's IST stacks valid for an NMI in the short window between
 * leaving VMX and the kernel reloading its own TR. The IDT sends NMIs to
 * rampart_root_nmi and every exception to a fail-closed stub.
 */
void rampart_host_tables_init(struct rampart_vcpu *v)
{
	struct desc_ptr gdt;
	const struct ldttss_desc *tss_desc;
	unsigned long tss;
	int i;

	native_store_gdt(&gdt);
	memcpy(v->gdt, (void *)gdt.address,
	       min_t(size_t, sizeof(v->gdt), gdt.size + 1));
	tss_desc = (const struct ldttss_desc *)(gdt.address + GDT_ENTRY_TSS * 8);
	tss = tss_desc->base0 | ((unsigned long)tss_desc->base1 << 16) |
	      ((unsigned long)tss_desc->base2 << 24) |
	      ((unsigned long)tss_desc->base3 << 32);
	memcpy(&v->tss, (void *)tss, sizeof(v->tss));
	v->tss.io_bitmap_base = IO_BITMAP_OFFSET_INVALID;
	set_tssldt_descriptor(&v->gdt[GDT_ENTRY_TSS], (unsigned long)&v->tss,
			      DESC_TSS, sizeof(v->tss) - 1);

	for (i = 0; i < 256; i++) {
		unsigned long h = i == X86_TRAP_NMI ?
				  (unsigned long)rampart_root_nmi :
				  rampart_root_exc_stubs[min(i, 31)];

		pack_gate(&v->idt[i], GATE_INTERRUPT, h, 0, 0, __KERNEL_CS);
	}
}
