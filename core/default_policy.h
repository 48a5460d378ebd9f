/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef RAMPART_POLICY_DEFAULT_H
#define RAMPART_POLICY_DEFAULT_H

#include <linux/types.h>

size_t rampart_default_policy(char *buf, size_t size);

#endif /* RAMPART_POLICY_DEFAULT_H */
