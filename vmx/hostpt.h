/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rampart's own page tables for VMX root (HOST_CR3). They map only what
 * root needs: the direct map of RAM (root data lives there) and the module
 * image (root code). Kernel text is absent, so a stray call into the kernel
 * from root faults instead of running untrusted code.
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

#endif /* RAMPART_VMX_HOSTPT_H */
