# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Leave Rampart loaded: the rig's final "poweroff -f" must go through the
# reboot notifier, which devirtualizes every CPU first. The host checks the
# lines the kernel prints after RIG-END (check-log.py --after-end).
. ./lib.sh
# Already loaded (and sealed) when the policy scenario ran before.
if [ -d /sys/kernel/rampart ]; then
	check "Rampart stays loaded" -- test "$(cat /sys/kernel/rampart/state)" = launched
else
	check "insmod, and stay loaded" -- insmod /lib/modules/rampart/rampart.ko
fi
done_testing
