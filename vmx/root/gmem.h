/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest memory by linear address (vmx/root/gmem.c). Root side. */
#ifndef RAMPART_VMX_ROOT_GMEM_H
#define RAMPART_VMX_ROOT_GMEM_H

#include <linux/types.h>

struct rampart_vcpu;

/* The exception an emulated access raises: #PF (with CR2) or #GP. */
struct rampart_gfault {
	u32 vector;
	u32 err;
	u64 addr;
};

bool rampart_gmem_canonical(u64 gla);
int rampart_gmem_translate(struct rampart_vcpu *v, u64 gla, bool write,
			   u64 *gpa, struct rampart_gfault *f);
int rampart_gmem_read(struct rampart_vcpu *v, u64 gla, void *buf, u32 len,
		      struct rampart_gfault *f);
int rampart_gmem_write(struct rampart_vcpu *v, u64 gla, const void *buf,
		       u32 len, struct rampart_gfault *f);
bool rampart_gmem_phys_writable(struct rampart_vcpu *v, u64 pa);
const void *rampart_gmem_phys_page(struct rampart_vcpu *v, u64 pa);
int rampart_gmem_phys(struct rampart_vcpu *v, u64 pa, void *buf, u32 len,
		      bool write);
int rampart_gmem_phys_stepped(struct rampart_vcpu *v, u64 pa, u8 old,
			      u8 val);
void rampart_gmem_inject(struct rampart_vcpu *v, const struct rampart_gfault *f);

#endif /* RAMPART_VMX_ROOT_GMEM_H */
