# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Idle: Rampart adds no wake-ups to an idle machine. Its only timer, the
# event drain (core/events.c), backs off to 5 s with no events and is
# deferrable, so it runs only when a CPU wakes anyway. Reported: local-
# timer interrupts (LOC, all CPUs) over 10 s of guest time, bare and with
# Rampart loaded; judged: the drain timer's own runs in those 10 s.
. ./lib.sh
M=/lib/modules/rampart
T=/sys/kernel/debug/rampart/timing
loc() {
	awk '$1 == "LOC:" { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts
}
runs() { awk '$1 == "drain_runs" {print $2}' $T; }
idle10() { a=$(loc); sleep 10; echo $(($(loc) - a)); }

check "Rampart not loaded" -- test ! -d /sys/kernel/rampart
bare=$(idle10)
check "insmod" -- insmod $M/rampart.ko
sleep 12	# 0.1 s doubling to 5 s, where CPUs wake at all
r0=$(runs)
with=$(idle10)
r1=$(runs)
# Unload before printing: its log lines would cut into a TAP line.
check "rmmod" -- rmmod rampart
echo "# idle 10 s: $bare local-timer interrupts bare, $with with Rampart; the drain ran $r0 times in the 12 s before, $((r1 - r0)) in these 10 s"
check "idle: the drain ran at most twice in 10 s idle ($((r1 - r0)))" -- test $((r1 - r0)) -le 2
done_testing
