// SPDX-License-Identifier: GPL-2.0-only
/*
 * sxdt [sgdt|sidt|sldt|str]: run SGDT, SIDT, SLDT and STR in user mode (or
 * just the one named) and print what they stored: "gdt BASE LIMIT idt
 * BASE LIMIT ldt SEL tr SEL". Legal at CPL 3 without UMIP; under
 * range.idt root refuses them with #GP, as UMIP would (vmx/root/desc.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : "";
	struct dtr gdt = { 0 }, idt = { 0 };
	uint16_t ldt = 0, tr = 0;

	if (!*only || !strcmp(only, "sgdt"))
		asm volatile("sgdt %0" : "=m"(gdt));
	if (!*only || !strcmp(only, "sidt"))
		asm volatile("sidt %0" : "=m"(idt));
	if (!*only || !strcmp(only, "sldt"))
		asm volatile("sldt %0" : "=m"(ldt));
	if (!*only || !strcmp(only, "str"))
		asm volatile("str %0" : "=m"(tr));
	printf("gdt %#llx %#x idt %#llx %#x ldt %#x tr %#x\n",
	       (unsigned long long)gdt.base, gdt.limit,
	       (unsigned long long)idt.base, idt.limit, ldt, tr);
	return 0;
}
