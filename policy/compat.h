/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy code builds in three places: VMX root (compile.c, decide.c),
 * the kernel side and KUnit (parse.c, render.c too), and user space
 * (rampartctl, the fuzzer). It uses no library function, only these types.
 */
#ifndef RAMPART_POLICY_COMPAT_H
#define RAMPART_POLICY_COMPAT_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>	/* the __u* types, as the kernel's uapi has them */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#define WRITE_ONCE(x, val) ((x) = (val))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#endif

/*
 * In rampart.ko, compile.c and decide.c run in VMX root: their code and
 * tables go to the root sections (vmx/root.h). Elsewhere these are empty.
 */
#ifdef RAMPART_POLICY_ROOT
#include "../vmx/root/root.h"
#define RP_ROOT		__rampart_root
#define RP_ROOT_RO	__rampart_root_ro
#else
#define RP_ROOT
#define RP_ROOT_RO
#endif

#endif /* RAMPART_POLICY_COMPAT_H */
