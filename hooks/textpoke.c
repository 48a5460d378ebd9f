// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel side of text-poke calibration (vmx/root/poke.c). Root must learn
 * what the kernel's text_poke() looks like before a "poke" rule can let
 * it through: the CR3 of its private mm, its random poking address and
 * the routine that stores (memcpy). So, once, right after launch and
 * before any policy: arm the page of a static-key jump site in this
 * module, flip the key (the jump-label code patches the site through
 * text_poke()), flip it back, disarm, and name the routine whose RIP
 * root saw store. If no text_poke() write reached root (no
 * CONFIG_JUMP_LABEL, or a kernel that patches some other way), "poke"
 * rules are refused and text can only be "ro".
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/io.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "../core/hypercall.h"
#include "../core/ksym.h"
#include "../core/policy.h"
#include "../uapi/hypercall.h"
#include "hooks.h"

static DEFINE_STATIC_KEY_FALSE(calib_key);
static bool calibrated;

/* 64-byte aligned and tiny: the jump site shares one page with its start. */
static noinline __aligned(64) int calib_site(void)
{
	if (static_branch_unlikely(&calib_key))
		return 1;
	return 0;
}

/*
 * Tell root the extent of the routine that made the calibrating store
 * (memcpy), from kallsyms ("name+off/size"): only it may store to poke
 * text from now on.
 */
static long name_copy_routine(unsigned long rip)
{
	unsigned long start, size;
	long ret;

	if (rampart_ksym_extent(rip, &start, &size)) {
		pr_warn("text_poke() stores at %pS: no symbol extent\n",
			(void *)rip);
		return -ENOENT;
	}
	ret = rampart_vmcall3_pinned(RAMPART_HC_POKE_CALIBRATE,
				     RAMPART_POKE_SET_COPY, start, start + size,
				     NULL);
	if (!ret)
		pr_info("text_poke() stores from %pS\n", (void *)rip);
	return ret;
}

/**
 * rampart_textpoke_calibrate() - show root text_poke() at work, once.
 *
 * Return: 0, or a negative errno when "poke" rules cannot be offered.
 */
int rampart_textpoke_calibrate(void)
{
	struct page *pg = vmalloc_to_page(calib_site);
	struct rampart_hc_out out = {};
	int patched;
	long ret;

	if (!pg)
		return -EFAULT;
	ret = rampart_vmcall_pinned(RAMPART_HC_POKE_CALIBRATE, page_to_phys(pg),
				    NULL);
	if (ret) {
		pr_warn("text_poke() calibration not armed (%ld): 'poke' rules are unavailable\n",
			ret);
		return ret;
	}
	rampart_policy_sync_all();
	static_branch_enable(&calib_key);
	patched = calib_site();
	static_branch_disable(&calib_key);
	ret = rampart_vmcall_pinned(RAMPART_HC_POKE_CALIBRATE, 0, &out);
	rampart_policy_sync_all();
	if (!ret && patched)
		ret = name_copy_routine(out.rcx);
	if (ret || !patched) {
		pr_warn("text_poke() calibration failed (%ld, patched %d): 'poke' rules are unavailable, text can only be 'ro'\n",
			ret, patched);
		return ret ?: -ENOENT;
	}
	calibrated = true;
	pr_info("text_poke() calibrated: %lu patch windows; 'poke' rules available\n",
		out.rbx);
	return 0;
}

/**
 * rampart_textpoke_ready() - did calibration succeed?
 *
 * Return: true if root lets text_poke() through "poke" rules.
 */
bool rampart_textpoke_ready(void)
{
	return calibrated;
}
