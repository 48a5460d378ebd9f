/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policy error codes: one table (error_table.h) gives each its errno and
 * message. Root returns only the code and a line number; the kernel side
 * and rampartctl turn them into one readable line.
 */
#ifndef RAMPART_POLICY_ERRORS_H
#define RAMPART_POLICY_ERRORS_H

#include "compat.h"

enum rp_policy_err {
#define RP_ERROR(name, err, msg) RP_ERR_##name,
#include "error_table.h"
	RP_ERR_NR
};

/*
 * Where a policy went wrong: the code, the source line (0: none) and, for
 * conflicts and relaxations, the line of the other rule (0: none).
 */
struct rp_policy_error {
	u32 code;
	u32 line;
	u32 other;
};

/* Negative errno of @code; -EINVAL for codes out of range. */
static inline int rp_policy_errno(u32 code)
{
	static const int errnos[RP_ERR_NR] RP_ROOT_RO = {
#define RP_ERROR(name, err, msg) \
	[RP_ERR_##name] = err,
#include "error_table.h"
	};
	return code < RP_ERR_NR ? -errnos[code] : -EINVAL;
}

/**
 * rp_policy_fail() - fill in a policy error.
 * @e: the error.
 * @code: RP_ERR_*.
 * @line: the rule's line, 0 for none.
 * @other: the line of the other rule involved, 0 for none.
 *
 * Return: the negative errno of @code.
 */
static inline int rp_policy_fail(struct rp_policy_error *e, u32 code,
				 u32 line, u32 other)
{
	e->code = code;
	e->line = line;
	e->other = other;
	return rp_policy_errno(code);
}

/* Message of @code. */
static inline const char *rp_policy_strerror(u32 code)
{
	static const char *const msgs[RP_ERR_NR] = {
#define RP_ERROR(name, err, msg) \
	[RP_ERR_##name] = msg,
#include "error_table.h"
	};
	return code < RP_ERR_NR ? msgs[code] : "unknown policy error";
}

#endif /* RAMPART_POLICY_ERRORS_H */
