// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON output, for --json: objects and arrays written as they go, on
 * standard output. Strings are escaped; bytes outside printable ASCII
 * are written as \u00XX, so the output is ASCII and always valid JSON.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "rampartctl.h"

bool json;		/* --json */

/**
 * json_mem() - Write bytes as a JSON string.
 * @s: the bytes.
 * @len: how many.
 */
void json_mem(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/**
 * jopen() - Open an object.
 * @o: its state.
 */
void jopen(struct jobj *o)
{
	putchar('{');
	o->first = true;
}

/**
 * jclose() - Close a top-level object, and its line.
 */
void jclose(void)
{
	fputs("}\n", stdout);
}

/**
 * jclose_inner() - Close an object inside another one or an array.
 */
void jclose_inner(void)
{
	putchar('}');
}

/**
 * jarray() - Open an array.
 * @a: its state.
 */
void jarray(struct jobj *a)
{
	putchar('[');
	a->first = true;
}

/**
 * jarray_end() - Close an array.
 */
void jarray_end(void)
{
	putchar(']');
}

/**
 * jelem() - Start a member of an object or an element of an array.
 * @a: the object or array.
 */
void jelem(struct jobj *a)
{
	if (!a->first)
		putchar(',');
	a->first = false;
}

/**
 * jelem_mem() - Add a string element to an array.
 * @a: the array.
 * @s: the string's bytes.
 * @len: how many.
 */
void jelem_mem(struct jobj *a, const char *s, size_t len)
{
	jelem(a);
	json_mem(s, len);
}

/**
 * jkey() - Start a member of an object: write its key.
 * @o: the object.
 * @key: a literal of ours: it needs no escaping.
 */
void jkey(struct jobj *o, const char *key)
{
	jelem(o);
	printf("\"%s\":", key);
}

/**
 * jstr() - Add a string member, or null for NULL.
 * @o: the object.
 * @key: its key.
 * @v: the string, or NULL.
 */
void jstr(struct jobj *o, const char *key, const char *v)
{
	jkey(o, key);
	if (v)
		json_mem(v, strlen(v));
	else
		fputs("null", stdout);
}

/**
 * ju64() - Add a number member.
 * @o: the object.
 * @key: its key.
 * @v: the number.
 */
void ju64(struct jobj *o, const char *key, u64 v)
{
	jkey(o, key);
	printf("%llu", (unsigned long long)v);
}

/**
 * jhex() - Add a hex string member, for addresses, values and masks.
 * @o: the object.
 * @key: its key.
 * @v: the number, written as a string so that it loses no bits.
 */
void jhex(struct jobj *o, const char *key, u64 v)
{
	jkey(o, key);
	printf("\"0x%llx\"", (unsigned long long)v);
}

/**
 * jbool() - Add a boolean member.
 * @o: the object.
 * @key: its key.
 * @v: the value.
 */
void jbool(struct jobj *o, const char *key, bool v)
{
	jkey(o, key);
	fputs(v ? "true" : "false", stdout);
}
