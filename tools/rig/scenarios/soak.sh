# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Soak (issue 19): SOAK_SECS (default 120) of guest time under the default
# policy plus rodata and the IDT "ro deny", a "ro deny" data page
# (rp_watch's page at pa) and two watches (a symbol, vmalloc memory),
# sealed unless SOAK_SEAL=0. All the while, in parallel:
#   cpus     sealed: offlining each CPU in turn is refused and it stays
#            under Rampart; not sealed: offline (native), online (launched)
#   modules  SOAK_MODS (default 500) rp_dummy load/unload cycles
#   policy   the policy in force again, a malformed one and (sealed) a
#            weaker one, both refused
#   text     ftrace's function tracer on and off, a tracepoint's static
#            key on and off
#   nmi      rp_nmisrc: NMI IPIs to every CPU in turn, each one counted
#   memory   stores to the watched field, the watched vmalloc word, a
#            neighbour of the field and the denied page, from each CPU
#   load     fork/exec, pipes and tmpfs I/O
# Then: every CPU still answers root, sealed and the policy in force are
# unchanged, the denied page still reads zero, every NMI arrived, the
# watch and event counters match the stores made, root's EPT pool and
# module runs are back at their baseline, no crash, entry failure,
# unexpected exit or failed VMCS access. Sealed, it leaves Rampart loaded
# (run poweroff after it); otherwise it unloads it.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
E=$R/events
W=$R/watch
D=/sys/kernel/debug/rampart
T=/sys/kernel/tracing
X=/sys/module/rp_watch/parameters
N=/sys/module/rp_nmisrc/parameters
SECS=${SOAK_SECS:-120}
SEAL=${SOAK_SEAL:-1}
MODS=${SOAK_MODS:-500}
ncpu=$(grep -c ^processor /proc/cpuinfo)
STOP=/tmp/soak.stop

# A worker counts each thing it did as one line in /tmp/soak.NAME.
count() { echo >>"/tmp/soak.$1"; }
lines() { if [ -f "/tmp/soak.$1" ]; then wc -l <"/tmp/soak.$1"; else echo 0; fi; }
running() { [ ! -e $STOP ]; }
# Everything the kernel logs goes to /tmp/soak.dmesg (nothing else reads
# the ring with -c), so a long run loses no line to the ring's size.
collect() { dmesg -c >>/tmp/soak.dmesg; }
CRASH='BUG:|Oops|WARNING:|general protection|Kernel panic|entry fail|VM entry failed|parked|unexpected exit|soft lockup|hung task'

cpus_worker() {
	local n c
	while running; do
		for c in /sys/devices/system/cpu/cpu[1-9]*; do
			[ -e "$c/online" ] || continue
			n=${c##*cpu}
			if [ "$SEAL" = 1 ]; then
				if echo 0 >"$c/online" 2>/dev/null; then
					count cpufail
					echo "# cpu$n went offline though sealed"
					echo 1 >"$c/online"
				fi
				[ "$(cat $R/cpus/cpu"$n"/state)" = launched ] || count cpufail
			else
				echo 0 >"$c/online"
				[ "$(cat $R/cpus/cpu"$n"/state)" = native ] || count cpufail
				echo 1 >"$c/online"
				[ "$(cat $R/cpus/cpu"$n"/state)" = launched ] || count cpufail
			fi
			count cpus
			sleep 1
		done
	done
}

# Spread over the run: half of the run's share of each cycle asleep.
modules_worker() {
	local i=0
	while running && [ $i -lt "$MODS" ]; do
		if insmod $M/rp_dummy.ko && rmmod rp_dummy; then count mods; else count modfail; fi
		i=$((i + 1))
		usleep $((SECS * 500000 / MODS))
	done
}

policy_worker() {
	local i=0 f
	while running; do
		if load /tmp/soak.policy 2>/dev/null; then count pok; else count pbusy; fi
		f=$(sed -n "$((i % nbad + 1))p" /tmp/soak.bad)
		load "$f" 2>/dev/null && echo "$f" >>/tmp/soak.ptaken
		if [ "$SEAL" = 1 ]; then
			load /tmp/soak.weaker 2>/dev/null && echo weaker >>/tmp/soak.ptaken
		fi
		i=$((i + 1))
		sleep 1
	done
}

text_worker() {
	while running; do
		if [ "$ftrace" = 1 ]; then
			echo function >$T/current_tracer && echo nop >$T/current_tracer &&
				count ftrace
		fi
		echo 1 >$T/events/sched/sched_switch/enable &&
			echo 0 >$T/events/sched/sched_switch/enable && count keys
		sleep 1
	done
}

memory_worker() {
	local i=0
	while running; do
		i=$((i + 1))
		echo $((i % ncpu)) >$X/cpu
		echo $((i * 3 + 1)) >$X/field && count field
		echo $((i * 3 + 2)) >$X/vm && count vm
		echo "$i" >$X/before && count before
		echo "$i" >$X/write && count deny
		sleep 1
	done
}

load_worker() {
	local i=0
	while running; do
		i=$((i + 1))
		for _ in 1 2 3 4 5; do /bin/busybox true; done
		dd if=/dev/zero bs=4096 count=64 2>/dev/null | cat >/tmp/soak.w
		md5sum </tmp/soak.w >/dev/null
		count load
		sleep 1
	done
}

rm -f /tmp/soak.*
dmesg -c >/dev/null
check "insmod rampart" -- insmod $M/rampart.ko
check "insmod rp_watch" -- insmod $M/rp_watch.ko
check "insmod rp_nmisrc" -- insmod $M/rp_nmisrc.ko
mount -t tracefs nodev $T 2>/dev/null
cat $P/active >/tmp/soak.default
wpa=$(printf '0x%x' "$(cat $X/pa)")
vva=$(cat $X/vmalloc_va)
{
	cat /tmp/soak.default
	echo 'range.rodata ro deny'
	echo 'range.idt ro deny'
	echo 'watch.rp_watch_target+0x8:8 ro log'
	echo "watch.virt.$vva:8 ro log"
} >/tmp/soak.weaker
{
	cat /tmp/soak.weaker
	echo "phys.$wpa+0x1000 ro deny"
} >/tmp/soak.src
check "the soak policy loads: the default, rodata, IDT, $wpa ro deny, two watches" -- \
	load /tmp/soak.src
cat $P/active >/tmp/soak.policy
check "policy/active loads as it reads" -- load /tmp/soak.policy
sed 's/^/# /' /tmp/soak.policy
ls /policies/malformed/*.pol >/tmp/soak.bad
nbad=$(wc -l </tmp/soak.bad)
check "the malformed policies are in the image ($nbad)" -- test "$nbad" -gt 0
# Every record root makes, in a trace instance of its own (the text
# worker's tracer switches reset the top-level buffer).
ld=$(grep -n "^phys.$wpa+" /tmp/soak.policy | cut -d: -f1)
I=$T/instances/soak
mkdir $I 2>/dev/null
put 8192 $I/buffer_size_kb
check "tracepoint rampart:rampart_violation on, in its own instance" -- \
	put 1 $I/events/rampart/rampart_violation/enable
ftrace=0
if echo cmdline_proc_show >$T/set_ftrace_filter 2>/dev/null; then
	ftrace=1
else
	skip "cmdline_proc_show is not in available_filter_functions" "ftrace on/off"
fi
if [ "$SEAL" = 1 ]; then
	check "sealed" -- put 1 $P/sealed
fi
sealed=$(cat $P/sealed)
# Baselines, once the policy is in force: its splits stay.
for k in root_bytes ept_pool_used ept_pool_pending module_runs \
	module_add_refused text_pokes_refused; do
	echo "$k $(mem $k)"
done >/tmp/soak.mem0
base() { awk -v k="$1" '$1 == k {print $2}' /tmp/soak.mem0; }
/selftests/hotpath dump >/tmp/soak.exits0
g0=$(cat $P/generation)
cat $E/total >/dev/null  # drains what root holds into the tracepoint
tot0=$(cat $E/total) den0=$(cat $E/denied) drop0=$(cat $E/dropped)
echo >$I/trace
h0=$(cat $W/hits) nb0=$(cat $W/neighbours) wd0=$(cat $W/dropped)
echo "# $ncpu CPUs, $SECS s, sealed $sealed; memory: $(tr '\n' ' ' </tmp/soak.mem0)"
put 1 $N/run

start=$(date +%s)
cpus_worker &
p1=$!
modules_worker &
p2=$!
policy_worker &
p3=$!
text_worker &
p4=$!
memory_worker &
p5=$!
load_worker &
p6=$!
last=$start
while [ $(($(date +%s) - start)) -lt "$SECS" ]; do
	sleep 5
	collect
	if [ $(($(date +%s) - last)) -ge 60 ]; then
		last=$(date +%s)
		echo "# t=$((last - start))s cpus $(lines cpus) mods $(lines mods) loads $(lines pok) ftrace $(lines ftrace) keys $(lines keys) stores $(lines field) load $(lines load) nmi $(cat $N/stats) states $(cat $R/cpus/cpu*/state | sort | uniq -c | tr -s ' \n' '  ')"
	fi
done
end=$(date +%s)
touch $STOP
wait $p1 $p2 $p3 $p4 $p5 $p6
put 0 $N/run
collect
echo "# $((end - start)) s of guest time: cpus $(lines cpus) mods $(lines mods) loads $(lines pok) (busy $(lines pbusy)) ftrace $(lines ftrace) keys $(lines keys) field $(lines field) vm $(lines vm) before $(lines before) deny $(lines deny) load $(lines load)"

check "ran for at least $SECS s of guest time" -- test $((end - start)) -ge "$SECS"
if [ "$ncpu" -gt 1 ]; then
	check "cpus: $(lines cpus) rounds" -- test "$(lines cpus)" -gt 0
	if [ "$SEAL" = 1 ]; then
		is "$(lines cpufail)" 0 "cpus: every offline refused, every CPU stayed launched"
	else
		is "$(lines cpufail)" 0 "cpus: offline CPUs native, onlined ones launched again"
	fi
else
	skip "one CPU only" "CPU offline/online"
fi
if [ $((end - start)) -ge 600 ]; then
	is "$(lines mods)" "$MODS" "modules: $MODS load/unload cycles"
else
	check "modules: $(lines mods) load/unload cycles (all $MODS from 600 s)" -- test "$(lines mods)" -gt 0
fi
is "$(lines modfail)" 0 "modules: no load or unload failed"
check "policy: $(lines pok) loads of the policy in force taken" -- test "$(lines pok)" -gt 0
is "$(cat /tmp/soak.ptaken 2>/dev/null)" "" "policy: every malformed (and weaker) one refused"
check "policy/active byte-identical to the recorded policy" -- \
	sh -c "cat $P/active | cmp -s - /tmp/soak.policy"
is "$(cat $P/generation)" "$((g0 + $(lines pok)))" "generation $g0 + the $(lines pok) loads taken"
is "$(cat $P/sealed)" "$sealed" "sealed still $sealed"
[ "$ftrace" = 1 ] && check "text: ftrace on/off $(lines ftrace) times" -- test "$(lines ftrace)" -gt 0
check "text: a tracepoint's static key on/off $(lines keys) times" -- test "$(lines keys)" -gt 0
is "$(mem text_pokes_refused)" "$(base text_pokes_refused)" "text: root refused no text_poke()"
is "$(mem module_add_refused)" "$(base module_add_refused)" "text: root refused no module"

for k in root_bytes module_runs; do
	is "$(mem $k)" "$(base $k)" "memory: $k back at $(base $k)"
done
check "memory: the EPT split pool back at its baseline ($(mem ept_pool_used) - $(mem ept_pool_pending) <= $(base ept_pool_used))" -- \
	test $(($(mem ept_pool_used) - $(mem ept_pool_pending))) -le "$(base ept_pool_used)"
nmi=$(cat $N/stats)
echo "# rp_nmisrc: $nmi"
sent=$(echo "$nmi" | awk '{print $2}') seen=$(echo "$nmi" | awk '{print $4}')
check "nmi: $sent NMI IPIs sent" -- test "$sent" -gt 0
is "$seen" "$sent" "nmi: every one taken by the kernel's handler"
is "$(echo "$nmi" | awk '{print $6}')" 0 "nmi: none later than 500 ms"
check "rmmod rp_nmisrc" -- rmmod rp_nmisrc

is "$(($(cat $W/hits) - h0))" "$(($(lines field) + $(lines vm)))" \
	"watch: hits grew by the $(lines field) field and $(lines vm) vmalloc stores"
check "watch: neighbours grew by at least the $(lines before) neighbour stores" -- \
	test $(($(cat $W/neighbours) - nb0)) -ge "$(lines before)"
is "$(cat $W/dropped)" "$wd0" "watch: no hit dropped"
bad=$(grep -o 'rp_watch: \(field\|vm\|before\) .*' /tmp/soak.dmesg |
	awk '$5 != $10 {n++} END {print n + 0}')
is "$bad" 0 "memory: every watched and neighbour store happened (read back)"
cat $E/total >/dev/null  # drains root's ring into the tracepoint
/selftests/rampartctl events -n 1024 | sed 's/0x[0-9a-f]*/X/g; s/[0-9][0-9]*/N/g' |
	sort | uniq -c | sort -rn | head -12 | sed 's/^/# events: /'
grep -v '^#' $I/trace >/tmp/soak.trace
is "$(grep -c " phys .* action=deny.* line=$ld\$" /tmp/soak.trace)" "$(lines deny)" \
	"events: root recorded one denied write per store to the denied page"
check "events: the trace instance lost nothing" -- sh -c "! grep -q '^overrun: [1-9]' $I/per_cpu/cpu*/stats"
is "$(wc -l </tmp/soak.trace)" "$(($(cat $E/total) - tot0))" "events: the trace has every record root counted (events/total)"
is "$(grep -c ' action=deny' /tmp/soak.trace)" "$(($(cat $E/denied) - den0))" \
	"events: ... and every denial it counted (events/denied)"
is "$(grep -c 'rp_watch: wrote [0-9]* now 0 fault=1$' /tmp/soak.dmesg)" "$(lines deny)" \
	"memory: each of them faulted and the denied page still read zero"
is "$(cat $E/dropped)" "$drop0" "events: no record dropped"

/selftests/hotpath dump >/tmp/soak.exits1
awk 'NR == FNR {b[$1] = $2; next} $2 != b[$1] {print "#   " $1 ": " $2 - b[$1]}' \
	/tmp/soak.exits0 /tmp/soak.exits1
is "$(awk 'NR == FNR {b[$1] = $2; next} $1 == "unexpected" {print $2 - b[$1]}' \
	/tmp/soak.exits0 /tmp/soak.exits1)" 0 "no unexpected exit"
is "$(cat $R/cpus/cpu*/state | sort -u | tr '\n' ' ')" "launched " "every CPU still answers root"
grep -v ' vmcs_errors 0$' $D/vmcs | sed 's/^/# /'
check "no VMREAD or VMWRITE of root failed (debugfs vmcs)" -- sh -c "! grep -qv ' vmcs_errors 0\$' $D/vmcs"
grep -E "$CRASH" /tmp/soak.dmesg | head -5 | sed 's/^/# /'
check "the kernel logged no crash, lockup, entry failure or parked CPU" -- \
	sh -c "! grep -qE '$CRASH' /tmp/soak.dmesg"
[ "$ftrace" = 1 ] && echo >$T/set_ftrace_filter
# Sealed, rp_watch stays: its pages stay under the policy, and freed they
# would come back to the kernel read-only.
if [ "$SEAL" != 1 ]; then
	check "the default policy back" -- load /tmp/soak.default
	check "rmmod rp_watch" -- rmmod rp_watch
	check "rmmod rampart" -- rmmod rampart
fi
done_testing
