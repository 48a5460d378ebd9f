// SPDX-License-Identifier: GPL-2.0-only
/* The encoding and name of each field in RAMPART_VMCS_FIELDS. */
#include "check.h"
#include "vmcs_fields.h"

const unsigned long rampart_vmcs_enc[RP_VMCS_NR] RP_CHK_RO = {
#define RAMPART_VMCS_ENC(x) [RP_##x] = x,
	RAMPART_VMCS_FIELDS(RAMPART_VMCS_ENC)
#undef RAMPART_VMCS_ENC
};

const char *const rampart_vmcs_name[RP_VMCS_NR] RP_CHK_RO = {
#define RAMPART_VMCS_NAME(x) [RP_##x] = #x,
	RAMPART_VMCS_FIELDS(RAMPART_VMCS_NAME)
#undef RAMPART_VMCS_NAME
};
