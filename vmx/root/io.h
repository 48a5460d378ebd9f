/* SPDX-License-Identifier: GPL-2.0-only */
/* Port I/O root guards (vmx/io.c): root side, bitmap set up before launch. */
#ifndef RAMPART_VMX_IO_H
#define RAMPART_VMX_IO_H

#include <linux/types.h>

struct exit_ctx;

int rampart_handle_io(struct exit_ctx *x);
void rampart_io_bitmap_guard(u8 *bm, u16 port);

#endif /* RAMPART_VMX_IO_H */
