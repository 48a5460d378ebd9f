// SPDX-License-Identifier: GPL-2.0-only
/*
 * status: the module's state and version, each CPU's state and policy
 * generation, the policy in force and the event counters.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rampartctl.h"

/* A cpus/ entry: cpuN. */
struct cpu_ent {
	unsigned int nr;
};

static int cmp_cpu(const void *a, const void *b)
{
	const struct cpu_ent *x = a, *y = b;

	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int list_cpus(struct cpu_ent **out, size_t *count)
{
	char path[4096];
	struct cpu_ent *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir;

	sys_path(path, sizeof(path), "cpus");
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		unsigned int nr;
		char tail;

		if (sscanf(d->d_name, "cpu%u%c", &nr, &tail) != 1)
			continue;
		if (n == cap) {
			struct cpu_ent *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(dir);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++].nr = nr;
	}
	closedir(dir);
	if (n)
		qsort(v, n, sizeof(*v), cmp_cpu);
	*out = v;
	*count = n;
	return 0;
}

/* status --json: "policy" and "events", or null where absent. */
static void status_json_tail(struct jobj *o, bool have_policy)
{
	char a[64];
	struct jobj sub;

	jkey(o, "policy");
	if (have_policy) {
		jopen(&sub);
		jnum_attr(&sub, "generation", "policy/generation");
		jnum_attr(&sub, "rules", "policy/rules");
		jbool_attr(&sub, "sealed", "policy/sealed");
		jclose_inner();
	} else {
		fputs("null", stdout);
	}
	jkey(o, "events");
	if (!read_attr("events/total", a, sizeof(a))) {
		jopen(&sub);
		jnum_attr(&sub, "total", "events/total");
		jnum_attr(&sub, "denied", "events/denied");
		jnum_attr(&sub, "logged", "events/logged");
		jnum_attr(&sub, "dropped", "events/dropped");
		jnum_attr(&sub, "since_seal", "events/sealed");
		jclose_inner();
	} else {
		fputs("null", stdout);
	}
	jclose();
}

/**
 * cmd_status() - "rampartctl status".
 * @argc: argument count, from the command's name on.
 * @argv: the arguments, from the command's name on.
 *
 * Return: the exit status.
 */
int cmd_status(int argc, char **argv)
{
	char a[128], b[64], c[64], d[64], rel[128];
	unsigned long long gen = 0, cgen;
	bool have_gen, have_policy, st_ok;
	struct cpu_ent *cpus = NULL;
	struct jobj o, arr, cpu;
	size_t ncpu = 0, i;
	int err;

	err = plain_opts(argc, argv, "status", 0, true);
	if (err >= 0)
		return err;
	err = read_attr("state", a, sizeof(a));
	if (err)
		return fail("%s/state: %s (is rampart.ko loaded?)", sysfs_root,
			    strerror(-err));
	if (json) {
		jopen(&o);
		jstr(&o, "state", a);
		jstr(&o, "version",
		     read_attr("version", a, sizeof(a)) ? NULL : a);
	} else {
		printf("state       %s\n", a);
		printf("version     %s\n", attr_or_q("version", a, sizeof(a)));
	}

	have_gen = !read_num("policy/generation", &gen);
	err = list_cpus(&cpus, &ncpu);
	if (err) {
		if (json) {
			jkey(&o, "cpus");
			fputs("null", stdout);
		} else {
			printf("cpus        ? (%s)\n", strerror(-err));
		}
		ncpu = 0;
		cpus = NULL;
	} else if (json) {
		jkey(&o, "cpus");
		jarray(&arr);
	}
	for (i = 0; i < ncpu; i++) {
		snprintf(rel, sizeof(rel), "cpus/cpu%u/state", cpus[i].nr);
		st_ok = !read_attr(rel, a, sizeof(a)) && a[0];
		if (!st_ok)
			snprintf(a, sizeof(a), "?");
		snprintf(rel, sizeof(rel), "cpus/cpu%u/policy_generation",
			 cpus[i].nr);
		err = read_num(rel, &cgen);
		if (json) {
			jelem(&arr);
			jopen(&cpu);
			ju64(&cpu, "cpu", cpus[i].nr);
			jstr(&cpu, "state", st_ok ? a : NULL);
			jkey(&cpu, "policy_generation");
			if (err)
				fputs("null", stdout);
			else
				printf("%llu", cgen);
			jclose_inner();
		} else if (err) {
			printf("cpu%-8u %-10s policy generation ?\n",
			       cpus[i].nr, a);
		} else {
			printf("cpu%-8u %-10s policy generation %llu\n",
			       cpus[i].nr, a, cgen);
		}
		if (have_gen && !err && cgen != gen)
			fprintf(stderr, PROG ": warning: cpu%u (%s) has policy generation %llu, not %llu\n",
				cpus[i].nr, a, cgen, gen);
	}
	if (json && cpus)
		jarray_end();
	free(cpus);

	have_policy = have_gen || !read_attr("policy/rules", a, sizeof(a));
	if (json) {
		status_json_tail(&o, have_policy);
		return EX_OK;
	}
	if (have_policy) {
		attr_or_q("policy/sealed", a, sizeof(a));
		printf("policy      generation %s, %s rules, %s\n",
		       num_or_q("policy/generation", b, sizeof(b)),
		       num_or_q("policy/rules", c, sizeof(c)),
		       !strcmp(a, "1") ? "sealed" :
		       !strcmp(a, "0") ? "not sealed" : "sealed ?");
	} else {
		printf("policy      (not available)\n");
	}
	if (!read_attr("events/total", a, sizeof(a)))
		printf("events      total %s, denied %s, logged %s, dropped %s\n",
		       num_or_q("events/total", a, sizeof(a)),
		       num_or_q("events/denied", b, sizeof(b)),
		       num_or_q("events/logged", c, sizeof(c)),
		       num_or_q("events/dropped", d, sizeof(d)));
	else
		printf("events      (not available)\n");
	return EX_OK;
}
