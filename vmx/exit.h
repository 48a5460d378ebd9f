/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What exit handlers share (vmx/exit.c dispatches; vmx/cr.c, vmx/msr.c and
 * vmx/policy.c handle). Root side.
 */
#ifndef RAMPART_VMX_EXIT_H
#define RAMPART_VMX_EXIT_H

#include <linux/types.h>

#include "../policy/policy.h"
#include "vcpu.h"

enum { EXIT_RESUME, EXIT_LEAVE };

struct exit_ctx {
	struct rampart_vcpu *v;
	struct rampart_regs *r;
	u32 reason;
	u64 qual;
};

int rampart_skip_insn(struct exit_ctx *x);
u64 rampart_gpr_read(struct exit_ctx *x, unsigned int n);
void rampart_report(struct rampart_vcpu *v, const char *what, u32 reason);

/* vmx/cr.c, vmx/msr.c */
int rampart_handle_cr(struct exit_ctx *x);
int rampart_handle_rdmsr(struct exit_ctx *x);
int rampart_handle_wrmsr(struct exit_ctx *x);

/* vmx/policy.c */
int rampart_hc_policy_load(struct exit_ctx *x);
int rampart_hc_policy_sync(struct exit_ctx *x);
int rampart_hc_seal(struct exit_ctx *x);
void rampart_policy_apply(struct rampart_vcpu *v);
void rampart_policy_lock(struct rampart_root *rs);
void rampart_policy_unlock(struct rampart_root *rs);
bool rampart_edit_begin(struct rampart_root *rs);
void rampart_edit_end(struct rampart_root *rs);
void rampart_ept_release_run(struct rampart_root *rs,
			     const struct rampart_policy *p, u64 a, u64 end);

/* vmx/modtext.c */
const struct rp_range_rule *rampart_mem_rule(const struct rampart_root *rs,
					     const struct rampart_policy *p,
					     u64 gpa);
bool rampart_mem_rule_get(struct rampart_root *rs, u64 gpa,
			  struct rp_range_rule *out);
u64 rampart_mod_covering(const struct rampart_root *rs, u64 a);
u64 rampart_mod_next(const struct rampart_root *rs, u64 a, u64 end);
void rampart_mods_release_all(struct rampart_root *rs);
int rampart_hc_module_add(struct exit_ctx *x);
int rampart_hc_module_del(struct exit_ctx *x);

/* vmx/poke.c */
bool rampart_poke_write(struct exit_ctx *x, u64 gpa,
			const struct rp_range_rule *r);
void rampart_poke_close(struct rampart_vcpu *v);
int rampart_hc_poke_calibrate(struct exit_ctx *x);

/* vmx/step.c */
bool rampart_log_write(struct exit_ctx *x, u64 gpa,
		       const struct rp_range_rule *r);
int rampart_step_exception(struct exit_ctx *x, u32 info);
int rampart_step_timer(struct exit_ctx *x);
void rampart_step_cancel(struct rampart_vcpu *v);

/* vmx/event.c */
void rampart_event_record(struct rampart_vcpu *v, u8 kind, u32 asset,
			  const struct rp_verdict *vd, u64 old, u64 attempted);
void rampart_event_mem(struct rampart_vcpu *v, const struct rp_range_rule *r,
		       u64 access, u64 gpa);
void rampart_event_cpu(struct rampart_vcpu *v, u32 what, u64 a, u64 b);

#endif /* RAMPART_VMX_EXIT_H */
