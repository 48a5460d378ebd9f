// SPDX-License-Identifier: GPL-2.0-only
/*
 * Write-watch text, without I/O: a watch target as a user spells it or
 * watch/list writes it, the rule "watch add" writes, the lines of
 * watch/list, and the line the rampart:rampart_watch tracepoint prints.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rampartctl.h"

/* Decimal or 0x hex, all of @s[0..@n), no sign, no overflow: as parse.c. */
static bool parse_num(const char *s, size_t n, u64 *out)
{
	size_t i = 0;
	unsigned int base = 10;
	u64 v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= n)
		return false;
	for (; i < n; i++) {
		unsigned char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && isxdigit(c))
			d = tolower(c) - 'a' + 10;
		else
			return false;
		if (v > (~0ULL - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/**
 * watch_target_parse() - Take a watch target apart.
 * @s: the target: symbol[+off][:len], ADDR[:len], virt.ADDR[:len] or
 *     phys.ADDR:len (what follows "watch." in a rule). A symbol is
 *     as policy/parse.c takes it: letters, digits, '_', '.' and '$', at
 *     most RP_WATCH_NAME_MAX, not starting with a digit (that is an
 *     address).
 * @n: its length.
 * @t: where the parts go. An address without :len gets 8, the length
 *     "watch add" writes for it; a symbol without one keeps none (the
 *     kernel takes the symbol's size).
 *
 * Return: 0, or -EINVAL if @s is none of these.
 */
int watch_target_parse(const char *s, size_t n, struct watch_target *t)
{
	const char *colon = memchr(s, ':', n), *plus;
	size_t head = colon ? (size_t)(colon - s) : n, i;

	memset(t, 0, sizeof(*t));
	if (colon) {
		if (!parse_num(colon + 1, n - head - 1, &t->len))
			return -EINVAL;
		t->has_len = true;
	}
	if (head >= 5 && (!memcmp(s, "virt.", 5) || !memcmp(s, "phys.", 5))) {
		t->how = s[0] == 'v' ? RP_WATCH_VIRT : RP_WATCH_PHYS;
		if (!parse_num(s + 5, head - 5, &t->addr))
			return -EINVAL;
		if (t->how == RP_WATCH_PHYS && !t->has_len)
			return -EINVAL;
	} else if (head && isdigit((unsigned char)s[0])) {
		t->how = RP_WATCH_VIRT;
		if (!parse_num(s, head, &t->addr))
			return -EINVAL;
	} else {
		plus = memchr(s, '+', head);
		t->name_len = plus ? (size_t)(plus - s) : head;
		if (!t->name_len || t->name_len >= sizeof(t->name))
			return -EINVAL;
		for (i = 0; i < t->name_len; i++)
			if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
			    s[i] != '.' && s[i] != '$')
				return -EINVAL;
		if (plus && !parse_num(plus + 1, head - t->name_len - 1,
				       &t->off))
			return -EINVAL;
		memcpy(t->name, s, t->name_len);
		t->name[t->name_len] = '\0';
		t->how = RP_WATCH_SYM;
		return 0;
	}
	if (!t->has_len) {
		t->has_len = true;
		t->len = 8;
	}
	return 0;
}

/**
 * watch_target_same() - Do two targets name the same watch?
 * @a: one.
 * @b: the other.
 *
 * Numbers compare by value (0x8 is 8); a symbol without a length is not
 * the same as one with a length, whatever the symbol's size.
 *
 * Return: true if they do.
 */
bool watch_target_same(const struct watch_target *a,
		       const struct watch_target *b)
{
	if (a->how != b->how || a->has_len != b->has_len ||
	    (a->has_len && a->len != b->len))
		return false;
	if (a->how == RP_WATCH_SYM)
		return a->name_len == b->name_len &&
		       !memcmp(a->name, b->name, a->name_len) &&
		       a->off == b->off;
	return a->addr == b->addr;
}

/**
 * watch_rule() - The rule "watch add" writes for a target.
 * @spec: the target as the user spelled it (parsed into @t).
 * @t: its parts.
 * @buf: where the rule goes, without a newline.
 * @size: the size of @buf.
 *
 * "watch.<spec> ro log" as spelled, but an address is a virt one and
 * gets :8 if it has no length.
 *
 * Return: 0, or -ENAMETOOLONG if it does not fit.
 */
int watch_rule(const char *spec, const struct watch_target *t, char *buf,
	       size_t size)
{
	bool bare = t->how == RP_WATCH_VIRT && strncmp(spec, "virt.", 5);
	bool dflt = t->how != RP_WATCH_SYM && !strchr(spec, ':');
	int n;

	n = snprintf(buf, size, "watch.%s%s%s ro log", bare ? "virt." : "",
		     spec, dflt ? ":8" : "");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/**
 * watch_rule_target() - The target of a watch rule of policy text.
 * @rule: the rule, as next_rule() gives it.
 * @len: its length.
 * @t: where the target's parts go.
 *
 * Return: true if @rule is "watch.<target> ro log".
 */
bool watch_rule_target(const char *rule, size_t len, struct watch_target *t)
{
	const char *end = rule + len, *tok[4], *p = rule;
	size_t tlen[4], n = 0;

	while (p < end && n < 4) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p == end)
			break;
		tok[n] = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		tlen[n] = p - tok[n];
		n++;
	}
	if (n != 3 || tlen[0] <= 6 || memcmp(tok[0], "watch.", 6) ||
	    tlen[1] != 2 || memcmp(tok[1], "ro", 2) ||
	    tlen[2] != 3 || memcmp(tok[2], "log", 3))
		return false;
	return !watch_target_parse(tok[0] + 6, tlen[0] - 6, t);
}

/* The phys= value of a watch/list line: pa:len, comma separated. */
static int parse_pieces(const char *s, size_t n, struct watch_ent *e)
{
	size_t cap = 1, i;

	for (i = 0; i < n; i++)
		cap += s[i] == ',';
	e->pieces = calloc(cap, sizeof(*e->pieces));
	if (!e->pieces)
		return -ENOMEM;
	while (n) {
		const char *comma = memchr(s, ',', n);
		size_t k = comma ? (size_t)(comma - s) : n;
		const char *colon = memchr(s, ':', k);
		struct watch_piece *pc = &e->pieces[e->npieces];

		if (!colon || !parse_num(s, colon - s, &pc->pa) ||
		    !parse_num(colon + 1, k - (colon - s) - 1, &pc->len))
			return -EINVAL;
		e->npieces++;
		if (!comma)
			break;
		s += k + 1;
		n -= k + 1;
	}
	return 0;
}

/* One line of watch/list: <target> line=N va=0x.. len=N phys=PA:LEN,... */
static int parse_list_line(const char *s, size_t n, struct watch_ent *e)
{
	const char *end = s + n, *p = s;
	bool first = true;

	memset(e, 0, sizeof(*e));
	e->text = s;
	e->text_len = n;
	while (p < end) {
		const char *tok, *eq;
		size_t k;

		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p == end)
			break;
		tok = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		k = p - tok;
		if (first) {
			e->target = tok;
			e->target_len = k;
			e->target_ok = !watch_target_parse(tok, k, &e->t);
			first = false;
			continue;
		}
		eq = memchr(tok, '=', k);
		if (!eq)
			continue;
		if (eq - tok == 4 && !memcmp(tok, "line", 4)) {
			u64 v;

			e->have_line = parse_num(eq + 1, p - eq - 1, &v) &&
				       v <= 0xffffffffu;
			e->line = v;
		} else if (eq - tok == 2 && !memcmp(tok, "va", 2)) {
			e->have_va = parse_num(eq + 1, p - eq - 1, &e->va);
		} else if (eq - tok == 3 && !memcmp(tok, "len", 3)) {
			e->have_len = parse_num(eq + 1, p - eq - 1, &e->len);
		} else if (eq - tok == 4 && !memcmp(tok, "phys", 4) &&
			   !e->pieces) {
			int err = parse_pieces(eq + 1, p - eq - 1, e);

			if (err == -ENOMEM)
				return err;
			e->pieces_ok = !err;
		}
	}
	return 0;
}

/**
 * watch_list_parse() - The lines of watch/list.
 * @text: the file's text; the entries point into it.
 * @len: its length.
 * @ents: where the malloc()ed entries go, one per line that is not blank.
 * @n: where their number goes.
 *
 * What cannot be read of a line is marked so (target_ok, have_*,
 * pieces_ok false); the line itself is always kept.
 *
 * Return: 0 or -ENOMEM.
 */
int watch_list_parse(const char *text, size_t len, struct watch_ent **ents,
		     size_t *n)
{
	struct watch_ent *v = NULL;
	size_t cap = 0, cnt = 0, pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, s = pos, e = end;

		pos = nl ? end + 1 : len;
		while (s < e && isspace((unsigned char)text[s]))
			s++;
		while (e > s && isspace((unsigned char)text[e - 1]))
			e--;
		if (s == e)
			continue;
		if (cnt == cap) {
			struct watch_ent *nv;

			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		if (parse_list_line(text + s, e - s, &v[cnt])) {
			cnt++;
			goto nomem;
		}
		cnt++;
	}
	*ents = v;
	*n = cnt;
	return 0;
nomem:
	watch_list_free(v, cnt);
	return -ENOMEM;
}

/**
 * watch_list_free() - Free what watch_list_parse() returned.
 * @ents: the entries.
 * @n: their number.
 */
void watch_list_free(struct watch_ent *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ents[i].pieces);
	free(ents);
}

/**
 * watch_hit_parse() - A trace_pipe line of rampart:rampart_watch.
 * @text: the line; cut into the fields @h points to.
 * @h: where the fields go.
 *
 * The TP_printk format: "seq=%llu cpu=%u addr=%s va=%#llx pa=%#llx
 * width=%u len=%u old=%s new=%s rip=%pS stack=%s line=%u". addr, rip
 * and stack may hold spaces (" [module]"); old and new do not.
 *
 * Return: false for any other line.
 */
bool watch_hit_parse(char *text, struct watch_hit *h)
{
	static const char tag[] = "rampart_watch: ";
	unsigned long long seq, va, pa;
	char *p, *v, *rip, *stack, *line, *s, *end;
	unsigned int cpu, width, len;
	unsigned long ln;
	int used = -1;

	p = strstr(text, tag);
	if (!p)
		return false;
	p += sizeof(tag) - 1;
	v = strstr(p, " va=");
	rip = v ? strstr(v, " rip=") : NULL;
	stack = rip ? strstr(rip, " stack=") : NULL;
	if (!stack)
		return false;
	for (line = NULL, s = stack; (s = strstr(s, " line=")); s++)
		line = s;
	if (!line)
		return false;
	*v = *rip = *stack = *line = '\0';
	if (sscanf(p, "seq=%llu cpu=%u addr=%n", &seq, &cpu, &used) != 2 ||
	    used < 0 || !p[used])
		return false;
	h->addr = p + used;
	used = -1;
	if (sscanf(v + 1, "va=%llx pa=%llx width=%u len=%u old=%n", &va, &pa,
		   &width, &len, &used) != 4 || used < 0)
		return false;
	h->old = v + 1 + used;
	s = strstr(h->old, " new=");
	if (!s || s == h->old || !s[5] || strchr(s + 5, ' ') ||
	    memchr(h->old, ' ', s - h->old))
		return false;
	*s = '\0';
	h->new = s + 5;
	h->rip = rip + 5;
	h->stack = stack + 7;
	errno = 0;
	ln = strtoul(line + 6, &end, 10);
	if (errno || end == line + 6 || *end || ln > 0xffffffffUL ||
	    !*h->rip || !*h->stack)
		return false;
	h->seq = seq;
	h->cpu = cpu;
	h->va = va;
	h->pa = pa;
	h->width = width;
	h->len = len;
	h->line = ln;
	return true;
}

/**
 * watch_addr_short() - A symbolized address without the symbol's size.
 * @addr: as %pS prints it: "jiffies_64+0x0/0x8", maybe " [module]" after.
 * @buf: where "jiffies_64+0x0" (and the module) goes.
 * @size: the size of @buf.
 *
 * Anything else (a bare address) is copied as it is.
 */
void watch_addr_short(const char *addr, char *buf, size_t size)
{
	const char *slash = strchr(addr, '/'), *rest = "", *p;
	size_t keep = strlen(addr);

	if (slash && memmem(addr, slash - addr, "+0x", 3) &&
	    !strncmp(slash + 1, "0x", 2)) {
		for (p = slash + 3; isxdigit((unsigned char)*p); p++)
			;
		if (p > slash + 3 && (!*p || *p == ' ')) {
			keep = slash - addr;
			rest = p;
		}
	}
	snprintf(buf, size, "%.*s%s", (int)keep, addr, rest);
}
