/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rampart's own page tables for VMX root (HOST_CR3). They map only what
 * root needs: the direct map of RAM (root data lives there) and the module
 * image (root code). Kernel text is absent, so a stray call into the kernel
 * from root faults instead of running untrusted code. The direct map is
 * read-only but for root's own memory (the arena): root reads the kernel's
 * memory and writes it only through a per-CPU window, one page the EPT
 * lets the kernel write at a time, to complete an instruction it
 * emulates (vmx/root/gmem.c); no confused write in root can reach a page
 * the EPT protects from the kernel.
 */
#ifndef RAMPART_VMX_HOSTPT_H
#define RAMPART_VMX_HOSTPT_H

#include <linux/types.h>

struct module;

/*
 * Each CPU's window onto guest memory (vmx/root/gmem.c): two pages, so an
 * access may cross a page boundary, in the lower half at 16 TiB.
 */
#define RAMPART_WINDOW_BASE	0x100000000000UL
#define RAMPART_WINDOW_PAGES	2

struct rampart_hostpt {
	u64 *pml4;
	u64 cr3;
	u64 ram_end;		/* the direct map covers [0, ram_end) */
	unsigned long table_pages;
};

int rampart_hostpt_build(struct rampart_hostpt *hp, struct module *mod);
int rampart_hostpt_writable(struct rampart_hostpt *hp, const void *va,
			    unsigned long size);
u64 rampart_hostpt_writable_bytes(const struct rampart_hostpt *hp);
u64 *rampart_hostpt_window(struct rampart_hostpt *hp, unsigned int cpu,
			   u64 *va);

#endif /* RAMPART_VMX_HOSTPT_H */
