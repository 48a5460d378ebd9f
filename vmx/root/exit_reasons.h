/* SPDX-License-Identifier: GPL-2.0-only */
/* Basic exit reasons, SDM Vol. 3D Appendix C; numbers from uapi/asm/vmx.h. */
#ifndef RAMPART_VMX_EXIT_REASONS_H
#define RAMPART_VMX_EXIT_REASONS_H

#include <asm/vmx.h>

#define RAMPART_EXIT_NR		(EXIT_REASON_NOTIFY + 1)

#endif /* RAMPART_VMX_EXIT_REASONS_H */
