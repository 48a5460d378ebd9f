# SPDX-License-Identifier: GPL-2.0-only
# Kernel features no macro announces, asked of the headers rather than the
# version number (core/compat.h). Included by the Makefile's Kbuild part
# and by the header gate (tools/check-style.sh), so both see the same.
#   $(call rampart-have,EXTENDED-REGEX,HEADER-UNDER-SRCTREE) -> y or empty
rampart-have = $(shell grep -qsE '$(1)' $(srctree)/$(2) && echo y)

# Syscore ops hang off a struct syscore with a data pointer from 6.12.115
# (6.18 upstream): a change inside a stable series.
ccflags-$(call rampart-have,register_syscore.struct syscore ,include/linux/syscore_ops.h) += \
	-DRAMPART_HAVE_SYSCORE
