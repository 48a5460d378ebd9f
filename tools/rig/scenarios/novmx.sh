# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Without VMX (QEMU TCG), loading must fail with ENODEV and exactly one log
# line naming the missing feature, and leave nothing behind.
. ./lib.sh
M=/lib/modules/rampart

check "CPU really lacks VMX" -- sh -c '! grep -qw vmx /proc/cpuinfo'
dmesg_mark
out=$(/selftests/finit $M/rampart.ko)
rc=$?
echo "# $out"
tap $((rc == 0)) "loading fails"
is "$out" "finit: $M/rampart.ko: ENODEV" "errno is ENODEV"
lines=$(dmesg_since | grep 'rampart:' | grep -v 'taints kernel')
echo "# kernel said: $lines"
is "$(echo "$lines" | grep -c .)" 1 "exactly one log line"
echo "$lines" | grep -qF 'refusing to load: CPU lacks VMX (CPUID.1:ECX[5])'
tap $? "the line names the missing feature"
check "no module left loaded" -- sh -c '! grep -q "^rampart " /proc/modules'
check "no sysfs directory left" -- test ! -e /sys/kernel/rampart
done_testing
