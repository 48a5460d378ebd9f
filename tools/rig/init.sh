#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0-only
# /init of the rig's initramfs: mount the usual file systems, run the
# scenarios named by rampart_rig=a,b,c on the kernel command line, power off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /run && mount -t tmpfs tmpfs /run

scenarios=$(sed -n 's/.*rampart_rig=\([^ ]*\).*/\1/p' /proc/cmdline)
# busy: CPU seconds spent not idle since boot, all CPUs (/proc/stat, in
# USER_HZ ticks: user nice system idle iowait irq softirq steal).
busy() {
	awk '$1 == "cpu" { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8 + $9) / 100 }' /proc/stat
}
echo "RIG-BEGIN cpus=$(grep -c ^processor /proc/cpuinfo) scenarios=$scenarios up=$(cut -d' ' -f1 /proc/uptime) busy=$(busy)"
for s in $(echo "$scenarios" | tr , ' '); do
	echo "RIG-SCENARIO-BEGIN $s"
	if [ -f "/scenarios/$s.sh" ]; then
		( cd /scenarios && sh "./$s.sh" ) 2>&1
		rc=$?
	else
		echo "rig: no scenario $s"
		rc=127
	fi
	# Guest seconds since boot, and CPU seconds not idle (all CPUs), for
	# where the emulation goes: an idle emulated CPU costs little.
	echo "RIG-SCENARIO-END $s rc=$rc up=$(cut -d' ' -f1 /proc/uptime) busy=$(busy)"
done
# The same mark in the kernel's log: console lines keep printk order, but
# user output waits in the serial driver's buffer behind them, so only
# this copy shows which kernel lines came after the scenarios.
echo "rig: RIG-END" > /dev/kmsg 2>/dev/null
echo "RIG-END"
sync
poweroff -f
