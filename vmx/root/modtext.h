/* SPDX-License-Identifier: GPL-2.0-only */
/* Module text under the modules rule (vmx/root/modtext.c). Root side. */
#ifndef RAMPART_VMX_ROOT_MODTEXT_H
#define RAMPART_VMX_ROOT_MODTEXT_H

#include <linux/types.h>

#include "guest.h"

struct rampart_root;

void rampart_mods_release_all(struct rampart_root *rs);
int rampart_hc_module_add(struct exit_ctx *x);
int rampart_hc_module_del(struct exit_ctx *x);

#endif /* RAMPART_VMX_ROOT_MODTEXT_H */
