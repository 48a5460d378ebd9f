/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy error codes, one line each: RP_ERROR(name, errno, message).
 * policy/errors.h and rampartctl include this table with RP_ERROR defined
 * to build the enum, the errno and message arrays and the names; it has
 * no include guard on purpose.
 */
#ifndef RP_ERROR
#define RP_ERROR(name, err, msg)
#endif
RP_ERROR(OK,		0,	"ok")
RP_ERROR(SYNTAX,	EINVAL,	"expected '<asset> <protection> <action> [gp|ignore]'")
RP_ERROR(ASSET,	EINVAL,	"unknown asset kind (cr0, cr4, msr, phys, range)")
RP_ERROR(CR_NAME,	EINVAL,	"unknown CR bit name")
RP_ERROR(MSR_NAME,	EINVAL,	"unknown MSR name")
RP_ERROR(RANGE_NAME,	EINVAL,	"unknown range name")
RP_ERROR(NUMBER,	EINVAL,	"malformed number")
RP_ERROR(PROT,		EINVAL,	"unknown protection (lock, ro, poke)")
RP_ERROR(ACTION,	EINVAL,	"unknown action (deny, log, allow)")
RP_ERROR(DENY_MODE,	EINVAL,	"deny needs 'gp' or 'ignore'")
RP_ERROR(NOT_DENY,	EINVAL,	"'gp' and 'ignore' go only with deny")
RP_ERROR(TRAILING,	EINVAL,	"unexpected text after the rule")
RP_ERROR(LINE_LONG,	E2BIG,	"line longer than 256 bytes")
RP_ERROR(TOO_MANY,	E2BIG,	"more than 2000 rules")
RP_ERROR(NUL,		EINVAL,	"NUL byte in policy text")
RP_ERROR(HEADER,	EINVAL,	"bad binary policy header")
RP_ERROR(FIELD,	EINVAL,	"malformed binary rule")
RP_ERROR(CR_NR,	ERANGE,	"only CR0 and CR4 can be protected")
RP_ERROR(CR_EMPTY,	EINVAL,	"empty CR bit mask")
RP_ERROR(CR_RESERVED,	ERANGE,	"reserved CR bit")
RP_ERROR(CR_PROT,	EINVAL,	"CR bits take 'lock'")
RP_ERROR(CR_HOT,	EINVAL,	"unsafe: the kernel changes this CR bit at run time (TLB flush, context switch, FPU, cache control)")
RP_ERROR(CR_OWNED,	EINVAL,	"unsafe: CR4.VMXE belongs to Rampart")
RP_ERROR(MSR_RANGE,	ERANGE,	"MSR outside the ranges the MSR bitmap covers (0-0x1fff, 0xc0000000-0xc0001fff)")
RP_ERROR(MSR_EMPTY,	EINVAL,	"empty MSR mask")
RP_ERROR(MSR_HOT,	EINVAL,	"unsafe: the kernel writes this MSR on a hot path (context switch, timer, interrupt, perf)")
RP_ERROR(MSR_VMCS,	EINVAL,	"unsupported: this MSR lives in the VMCS guest state (PAT, DEBUGCTL, FS/GS base)")
RP_ERROR(MSR_TOO_MANY,	E2BIG,	"more than 1024 MSRs")
RP_ERROR(PHYS,		ERANGE,	"physical range is empty, unaligned, wraps or lies beyond mapped memory")
RP_ERROR(RANGE_LATER,	EOPNOTSUPP, "range not resolved on this kernel")
RP_ERROR(RANGE_PROT,	EINVAL,	"memory ranges take 'ro', or 'poke' for kernel_text and modules")
RP_ERROR(RANGE_LOG,	EINVAL,	"'log' on memory takes 'ro': a logged write happens anyway, text_poke() or not")
RP_ERROR(RANGE_TOO_MANY, E2BIG, "more than 256 memory ranges")
RP_ERROR(EPT_POOL,	ENOMEM,	"not enough EPT table pages in root's pool to split for these ranges")
RP_ERROR(CONFLICT,	EEXIST,	"contradicts an earlier rule for the same asset")
RP_ERROR(RELAXES,	EPERM,	"the policy is sealed and this would relax one of its rules")
RP_ERROR(BUSY,		EBUSY,	"another policy load is in progress")
RP_ERROR(MSR_PROT,	EINVAL,	"MSRs take 'lock' or 'ro'")
RP_ERROR(POKE_UNAVAILABLE, EOPNOTSUPP, "'poke' needs the kernel's text_poke() path, which Rampart could not calibrate here: use 'ro'")
RP_ERROR(DESC_UNAVAILABLE, EOPNOTSUPP, "range.idt with log or deny needs descriptor-table exiting, which this CPU lacks")
#undef RP_ERROR
