/* SPDX-License-Identifier: GPL-2.0-only */
/* Control-register exits (vmx/root/cr.c). Root side. */
#ifndef RAMPART_VMX_ROOT_CR_H
#define RAMPART_VMX_ROOT_CR_H

#include <linux/types.h>

#include "guest.h"

int rampart_handle_cr(struct exit_ctx *x);

#endif /* RAMPART_VMX_ROOT_CR_H */
