// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory by linear address (root side), for the instructions root
 * completes itself (vmx/root/desc.c). Root walks the guest's page tables
 * as the CPU does for a supervisor data access in 64-bit mode (SDM Vol.
 * 3A 4.5 and 4.6: present, writable under CR0.WP, SMAP), sets the accessed
 * and dirty flags the CPU would set (SDM Vol. 3A 4.8), and moves the bytes:
 * reads through its read-only direct map of RAM, writes through this CPU's
 * two-page window (vmx/hostpt.c), one guest page mapped at a time.
 *
 * Root touches only memory the EPT maps as write-back RAM that the kernel
 * may access the same way, page tables included: a page the EPT keeps
 * from the kernel, a root page or anything that is not RAM is refused
 * (-EACCES), so an emulated instruction can do nothing the kernel could
 * not do itself. Supervisor-mode pages only: an access to a user page
 * (which SMAP, AC and protection keys would decide) is refused too.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "../../ept/root/ept.h"
#include "gmem.h"
#include "inject.h"
#include "root.h"
#include "rootstate.h"
#include "vcpu.h"
#include "vmcs_access.h"

/* Paging-structure entry bits (SDM Vol. 3A Tables 4-15 to 4-20). */
#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_US		BIT_ULL(2)
#define PTE_A		BIT_ULL(5)
#define PTE_D		BIT_ULL(6)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	GENMASK_ULL(51, 12)

/* #PF error code bits (SDM Vol. 3A 4.7). */
#define PF_PROT		BIT(0)
#define PF_WRITE	BIT(1)

#define WINDOW_FLAGS	(PTE_P | PTE_RW | PTE_A | PTE_D | BIT_ULL(63))

/* Is @pa in System RAM as the kernel listed it before launch? */
static __rampart_root bool is_ram(const struct rampart_root *rs, u64 pa)
{
	u32 i, n = min_t(u32, rs->nram, RAMPART_RAM_RANGES);

	for (i = 0; i < n; i++)
		if (pa >= rs->ram[i].start && pa < rs->ram[i].end)
			return true;
	return false;
}

/*
 * The direct-map address of physical @pa if root may touch it: System RAM
 * as the kernel listed it before launch, that the EPT maps write-back,
 * readable (and writable, for @write) by the kernel, and not root's own.
 */
static __rampart_root void *ram_at(const struct rampart_root *rs, u64 pa,
				   bool write)
{
	u64 leaf;

	if (!is_ram(rs, pa))
		return NULL;
	leaf = rampart_root_ept_leaf(rs, pa);
	if (!(leaf & RAMPART_EPT_R) || (write && !(leaf & RAMPART_EPT_W)) ||
	    (leaf & RAMPART_EPT_ROOT) ||
	    (leaf & VMX_EPT_MT_MASK) != VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT)
		return NULL;
	return (void *)(rs->direct_map + pa);
}

/* Point window page @slot at @pte (0: nothing) and drop its old TLB entry. */
static __rampart_root u64 window_set(struct rampart_vcpu *v, int slot, u64 pte)
{
	u64 va = v->window_va + slot * PAGE_SIZE;

	WRITE_ONCE(v->window_pte[slot], pte);
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
	return va;
}

/* Map @pa writable in window page @slot; returns its address there. */
static __rampart_root void *window_map(struct rampart_vcpu *v, int slot, u64 pa)
{
	return (void *)(window_set(v, slot, (pa & PTE_ADDR) | WINDOW_FLAGS) +
			(pa & ~PAGE_MASK));
}

static __rampart_root void window_unmap(struct rampart_vcpu *v, int slot)
{
	window_set(v, slot, 0);
}

/*
 * Set @bits in the guest paging entry at @pa, as the CPU does: locked,
 * and only if it still holds @e, the value the walk read (SDM Vol. 3A
 * 4.8); an entry that changed meanwhile is left alone and the access
 * refused.
 */
static __rampart_root int set_flags(struct rampart_vcpu *v, u64 pa, u64 e,
				    u64 bits)
{
	u64 *p;
	bool done;

	if (!ram_at(v->root, pa, true))
		return -EACCES;
	p = window_map(v, 0, pa);
	done = __atomic_compare_exchange_n(p, &e, e | bits, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	window_unmap(v, 0);
	return done ? 0 : -EACCES;
}

static __rampart_root int page_fault(struct rampart_gfault *f, u64 gla,
				     u32 err)
{
	f->vector = X86_TRAP_PF;
	f->err = err;
	f->addr = gla;
	return -EFAULT;
}

/**
 * rampart_gmem_canonical() - whether a guest linear address is canonical
 * (SDM Vol. 3A 3.3.7.1): 48 bits, or 57 with CR4.LA57.
 * @gla: the address.
 *
 * Return: true if bits 63 down to the top implemented bit agree.
 */
__rampart_root bool rampart_gmem_canonical(u64 gla)
{
	int shift = rp_vmreadl(GUEST_CR4) & X86_CR4_LA57 ? 7 : 16;

	return (u64)((s64)(gla << shift) >> shift) == gla;
}

/**
 * rampart_gmem_translate() - walk the guest's page tables for one access.
 * @v: this CPU; the guest is in 64-bit mode at CPL 0.
 * @gla: the linear address.
 * @write: a write (sets the dirty flag too).
 * @gpa: set to the physical address.
 * @f: set to the fault the access raises, for -EFAULT.
 *
 * Return: 0, -EFAULT for a guest fault, or -EACCES where root refuses.
 */
__rampart_root int rampart_gmem_translate(struct rampart_vcpu *v, u64 gla,
					  bool write, u64 *gpa,
					  struct rampart_gfault *f)
{
	const struct rampart_root *rs = v->root;
	u64 cr4 = rp_vmreadl(GUEST_CR4);
	int level = cr4 & X86_CR4_LA57 ? 4 : 3;
	u64 table = rp_vmreadl(GUEST_CR3) & PTE_ADDR, e, pa, size;
	u64 rw = PTE_RW, us = PTE_US;
	u32 err = write ? PF_WRITE : 0;

	/* Non-canonical: #GP(0) (SDM Vol. 3A 3.3.7.1). */
	if (!rampart_gmem_canonical(gla)) {
		f->vector = X86_TRAP_GP;
		f->err = 0;
		return -EFAULT;
	}
	/* CR4.PKS: supervisor keys in IA32_PKRS, which root does not see. */
	if (cr4 & BIT_ULL(24))
		return -EACCES;
	for (;; level--) {
		u64 *ep;

		pa = table + 8 * ((gla >> (12 + 9 * level)) & 511);
		ep = ram_at(rs, pa, false);
		if (!ep)
			return -EACCES;
		e = READ_ONCE(*ep);
		if (!(e & PTE_P))
			return page_fault(f, gla, err);
		rw &= e;
		us &= e;
		if (!(e & PTE_A) && set_flags(v, pa, e, PTE_A))
			return -EACCES;
		e |= PTE_A;
		/* PS is reserved above the PDPTE (SDM Vol. 3A 4.5.4). */
		if (level > 2 && (e & PTE_PS))
			return -EACCES;
		if (!level || (e & PTE_PS))
			break;
		table = e & PTE_ADDR;
	}
	/* A user page: SMAP, RFLAGS.AC and PKRU would decide; root does not. */
	if (us)
		return -EACCES;
	if (write && !rw && (rp_vmreadl(GUEST_CR0) & X86_CR0_WP))
		return page_fault(f, gla, err | PF_PROT);
	/* The dirty flag is the leaf's (SDM Vol. 3A 4.8). */
	if (write && !(e & PTE_D) && set_flags(v, pa, e, PTE_D))
		return -EACCES;
	size = rampart_ept_level_size(level);
	*gpa = (e & PTE_ADDR & ~(size - 1)) | (gla & (size - 1));
	return 0;
}

/*
 * Move @len bytes between @buf and guest memory at @gla, a page at a
 * time: every page translated before any byte moves, as the CPU faults
 * before it stores.
 */
static __rampart_root int move(struct rampart_vcpu *v, u64 gla, void *buf,
			       u32 len, bool write, struct rampart_gfault *f)
{
	u64 gpa[2];
	u32 n[2], i, k;
	u8 *b = buf, *ram[2];
	int err;

	if (!len || len > PAGE_SIZE)
		return -EACCES;
	n[0] = min_t(u32, len, PAGE_SIZE - (gla & ~PAGE_MASK));
	n[1] = len - n[0];
	for (i = 0; i < 2 && n[i]; i++) {
		err = rampart_gmem_translate(v, gla + (i ? n[0] : 0), write,
					     &gpa[i], f);
		if (err)
			return err;
		ram[i] = ram_at(v->root, gpa[i], write);
		if (!ram[i])
			return -EACCES;
	}
	for (i = 0; i < 2 && n[i]; b += n[i], i++) {
		u8 *p = write ? window_map(v, i, gpa[i]) : ram[i];

		for (k = 0; k < n[i]; k++)
			if (write)
				WRITE_ONCE(p[k], b[k]);
			else
				b[k] = READ_ONCE(p[k]);
		if (write)
			window_unmap(v, i);
	}
	return 0;
}

/**
 * rampart_gmem_phys_writable() - whether root would write a physical page
 * for the kernel.
 * @v: this CPU.
 * @pa: an address in the page.
 *
 * Return: true for RAM the kernel may itself write (ram_at()).
 */
__rampart_root bool rampart_gmem_phys_writable(struct rampart_vcpu *v, u64 pa)
{
	return ram_at(v->root, pa, true);
}

/**
 * rampart_gmem_phys_page() - a page L1 names by its physical address, for
 * root to read in place: only where rampart_gmem_phys() would read it.
 * @v: this CPU.
 * @pa: the page's address, 4 KiB aligned.
 *
 * Return: the page in root's direct map, or NULL where root refuses.
 */
__rampart_root const void *rampart_gmem_phys_page(struct rampart_vcpu *v, u64 pa)
{
	if (pa & ~PAGE_MASK)
		return NULL;
	return ram_at(v->root, pa, false);
}

/**
 * rampart_gmem_phys() - move bytes between @buf and guest-physical memory.
 * @v: this CPU.
 * @pa: the physical address; the bytes stay within its page.
 * @buf: the bytes.
 * @len: how many.
 * @write: to guest memory, else from it.
 *
 * For the physical addresses L1 gives root in VMX instructions and in
 * vmcs12 (vmx/root/nested_insn.c): root touches only memory the kernel
 * could itself read (and write, for @write) in the same way (ram_at()).
 *
 * Return: 0, -EINVAL if the bytes cross a page, -EACCES where root refuses.
 */
__rampart_root int rampart_gmem_phys(struct rampart_vcpu *v, u64 pa, void *buf,
				     u32 len, bool write)
{
	u8 *p, *b = buf;
	u32 k;

	if (!len || len > PAGE_SIZE - (pa & ~PAGE_MASK))
		return -EINVAL;
	p = ram_at(v->root, pa, write);
	if (!p)
		return -EACCES;
	if (write)
		p = window_map(v, 0, pa);
	if (!((pa | len | (unsigned long)b) & 7)) {
		u64 *w = (u64 *)p, *bw = (u64 *)b;

		for (k = 0; k < len / 8; k++)
			if (write)
				WRITE_ONCE(w[k], bw[k]);
			else
				bw[k] = READ_ONCE(w[k]);
	} else {
		for (k = 0; k < len; k++)
			if (write)
				WRITE_ONCE(p[k], b[k]);
			else
				b[k] = READ_ONCE(p[k]);
	}
	if (write)
		window_unmap(v, 0);
	return 0;
}

/**
 * rampart_gmem_phys_stepped() - replace a byte in the page a step is
 * writing (vmx/root/step.c): a logged page, read-only to the kernel in
 * the shared EPT and writable in this CPU's alternate EPT for the step.
 * @v: this CPU, stepping.
 * @pa: the byte's physical address, on the page the step's EPT violation
 *      named.
 * @old: the value root read there.
 * @val: the value to put in its place, only if it still holds @old (a
 *       write another CPU made meanwhile stays).
 *
 * Return: 0; -EINVAL if no step runs, -EACCES where root refuses (not RAM
 * the kernel may read, or root's own), -EAGAIN if the byte changed.
 */
__rampart_root int rampart_gmem_phys_stepped(struct rampart_vcpu *v, u64 pa,
					     u8 old, u8 val)
{
	bool done;
	u8 *p;

	if (!v->stepping || !v->alt_active)
		return -EINVAL;
	if (!ram_at(v->root, pa, false))
		return -EACCES;
	p = window_map(v, 0, pa);
	done = __atomic_compare_exchange_n(p, &old, val, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	window_unmap(v, 0);
	return done ? 0 : -EAGAIN;
}

/**
 * rampart_gmem_read() - read guest memory as a CPL-0 data read would.
 * @v: this CPU.
 * @gla: the linear address.
 * @buf: the bytes.
 * @len: how many, at most a page.
 * @f: set to the fault the read raises, for -EFAULT.
 *
 * Return: 0, -EFAULT for a guest fault, or -EACCES where root refuses.
 */
__rampart_root int rampart_gmem_read(struct rampart_vcpu *v, u64 gla, void *buf,
				     u32 len, struct rampart_gfault *f)
{
	return move(v, gla, buf, len, false, f);
}

/**
 * rampart_gmem_write() - write guest memory as a CPL-0 data write would.
 * @v: this CPU.
 * @gla: the linear address.
 * @buf: the bytes.
 * @len: how many, at most a page.
 * @f: set to the fault the write raises, for -EFAULT.
 *
 * Return: 0, -EFAULT for a guest fault, or -EACCES where root refuses.
 */
__rampart_root int rampart_gmem_write(struct rampart_vcpu *v, u64 gla,
				      const void *buf, u32 len,
				      struct rampart_gfault *f)
{
	return move(v, gla, (void *)buf, len, true, f);
}

/**
 * rampart_gmem_inject() - raise the fault an emulated access met.
 * @v: this CPU.
 * @f: the fault.
 *
 * A #PF exit would leave CR2 alone, and so does any exit: root sets it
 * before the entry that delivers the fault (SDM Vol. 3A 4.7).
 */
__rampart_root void rampart_gmem_inject(struct rampart_vcpu *v,
					const struct rampart_gfault *f)
{
	if (f->vector == X86_TRAP_PF)
		asm volatile("mov %0, %%cr2" : : "r"(f->addr));
	rampart_inject_exception(v, f->vector, f->err);
}
