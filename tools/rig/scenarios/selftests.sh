# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# kselftests from tools/testing/selftests/rampart, with rampart.ko loaded.
# Each binary prints its own TAP (kselftest_harness.h).
M=/lib/modules/rampart
# The tests read VMX MSRs through /dev/cpu/N/msr; a distribution kernel
# has the msr driver as a module (packed by initramfs.sh when given).
if ! [ -e /dev/cpu/0/msr ] && [ -e /lib/modules/stock/msr.ko ]; then
	insmod /lib/modules/stock/msr.ko	# devtmpfs makes the nodes
fi
insmod $M/rampart.ko || { echo "1..0 # insmod failed"; exit 1; }
/selftests/sysfs_test
rc=$?
rmmod rampart || rc=1
exit $rc
