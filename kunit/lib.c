// SPDX-License-Identifier: GPL-2.0-only
/*
 * The test module links its own copy of Rampart's pure code, so the suites
 * run on machines where rampart.ko itself refuses to load (no VMX).
 */
#include "../vmx/caps.c"
#include "../ept/mtrr.c"
#include "../vmx/root/vmcs_fields.c"
#include "../vmx/root/check.c"
#include "../vmx/root/insn_width.c"
#include "../core/madt.c"
