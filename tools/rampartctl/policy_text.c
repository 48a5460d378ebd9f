// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy text: read from a file, compiled as the kernel and root compile
 * it, taken apart into rules; and what a refused commit means.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rampartctl.h"
#include "uapi/watch.h"

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

/*
 * The kernel resolves a symbol or virt watch to the physical pieces it
 * lies in on this machine. Without a kernel, one stand-in piece per
 * watch, each in pages of its own above any RAM (so none overlaps another
 * or a phys rule), its length the one given or 8 (a symbol's size is the
 * kernel's to know); a phys watch is itself. What user space can check
 * is checked as core/watch.c would: a symbol or virt watch over 256
 * pages, or one that wraps, is out of range, a user-space address is not
 * mapped, a phys watch that wraps is out of range (one over 256 pages is
 * compile.c's to refuse, as too many).
 */
#define STAND_IN_WATCH	0xff0000000000ULL
#define WATCH_LEN_MAX	((u64)RAMPART_WATCH_MAX_PAGES * 4096)
#define USER_END	0x800000000000ULL	/* no kernel address below */

static int stand_in_watch(void *ctx, const struct rp_watch_ref *w,
			  struct rampart_rule *out, u32 room, u32 *n,
			  struct rp_policy_error *e)
{
	u64 *next = ctx, len = w->has_len ? w->len : 8, start = w->addr;

	*n = 0;
	if (!len || (w->how != RP_WATCH_PHYS && len > WATCH_LEN_MAX) ||
	    (w->how != RP_WATCH_SYM && w->addr + len < w->addr))
		return rp_policy_fail(e, RP_ERR_WATCH_RANGE, w->line, 0);
	if (w->how == RP_WATCH_VIRT && w->addr < USER_END)
		return rp_policy_fail(e, RP_ERR_WATCH_ADDR, w->line, 0);
	if (!room)
		return rp_policy_fail(e, RP_ERR_TOO_MANY, w->line, 0);
	if (w->how != RP_WATCH_PHYS) {
		start = *next;
		*next += (len + 4095) & ~4095ULL;
	}
	memset(out, 0, sizeof(*out));
	out->kind = RAMPART_ASSET_WATCH;
	out->prot = RAMPART_PROT_RO;
	out->action = RAMPART_ACT_LOG;
	out->line = w->line;
	out->id = start;
	out->mask = len;
	*n = 1;
	return 0;
}

/**
 * compile_text() - Parse and compile policy text as the kernel and root do.
 * @text: the policy text.
 * @len: its length.
 * @p: where the compiled policy goes.
 * @e: where the error goes.
 * @nrules: where the number of rules goes.
 *
 * rp_parse_resolve() into binary rules (watches and named ranges get
 * stand-ins for what the kernel resolves), the header check, then
 * rp_policy_add() one rule at a time into an empty policy.
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
	u64 next_watch = STAND_IN_WATCH;
	struct rampart_rule *rules;
	u32 count, i;
	int err;

	rules = calloc(RAMPART_POLICY_MAX_RULES, sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	err = rp_parse_resolve(text, len, rules, RAMPART_POLICY_MAX_RULES,
			       &count, e, stand_in_watch, &next_watch);
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

/**
 * load_text() - Load checked policy text: what "policy load" does after the check.
 * @cmd: the command, for the messages ("policy load").
 * @text: the text.
 * @len: its length.
 *
 * Writes @text to policy/staging and its length to policy/commit; the
 * kernel parses it again and root loads it atomically on every CPU, or
 * refuses it as a whole. A refusal is printed with its errno, what it
 * most likely means and where the kernel log has the rest.
 *
 * Return: EX_OK, or EX_FAIL after the message.
 */
int load_text(const char *cmd, const char *text, size_t len)
{
	char num[32];
	size_t at;
	int err;

	err = write_attr("policy/staging", text, len, &at);
	if (err)
		return fail("%s/policy/staging: write at offset %zu: %s",
			    sysfs_root, at, strerror(-err));
	snprintf(num, sizeof(num), "%zu\n", len);
	err = write_attr("policy/commit", num, strlen(num), &at);
	if (err)
		return fail("%s: %s: %s; the kernel log (dmesg) has the line and reason",
			    cmd, strerror(-err), commit_hint(-err));
	return EX_OK;
}
