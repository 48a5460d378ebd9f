/* SPDX-License-Identifier: GPL-2.0-only */
/* The default policy text (core/default_policy.c). Kernel side. */
#ifndef RAMPART_CORE_DEFAULT_POLICY_H
#define RAMPART_CORE_DEFAULT_POLICY_H

#include <linux/types.h>

size_t rampart_default_policy(char *buf, size_t size, bool poke, bool nested);

#endif /* RAMPART_CORE_DEFAULT_POLICY_H */
