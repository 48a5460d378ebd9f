# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# KUnit suites: load the test module between markers; the host judges the
# KTAP the suites print on the console with kunit.py (insmod's status means
# nothing). The console copy is used because 6.1's debugfs results keep
# only 512 bytes per test and drop parameterised cases.
M=/lib/modules/rampart
echo "RIG-KTAP-BEGIN console"
insmod $M/rampart_test.ko
echo "RIG-KTAP-END"
n=$(ls -d /sys/kernel/debug/kunit/rampart_* 2>/dev/null | wc -l)
echo "kunit: $n rampart suites in debugfs"
rmmod rampart_test
[ "$n" -gt 0 ]
