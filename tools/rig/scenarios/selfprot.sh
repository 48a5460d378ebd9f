# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Self-protection: the deprivileged kernel cannot write Rampart's root
# memory (EPT read-only), nor read the VMCS/VMXON pages (EPT absent).
. ./lib.sh
M=/lib/modules/rampart
D=/sys/kernel/debug/rampart
check "insmod" -- insmod $M/rampart.ko
check "root page list is root-only (0400)" -- sh -c "ls -l $D/root_pages | grep -q '^-r--------'"
cat $D/memory | sed 's/^/# /'
before=$(cat /sys/kernel/rampart/cpus/cpu*/exits/ept_violation | awk '{s+=$1} END {print s}')
# One page of each kind: the first chunk (EPT PML4), a root stack page
# (vcpu + 8 KiB), a VMCS (the second "none" line), a page of root code
# and one of root tables (in the module image, through the direct map).
read_pa=$(awk '$3 == "read" {print $1; exit}' $D/root_pages)
vcpu=$(awk '$2 == 32768 {print $1; exit}' $D/root_pages)
vcpu_pa=$(printf '%#x' $((vcpu + 8192)))
none_pa=$(awk '$3 == "none" {if (++n == 2) {print $1; exit}}' $D/root_pages)
text_pa=$(awk '$3 == "text" {print $1; exit}' $D/root_pages)
rodata_pa=$(awk '$3 == "rodata" {print $1; exit}' $D/root_pages)
for pa in $read_pa $vcpu_pa $none_pa $text_pa $rodata_pa; do
	line=$(selfprot_write $pa)
	echo "# $line"
	echo "$line" | grep -q 'write=-14 intact=1'
	tap $? "write to root page $pa is stopped (-EFAULT), content intact"
	[ "$pa" = "$none_pa" ] && vmcs_line=$line
done
echo "$vmcs_line" | grep -q 'read=-14'
tap $? "VMCS page cannot even be read"
after=$(cat /sys/kernel/rampart/cpus/cpu*/exits/ept_violation | awk '{s+=$1} END {print s}')
echo "# ept_violation exits: $before before, $after after"
check "at least one EPT violation per attacked page" -- test $((after - before)) -ge 5
n=$(/selftests/rampartctl events | grep -c ' cpu\.root_access ')
check "root recorded each attempt on its memory ($n records)" -- test "$n" -ge 5
check "kernel still fine: rmmod" -- rmmod rampart
done_testing
