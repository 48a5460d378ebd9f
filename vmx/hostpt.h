/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rampart's own page tables for VMX root (HOST_CR3). They map only what
 * root needs: the direct map of RAM (root data lives there) and the module
 * image (root code). Kernel text is absent, so a stray call into the kernel
 * from root faults instead of running untrusted code. The direct map is
 * read-only but for root's own memory (the arena): root reads the kernel's
 * memory and never writes it, so no confused write in root can reach a
 * page the EPT protects from the kernel.
 */
#ifndef RAMPART_VMX_HOSTPT_H
#define RAMPART_VMX_HOSTPT_H

#include <linux/types.h>

struct module;

struct rampart_hostpt {
	u64 *pml4;
	u64 cr3;
	unsigned long table_pages;
};

int rampart_hostpt_build(struct rampart_hostpt *hp, struct module *mod);
int rampart_hostpt_writable(struct rampart_hostpt *hp, const void *va,
			    unsigned long size);
u64 rampart_hostpt_writable_bytes(const struct rampart_hostpt *hp);

#endif /* RAMPART_VMX_HOSTPT_H */
