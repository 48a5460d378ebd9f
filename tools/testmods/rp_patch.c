// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel patching its own text, on demand, while Rampart protects
 * module text: write 1 or 0 to /sys/module/rp_patch/parameters/flip to
 * turn a static key (jump label) and a static call on or off. Each flip
 * goes through text_poke() and reports what the patched code now does:
 *
 *   rp_patch: flip=<0|1> key=<0|1> call=<1|2>
 *
 * key and call must follow flip, or the patch did not land.
 */
#define pr_fmt(fmt) "rp_patch: " fmt

#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/static_call.h>

static DEFINE_STATIC_KEY_FALSE(rp_patch_key);

static int one(void)
{
	return 1;
}

static int two(void)
{
	return 2;
}

DEFINE_STATIC_CALL(rp_patch_call, one);

static noinline int key_site(void)
{
	if (static_branch_unlikely(&rp_patch_key))
		return 1;
	return 0;
}

static int flip_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	if (on) {
		static_branch_enable(&rp_patch_key);
		static_call_update(rp_patch_call, two);
	} else {
		static_branch_disable(&rp_patch_key);
		static_call_update(rp_patch_call, one);
	}
	pr_info("flip=%d key=%d call=%d\n", on, key_site(),
		static_call(rp_patch_call)());
	return 0;
}

static const struct kernel_param_ops flip_ops = { .set = flip_set };
module_param_cb(flip, &flip_ops, NULL, 0200);
MODULE_PARM_DESC(flip, "1: key on, call two(); 0: key off, call one()");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: static keys and static calls under text protection");
