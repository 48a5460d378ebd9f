/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policy error codes: one table gives each its errno and message. Root
 * returns only the code and a line number; the kernel side and rampartctl
 * turn them into one readable line.
 */
#ifndef RAMPART_POLICY_ERRORS_H
#define RAMPART_POLICY_ERRORS_H

#include "compat.h"

#define RP_POLICY_ERRORS(X)						\
	X(OK,		0,	"ok")					\
	X(SYNTAX,	EINVAL,	"expected '<asset> <protection> <action> [gp|ignore]'") \
	X(ASSET,	EINVAL,	"unknown asset kind (cr0, cr4, msr, phys, range)") \
	X(CR_NAME,	EINVAL,	"unknown CR bit name")			\
	X(MSR_NAME,	EINVAL,	"unknown MSR name")			\
	X(RANGE_NAME,	EINVAL,	"unknown range name")			\
	X(NUMBER,	EINVAL,	"malformed number")			\
	X(PROT,		EINVAL,	"unknown protection (lock, ro, poke)")	\
	X(ACTION,	EINVAL,	"unknown action (deny, log, allow)")	\
	X(DENY_MODE,	EINVAL,	"deny needs 'gp' or 'ignore'")		\
	X(NOT_DENY,	EINVAL,	"'gp' and 'ignore' go only with deny")	\
	X(TRAILING,	EINVAL,	"unexpected text after the rule")	\
	X(LINE_LONG,	E2BIG,	"line longer than 256 bytes")		\
	X(TOO_MANY,	E2BIG,	"more than 2000 rules")			\
	X(NUL,		EINVAL,	"NUL byte in policy text")		\
	X(HEADER,	EINVAL,	"bad binary policy header")		\
	X(FIELD,	EINVAL,	"malformed binary rule")		\
	X(CR_NR,	ERANGE,	"only CR0 and CR4 can be protected")	\
	X(CR_EMPTY,	EINVAL,	"empty CR bit mask")			\
	X(CR_RESERVED,	ERANGE,	"reserved CR bit")			\
	X(CR_PROT,	EINVAL,	"CR bits take 'lock'")			\
	X(CR_HOT,	EINVAL,	"unsafe: the kernel changes this CR bit at run time (TLB flush, context switch, FPU, cache control)") \
	X(CR_OWNED,	EINVAL,	"unsafe: CR4.VMXE belongs to Rampart")	\
	X(MSR_RANGE,	ERANGE,	"MSR outside the ranges the MSR bitmap covers (0-0x1fff, 0xc0000000-0xc0001fff)") \
	X(MSR_EMPTY,	EINVAL,	"empty MSR mask")			\
	X(MSR_HOT,	EINVAL,	"unsafe: the kernel writes this MSR on a hot path (context switch, timer, interrupt, perf)") \
	X(MSR_VMCS,	EINVAL,	"unsupported: this MSR lives in the VMCS guest state (PAT, DEBUGCTL, FS/GS base)") \
	X(MSR_TOO_MANY,	E2BIG,	"more than 1024 MSRs")			\
	X(PHYS,		ERANGE,	"physical range is empty, unaligned, wraps or lies beyond mapped memory") \
	X(RANGE_LATER,	EOPNOTSUPP, "range not resolved on this kernel")	\
	X(RANGE_PROT,	EINVAL,	"memory ranges take 'ro', or 'poke' for kernel_text and modules") \
	X(RANGE_LOG,	EINVAL,	"'log' on memory takes 'ro': a logged write happens anyway, text_poke() or not") \
	X(RANGE_TOO_MANY, E2BIG, "more than 256 memory ranges")		\
	X(EPT_POOL,	ENOMEM,	"not enough EPT table pages in root's pool to split for these ranges") \
	X(CONFLICT,	EEXIST,	"contradicts an earlier rule for the same asset") \
	X(RELAXES,	EPERM,	"the policy is sealed and this would relax one of its rules") \
	X(BUSY,		EBUSY,	"another policy load is in progress")	\
	X(MSR_PROT,	EINVAL,	"MSRs take 'lock' or 'ro'")		\
	X(POKE_UNAVAILABLE, EOPNOTSUPP, "'poke' needs the kernel's text_poke() path, which Rampart could not calibrate here: use 'ro'")

#define RP_ERR_ENUM(name, err, msg) RP_ERR_##name,
enum rp_policy_err {
	RP_POLICY_ERRORS(RP_ERR_ENUM)
	RP_ERR_NR
};
#undef RP_ERR_ENUM

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
#define RP_ERR_ERRNO(name, err, msg) [RP_ERR_##name] = err,
	static const int errnos[RP_ERR_NR] RP_ROOT_RO = {
		RP_POLICY_ERRORS(RP_ERR_ERRNO)
	};
#undef RP_ERR_ERRNO
	return code < RP_ERR_NR ? -errnos[code] : -EINVAL;
}

/* Message of @code. */
static inline const char *rp_policy_strerror(u32 code)
{
#define RP_ERR_MSG(name, err, msg) [RP_ERR_##name] = msg,
	static const char *const msgs[RP_ERR_NR] = { RP_POLICY_ERRORS(RP_ERR_MSG) };
#undef RP_ERR_MSG
	return code < RP_ERR_NR ? msgs[code] : "unknown policy error";
}

#endif /* RAMPART_POLICY_ERRORS_H */
