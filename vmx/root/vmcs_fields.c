// SPDX-License-Identifier: GPL-2.0-only
/* The encoding, name and gate of each field in vmcs_field_table.h. */
#include <linux/stringify.h>

#include "check.h"
#include "vmcs_fields.h"

const unsigned long rampart_vmcs_enc[RP_VMCS_NR] RP_CHK_RO = {
#define RP_VMCS_FIELD(x) x,
#define RP_VMCS_GATED_FIELD(x, ctl, bit) x,
#include "vmcs_field_table.h"
};

const char *const rampart_vmcs_name[RP_VMCS_NR] RP_CHK_RO = {
#define RP_VMCS_FIELD(x) __stringify(x),
#define RP_VMCS_GATED_FIELD(x, ctl, bit) __stringify(x),
#include "vmcs_field_table.h"
};

/* Ungated fields have { 0, 0 }: always present. */
const struct rampart_vmcs_gate rampart_vmcs_gate[RP_VMCS_NR] RP_CHK_RO = {
#define RP_VMCS_FIELD(x) { 0, 0 },
#define RP_VMCS_GATED_FIELD(x, ctl, bit) { RP_##ctl, bit },
#include "vmcs_field_table.h"
};

/* Each control word's field, in the order of enum rampart_ctl_kind. */
const u16 rampart_ctl_field[RAMPART_CTL_NR] RP_CHK_RO = {
	[RAMPART_CTL_PIN] = RP_PIN_BASED_VM_EXEC_CONTROL,
	[RAMPART_CTL_PROC] = RP_CPU_BASED_VM_EXEC_CONTROL,
	[RAMPART_CTL_PROC2] = RP_SECONDARY_VM_EXEC_CONTROL,
	[RAMPART_CTL_EXIT] = RP_VM_EXIT_CONTROLS,
	[RAMPART_CTL_ENTRY] = RP_VM_ENTRY_CONTROLS,
};
