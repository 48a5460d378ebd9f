# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Booted with nr_cpus=1 on two CPUs: the MADT lists cpu1 but Linux never
# made it present, so it is not even in the hotplug state machine and can
# never be launched. Anyone who starts it gets a native CPU, so sealing is
# refused for as long as Rampart runs (EBUSY, one line), by the kernel side
# and by root.
. ./lib.sh
M=/lib/modules/rampart
is "$(grep -c ^processor /proc/cpuinfo)" 1 "Linux runs one CPU (nr_cpus=1)"
check "cpu1 is not present" -- test ! -d /sys/devices/system/cpu/cpu1
check "insmod" -- insmod $M/rampart.ko
seal_refused "the MADT lists a CPU Linux does not have" \
	"seal refused: the MADT lists 1 CPU(s) beyond the 1 Linux has" 2147483647
check "rmmod rampart (unsealed)" -- rmmod rampart
done_testing
