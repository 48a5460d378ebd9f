// SPDX-License-Identifier: GPL-2.0-only
/*
 * How many bytes an instruction stores, for write-watch. The EPT violation
 * gives the address a write hit, not its width; root reads up to 15 bytes
 * at the guest RIP and decodes them here. 64-bit mode only (CS.L = 1),
 * the instruction format of SDM Vol. 2A chapter 2: legacy prefixes
 * (2.1.1), REX (2.2.1), the 0F, 0F 38 escapes, ModR/M, SIB, displacement
 * and immediate (2.1.2-2.1.5, 2.2.1.3-2.2.1.6) and VEX (2.3.5).
 *
 * The store forms are rows of one table, iw_forms[], each an SDM opcode
 * line (Vol. 2A-2D, chapters 3-5). Anything else is unknown, never a
 * guess: an instruction no row names, a register destination, a prefix
 * the form does not take (LOCK on a plain MOV, 66 on CMPXCHG8B, a
 * mandatory-prefix clash), or bytes that end before the instruction does.
 * The decoder reads no byte at or past @len, nor past 15.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/types.h>

#include "insn_width.h"

/*
 * Built into rampart.ko it runs in root, its code and tables in the root
 * sections; the KUnit module links its own plain copy (kunit/lib.c).
 */
#ifdef RAMPART_ROOT
#include "root.h"
#define IW_CODE		__rampart_root
#define IW_RO		__rampart_root_ro
#else
#define IW_CODE
#define IW_RO
#endif

/* Legacy prefixes (SDM Vol. 2A 2.1.1) as bits of struct iw_dec.pfx. */
#define IW_P66		BIT(0)	/* operand size; or a mandatory prefix */
#define IW_PF3		BIT(1)	/* REP; or a mandatory prefix */
#define IW_PF2		BIT(2)	/* REPNE; or a mandatory prefix */
#define IW_PLOCK	BIT(3)
#define IW_P67		BIT(4)	/* address size: 32-bit moffs */
#define IW_PSEG		BIT(5)	/* CS, SS, DS, ES, FS, GS override */
#define IW_PREX		0x80	/* not a bit: REX, 40-4F (2.2.1) */

static const u8 iw_prefix[256] IW_RO = {
	[0x26] = IW_PSEG, [0x2e] = IW_PSEG, [0x36] = IW_PSEG, [0x3e] = IW_PSEG,
	[0x40 ... 0x4f] = IW_PREX,
	[0x64] = IW_PSEG, [0x65] = IW_PSEG,
	[0x66] = IW_P66, [0x67] = IW_P67,
	[0xf0] = IW_PLOCK, [0xf2] = IW_PF2, [0xf3] = IW_PF3,
};

/*
 * The SIMD prefix class, which selects among the SSE forms of one opcode
 * (SDM Vol. 2A 2.1.2, "mandatory prefix"; VEX.pp, 2.3.5.6). Both F2 and
 * F3, or 66 with either, is a clash no row takes but the integer ones.
 */
#define IW_NP		BIT(0)	/* none of 66, F2, F3 */
#define IW_S66		BIT(1)
#define IW_SF3		BIT(2)
#define IW_SF2		BIT(3)
#define IW_SMIX		BIT(4)
#define IW_NP66		(IW_NP | IW_S66)
#define IW_ANY		(IW_NP | IW_S66 | IW_SF3 | IW_SF2 | IW_SMIX)

static const u8 iw_simd_legacy[8] IW_RO = {
	[0] = IW_NP, [IW_P66] = IW_S66, [IW_PF3] = IW_SF3, [IW_PF2] = IW_SF2,
	[IW_P66 | IW_PF3] = IW_SMIX, [IW_P66 | IW_PF2] = IW_SMIX,
	[IW_PF3 | IW_PF2] = IW_SMIX, [IW_P66 | IW_PF3 | IW_PF2] = IW_SMIX,
};

static const u8 iw_simd_vex[4] IW_RO = { IW_NP, IW_S66, IW_SF3, IW_SF2 };

/* Opcode maps: the escape bytes, as VEX.mmmmm numbers them (2.3.5.4). */
#define IW_MAP_1	0	/* one-byte opcodes */
#define IW_MAP_0F	1
#define IW_MAP_0F38	2
#define IW_MAP_VEX	0x80	/* VEX-encoded, with the map in the low bits */

/*
 * Widths: up to 32 a fixed number of bytes; from IW_V on, a row of
 * iw_var[], chosen by the operand-size prefixes (SDM Vol. 1 3.6.1,
 * Table 3-4; Vol. 2A 2.2.1.7 for the default 64-bit stack operations).
 */
enum iw_kind {
	IW_V = 64,	/* operand size: 4; 2 with 66; 8 with REX.W */
	IW_D64,		/* PUSH, POP: 8; 2 with 66 */
	IW_CALL,	/* near CALL: 8; unknown with 66 (vendors differ) */
	IW_DQ,		/* MOVD/MOVQ, MOVNTI: 4; 8 with REX.W or VEX.W */
	IW_CX,		/* CMPXCHG8B: 8; CMPXCHG16B (REX.W): 16 */
	IW_VL,		/* VEX vector: 16; 32 with VEX.L */
};

/* Columns: no size prefix, 66 without REX.W, REX.W or VEX.W, VEX.L. */
static const u8 iw_var[][4] IW_RO = {
	[IW_V - IW_V] = { 4, 2, 8, 0 },
	[IW_D64 - IW_V] = { 8, 2, 8, 0 },
	[IW_CALL - IW_V] = { 8, 0, 8, 0 },
	[IW_DQ - IW_V] = { 4, 4, 8, 0 },
	[IW_CX - IW_V] = { 8, 8, 16, 0 },
	[IW_VL - IW_V] = { 16, 16, 16, 32 },
};

/* Immediates and direct offsets after the ModR/M operand (2.2.1.4-5). */
enum iw_imm {
	IW_I0,		/* none */
	IW_IB,		/* ib */
	IW_I4,		/* cd: CALL rel32 */
	IW_IZ,		/* iw with 66 and no REX.W, else id */
	IW_MOFFS,	/* 8 bytes; 4 with 67 */
};

/* Row flags. */
#define IW_LOCK		BIT(0)	/* takes LOCK (SDM Vol. 2A, LOCK) */
#define IW_REG		BIT(1)	/* ModR/M may name a register: a stack store */
#define IW_L0		BIT(2)	/* VEX.128 only: VEX.L = 1 is #UD */
#define IW_FLAGS	BIT(3)	/* stores an image of RFLAGS */

/* ModR/M.reg values a row covers (/digit): bit n for /n. */
#define IW_RALL		0xff

/**
 * struct iw_form - one store form, an SDM opcode line.
 * @map: IW_MAP_*, with IW_MAP_VEX for a VEX encoding.
 * @lo: the first opcode byte of the row.
 * @hi: the last (SETcc is one row).
 * @simd: the SIMD prefix classes (IW_NP, IW_S66, ...) the form takes.
 * @regs: the ModR/M.reg values it takes; 0: no ModR/M byte.
 * @width: bytes stored, or an enum iw_kind.
 * @imm: enum iw_imm.
 * @flags: IW_LOCK, IW_REG, IW_L0, IW_FLAGS.
 */
struct iw_form {
	u8 map, lo, hi, simd, regs, width, imm, flags;
};

#define IW_1(lo, hi, regs, width, imm, flags) \
	{ IW_MAP_1, lo, hi, IW_ANY, regs, width, imm, flags }
#define IW_0F(op, simd, regs, width, imm, flags) \
	{ IW_MAP_0F, op, op, simd, regs, width, imm, flags }
#define IW_VEX(op, simd, width, flags) \
	{ IW_MAP_VEX | IW_MAP_0F, op, op, simd, IW_RALL, width, IW_I0, flags }

/*
 * One-byte opcodes take any F2/F3 (REP, HLE hints) and 66 sizes them;
 * two-byte integer opcodes take no F2/F3, which select other instructions
 * there (POPCNT, TZCNT, CRC32). The VEX rows have no VEX.vvvv operand.
 */
static const struct iw_form iw_forms[] IW_RO = {
	IW_1(0x00, 0x00, IW_RALL, 1, IW_I0, IW_LOCK),		/* ADD r/m8, r8 */
	IW_1(0x01, 0x01, IW_RALL, IW_V, IW_I0, IW_LOCK),	/* ADD r/m, r */
	IW_1(0x08, 0x08, IW_RALL, 1, IW_I0, IW_LOCK),		/* OR */
	IW_1(0x09, 0x09, IW_RALL, IW_V, IW_I0, IW_LOCK),
	IW_1(0x10, 0x10, IW_RALL, 1, IW_I0, IW_LOCK),		/* ADC */
	IW_1(0x11, 0x11, IW_RALL, IW_V, IW_I0, IW_LOCK),
	IW_1(0x18, 0x18, IW_RALL, 1, IW_I0, IW_LOCK),		/* SBB */
	IW_1(0x19, 0x19, IW_RALL, IW_V, IW_I0, IW_LOCK),
	IW_1(0x20, 0x20, IW_RALL, 1, IW_I0, IW_LOCK),		/* AND */
	IW_1(0x21, 0x21, IW_RALL, IW_V, IW_I0, IW_LOCK),
	IW_1(0x28, 0x28, IW_RALL, 1, IW_I0, IW_LOCK),		/* SUB */
	IW_1(0x29, 0x29, IW_RALL, IW_V, IW_I0, IW_LOCK),
	IW_1(0x30, 0x30, IW_RALL, 1, IW_I0, IW_LOCK),		/* XOR */
	IW_1(0x31, 0x31, IW_RALL, IW_V, IW_I0, IW_LOCK),
	IW_1(0x50, 0x57, 0, IW_D64, IW_I0, 0),			/* PUSH r64 */
	IW_1(0x68, 0x68, 0, IW_D64, IW_IZ, 0),			/* PUSH imm */
	IW_1(0x6a, 0x6a, 0, IW_D64, IW_IB, 0),			/* PUSH imm8 */
	IW_1(0x80, 0x80, 0x7f, 1, IW_IB, IW_LOCK),	/* ADD..SUB,XOR r/m8, ib; not /7 CMP */
	IW_1(0x81, 0x81, 0x7f, IW_V, IW_IZ, IW_LOCK),		/* ... r/m, iz */
	IW_1(0x83, 0x83, 0x7f, IW_V, IW_IB, IW_LOCK),		/* ... r/m, ib */
	IW_1(0x86, 0x86, IW_RALL, 1, IW_I0, IW_LOCK),		/* XCHG r/m8, r8 */
	IW_1(0x87, 0x87, IW_RALL, IW_V, IW_I0, IW_LOCK),	/* XCHG r/m, r */
	IW_1(0x88, 0x88, IW_RALL, 1, IW_I0, 0),			/* MOV r/m8, r8 */
	IW_1(0x89, 0x89, IW_RALL, IW_V, IW_I0, 0),		/* MOV r/m, r */
	IW_1(0x8c, 0x8c, 0x3f, 2, IW_I0, 0),			/* MOV m16, Sreg */
	IW_1(0x8f, 0x8f, 0x01, IW_D64, IW_I0, 0),		/* POP r/m */
	IW_1(0x9c, 0x9c, 0, IW_D64, IW_I0, IW_FLAGS),		/* PUSHF */
	IW_1(0xa2, 0xa2, 0, 1, IW_MOFFS, 0),			/* MOV moffs8, AL */
	IW_1(0xa3, 0xa3, 0, IW_V, IW_MOFFS, 0),			/* MOV moffs, rAX */
	IW_1(0xa4, 0xa4, 0, 1, IW_I0, 0),			/* MOVSB */
	IW_1(0xa5, 0xa5, 0, IW_V, IW_I0, 0),			/* MOVSW/D/Q */
	IW_1(0xaa, 0xaa, 0, 1, IW_I0, 0),			/* STOSB */
	IW_1(0xab, 0xab, 0, IW_V, IW_I0, 0),			/* STOSW/D/Q */
	/* Shifts and rotates, /0-5 and /7: /6 is undocumented (Vol. 2B SAL). */
	IW_1(0xc0, 0xc0, 0xbf, 1, IW_IB, 0),			/* r/m8, ib */
	IW_1(0xc1, 0xc1, 0xbf, IW_V, IW_IB, 0),			/* r/m, ib */
	IW_1(0xc6, 0xc6, 0x01, 1, IW_IB, 0),			/* MOV r/m8, ib */
	IW_1(0xc7, 0xc7, 0x01, IW_V, IW_IZ, 0),			/* MOV r/m, iz */
	IW_1(0xd0, 0xd0, 0xbf, 1, IW_I0, 0),			/* r/m8, 1 */
	IW_1(0xd1, 0xd1, 0xbf, IW_V, IW_I0, 0),			/* r/m, 1 */
	IW_1(0xd2, 0xd2, 0xbf, 1, IW_I0, 0),			/* r/m8, CL */
	IW_1(0xd3, 0xd3, 0xbf, IW_V, IW_I0, 0),			/* r/m, CL */
	IW_1(0xe8, 0xe8, 0, IW_CALL, IW_I4, 0),			/* CALL rel32 */
	IW_1(0xf6, 0xf6, 0x0c, 1, IW_I0, IW_LOCK),		/* NOT, NEG r/m8 */
	IW_1(0xf7, 0xf7, 0x0c, IW_V, IW_I0, IW_LOCK),		/* NOT, NEG r/m */
	IW_1(0xfe, 0xfe, 0x03, 1, IW_I0, IW_LOCK),		/* INC, DEC r/m8 */
	IW_1(0xff, 0xff, 0x03, IW_V, IW_I0, IW_LOCK),		/* INC, DEC r/m */
	IW_1(0xff, 0xff, 0x04, IW_CALL, IW_I0, IW_REG),		/* CALL r/m64 */
	IW_1(0xff, 0xff, 0x40, IW_D64, IW_I0, IW_REG),		/* PUSH r/m */

	IW_0F(0x11, IW_NP66, IW_RALL, 16, IW_I0, 0),		/* MOVUPS, MOVUPD */
	IW_0F(0x11, IW_SF3, IW_RALL, 4, IW_I0, 0),		/* MOVSS m32 */
	IW_0F(0x11, IW_SF2, IW_RALL, 8, IW_I0, 0),		/* MOVSD m64 */
	IW_0F(0x13, IW_NP66, IW_RALL, 8, IW_I0, 0),		/* MOVLPS, MOVLPD */
	IW_0F(0x17, IW_NP66, IW_RALL, 8, IW_I0, 0),		/* MOVHPS, MOVHPD */
	IW_0F(0x29, IW_NP66, IW_RALL, 16, IW_I0, 0),		/* MOVAPS, MOVAPD */
	IW_0F(0x2b, IW_NP66, IW_RALL, 16, IW_I0, 0),		/* MOVNTPS, MOVNTPD */
	IW_0F(0x7e, IW_NP66, IW_RALL, IW_DQ, IW_I0, 0),		/* MOVD/MOVQ r/m, mm/xmm */
	IW_0F(0x7f, IW_NP, IW_RALL, 8, IW_I0, 0),		/* MOVQ mm/m64, mm */
	IW_0F(0x7f, IW_S66 | IW_SF3, IW_RALL, 16, IW_I0, 0),	/* MOVDQA, MOVDQU */
	{ IW_MAP_0F, 0x90, 0x9f, IW_NP66, IW_RALL, 1, IW_I0, 0 },	/* SETcc r/m8 */
	IW_0F(0xab, IW_NP66, IW_RALL, IW_V, IW_I0, IW_LOCK),	/* BTS r/m, r */
	IW_0F(0xb0, IW_NP66, IW_RALL, 1, IW_I0, IW_LOCK),	/* CMPXCHG r/m8, r8 */
	IW_0F(0xb1, IW_NP66, IW_RALL, IW_V, IW_I0, IW_LOCK),	/* CMPXCHG r/m, r */
	IW_0F(0xb3, IW_NP66, IW_RALL, IW_V, IW_I0, IW_LOCK),	/* BTR r/m, r */
	IW_0F(0xba, IW_NP66, 0xe0, IW_V, IW_IB, IW_LOCK),	/* BTS, BTR, BTC r/m, ib */
	IW_0F(0xbb, IW_NP66, IW_RALL, IW_V, IW_I0, IW_LOCK),	/* BTC r/m, r */
	IW_0F(0xc0, IW_NP66, IW_RALL, 1, IW_I0, IW_LOCK),	/* XADD r/m8, r8 */
	IW_0F(0xc1, IW_NP66, IW_RALL, IW_V, IW_I0, IW_LOCK),	/* XADD r/m, r */
	IW_0F(0xc3, IW_NP, IW_RALL, IW_DQ, IW_I0, 0),		/* MOVNTI */
	IW_0F(0xc7, IW_NP, 0x02, IW_CX, IW_I0, IW_LOCK),	/* CMPXCHG8B/16B */
	IW_0F(0xd6, IW_S66, IW_RALL, 8, IW_I0, 0),		/* MOVQ xmm/m64, xmm */
	IW_0F(0xe7, IW_NP, IW_RALL, 8, IW_I0, 0),		/* MOVNTQ */
	IW_0F(0xe7, IW_S66, IW_RALL, 16, IW_I0, 0),		/* MOVNTDQ */
	{ IW_MAP_0F38, 0xf1, 0xf1, IW_NP66, IW_RALL, IW_V, IW_I0, 0 },	/* MOVBE m, r */

	IW_VEX(0x11, IW_NP66, IW_VL, 0),			/* VMOVUPS, VMOVUPD */
	IW_VEX(0x11, IW_SF3, 4, 0),				/* VMOVSS m32 */
	IW_VEX(0x11, IW_SF2, 8, 0),				/* VMOVSD m64 */
	IW_VEX(0x13, IW_NP66, 8, IW_L0),			/* VMOVLPS, VMOVLPD */
	IW_VEX(0x17, IW_NP66, 8, IW_L0),			/* VMOVHPS, VMOVHPD */
	IW_VEX(0x29, IW_NP66, IW_VL, 0),			/* VMOVAPS, VMOVAPD */
	IW_VEX(0x2b, IW_NP66, IW_VL, 0),			/* VMOVNTPS, VMOVNTPD */
	IW_VEX(0x7e, IW_S66, IW_DQ, IW_L0),			/* VMOVD, VMOVQ r/m */
	IW_VEX(0x7f, IW_S66 | IW_SF3, IW_VL, 0),		/* VMOVDQA, VMOVDQU */
	IW_VEX(0xd6, IW_S66, 8, IW_L0),				/* VMOVQ m64 */
	IW_VEX(0xe7, IW_S66, IW_VL, 0),				/* VMOVNTDQ */
};

/**
 * struct iw_dec - the instruction as decoded so far.
 * @b: its bytes.
 * @n: how many may be read: the caller's length, at most 15.
 * @i: the next byte to read.
 * @pfx: legacy prefixes, IW_P* bits.
 * @rex: the REX prefix in force (the last, right before the opcode), or 0.
 * @rex_seen: a REX prefix came anywhere (VEX after it is #UD).
 * @w: REX.W or VEX.W.
 * @l: VEX.L.
 * @map: IW_MAP_*, with IW_MAP_VEX.
 * @op: the opcode byte.
 * @simd: the SIMD prefix class, IW_NP, IW_S66, ...
 * @modrm: the ModR/M byte, once @has_modrm.
 * @has_modrm: @modrm was read.
 */
struct iw_dec {
	const u8 *b;
	u32 n, i;
	u8 pfx, rex;
	bool rex_seen, w, l;
	u8 map, op, simd, modrm;
	bool has_modrm;
};

/*
 * The byte at @at, if there is one. Past the caller's bytes: -ENODATA;
 * past 15 bytes: -EOPNOTSUPP, no instruction is that long (#GP).
 */
static IW_CODE int iw_byte(const struct iw_dec *d, u32 at, u8 *v)
{
	if (at >= d->n)
		return d->n == RAMPART_INSN_MAX ? -EOPNOTSUPP : -ENODATA;
	*v = d->b[at];
	return 0;
}

static IW_CODE int iw_next(struct iw_dec *d, u8 *v)
{
	int ret = iw_byte(d, d->i, v);

	if (!ret)
		d->i++;
	return ret;
}

/*
 * A VEX prefix, C4 (three bytes) or C5 (two), SDM Vol. 2A 2.3.5. C5's
 * second byte and C4's third share bits 6:0: ~vvvv, L, pp.
 */
static IW_CODE int iw_vex(struct iw_dec *d, u8 c)
{
	u8 map = IW_MAP_0F, p;
	int ret;

	/* 2.3.2-2.3.4: LOCK, 66, F2, F3 or REX before VEX is #UD. */
	if ((d->pfx & (IW_PLOCK | IW_P66 | IW_PF2 | IW_PF3)) || d->rex_seen)
		return -EOPNOTSUPP;
	ret = iw_next(d, &p);
	if (!ret && c == 0xc4) {
		map = p & 0x1f;		/* mmmmm */
		ret = iw_next(d, &p);
		d->w = p & 0x80;
	}
	if (ret)
		return ret;
	/* No store form here takes a VEX.vvvv operand: 1111b or #UD. */
	if (((p >> 3) & 0xf) != 0xf)
		return -EOPNOTSUPP;
	d->l = p & 0x04;
	d->simd = iw_simd_vex[p & 3];
	d->map = IW_MAP_VEX | map;
	return iw_next(d, &d->op);
}

/* Prefixes, then the opcode: @d's map, op, simd, w and l. */
static IW_CODE int iw_opcode(struct iw_dec *d)
{
	u8 c, k;
	int ret;

	/*
	 * Legacy prefixes in any order; a REX counts only right before the
	 * opcode, a legacy prefix after it voids it (2.2.1).
	 */
	for (;;) {
		ret = iw_next(d, &c);
		if (ret)
			return ret;
		k = iw_prefix[c];
		if (!k)
			break;
		if (k == IW_PREX) {
			d->rex = c;
			d->rex_seen = true;
		} else {
			d->pfx |= k;
			d->rex = 0;
		}
	}
	/* 64-bit mode: C4 and C5 are always VEX (2.3.5, no LES/LDS). */
	if (c == 0xc4 || c == 0xc5)
		return iw_vex(d, c);
	d->w = d->rex & 0x08;
	d->simd = iw_simd_legacy[d->pfx & (IW_P66 | IW_PF3 | IW_PF2)];
	d->map = IW_MAP_1;
	d->op = c;
	if (c != 0x0f)
		return 0;
	d->map = IW_MAP_0F;
	ret = iw_next(d, &d->op);
	if (ret || d->op != 0x38)
		return ret;
	d->map = IW_MAP_0F38;
	return iw_next(d, &d->op);
}

/* The row of @d's instruction: -EOPNOTSUPP if none, -ENODATA if cut short. */
static IW_CODE int iw_find(struct iw_dec *d, const struct iw_form **form)
{
	const struct iw_form *f;
	int ret;

	for (f = iw_forms; f < iw_forms + ARRAY_SIZE(iw_forms); f++) {
		if (f->map != d->map || d->op < f->lo || d->op > f->hi ||
		    !(f->simd & d->simd))
			continue;
		if (f->regs && !d->has_modrm) {
			ret = iw_byte(d, d->i, &d->modrm);
			if (ret)
				return ret;
			d->has_modrm = true;
		}
		if (f->regs && !(f->regs & BIT((d->modrm >> 3) & 7)))
			continue;
		*form = f;
		return 0;
	}
	return -EOPNOTSUPP;
}

/*
 * The length of @d's instruction as row @f reads it: ModR/M, SIB and
 * displacement (2.1.5, Tables 2-2 and 2-3; RIP-relative 2.2.1.6: the
 * same layout with 67), then the immediate. Return: the length, or
 * -EOPNOTSUPP for a register operand the form does not take, -ENODATA
 * if the bytes end first.
 */
static IW_CODE int iw_length(struct iw_dec *d, const struct iw_form *f)
{
	static const u8 imm[] IW_RO = {
		[IW_I0] = 0, [IW_IB] = 1, [IW_I4] = 4, [IW_IZ] = 4, [IW_MOFFS] = 8,
	};
	u32 mod, rm, len = d->i;
	u8 sib;
	int ret;

	if (f->regs) {
		mod = d->modrm >> 6;
		rm = d->modrm & 7;
		len++;
		if (mod == 3 && !(f->flags & IW_REG))
			return -EOPNOTSUPP;
		if (mod != 3 && rm == 4) {
			ret = iw_byte(d, len++, &sib);
			if (ret)
				return ret;
			/* Base 101b under mod 00: disp32, no base. */
			if (mod == 0 && (sib & 7) == 5)
				len += 4;
		}
		if (mod == 0 && rm == 5)
			len += 4;
		len += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	}
	len += imm[f->imm];
	if (f->imm == IW_IZ && (d->pfx & IW_P66) && !d->w)
		len -= 2;
	if (f->imm == IW_MOFFS && (d->pfx & IW_P67))
		len -= 4;
	if (len > d->n)
		return d->n == RAMPART_INSN_MAX ? -EOPNOTSUPP : -ENODATA;
	return len;
}

/* Bytes row @f stores for @d, or 0 where the prefixes leave it unknown. */
static IW_CODE u32 iw_width(const struct iw_dec *d, const struct iw_form *f)
{
	u32 col;

	if (f->width < IW_V)
		return f->width;
	col = d->l ? 3 : d->w ? 2 : (d->pfx & IW_P66) ? 1 : 0;
	return iw_var[f->width - IW_V][col];
}

/**
 * rampart_insn_store() - how many bytes an instruction stores, and whether
 * they are an image of RFLAGS.
 * @insn: the instruction's bytes, from its first prefix on.
 * @len: how many bytes @insn holds; none at or past @len is read, nor past
 *	15 (SDM Vol. 2A 2.3.11: no instruction is longer).
 * @st: set to what one execution of the instruction stores: the width in
 *	bytes (0 for unknown), and for PUSHF that the bytes are RFLAGS
 *	(SDM Vol. 2B, PUSHF: RF and VM cleared in the image).
 *
 * The CPU runs in 64-bit mode (CS.L = 1): the caller checks. The width is
 * that of the explicit memory operand or, for PUSH and CALL, of the stack
 * slot; for MOVS and STOS, with or without REP, one element. BTS, BTR and
 * BTC store an operand-sized word, but a register bit offset can move it
 * off the ModR/M address (SDM Vol. 2A, BT: "bit string"). The covered forms
 * are the rows of iw_forms[]; anything else is unknown.
 *
 * Context: root or kernel; pure.
 * Return: the instruction's length (1 to 15) with @st->width > 0;
 * -ENODATA if @len ends before the instruction does; -EOPNOTSUPP if it is
 * no store form this decoder knows, names a register destination, or is
 * longer than 15 bytes. On error @st is all zero.
 */
IW_CODE int rampart_insn_store(const u8 *insn, u32 len,
			       struct rampart_insn_store *st)
{
	struct iw_dec d = {
		.b = insn,
		.n = min(len, RAMPART_INSN_MAX),
	};
	const struct iw_form *f;
	int ret;
	u32 w;

	st->width = 0;
	st->rflags = false;
	ret = iw_opcode(&d);
	if (!ret)
		ret = iw_find(&d, &f);
	if (ret)
		return ret;
	/* LOCK on a form that takes none, VEX.256 on a VEX.128 form: #UD. */
	if (((d.pfx & IW_PLOCK) && !(f->flags & IW_LOCK)) ||
	    (d.l && (f->flags & IW_L0)))
		return -EOPNOTSUPP;
	ret = iw_length(&d, f);
	if (ret < 0)
		return ret;
	w = iw_width(&d, f);
	if (!w)
		return -EOPNOTSUPP;
	st->width = w;
	st->rflags = !!(f->flags & IW_FLAGS);
	return ret;
}
