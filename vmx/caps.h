/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMX capability decoding: pure functions over the values of the VMX
 * capability MSRs (Intel SDM Vol. 3D, Appendix A). Nothing here touches
 * hardware, so the same code runs in KUnit and at load time.
 */
#ifndef RAMPART_VMX_CAPS_H
#define RAMPART_VMX_CAPS_H

#include "root/caps.h"

/*
 * struct rampart_req - one thing Rampart refuses to run without.
 * @what: the feature, as named in the refusal log line.
 * @where: the MSR or CPUID bit that reports it.
 * @err: the errno that loading fails with.
 * @kind, @bits: for a VMX control, the control word and the bits that must
 *               be allowed to be 1; @ok is NULL then.
 * @ok: otherwise, a predicate over the decoded capabilities.
 */
struct rampart_req {
	const char *what;
	const char *where;
	int err;
	enum rampart_ctl_kind kind;
	u32 bits;
	bool (*ok)(const struct rampart_caps *c);
};

struct rampart_ctl rampart_ctl_decode(u64 msr);
int rampart_ctl_adjust(struct rampart_ctl ctl, u32 required, u32 optional,
		       u32 *out);
void rampart_basic_decode(u64 msr, struct rampart_vmx_basic *b);
void rampart_ept_decode(u64 msr, struct rampart_ept_caps *e);
void rampart_misc_decode(u64 msr, struct rampart_vmx_misc *m);
void rampart_caps_decode(const struct rampart_caps_raw *raw,
			 struct rampart_caps *c);

enum rampart_pt rampart_pt_mode(const struct rampart_caps *c, bool has_pt);
u32 rampart_ctl_required(enum rampart_ctl_kind kind);
u32 rampart_ctl_optional(enum rampart_ctl_kind kind, enum rampart_pt pt);
extern const char *const rampart_pt_names[];
const struct rampart_req *rampart_caps_missing(const struct rampart_caps *c);

/*
 * struct rampart_feature - an optional feature shown in sysfs.
 * @kind: the control word that reports it, or RAMPART_CTL_NR for a bit of
 *        IA32_VMX_EPT_VPID_CAP.
 * @bit: the bit in that control word's allowed-1 settings, or in the MSR.
 */
struct rampart_feature {
	const char *name;
	enum rampart_ctl_kind kind;
	u64 bit;
};

extern const struct rampart_feature rampart_features[];
extern const unsigned int rampart_nr_features;
bool rampart_caps_has(const struct rampart_caps *c,
		      const struct rampart_feature *f);

#endif /* RAMPART_VMX_CAPS_H */
