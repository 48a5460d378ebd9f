# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Text: with kernel and module text under "poke" rules, only the kernel's
# own text_poke() writes them. A hostile module's writes to kernel text,
# another module's text, rodata, the system call table and the IDT, each
# through the direct map and through a writable alias it maps, are stopped
# and logged; static keys, static calls, tracepoints, ftrace, kprobes and
# module load and unload still patch text; hot paths still cause no exits.
# Leaves Rampart unloaded.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
E=$R/events
D=/sys/kernel/debug/rampart
T=/sys/kernel/tracing
CTL=/selftests/rampartctl

dmesg -c >/dev/null
check "insmod" -- insmod $M/rampart.ko
dmesg | grep -o 'rampart: text_poke.*' | sed 's/^/# /'
check "text_poke() calibrated at load" -- sh -c "dmesg | grep -q 'rampart: text_poke() calibrated'"
cat $P/active >/tmp/default.policy
check "default policy: kernel text is poke-only" -- grep -qx 'range.kernel_text poke deny' /tmp/default.policy
check "default policy: module text is poke-only" -- grep -qx 'range.modules poke deny' /tmp/default.policy
(cat /tmp/default.policy; printf 'range.rodata ro deny\nrange.idt ro deny\nrange.vdso ro deny\n') >/tmp/protect.policy
check "protection policy (text, rodata, IDT, vDSO, modules) loads" -- load /tmp/protect.policy
grep '^# .* is phys\|^range' $P/active | sed 's/^/# /'
grep . $D/memory | tr '\n' ' ' | sed 's/^/# /'
echo
check "Rampart's own text went live and is protected (module_runs > 0)" -- test "$(mem module_runs)" -gt 0
check "EPT: split pages reported (ept_policy_splits > 0)" -- test "$(mem ept_policy_splits)" -gt 0
r0=$(mem module_runs)
check "insmod rp_dummy, the victim" -- insmod $M/rp_dummy.ko
r1=$(mem module_runs)
check "rp_dummy went live: its text and rodata are protected ($r0 -> $r1 runs)" -- test "$r1" -gt "$r0"

# ---- a hostile module -------------------------------------------------------
d0=$(cat $E/denied)
f0=$(mem text_pokes_refused)
memattack
mem_blocked kernel_text module_text rodata sys_call_table idt vdso
d1=$(cat $E/denied)
f1=$(mem text_pokes_refused)
check "every alias write is a denied event ($d0 -> $d1)" -- test $((d1 - d0)) -ge 6
check "the text writes were refused as not text_poke() ($f0 -> $f1)" -- test $((f1 - f0)) -ge 2
$CTL events -n 16 >/tmp/events
sed 's/^/# /' /tmp/events | tail -6
check "rampartctl events: write to range.kernel_text" -- grep -q 'range.kernel_text deny gpa .* access write' /tmp/events
check "rampartctl events: write to range.modules" -- grep -q 'range.modules deny gpa .* access write' /tmp/events
sleep 1
check "kernel log: the denied kernel-text write, with the culprit" -- sh -c "dmesg | grep -q 'denied write to range kernel_text at physical .* \\[rp_memattack\\]'"
rmmod rp_memattack

# ---- the kernel's own patching still works ----------------------------------
d0=$(cat $E/denied)
f0=$(mem text_pokes_refused)
p0=$(mem text_pokes)
check "insmod rp_patch (module text patched after it goes live)" -- insmod $M/rp_patch.ko
dmesg -c >/dev/null
echo 1 >/sys/module/rp_patch/parameters/flip
echo 0 >/sys/module/rp_patch/parameters/flip
dmesg | grep -o 'rp_patch: .*' >/tmp/patch
sed 's/^/# /' /tmp/patch
check "static key and static call switched on in protected module text" -- grep -q 'rp_patch: flip=1 key=1 call=2' /tmp/patch
check "... and off again" -- grep -q 'rp_patch: flip=0 key=0 call=1' /tmp/patch
mount -t tracefs nodev $T 2>/dev/null
echo >$T/trace
echo 1 >$T/events/sched/sched_process_exec/enable
/bin/true
echo 0 >$T/events/sched/sched_process_exec/enable
check "tracepoint static key in kernel text: sched_process_exec traced" -- grep -q 'sched_process_exec' $T/trace
echo >$T/trace
if echo cmdline_proc_show >$T/set_ftrace_filter 2>/dev/null; then
	echo function >$T/current_tracer
	cat /proc/cmdline >/dev/null
	# Changing the tracer resets the buffer: read it first.
	cat $T/trace >/tmp/ftrace
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter
	grep cmdline_proc_show /tmp/ftrace | head -2 | sed 's/^/# /'
	check "ftrace on cmdline_proc_show: enabled, traced, disabled" -- grep -q 'cmdline_proc_show' /tmp/ftrace
else
	skip "cmdline_proc_show is not in available_filter_functions here" "ftrace on a function"
fi
echo >$T/trace
if [ -e $T/kprobe_events ]; then
	echo 'p:rp_probe cmdline_proc_show' >$T/kprobe_events
	echo 1 >$T/events/kprobes/rp_probe/enable
	cat /proc/cmdline >/dev/null
	# Removing a probe event resets the buffer: read it first.
	cat $T/trace >/tmp/kprobe
	echo 0 >$T/events/kprobes/rp_probe/enable
	echo '-:rp_probe' >>$T/kprobe_events
	grep rp_probe /tmp/kprobe | head -2 | sed 's/^/# /'
	check "kprobe registered on kernel text, hit, removed" -- grep -q 'rp_probe:' /tmp/kprobe
else
	skip "no kprobe_events in this kernel (CONFIG_KPROBE_EVENTS)" "kprobe on kernel text"
fi
# livepatch_wait NAME: until the patch's transition is over (10 s at most).
livepatch_wait() {
	local n=0
	while [ "$(cat /sys/kernel/livepatch/$1/transition 2>/dev/null)" = 1 ] &&
		[ $n -lt 10 ]; do
		sleep 1
		n=$((n + 1))
	done
}
if [ -e $M/rp_livepatch.ko ] && [ -d /sys/kernel/livepatch ]; then
	before=$(cat /proc/cmdline)
	check "insmod a livepatch of cmdline_proc_show" -- insmod $M/rp_livepatch.ko
	livepatch_wait rp_livepatch
	is "$(cat /proc/cmdline)" "rp_livepatch: patched" "livepatch: the new function runs (kernel text patched through ftrace)"
	echo 0 >/sys/kernel/livepatch/rp_livepatch/enabled
	livepatch_wait rp_livepatch
	is "$(cat /proc/cmdline)" "$before" "livepatch disabled: the original function is back"
	check "rmmod the livepatch" -- rmmod rp_livepatch
else
	skip "this kernel has no CONFIG_LIVEPATCH" "livepatch under text protection"
fi
check "rmmod rp_patch and rp_dummy" -- sh -c "rmmod rp_patch && rmmod rp_dummy"
is "$(mem module_runs)" "$r0" "their runs are released when they go"
n=0
ma0=$(mem module_add_calls) md0=$(mem module_del_calls) mr0=$(mem module_add_refused)
pu0=$(mem ept_pool_used)
for _ in 1 2 3 4 5; do
	insmod $M/rp_dummy.ko && rmmod rp_dummy && n=$((n + 1))
done
is "$n" 5 "five more load/unload cycles of a protected module"
pu1=$(mem ept_pool_used) pp1=$(mem ept_pool_pending)
echo "# ept_pool_used $pu0 -> $pu1 ($pp1 waiting for a flush), ept_merges $(mem ept_merges)"
check "... give their split tables back to the pool" -- test $((pu1 - pp1)) -le "$pu0"
ma1=$(mem module_add_calls) md1=$(mem module_del_calls)
echo "# root counted MODULE_ADD $ma0 -> $ma1, MODULE_DEL $md0 -> $md1"
check "root counted a MODULE_ADD and a MODULE_DEL per cycle" -- \
	test $((ma1 - ma0)) -ge 5 -a $((md1 - md0)) -ge 5
is "$(mem module_add_refused)" "$mr0" "... and refused none of them"
is "$(mem module_runs)" "$r0" "... leave no runs behind"
p1=$(mem text_pokes)
echo "# text_pokes $p0 -> $p1"
check "every patch went through a text_poke() window ($p0 -> $p1)" -- test $((p1 - p0)) -ge 6
is "$(cat $E/denied)" "$d0" "no legitimate patch was denied"
is "$(mem text_pokes_refused)" "$f0" "no legitimate patch was refused"
# ---- write-watch: a "log" range records each write and lets it happen ------
check "insmod rp_watch (a page to watch)" -- insmod $M/rp_watch.ko
wpa=$(printf '0x%x' "$(cat /sys/module/rp_watch/parameters/pa)")
(cat /tmp/protect.policy; echo "phys.$wpa+0x1000 ro log") >/tmp/watch.policy
check "write-watch policy (phys.$wpa+0x1000 ro log) loads" -- load /tmp/watch.policy
l0=$(cat $E/logged)
s0=$(mem logged_write_steps)
dmesg -c >/dev/null
echo 41 >/sys/module/rp_watch/parameters/write
echo 42 >/sys/module/rp_watch/parameters/write
dmesg | grep -o 'rp_watch: .*' | sed 's/^/# /'
check "the watched writes happen (41, then 42 read back)" -- sh -c "dmesg | grep -q 'rp_watch: wrote 41 now 41' && dmesg | grep -q 'rp_watch: wrote 42 now 42'"
is "$(($(cat $E/logged) - l0))" 2 "each write logged once: the page is read-only again after each step"
is "$(($(mem logged_write_steps) - s0))" 2 "each write single-stepped once"
$CTL events -n 2 >/tmp/events
sed 's/^/# /' /tmp/events
check "rampartctl events: phys log gpa $wpa" -- grep -q "phys log gpa $(printf '0x%x' $((wpa + 8))) .* access write" /tmp/events
sleep 1
check "kernel log: the logged write, with the writer" -- sh -c "dmesg | grep -q 'logged write to phys at physical .*write_set.*\[rp_watch\]'"
check "back to the protection policy" -- load /tmp/protect.policy
l0=$(cat $E/logged)
echo 43 >/sys/module/rp_watch/parameters/write
is "$(cat $E/logged)" "$l0" "released: writes to the page are no longer logged"
check "rmmod rp_watch" -- rmmod rp_watch

zero_exits "text protection in force: syscalls, faults, context switches, timers cause zero exits" \
	syscall 5000 fault 500 ctxsw 500 timer 50
grep . $D/memory | tr '\n' ' ' | sed 's/^/# /'
echo
check "rmmod rampart with text protection in force" -- rmmod rampart
check "modules load natively afterwards" -- sh -c "insmod $M/rp_dummy.ko && rmmod rp_dummy"
done_testing
