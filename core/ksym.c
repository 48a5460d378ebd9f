// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel symbols (kernel side): the extent of the symbol around an
 * address, from kallsyms' "name+off/size", and the address of a symbol by
 * name. kallsyms_lookup_name() is not exported; a kprobe registered
 * disabled resolves a name with it and never touches text.
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "ksym.h"

/**
 * rampart_ksym_extent() - the symbol that holds @addr.
 * @addr: a kernel address.
 * @start: set to the symbol's start.
 * @size: set to its size.
 *
 * Return: 0, or -ENOENT if kallsyms knows no symbol there.
 */
int rampart_ksym_extent(unsigned long addr, unsigned long *start,
			unsigned long *size)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long off;
	const char *plus;

	sprint_symbol(sym, addr);
	plus = strrchr(sym, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", &off, size) != 2 || off > addr)
		return -ENOENT;
	*start = addr - off;
	return 0;
}

/**
 * rampart_ksym_lookup() - the address of a kernel or module symbol.
 * @name: its name.
 *
 * Return: the address, or 0 if there is no such symbol (or no kprobes).
 */
unsigned long rampart_ksym_lookup(const char *name)
{
#ifdef CONFIG_KPROBES
	struct kprobe kp = {
		.symbol_name = "kallsyms_lookup_name",
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long (*lookup)(const char *name);
	unsigned long start, size;

	/* Resolves only: registered disabled, the probe patches no text. */
	if (register_kprobe(&kp))
		return 0;
	/* The probe may sit past the ENDBR: call the function's start. */
	if (rampart_ksym_extent((unsigned long)kp.addr, &start, &size))
		start = 0;
	unregister_kprobe(&kp);
	if (!start)
		return 0;
	lookup = (void *)start;
	return lookup(name);
#else
	return 0;
#endif
}
