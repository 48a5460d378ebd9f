// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rampart's tracepoints (core/trace.h), defined here once: the violation
 * drain (core/events.c) and the write-watch drain (core/watch_events.c)
 * both fire them.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
