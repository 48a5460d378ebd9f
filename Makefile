# SPDX-License-Identifier: GPL-2.0-only
#
# Rampart. Out of tree:  make [KDIR=/path/to/kernel/build]
# In tree: drop this directory into the kernel and source its Kconfig.
# Rig targets: make demo, make check, make rootfuzz, make soak (see README).

# Objects that run in VMX root mode (DESIGN.md principle 2): everything in
# vmx/root/ and ept/root/, plus the portable policy compiler and decisions,
# which also build in root. They are built without instrumentation the
# kernel would have to service: no ftrace hooks, no call padding (call-depth
# tracking would patch per-CPU accounting into it), no stack protector (its
# canary sits in the kernel's per-CPU area), no sanitizers. Returns and
# indirect branches go through root's own thunks (vmx/root/thunks.h).
# tools/check-root-syms.sh then checks that they reference no kernel
# symbol outside tools/root-syms.allow and keep their code and constant
# tables in the root sections; tools/check-root-includes.py and
# tools/check-calls.py check what they include and that they call in
# no cycle.
RAMPART_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
RAMPART_ROOT_DIRS := vmx/root ept/root
RAMPART_ROOT_PORTABLE := policy/compile.o policy/decide.o
RAMPART_ROOT_SRCS := $(sort $(foreach d,$(RAMPART_ROOT_DIRS),\
	$(wildcard $(RAMPART_DIR)/$(d)/*.c $(RAMPART_DIR)/$(d)/*.S)))
RAMPART_ROOT_OBJS := $(patsubst $(RAMPART_DIR)/%,%,\
	$(addsuffix .o,$(basename $(RAMPART_ROOT_SRCS)))) \
	$(RAMPART_ROOT_PORTABLE)
# root_begin.o and root_end.o open and close the root sections; they go
# first and last in the link.
RAMPART_ROOT_BODY := $(filter-out vmx/root/root_begin.o vmx/root/root_end.o,\
	$(RAMPART_ROOT_OBJS))

ifneq ($(KERNELRELEASE),)
# ---- Kbuild part --------------------------------------------------------

ifneq ($(KBUILD_EXTMOD),)
CONFIG_RAMPART := m
CONFIG_RAMPART_KUNIT_TEST := $(if $(CONFIG_KUNIT),m)
endif

obj-$(CONFIG_RAMPART) += rampart.o
# vmx/root/root_begin.o and root_end.o must stay first and last: they open
# and close the page-aligned root sections (vmx/root/root.h).
rampart-y := vmx/root/root_begin.o \
	     core/main.o core/probe.o core/sysfs.o core/debugfs.o core/arena.o \
	     core/launch.o core/power.o core/policy.o core/policy_sysfs.o \
	     core/events.o core/madt.o core/default_policy.o \
	     core/trace.o core/ring.o core/ksym.o core/watch.o core/watch_events.o \
	     hooks/textpoke.o hooks/modules.o \
	     vmx/caps.o vmx/vmcs.o vmx/host.o vmx/hostpt.o \
	     ept/mtrr.o ept/map.o \
	     policy/parse.o policy/render.o policy/assets.o \
	     $(RAMPART_ROOT_BODY) \
	     vmx/root/root_end.o

print-kbuild-objs:
	@echo $(rampart-y)

root-cflags-remove := $(CC_FLAGS_FTRACE) $(PADDING_CFLAGS) -fstack-protector \
		      -fstack-protector-strong $(CC_FLAGS_CFI)
$(foreach o,$(RAMPART_ROOT_OBJS),\
	$(eval CFLAGS_REMOVE_$(o) += $(root-cflags-remove))\
	$(eval CFLAGS_$(o) += -DRAMPART_ROOT -fno-stack-protector \
		-fno-tree-loop-distribute-patterns \
		-DRAMPART_ROOT_THUNKS -include $(RAMPART_DIR)/vmx/root/thunks.h)\
	$(eval AFLAGS_REMOVE_$(o) += $(RETPOLINE_CFLAGS))\
	$(eval KASAN_SANITIZE_$(notdir $(o)) := n)\
	$(eval KCSAN_SANITIZE_$(notdir $(o)) := n)\
	$(eval UBSAN_SANITIZE_$(notdir $(o)) := n)\
	$(eval KCOV_INSTRUMENT_$(notdir $(o)) := n))

# The policy compiler and decisions run in root inside rampart.ko.
CFLAGS_policy/compile.o += -DRAMPART_POLICY_ROOT
CFLAGS_policy/decide.o += -DRAMPART_POLICY_ROOT
# So does the VM-entry checker; rig builds (RAMPART_ENTRY_CHECK=1) run it
# before every VM entry root edited, not only at launch.
CFLAGS_vmx/root/check.o += -DRAMPART_CHECK_ROOT
CFLAGS_vmx/root/vmcs_fields.o += -DRAMPART_CHECK_ROOT
ifeq ($(RAMPART_ENTRY_CHECK),1)
CFLAGS_vmx/root/exit.o += -DRAMPART_ENTRY_CHECK
endif
# What the kernel provides, where no macro tells (core/compat.h).
include $(RAMPART_DIR)/kernel-have.mk
# The tracepoint header includes itself by relative path.
CFLAGS_core/trace.o += -I$(src)/core

obj-$(CONFIG_RAMPART_KUNIT_TEST) += rampart_test.o
rampart_test-y := kunit/lib.o kunit/caps_test.o kunit/mtrr_test.o kunit/madt_test.o \
		  kunit/check_test.o kunit/policy_lib.o kunit/policy_test.o \
		  kunit/default_policy_lib.o kunit/insn_width_test.o

else
# ---- user part ----------------------------------------------------------

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $@

# Fail if any VMX-root object references a kernel symbol.
check-root: modules
	tools/check-root-syms.sh $(RAMPART_ROOT_OBJS)

print-root-objs:
	@echo $(RAMPART_ROOT_OBJS)

# Every object of rampart.ko, from the Kbuild list above.
print-objs:
	@$(MAKE) -s -f $(lastword $(MAKEFILE_LIST)) KERNELRELEASE=x print-kbuild-objs

demo:
	tools/rig/demo.sh

check:
	tools/rig/test.sh

# Every Bochs scenario on Debian's stock 6.12 (CI runs a daily share).
check-612:
	tools/rig/test612.sh

# Nested VMX with the full KVM set (every KVM selftest, kvmtest's default
# counts) on the test kernel; test.sh runs the quick set.
check-nested:
	tools/rig/check-nested.sh

# The guest-side fuzzer of root (issue 19), a long run on one Bochs
# machine: the regression seeds of tools/rig/rootfuzz.seeds, then
# ROOTFUZZ_SEEDS random ones of ROOTFUZZ_OPS operations each, on
# ROOTFUZZ_KERNEL (test, stock61 or stock612); log .out/rootfuzz-KERNEL.log.
ROOTFUZZ_SEEDS ?= 40
ROOTFUZZ_OPS ?= 2000
ROOTFUZZ_TIMEOUT ?= 14400
ROOTFUZZ_KERNEL ?= test
rootfuzz:
	tools/rig/run.sh --vm bochs --timeout $(ROOTFUZZ_TIMEOUT) \
		--kernel $(ROOTFUZZ_KERNEL) --log rootfuzz-$(ROOTFUZZ_KERNEL) \
		--append "ROOTFUZZ_SEEDS=$(ROOTFUZZ_SEEDS) ROOTFUZZ_OPS=$(ROOTFUZZ_OPS)" rootfuzz

# The soak (issue 19): SOAK_SECS of guest time on 4 Bochs CPUs, sealed,
# with hotplug attempts, module churn, policy reloads, text patching, NMI
# IPIs, watched and denied stores and a fork/exec load all at once, on
# SOAK_KERNEL (test, stock61 or stock612); log .out/soak-KERNEL.log.
# SOAK_IPS is each guest CPU's instruction rate, as the workload scenario
# runs it: at 50 MIPS a 30 min soak takes about 4 h of wall time here.
SOAK_SECS ?= 1800
SOAK_KERNEL ?= test
SOAK_TIMEOUT ?= 36000
SOAK_IPS ?= 10000000
soak:
	tools/rig/run.sh --vm bochs --cpus 4 --timeout $(SOAK_TIMEOUT) \
		--ips $(SOAK_IPS) \
		--kernel $(SOAK_KERNEL) --log soak-$(SOAK_KERNEL) \
		--append "SOAK_SECS=$(SOAK_SECS)" soak,poweroff

bench:
	tools/bench/bench.sh
	tools/bench/nested.sh

# Where a module unload's guest time goes, bare, by delete_module()'s
# callees (function_graph): the stock kernel's modload swing (issue 19).
# MODUNLOAD_APPEND adds kernel parameters, e.g. rcupdate.rcu_expedited=1.
MODUNLOAD_KERNEL ?= stock61
MODUNLOAD_CYCLES ?= 20
MODUNLOAD_APPEND ?=
bench-modunload:
	tools/rig/run.sh --vm bochs --timeout 3600 \
		--kernel $(MODUNLOAD_KERNEL) --log modunload-$(MODUNLOAD_KERNEL) \
		--append "MODUNLOAD_CYCLES=$(MODUNLOAD_CYCLES) $(MODUNLOAD_APPEND)" \
		modunload,poweroff

# The nested-KVM benchmark alone (KVM's guests bare and on Rampart, one boot).
bench-nested:
	tools/bench/nested.sh

# The README's two commands on a fresh debootstrap'ed Debian 12 (root).
fresh-check:
	tools/ci/fresh-machine.sh

# The end-to-end boot test of the installed packages (Debian 12 root,
# update-initramfs, Bochs).
check-boot:
	tools/rig/check-boot.sh

# ---- install ------------------------------------------------------------
# make install [DESTDIR=...] [PREFIX=/usr] [KDIR=...]: the module (for
# KDIR's kernel, in /lib/modules/<release>/$(INSTALL_MOD_DIR)), then
# install-tools: rampartctl, its man page and bash completion, the systemd
# unit, the initramfs-tools hook and init-top script, /etc/rampart/ and
# /etc/modprobe.d/rampart.conf. Files under /etc are installed only where
# none exists, and make uninstall removes them only while they are as
# shipped (a changed configuration stays, and make says so), as dpkg
# treats conffiles on remove. The unit and the initramfs files go where
# systemd and initramfs-tools look (Debian 12), not under PREFIX; the unit
# and the hook get SBINDIR's rampartctl.
# Debian's packages use install-tools (rampart) and DKMS (rampart-dkms).
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
INITRAMFSDIR ?= /usr/share/initramfs-tools
INSTALL_MOD_DIR ?= extra
INSTALL ?= install
# KDIR's release as modules see it (vermagic); Debian's headers have a
# different string in include/config/kernel.release.
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# A kernel tree that signs modules at modules_install but has no key
# there (Debian's headers name output/signing_key.pem and ship none): leave
# the module unsigned rather than have sign-file fail noisily. DKMS signs
# with its MOK key instead (README, DKMS).
SIGKEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\{0,1\}\([^"]*\)"\{0,1\}$$/\1/p' \
	$(KDIR)/include/config/auto.conf 2>/dev/null)
NOSIGN = $(if $(filter-out pkcs11:%,$(SIGKEY)),$(if $(wildcard $(KDIR)/$(SIGKEY) \
	$(filter /%,$(SIGKEY))),,CONFIG_MODULE_SIG_ALL=))
DIST := tools/dist
CTL := tools/rampartctl
BASHCOMP := $(wildcard $(CTL)/rampartctl.bash-completion)
# Installed files under /etc: source:destination.
ETC_FILES := $(DIST)/rampart.conf:$(SYSCONFDIR)/rampart/rampart.conf \
	     $(DIST)/policy:$(SYSCONFDIR)/rampart/policy \
	     $(DIST)/modprobe-rampart.conf:$(SYSCONFDIR)/modprobe.d/rampart.conf

install: install-module install-tools

install-module: modules
	@test -n "$(KRELEASE)" || { echo "no kernel release in $(KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) DEPMOD=true $(NOSIGN) modules_install
	$(if $(DESTDIR),,depmod -a $(KRELEASE))

rampartctl:
	$(MAKE) -C $(CTL)

install-tools: rampartctl
	$(INSTALL) -D -m 0755 $(CTL)/rampartctl $(DESTDIR)$(SBINDIR)/rampartctl
	$(INSTALL) -D -m 0644 $(CTL)/rampartctl.8 $(DESTDIR)$(MANDIR)/man8/rampartctl.8
	$(if $(BASHCOMP),$(INSTALL) -D -m 0644 $(BASHCOMP) \
		$(DESTDIR)$(BASHCOMPDIR)/rampartctl)
	$(INSTALL) -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(INITRAMFSDIR)/hooks
	sed 's|^ExecStart=/usr/sbin/rampartctl |ExecStart=$(SBINDIR)/rampartctl |' \
		$(DIST)/rampart.service >$(DESTDIR)$(UNITDIR)/rampart.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/rampart.service
	sed 's|^ctl=/usr/sbin/rampartctl$$|ctl=$(SBINDIR)/rampartctl|' \
		$(DIST)/initramfs-hook >$(DESTDIR)$(INITRAMFSDIR)/hooks/rampart
	chmod 0755 $(DESTDIR)$(INITRAMFSDIR)/hooks/rampart
	$(INSTALL) -D -m 0755 $(DIST)/initramfs-init-top \
		$(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/rampart
	@set -e; for f in $(ETC_FILES); do \
		src=$${f%%:*} dst=$(DESTDIR)$${f#*:}; \
		if [ -e "$$dst" ]; then echo "kept $$dst (exists)"; \
		else echo "$(INSTALL) -D -m 0644 $$src $$dst"; \
			$(INSTALL) -D -m 0644 "$$src" "$$dst"; fi; \
	done

uninstall: uninstall-module uninstall-tools

uninstall-module:
	@test -n "$(KRELEASE)" || { echo "no kernel release in $(KDIR)" >&2; exit 1; }
	rm -f $(DESTDIR)/lib/modules/$(KRELEASE)/$(INSTALL_MOD_DIR)/rampart.ko* \
	      $(DESTDIR)/lib/modules/$(KRELEASE)/$(INSTALL_MOD_DIR)/rampart_test.ko*
	$(if $(DESTDIR),,depmod -a $(KRELEASE))

uninstall-tools:
	rm -f $(DESTDIR)$(SBINDIR)/rampartctl $(DESTDIR)$(MANDIR)/man8/rampartctl.8 \
	      $(DESTDIR)$(BASHCOMPDIR)/rampartctl $(DESTDIR)$(UNITDIR)/rampart.service \
	      $(DESTDIR)$(INITRAMFSDIR)/hooks/rampart \
	      $(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/rampart
	@set -e; for f in $(ETC_FILES); do \
		src=$${f%%:*} dst=$(DESTDIR)$${f#*:}; \
		if [ ! -e "$$dst" ]; then :; \
		elif cmp -s "$$src" "$$dst"; then echo "rm -f $$dst"; rm -f "$$dst"; \
		else echo "kept $$dst (changed since installed)"; fi; \
	done
	rmdir $(DESTDIR)$(SYSCONFDIR)/rampart 2>/dev/null || true

# Debian packages rampart and rampart-dkms, in the parent directory.
deb package:
	dpkg-buildpackage -us -uc -b

.PHONY: all modules clean check-root print-root-objs print-objs demo check check-612 check-nested rootfuzz soak bench bench-modunload bench-nested \
	fresh-check check-boot install install-module install-tools rampartctl uninstall \
	uninstall-module uninstall-tools deb package
endif
