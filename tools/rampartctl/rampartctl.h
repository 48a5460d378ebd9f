/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What rampartctl's files share. From the bottom up: json.c, sysfs.c,
 * cli.c, policy_text.c, event_fmt.c, trace.c and watch_text.c serve the
 * commands (policy_cmd.c, status.c, events.c, boot.c, watch.c), which
 * rampartctl.c's main() runs; no file calls one above it.
 */
#ifndef RAMPARTCTL_H
#define RAMPARTCTL_H

#include <limits.h>
#include <signal.h>

#include "policy/policy.h"

/*
 * The kernel's __printf(), which user space lacks (GCC's other spelling
 * of the keyword, so that checkpatch takes this for the kernel macro).
 */
#ifndef __printf
#define __printf(a, b)	__attribute((format(printf, a, b)))
#endif

#define PROG		"rampartctl"

/* Exit statuses. */
enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2 };

/* getopt_long() values of the long options without a short one. */
enum { OPT_SYSFS = 256, OPT_JSON, OPT_FIRST };

/* json.c: JSON output, for --json. */
struct jobj {
	bool first;
};

extern bool json;		/* --json */

void json_mem(const char *s, size_t len);
void jopen(struct jobj *o);
void jclose(void);
void jclose_inner(void);
void jarray(struct jobj *a);
void jarray_end(void);
void jelem(struct jobj *a);
void jelem_mem(struct jobj *a, const char *s, size_t len);
void jkey(struct jobj *o, const char *key);
void jstr(struct jobj *o, const char *key, const char *v);
void ju64(struct jobj *o, const char *key, u64 v);
void jhex(struct jobj *o, const char *key, u64 v);
void jbool(struct jobj *o, const char *key, bool v);

/* sysfs.c: the module's sysfs files. */
extern const char *sysfs_root;

void sys_path(char *buf, size_t size, const char *rel);
int read_attr(const char *rel, char *buf, size_t size);
int read_num(const char *rel, unsigned long long *v);
const char *attr_or_q(const char *rel, char *buf, size_t size);
const char *num_or_q(const char *rel, char *buf, size_t size);
void jnum_attr(struct jobj *o, const char *key, const char *rel);
void jbool_attr(struct jobj *o, const char *key, const char *rel);
int write_attr(const char *rel, const char *data, size_t len, size_t *at);
int slurp(int fd, char **text, size_t *len);
int read_whole(const char *rel, char **text, size_t *len);
int read_active(char **text, size_t *len);

/* cli.c: messages, help and the options of plain commands. */
extern const char help_text[];

int __printf(1, 2) fail(const char *fmt, ...);
int __printf(1, 2) usage(const char *fmt, ...);
int opt_error(int c, char **argv, const char *cmd);
int plain_opts(int argc, char **argv, const char *use, int npos,
	       bool json_ok);

/* policy_text.c: policy text read, compiled and taken apart. */
int read_policy_file(const char *file, char **text, size_t *len);
int compile_text(const char *text, size_t len, struct rampart_policy *p,
		 struct rp_policy_error *e, u32 *nrules);
const char *commit_hint(int err);
int load_text(const char *cmd, const char *text, size_t len);
bool next_rule(const char *t, size_t len, size_t *pos, const char **rule,
	       size_t *rlen);

/* event_fmt.c: one event record as text or JSON. */

/*
 * What a record from a trace line lacks: the TSC, and the RIP as a
 * number when the kernel printed it as a symbol.
 */
struct ev_extra {
	const char *rip_sym;	/* the symbolized RIP, or NULL */
	bool no_tsc;
};

void print_record(const struct rampart_event *ev, const struct ev_extra *x);
void print_event(const struct rampart_event *ev);
void print_gap(u64 n);

/* trace.c: a tracepoint followed in a tracefs instance of our own. */
struct tracer {
	const char *cmd;	/* the command, for messages */
	const char *event;	/* "rampart/NAME" */
	unsigned int buffer_kb;	/* the instance's buffer; 0: the default */
	char dir[PATH_MAX];	/* the instance; "" when none */
	int pipe;		/* its trace_pipe */
};

/* What a tracer_loop() callback returns to end the loop with EX_OK. */
#define TRACE_DONE	(-1)

int tracer_start(struct tracer *t);
void tracer_stop(struct tracer *t);
void tracer_signals(sigset_t *waitmask);
int tracer_loop(struct tracer *t, const sigset_t *waitmask,
		int (*fn)(char *line, void *ctx), void *ctx);

/* watch_text.c: write-watch targets, watch/list and trace lines. */
struct watch_target {
	u32 how;		/* enum rp_watch_how */
	bool has_len;		/* always for VIRT and PHYS */
	char name[RP_WATCH_NAME_MAX + 1];	/* SYM: the symbol */
	size_t name_len;
	u64 addr;		/* VIRT, PHYS */
	u64 off;		/* SYM */
	u64 len;
};

struct watch_piece {
	u64 pa, len;
};

/* One line of watch/list; what could not be read is marked so. */
struct watch_ent {
	const char *text;	/* the line */
	size_t text_len;
	const char *target;	/* its first word */
	size_t target_len;
	bool target_ok, have_line, have_va, have_len, pieces_ok;
	struct watch_target t;
	u32 line;
	u64 va, len;
	struct watch_piece *pieces;
	u32 npieces;
};

/* One rampart_watch trace line; the strings point into it. */
struct watch_hit {
	u64 seq, va, pa;
	u32 cpu, width, len, line;
	const char *addr, *old, *new, *rip, *stack;
};

int watch_target_parse(const char *s, size_t n, struct watch_target *t);
bool watch_target_same(const struct watch_target *a,
		       const struct watch_target *b);
int watch_rule(const char *spec, const struct watch_target *t, char *buf,
	       size_t size);
bool watch_rule_target(const char *rule, size_t len, struct watch_target *t);
int watch_list_parse(const char *text, size_t len, struct watch_ent **ents,
		     size_t *n);
void watch_list_free(struct watch_ent *ents, size_t n);
bool watch_hit_parse(char *text, struct watch_hit *h);
void watch_addr_short(const char *addr, char *buf, size_t size);

/* The commands: policy_cmd.c, status.c, events.c, boot.c, watch.c. */
int cmd_policy(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_seal(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_watch(int argc, char **argv);

#endif /* RAMPARTCTL_H */
