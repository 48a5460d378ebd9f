// SPDX-License-Identifier: GPL-2.0-only
/*
 * A livepatch under text protection: replaces cmdline_proc_show() so
 * that /proc/cmdline reads "rp_livepatch: patched". Livepatch redirects
 * the old function through ftrace, which patches kernel text with
 * text_poke(); the rig's text scenario checks the patch takes and goes.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int rp_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "rp_livepatch: patched\n");
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = rp_cmdline_proc_show },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },	/* no name: vmlinux */
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init rp_livepatch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit rp_livepatch_exit(void)
{
}

module_init(rp_livepatch_init);
module_exit(rp_livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Rampart test: livepatch under text protection");
