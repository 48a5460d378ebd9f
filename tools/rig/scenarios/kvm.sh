# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# KVM on the bare kernel (no Rampart): load the booted kernel's own kvm
# modules, run kvmtest (real mode, 64-bit paging with MMIO, SYSCALL and
# SYSRET with the guest's own MSRs, two vCPUs on threads, VM
# create/destroy cycles, on each CPU in turn, then vCPUs spread over the
# CPUs) and the kernel's KVM selftests, unload. The transcript
# (/tmp/kvm/bare.txt) is what a run under Rampart is compared with.
. ./lib.sh
. ./kvmlib.sh
if ! kvm_have; then
	skip "this initramfs has no KVM modules for the booted kernel (initramfs.sh KVMMODDIR)" \
		"KVM guests on the bare kernel"
	done_testing
	exit
fi
check "Rampart is not loaded" -- test ! -e /sys/kernel/rampart
mkdir -p /tmp/kvm
t0=$(kvm_uptime)
kvm_load
kvm_suite /tmp/kvm/bare.txt
kvm_unload
echo "# kvm scenario: $(kvm_took "$t0") s of guest time"
done_testing
