// SPDX-License-Identifier: GPL-2.0-only
/*
 * rampartctl: inspect Rampart and manage its policy from user space.
 *
 * Talks to the module only through sysfs (/sys/kernel/rampart, or
 * --sysfs DIR / $RAMPART_SYSFS), and checks policies with the same parser
 * and compiler the kernel side and VMX root run (the policy directory), so a policy
 * that passes "policy check" fails in the kernel only for reasons that
 * depend on the running system (sealing, a load in progress).
 *
 * Run "rampartctl help" for the commands; rampartctl.8 has the same text
 * and more (memory rules, the boot configuration).
 *
 * This file holds main(): the global options and the command table.
 * rampartctl.h says which file holds the rest.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rampartctl.h"

/**
 * main() - rampartctl entry point.
 * @argc: argument count.
 * @argv: [--sysfs DIR] [--json] COMMAND [ARGS].
 *
 * Return: 0 on success, 1 on failure, 2 on a usage error.
 */
int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "sysfs", required_argument, NULL, OPT_SYSFS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("RAMPART_SYSFS");
	const char *cmd;
	int c;

	if (env && *env)
		sysfs_root = env;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", lo, NULL)) != -1) {
		switch (c) {
		case OPT_SYSFS:
			sysfs_root = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, NULL);
		}
	}
	if (optind >= argc)
		return usage("no command");
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (!strcmp(cmd, "help")) {
		fputs(help_text, stdout);
		return EX_OK;
	}
	if (!strcmp(cmd, "status"))
		return cmd_status(argc, argv);
	if (!strcmp(cmd, "policy"))
		return cmd_policy(argc, argv);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc, argv);
	if (!strcmp(cmd, "seal"))
		return cmd_seal(argc, argv);
	if (!strcmp(cmd, "events"))
		return cmd_events(argc, argv);
	if (!strcmp(cmd, "boot"))
		return cmd_boot(argc, argv);
	if (!strcmp(cmd, "watch"))
		return cmd_watch(argc, argv);
	return usage("unknown command '%s'", cmd);
}
