# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# A mixed workload for at least 60 s of guest time with the kernel in VMX
# non-root mode: fork/exec, pipes, file I/O in tmpfs, module load/unload,
# and CPU offline/online (the CPU is devirtualized, then launched again).
# Each round ends with a short sleep, so idle and timer paths run too, and
# Bochs (clock sync=none) moves guest time on quickly while CPUs halt.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
SECS=${WORKLOAD_SECS:-60}

# "reason count" for every exit reason, summed over CPUs, in one read.
exits() { /selftests/hotpath dump; }

check "insmod launches" -- insmod $M/rampart.ko
exits >/tmp/exits.before
last=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | sort -V | tail -1)
start=$(date +%s) iter=0 execs=0 mods=0 hot=0 hotfail=0
while [ $(($(date +%s) - start)) -lt "$SECS" ]; do
	iter=$((iter + 1))
	for _ in 1 2 3 4 5; do /bin/busybox true && execs=$((execs + 1)); done
	dd if=/dev/zero bs=4096 count=128 2>/dev/null | cat >/tmp/w.$iter
	cat /tmp/w.$iter | md5sum >/dev/null
	rm /tmp/w.$iter
	insmod $M/rp_dummy.ko && rmmod rp_dummy && mods=$((mods + 1))
	if [ $((iter % 4)) -eq 1 ] && [ "$last" != /sys/devices/system/cpu/cpu0 ]; then
		n=${last##*cpu}
		echo 0 >$last/online
		s_off=$(cat $R/cpus/cpu$n/state)
		echo 1 >$last/online
		s_on=$(cat $R/cpus/cpu$n/state)
		hot=$((hot + 1))
		[ "$s_off" = native ] && [ "$s_on" = launched ] || {
			hotfail=$((hotfail + 1))
			echo "# hotplug $hot: offline=$s_off online=$s_on"
		}
	fi
	sleep 3
done
end=$(date +%s)
exits >/tmp/exits.after
echo "# $iter iterations in $((end - start)) s of guest time: $execs execs, $mods module load/unload, $hot CPU offline/online"
echo "# exits during the workload (reason: count):"
delta() { awk 'NR == FNR {b[$1] = $2; next} {print $1, $2 - b[$1]}' /tmp/exits.before /tmp/exits.after; }
delta | awk '$2 != 0 {print "#   " $1 ": " $2}'
check "ran for at least $SECS s of guest time" -- test $((end - start)) -ge "$SECS"
check "fork/exec ran" -- test "$execs" -gt 0
check "module load/unload ran" -- test "$mods" -gt 0
if [ "$last" = /sys/devices/system/cpu/cpu0 ]; then
	skip "one CPU only" "CPU offline/online"
else
	check "CPU offline/online ran" -- test "$hot" -gt 0
	is "$hotfail" 0 "offline CPU is native, onlined CPU is launched again"
fi
is "$(delta | awk '$1 == "unexpected" {print $2}')" 0 "no unexpected exit"
for c in $R/cpus/cpu*; do
	is "$(cat $c/state)" launched "${c##*/} still launched"
done
check "rmmod" -- rmmod rampart
done_testing
