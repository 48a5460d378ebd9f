# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Nothing weakens silently: with the policy sealed, a hostile module
# (rp_weaken) forges a text-poke window, tries to release module text
# with the old cookie and guessed handles, fills root's module-run table
# so that the next module would load unprotected, and claims a logged
# page as module text, and points IDTR and GDTR at copies of the tables.
# Root refuses and records each; the next module is refused while the
# table is full and loads once it is not. escapebare runs the same module
# without Rampart.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
CTL=/selftests/rampartctl

if [ ! -d $R ]; then
	insmod $M/rampart.ko && echo 1 >$P/sealed
fi
is "$(cat $P/sealed)" 1 "Rampart loaded, policy sealed"
check "the policy in force protects module text" -- grep -qx 'range.modules poke deny' $P/active
check "root recorded the policy loads so far (cpu.policy_load)" -- \
	sh -c "$CTL events | grep -q ' cpu.policy_load log '"
wr0=$(mem module_runs)
check "insmod rp_weaken" -- insmod $M/rp_weaken.ko
wr1=$(mem module_runs)
check "rp_weaken came in protected ($wr0 -> $wr1 runs)" -- test "$wr1" -gt "$wr0"

wp0=$(mem text_pokes_refused)
weaken_attack poke
check "poke: a store through a forged poking window faults; the text is intact" -- \
	grep -q "fault=1 intact=1" /tmp/line
is "$(($(mem text_pokes_refused) - wp0))" 1 "poke: root refused it as not text_poke()"
$CTL events -n 8 >/tmp/events
grep 'poke_refused' /tmp/events | sed 's/^/# /'
check "poke: recorded as a write refused for its RIP alone, with the RIP" -- \
	grep -q 'range.modules deny .* access write poke_refused rip rip 0x' /tmp/events

weaken_attack moddel
check "moddel: MODULE_DEL with the old cookie and 17 guessed handles: all refused" -- \
	grep -q "refused=18/18" /tmp/line
is "$(mem module_runs)" "$wr1" "moddel: every run stays held"
n=$($CTL events | grep -c ' cpu.module_handle deny ')
check "moddel: root recorded each refusal ($n)" -- test "$n" -ge 18

weaken_attack flood
check "flood: root stops taking runs once its table is full (ENOSPC)" -- grep -q "ret=-28" /tmp/line
mrf0=$($CTL events | grep -c ' cpu.module_refused deny ')
dmesg -c >/dev/null
out=$(/selftests/finit $M/rp_dummy.ko)
echo "# $out"
is "$out" "finit: $M/rp_dummy.ko: ENOSPC" "a module loaded while root cannot protect it is refused: ENOSPC"
dmesg | grep 'rp_dummy refused' | sed 's/^/# /'
check "... with one log line that names it" -- \
	sh -c "test \$(dmesg | grep -c 'rp_dummy refused: its text and rodata cannot be protected') -eq 1"
mrf1=$($CTL events | grep -c ' cpu.module_refused deny ')
check "... and root recorded it (cpu.module_refused, $mrf0 -> $mrf1)" -- test "$mrf1" -gt "$mrf0"
weaken_attack unflood
held=$(sed -n 's/.*released=\([0-9]*\)\/.*/\1/p' /tmp/line)
check "unflood: every flood handle released ($held)" -- grep -q "released=$held/$held" /tmp/line
check "rp_dummy loads once root has room" -- insmod $M/rp_dummy.ko
check "root recorded releases (cpu.module_del)" -- sh -c "$CTL events | grep -q ' cpu.module_del log '"
lpa=$(printf '0x%x' "$(cat /sys/module/rp_weaken/parameters/page_pa)")
(cat $P/active; echo "phys.$lpa+0x1000 ro log") >/tmp/weaken.policy
check "a stricter policy that logs a page loads while sealed" -- load /tmp/weaken.policy
weaken_attack addlog
check "addlog: root refuses to take the logged page as module text (EINVAL)" -- grep -q "ret=-22" /tmp/line
s0=$(mem logged_write_steps)
weaken_attack btf
s1=$(mem logged_write_steps)
check "btf: the four stores reached the logged page" -- grep -q "stores=4 values=1,2,3,4" /tmp/line
is "$((s1 - s0))" 4 "btf: with DEBUGCTL.BTF set, each store is its own step and record"
# ---- descriptor tables: LIDT/LGDT to copies ---------------------------------
(cat $P/active; echo "range.idt ro deny") >/tmp/idt.policy
check "a stricter policy that guards the IDT loads while sealed" -- load /tmp/idt.policy
dx() { /selftests/hotpath dump | awk -v k="$1" '$1 == k {print $2}'; }
ur() { awk '$1 ~ /_desc_user_refused$/ {s += $2} END {print s + 0}' /sys/kernel/debug/rampart/memory; }
g0=$(dx gdtr_idtr)
l0=$(dx ldtr_tr)
u0=$(ur)
# The SIGSEGVs are expected: keep their "general protection" lines out of
# the log the judge reads.
trace=$(cat /proc/sys/debug/exception-trace)
echo 0 >/proc/sys/debug/exception-trace
for i in sgdt sidt sldt str; do
	/selftests/sxdt $i >/dev/null 2>&1
	is "$?" 139 "user-mode ${i}: #GP from root, as with UMIP (SIGSEGV)"
done
echo "$trace" >/proc/sys/debug/exception-trace
g1=$(dx gdtr_idtr)
l1=$(dx ldtr_tr)
check "... each exited to root (gdtr_idtr $g0 -> $g1, ldtr_tr $l0 -> $l1)" -- \
	test $((g1 - g0)) -ge 2 -a $((l1 - l0)) -ge 2
is "$(($(ur) - u0))" 4 "... counted per CPU (desc_user_refused), not recorded"
weaken_attack dtload
check "dtload: LDT set and cleared, TR reloaded through the writable GDT, all completed by root" -- \
	grep -q "ldt=0x50 ldt_after=0x0 tr=0x40 gdt=0xfffffe[0-9a-f]* limit=0x7f" /tmp/line
for t in lidt lgdt; do
	weaken_attack $t
	check "$t: loading a copy of the table faults (#GP); the table in force is kept" -- \
		grep -q "fault=1 changed=0" /tmp/line
	table=$(sed -n 's/.* table=\(0x[0-9a-f]*\) .*/\1/p' /tmp/line)
	copy=$(sed -n 's/.* copy=\(0x[0-9a-f]*\)$/\1/p' /tmp/line)
	$CTL events -n 4 | grep " range.idt deny gp $t " | tail -1 >/tmp/desc
	sed 's/^/# /' /tmp/desc
	check "$t: recorded with the copy's base and the base in force" -- \
		grep -q "base $copy limit 0x[0-9a-f]* in_force $table " /tmp/desc
	sleep 1
	dmesg | grep 'DTR load' | tee -a /tmp/desc.log | sed 's/^/# /'
done
for r in IDTR GDTR; do
	check "kernel log: the denied $r load, with the culprit" -- \
		grep -q "denied (#GP) $r load .* at load_faulted.*\\[rp_weaken\\]" /tmp/desc.log
done
check "rmmod rp_dummy and rp_weaken" -- sh -c "rmmod rp_dummy && rmmod rp_weaken"
is "$(mem module_runs)" "$wr0" "their runs are released"
done_testing
