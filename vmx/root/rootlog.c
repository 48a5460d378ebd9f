// SPDX-License-Identifier: GPL-2.0-only
/* Root-mode serial output, see rootlog.h. */
#include "root.h"
#include "rootlog.h"

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20	/* transmit holding register empty */

static inline __rampart_root u8 port_in(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline __rampart_root void port_out(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static __rampart_root void putc_raw(char c)
{
	int spin = 100000;

	while (!(port_in(COM1_LSR) & LSR_THRE) && --spin)
		asm volatile("pause");
	port_out(COM1, c);
}

/**
 * rampart_rootlog() - write a string to COM1, turning \n into \r\n.
 * @s: NUL-terminated text.
 */
__rampart_root void rampart_rootlog(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_raw('\r');
		putc_raw(*s);
	}
}

/**
 * rampart_rootlog_hex() - write " label=0x<16 hex digits>".
 * @label: the name.
 * @v: the value.
 */
__rampart_root void rampart_rootlog_hex(const char *label, u64 v)
{
	int i;

	putc_raw(' ');
	rampart_rootlog(label);
	rampart_rootlog("=0x");
	for (i = 60; i >= 0; i -= 4)
		putc_raw("0123456789abcdef"[(v >> i) & 0xf]);
}
