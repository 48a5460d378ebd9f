# SPDX-License-Identifier: GPL-2.0-only
# Booted with nr_cpus=1 on two CPUs: the MADT lists cpu1 but Linux never
# made it present, so it is not even in the hotplug state machine and can
# never be launched. Anyone who starts it gets a native CPU, so sealing is
# refused for as long as Rampart runs (EBUSY, one line), by the kernel side
# and by root.
. ./lib.sh
M=/lib/modules/rampart
P=/sys/kernel/rampart/policy
is "$(grep -c ^processor /proc/cpuinfo)" 1 "Linux runs one CPU (nr_cpus=1)"
check "cpu1 is not present" -- test ! -d /sys/devices/system/cpu/cpu1
check "insmod" -- insmod $M/rampart.ko
dmesg -c >/dev/null
refused=0
echo 1 >$P/sealed 2>/tmp/err || refused=1
is "$refused" 1 "sealing refused while the MADT lists a CPU Linux does not have"
sed 's/^/# /' /tmp/err
check "... EBUSY" -- grep -q 'busy' /tmp/err
dmesg | grep 'seal refused' | sed 's/^/# /'
check "... one log line naming the MADT" -- \
	sh -c "test \$(dmesg | grep -c 'seal refused: the MADT lists 1 CPU(s) beyond the 1 Linux has') -eq 1"
is "$(cat $P/sealed)" 0 "... not sealed"
check "insmod rp_escape" -- insmod $M/rp_escape.ko
dmesg -c >/dev/null
echo seal >/sys/module/rp_escape/parameters/run
dmesg | grep -o 'rp_escape: seal: .*' | sed 's/^/# /'
check "a SEAL hypercall past the kernel side: root refuses it too (EBUSY, MADT)" -- \
	sh -c "dmesg | grep -q 'rp_escape: seal: ret=-16 missing=2147483647'"
is "$(cat $P/sealed)" 0 "... still not sealed"
check "rmmod rp_escape" -- rmmod rp_escape
check "rmmod rampart (unsealed)" -- rmmod rampart
done_testing
