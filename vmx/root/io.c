// SPDX-License-Identifier: GPL-2.0-only
/*
 * Port I/O exits (root side). The I/O bitmaps (SDM 25.6.4) hold exactly
 * the FADT's PM1a/PM1b control ports, nothing a hot path touches: a write
 * there with SLP_EN set and a sleep type other than S5's would put the
 * machine into S1-S4, and every CPU would wake up without VMX (ACPI 6.4,
 * 4.8.3.2.1 and 7.4.2). Linux's own suspend devirtualizes first
 * (core/power.c, refused while sealed), so any such write that reaches
 * root is refused and recorded; power-off (S5) and every other access are
 * performed by root as the guest asked.
 */
#include <linux/bits.h>
#include <linux/types.h>
#include <asm/vmx.h>

#include "event.h"
#include "guest.h"
#include "inject.h"
#include "io.h"
#include "ops.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"

/* The exit qualification of I/O instructions, SDM Table 28-5. */
#define IO_SIZE_MASK	GENMASK(2, 0)	/* size - 1 */
#define IO_IN		BIT(3)
#define IO_STRING	BIT(4)
#define IO_PORT_SHIFT	16

/* PM1 control register bits, in its high byte (ACPI 6.4, Table 4.13). */
#define PM1_HI_SLP_EN	BIT(13 - 8)
#define PM1_HI_SLP_TYP	GENMASK(12 - 8, 10 - 8)

static __rampart_root u32 port_in(u16 port, unsigned int size)
{
	u32 v = 0;

	if (size == 1)
		asm volatile("inb %w1, %b0" : "+a"(v) : "Nd"(port));
	else if (size == 2)
		asm volatile("inw %w1, %w0" : "+a"(v) : "Nd"(port));
	else
		asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __rampart_root void port_out(u16 port, unsigned int size, u32 v)
{
	if (size == 1)
		asm volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
	else if (size == 2)
		asm volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
	else
		asm volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

/*
 * Does writing @v (@size bytes at @port) request S1-S4? Only the high
 * byte of a PM1 control register holds SLP_EN and SLP_TYP; any access
 * width or offset that covers it counts.
 */
static __rampart_root bool sleep_request(const struct rampart_root *rs,
					 u16 port, unsigned int size, u32 v)
{
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(rs->pm1_cnt); i++) {
		u16 hi_port = rs->pm1_cnt[i] + 1;

		if (!rs->pm1_cnt[i])
			continue;
		for (k = 0; k < size; k++) {
			u8 hi = v >> (8 * k);

			if ((u16)(port + k) != hi_port || !(hi & PM1_HI_SLP_EN))
				continue;
			if (((hi & PM1_HI_SLP_TYP) >> 2) != rs->pm1_s5_typ[i])
				return true;
		}
	}
	return false;
}

/**
 * rampart_handle_io() - IN or OUT to a port root guards.
 * @x: the exit.
 *
 * String and REP forms are refused with #GP: nothing uses them on these
 * ports, and emulating them would mean reading guest memory.
 *
 * Return: EXIT_RESUME.
 */
__rampart_root int rampart_handle_io(struct exit_ctx *x)
{
	unsigned int size = (x->qual & IO_SIZE_MASK) + 1;
	u16 port = x->qual >> IO_PORT_SHIFT;
	struct rampart_regs *r = x->r;
	u64 mask = size == 4 ? 0xffffffffULL : BIT_ULL(8 * size) - 1;

	if ((x->qual & IO_STRING) || (size != 1 && size != 2 && size != 4))
		return rampart_inject_gp(x);
	if (x->qual & IO_IN) {
		u64 v = port_in(port, size);

		/* A 32-bit IN zero-extends into RAX; narrower ones merge. */
		r->rax = size == 4 ? v : (r->rax & ~mask) | v;
		return rampart_skip_insn(x);
	}
	if (sleep_request(x->v->root, port, size, r->rax & mask)) {
		rampart_root_event_cpu(x->v, RAMPART_CPU_EV_SLEEP,
				       RAMPART_ACT_DENY, port, r->rax & mask);
		return rampart_skip_insn(x);
	}
	port_out(port, size, r->rax & mask);
	return rampart_skip_insn(x);
}

/**
 * rampart_io_bitmap_guard() - make I/O to @port exit.
 * @bm: the I/O bitmaps A (ports 0-0x7fff) and B, before launch.
 * @port: the port; both bytes of the 16-bit register at @port exit.
 */
__rampart_root void rampart_io_bitmap_guard(u8 *bm, u16 port)
{
	unsigned int p;

	for (p = port; p < (unsigned int)port + 2 && p <= 0xffff; p++)
		bm[p / 8] |= BIT(p % 8);
}
