/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Root-mode diagnostics on COM1, for the cases where root cannot hand a
 * report back to the kernel (a fault in root, a guest that cannot run).
 * Polled port I/O only: no kernel call, no lock.
 */
#ifndef RAMPART_VMX_ROOTLOG_H
#define RAMPART_VMX_ROOTLOG_H

#include <linux/types.h>

void rampart_rootlog(const char *s);
void rampart_rootlog_hex(const char *label, u64 v);

#endif /* RAMPART_VMX_ROOTLOG_H */
