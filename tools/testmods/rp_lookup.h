/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbol lookup for the hostile test modules: kallsyms_lookup_name is not
 * exported since 5.7, so take its address from a kprobe.
 */
#ifndef RP_LOOKUP_H
#define RP_LOOKUP_H

#include <linux/kprobes.h>

static inline unsigned long rp_lookup(const char *sym)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*fn)(const char *name);

	if (register_kprobe(&kp))
		return 0;
	fn = (void *)kp.addr;
	unregister_kprobe(&kp);
	return fn ? fn(sym) : 0;
}

#endif /* RP_LOOKUP_H */
