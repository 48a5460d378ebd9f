// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: counting the CPUs a MADT says can run (core/madt.c), which
 * sealing compares with the CPUs Linux has present.
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/string.h>

#include "../core/madt.h"

struct madt_buf {
	u8 b[256];
	unsigned int len;
};

static void madt_init(struct madt_buf *m, u8 revision)
{
	struct acpi_table_madt *t = (void *)m->b;

	memset(m, 0, sizeof(*m));
	t->header.revision = revision;
	m->len = sizeof(*t);
	t->header.length = m->len;
}

static void add(struct madt_buf *m, const void *e, unsigned int len)
{
	struct acpi_table_madt *t = (void *)m->b;

	memcpy(m->b + m->len, e, len);
	m->len += len;
	t->header.length = m->len;
}

static void lapic(struct madt_buf *m, u8 id, u32 flags)
{
	struct acpi_madt_local_apic e = {
		.header = { ACPI_MADT_TYPE_LOCAL_APIC, sizeof(e) },
		.id = id, .lapic_flags = flags,
	};

	add(m, &e, sizeof(e));
}

static void x2apic(struct madt_buf *m, u32 id, u32 flags)
{
	struct acpi_madt_local_x2apic e = {
		.header = { ACPI_MADT_TYPE_LOCAL_X2APIC, sizeof(e) },
		.local_apic_id = id, .lapic_flags = flags,
	};

	add(m, &e, sizeof(e));
}

static int count(struct madt_buf *m)
{
	return rampart_madt_cpus((const struct acpi_table_madt *)m->b);
}

static void test_enabled_counted_once(struct kunit *test)
{
	struct madt_buf m;
	struct acpi_madt_io_apic io = {
		.header = { ACPI_MADT_TYPE_IO_APIC, sizeof(io) },
	};

	madt_init(&m, 4);
	lapic(&m, 0, ACPI_MADT_ENABLED);
	add(&m, &io, sizeof(io));
	lapic(&m, 1, ACPI_MADT_ENABLED);
	lapic(&m, 2, 0);			/* an empty slot */
	lapic(&m, 0xff, ACPI_MADT_ENABLED);	/* no valid ID */
	x2apic(&m, 1, ACPI_MADT_ENABLED);	/* cpu 1 again */
	x2apic(&m, 300, ACPI_MADT_ENABLED);
	KUNIT_EXPECT_EQ(test, count(&m), 3);
}

static void test_online_capable_from_revision_5(struct kunit *test)
{
	struct madt_buf m;

	madt_init(&m, 4);
	lapic(&m, 0, ACPI_MADT_ENABLED);
	lapic(&m, 1, ACPI_MADT_ONLINE_CAPABLE);
	KUNIT_EXPECT_EQ(test, count(&m), 1);
	madt_init(&m, 5);
	lapic(&m, 0, ACPI_MADT_ENABLED);
	lapic(&m, 1, ACPI_MADT_ONLINE_CAPABLE);
	KUNIT_EXPECT_EQ(test, count(&m), 2);
}

static void test_malformed(struct kunit *test)
{
	struct madt_buf m;
	struct acpi_subtable_header bad = { ACPI_MADT_TYPE_LOCAL_APIC, 0 };

	madt_init(&m, 5);
	lapic(&m, 0, ACPI_MADT_ENABLED);
	add(&m, &bad, sizeof(bad));		/* zero length: would loop */
	KUNIT_EXPECT_EQ(test, count(&m), -EINVAL);
	madt_init(&m, 5);
	lapic(&m, 0, ACPI_MADT_ENABLED);
	m.b[m.len - 7] = 200;			/* runs past the table */
	KUNIT_EXPECT_EQ(test, count(&m), -EINVAL);
}

static struct kunit_case madt_test_cases[] = {
	KUNIT_CASE(test_enabled_counted_once),
	KUNIT_CASE(test_online_capable_from_revision_5),
	KUNIT_CASE(test_malformed),
	{}
};

static struct kunit_suite madt_test_suite = {
	.name = "rampart_madt",
	.test_cases = madt_test_cases,
};

kunit_test_suite(madt_test_suite);
