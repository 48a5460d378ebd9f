# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Late launch: every CPU runs the kernel in VMX non-root mode after load,
# and is native again after unload.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart

dmesg_mark
check "insmod launches" -- insmod $M/rampart.ko
is "$(cat $R/state)" launched "module state is launched"
for c in $R/cpus/cpu*; do
	is "$(cat $c/state)" launched "${c##*/} answers from VMX root"
	echo "# ${c##*/} exits: total=$(cat $c/exits/total) cpuid=$(cat $c/exits/cpuid) vmcall=$(cat $c/exits/vmcall) nmi=$(cat $c/exits/nmi)"
done
# Every file the module made, with its mode, for the ABI gate
# (tools/check-abi.py): "abi: MODE PATH", then "abi-end N" with the count.
n=0
for f in $(find $R /sys/kernel/debug/rampart -type f | sort); do
	echo "abi: $(stat -c %a "$f") $f"
	n=$((n + 1))
done
echo "abi-end $n"
check "sysfs and debugfs list files" -- test "$n" -gt 0
check "a process runs" -- sh -c 'ls / >/dev/null && echo hi | cat >/dev/null'
check "rmmod devirtualizes" -- rmmod rampart
check "sysfs gone" -- test ! -e $R
dmesg_since | grep rampart | sed 's/^/# /'
check "insmod again" -- insmod $M/rampart.ko
check "rmmod again" -- rmmod rampart
done_testing
