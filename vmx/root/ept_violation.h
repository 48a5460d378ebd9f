/* SPDX-License-Identifier: GPL-2.0-only */
/* EPT violations (vmx/root/ept_violation.c). Root side. */
#ifndef RAMPART_VMX_ROOT_EPT_VIOLATION_H
#define RAMPART_VMX_ROOT_EPT_VIOLATION_H

#include "guest.h"

int rampart_handle_ept_violation(struct exit_ctx *x);

#endif /* RAMPART_VMX_ROOT_EPT_VIOLATION_H */
