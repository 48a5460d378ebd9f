/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef RAMPART_VMX_HOST_H
#define RAMPART_VMX_HOST_H

#include "root/vcpu.h"

void rampart_host_tables_init(struct rampart_vcpu *v);

#endif /* RAMPART_VMX_HOST_H */
