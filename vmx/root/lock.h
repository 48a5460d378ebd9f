/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Root's two locks, both in struct rampart_root. Root side; inline, so no
 * root object depends on another for them.
 *
 * The policy lock is held only while reading or flipping the slot in
 * force: a few hundred cycles, never across a VM entry. NMIs in root only
 * set a flag, so it cannot deadlock against itself.
 *
 * The editor flag makes one CPU at a time the editor of the shared EPT and
 * the spare policy slot (loads, module runs, calibration); another CPU
 * that wants to edit is answered -EBUSY.
 */
#ifndef RAMPART_VMX_ROOT_LOCK_H
#define RAMPART_VMX_ROOT_LOCK_H

#include <linux/compiler.h>
#include <linux/types.h>

#include "rootstate.h"

static __always_inline void rampart_root_lock(struct rampart_root *rs)
{
	while (__atomic_exchange_n(&rs->lock, 1, __ATOMIC_ACQUIRE))
		asm volatile("pause");
}

static __always_inline void rampart_root_unlock(struct rampart_root *rs)
{
	__atomic_store_n(&rs->lock, 0, __ATOMIC_RELEASE);
}

/* Return: false if another CPU is editing. */
static __always_inline bool rampart_root_edit_begin(struct rampart_root *rs)
{
	return !__atomic_exchange_n(&rs->loading, 1, __ATOMIC_ACQUIRE);
}

static __always_inline void rampart_root_edit_end(struct rampart_root *rs)
{
	__atomic_store_n(&rs->loading, 0, __ATOMIC_RELEASE);
}

#endif /* RAMPART_VMX_ROOT_LOCK_H */
