// SPDX-License-Identifier: GPL-2.0-only
/*
 * watch: write-watches, the policy rules "watch.<target> ro log". add and
 * del edit the policy in force (policy/active) by one watch and load the
 * result as "policy load" would; list prints watch/list and the counters;
 * follow prints the hits from the rampart:rampart_watch tracepoint.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rampartctl.h"

#define TARGET_FORMS	"symbol[+off][:len], 0xADDR[:len], virt.ADDR[:len] or phys.ADDR:len"

/* A policy line's bounds in policy/active, and what to do with it. */
struct text_line {
	size_t start, end;	/* end: past the newline */
	const char *rule;	/* the rule, or NULL */
	size_t rlen;
	bool watch;		/* the rule is a watch ... */
	struct watch_target t;	/* ... of this target */
	bool drop;
};

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

/*
 * Check @text as "policy load" does before loading it: print why it
 * fails, naming @rule where the error is on its line @rule_line.
 */
static int check_text(const char *cmd, const char *text, size_t len,
		      const char *rule, u32 rule_line)
{
	struct rp_policy_error e = { 0 };
	struct rampart_policy *p = malloc(sizeof(*p));
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

static int cmd_watch_add(int argc, char **argv)
{
	char rule[RAMPART_POLICY_LINE_MAX + 64], *list = NULL, *active = NULL;
	char *text = NULL;
	struct watch_ent *ents = NULL;
	size_t n, i, alen, rlen, tlen = 0;
	struct watch_target t;
	const char *spec, *r;
	u32 line = 1;
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
	rlen = strlen(rule);
	text = malloc(alen + rlen + 2);
	if (!text) {
		ret = fail("%s", strerror(ENOMEM));
		goto out;
	}
	memcpy(text, active, alen);
	tlen = alen;
	if (tlen && text[tlen - 1] != '\n')
		text[tlen++] = '\n';
	for (i = 0; i < tlen; i++)
		line += text[i] == '\n';
	memcpy(text + tlen, rule, rlen);
	tlen += rlen;
	text[tlen++] = '\n';
	ret = check_text("watch add", text, tlen, rule, line);
	if (!ret)
		ret = load_text("watch add", text, tlen);
	if (!ret) {
		r = rule;
		print_done(spec, "added", &r, &rlen, 1);
	}
out:
	free(text);
	free(active);
	watch_list_free(ents, n);
	free(list);
	return ret;
}

/*
 * How often the watches to remove (*@mine) and the others (*@theirs)
 * have a piece; *@other is one of the others.
 */
static void piece_owners(const struct watch_ent *ents, size_t n,
			 const bool *match, u64 pa, u64 len, size_t *mine,
			 size_t *theirs, size_t *other)
{
	size_t i, k;

	*mine = *theirs = 0;
	for (i = 0; i < n; i++) {
		for (k = 0; k < ents[i].npieces; k++) {
			if (ents[i].pieces[k].pa != pa ||
			    ents[i].pieces[k].len != len)
				continue;
			if (match[i])
				(*mine)++;
			else if (!(*theirs)++)
				*other = i;
		}
	}
}

static bool same_piece(const struct text_line *a, const struct text_line *b)
{
	return a->watch && b->watch && a->t.how == RP_WATCH_PHYS &&
	       b->t.how == RP_WATCH_PHYS && a->t.addr == b->t.addr &&
	       a->t.len == b->t.len;
}

/*
 * Mark the rules of policy/active that go with the watches to remove:
 * the watch.phys rules of their pieces (policy/active renders each piece
 * so), and their own rules, should the text have them as written. A
 * piece's rule appears as often as the watches in force have it, or once
 * (the kernel may merge them): as many go as the watches to remove have,
 * but as many as the others have stay, with a warning. Returns how many
 * pieces stayed for others.
 */
static size_t mark_drops(struct text_line *lines, size_t nlines,
			 const struct watch_target *t,
			 const struct watch_ent *ents, size_t n,
			 const bool *match)
{
	size_t i = nlines, j, kept = 0;

	while (i--) {
		struct text_line *l = &lines[i];
		size_t mine, theirs, other = 0, k = 0, gone = 0, go;
		bool first = true;

		if (!l->watch)
			continue;
		if (l->t.how != RP_WATCH_PHYS) {
			l->drop = watch_target_same(t, &l->t);
			continue;
		}
		piece_owners(ents, n, match, l->t.addr, l->t.len, &mine,
			     &theirs, &other);
		if (!mine) {
			l->drop = watch_target_same(t, &l->t);
			continue;
		}
		for (j = 0; j < nlines; j++) {
			if (!same_piece(l, &lines[j]))
				continue;
			k++;
			gone += j > i && lines[j].drop;
			first &= j >= i;
		}
		/* The last copies go: as many as are mine, leaving theirs. */
		go = k > theirs ? k - theirs : 0;
		if (go > mine)
			go = mine;
		l->drop = gone < go;
		if (first && go < mine) {
			kept++;
			fprintf(stderr, PROG ": watch del: warning: %.*s stays: %.*s watches it too\n",
				(int)l->rlen, l->rule,
				(int)ents[other].target_len, ents[other].target);
		}
	}
	return kept;
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

/* The lines of @text, each with its rule. NULL on ENOMEM. */
static struct text_line *split_lines(const char *text, size_t len,
				     size_t *n)
{
	struct text_line *v;
	size_t cnt = 1, pos = 0, i;

	for (i = 0; i < len; i++)
		cnt += text[i] == '\n';
	v = calloc(cnt, sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; pos < len; i++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) + 1 : len, at = 0;

		v[i].start = pos;
		v[i].end = end;
		if (next_rule(text + pos, end - pos, &at, &v[i].rule,
			      &v[i].rlen))
			v[i].watch = watch_rule_target(v[i].rule, v[i].rlen,
						       &v[i].t);
		else
			v[i].rule = NULL;
		pos = end;
	}
	*n = i;
	return v;
}

static int cmd_watch_del(int argc, char **argv)
{
	char *list = NULL, *active = NULL, *text = NULL;
	const char **rules = NULL;
	struct watch_ent *ents = NULL;
	struct text_line *lines = NULL;
	size_t n = 0, i, alen, nlines = 0, nmatch = 0, ndrop = 0, tlen = 0;
	size_t kept = 0;
	size_t *lens = NULL;
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
	if (!match) {
		ret = fail("%s", strerror(ENOMEM));
		goto out;
	}
	for (i = 0; i < n; i++) {
		match[i] = ents[i].target_ok && watch_target_same(&t, &ents[i].t);
		nmatch += match[i];
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
	lines = split_lines(active, alen, &nlines);
	text = malloc(alen + 1);
	rules = calloc(nlines + 1, sizeof(*rules));
	lens = calloc(nlines + 1, sizeof(*lens));
	if (!lines || !text || !rules || !lens) {
		ret = fail("%s", strerror(ENOMEM));
		goto out;
	}
	kept = mark_drops(lines, nlines, &t, ents, n, match);
	for (i = 0; i < nlines; i++) {
		if (!lines[i].drop)
			continue;
		rules[ndrop] = lines[i].rule;
		lens[ndrop++] = lines[i].rlen;
	}
	/*
	 * Only shared pieces: the load still drops the watch from watch/list
	 * (the text in force has no rule of its name), the bytes stay
	 * watched for the others.
	 */
	if (!ndrop && !kept) {
		ret = fail("watch del: %s is in watch/list, but no rule of policy/active is its own; nothing loaded",
			   spec);
		goto out;
	}
	for (i = 0; i < nlines; i++) {
		if (lines[i].drop)
			continue;
		memcpy(text + tlen, active + lines[i].start,
		       lines[i].end - lines[i].start);
		tlen += lines[i].end - lines[i].start;
	}
	ret = check_text("watch del", text, tlen, NULL, 0);
	if (!ret)
		ret = load_text("watch del", text, tlen);
	if (!ret)
		print_done(spec, "removed", rules, lens, ndrop);
out:
	free(lens);
	free(rules);
	free(text);
	free(lines);
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
