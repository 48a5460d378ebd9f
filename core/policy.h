/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel side of the policy (core/policy.c, core/policy_sysfs.c). */
#ifndef RAMPART_CORE_POLICY_H
#define RAMPART_CORE_POLICY_H

#include <linux/kobject.h>
#include <linux/types.h>

struct rampart_policy;

int rampart_policy_load(const char *text, size_t len, const char *origin);
int rampart_policy_load_default(bool poke);
void rampart_policy_on_modules_rule(void (*fn)(void));
int rampart_policy_seal(void);
u64 rampart_policy_snapshot(struct rampart_policy *p);
void rampart_policy_sync_all(void);
void rampart_policy_mutex_lock(void);
void rampart_policy_mutex_unlock(void);

int rampart_policy_sysfs_init(struct kobject *parent);
void rampart_policy_sysfs_exit(void);

#endif /* RAMPART_CORE_POLICY_H */
