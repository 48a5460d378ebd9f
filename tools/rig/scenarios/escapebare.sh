# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The escape and weaken techniques without Rampart: each one happens (so
# the escape and weaken scenarios' refusals are Rampart's doing), and no
# CPU answers root.
. ./lib.sh
M=/lib/modules/rampart
ncpu=$(grep -c ^processor /proc/cpuinfo)
check "Rampart not loaded" -- sh -c "! test -d /sys/kernel/rampart"
check "insmod rp_escape" -- insmod $M/rp_escape.ko
escape_attack stepirq
check "stepirq: interrupt frames land on the page; no CPU answers root" -- \
	grep -q "written=1 ping=0/$ncpu" /tmp/line
escape_attack pushf
check "pushf: natively the images hold IF as it was and TF clear" -- \
	grep -q "on_if=1 on_tf=0 off_if=0 off_tf=0 ping=0/$ncpu" /tmp/line
escape_attack crosspf
check "crosspf: the write into the unmapped page faults" -- grep -q "fault=1 ping=0/$ncpu" /tmp/line
escape_attack apicbase
check "apicbase: natively the xAPIC window moves (and was put back)" -- \
	grep -q "move_fault=0 moved=1" /tmp/line
skip "natively an INIT resets the other CPU and takes the machine down" "init and initnmi without Rampart"
check "rmmod rp_escape" -- rmmod rp_escape
check "insmod rp_weaken" -- insmod $M/rp_weaken.ko
weaken_attack poke
check "poke: natively a store through text_poke()'s poking PTE and mm writes module text" -- \
	grep -q "fault=0 intact=1" /tmp/line
weaken_attack moddel
check "moddel: natively no module call reaches root" -- grep -q "refused=0/18" /tmp/line
for t in lidt lgdt; do
	weaken_attack $t
	check "$t: natively IDTR/GDTR point at a writable copy (then put back)" -- \
		grep -q "fault=0 changed=1" /tmp/line
done
weaken_attack btf
check "btf natively: the four stores land, with no record" -- grep -q "stores=4 values=1,2,3,4" /tmp/line
weaken_attack dtload
check "dtload natively: the values the weaken scenario expects under root" -- \
	grep -q "ldt=0x50 ldt_after=0x0 tr=0x40 gdt=0xfffffe[0-9a-f]* limit=0x7f" /tmp/line
out=$(/selftests/sxdt)
echo "# sxdt: $out"
check "user-mode SGDT/SIDT/SLDT/STR run natively (no UMIP here)" -- \
	sh -c "echo '$out' | grep -q '^gdt 0x[0-9a-f]* 0x7f idt 0x[0-9a-f]* 0xfff ldt 0 tr 0x40$'"
check "rmmod rp_weaken" -- rmmod rp_weaken
done_testing
