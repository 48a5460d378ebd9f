// SPDX-License-Identifier: GPL-2.0-only
/*
 * watch: write-watches, the policy rules "watch.<target> ro log". add and
 * del load the policy in force (policy/active) with one watch more or
 * less, every watch named as watch/list names it; list prints watch/list
 * and the counters; follow prints the hits from the rampart:rampart_watch
 * tracepoint.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rampartctl.h"

#define TARGET_FORMS	"symbol[+off][:len], 0xADDR[:len], virt.ADDR[:len] or phys.ADDR:len"
#define RULE_HEAD	"watch."
#define RULE_TAIL	" ro log"

/* Read watch/list whole and take it apart. Returns EX_OK or EX_FAIL. */
static int read_list(const char *cmd, char **text, struct watch_ent **ents,
		     size_t *n)
{
	size_t len;
	int err;

	*ents = NULL;
	*n = 0;
	err = read_whole("watch/list", text, &len);
	if (err)
		return fail("%s: %s/watch/list: %s (is rampart.ko loaded, with write-watch?)",
			    cmd, sysfs_root, strerror(-err));
	err = watch_list_parse(*text, len, ents, n);
	if (err) {
		free(*text);
		*text = NULL;
		return fail("%s", strerror(-err));
	}
	return EX_OK;
}

/* The target of a command line, or a usage error. */
static int parse_spec(const char *cmd, const char *spec,
		      struct watch_target *t)
{
	if (watch_target_parse(spec, strlen(spec), t))
		return usage("%s: bad target '%s' (%s)", cmd, spec,
			     TARGET_FORMS);
	return EX_OK;
}

/* The rule on line @line (from 1) of @text, if that line has one. */
static bool rule_at(const char *text, size_t len, u32 line,
		    const char **rule, size_t *rlen)
{
	size_t pos = 0, end, at = 0;
	const char *nl;

	while (--line && pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		pos = nl ? (size_t)(nl - text) + 1 : len;
	}
	if (line || pos >= len)
		return false;
	nl = memchr(text + pos, '\n', len - pos);
	end = nl ? (size_t)(nl - text) : len;
	return next_rule(text + pos, end - pos, &at, rule, rlen);
}

/*
 * Check @text as "policy load" does before loading it: print why it
 * fails, naming the rule of the line the error is on (@rule if it is
 * @rule_line).
 */
static int check_text(const char *cmd, const char *text, size_t len,
		      const char *rule, u32 rule_line)
{
	struct rp_policy_error e = { 0 };
	struct rampart_policy *p = malloc(sizeof(*p));
	const char *r;
	size_t rlen;
	u32 count;
	int err;

	if (!p)
		return fail("%s", strerror(ENOMEM));
	err = compile_text(text, len, p, &e, &count);
	free(p);
	if (err == -ENOMEM)
		return fail("%s", strerror(ENOMEM));
	if (!err)
		return EX_OK;
	if (rule && e.line == rule_line)
		fprintf(stderr, PROG ": %s: %s: %s", cmd, rule,
			rp_policy_strerror(e.code));
	else if (rule_at(text, len, e.line, &r, &rlen))
		fprintf(stderr, PROG ": %s: the policy in force fails the check with it, line %u, %.*s: %s",
			cmd, e.line, (int)rlen, r, rp_policy_strerror(e.code));
	else
		fprintf(stderr, PROG ": %s: the policy in force fails the check with it, line %u: %s",
			cmd, e.line, rp_policy_strerror(e.code));
	if (e.other)
		fprintf(stderr, " (see line %u)", e.other);
	fprintf(stderr, "\n" PROG ": %s: nothing loaded\n", cmd);
	return EX_FAIL;
}

/*
 * After a load: the rules added or removed, and the generation, as text
 * or one JSON object.
 */
static void print_done(const char *spec, const char *what,
		       const char *const *rules, const size_t *lens, size_t n)
{
	unsigned long long gen, cnt;
	struct jobj o, arr;
	size_t i;

	if (json) {
		jopen(&o);
		jstr(&o, "target", spec);
		jkey(&o, what);
		jarray(&arr);
		for (i = 0; i < n; i++)
			jelem_mem(&arr, rules[i], lens[i]);
		jarray_end();
		jbool(&o, "loaded", true);
		jnum_attr(&o, "generation", "policy/generation");
		jnum_attr(&o, "rules", "policy/rules");
		jclose();
		return;
	}
	for (i = 0; i < n; i++)
		printf("%s: %.*s\n", what, (int)lens[i], rules[i]);
	if (!read_num("policy/generation", &gen) &&
	    !read_num("policy/rules", &cnt))
		printf("policy loaded: generation %llu, %llu rules\n", gen, cnt);
	else
		printf("policy loaded\n");
}

/* Is the rule a watch, "watch.<...> ..."? */
static bool is_watch_rule(const char *rule, size_t len)
{
	return len > strlen(RULE_HEAD) &&
	       !memcmp(rule, RULE_HEAD, strlen(RULE_HEAD));
}

/* The line of watch/list that cannot stand for its watch, or NULL. */
static const struct watch_ent *unreadable(const struct watch_ent *ents,
					  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!ents[i].target_ok || !ents[i].pieces_ok ||
		    !ents[i].npieces)
			return &ents[i];
	return NULL;
}

/* Has a watch of watch/list the piece [@pa, @pa + @len)? */
static bool list_has_piece(const struct watch_ent *ents, size_t n, u64 pa,
			   u64 len)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < ents[i].npieces; k++)
			if (ents[i].pieces[k].pa == pa &&
			    ents[i].pieces[k].len == len)
				return true;
	return false;
}

/* Has policy/active the rule watch.phys.PA:LEN of a piece? */
static bool active_has_piece(const char *active, size_t alen,
			     const struct watch_piece *pc)
{
	struct watch_target t;
	const char *rule;
	size_t pos = 0, rlen;

	while (next_rule(active, alen, &pos, &rule, &rlen))
		if (watch_rule_target(rule, rlen, &t) &&
		    t.how == RP_WATCH_PHYS && t.addr == pc->pa &&
		    t.len == pc->len)
			return true;
	return false;
}

/*
 * Has policy/active a rule for the watch @w of watch/list: one for each
 * of its pieces (watch.phys.PA:LEN, as the kernel renders them), or its
 * own as written?
 */
static bool active_has_watch(const char *active, size_t alen,
			     const struct watch_ent *w)
{
	struct watch_target t;
	const char *rule;
	size_t pos = 0, rlen;
	u32 k;

	for (k = 0; k < w->npieces; k++)
		if (!active_has_piece(active, alen, &w->pieces[k]))
			break;
	if (k == w->npieces)
		return true;
	while (next_rule(active, alen, &pos, &rule, &rlen))
		if (watch_rule_target(rule, rlen, &t) &&
		    watch_target_same(&t, &w->t))
			return true;
	return false;
}

/*
 * Before add or del replaces the watch rules of policy/active by the
 * watches of watch/list: the two must tell of the same watches. Each
 * watch rule of policy/active must be a piece of a watch of the list, or
 * name one as written; each watch of the list must have its rules. A
 * line of the list that cannot be read, or a disagreement (another load
 * in between?), fails: loading would drop a watch. Returns EX_OK or
 * EX_FAIL.
 */
static int check_same_watches(const char *cmd, const char *active,
			      size_t alen, const struct watch_ent *ents,
			      size_t n)
{
	const struct watch_ent *bad = unreadable(ents, n);
	struct watch_target t;
	const char *rule;
	size_t pos = 0, rlen, i;

	if (bad)
		return fail("%s: cannot read this line of %s/watch/list: %.*s; nothing loaded",
			    cmd, sysfs_root, (int)bad->text_len, bad->text);
	while (next_rule(active, alen, &pos, &rule, &rlen)) {
		if (!is_watch_rule(rule, rlen))
			continue;
		if (watch_rule_target(rule, rlen, &t)) {
			if (t.how == RP_WATCH_PHYS &&
			    list_has_piece(ents, n, t.addr, t.len))
				continue;
			for (i = 0; i < n; i++)
				if (watch_target_same(&t, &ents[i].t))
					break;
			if (i < n)
				continue;
		}
		return fail("%s: %s/policy/active has %.*s, but no watch of watch/list has it (did another load change the policy?); nothing loaded",
			    cmd, sysfs_root, (int)rlen, rule);
	}
	for (i = 0; i < n; i++)
		if (!active_has_watch(active, alen, &ents[i]))
			return fail("%s: %s/watch/list has %.*s, but policy/active has no rule for it (did another load change the policy?); nothing loaded",
				    cmd, sysfs_root, (int)ents[i].target_len,
				    ents[i].target);
	return EX_OK;
}

/*
 * The text add and del load: the lines of policy/active but its watch
 * rules (the kernel renders each watch as its physical pieces, which
 * would lose its name), then "watch.<target> ro log" for each watch of
 * watch/list that @skip does not mark, in the list's order and named as
 * the list names it, then @extra (add's rule) unless NULL. The kernel
 * resolves every watch of it again, by name. *@extra_line: the line of
 * @extra. Returns 0 or -ENOMEM.
 */
static int compose(const char *active, size_t alen,
		   const struct watch_ent *ents, size_t n, const bool *skip,
		   const char *extra, char **text, size_t *tlen,
		   u32 *extra_line)
{
	size_t size = alen + 2, pos = 0, len = 0, i;
	u32 lines = 0;
	char *t;

	for (i = 0; i < n; i++)
		size += strlen(RULE_HEAD) + ents[i].target_len +
			strlen(RULE_TAIL) + 1;
	size += extra ? strlen(extra) + 1 : 0;
	t = malloc(size);
	if (!t)
		return -ENOMEM;
	while (pos < alen) {
		const char *nl = memchr(active + pos, '\n', alen - pos), *rule;
		size_t end = nl ? (size_t)(nl - active) : alen, at = 0, rlen;

		if (!next_rule(active + pos, end - pos, &at, &rule, &rlen) ||
		    !is_watch_rule(rule, rlen)) {
			memcpy(t + len, active + pos, end - pos);
			len += end - pos;
			t[len++] = '\n';
			lines++;
		}
		pos = nl ? end + 1 : alen;
	}
	for (i = 0; i < n; i++) {
		if (skip && skip[i])
			continue;
		len += sprintf(t + len, RULE_HEAD "%.*s" RULE_TAIL "\n",
			       (int)ents[i].target_len, ents[i].target);
		lines++;
	}
	if (extra) {
		len += sprintf(t + len, "%s\n", extra);
		*extra_line = lines + 1;
	}
	*text = t;
	*tlen = len;
	return 0;
}

static int cmd_watch_add(int argc, char **argv)
{
	char rule[RAMPART_POLICY_LINE_MAX + 64], *list = NULL, *active = NULL;
	char *text = NULL;
	struct watch_ent *ents = NULL;
	size_t n, i, alen, rlen, tlen = 0;
	struct watch_target t;
	const char *spec, *r;
	u32 line = 0;
	int ret, err;

	ret = plain_opts(argc, argv, "watch add TARGET", 1, true);
	if (ret >= 0)
		return ret;
	spec = argv[optind];
	ret = parse_spec("watch add", spec, &t);
	if (ret)
		return ret;
	if (watch_rule(spec, &t, rule, sizeof(rule)))
		return usage("watch add: target '%s' too long", spec);
	ret = read_list("watch add", &list, &ents, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (!ents[i].target_ok || !watch_target_same(&t, &ents[i].t))
			continue;
		/* Already in force: nothing to load. */
		if (json) {
			struct jobj o;

			jopen(&o);
			jstr(&o, "target", spec);
			jkey(&o, "already");
			json_mem(ents[i].text, ents[i].text_len);
			jbool(&o, "loaded", false);
			jclose();
		} else {
			printf("already watched: %.*s\n", (int)ents[i].text_len,
			       ents[i].text);
		}
		goto out;
	}
	err = read_active(&active, &alen);
	if (err) {
		ret = fail("watch add: %s/policy/active: %s", sysfs_root,
			   strerror(-err));
		goto out;
	}
	ret = check_same_watches("watch add", active, alen, ents, n);
	if (ret)
		goto out;
	if (compose(active, alen, ents, n, NULL, rule, &text, &tlen, &line)) {
		ret = fail("%s", strerror(ENOMEM));
		goto out;
	}
	ret = check_text("watch add", text, tlen, rule, line);
	if (!ret)
		ret = load_text("watch add", text, tlen);
	if (!ret) {
		r = rule;
		rlen = strlen(rule);
		print_done(spec, "added", &r, &rlen, 1);
	}
out:
	free(text);
	free(active);
	watch_list_free(ents, n);
	free(list);
	return ret;
}

static bool same_piece(const struct watch_piece *a,
		       const struct watch_piece *b)
{
	return a->pa == b->pa && a->len == b->len;
}

/* The first watch of watch/list with the piece @pc, of @match or not. */
static const struct watch_ent *with_piece(const struct watch_ent *ents,
					  size_t n, const bool *match,
					  bool matched,
					  const struct watch_piece *pc)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; match[i] == matched && k < ents[i].npieces; k++)
			if (same_piece(&ents[i].pieces[k], pc))
				return &ents[i];
	return NULL;
}

/*
 * A piece of the watches del removes (@match) that another watch has
 * too stays watched: say so, once a piece.
 */
static void warn_shared(const struct watch_ent *ents, size_t n,
			const bool *match)
{
	const struct watch_ent *other;
	size_t i, k, j;

	for (i = 0; i < n; i++) {
		for (k = 0; match[i] && k < ents[i].npieces; k++) {
			const struct watch_piece *pc = &ents[i].pieces[k];

			other = with_piece(ents, n, match, false, pc);
			for (j = 0; other && j < k; j++)
				if (same_piece(&ents[i].pieces[j], pc))
					other = NULL;
			if (!other ||
			    with_piece(ents, n, match, true, pc) != &ents[i])
				continue;
			fprintf(stderr, PROG ": watch del: warning: phys.%#llx:%#llx stays watched: %.*s watches it too\n",
				(unsigned long long)pc->pa,
				(unsigned long long)pc->len,
				(int)other->target_len, other->target);
		}
	}
}

/* Not in watch/list: say so, with the watches of the same symbol or address. */
static int not_watched(const char *spec, const struct watch_target *t,
		       const struct watch_ent *ents, size_t n)
{
	size_t i, near = 0;

	fprintf(stderr, PROG ": watch del: %s is not watched", spec);
	for (i = 0; i < n; i++) {
		const struct watch_target *o = &ents[i].t;

		if (!ents[i].target_ok || o->how != t->how ||
		    (t->how == RP_WATCH_SYM ? strcmp(o->name, t->name) :
		     o->addr != t->addr))
			continue;
		fprintf(stderr, "%s%.*s", near++ ? ", " : " (watch/list has ",
			(int)ents[i].target_len, ents[i].target);
	}
	fprintf(stderr, "%s; nothing loaded\n", near ? ")" : "");
	return EX_FAIL;
}

static int cmd_watch_del(int argc, char **argv)
{
	char *list = NULL, *active = NULL, *text = NULL, **rules = NULL;
	struct watch_ent *ents = NULL;
	size_t n = 0, i, alen, nmatch = 0, tlen = 0, *lens = NULL;
	struct watch_target t;
	bool *match = NULL;
	const char *spec;
	int ret, err;

	ret = plain_opts(argc, argv, "watch del TARGET", 1, true);
	if (ret >= 0)
		return ret;
	spec = argv[optind];
	ret = parse_spec("watch del", spec, &t);
	if (ret)
		return ret;
	ret = read_list("watch del", &list, &ents, &n);
	if (ret)
		return ret;
	match = calloc(n + 1, sizeof(*match));
	rules = calloc(n + 1, sizeof(*rules));
	lens = calloc(n + 1, sizeof(*lens));
	if (!match || !rules || !lens) {
		ret = fail("%s", strerror(ENOMEM));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!ents[i].target_ok || !watch_target_same(&t, &ents[i].t))
			continue;
		match[i] = true;
		if (asprintf(&rules[nmatch], RULE_HEAD "%.*s" RULE_TAIL,
			     (int)ents[i].target_len, ents[i].target) < 0) {
			rules[nmatch] = NULL;
			ret = fail("%s", strerror(ENOMEM));
			goto out;
		}
		lens[nmatch] = strlen(rules[nmatch]);
		nmatch++;
	}
	if (!nmatch) {
		ret = not_watched(spec, &t, ents, n);
		goto out;
	}
	err = read_active(&active, &alen);
	if (err) {
		ret = fail("watch del: %s/policy/active: %s", sysfs_root,
			   strerror(-err));
		goto out;
	}
	ret = check_same_watches("watch del", active, alen, ents, n);
	if (ret)
		goto out;
	if (compose(active, alen, ents, n, match, NULL, &text, &tlen, NULL)) {
		ret = fail("%s", strerror(ENOMEM));
		goto out;
	}
	ret = check_text("watch del", text, tlen, NULL, 0);
	if (ret)
		goto out;
	warn_shared(ents, n, match);
	ret = load_text("watch del", text, tlen);
	if (!ret)
		print_done(spec, "removed", (const char *const *)rules, lens,
			   nmatch);
out:
	for (i = 0; rules && i < nmatch; i++)
		free(rules[i]);
	free(lens);
	free(rules);
	free(text);
	free(active);
	free(match);
	watch_list_free(ents, n);
	free(list);
	return ret;
}

static void jnum_or_null(struct jobj *o, const char *key, bool have, u64 v,
			 bool hex)
{
	if (!have)
		jstr(o, key, NULL);
	else if (hex)
		jhex(o, key, v);
	else
		ju64(o, key, v);
}

static int cmd_watch_list(int argc, char **argv)
{
	char *list = NULL, a[32], b[32], c[32];
	struct watch_ent *ents = NULL;
	struct jobj o, arr, w, pa, pc;
	size_t n = 0, i, k;
	int ret;

	ret = plain_opts(argc, argv, "watch list", 0, true);
	if (ret >= 0)
		return ret;
	ret = read_list("watch list", &list, &ents, &n);
	if (ret)
		return ret;
	if (!json) {
		for (i = 0; i < n; i++)
			printf("%.*s\n", (int)ents[i].text_len, ents[i].text);
		printf("hits %s, neighbours %s, dropped %s\n",
		       num_or_q("watch/hits", a, sizeof(a)),
		       num_or_q("watch/neighbours", b, sizeof(b)),
		       num_or_q("watch/dropped", c, sizeof(c)));
		goto out;
	}
	jopen(&o);
	jkey(&o, "watches");
	jarray(&arr);
	for (i = 0; i < n; i++) {
		const struct watch_ent *e = &ents[i];

		jelem(&arr);
		jopen(&w);
		jkey(&w, "target");
		json_mem(e->target, e->target_len);
		jnum_or_null(&w, "line", e->have_line, e->line, false);
		jnum_or_null(&w, "va", e->have_va, e->va, true);
		jnum_or_null(&w, "len", e->have_len, e->len, false);
		jkey(&w, "pieces");
		if (e->pieces_ok) {
			jarray(&pa);
			for (k = 0; k < e->npieces; k++) {
				jelem(&pa);
				jopen(&pc);
				jhex(&pc, "pa", e->pieces[k].pa);
				ju64(&pc, "len", e->pieces[k].len);
				jclose_inner();
			}
			jarray_end();
		} else {
			fputs("null", stdout);
		}
		jkey(&w, "text");
		json_mem(e->text, e->text_len);
		jclose_inner();
	}
	jarray_end();
	jnum_attr(&o, "hits", "watch/hits");
	jnum_attr(&o, "neighbours", "watch/neighbours");
	jnum_attr(&o, "dropped", "watch/dropped");
	jclose();
out:
	watch_list_free(ents, n);
	free(list);
	return EX_OK;
}

/* watch follow's count of hits to print; 0: no limit. */
struct hit_ctx {
	unsigned long long count, seen;
};

/* One hit: "cpu1 jiffies_64+0x0 8 bytes 0x.. -> 0x.. by RIP <- ...". */
static void print_hit(const struct watch_hit *h)
{
	char addr[256], text[2048];
	const char *s = h->stack, *arrow;
	struct jobj o, arr;
	size_t len;

	watch_addr_short(h->addr, addr, sizeof(addr));
	len = snprintf(text, sizeof(text), "cpu%u %s %u byte%s %s -> %s by %s",
		       h->cpu, addr, h->len, h->len == 1 ? "" : "s", h->old,
		       h->new, h->rip);
	if (strcmp(s, "-")) {
		for (;;) {
			arrow = strstr(s, "<-");
			if (len < sizeof(text))
				len += snprintf(text + len, sizeof(text) - len,
						" <- %.*s",
						(int)(arrow ? arrow - s :
						      (long)strlen(s)), s);
			if (!arrow)
				break;
			s = arrow + 2;
		}
	}
	if (!json) {
		printf("%s\n", text);
		return;
	}
	jopen(&o);
	jstr(&o, "type", "hit");
	ju64(&o, "seq", h->seq);
	ju64(&o, "cpu", h->cpu);
	jstr(&o, "addr", h->addr);
	jhex(&o, "va", h->va);
	jhex(&o, "pa", h->pa);
	ju64(&o, "width", h->width);
	ju64(&o, "len", h->len);
	jstr(&o, "old", h->old);
	jstr(&o, "new", h->new);
	jstr(&o, "rip", h->rip);
	jkey(&o, "stack");
	jarray(&arr);
	for (s = strcmp(h->stack, "-") ? h->stack : NULL; s; s = arrow + 2) {
		arrow = strstr(s, "<-");
		jelem_mem(&arr, s, arrow ? (size_t)(arrow - s) : strlen(s));
		if (!arrow)
			break;
	}
	jarray_end();
	ju64(&o, "line", h->line);
	jstr(&o, "text", text);
	jclose();
}

static int hit_cb(char *line, void *ctx)
{
	struct hit_ctx *c = ctx;
	struct watch_hit h;
	unsigned long long lost;
	struct jobj o;
	int used = -1;

	/* tracefs' own line when its buffer overflowed. */
	if (sscanf(line, "CPU:%*u [LOST %llu EVENTS]%n", &lost, &used) == 1 &&
	    used > 0 && !line[used]) {
		if (!json) {
			printf("%llu hits lost (trace buffer full)\n", lost);
			return EX_OK;
		}
		jopen(&o);
		jstr(&o, "type", "lost");
		ju64(&o, "count", lost);
		jclose();
		return EX_OK;
	}
	if (!watch_hit_parse(line, &h))
		return EX_OK;
	print_hit(&h);
	if (c->count && ++c->seen >= c->count)
		return TRACE_DONE;
	return EX_OK;
}

static int cmd_watch_follow(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tracer tr = {
		.cmd = "watch follow", .event = "rampart/rampart_watch",
		.pipe = -1,
	};
	struct hit_ctx hc = { 0 };
	sigset_t waitmask;
	char *end;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			errno = 0;
			hc.count = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    !hc.count)
				return usage("watch follow: bad count '%s'",
					     optarg);
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return EX_OK;
		default:
			return opt_error(c, argv, "watch follow");
		}
	}
	if (optind != argc)
		return usage("watch follow: unknown argument '%s'",
			     argv[optind]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tracer_signals(&waitmask);
	ret = tracer_start(&tr);
	if (ret)
		return ret;
	ret = tracer_loop(&tr, &waitmask, hit_cb, &hc);
	tracer_stop(&tr);
	return ret;
}

/**
 * cmd_watch() - "rampartctl watch add|del|list|follow".
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 *
 * Return: the exit status.
 */
int cmd_watch(int argc, char **argv)
{
	if (argc < 2)
		return usage("usage: watch add|del TARGET, watch list, watch follow [--count N]");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(help_text, stdout);
		return EX_OK;
	}
	if (!strcmp(argv[1], "add"))
		return cmd_watch_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "del"))
		return cmd_watch_del(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_watch_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "follow"))
		return cmd_watch_follow(argc - 1, argv + 1);
	return usage("unknown watch command '%s'", argv[1]);
}
