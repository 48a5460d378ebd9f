// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fields of the VMCS root emulates for the kernel (vmcs12), by
 * encoding (root side). The list is vmcs12_table.h; a field's encoding
 * carries its width and type (SDM Vol. 3C 25.11.2), bit 0 selecting the
 * high half of a 64-bit field.
 */
#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/vmx.h>

#include "nested.h"
#include "root.h"

static const u32 v12_enc[V12_NR] __rampart_root_ro = {
#define RP_V12(name, kind) \
	[V12_##name] = name,
#include "vmcs12_table.h"
};

static const u8 v12_kind[V12_NR] __rampart_root_ro = {
#define RP_V12(name, kind) \
	[V12_##name] = kind,
#include "vmcs12_table.h"
};

/* Width by encoding bits 14:13 (SDM 25.11.2): 64-bit is 1. */
#define ENC_WIDTH(e)	(((e) >> 13) & 3)
#define ENC_W64		1

/**
 * rampart_v12_find() - the vmcs12 field an encoding names.
 * @enc: the encoding, as VMREAD or VMWRITE got it.
 * @high: set for an access to the high 32 bits of a 64-bit field.
 *
 * Encodings are 32 bits; a value with bits 63:32 set names no field (SDM
 * 31.3, VMREAD: "unsupported VMCS component").
 *
 * Return: the field's index, or -1.
 */
__rampart_root int rampart_v12_find(u64 enc, bool *high)
{
	int i;

	*high = false;
	if (enc >> 32)
		return -1;
	if ((enc & 1) && ENC_WIDTH(enc) == ENC_W64) {
		*high = true;
		enc &= ~1ULL;
	}
	for (i = 0; i < V12_NR; i++)
		if (v12_enc[i] == enc)
			return i;
	return -1;
}

/**
 * rampart_v12_kind() - how root uses a vmcs12 field.
 * @i: its index.
 *
 * Return: enum rampart_v12_kind.
 */
__rampart_root u8 rampart_v12_kind(int i)
{
	return v12_kind[i];
}

/**
 * rampart_v12_enc() - a vmcs12 field's encoding.
 * @i: its index.
 *
 * Return: the encoding.
 */
__rampart_root u64 rampart_v12_enc(int i)
{
	return v12_enc[i];
}

/**
 * rampart_v12_max_index() - the highest index any field encoding uses,
 * for IA32_VMX_VMCS_ENUM (SDM A.9: bits 9:1).
 *
 * Return: the index.
 */
__rampart_root u32 rampart_v12_max_index(void)
{
	u32 i, max = 0;

	for (i = 0; i < V12_NR; i++)
		max = max_t(u32, max, (v12_enc[i] >> 1) & 0x1ff);
	return max;
}
