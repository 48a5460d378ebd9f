// SPDX-License-Identifier: GPL-2.0-only
/* The encoding and name of each field in RAMPART_VMCS_FIELDS. */
#include "check.h"
#include "vmcs_fields.h"

const unsigned long rampart_vmcs_enc[RP_VMCS_NR] RP_CHK_RO = {
#define RAMPART_VMCS_ENC(x) [RP_##x] = x,
#define RAMPART_VMCS_GATED_ENC(x, ctl, bit) [RP_##x] = x,
	RAMPART_VMCS_FIELDS(RAMPART_VMCS_ENC)
	RAMPART_VMCS_GATED_FIELDS(RAMPART_VMCS_GATED_ENC)
#undef RAMPART_VMCS_GATED_ENC
#undef RAMPART_VMCS_ENC
};

const char *const rampart_vmcs_name[RP_VMCS_NR] RP_CHK_RO = {
#define RAMPART_VMCS_NAME(x) [RP_##x] = #x,
#define RAMPART_VMCS_GATED_NAME(x, ctl, bit) [RP_##x] = #x,
	RAMPART_VMCS_FIELDS(RAMPART_VMCS_NAME)
	RAMPART_VMCS_GATED_FIELDS(RAMPART_VMCS_GATED_NAME)
#undef RAMPART_VMCS_GATED_NAME
#undef RAMPART_VMCS_NAME
};

/* Fields not in RAMPART_VMCS_GATED_FIELDS stay zero: always present. */
const struct rampart_vmcs_gate rampart_vmcs_gate[RP_VMCS_NR] RP_CHK_RO = {
#define RAMPART_VMCS_GATE(x, ctl, bit) [RP_##x] = { RP_##ctl, bit },
	RAMPART_VMCS_GATED_FIELDS(RAMPART_VMCS_GATE)
#undef RAMPART_VMCS_GATE
};
