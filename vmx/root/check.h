/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software VM-entry checks (SDM Vol. 3C 27.2 and 27.3, "Checks on VMX
 * controls and host-state area" and "Checking and loading guest state").
 * Bochs accepts some VMCSs a real CPU rejects, so every launch checks its
 * image first, and a rig build checks the VMCS again before every VM
 * entry root edited. Pure: KUnit covers it.
 */
#ifndef RAMPART_VMX_CHECK_H
#define RAMPART_VMX_CHECK_H

#include "caps.h"
#include "vmcs_fields.h"

/*
 * The checker also runs in VMX root before VM entries (vmx/exit.c, with
 * RAMPART_ENTRY_CHECK): built into rampart.ko, its code and tables live
 * in the root sections. The KUnit module links its own plain copy.
 */
#ifdef RAMPART_CHECK_ROOT
#include "root.h"
#define RP_CHK		__rampart_root
#define RP_CHK_RO	__rampart_root_ro
#else
#define RP_CHK
#define RP_CHK_RO
#endif

/* One SDM rule: @sdm names the section, @what the condition violated. */
struct rampart_check_rule {
	const char *sdm;
	const char *what;
	bool (*ok)(const struct rampart_vmcs_img *img,
		   const struct rampart_caps *caps);
};

bool rampart_eptp_valid(u64 e, const struct rampart_caps *caps);
const struct rampart_check_rule *
rampart_vmcs_check(const struct rampart_vmcs_img *img,
		   const struct rampart_caps *caps);

#endif /* RAMPART_VMX_CHECK_H */
