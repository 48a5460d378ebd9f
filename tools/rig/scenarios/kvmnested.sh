# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# KVM under Rampart (nested VMX): the booted kernel's own kvm modules load
# under the sealed default policy, which has root emulate VMX, and the
# same KVM tests as the kvm scenario run, each CPU in turn; every result
# must equal the bare run's earlier in this boot (/tmp/kvm/bare.txt).
. ./lib.sh
. ./kvmlib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
N=/sys/kernel/debug/rampart/nested
if ! kvm_have; then
	skip "this initramfs has no KVM modules for the booted kernel (initramfs.sh KVMMODDIR)" \
		"KVM guests under Rampart"
	done_testing
	exit
fi
if [ ! -d $R ]; then
	insmod $M/rampart.ko && echo 1 >$P/sealed
fi
is "$(cat $P/sealed)" 1 "Rampart loaded, policy sealed"
check "the policy in force emulates VMX (vmx.nested lock allow)" -- \
	grep -qx 'vmx.nested lock allow' $P/active
mkdir -p /tmp/kvm
t0=$(kvm_uptime)
kvm_load
check "Rampart is in use while kvm_intel is loaded (rmmod refused)" -- sh -c "! rmmod rampart 2>/dev/null"
kvm_suite /tmp/kvm/nested.txt
sed 's/^/# /' $N
kvm_unload
echo "# kvmnested scenario: $(kvm_took "$t0") s of guest time"
if [ -s /tmp/kvm/bare.txt ]; then
	diff /tmp/kvm/bare.txt /tmp/kvm/nested.txt >/tmp/kvm/diff
	rc=$?
	sed 's/^/# /' /tmp/kvm/diff
	tap $rc "every KVM test gives the same result under Rampart as on bare KVM"
else
	skip "the kvm scenario did not run earlier in this boot" \
		"every KVM test gives the same result under Rampart as on bare KVM"
fi
l2=$(awk '/^cpu/ { n += $5 } END { print n + 0 }' $N)
check "root ran the L2 guests ($l2 entries) and reflected their exits" -- \
	sh -c "[ $l2 -gt 0 ] && awk '/^cpu/ { r += \$7 } END { exit !(r > 0) }' $N"
is "$(awk '/^cpu/ { n += $15 } END { print n + 0 }' $N)" 0 "no L2 access was refused (the tests touch only their own memory)"
is "$(awk '/^cpu/ && $3 != 0' $N | wc -l)" 0 "no CPU is left in VMX operation after rmmod kvm_intel"
is "$(awk '$3 != 0' /sys/kernel/debug/rampart/vmcs)" "" \
	"root's VMREADs and VMWRITEs on vmcs01 and vmcs02 all succeeded on every CPU"
done_testing
