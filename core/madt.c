// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUs the firmware can start (kernel side, before launch). A CPU Linux
 * never brought up (nr_cpus=, possible_cpus=, a hot-plug slot) is not
 * under Rampart, and runs natively if anyone starts it: a native CPU
 * writes root memory. Sealing waits until there is none (vmx/policy.c);
 * the MADT (ACPI 6.5, 5.2.12) says how many CPUs there are.
 */
#include <linux/acpi.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "madt.h"

static int cmp_id(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The APIC ID of a processor entry that can run, or false. */
static bool cpu_entry(const struct acpi_subtable_header *h, bool capable,
		      u32 *id)
{
	const struct acpi_madt_local_x2apic *x2 = (const void *)h;
	const struct acpi_madt_local_apic *la = (const void *)h;
	u32 flags;

	if (h->type == ACPI_MADT_TYPE_LOCAL_APIC && h->length >= sizeof(*la)) {
		*id = la->id;
		flags = la->lapic_flags;
		if (*id == 0xff)
			return false;
	} else if (h->type == ACPI_MADT_TYPE_LOCAL_X2APIC &&
		   h->length >= sizeof(*x2)) {
		*id = x2->local_apic_id;
		flags = x2->lapic_flags;
		if (*id == ~0U)
			return false;
	} else {
		return false;
	}
	return (flags & ACPI_MADT_ENABLED) ||
	       (capable && (flags & ACPI_MADT_ONLINE_CAPABLE));
}

/**
 * rampart_madt_cpus() - count the CPUs a MADT says can run.
 * @madt: the table, header included.
 *
 * A processor counts if it is enabled, or online-capable (ACPI 6.3 and
 * later: MADT revision 5); each APIC ID once, whether a local APIC or an
 * x2APIC entry lists it. Before revision 5 a hot-plug slot looks like an
 * empty entry and is not counted.
 *
 * Return: the count, or -EINVAL for a malformed table, -ENOMEM.
 */
int rampart_madt_cpus(const struct acpi_table_madt *madt)
{
	const u8 *p = (const u8 *)(madt + 1);
	const u8 *end = (const u8 *)madt + madt->header.length;
	bool capable = madt->header.revision >= 5;
	unsigned int n = 0, i, uniq = 0;
	u32 *ids;

	if (madt->header.length < sizeof(*madt))
		return -EINVAL;
	/* No CPU entry is shorter than a local APIC's 8 bytes. */
	ids = kmalloc_array((end - p) / 8 + 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	while (p < end) {
		const struct acpi_subtable_header *h = (const void *)p;

		if (end - p < sizeof(*h) || h->length < sizeof(*h) ||
		    h->length > end - p) {
			kfree(ids);
			return -EINVAL;
		}
		if (cpu_entry(h, capable, &ids[n]))
			n++;
		p += h->length;
	}
	sort(ids, n, sizeof(*ids), cmp_id, NULL);
	for (i = 0; i < n; i++)
		if (!i || ids[i] != ids[i - 1])
			uniq++;
	kfree(ids);
	return uniq;
}
