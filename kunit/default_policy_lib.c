// SPDX-License-Identifier: GPL-2.0-only
/* The test module's own copy of the default policy text (core/). */
#include "../core/default_policy.c"
