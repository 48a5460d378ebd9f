/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef RAMPART_CORE_POWER_H
#define RAMPART_CORE_POWER_H

int rampart_power_init(void);
void rampart_power_exit(void);

#endif /* RAMPART_CORE_POWER_H */
