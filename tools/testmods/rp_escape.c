// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile module that tries to get a CPU out of VMX, or out of root's
 * reach, with ring-0 code (the "Sealed means sealed" review). Load it,
 * then write an attack's name to /sys/module/rp_escape/parameters/run;
 * each attack prints one line the rig's escape scenario judges:
 *
 *   stepirq  the stack on a page under a "ro log" rule (page_pa), with
 *            interrupts on: every interrupt frame is a logged write whose
 *            step meets a re-injected external interrupt
 *   pushf    PUSHF with the stack on that page, interrupts on, then off:
 *            the images it stores hold the CPU's IF and TF, not those of
 *            the step root runs the logged write in ("at=" the PUSHF)
 *   crosspf  a logged write (guarded_pa) that runs into an unmapped page: the #PF
 *            comes in the middle of the step
 *   init     INIT, then two SIPIs, to another CPU
 *   initnmi  INIT, an NMI, then two SIPIs, to another CPU
 *   apicbase move this CPU's xAPIC window, then claim the BSP flag
 *   sleep    SLP_EN with S3's sleep type (or any other than S5's) written
 *            straight to the FADT's PM1a control port
 *   seal     RAMPART_HC_SEAL straight to root, past the kernel side's checks
 *   entryfail a VM entry that fails on root's own injection (rig builds'
 *            RAMPART_HC_TEST): root must drop it and run on
 *   park     another CPU's next VM entry fails on guest state (rig builds'
 *            RAMPART_HC_TEST): root must park it, never return it; this
 *            CPU answers root after (run it last: the parked CPU answers
 *            no IPI again)
 *   vmcsfail a VMREAD of no field at all in root (rig builds'
 *            RAMPART_HC_TEST): root counts it and runs on
 *   ping     nothing: every CPU answers root or not
 *
 * After each attack it pings root on every online CPU ("ping=N/M" CPUs
 * answered). Without Rampart every CPU answers -ENODEV, so ping=0/M.
 */
#define pr_fmt(fmt) "rp_escape: " fmt

#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/objtool.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/apic.h>
#include <asm/msr.h>
#include <asm/nmi.h>
#include <asm/processor-flags.h>

#include "../../core/hypercall.h"
#include "../../uapi/hypercall.h"
#include "rp_store.h"

static void *page;		/* the stack page for stepirq: page_pa */
static unsigned long page_pa;
module_param(page_pa, ulong, 0444);
MODULE_PARM_DESC(page_pa, "physical address of the page stepirq and crosspf write");
static u8 *guarded;		/* vmalloc'ed: the page after it is unmapped */
static unsigned long guarded_pa;
module_param(guarded_pa, ulong, 0444);
MODULE_PARM_DESC(guarded_pa, "physical address of the page crosspf writes into");

static unsigned long text_pa;
module_param(text_pa, ulong, 0444);
MODULE_PARM_DESC(text_pa, "physical address of a page of this module's text");
static atomic_t nmis_seen;
static bool nmi_expected;

static void ping_fn(void *ok)
{
	struct rampart_hc_out out;

	if (rampart_vmcall(RAMPART_HC_PING, 0, &out) == 0 &&
	    out.rbx == RAMPART_HC_MAGIC)
		atomic_inc(ok);
}

/* How many online CPUs root answers on. */
static int ping_all(void)
{
	atomic_t ok = ATOMIC_INIT(0);
	unsigned int cpu;

	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, ping_fn, &ok, 1);
	return atomic_read(&ok);
}

/* Run a busy loop with RSP at @top and interrupts on. */
static noinline void spin_on_stack(void *top, unsigned long loops)
{
	asm volatile("mov %%rsp, %%rbx\n\t"
		     "mov %[top], %%rsp\n\t"
		     "sti\n"
		     "1: pause\n\t"
		     "dec %[n]\n\t"
		     "jnz 1b\n\t"
		     "cli\n\t"
		     "mov %%rbx, %%rsp"
		     : [n] "+r"(loops)
		     : [top] "r"(top)
		     : "rbx", "memory", "cc");
}
/* It runs on a stack objtool cannot follow, on purpose. */
STACK_FRAME_NON_STANDARD(spin_on_stack);

/* Words of the page that something (an interrupt frame) wrote. */
static unsigned long page_written(void)
{
	unsigned long seen = 0, i;
	u64 *p = page;

	for (i = 0; i < PAGE_SIZE / 8; i++)
		seen += !!READ_ONCE(p[i]);
	return seen;
}

/*
 * Spin in chunks until interrupt frames (and the entry code's pt_regs)
 * land on the page, at most 4M loops. Under a "log" rule every frame
 * write is an exit and a step: on a 250 Hz kernel one long spin ran for
 * over 20 s of guest time and tripped the soft-lockup watchdog. Chunks
 * with a reschedule between them keep the CPU schedulable.
 */
static void try_stepirq(void)
{
	unsigned long flags, seen = 0, chunk;

	memset(page, 0, PAGE_SIZE);
	for (chunk = 0; chunk < 40 && !seen; chunk++) {
		local_irq_save(flags);
		spin_on_stack((u8 *)page + PAGE_SIZE - 64, 100000);
		local_irq_restore(flags);
		seen = page_written();
		cond_resched();
	}
	pr_info("stepirq: cpu=%d written=%d ping=%d/%d\n", raw_smp_processor_id(),
		seen > 0, ping_all(), num_online_cpus());
}

/*
 * PUSHF with RSP at @top; the image it stored, read back by POP. @at is
 * set to the PUSHF's address.
 */
static noinline unsigned long pushf_on_stack(void *top, unsigned long *at)
{
	unsigned long fl;

	asm volatile("mov %%rsp, %%rbx\n\t"
		     "lea 1f(%%rip), %[at]\n\t"
		     "mov %[top], %%rsp\n"
		     "1: pushf\n\t"
		     "pop %[fl]\n\t"
		     "mov %%rbx, %%rsp"
		     : [fl] "=&r"(fl), [at] "=&r"(*at)
		     : [top] "r"(top)
		     : "rbx", "memory");
	return fl;
}
/* It runs on a stack objtool cannot follow, on purpose. */
STACK_FRAME_NON_STANDARD(pushf_on_stack);

static void try_pushf(void)
{
	void *top = (u8 *)page + PAGE_SIZE - 64;
	unsigned long on, off, flags, at;

	on = pushf_on_stack(top, &at);
	local_irq_save(flags);
	off = pushf_on_stack(top, &at);
	local_irq_restore(flags);
	pr_info("pushf: at=%#lx on_if=%d on_tf=%d off_if=%d off_tf=%d ping=%d/%d\n",
		at, !!(on & X86_EFLAGS_IF), !!(on & X86_EFLAGS_TF),
		!!(off & X86_EFLAGS_IF), !!(off & X86_EFLAGS_TF), ping_all(),
		num_online_cpus());
}

static void try_crosspf(void)
{
	bool fault = rp_store_faulted((u64 *)(guarded + PAGE_SIZE - 4), ~0ULL);

	pr_info("crosspf: fault=%d ping=%d/%d\n", fault, ping_all(),
		num_online_cpus());
}

static int nmi_fn(unsigned int type, struct pt_regs *regs)
{
	if (!READ_ONCE(nmi_expected))
		return NMI_DONE;
	atomic_inc(&nmis_seen);
	return NMI_HANDLED;
}

static void icr(u32 low, u32 apicid)
{
	apic->icr_write(low, apicid);
	apic->wait_icr_idle();
}

/* INIT (assert, deassert), then SIPIs or an NMI, to another CPU. */
static void init_cpu(bool nmi)
{
	unsigned int me = get_cpu(), t = cpumask_any_but(cpu_online_mask, me);
	u32 id;

	if (t >= nr_cpu_ids) {
		put_cpu();
		pr_info("init: no other CPU online\n");
		return;
	}
	id = per_cpu(x86_cpu_to_apicid, t);
	WRITE_ONCE(nmi_expected, true);
	icr(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT, id);
	icr(APIC_INT_LEVELTRIG | APIC_DM_INIT, id);
	if (nmi)
		icr(APIC_DM_NMI, id);
	udelay(200);
	icr(APIC_DM_STARTUP | 0x9a, id);
	udelay(200);
	icr(APIC_DM_STARTUP | 0x9a, id);
	put_cpu();
	mdelay(10);
	pr_info("%s: target=cpu%u ping=%d/%d nmis=%d\n", nmi ? "initnmi" : "init",
		t, ping_all(), num_online_cpus(), atomic_read(&nmis_seen));
	WRITE_ONCE(nmi_expected, false);
}

static void try_apicbase(void)
{
	unsigned long flags;
	u64 before, moved, bsp;
	int e1, e2;

	local_irq_save(flags);
	rdmsrl(MSR_IA32_APICBASE, before);
	e1 = wrmsrl_safe(MSR_IA32_APICBASE, before + 0x100000);
	rdmsrl(MSR_IA32_APICBASE, moved);
	if (moved != before)
		wrmsrl(MSR_IA32_APICBASE, before);
	e2 = wrmsrl_safe(MSR_IA32_APICBASE, before ^ MSR_IA32_APICBASE_BSP);
	rdmsrl(MSR_IA32_APICBASE, bsp);
	if (bsp != before)
		wrmsrl(MSR_IA32_APICBASE, before);
	local_irq_restore(flags);
	pr_info("apicbase: cpu=%d move_fault=%d moved=%d bsp_fault=%d bsp_changed=%d ping=%d/%d\n",
		raw_smp_processor_id(), !!e1, moved != before, !!e2,
		bsp != before, ping_all(), num_online_cpus());
}

static void sleep_raw(void)
{
	u16 port = acpi_gbl_FADT.xpm1a_control_block.address, v;
	u8 a = 0, b = 0, s5 = 0;

	if (acpi_gbl_FADT.xpm1a_control_block.space_id != ACPI_ADR_SPACE_SYSTEM_IO ||
	    !port) {
		pr_info("sleep: no PM1a control port in port space\n");
		return;
	}
	acpi_get_sleep_type_data(ACPI_STATE_S5, &s5, &b);
	if (ACPI_FAILURE(acpi_get_sleep_type_data(ACPI_STATE_S3, &a, &b)) ||
	    a == s5)
		a = (s5 + 1) & 7;
	v = (inw(port) & ~(7 << 10)) | (a << 10) | BIT(13);
	outw(v, port);
	mdelay(10);
	pr_info("sleep: port=%#x value=%#x ping=%d/%d\n", port, v, ping_all(),
		num_online_cpus());
}

static void try_entryfail(void)
{
	unsigned long flags;
	long ret;

	local_irq_save(flags);
	ret = rampart_vmcall(RAMPART_HC_TEST, 1, NULL);
	local_irq_restore(flags);
	pr_info("entryfail: ret=%ld ping=%d/%d\n", ret, ping_all(),
		num_online_cpus());
}

static void try_vmcsfail(void)
{
	unsigned int cpu = get_cpu();
	long ret = rampart_vmcall(RAMPART_HC_TEST, 3, NULL);

	put_cpu();
	pr_info("vmcsfail: ret=%ld cpu=%u ping=%d/%d\n", ret, cpu, ping_all(),
		num_online_cpus());
}

static bool park_returned;

static void park_fn(void *unused)
{
	rampart_vmcall(RAMPART_HC_TEST, 2, NULL);
	WRITE_ONCE(park_returned, true);
}

static void try_park(void)
{
	atomic_t ok = ATOMIC_INIT(0);
	unsigned int self = get_cpu();
	unsigned int t = cpumask_any_but(cpu_online_mask, self);

	put_cpu();
	if (t >= nr_cpu_ids) {
		pr_info("park: no other CPU\n");
		return;
	}
	smp_call_function_single(t, park_fn, NULL, 0);
	msleep(500);
	preempt_disable();
	ping_fn(&ok);
	preempt_enable();
	pr_info("park: target=cpu%u returned=%d self_ping=%d\n", t,
		READ_ONCE(park_returned), atomic_read(&ok));
}

static void try_seal(void)
{
	struct rampart_hc_out out = {};
	long ret = rampart_vmcall(RAMPART_HC_SEAL, 0, &out);

	pr_info("seal: ret=%ld missing=%ld\n", ret, (long)out.rbx);
}

static int run_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "stepirq"))
		try_stepirq();
	else if (sysfs_streq(val, "pushf"))
		try_pushf();
	else if (sysfs_streq(val, "crosspf"))
		try_crosspf();
	else if (sysfs_streq(val, "init"))
		init_cpu(false);
	else if (sysfs_streq(val, "initnmi"))
		init_cpu(true);
	else if (sysfs_streq(val, "apicbase"))
		try_apicbase();
	else if (sysfs_streq(val, "sleep"))
		sleep_raw();
	else if (sysfs_streq(val, "entryfail"))
		try_entryfail();
	else if (sysfs_streq(val, "seal"))
		try_seal();
	else if (sysfs_streq(val, "vmcsfail"))
		try_vmcsfail();
	else if (sysfs_streq(val, "park"))
		try_park();
	else if (sysfs_streq(val, "ping"))
		pr_info("ping: ping=%d/%d\n", ping_all(), num_online_cpus());
	else
		return -EINVAL;
	return 0;
}

static const struct kernel_param_ops run_ops = { .set = run_set };
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "attack to run: stepirq, pushf, crosspf, init, initnmi, apicbase, sleep, entryfail, seal, park, ping");

static int __init rp_escape_init(void)
{
	int err;

	page = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	guarded = vmalloc(PAGE_SIZE);
	if (!page || !guarded) {
		free_page((unsigned long)page);
		vfree(guarded);
		return -ENOMEM;
	}
	page_pa = virt_to_phys(page);
	guarded_pa = page_to_phys(vmalloc_to_page(guarded));
	text_pa = page_to_phys(vmalloc_to_page(run_set));
	err = register_nmi_handler(NMI_LOCAL, nmi_fn, 0, "rp_escape");
	if (err) {
		free_page((unsigned long)page);
		vfree(guarded);
		return err;
	}
	pr_info("page_pa=%#lx guarded_pa=%#lx\n", page_pa, guarded_pa);
	return 0;
}

/*
 * page and guarded stay allocated: the escape scenario puts them under
 * "ro log" rules a sealed policy keeps for good, and freed they would
 * reach their next owner (a kernel stack, say) logged, every write a step.
 */
static void __exit rp_escape_exit(void)
{
	unregister_nmi_handler(NMI_LOCAL, "rp_escape");
	pr_info("leaving page_pa=%#lx and guarded_pa=%#lx allocated\n",
		page_pa, guarded_pa);
}

module_init(rp_escape_init);
module_exit(rp_escape_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart test: techniques to get a CPU out of VMX");
