# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Booted with maxcpus=1: cpu1 is present but was never started, so it is
# not under Rampart. Sealing is refused (EBUSY, naming the CPU) until it
# comes online and launches. Leaves Rampart loaded and sealed.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
C1=/sys/devices/system/cpu/cpu1
check "cpu1 is present" -- test -d $C1
is "$(cat $C1/online)" 0 "cpu1 is offline (maxcpus=1)"
check "insmod" -- insmod $M/rampart.ko
seal_refused "cpu1 is not under Rampart" \
	"seal refused: CPUs 1 are not under Rampart; online them first" 1
check "online cpu1" -- sh -c "echo 1 >$C1/online"
is "$(cat $R/cpus/cpu1/state)" launched "cpu1 launched by hotplug"
check "now sealing works" -- sh -c "echo 1 >$P/sealed"
is "$(cat $P/sealed)" 1 "sealed"
skip "Bochs 2.7 re-raises a refused INIT at every VM entry (hardware consumes it)" \
	"INIT-SIPI-SIPI to cpu1 once sealed"
done_testing
