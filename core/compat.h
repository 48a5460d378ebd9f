/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-side compatibility for every 6.1.y-6.12.y kernel. Each difference
 * is settled here, once, keyed on what the kernel provides: a macro the
 * headers define, or, where none tells, a declaration kernel-have.mk found
 * in them (RAMPART_HAVE_*). Root code never includes this file.
 */
#ifndef RAMPART_CORE_COMPAT_H
#define RAMPART_CORE_COMPAT_H

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/syscore_ops.h>
#include <asm/vmx.h>

/* 6.12 renamed the XSAVES control and the VMX_MISC PT bit (SDM A.3.3, A.6). */
#ifndef SECONDARY_EXEC_ENABLE_XSAVES
#define SECONDARY_EXEC_ENABLE_XSAVES	SECONDARY_EXEC_XSAVES
#endif
#ifndef VMX_MISC_INTEL_PT
#define VMX_MISC_INTEL_PT		MSR_IA32_VMX_MISC_INTEL_PT
#endif

/**
 * struct rampart_mod_region - one page-aligned allocation of a module.
 * @base: its first byte.
 * @size: its length in bytes.
 */
struct rampart_mod_region {
	const u8 *base;
	unsigned long size;
};

/* The most regions the helpers below fill in. */
#define RAMPART_MOD_REGIONS	4

/*
 * Up to 6.3 a module's core is one allocation: text, rodata, ro_after_init,
 * then data. From 6.4 each is its own allocation in mod->mem[].
 */
#ifdef for_each_mod_mem_type
static inline unsigned int rampart_mod_fill(const struct module *mod,
					    const enum mod_mem_type *types,
					    unsigned int n,
					    struct rampart_mod_region *r)
{
	unsigned int i, got = 0;

	for (i = 0; i < n; i++) {
		if (!mod->mem[types[i]].size)
			continue;
		r[got].base = mod->mem[types[i]].base;
		r[got].size = PAGE_ALIGN(mod->mem[types[i]].size);
		got++;
	}
	return got;
}

/**
 * rampart_mod_ro_regions() - the module's text and rodata, which never
 * change once it is coming.
 * @mod: the module.
 * @r: RAMPART_MOD_REGIONS entries to fill.
 *
 * Return: how many entries were filled.
 */
static inline unsigned int rampart_mod_ro_regions(const struct module *mod,
						  struct rampart_mod_region *r)
{
	static const enum mod_mem_type ro[] = { MOD_TEXT, MOD_RODATA };

	return rampart_mod_fill(mod, ro, ARRAY_SIZE(ro), r);
}

/**
 * rampart_mod_rodata_regions() - the module's rodata alone.
 * @mod: the module.
 * @r: RAMPART_MOD_REGIONS entries to fill.
 *
 * Return: how many entries were filled.
 */
static inline unsigned int rampart_mod_rodata_regions(const struct module *mod,
						      struct rampart_mod_region *r)
{
	static const enum mod_mem_type ro[] = { MOD_RODATA };

	return rampart_mod_fill(mod, ro, ARRAY_SIZE(ro), r);
}

/**
 * rampart_mod_core_regions() - every core allocation of the module.
 * @mod: the module.
 * @r: RAMPART_MOD_REGIONS entries to fill.
 *
 * Return: how many entries were filled.
 */
static inline unsigned int rampart_mod_core_regions(const struct module *mod,
						    struct rampart_mod_region *r)
{
	static const enum mod_mem_type core[] = {
		MOD_TEXT, MOD_RODATA, MOD_RO_AFTER_INIT, MOD_DATA,
	};

	return rampart_mod_fill(mod, core, ARRAY_SIZE(core), r);
}
#else
static inline unsigned int rampart_mod_ro_regions(const struct module *mod,
						  struct rampart_mod_region *r)
{
	/* ro_size ends page aligned with STRICT_MODULE_RWX. */
	r->base = mod->core_layout.base;
	r->size = round_down(mod->core_layout.ro_size, PAGE_SIZE);
	return r->size ? 1 : 0;
}

static inline unsigned int rampart_mod_rodata_regions(const struct module *mod,
						      struct rampart_mod_region *r)
{
	/* Text, then rodata, each ending page aligned. */
	r->base = (const u8 *)mod->core_layout.base + mod->core_layout.text_size;
	r->size = round_down(mod->core_layout.ro_size, PAGE_SIZE) -
		  mod->core_layout.text_size;
	return r->size ? 1 : 0;
}

static inline unsigned int rampart_mod_core_regions(const struct module *mod,
						    struct rampart_mod_region *r)
{
	r->base = mod->core_layout.base;
	r->size = PAGE_ALIGN(mod->core_layout.size);
	return 1;
}
#endif

/*
 * Syscore ops: from 6.12.115 (6.18 upstream) they hang off a struct syscore
 * and take a data pointer. kernel-have.mk looks for register_syscore() in
 * <linux/syscore_ops.h>, as the stable series changed it mid-way.
 */
#ifdef RAMPART_HAVE_SYSCORE
#define RAMPART_SYSCORE_ARGS		void *data
#define rampart_syscore_decl(name, sus, res)				\
	static const struct syscore_ops name##_ops = {			\
		.suspend = sus, .resume = res,				\
	};								\
	static struct syscore name = { .ops = &name##_ops }
#define rampart_syscore_register(s)	register_syscore(s)
#define rampart_syscore_unregister(s)	unregister_syscore(s)
#else
#define RAMPART_SYSCORE_ARGS		void
#define rampart_syscore_decl(name, sus, res)				\
	static struct syscore_ops name = { .suspend = sus, .resume = res }
#define rampart_syscore_register(s)	register_syscore_ops(s)
#define rampart_syscore_unregister(s)	unregister_syscore_ops(s)
#endif

#endif /* RAMPART_CORE_COMPAT_H */
