# SPDX-License-Identifier: GPL-2.0-only
# The demo: load Rampart in the VMX machine and show what it found.
M=/lib/modules/rampart
R=/sys/kernel/rampart
echo "== insmod rampart.ko"
insmod $M/rampart.ko || exit 1
dmesg | grep 'rampart:'
echo "== $R"
echo "version: $(cat $R/version)   state: $(cat $R/state)"
echo "VMX features: $(cat $R/caps/features)"
for f in basic misc ept_vpid_cap pinbased_ctls procbased_ctls procbased_ctls2 exit_ctls entry_ctls; do
	printf '  %-16s %s\n' "$f" "$(cat $R/caps/$f)"
done
for c in $R/cpus/cpu*; do
	echo "  ${c##*/}: $(cat $c/state)"
done
echo "== rmmod rampart"
rmmod rampart && dmesg | tail -1
