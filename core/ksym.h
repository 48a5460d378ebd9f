/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel symbols by name and extent (core/ksym.c). Kernel side. */
#ifndef RAMPART_CORE_KSYM_H
#define RAMPART_CORE_KSYM_H

int rampart_ksym_extent(unsigned long addr, unsigned long *start,
			unsigned long *size);
unsigned long rampart_ksym_lookup(const char *name);

#endif /* RAMPART_CORE_KSYM_H */
