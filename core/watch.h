/* SPDX-License-Identifier: GPL-2.0-only */
/* Write-watch targets and hits (core/watch.c, core/watch_events.c). */
#ifndef RAMPART_CORE_WATCH_H
#define RAMPART_CORE_WATCH_H

#include <linux/kobject.h>
#include <linux/types.h>

#include "../policy/policy.h"

struct rampart_watch_set;

struct rampart_watch_set *rampart_watch_set_new(void);
void rampart_watch_set_free(struct rampart_watch_set *set);
void rampart_watch_commit(struct rampart_watch_set *set);
int rampart_watch_resolve(void *ctx, const struct rp_watch_ref *w,
			  struct rampart_rule *out, u32 room, u32 *n,
			  struct rp_policy_error *e);
size_t rampart_watch_list(char *buf, size_t size);

int rampart_watch_events_init(struct kobject *parent);
void rampart_watch_events_exit(void);
u64 rampart_watch_drain(void);

#endif /* RAMPART_CORE_WATCH_H */
