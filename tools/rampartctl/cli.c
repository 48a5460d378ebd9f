// SPDX-License-Identifier: GPL-2.0-only
/*
 * Messages and help: the help text, error and usage lines, and the
 * options of the commands that take none of their own.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

#include "rampartctl.h"

const char help_text[] =
"NAME\n"
"    rampartctl - control the Rampart security hypervisor\n"
"\n"
"SYNOPSIS\n"
"    rampartctl [--sysfs DIR] [--json] status\n"
"    rampartctl policy check [--code] FILE\n"
"    rampartctl [--sysfs DIR] policy load FILE\n"
"    rampartctl [--sysfs DIR] [--json] show\n"
"    rampartctl [--sysfs DIR] seal\n"
"    rampartctl [--sysfs DIR] [--json] events [-f|--follow] [-n N]\n"
"    rampartctl [--sysfs DIR] [--json] events --first\n"
"    rampartctl [--sysfs DIR] boot [-c|--config FILE]\n"
"    rampartctl [--sysfs DIR] [--json] watch add TARGET\n"
"    rampartctl [--sysfs DIR] [--json] watch del TARGET\n"
"    rampartctl [--sysfs DIR] [--json] watch list\n"
"    rampartctl [--json] watch follow [--count N]\n"
"    rampartctl help | --help | -h\n"
"\n"
"DESCRIPTION\n"
"    Rampart (rampart.ko) moves the running Linux kernel into a VMX guest\n"
"    and enforces a policy on writes to CR0, CR4 and MSRs from VMX root\n"
"    mode. rampartctl reads its state, checks and loads policies, seals\n"
"    the policy, prints the violation log and sets write-watches on\n"
"    kernel memory, all through sysfs.\n"
"\n"
"    Policies are checked locally with the parser and compiler that the\n"
"    kernel and VMX root run, before anything is written to the kernel.\n"
"\n"
"COMMANDS\n"
"    status\n"
"        Print the module state and version, the state and policy\n"
"        generation of each CPU, the policy generation, rule count and\n"
"        seal, and the event counters. Warns about every CPU whose policy\n"
"        generation is not the current one.\n"
"\n"
"    policy check FILE\n"
"        Parse FILE (- for standard input) and compile it rule by rule as\n"
"        VMX root would. On success print the policy in canonical form;\n"
"        on error print FILE:LINE: message (and \"(see line N)\" for the\n"
"        earlier rule it conflicts with) and exit 1. Needs no kernel.\n"
"        --code prints \"0 OK\" or \"LINE CODE_NAME\" on standard output\n"
"        instead, for scripts.\n"
"\n"
"    policy load FILE\n"
"        Check FILE as above and refuse it if the check fails; otherwise\n"
"        write it to policy/staging and its length to policy/commit. The\n"
"        kernel parses it again and root validates it and loads it\n"
"        atomically on all CPUs, or rejects it as a whole; the kernel\n"
"        log then has the reason and line.\n"
"\n"
"    show\n"
"        Print the policy in force (policy/active), in canonical form.\n"
"\n"
"    seal\n"
"        Seal the policy: until reboot, no load may relax any rule in\n"
"        force and the hypervisor can no longer be unloaded. One-way.\n"
"\n"
"    events [-f|--follow] [-n N]\n"
"        Print the last N violation records (default: all the kernel\n"
"        keeps), one a line: sequence number, CPU, asset, action, the\n"
"        old and the attempted value, the protected bits the write tried\n"
"        to change, guest RIP, policy line and TSC. A gap in sequence\n"
"        numbers is printed as \"N events dropped\". -f then follows the\n"
"        rampart:rampart_violation tracepoint in a tracefs instance of its\n"
"        own (instances/rampartctl.PID, removed on exit), blocking until\n"
"        records come, and prints each once, in order, until SIGINT or\n"
"        SIGTERM. A record the log no longer holds is printed from the\n"
"        trace line, its RIP as the kernel symbolized it and \"tsc ?\".\n"
"        Without tracefs, -f fails.\n"
"\n"
"    events --first\n"
"        Print the first violation records after the seal, which the\n"
"        hypervisor keeps in its own memory and never overwrites (256),\n"
"        then how many it recorded since the seal.\n"
"\n"
"    boot [-c|--config FILE]\n"
"        What the initramfs hook and rampart.service run: load the module\n"
"        (modprobe rampart) unless it is loaded, apply the policy file\n"
"        the configuration names, and seal if it says seal = yes. One\n"
"        line per step, \"rampart: boot: ...\", on standard error and in\n"
"        the kernel log. A bad policy file leaves the policy in force as\n"
"        it is; sealing is still done. Exits 0 only if every step\n"
"        succeeded; running it again changes nothing. See BOOT\n"
"        CONFIGURATION.\n"
"\n"
"    watch add TARGET\n"
"        Watch writes to kernel memory: load the policy in force with\n"
"        \"watch.TARGET ro log\" added, checked as policy check does and\n"
"        loaded as policy load does. TARGET is\n"
"        symbol[+off][:len] (no len: the symbol's size), 0xADDR[:len] (a\n"
"        kernel virtual address; written virt.ADDR:len, len 8 if not\n"
"        given), virt.ADDR[:len] or phys.ADDR:len; numbers decimal or 0x\n"
"        hex. Each write that changes a watched byte is a hit (watch\n"
"        follow, events). A watch in force already is not added again.\n"
"\n"
"    watch del TARGET\n"
"        Remove the watches of watch/list with this target (spelled as for\n"
"        add; numbers compare by value): load the policy in force without\n"
"        them. A piece another watch has too stays watched, with a\n"
"        warning. Not in watch/list: exit 1, nothing loaded. Sealed, the\n"
"        kernel refuses (EPERM): a sealed policy may gain watches, never\n"
"        lose one.\n"
"\n"
"        add and del keep every watch's name: they load the rules of\n"
"        policy/active but its watch.phys ones (the pieces it renders),\n"
"        then \"watch.TARGET ro log\" for each line of watch/list, as the\n"
"        list names it, then the new watch (add) or without the removed\n"
"        ones (del); the kernel resolves each again by name. watch/list\n"
"        missing, unreadable or disagreeing with policy/active: exit 1,\n"
"        nothing loaded.\n"
"\n"
"    watch list\n"
"        Print watch/list, a line per watch (target, policy line, address,\n"
"        length, physical pieces), then the counters: hits, neighbours\n"
"        (writes to other bytes of watched pages) and dropped (hits lost).\n"
"\n"
"    watch follow [--count N]\n"
"        Follow the rampart:rampart_watch tracepoint in a tracefs instance\n"
"        of its own, as events -f does, and print a line per hit: CPU,\n"
"        address, length, the bytes before and after (one little-endian\n"
"        number each), the writing instruction and the callers found on\n"
"        its stack, e.g.\n"
"          cpu1 jiffies_64+0x0 8 bytes 0x41 -> 0x42 by do_timer+0x1f/0x30\n"
"          <- tick_do_update_jiffies64+0x7c/0x130 (one line)\n"
"        and \"N hits lost\" where tracefs dropped some. Ends after N hits,\n"
"        or at SIGINT or SIGTERM; removes the instance in every case.\n"
"\n"
"    help, --help, -h\n"
"        Print this text.\n"
"\n"
"OPTIONS\n"
"    --sysfs DIR\n"
"        Use DIR instead of /sys/kernel/rampart (also the environment\n"
"        variable RAMPART_SYSFS).\n"
"\n"
"    --json\n"
"        status, show and watch add, del and list print one JSON object;\n"
"        events prints one JSON object a line (JSON Lines): \"type\" is\n"
"        \"event\", \"dropped\" or \"since_seal\"; watch follow too, \"type\"\n"
"        \"hit\" or \"lost\". Addresses, values and masks are strings\n"
"        (\"0x...\"), so no bit is lost. May also follow the command.\n"
"\n"
"POLICY FORMAT\n"
"    One rule a line; # starts a comment:\n"
"\n"
"        <asset> <protection> <action> [gp|ignore]\n"
"\n"
"    asset       cr0.<bits>, cr4.<bits> (names or a mask, comma\n"
"                separated), msr.<name|index>[/<mask>],\n"
"                phys.<start>+<size>, range.<name>, vmx.nested,\n"
"                watch.<target> (always \"ro log\"; see watch add)\n"
"    protection  lock (keep the value the bits have when the policy takes\n"
"                effect) or ro (MSRs: no write at all)\n"
"    action      deny gp (inject #GP), deny ignore (complete the write,\n"
"                keep the protected bits), log, or allow\n"
"\n"
"    vmx.nested lock allow has the hypervisor emulate VMX for the kernel,\n"
"    so KVM guests run under it; vmx.nested lock deny, or no vmx rule,\n"
"    hides VMX (VMX instructions raise #UD). Sealed, allow may only\n"
"    become deny.\n"
"\n"
"    The full grammar is in uapi/policy.h, the rules and what is refused\n"
"    (unsafe bits, hot MSRs) in README.md, \"Policy\".\n"
"\n"
"BOOT CONFIGURATION\n"
"    /etc/rampart/rampart.conf: lines \"key = value\", # comments:\n"
"\n"
"    policy = PATH   the policy file (default /etc/rampart/policy); one\n"
"                    without rules keeps the built-in default\n"
"    seal = yes|no   seal after applying it (default no)\n"
"\n"
"    A missing file means the defaults. A bad line is an error (FILE:LINE)\n"
"    and no policy is applied, but the module is still loaded and, if a\n"
"    line seal = yes was read, the policy sealed.\n"
"\n"
"FILES\n"
"    /etc/rampart/rampart.conf, /etc/rampart/policy\n"
"        boot's configuration and policy\n"
"    /sys/kernel/rampart/\n"
"        state, version, cpus/cpuN/state, cpus/cpuN/policy_generation\n"
"    /sys/kernel/rampart/policy/\n"
"        staging, commit, active, sealed, generation, rules\n"
"    /sys/kernel/rampart/events/\n"
"        log (struct rampart_event records), total, denied, logged, dropped\n"
"    /sys/kernel/rampart/watch/\n"
"        list, hits, neighbours, dropped\n"
"    /sys/kernel/tracing/instances/rampartctl.PID/\n"
"        the tracefs instance of events -f and watch follow (or under\n"
"        /sys/kernel/debug/tracing)\n"
"\n"
"EXIT STATUS\n"
"    0 on success, 1 on any error (a bad policy, a rejected load, a\n"
"    missing or unreadable sysfs file, no tracefs for events -f or watch\n"
"    follow, a boot step that failed, watch del of a watch not in force,\n"
"    watch add or del where watch/list and policy/active disagree),\n"
"    2 on a usage error (a malformed watch target too).\n"
"\n"
"EXAMPLES\n"
"    Lock SMEP and SMAP, log LSTAR changes:\n"
"\n"
"        printf 'cr4.smep,smap lock deny gp\\nmsr.lstar lock log\\n' > p\n"
"        rampartctl policy check p && rampartctl policy load p\n"
"        rampartctl status\n"
"        rampartctl events -f\n"
"\n"
"    Seal it once the system is up:\n"
"\n"
"        rampartctl seal\n"
"\n"
"    Who writes jiffies_64, ten times, then stop watching:\n"
"\n"
"        rampartctl watch add jiffies_64\n"
"        rampartctl watch follow --count 10\n"
"        rampartctl watch del jiffies_64\n";

static void usage_hint(void)
{
	fprintf(stderr, "Try '" PROG " help'.\n");
}

/* One line "rampartctl: ..." on stderr. */
static void __printf(1, 0) say(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/**
 * fail() - Print one line "rampartctl: ..." on standard error.
 * @fmt: printf() format of the line, without the newline.
 * @...: its arguments.
 *
 * Return: EX_FAIL.
 */
int __printf(1, 2) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return EX_FAIL;
}

/**
 * usage() - Report a usage error: one line, then a hint.
 * @fmt: printf() format of the line, without the newline.
 * @...: its arguments.
 *
 * Return: EX_USAGE.
 */
int __printf(1, 2) usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	usage_hint();
	return EX_USAGE;
}

/**
 * opt_error() - Report a getopt_long() error: one line, then a hint.
 * @c: what getopt_long() returned: ':' or '?'.
 * @argv: the arguments it was parsing.
 * @cmd: the command they belong to; NULL for the global options.
 *
 * Return: EX_USAGE.
 */
int opt_error(int c, char **argv, const char *cmd)
{
	const char *arg = argv[optind - 1];
	const char *sep = cmd ? ": " : "";

	if (!cmd)
		cmd = "";
	if (c == ':')
		return usage("%s%soption '%s' needs an argument", cmd, sep, arg);
	if (optopt)
		return usage("%s%sunknown option '-%c'", cmd, sep, optopt);
	return usage("%s%sunknown option '%s'", cmd, sep, arg);
}

/**
 * plain_opts() - Parse the options of a command that takes none but --help.
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 * @use: the command's usage, for the messages.
 * @npos: how many arguments it takes after the options.
 * @json_ok: whether it also takes --json.
 *
 * Return: -1 to go on (the arguments start at argv[optind]), or the exit
 * status to return.
 */
int plain_opts(int argc, char **argv, const char *use, int npos,
	       bool json_ok)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			if (!json_ok)
				return usage("%s: --json is only for status, show, events and watch",
					     use);
			json = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, use);
		}
	}
	if (argc - optind != npos)
		return usage("usage: %s", use);
	return -1;
}
