# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# kselftests from tools/testing/selftests/rampart, with rampart.ko loaded.
# Each binary prints its own TAP (kselftest_harness.h).
M=/lib/modules/rampart
insmod $M/rampart.ko || { echo "1..0 # insmod failed"; exit 1; }
/selftests/sysfs_test
rc=$?
rmmod rampart || rc=1
exit $rc
