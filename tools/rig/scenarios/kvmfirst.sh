# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# KVM first: from 6.12, kvm.ko enables VMX when it loads
# (enable_virt_at_load), so a Rampart loaded after kvm_intel must refuse
# with one line that names kvm_intel and the fix, and load once it is gone.
. ./lib.sh
M=/lib/modules/rampart
K=/lib/modules/kvm
if ! [ -e $K/kvm-intel.ko ]; then
	skip "this initramfs has no KVM modules (initramfs.sh KVMMODDIR)" \
		"kvm_intel holding VMX makes Rampart refuse"
	done_testing
	exit
fi
if ! grep -q enable_virt_at_load $K/kvm.ko; then
	skip "this kernel's kvm enables VMX only while a VM exists (no enable_virt_at_load before 6.12)" \
		"kvm_intel holding VMX makes Rampart refuse"
	done_testing
	exit
fi
check "insmod irqbypass, kvm and kvm_intel" -- \
	sh -c "insmod $K/irqbypass.ko && insmod $K/kvm.ko && insmod $K/kvm-intel.ko"
check "kvm enabled VMX at load: /dev/kvm is there" -- test -c /dev/kvm
dmesg_mark
check "insmod rampart refuses while kvm_intel holds VMX" -- sh -c "! insmod $M/rampart.ko"
dmesg_since | grep rampart | sed 's/^/# /'
# busybox insmod tries finit_module, then init_module: a line per attempt.
# A distribution kernel's taint notes come with the first load of the boot.
lines=$(dmesg_since | grep 'rampart:' | grep -vc -e 'taints kernel' -e 'module verification failed')
named=$(dmesg_since | grep -c 'rampart: refusing to load: VMX already in use on cpu[0-9]* (CR4.VMXE set), most likely by kvm_intel; load rampart before kvm_intel')
check "each attempt logs one line, naming kvm_intel and the fix ($named of $lines)" -- \
	test "$named" -ge 1 -a "$named" -eq "$lines"
check "nothing of Rampart stays" -- test ! -e /sys/kernel/rampart
check "rmmod kvm_intel kvm irqbypass" -- rmmod kvm_intel kvm irqbypass
check "then Rampart loads" -- insmod $M/rampart.ko
is "$(cat /sys/kernel/rampart/state)" launched "and launches"
check "rmmod rampart" -- rmmod rampart
done_testing
