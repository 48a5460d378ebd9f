# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Policy: the default policy is in force at load; bad policies and bad
# writers are refused with one log line and change nothing; log and
# ignore actions behave; a 1000-rule policy loads; once sealed, a hostile
# module cannot change a locked CR bit or MSR, every attempt shows up in
# the counters, rampartctl and the tracepoint, and nothing relaxes the
# policy or unloads Rampart. Leaves Rampart loaded and sealed: run last
# before poweroff.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
E=$R/events
CTL=/selftests/rampartctl
T=/sys/kernel/tracing

# attack: load the hostile module; it stays loaded so that its RIPs still
# resolve to symbols when the trace is read. unattack unloads it.
attack() {
	dmesg -c >/dev/null
	insmod $M/rp_attack.ko
	dmesg | grep -o 'rp_attack: .*' >/tmp/attack
	sed 's/^/# /' /tmp/attack
}
unattack() { rmmod rp_attack; }
blocked() {
	grep -q "rp_attack: $1: fault=$2 changed=0" /tmp/attack
	tap $? "$1: write blocked ($3), value intact"
}
works() {
	grep -q "rp_attack: $1: fault=0 changed=1" /tmp/attack
	tap $? "$1: not locked, the write still works"
}

check "insmod" -- insmod $M/rampart.ko
gen=$(cat $P/generation)
check "default policy in force at load (generation $gen)" -- test "$gen" -ge 1
cat $P/active >/tmp/default.policy
sed 's/^/# /' /tmp/default.policy
check "default locks CR0.PE/WP/PG with #GP" -- grep -qx 'cr0.pe,wp,pg lock deny gp' /tmp/default.policy
check "default locks CR4.SMEP" -- grep -q '^cr4\..*smep.* lock deny gp$' /tmp/default.policy
n=0
for m in efer star lstar cstar syscall_mask sysenter_cs sysenter_esp sysenter_eip feature_control; do
	grep -qx "msr.$m lock deny gp" /tmp/default.policy && n=$((n + 1))
done
is "$n" 9 "default locks EFER, STAR, LSTAR, CSTAR, SYSCALL_MASK, SYSENTER_CS/ESP/EIP, FEATURE_CONTROL"
check "default locks MISC_ENABLE's XD-disable bit alone" -- \
	grep -qx 'msr.misc_enable/0x400000000 lock deny gp' /tmp/default.policy
check "default lets root emulate VMX for the kernel (vmx.nested lock allow)" -- \
	grep -qx 'vmx.nested lock allow' /tmp/default.policy
for c in $R/cpus/cpu*; do
	is "$(cat $c/policy_generation)" "$gen" "${c##*/} applies generation $gen"
done
is "$(stat -c %a $P/staging $P/commit $P/sealed $P/active $E/log | tr '\n' ' ')" \
	"200 200 644 444 400 " "mode bits: staging/commit 0200, sealed 0644, active 0444, events/log 0400"
$CTL --json status >/tmp/status.json
sed 's/^/# /' /tmp/status.json
is "$(wc -l </tmp/status.json)" 1 "rampartctl --json status: one line"
n=0
for k in '"state":"launched"' '"version":"' '"cpus":\[{"cpu":0,"state":"launched","policy_generation":' \
	"\"policy\":{\"generation\":$gen," '"sealed":false' '"events":{"total":'; do
	grep -q "^{.*$k.*}$" /tmp/status.json && n=$((n + 1))
done
is "$n" 6 "rampartctl --json status: state, version, cpus, policy generation, sealed, events"

# ---- malformed policies: refused with their line, nothing changes --------
check "hand-written malformed policies are in the image" -- test -d /policies/malformed
for f in /policies/malformed/*; do
	want=$(sed -n '1s/^# expect: \([0-9]*\) \([A-Z_0-9]*\).*/\1 \2/p' "$f")
	line=${want% *}
	dmesg -c >/dev/null
	load "$f" 2>/dev/null
	rc=$?
	msg=$(dmesg | grep 'rampart: policy')
	echo "# ${f##*/} ($want): $msg"
	[ "$rc" -ne 0 ] && [ "$(echo "$msg" | wc -l)" -eq 1 ] &&
		echo "$msg" | grep -q "policy rejected (sysfs): line $line: " &&
		[ "$(cat $P/generation)" = "$gen" ] && cat $P/active | cmp -s - /tmp/default.policy
	tap $? "${f##*/}: refused at line $line with one log line; policy in force unchanged"
done

# ---- the fuzz seed corpus: the kernel agrees with rampartctl ---------------
# Every seed rampartctl rejects must be rejected by the kernel at the same
# line, changing nothing (seeds it accepts would replace the policy).
for f in /policies/corpus/*; do
	want=$($CTL policy check --code "$f" 2>/dev/null) && continue
	line=${want%% *}
	dmesg -c >/dev/null
	load "$f" 2>/dev/null
	rc=$?
	msg=$(dmesg | grep 'rampart: policy')
	[ "$rc" -ne 0 ] && echo "$msg" | grep -q "line $line: " &&
		[ "$(cat $P/generation)" = "$gen" ]
	tap $? "corpus ${f##*/} ($want): kernel refuses it at the same line, nothing changes"
done

# ---- the policy copy is root's: the kernel cannot write it ------------------
# The shared root state (both policy slots) is the first 128 KiB arena chunk
# (the write-watch ring, allocated after it, is the same size).
pa=$(awk '$2 == 131072 && $3 == "read" {print $1; exit}' /sys/kernel/debug/rampart/root_pages)
line=$(selfprot_write $pa)
echo "# $line"
echo "$line" | grep -q 'write=-14 intact=1'
tap $? "a kernel write to root's policy copy ($pa) is stopped, content intact"
check "... and the policy in force is unchanged" -- sh -c "cat $P/active | cmp -s - /tmp/default.policy"

# ---- bad writers ------------------------------------------------------------
dmesg -c >/dev/null
/selftests/asuser 65534 sh -c "echo 1 >$P/sealed" 2>/dev/null
tap $((! $?)) "non-root write to policy/sealed refused (mode bits)"
/selftests/asuser nocap sh -c "echo 1 >$P/sealed" 2>/dev/null
tap $((! $?)) "root without CAP_SYS_ADMIN: write to policy/sealed refused"
check "... with one log line naming CAP_SYS_ADMIN" -- test "$(dmesg | grep -c 'CAP_SYS_ADMIN required')" -eq 1
/selftests/asuser nocap sh -c "cat /tmp/default.policy >$P/staging" 2>/dev/null
tap $((! $?)) "root without CAP_SYS_ADMIN: write to policy/staging refused"
is "$(cat $P/sealed)" 0 "still unsealed"
put 5 $P/commit
tap $((! $?)) "commit of a byte count that was not staged is refused (EBADMSG)"

# ---- rampartctl boot, on the live module -----------------------------------
# seal = no: the seal comes last, below. The policy file in force already,
# a new one, a broken one.
printf 'policy = /tmp/default.policy\nseal = no\n' >/tmp/boot.conf
dmesg -c >/dev/null
$CTL boot --config /tmp/boot.conf 2>/tmp/boot.err
rc=$?
sed 's/^/# /' /tmp/boot.err
is "$rc" 0 "rampartctl boot, the policy in force: exit 0"
is "$(cat /tmp/boot.err)" "rampart: boot: module already loaded
rampart: boot: policy /tmp/default.policy already in force ($(cat $P/rules) rules, generation $gen)
rampart: boot: not sealed (seal = no)" "... one line per step: loaded, already in force, not sealed"
check "... the same lines in the kernel log" -- \
	test "$(dmesg | grep -c 'rampart: boot: ')" -eq 3
(cat /tmp/default.policy; echo 'msr.tsc_aux lock log') >/tmp/boot.policy
printf 'policy = /tmp/boot.policy\nseal = no\n' >/tmp/boot.conf
$CTL boot --config /tmp/boot.conf 2>/tmp/boot.err
rc=$?
sed 's/^/# /' /tmp/boot.err
is "$rc" 0 "rampartctl boot, a new policy file: exit 0"
check "... applied: generation $((gen + 1))" -- \
	grep -q "^rampart: boot: policy /tmp/boot.policy applied ([0-9]* rules, generation $((gen + 1)))$" /tmp/boot.err
check "... in force" -- grep -qx 'msr.tsc_aux lock log' $P/active
printf '# broken\ncr4.pge lock deny gp\n' >/tmp/boot.policy
$CTL boot --config /tmp/boot.conf 2>/tmp/boot.err
rc=$?
sed 's/^/# /' /tmp/boot.err
is "$rc" 1 "rampartctl boot, a broken policy file: exit 1"
check "... its line and error; the policy in force stays" -- \
	grep -q "^rampart: boot: policy /tmp/boot.policy: line 2: unsafe: .*(EINVAL); the policy in force stays (generation $((gen + 1)))$" /tmp/boot.err
is "$(cat $P/generation)" "$((gen + 1))" "... and did not change"
is "$(cat $P/sealed)" 0 "rampartctl boot with seal = no: still unsealed"
check "back to the default policy" -- load /tmp/default.policy

# ---- deny-ignore and log actions -------------------------------------------
cat >/tmp/actions.policy <<'EOF2'
cr0.pe,wp,pg lock deny gp
cr4.smep lock deny gp
msr.lstar lock deny ignore
msr.tsc_aux lock log
EOF2
logged0=$(cat $E/logged)
check "policy with ignore and log actions loads" -- load /tmp/actions.policy
is "$(mem module_runs)" 0 "a policy without the modules rule releases every module run"
# rampartctl events -f follows the tracepoint in a tracefs instance of its
# own, from here on (-n 0), until killed.
mount -t tracefs nodev $T 2>/dev/null
$CTL events -f -n 0 >/tmp/follow 2>&1 &
fpid=$!
i=0
while [ ! -e $T/instances/rampartctl.$fpid/trace_pipe ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "rampartctl events -f: its tracefs instance rampartctl.$fpid" -- \
	test -e $T/instances/rampartctl.$fpid/trace_pipe
sleep 0.5
attack
blocked msr.lstar 0 "ignored: no #GP"
works msr.tsc_aux
works msr.star
blocked cr4.smep 1 "#GP"
unattack
# The drain timer feeds the tracepoint within 5 s (less while records come).
i=0
while ! grep -q ' cr4 deny gp ' /tmp/follow && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5
kill -TERM $fpid
wait $fpid
rc=$?
sed 's/^/# follow: /' /tmp/follow
is "$rc" 0 "rampartctl events -f: ends with 0 on SIGTERM"
check "rampartctl events -f printed the denied CR4.SMEP write" -- \
	grep -q '^seq [0-9]* cpu [0-9]* cr4 deny gp .* (smep) rip 0x' /tmp/follow
check "rampartctl events -f printed the ignored LSTAR write" -- \
	grep -q '^seq [0-9]* cpu [0-9]* msr.lstar deny ignore ' /tmp/follow
check "rampartctl events -f: each record once" -- \
	sh -c "test \"\$(cut -d' ' -f2 /tmp/follow | sort | uniq -d)\" = ''"
check "rampartctl events -f left no tracefs instance behind" -- \
	sh -c "! ls $T/instances | grep -q rampartctl"
logged1=$(cat $E/logged)
check "tsc_aux write and its undo logged ($logged0 -> $logged1)" -- test $((logged1 - logged0)) -ge 2

# ---- a large policy ---------------------------------------------------------
cp /tmp/default.policy /tmp/big.policy
i=4096
while [ $i -lt 5096 ]; do
	printf 'msr.%#x lock log\n' $i
	i=$((i + 1))
done >>/tmp/big.policy
check "a policy of $(wc -l </tmp/big.policy) lines loads" -- load /tmp/big.policy
if grep -q '^range.modules' /tmp/default.policy; then
	check "... and, with the modules rule back, every live module is protected again ($(mem module_runs) runs)" -- test "$(mem module_runs)" -gt 0
else
	skip "text_poke() was not calibrated, so the default has no modules rule" "module runs back with the rule"
fi
check "... and reports at least 1000 rules" -- test "$(cat $P/rules)" -ge 1000
zero_exits "syscalls and page faults under the 1000-rule policy: zero exits" \
	syscall 5000 fault 500

# ---- memory: read-only kernel ranges in the EPT -----------------------------
# memattack: the module stays loaded until the checks have symbolized its RIPs.
(cat /tmp/default.policy; printf 'range.rodata ro deny\nrange.idt ro deny\nrange.vdso ro deny\n') >/tmp/mem.policy
dmesg -c >/dev/null
check "policy with the rodata, IDT and vDSO ranges loads" -- load /tmp/mem.policy
dmesg | grep -o 'rampart: policy generation.*' | sed 's/^/# /'
grep '^# .* is phys' $P/active | sed 's/^/# /'
grep ept_ /sys/kernel/debug/rampart/memory | tr '\n' ' ' | sed 's/^/# /'
echo
check "EPT: the ranges split large pages (ept_policy_splits > 0)" -- \
	test "$(mem ept_policy_splits)" -gt 0
d0=$(cat $E/denied)
memattack
mem_blocked rodata sys_call_table idt vdso
d1=$(cat $E/denied)
$CTL events -n 12 >/tmp/events
sed 's/^/# /' /tmp/events | tail -8
check "every alias write is a denied event ($d0 -> $d1)" -- test $((d1 - d0)) -ge 4
sleep 1
check "kernel log: the denied IDT write, with the culprit" -- sh -c "dmesg | grep -q 'denied write to range idt at physical .* \\[rp_memattack\\]'"
rmmod rp_memattack
check "rampartctl events: write to range.idt" -- grep -q 'range.idt deny gpa .* access write' /tmp/events
check "rampartctl events: write to range.rodata" -- grep -q 'range.rodata deny gpa .* access write' /tmp/events
zero_exits "memory ranges in force: syscalls, faults, context switches, timers cause zero exits" \
	syscall 5000 fault 500 ctxsw 500 timer 50
zero_exits "range.idt in force: fork and file I/O cause zero exits" \
	fork 50 file 20
out=$(/selftests/hotpath exec 20)
echo "# $out"
check "... exec: only the new program's own CPUIDs exit" -- exits_only "$out" cpuid
# What descriptor-table exiting costs: switches to a process with an LDT
# or an I/O bitmap reload LDTR or TR, and each reload is an exit plus its
# step's #DB exit. Measured, not a target; nothing else may exit.
for m in ldtsw iopermsw; do
	out=$(/selftests/hotpath $m 200)
	rc=$?
	echo "# $out"
	if [ $rc -eq 3 ]; then
		skip "this kernel has no ${m%sw} system call" "$m under range.idt"
		continue
	fi
	check "$m under range.idt: only LDTR/TR reloads and their steps exit" -- \
		exits_only "$out" ldtr_tr nmi
done
check "modules still load and unload" -- sh -c "insmod $M/rp_dummy.ko && rmmod rp_dummy"
check "fork and exec still work" -- sh -c 'ls / >/dev/null && echo ok | cat >/dev/null'

# ---- seal, then attack ------------------------------------------------------
(cat /tmp/default.policy; echo 'range.idt ro log') >/tmp/idtlog.policy
check "policy that logs IDT writes and IDTR/GDTR loads loads" -- load /tmp/idtlog.policy
check "insmod rp_weaken" -- insmod $M/rp_weaken.ko
weaken_attack lidt
check "range.idt log: LIDT of a copy takes effect (and is put back)" -- grep -q "fault=0 changed=1" /tmp/line
$CTL events -n 4 >/tmp/events
sed 's/^/# /' /tmp/events | grep ' lidt '
check "... both loads recorded as logged, the second back to the table" -- \
	sh -c "test \$(grep -c ' range.idt log lidt base ' /tmp/events) -eq 2"
check "rmmod rp_weaken" -- rmmod rp_weaken
check "back to the default policy" -- load /tmp/default.policy
# Unsealed, a weaker range may cover module text (the modules rule still
# decides there); the escape scenario shows root refusing it once sealed.
check "insmod rp_escape, for a page of module text" -- insmod $M/rp_escape.ko
tpa=$(printf '0x%x' "$(cat /sys/module/rp_escape/parameters/text_pa)")
printf 'phys.%s+0x1000 ro allow\n' "$tpa" | cat /tmp/default.policy - >/tmp/shadow.policy
check "unsealed: 'ro allow' over a module's text loads" -- \
	load /tmp/shadow.policy
check "back to the default policy again" -- load /tmp/default.policy
check "rmmod rp_escape" -- rmmod rp_escape
memattack
grep -q "rp_memattack: idt alias: pa=.* fault=0 intact=1" /tmp/mem
tap $? "ranges released: the IDT is writable through an alias again (same byte)"
grep -q "rp_memattack: rodata alias: pa=.* fault=0 intact=1" /tmp/mem
tap $? "ranges released: so is rodata: the EPT was what stopped the alias writes"
rmmod rp_memattack
mount -t tracefs nodev $T 2>/dev/null
echo 1 >$T/events/rampart/rampart_violation/enable
echo >$T/trace
check "seal" -- sh -c "echo 1 >$P/sealed"
is "$(cat $P/sealed)" 1 "policy/sealed reads 1"
d0=$(cat $E/denied)
attack
blocked cr0.wp 1 "#GP"
blocked cr0.pg 1 "#GP"
blocked cr4.smep 1 "#GP"
if grep -q '^cr4\..*smap' /tmp/default.policy; then
	blocked cr4.smap 1 "#GP"
else
	skip "this CPU runs without CR4.SMAP, so the default policy does not lock it" "cr4.smap blocked"
fi
for m in lstar star cstar syscall_mask sysenter_cs sysenter_esp sysenter_eip efer.nxe feature_control misc_enable.xd; do
	blocked msr.$m 1 "#GP"
done
works cr4.tsd
works cr4.pge
works cr0.ts
works msr.tsc_aux
d1=$(cat $E/denied)
check "every blocked attempt counted as denied ($d0 -> $d1)" -- test $((d1 - d0)) -ge 13
$CTL events >/tmp/events 2>&1
sed 's/^/# /' /tmp/events | tail -16
# Root's own record of the first violations after the seal.
$CTL events --first >/tmp/first 2>&1
head -1 /tmp/first >/tmp/first.line
sed 's/^/# first: /' /tmp/first | head -3
check "rampartctl events --first: the first record after the seal is the CR0 denial" -- \
	grep -q '^seq [0-9]* cpu [0-9]* cr0.* deny' /tmp/first.line
is "$(tail -1 /tmp/first)" "$(cat $E/sealed) events since the seal" \
	"rampartctl events --first ends with root's count since the seal"
for a in CR0 CR4 lstar sysenter_eip efer; do
	grep -i "$a" /tmp/events | grep -q deny
	tap $? "rampartctl events shows the denied write to $a"
done
grep rampart_violation $T/trace >/tmp/trace
sed 's/^/# /' /tmp/trace | head -4
check "tracepoint: a rampart_violation per denied write" -- test "$(wc -l </tmp/trace)" -ge 13
check "tracepoint: CR0.WP (cr asset=0, bits=0x10000)" -- grep -q 'cr asset=0x0 .*bits=0x10000 action=deny-gp' /tmp/trace
check "tracepoint: CR4.SMEP (bits=0x100000)" -- grep -q 'cr asset=0x4 .*bits=0x100000 action=deny-gp' /tmp/trace
check "tracepoint: LSTAR" -- grep -q 'msr asset=0xc0000082 .*action=deny-gp' /tmp/trace
check "tracepoint: SYSENTER_EIP" -- grep -q 'msr asset=0x176 .*action=deny-gp' /tmp/trace
check "tracepoint: EFER.NXE (bits=0x800)" -- grep -q 'msr asset=0xc0000080 .*bits=0x800 action=deny-gp' /tmp/trace
check "tracepoint names the culprit (symbolized RIP)" -- grep -q 'rip=[a-z_]*+0x[0-9a-f]*/0x[0-9a-f]* \[rp_attack\]' /tmp/trace
check "kernel log: denied writes reported (rate-limited)" -- sh -c "dmesg | grep -q 'denied (#GP) write to .* \[rp_attack\]'"
unattack

# ---- sealed means sealed ----------------------------------------------------
grep -v '^msr.lstar' /tmp/default.policy >/tmp/relax.policy
dmesg -c >/dev/null
out=$($CTL policy load /tmp/relax.policy 2>&1)
rc=$?
echo "# $out"
msg=$(dmesg | grep 'policy rejected')
echo "# $msg"
[ $rc -ne 0 ] && echo "$msg" | grep -q 'the policy is sealed'
tap $? "a policy without the LSTAR rule is refused once sealed"
check "... the policy in force is unchanged" -- sh -c "cat $P/active | cmp -s - /tmp/default.policy"
sed 's/^msr.lstar lock deny gp/msr.lstar lock log/' /tmp/default.policy >/tmp/weaker.policy
load /tmp/weaker.policy 2>/dev/null
tap $((! $?)) "deny -> log on LSTAR is refused once sealed"
put 0 $P/sealed
tap $((! $?)) "unsealing is refused"
(cat /tmp/default.policy; echo 'msr.tsc_aux lock deny ignore') >/tmp/stricter.policy
check "a stricter policy still loads" -- $CTL policy load /tmp/stricter.policy
check "rampartctl show has the new rule" -- sh -c "$CTL show | grep -qx 'msr.tsc_aux lock deny ignore'"
# vmx.nested: emulation may be turned off once sealed, never on again.
sed 's/^vmx.nested lock allow$/vmx.nested lock deny/' /tmp/stricter.policy >/tmp/novmx.policy
check "sealed: vmx.nested allow -> deny loads" -- $CTL policy load /tmp/novmx.policy
check "... rampartctl show has it" -- sh -c "$CTL show | grep -qx 'vmx.nested lock deny'"
vmxline=$(grep -n '^vmx.nested' /tmp/novmx.policy | cut -d: -f1)
dmesg -c >/dev/null
load /tmp/stricter.policy 2>/dev/null
tap $((! $?)) "sealed: vmx.nested deny -> allow is refused"
check "... one log line names the sealed rule (line $vmxline)" -- sh -c \
	"dmesg | grep -q 'policy rejected (sysfs): the policy is sealed and this would relax one of its rules: line $vmxline of the sealed policy, weakened by this policy'"
grep -v '^vmx.nested' /tmp/novmx.policy >/tmp/novmx2.policy
check "sealed: dropping vmx.nested deny (no rule: hidden) loads" -- load /tmp/novmx2.policy
dmesg -c >/dev/null
load /tmp/stricter.policy 2>/dev/null
tap $((! $?)) "sealed: no vmx rule -> vmx.nested allow is refused"
check "... one log line: the sealed policy hides VMX" -- sh -c \
	"dmesg | grep -q 'policy rejected (sysfs): .*: the sealed policy hides VMX (no vmx rule), line [0-9]* of this policy would emulate it'"
rmmod rampart 2>/dev/null
tap $((! $?)) "rmmod refused once sealed"
is "$(cat $R/state)" launched "Rampart still launched"
if [ -e /sys/devices/system/cpu/cpu1/online ]; then
	put 0 /sys/devices/system/cpu/cpu1/online
	tap $((! $?)) "offlining cpu1 refused once sealed"
	is "$(cat $R/cpus/cpu1/state)" launched "cpu1 still answers from root"
fi
zero_exits "sealed: syscalls, faults, context switches and timers cause zero exits" \
	syscall 5000 fault 500 ctxsw 500 timer 50
$CTL status | sed 's/^/# /'
done_testing
