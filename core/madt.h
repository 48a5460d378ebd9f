/* SPDX-License-Identifier: GPL-2.0-only */
/* CPUs the firmware lists (core/madt.c). */
#ifndef RAMPART_CORE_MADT_H
#define RAMPART_CORE_MADT_H

struct acpi_table_madt;

int rampart_madt_cpus(const struct acpi_table_madt *madt);

#endif /* RAMPART_CORE_MADT_H */
