// SPDX-License-Identifier: GPL-2.0-only
/*
 * Late launch: prepare root memory (identity EPT, host page tables, MSR
 * bitmap, per-CPU root state), protect it in the EPT, then VMXON and
 * VMLAUNCH on every CPU so that the kernel carries on in VMX non-root
 * mode. CPU hotplug launches CPUs that come online and devirtualizes CPUs
 * that go offline; unload devirtualizes them all.
 */
#define pr_fmt(fmt) "rampart: " fmt

#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/ioport.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "../ept/ept.h"
#include "../vmx/root/check.h"
#include "../vmx/host.h"
#include "../vmx/hostpt.h"
#include "../vmx/root/io.h"
#include "../vmx/caps.h"
#include "../vmx/root/msr.h"
#include "../vmx/root/nested.h"
#include "../vmx/root/nested_run.h"
#include "../vmx/root/ops.h"
#include "../vmx/root/root.h"
#include "../vmx/root/rootstate.h"
#include "../vmx/vmcs.h"
#include "arena.h"
#include "compat.h"
#include "hypercall.h"
#include "launch.h"
#include "madt.h"
#include "rampart.h"

static struct rampart_vcpu **vcpus;
static struct rampart_ept ept;
static struct rampart_hostpt hostpt;
static struct rampart_mtrr mtrr;
static void *msr_bitmap;
static struct rampart_root *root_state;
static void *mailbox;
/* Every CPU runs under root (main.c sets it once launch succeeded). */
bool rampart_launched;

static int hp_state = -1;
/* Set for reboot/kexec: no CPU may launch again. */
static bool shutting_down;

/*
 * Test hook: break the launch on purpose to prove that a bad VMCS gives a
 * readable diagnostic and leaves every CPU native. 1: a guest CR0 the
 * software checker rejects; 2: a host CR4 without VMXE, written after the
 * check, which VMLAUNCH refuses (VMfailValid); 3: a guest TR that is not a
 * busy TSS, written after the check, which fails VM entry (exit reason 33).
 */
static unsigned int entry_fault;
module_param(entry_fault, uint, 0444);
MODULE_PARM_DESC(entry_fault, "test only: 1 = bad guest CR0, 2 = bad host CR4, 3 = bad guest TR");

/* Guest TR "available" instead of busy TSS (SDM 27.3.1.2). */
#define AR_TSS_AVAILABLE	9

/**
 * rampart_vcpu() - the root state of @cpu, for sysfs.
 * @cpu: CPU number.
 *
 * Return: the vcpu, or NULL before launch preparation.
 */
const struct rampart_vcpu *rampart_vcpu(unsigned int cpu)
{
	return vcpus ? vcpus[cpu] : NULL;
}

/**
 * rampart_root_state() - root's shared state, read-only to the kernel.
 *
 * Return: the state, or NULL when Rampart is not prepared.
 */
const struct rampart_root *rampart_root_state(void)
{
	return root_state;
}

/**
 * rampart_mailbox() - where the kernel stages a binary policy for root.
 *
 * Return: RAMPART_MAILBOX_SIZE writable bytes, or NULL.
 */
void *rampart_mailbox(void)
{
	return mailbox;
}

/**
 * rampart_ept_info() - the identity EPT, for accounting.
 *
 * Return: the EPT description.
 */
const struct rampart_ept *rampart_ept_info(void)
{
	return &ept;
}

/**
 * rampart_root_writable_bytes() - memory root's page tables let it write.
 *
 * Return: bytes, for accounting; root's own memory and nothing else.
 */
u64 rampart_root_writable_bytes(void)
{
	return rampart_hostpt_writable_bytes(&hostpt);
}

/* Guest-physical space to map: all resources, at least 4 GiB, 1 GiB units. */
static u64 phys_end(void)
{
	struct resource *r;
	u64 end = SZ_4G;

	for (r = iomem_resource.child; r; r = r->sibling)
		end = max_t(u64, end, r->end + 1);
	return round_up(end, SZ_1G);
}

#ifdef CONFIG_ACPI
/* A PM1 control block in port space, or 0 (ACPI 6.4, 5.2.9 FADT). */
static u16 pm1_port(const struct acpi_generic_address *g)
{
	if (g->space_id != ACPI_ADR_SPACE_SYSTEM_IO || !g->address ||
	    g->address > 0xfffe)
		return 0;
	return g->address;
}

/*
 * The top-level System RAM ranges, for root (vmx/root/gmem.c), read now,
 * while the kernel is trusted. Past RAMPART_RAM_RANGES the rest is left
 * out: root then refuses to emulate accesses there.
 */
static void list_ram(struct rampart_root *rs)
{
	struct resource *r;

	for (r = iomem_resource.child; r; r = r->sibling) {
		if ((r->flags & IORESOURCE_SYSTEM_RAM) != IORESOURCE_SYSTEM_RAM)
			continue;
		if (rs->nram == RAMPART_RAM_RANGES) {
			pr_warn("more than %u System RAM ranges: root emulates no access past %#llx\n",
				RAMPART_RAM_RANGES, rs->ram[rs->nram - 1].end);
			return;
		}
		rs->ram[rs->nram].start = r->start;
		rs->ram[rs->nram].end = r->end + 1;
		rs->nram++;
	}
}

/*
 * Have root guard the PM1 control ports against S1-S4 (vmx/io.c): the
 * FADT's ports and S5's sleep type, read now, while the kernel is still
 * trusted. Without ACPI there is nothing to guard and no I/O exits.
 */
static int guard_sleep_ports(struct rampart_root *rs)
{
	u8 typ[2] = {};
	unsigned int i;

	rs->pm1_cnt[0] = pm1_port(&acpi_gbl_FADT.xpm1a_control_block);
	rs->pm1_cnt[1] = pm1_port(&acpi_gbl_FADT.xpm1b_control_block);
	if (!rs->pm1_cnt[0] && !rs->pm1_cnt[1])
		return 0;
	if (ACPI_FAILURE(acpi_get_sleep_type_data(ACPI_STATE_S5, &typ[0],
						  &typ[1])))
		typ[0] = typ[1] = 0;
	rs->io_bitmap = rampart_arena_alloc(1);
	if (!rs->io_bitmap)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(rs->pm1_cnt); i++) {
		rs->pm1_s5_typ[i] = typ[i] & 7;
		if (rs->pm1_cnt[i])
			rampart_io_bitmap_guard(rs->io_bitmap, rs->pm1_cnt[i]);
	}
	pr_info("guarding the ACPI sleep ports: PM1a %#x, PM1b %#x (S5 type %u/%u)\n",
		rs->pm1_cnt[0], rs->pm1_cnt[1], rs->pm1_s5_typ[0],
		rs->pm1_s5_typ[1]);
	return 0;
}
#else
static int guard_sleep_ports(struct rampart_root *rs)
{
	return 0;
}
#endif

/* Root pages are marked, so that no policy change makes them writable. */
static int protect(u64 pa, u64 size, u64 perm)
{
	int err = rampart_ept_set_perm(&ept, pa, size,
				       perm | RAMPART_EPT_ROOT);

	if (err)
		pr_err("cannot restrict %#llx+%#llx in the EPT: %d\n", pa,
		       size, err);
	return err;
}

/*
 * DESIGN.md principle 3: every root page is read-only to the kernel, the
 * VMXON regions and VMCSs are absent. And root writes no memory but its
 * own: each chunk is writable in root's page tables, everything else read
 * only (vmx/hostpt.h). Splitting, in either table, allocates chunks too,
 * so loop until the arena stops growing.
 */
static int protect_arena(void)
{
	unsigned int i, cpu;
	int err;

	for (i = 0; i < rampart_arena_count(); i++) {
		/* A copy: both calls may grow, and move, the chunk array. */
		const struct rampart_arena_chunk c = *rampart_arena_chunk(i);
		unsigned long size = PAGE_SIZE << c.order;

		err = protect(virt_to_phys(c.va), size, RAMPART_EPT_R);
		err = err ?: rampart_hostpt_writable(&hostpt, c.va, size);
		if (err)
			return err;
	}
	for_each_possible_cpu(cpu) {
		err = protect(vcpus[cpu]->vmxon_pa, PAGE_SIZE, 0);
		err = err ?: protect(vcpus[cpu]->vmcs_pa, PAGE_SIZE, 0);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Root code and root tables sit in page-aligned sections of the module
 * image (vmx/root.h). The kernel may read them but neither write nor run
 * them; module memory is vmalloc'ed, so map each page to its frame.
 */
static int protect_module_range(const u8 *start, const u8 *end, u64 perm)
{
	const u8 *va;
	int err;

	for (va = start; va < end; va += PAGE_SIZE) {
		struct page *pg = vmalloc_to_page(va);

		if (!pg)
			return -EFAULT;
		err = protect(page_to_phys(pg), PAGE_SIZE, perm);
		if (err)
			return err;
	}
	return 0;
}

#ifdef CONFIG_ACPI
/* CPUs the MADT lists beyond the present ones (core/madt.c). */
static u32 cpus_unlisted(void)
{
	struct acpi_table_header *t;
	int n;

	if (acpi_disabled || ACPI_FAILURE(acpi_get_table(ACPI_SIG_MADT, 0, &t)))
		return 0;
	n = rampart_madt_cpus((const struct acpi_table_madt *)t);
	acpi_put_table(t);
	if (n < 0) {	/* fail closed: sealing waits for a CPU it cannot name */
		pr_warn("cannot count the MADT's CPUs (%d): sealing will be refused\n",
			n);
		return 1;
	}
	return n > (int)num_present_cpus() ? n - num_present_cpus() : 0;
}
#else
static u32 cpus_unlisted(void)
{
	return 0;
}
#endif

/*
 * IA32_PERF_GLOBAL_CTRL exists from architectural perfmon version 2. Ask
 * CPUID and the MSR itself, not the kernel's feature bits, which a boot
 * option can clear while the hardware stays usable.
 */
static bool has_perf_global_ctrl(void)
{
	u64 v;

	return cpuid_eax(0) >= 0xa && (cpuid_eax(0xa) & 0xff) >= 2 &&
	       !rdmsrl_safe(MSR_CORE_PERF_GLOBAL_CTRL, &v);
}

/* Intel PT, from CPUID.(EAX=7,ECX=0):EBX[25] itself (SDM Vol. 2A CPUID). */
static bool has_intel_pt(void)
{
	unsigned int a, b, c, d;

	if (cpuid_eax(0) < 7)
		return false;
	cpuid_count(7, 0, &a, &b, &c, &d);
	return b & BIT(25);
}

/*
 * What VMX looks like to the kernel under Rampart (vmx/root/nested_caps.c),
 * decoded into @l1 for the checker root runs on vmcs12.
 */
static const struct rampart_caps *nested_caps(struct rampart_root *rs,
					      struct rampart_caps *l1)
{
	static const u32 ctl_msr[RAMPART_CTL_NR] = {
		[RAMPART_CTL_PIN] = MSR_IA32_VMX_TRUE_PINBASED_CTLS,
		[RAMPART_CTL_PROC] = MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
		[RAMPART_CTL_PROC2] = MSR_IA32_VMX_PROCBASED_CTLS2,
		[RAMPART_CTL_EXIT] = MSR_IA32_VMX_TRUE_EXIT_CTLS,
		[RAMPART_CTL_ENTRY] = MSR_IA32_VMX_TRUE_ENTRY_CTLS,
	};
	struct rampart_caps_raw raw = rs->caps->raw;
	int k;

	rampart_nested_msr(rs, MSR_IA32_VMX_BASIC, &raw.basic);
	rampart_nested_msr(rs, MSR_IA32_VMX_MISC, &raw.misc);
	rampart_nested_msr(rs, MSR_IA32_VMX_EPT_VPID_CAP, &raw.ept_vpid);
	for (k = 0; k < RAMPART_CTL_NR; k++)
		rampart_nested_msr(rs, ctl_msr[k], &raw.ctl[k]);
	rampart_caps_decode(&raw, l1);
	return l1;
}

/* One CPU's nested-VMX state, shadow EPT pool and shadow VMCS, in the arena. */
static int nested_alloc(struct rampart_vcpu *v)
{
	struct rampart_nested *n;

	BUILD_BUG_ON(sizeof(*n) > PAGE_SIZE << RAMPART_NESTED_ORDER);
	BUILD_BUG_ON(sizeof(struct rampart_vmcs12) > PAGE_SIZE);
	n = rampart_arena_alloc(RAMPART_NESTED_ORDER);
	if (!n)
		return -ENOMEM;
	n->sept = rampart_arena_alloc(RAMPART_SEPT_ORDER);
	if (!n->sept)
		return -ENOMEM;
	BUILD_BUG_ON(sizeof(*n->shadow) > PAGE_SIZE << RAMPART_SHADOW_ORDER);
	n->shadow = rampart_arena_alloc(RAMPART_SHADOW_ORDER);
	if (!n->shadow)
		return -ENOMEM;
	*(u32 *)n->vmcs02 = rampart_boot_caps.basic.revision;	/* SDM 25.2 */
	n->vmcs02_pa = virt_to_phys(n->vmcs02);
	rampart_nested_prepare(n);
	v->nested = n;
	return 0;
}

static int prepare(void)
{
	struct rampart_mod_region r[RAMPART_MOD_REGIONS];
	struct rampart_caps *caps;
	unsigned int cpu, i, n;
	int err;

	BUILD_BUG_ON(sizeof(struct rampart_vcpu) > PAGE_SIZE << RAMPART_VCPU_ORDER);
	rampart_mtrr_read(&mtrr);
	err = rampart_ept_build(&ept, &mtrr, phys_end(),
				rampart_boot_caps.ept.page_1g);
	if (err)
		return err;
	err = rampart_hostpt_build(&hostpt, THIS_MODULE);
	if (err)
		return err;
	/* All zero: no MSR access exits until the policy asks (SDM 25.6.9). */
	msr_bitmap = rampart_arena_alloc(0);
	vcpus = kcalloc(nr_cpu_ids, sizeof(*vcpus), GFP_KERNEL);
	BUILD_BUG_ON(sizeof(struct rampart_root) > (PAGE_SIZE << RAMPART_ROOT_ORDER));
	BUILD_BUG_ON(RAMPART_MAILBOX_SIZE > (PAGE_SIZE << RAMPART_MAILBOX_ORDER));
	root_state = rampart_arena_alloc(RAMPART_ROOT_ORDER);
	/* The mailbox is the kernel's: root reads it, never trusts it. */
	mailbox = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					   RAMPART_MAILBOX_ORDER);
	if (!msr_bitmap || !vcpus || !root_state || !mailbox)
		return -ENOMEM;
	root_state->msr_bitmap = msr_bitmap;
	root_state->mailbox = mailbox;
	root_state->ring = rampart_arena_alloc(RAMPART_RING_ORDER);
	root_state->first = rampart_arena_alloc(RAMPART_FIRST_ORDER);
	root_state->watch_ring = rampart_arena_alloc(RAMPART_WATCH_RING_ORDER);
	root_state->ept_pool = rampart_arena_alloc(RAMPART_EPT_POOL_ORDER);
	root_state->mods = rampart_arena_alloc(RAMPART_MODS_ORDER);
	root_state->cpus_required = rampart_arena_alloc(0);
	caps = rampart_arena_alloc(1);
	if (!root_state->ring || !root_state->first || !root_state->ept_pool ||
	    !root_state->watch_ring ||
	    !root_state->mods || !root_state->cpus_required || !caps)
		return -ENOMEM;
	BUILD_BUG_ON(sizeof(*caps) > PAGE_SIZE);
	*caps = rampart_boot_caps;
	root_state->caps = caps;
	root_state->l1_caps = nested_caps(root_state, caps + 1);
	BUILD_BUG_ON(4 * RAMPART_CPU_WORDS * sizeof(u64) > PAGE_SIZE);
	root_state->cpus_in = root_state->cpus_required + RAMPART_CPU_WORDS;
	root_state->cpus_to_flush = root_state->cpus_in + RAMPART_CPU_WORDS;
	root_state->cpus_parked = root_state->cpus_to_flush + RAMPART_CPU_WORDS;
	root_state->ept_pool_pages = 1U << RAMPART_EPT_POOL_ORDER;
	/* Sealing waits for every CPU present now (vmx/policy.c). */
	for_each_present_cpu(cpu)
		root_state->cpus_required[cpu / 64] |= BIT_ULL(cpu % 64);
	root_state->cpus_unlisted = cpus_unlisted();
	root_state->pt_mode = rampart_pt_mode(&rampart_boot_caps,
					      has_intel_pt());
	root_state->pmu_off_in_root = has_perf_global_ctrl();
	pr_info("tracing hardware: Intel PT %s, performance counters %s\n",
		rampart_pt_names[root_state->pt_mode],
		root_state->pmu_off_in_root ? "stopped in root" : "none");
	rampart_msr_bitmap_init(root_state);
	err = guard_sleep_ports(root_state);
	if (err)
		return err;
	root_state->direct_map = PAGE_OFFSET;
	list_ram(root_state);
	root_state->ept_pml4 = ept.pml4;
	root_state->ept_end = ept.end;
	for_each_possible_cpu(cpu) {
		struct rampart_vcpu *v = rampart_arena_alloc(RAMPART_VCPU_ORDER);

		if (!v)
			return -ENOMEM;
		v->alt_ept = rampart_arena_alloc(RAMPART_ALT_ORDER);
		if (!v->alt_ept)
			return -ENOMEM;
		err = nested_alloc(v);
		if (err)
			return err;
		v->cpu = cpu;
		v->vpid = cpu + 1;	/* VPID 0 is root's, SDM 29.1 */
		v->vmxon_pa = virt_to_phys(v->vmxon);
		v->vmcs_pa = virt_to_phys(v->vmcs);
		v->cr0_fixed0 = rampart_boot_caps.raw.cr0_fixed0;
		v->cr0_fixed1 = rampart_boot_caps.raw.cr0_fixed1;
		v->cr4_fixed0 = rampart_boot_caps.raw.cr4_fixed0;
		v->cr4_fixed1 = rampart_boot_caps.raw.cr4_fixed1;
		v->root = root_state;
		v->window_pte = rampart_hostpt_window(&hostpt, cpu,
						      &v->window_va);
		if (!v->window_pte)
			return -ENOMEM;
		vcpus[cpu] = v;
	}
	err = protect_module_range(rampart_root_text_start,
				   rampart_root_text_end, RAMPART_EPT_R);
	err = err ?: protect_module_range(rampart_root_rodata_start,
					  rampart_root_rodata_end, RAMPART_EPT_R);
	/*
	 * All of this module's rodata too, whatever the policy: root code
	 * reads the constants and strings the compiler merges into
	 * .rodata.cst* and .rodata.str*, outside root's own sections.
	 */
	n = rampart_mod_rodata_regions(THIS_MODULE, r);
	for (i = 0; i < n && !err; i++)
		err = protect_module_range(r[i].base, r[i].base + r[i].size,
					   RAMPART_EPT_R);
	/* Last: splitting above may have added EPT tables to protect. */
	return err ?: protect_arena();
}

static inline void cr4_raw(unsigned long v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/*
 * Where root cannot keep Intel PT output off its memory, it refuses every
 * write that sets TraceEn (vmx/msr.c); tracing running now stops first.
 */
static void stop_unguarded_pt(unsigned int cpu)
{
	u64 ctl;

	if (root_state->pt_mode != RAMPART_PT_REFUSED)
		return;
	ctl = native_read_msr(MSR_IA32_RTIT_CTL);
	if (!(ctl & RTIT_CTL_TRACEEN))
		return;
	wrmsrl(MSR_IA32_RTIT_CTL, ctl & ~RTIT_CTL_TRACEEN);
	pr_warn("cpu%u: Intel PT stopped: this CPU cannot keep its output off root memory\n",
		cpu);
}

/* VMLAUNCH into the current context; see the comment at the call. */
static noinline int vmlaunch_here(void)
{
	int fail = 0;

	asm volatile("vmwrite %%rsp, %[f_rsp]\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "vmwrite %%rax, %[f_rip]\n\t"
		     "pushfq\n\t"
		     "pop %%rax\n\t"
		     "vmwrite %%rax, %[f_rflags]\n\t"
		     "vmlaunch\n\t"
		     "movl $1, %[fail]\n"
		     "1:\n"
		     : [fail] "+m"(fail)
		     : [f_rsp] "r"((unsigned long)GUEST_RSP),
		       [f_rip] "r"((unsigned long)GUEST_RIP),
		       [f_rflags] "r"((unsigned long)GUEST_RFLAGS)
		     : "rax", "cc", "memory");
	return fail;
}

/* SDM 24.8: VMX not in use yet, and CR0/CR4 within the VMX fixed bits. */
static int cpu_fits_vmx(unsigned int cpu, unsigned long cr0, unsigned long cr4)
{
	const struct rampart_caps_raw *raw = &rampart_boot_caps.raw;

	if (cr4 & X86_CR4_VMXE) {
		pr_err("cpu%u: VMX already in use (CR4.VMXE set)\n", cpu);
		return -EBUSY;
	}
	if ((cr0 & raw->cr0_fixed0) != raw->cr0_fixed0 ||
	    (cr0 & ~raw->cr0_fixed1) ||
	    ((cr4 | X86_CR4_VMXE) & raw->cr4_fixed0) != raw->cr4_fixed0 ||
	    ((cr4 | X86_CR4_VMXE) & ~raw->cr4_fixed1)) {
		pr_err("cpu%u: CR0 %#lx / CR4 %#lx not allowed in VMX operation\n",
		       cpu, cr0, cr4);
		return -EINVAL;
	}
	return 0;
}

/* Nothing of a previous launch's state, steps or windows carries over. */
static void vcpu_reset(struct rampart_vcpu *v)
{
	rampart_host_tables_init(v);
	v->left = false;
	v->failed = false;
	v->launched = false;
	v->entry_repaired = false;
	v->stepping = false;
	v->step_timer = false;
	v->watch_pending = 0;
	v->poking = false;
	v->alt_active = false;
	v->nmi_pending = false;
	/* The first exit applies the policy in force to the new VMCS. */
	v->policy_gen = 0;
	v->desc_action = 0;
	*(u32 *)v->vmxon = rampart_boot_caps.basic.revision;	/* SDM 25.11.5 */
	*(u32 *)v->vmcs = rampart_boot_caps.basic.revision;	/* SDM 25.2 */
}

/*
 * Rig only (entry_fault=N): break the image on purpose. 1, before the
 * check: CR0.NE clear, which the checker must catch (SDM 27.3.1.1). 2 and
 * 3, after it: host CR4.VMXE clear (VMLAUNCH fails, SDM 27.2.2) and a TR
 * that is not busy (the entry fails on guest state, SDM 27.3.1.2).
 */
static void test_fault(struct rampart_vmcs_img *img, bool checked)
{
	if (!checked && entry_fault == 1)
		img->v[RP_GUEST_CR0] &= ~X86_CR0_NE;
	if (checked && entry_fault == 2)
		img->v[RP_HOST_CR4] &= ~X86_CR4_VMXE;
	if (checked && entry_fault == 3)
		img->v[RP_GUEST_TR_AR_BYTES] =
			(img->v[RP_GUEST_TR_AR_BYTES] & ~0xfULL) |
			AR_TSS_AVAILABLE;
}

/*
 * The IDT limit the kernel set, back: a VM exit sets IDTR's to 0xFFFF
 * (SDM 28.5.2) and KVM leaves it so, and the guest state (and the
 * descriptor-table guard, which keeps it) should hold the kernel's own.
 */
static void idt_limit_back(void)
{
	struct desc_ptr idt;

	store_idt(&idt);
	if (idt.size == IDT_ENTRIES * sizeof(gate_desc) - 1)
		return;
	idt.size = IDT_ENTRIES * sizeof(gate_desc) - 1;
	load_idt(&idt);
}

/* Build this CPU's VMCS image in @img, check it, write it to the VMCS. */
static int vmcs_load(unsigned int cpu, struct rampart_vcpu *v,
		     struct rampart_vmcs_img *img)
{
	struct rampart_vmcs_ctx ctx = {
		.caps = &rampart_boot_caps,
		.vcpu = v,
		.host_cr3 = hostpt.cr3,
		.eptp = ept.eptp,
		.msr_bitmap = virt_to_phys(msr_bitmap),
		.io_bitmap = root_state->io_bitmap ?
			     virt_to_phys(root_state->io_bitmap) : 0,
		.host_rip = (u64)rampart_vmexit_entry,
		.pt = root_state->pt_mode,
		.pmu_off_in_root = root_state->pmu_off_in_root,
	};
	const struct rampart_check_rule *bad;
	int err;

	idt_limit_back();
	err = rp_vmclear(v->vmcs_pa) || rp_vmptrld(v->vmcs_pa) ? -EIO : 0;
	err = err ?: rampart_vmcs_build(img, &ctx);
	if (!err) {
		test_fault(img, false);
		bad = rampart_vmcs_check(img, &rampart_boot_caps);
		if (bad) {
			pr_err("cpu%u: VMCS rejected before launch: %s (SDM %s)\n",
			       cpu, bad->what, bad->sdm);
			err = -EINVAL;
		}
		test_fault(img, true);
	}
	return err ?: rampart_vmcs_write(img);
}

/* Runs on @cpu with interrupts off. */
static int launch_this_cpu(unsigned int cpu)
{
	struct rampart_vcpu *v = vcpus[cpu];
	unsigned long cr0 = native_read_cr0(), cr4 = native_read_cr4();
	struct rampart_vmcs_img *img;
	int err;

	err = cpu_fits_vmx(cpu, cr0, cr4);
	if (err)
		return err;
	/*
	 * Allocate before VMXON: nothing that may write CR4 from the
	 * kernel's shadow (which lacks VMXE) may run in VMX operation.
	 */
	img = kmalloc(sizeof(*img), GFP_ATOMIC);
	if (!img)
		return -ENOMEM;
	stop_unguarded_pt(cpu);
	vcpu_reset(v);
	/*
	 * VMXE is set behind the kernel's CR4 shadow: the kernel keeps
	 * writing CR4 with VMXE clear, which matches the VMCS read shadow.
	 */
	cr4_raw(cr4 | X86_CR4_VMXE);
	if (rp_vmxon(v->vmxon_pa)) {
		cr4_raw(cr4);
		kfree(img);
		pr_err("cpu%u: VMXON failed\n", cpu);
		return -EBUSY;
	}
	/* Drop translations a previous launch may have left (SDM 29.4.3). */
	rp_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	rp_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0, 0);
	err = vmcs_load(cpu, v, img);
	if (err)
		goto off;
	/*
	 * Guest RSP/RIP/RFLAGS are this very point: VMLAUNCH "returns" in
	 * non-root mode at label 1 with every other register unchanged
	 * (SDM 27.3: VM entry loads no GPR but RSP, RIP and RFLAGS).
	 */
	if (vmlaunch_here()) {
		pr_err("cpu%u: VMLAUNCH failed, VM-instruction error %llu (SDM 31.4)\n",
		       cpu, rampart_vmcs_insn_error());
		rampart_vmcs_dump(cpu);
		err = -EIO;
		goto off;
	}
	/*
	 * A VM-entry failure on guest state (SDM 27.8) does not fall through:
	 * it exits to root, which reports it and leaves VMX, and we resume
	 * here natively. Only root answering a ping proves the launch.
	 * Either way the CPU runs the kernel again: free the image now.
	 */
	kfree(img);
	if (v->left) {
		force_reload_TR();
		pr_err("cpu%u: VM entry failed: %s, exit reason %#x, qualification %#llx, guest RIP %#llx\n",
		       cpu, v->diag.what, v->diag.reason,
		       v->diag.qualification, v->diag.rip);
		return -EIO;
	}
	return 0;
off:
	rp_vmclear(v->vmcs_pa);
	rp_vmxoff();
	cr4_raw(cr4);
	kfree(img);
	return err;
}

static int launch_cpu(unsigned int cpu)
{
	unsigned long flags;
	int err;

	u64 t0;

	if (READ_ONCE(shutting_down))
		return 0;	/* stays native; hotplug must not fail */
	local_irq_save(flags);
	t0 = ktime_get_ns();
	err = launch_this_cpu(cpu);
	rampart_cpus[cpu]->launch_ns = ktime_get_ns() - t0;
	/* Take the policy in force (a CPU onlined after a load). */
	if (!err)
		rampart_vmcall(RAMPART_HC_POLICY_SYNC, 0, NULL);
	local_irq_restore(flags);
	if (!err)
		rampart_cpus[cpu]->state = RAMPART_CPU_LAUNCHED;
	return err;
}

static int teardown_cpu(unsigned int cpu)
{
	struct rampart_vcpu *v = vcpus[cpu];
	unsigned long flags;
	long ret;
	u64 t0;

	if (rampart_cpus[cpu]->state != RAMPART_CPU_LAUNCHED)
		return 0;
	/* Root refuses anyway; refusing here keeps hotplug consistent. */
	if (rampart_sealed()) {
		pr_err_ratelimited("cpu%u: policy sealed: the CPU stays under Rampart (-EBUSY)\n",
				   cpu);
		return -EBUSY;
	}
	local_irq_save(flags);
	t0 = ktime_get_ns();
	ret = rampart_vmcall(RAMPART_HC_DEVIRT, 0, NULL);
	if (!ret) {
		/* Root left TR on its own TSS (same IST stacks); take ours back. */
		force_reload_TR();
		if (v->nmi_pending)	/* arrived while leaving: deliver it now */
			apic->send_IPI_self(NMI_VECTOR);
	}
	rampart_cpus[cpu]->devirt_ns = ktime_get_ns() - t0;
	local_irq_restore(flags);
	if (ret) {
		pr_err("cpu%u: devirtualize refused by root: %ld\n", cpu, ret);
		return -EBUSY;
	}
	rampart_cpus[cpu]->state = RAMPART_CPU_NATIVE;
	return 0;
}

static void devirt_fn(void *unused)
{
	teardown_cpu(smp_processor_id());
}

/**
 * rampart_shutdown_all() - devirtualize every CPU for good (reboot, kexec).
 * Safe to call more than once; unload still works afterwards.
 */
void rampart_shutdown_all(void)
{
	WRITE_ONCE(shutting_down, true);
	if (vcpus)
		on_each_cpu(devirt_fn, NULL, 1);
}

/**
 * rampart_devirt_this_cpu() - devirtualize the current CPU (syscore
 * suspend: interrupts off, other CPUs offline).
 */
void rampart_devirt_this_cpu(void)
{
	if (vcpus)
		teardown_cpu(smp_processor_id());
}

/**
 * rampart_relaunch_this_cpu() - launch the current CPU again (resume).
 */
void rampart_relaunch_this_cpu(void)
{
	unsigned int cpu = smp_processor_id();

	if (vcpus && launch_cpu(cpu))
		pr_err("cpu%u: relaunch after resume failed; it runs natively\n",
		       cpu);
}

static void free_prepared(void)
{
	kfree(vcpus);
	vcpus = NULL;
	root_state = NULL;
	free_pages((unsigned long)mailbox, RAMPART_MAILBOX_ORDER);
	mailbox = NULL;
	rampart_arena_free_all();
}

/**
 * rampart_sealed() - has root been told to seal the policy?
 *
 * Return: true once sealed; root enforces it, this only mirrors it.
 */
bool rampart_sealed(void)
{
	return root_state && READ_ONCE(root_state->sealed);
}

/**
 * rampart_launch_all() - launch every online CPU and follow hotplug.
 *
 * Return: 0, or a negative errno with every CPU native again.
 */
int rampart_launch_all(void)
{
	int err;

	WRITE_ONCE(shutting_down, false);
	err = prepare();

	if (err) {
		pr_err("cannot prepare root memory: %d\n", err);
		goto free;
	}
	err = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "rampart:online",
				launch_cpu, teardown_cpu);
	if (err < 0)
		goto free;
	hp_state = err;
	return 0;
free:
	free_prepared();
	return err;
}

/*
 * A CPU root still runs (launched and not left, or parked): its VMCS,
 * EPT, stacks and root code are in use, whatever the kernel side's own
 * bookkeeping says (an attacker can forge that).
 */
static int cpu_still_in_root(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		const struct rampart_vcpu *v = vcpus ? vcpus[cpu] : NULL;

		if (v && ((READ_ONCE(v->launched) && !READ_ONCE(v->left)) ||
			  READ_ONCE(v->parked)))
			return cpu;
	}
	return -1;
}

/**
 * rampart_devirt_all() - devirtualize every CPU and free root memory.
 *
 * Root memory is freed only once root itself shows every CPU out of VMX.
 * If one is not (root refused DEVIRT, sealed, and the module was forced
 * out), this never returns: freeing would hand live root memory, and the
 * root code the module carries, back to the kernel.
 */
void rampart_devirt_all(void)
{
	unsigned int cpu;
	int busy;

	if (hp_state >= 0)
		cpuhp_remove_state(hp_state);
	busy = cpu_still_in_root();
	if (busy >= 0) {
		pr_crit("cpu%d still runs under Rampart: root memory stays, this unload never completes\n",
			busy);
		for (;;)
			schedule_timeout_idle(MAX_SCHEDULE_TIMEOUT);
	}
	for_each_possible_cpu(cpu)
		if (rampart_cpus[cpu]->devirt_ns)
			pr_info("cpu%u: devirtualized in %llu ns\n", cpu,
				rampart_cpus[cpu]->devirt_ns);
	hp_state = -1;
	free_prepared();
}

/**
 * rampart_ping() - ask root on the current CPU whether it runs us.
 *
 * Return: true if root answered with Rampart's magic.
 */
bool rampart_ping(void)
{
	struct rampart_hc_out out;

	return rampart_vmcall(RAMPART_HC_PING, 0, &out) == 0 &&
	       out.rbx == RAMPART_HC_MAGIC && out.rcx == RAMPART_HC_ABI;
}
