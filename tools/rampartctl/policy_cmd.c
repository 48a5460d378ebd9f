// SPDX-License-Identifier: GPL-2.0-only
/* The policy commands: policy check, policy load, show and seal. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rampartctl.h"

static const char *const err_names[RP_ERR_NR] = {
#define RP_ERROR(name, err, msg) \
	[RP_ERR_##name] = #name,
#include "policy/error_table.h"
};

static void print_policy_error(const char *name,
			       const struct rp_policy_error *e)
{
	if (e->line)
		fprintf(stderr, "%s:%u: %s", name, e->line,
			rp_policy_strerror(e->code));
	else
		fprintf(stderr, "%s: %s", name, rp_policy_strerror(e->code));
	if (e->other)
		fprintf(stderr, " (see line %u)", e->other);
	fputc('\n', stderr);
}

/*
 * Read and check @file. On success @text holds it and @p the compiled
 * policy. Returns EX_OK, or EX_FAIL after printing the error; with
 * @code_only the error goes to stdout as "LINE CODE_NAME".
 */
static int check_file(const char *file, char **text, size_t *len,
		      struct rampart_policy *p, bool code_only)
{
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	struct rp_policy_error e = { 0 };
	u32 count;
	int err;

	err = read_policy_file(file, text, len);
	if (err)
		return fail("%s: %s", name, strerror(-err));
	err = compile_text(*text, *len, p, &e, &count);
	if (err == -ENOMEM)
		return fail("%s: %s", name, strerror(ENOMEM));
	if (!err)
		return EX_OK;
	if (code_only)
		printf("%u %s\n", e.line,
		       e.code < RP_ERR_NR ? err_names[e.code] : "?");
	else
		print_policy_error(name, &e);
	free(*text);
	*text = NULL;
	return EX_FAIL;
}

static int print_canonical(const struct rampart_policy *p)
{
	size_t len = rp_render(p, NULL, 0);
	char *buf = malloc(len + 1);

	if (!buf)
		return fail("%s", strerror(ENOMEM));
	rp_render(p, buf, len + 1);
	fputs(buf, stdout);
	free(buf);
	return EX_OK;
}

static int cmd_policy_check(int argc, char **argv)
{
	struct rampart_policy *p;
	bool code_only = false;
	size_t len;
	char *text;
	int ret;

	static const struct option lo[] = {
		{ "code", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			code_only = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, "policy check");
		}
	}
	if (optind != argc - 1)
		return usage("usage: policy check [--code] FILE");
	p = malloc(sizeof(*p));
	if (!p)
		return fail("%s", strerror(ENOMEM));
	ret = check_file(argv[optind], &text, &len, p, code_only);
	if (ret == EX_OK) {
		if (code_only)
			printf("0 OK\n");
		else
			ret = print_canonical(p);
		free(text);
	}
	free(p);
	return ret;
}

static int cmd_policy_load(int argc, char **argv)
{
	struct rampart_policy *p;
	unsigned long long gen, rules;
	const char *file;
	size_t len;
	char *text;
	int ret;

	ret = plain_opts(argc, argv, "policy load FILE", 1, false);
	if (ret >= 0)
		return ret;
	file = argv[optind];
	p = malloc(sizeof(*p));
	if (!p)
		return fail("%s", strerror(ENOMEM));
	ret = check_file(file, &text, &len, p, false);
	free(p);
	if (ret) {
		fprintf(stderr, PROG ": not loading %s: it fails the check\n",
			file);
		return ret;
	}
	ret = load_text("policy load", text, len);
	free(text);
	if (ret)
		return ret;
	if (!read_num("policy/generation", &gen) &&
	    !read_num("policy/rules", &rules))
		printf("policy loaded: generation %llu, %llu rules\n", gen,
		       rules);
	else
		printf("policy loaded\n");
	return EX_OK;
}

/**
 * cmd_policy() - "rampartctl policy check|load FILE".
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 *
 * Return: the exit status.
 */
int cmd_policy(int argc, char **argv)
{
	if (argc < 2)
		return usage("usage: policy check|load FILE");
	if (!strcmp(argv[1], "check"))
		return cmd_policy_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "load"))
		return cmd_policy_load(argc - 1, argv + 1);
	return usage("unknown policy command '%s'", argv[1]);
}

/**
 * cmd_show() - "rampartctl show".
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 *
 * Return: the exit status.
 */
int cmd_show(int argc, char **argv)
{
	char path[4096];
	const char *rule;
	size_t len, pos = 0, rlen;
	struct jobj o, lines;
	char *text;
	int err;

	err = plain_opts(argc, argv, "show", 0, true);
	if (err >= 0)
		return err;
	sys_path(path, sizeof(path), "policy/active");
	err = read_active(&text, &len);
	if (err)
		return fail("%s: %s", path, strerror(-err));
	if (!json) {
		fwrite(text, 1, len, stdout);
		free(text);
		return EX_OK;
	}
	jopen(&o);
	jnum_attr(&o, "generation", "policy/generation");
	jnum_attr(&o, "rules", "policy/rules");
	jbool_attr(&o, "sealed", "policy/sealed");
	jkey(&o, "lines");
	jarray(&lines);
	while (next_rule(text, len, &pos, &rule, &rlen))
		jelem_mem(&lines, rule, rlen);
	jarray_end();
	jkey(&o, "text");
	json_mem(text, len);
	jclose();
	free(text);
	return EX_OK;
}

/**
 * cmd_seal() - "rampartctl seal".
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 *
 * Return: the exit status.
 */
int cmd_seal(int argc, char **argv)
{
	char buf[16];
	size_t at;
	int err;

	err = plain_opts(argc, argv, "seal", 0, false);
	if (err >= 0)
		return err;
	err = read_attr("policy/sealed", buf, sizeof(buf));
	if (err)
		return fail("%s/policy/sealed: %s", sysfs_root, strerror(-err));
	if (!strcmp(buf, "1")) {
		printf("already sealed\n");
		return EX_OK;
	}
	fprintf(stderr, PROG ": warning: sealing is one-way until reboot: no load may relax the policy, the hypervisor cannot be unloaded\n");
	err = write_attr("policy/sealed", "1\n", 2, &at);
	if (err)
		return fail("%s/policy/sealed: %s", sysfs_root, strerror(-err));
	printf("sealed\n");
	return EX_OK;
}
