/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel cooperation: text patching and module text (hooks/). */
#ifndef RAMPART_HOOKS_H
#define RAMPART_HOOKS_H

#include <linux/types.h>

int rampart_textpoke_calibrate(void);
bool rampart_textpoke_ready(void);

int rampart_modules_init(void);
void rampart_modules_exit(void);
void rampart_modules_protect_all(void);

#endif /* RAMPART_HOOKS_H */
