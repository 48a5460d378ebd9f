/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel side of the violation ring (core/events.c). */
#ifndef RAMPART_CORE_EVENTS_H
#define RAMPART_CORE_EVENTS_H

#include <linux/kobject.h>

int rampart_events_init(struct kobject *parent);
void rampart_events_exit(void);
u64 rampart_events_drain(void);
u64 rampart_events_drain_runs(void);

#endif /* RAMPART_CORE_EVENTS_H */
