/* SPDX-License-Identifier: GPL-2.0-only */
/* The shadow EPT L2 runs under (ept/root/shadow.c). Root side. */
#ifndef RAMPART_EPT_ROOT_SHADOW_H
#define RAMPART_EPT_ROOT_SHADOW_H

#include <linux/types.h>

struct rampart_vcpu;

/* What an L2 EPT violation comes to (rampart_sept_fault()). */
enum rampart_sept_result {
	RAMPART_SEPT_FILLED,		/* mapped now: resume L2 */
	RAMPART_SEPT_VIOLATION,		/* L1's EPT refuses: reflect it */
	RAMPART_SEPT_MISCONFIG,		/* L1's EPT is misconfigured: reflect */
	RAMPART_SEPT_DENIED,		/* L1 allows it, Rampart's EPT does not */
};

void rampart_sept_flush(struct rampart_vcpu *v);
u64 rampart_sept_eptp(struct rampart_vcpu *v, u64 eptp12);
int rampart_sept_fault(struct rampart_vcpu *v, u64 eptp12, u64 gpa, u64 qual,
		       u64 *qual12, u64 *hpa);

#endif /* RAMPART_EPT_ROOT_SHADOW_H */
