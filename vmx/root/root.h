/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where root code and root read-only data live. Root side: see DESIGN.md
 * principle 2.
 */
#ifndef RAMPART_VMX_ROOT_H
#define RAMPART_VMX_ROOT_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * Root code and root read-only data live in their own page-aligned
 * sections, between vmx/root/root_begin.S and root_end.S, so the EPT can
 * make exactly those pages read-only. tools/check-root-syms.sh fails the
 * build if a root object leaves anything in plain .text.
 */
#define __rampart_root		__section(".text.rampart_root")
#define __rampart_root_ro	__section(".rodata.rampart_root")

extern const u8 rampart_root_text_start[], rampart_root_text_end[];
extern const u8 rampart_root_rodata_start[], rampart_root_rodata_end[];

#endif /* RAMPART_VMX_ROOT_H */
