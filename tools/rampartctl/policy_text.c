// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy text: read from a file, compiled as the kernel and root compile
 * it, taken apart into rules; and what a refused commit means.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rampartctl.h"

/**
 * read_policy_file() - Read a policy file, or standard input for "-".
 * @file: its name.
 * @text: where the malloc()ed text goes.
 * @len: where its length goes.
 *
 * Return: 0 or -errno.
 */
int read_policy_file(const char *file, char **text, size_t *len)
{
	int fd, err;

	if (!strcmp(file, "-"))
		return slurp(STDIN_FILENO, text, len);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = slurp(fd, text, len);
	close(fd);
	return err;
}

/*
 * The kernel resolves named ranges to this machine's physical extents
 * before root sees them. Without a kernel, stand-ins with the same
 * containment: ro_after_init is rodata's extent, the vDSO image lies
 * inside rodata, the IDT is a page of its own, kernel text lies apart;
 * modules has no extent anywhere (root learns module pages as they load).
 */
static void stand_in_ranges(struct rampart_rule *rules, u32 count)
{
	static const struct {
		u64 start, size;
	} ext[RAMPART_RANGE_NR] = {
		[RAMPART_RANGE_KERNEL_TEXT] = { 0x1000000, 0x1000000 },
		[RAMPART_RANGE_RODATA] = { 0x40000000, 0x1000000 },
		[RAMPART_RANGE_RO_AFTER_INIT] = { 0x40000000, 0x1000000 },
		[RAMPART_RANGE_VDSO] = { 0x40001000, 0x2000 },
		[RAMPART_RANGE_IDT] = { 0x80000000, 0x1000 },
	};
	u32 i;

	for (i = 0; i < count; i++) {
		struct rampart_rule *r = &rules[i];

		if (r->kind != RAMPART_ASSET_RANGE || r->range >= RAMPART_RANGE_NR)
			continue;
		r->id = ext[r->range].start;
		r->mask = ext[r->range].size;
	}
}

/**
 * compile_text() - Parse and compile policy text as the kernel and root do.
 * @text: the policy text.
 * @len: its length.
 * @p: where the compiled policy goes.
 * @e: where the error goes.
 * @nrules: where the number of rules goes.
 *
 * rp_parse() into binary rules, the header check, then rp_policy_add()
 * one rule at a time into an empty policy.
 *
 * Return: 0 or a negative errno, with @e set.
 */
int compile_text(const char *text, size_t len,
		 struct rampart_policy *p, struct rp_policy_error *e,
		 u32 *nrules)
{
	struct rampart_policy_hdr hdr = {
		.magic = RAMPART_POLICY_MAGIC,
		.version = RAMPART_POLICY_VERSION,
	};
	struct rampart_rule *rules;
	u32 count, i;
	int err;

	rules = calloc(RAMPART_POLICY_MAX_RULES, sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	err = rp_parse(text, len, rules, RAMPART_POLICY_MAX_RULES, &count, e);
	if (!err) {
		stand_in_ranges(rules, count);
		hdr.count = count;
		err = rp_policy_check_hdr(&hdr, e);
	}
	if (!err) {
		rp_policy_init(p);
		for (i = 0; i < count && !err; i++)
			err = rp_policy_add(p, &rules[i], e);
		*nrules = count;
	}
	free(rules);
	return err;
}

/**
 * commit_hint() - What a failed commit most likely means.
 * @err: the errno the commit failed with.
 *
 * Return: the words to print after the errno text.
 */
const char *commit_hint(int err)
{
	switch (err) {
	case EPERM:
		return "the policy is sealed and this would relax it";
	case EBUSY:
		return "another policy load is in progress";
	case EBADMSG:
		return "the staged text is not what was written (another writer?)";
	case EOPNOTSUPP:
		return "the policy uses something this kernel does not enforce";
	default:
		return "the policy was rejected";
	}
}

/**
 * next_rule() - The next rule of policy text.
 * @t: the text.
 * @len: its length.
 * @pos: where to start; moved past the rule.
 * @rule: where the rule goes, without its comment and the blanks around it.
 * @rlen: where its length goes.
 *
 * Return: false at the end of @t.
 */
bool next_rule(const char *t, size_t len, size_t *pos,
	       const char **rule, size_t *rlen)
{
	while (*pos < len) {
		const char *nl = memchr(t + *pos, '\n', len - *pos);
		size_t s = *pos, end = nl ? (size_t)(nl - t) : len, e;
		const char *hash = memchr(t + s, '#', end - s);

		*pos = nl ? end + 1 : len;
		e = hash ? (size_t)(hash - t) : end;
		while (s < e && isspace((unsigned char)t[s]))
			s++;
		while (e > s && isspace((unsigned char)t[e - 1]))
			e--;
		if (e > s) {
			*rule = t + s;
			*rlen = e - s;
			return true;
		}
	}
	return false;
}
