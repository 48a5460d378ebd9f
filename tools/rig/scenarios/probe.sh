# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# In the Bochs VMX machine: load in probe-only mode (launch=0), check what
# Rampart found against what Bochs is known to offer (TEST-PLATFORM.md),
# unload, load again.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart

dmesg_mark
check "insmod launch=0 succeeds" -- insmod $M/rampart.ko launch=0
is "$(cat $R/state)" probed "module state is probed"
dmesg_since | grep -q "rampart: loaded: VMCS revision 0x2b, $(grep -c ^processor /proc/cpuinfo) CPUs probed$"
tap $? "load is logged"
is "$(cat $R/caps/revision_id)" "0x2b" "VMCS revision is Bochs' 0x2b"
is "$(cat $R/caps/basic)" "0x00d810000000002b" "IA32_VMX_BASIC as measured in Bochs"
is "$(cat $R/caps/feature_control)" "0x0000000000000005" "feature control locked, VMX outside SMX"
for f in ept vpid unrestricted_guest vnmi msr_bitmaps ept_2m ept_1g ept_ad; do
	check "feature $f present" -- grep -qw $f $R/caps/features
done
check "no mbec in Bochs" -- sh -c "! grep -qw mbec $R/caps/features"
online=$(grep -c ^processor /proc/cpuinfo)
is "$(ls -d $R/cpus/cpu* | wc -l)" "$online" "one cpus/ directory per CPU"
for c in $R/cpus/cpu*; do
	is "$(cat $c/state)" native "${c##*/} is native"
	is "$(cat $c/vmxe)" 0 "${c##*/} had CR4.VMXE clear"
done
echo "# features: $(cat $R/caps/features)"
for f in $R/caps/*; do echo "# caps/${f##*/} = $(cat $f)"; done

check "rmmod succeeds" -- rmmod rampart
check "sysfs gone after rmmod" -- test ! -e $R
check "insmod again succeeds" -- insmod $M/rampart.ko launch=0
check "rmmod again succeeds" -- rmmod rampart
# A distribution kernel notes an unsigned module once, under the module's
# name ("rampart: module verification failed"): the kernel's line, not ours.
is "$(dmesg_since | grep 'rampart:' | grep -v 'module verification failed' |
	grep -ciE 'error|refus|fail')" 0 "no rampart error logged"

# Probe-only: there is no root, so sealing is refused (it once followed a
# NULL root state), with one line, and unloading still works.
check "insmod launch=0 for the seal check" -- insmod $M/rampart.ko launch=0
dmesg_mark
check "launch=0: writing 1 to policy/sealed is refused" -- \
	sh -c "! echo 1 2>/dev/null >$R/policy/sealed"
is "$(cat $R/policy/sealed)" 0 "... and the policy is not sealed"
is "$(dmesg_since | grep -c 'seal refused: Rampart is not launched (launch=0) (-19)')" 1 \
	"... with one log line (ENODEV)"
check "rmmod after the refused seal" -- rmmod rampart
done_testing
