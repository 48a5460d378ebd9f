// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of policy assets, for the text form. Bits and MSR indices are the
 * architectural ones (Intel SDM Vol. 3A 2.5 for CR0/CR4, Vol. 4 for MSRs);
 * the first name of a value is the one render.c prints.
 */
#include "policy.h"

const struct rp_name rp_cr0_bits[] = {
	{ "pe", 1ULL << 0 }, { "mp", 1ULL << 1 }, { "em", 1ULL << 2 },
	{ "ts", 1ULL << 3 }, { "et", 1ULL << 4 }, { "ne", 1ULL << 5 },
	{ "wp", 1ULL << 16 }, { "am", 1ULL << 18 }, { "nw", 1ULL << 29 },
	{ "cd", 1ULL << 30 }, { "pg", 1ULL << 31 },
	{ NULL, 0 }
};

const struct rp_name rp_cr4_bits[] = {
	{ "vme", 1ULL << 0 }, { "pvi", 1ULL << 1 }, { "tsd", 1ULL << 2 },
	{ "de", 1ULL << 3 }, { "pse", 1ULL << 4 }, { "pae", 1ULL << 5 },
	{ "mce", 1ULL << 6 }, { "pge", 1ULL << 7 }, { "pce", 1ULL << 8 },
	{ "osfxsr", 1ULL << 9 }, { "osxmmexcpt", 1ULL << 10 },
	{ "umip", 1ULL << 11 }, { "la57", 1ULL << 12 }, { "vmxe", 1ULL << 13 },
	{ "smxe", 1ULL << 14 }, { "fsgsbase", 1ULL << 16 },
	{ "pcide", 1ULL << 17 }, { "osxsave", 1ULL << 18 }, { "kl", 1ULL << 19 },
	{ "smep", 1ULL << 20 }, { "smap", 1ULL << 21 }, { "pke", 1ULL << 22 },
	{ "cet", 1ULL << 23 }, { "pks", 1ULL << 24 }, { "lass", 1ULL << 27 },
	{ "lam_sup", 1ULL << 28 }, { "fred", 1ULL << 32 },
	{ NULL, 0 }
};

const struct rp_name rp_msr_names[] = {
	{ "feature_control", 0x3a }, { "spec_ctrl", 0x48 },
	{ "sysenter_cs", 0x174 }, { "sysenter_esp", 0x175 },
	{ "sysenter_eip", 0x176 }, { "misc_enable", 0x1a0 },
	{ "apic_base", 0x1b }, { "debugctl", 0x1d9 }, { "pat", 0x277 },
	{ "mtrr_def_type", 0x2ff }, { "u_cet", 0x6a0 }, { "s_cet", 0x6a2 },
	{ "pl0_ssp", 0x6a4 }, { "pl1_ssp", 0x6a5 }, { "pl2_ssp", 0x6a6 },
	{ "pl3_ssp", 0x6a7 }, { "isst_addr", 0x6a8 },
	{ "tsc_deadline", 0x6e0 }, { "pkrs", 0x6e1 },
	{ "fred_rsp0", 0x1cc }, { "fred_rsp1", 0x1cd }, { "fred_rsp2", 0x1ce },
	{ "fred_rsp3", 0x1cf }, { "fred_stklvls", 0x1d0 },
	{ "fred_ssp1", 0x1d1 }, { "fred_ssp2", 0x1d2 }, { "fred_ssp3", 0x1d3 },
	{ "fred_config", 0x1d4 }, { "pebs_enable", 0x3f1 },
	{ "rtit_output_base", 0x560 }, { "rtit_output_mask", 0x561 },
	{ "rtit_ctl", 0x570 }, { "rtit_status", 0x571 }, { "ds_area", 0x600 },
	{ "efer", 0xc0000080 },
	{ "star", 0xc0000081 }, { "lstar", 0xc0000082 },
	{ "cstar", 0xc0000083 }, { "syscall_mask", 0xc0000084 },
	{ "fmask", 0xc0000084 }, { "fs_base", 0xc0000100 },
	{ "gs_base", 0xc0000101 }, { "kernel_gs_base", 0xc0000102 },
	{ "tsc_aux", 0xc0000103 },
	{ NULL, 0 }
};

const struct rp_name rp_range_names[] = {
	{ "kernel_text", RAMPART_RANGE_KERNEL_TEXT },
	{ "rodata", RAMPART_RANGE_RODATA },
	{ "ro_after_init", RAMPART_RANGE_RO_AFTER_INIT },
	{ "idt", RAMPART_RANGE_IDT },
	{ "vdso", RAMPART_RANGE_VDSO },
	{ "modules", RAMPART_RANGE_MODULES },
	{ NULL, 0 }
};

/* VMX features a vmx rule names (enum rampart_vmx_feature). */
const struct rp_name rp_vmx_names[] = {
	{ "nested", RAMPART_VMX_NESTED },
	{ NULL, 0 }
};

/* Events about a CPU (RAMPART_EVENT_CPU), for the event log. */
const struct rp_name rp_cpu_event_names[] = {
	{ "init", RAMPART_CPU_EV_INIT },
	{ "sipi", RAMPART_CPU_EV_SIPI },
	{ "entry_fail", RAMPART_CPU_EV_ENTRY_FAIL },
	{ "parked", RAMPART_CPU_EV_PARKED },
	{ "sleep", RAMPART_CPU_EV_SLEEP },
	{ "root_access", RAMPART_CPU_EV_ROOT_ACCESS },
	{ "module_refused", RAMPART_CPU_EV_MODULE_REFUSED },
	{ "module_del", RAMPART_CPU_EV_MODULE_DEL },
	{ "module_handle", RAMPART_CPU_EV_MODULE_HANDLE },
	{ "policy_load", RAMPART_CPU_EV_POLICY_LOAD },
	{ "nested_denied", RAMPART_CPU_EV_NESTED_DENIED },
	{ NULL, 0 }
};

/**
 * rp_name_of() - the first name a table gives a value.
 * @t: the table.
 * @value: the value.
 *
 * Return: the name, or NULL.
 */
const char *rp_name_of(const struct rp_name *t, u64 value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}
