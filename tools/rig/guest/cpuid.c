// SPDX-License-Identifier: GPL-2.0-only
/* cpuid LEAF [SUBLEAF]: print "eax ebx ecx edx" in hex, straight from CPUID. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned int a, b, c, d;

	if (argc < 2)
		return 2;
	a = strtoul(argv[1], NULL, 0);
	c = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	printf("%08x %08x %08x %08x\n", a, b, c, d);
	return 0;
}
