# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Hot paths cause no VM exit: syscalls, page faults, context switches and
# timer interrupts, counted by Rampart's per-reason exit counters. CPUID is
# the reference that must exit.
. ./lib.sh
M=/lib/modules/rampart
check "insmod launches" -- insmod $M/rampart.ko
for spec in "syscall 20000" "fault 2000" "ctxsw 2000" "timer 200"; do
	out=$(/selftests/hotpath $spec)
	echo "# $out"
	exits=$(echo "$out" | sed -n 's/.* exits=\([0-9]*\).*/\1/p')
	is "$exits" 0 "${spec% *}: zero exits over ${spec#* } operations"
done
out=$(/selftests/hotpath cpuid 1000)
echo "# $out"
n=$(echo "$out" | sed -n 's/.* cpuid=\([0-9]*\).*/\1/p')
check "cpuid reference: 1000 CPUIDs counted as >= 1000 cpuid exits" -- test "${n:-0}" -ge 1000
check "rmmod" -- rmmod rampart
done_testing
