/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every basic exit reason Rampart names (SDM Vol. 3D Appendix C), one line
 * each: RP_EXIT(reason, sysfs name, handler). The reason is the kernel's
 * EXIT_REASON_<reason>; the name is cpus/cpuN/exits/<name>; a NULL handler
 * means root never asks for the exit: it counts as unexpected and injects
 * #UD. vmx/root/exit.c includes this table with RP_EXIT defined; it has no
 * include guard on purpose.
 */
#ifndef RP_EXIT
#define RP_EXIT(reason, name, handler)
#endif
RP_EXIT(EXCEPTION_NMI,       "nmi",               handle_exception_nmi)
RP_EXIT(EXTERNAL_INTERRUPT,  "interrupt",         NULL)
RP_EXIT(TRIPLE_FAULT,        "triple_fault",      fatal)
RP_EXIT(INIT_SIGNAL,         "init",              handle_init)
RP_EXIT(SIPI_SIGNAL,         "sipi",              handle_sipi)
RP_EXIT(NMI_WINDOW,          "nmi_window",        handle_nmi_window)
RP_EXIT(TASK_SWITCH,         "task_switch",       NULL)
RP_EXIT(CPUID,               "cpuid",             handle_cpuid)
RP_EXIT(GETSEC,              "getsec",            rampart_inject_ud)
RP_EXIT(HLT,                 "hlt",               NULL)
RP_EXIT(INVD,                "invd",              handle_invd)
RP_EXIT(RDTSC,               "rdtsc",             NULL)
RP_EXIT(VMCALL,              "vmcall",            handle_vmcall)
RP_EXIT(VMCLEAR,             "vmclear",           rampart_handle_vmclear)
RP_EXIT(VMLAUNCH,            "vmlaunch",          rampart_handle_vmlaunch)
RP_EXIT(VMPTRLD,             "vmptrld",           rampart_handle_vmptrld)
RP_EXIT(VMPTRST,             "vmptrst",           rampart_handle_vmptrst)
RP_EXIT(VMREAD,              "vmread",            rampart_handle_vmread)
RP_EXIT(VMRESUME,            "vmresume",          rampart_handle_vmresume)
RP_EXIT(VMWRITE,             "vmwrite",           rampart_handle_vmwrite)
RP_EXIT(VMOFF,               "vmxoff",            rampart_handle_vmxoff)
RP_EXIT(VMON,                "vmxon",             rampart_handle_vmxon)
RP_EXIT(CR_ACCESS,           "cr_access",         rampart_handle_cr)
RP_EXIT(IO_INSTRUCTION,      "io",                rampart_handle_io)
RP_EXIT(MSR_READ,            "rdmsr",             rampart_handle_rdmsr)
RP_EXIT(MSR_WRITE,           "wrmsr",             rampart_handle_wrmsr)
RP_EXIT(GDTR_IDTR,           "gdtr_idtr",         rampart_handle_desc)
RP_EXIT(LDTR_TR,             "ldtr_tr",           rampart_handle_desc)
RP_EXIT(EPT_VIOLATION,       "ept_violation",     rampart_handle_ept_violation)
RP_EXIT(EPT_MISCONFIG,       "ept_misconfig",     fatal)
RP_EXIT(INVEPT,              "invept",            rampart_handle_invept)
RP_EXIT(PREEMPTION_TIMER,    "preemption_timer",  rampart_step_timer)
RP_EXIT(INVVPID,             "invvpid",           rampart_handle_invvpid)
RP_EXIT(XSETBV,              "xsetbv",            handle_xsetbv)
RP_EXIT(VMFUNC,              "vmfunc",            rampart_inject_ud)
#undef RP_EXIT
