# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The benchmark suite (tools/bench/bench.sh). BENCH_RAMPART=1 on the kernel
# command line launches Rampart first; 0 runs the same suite bare, then
# (BENCH_PAIRS=N) the interleaved pairs, then both report an idle window.
M=/lib/modules/rampart
D=/sys/kernel/debug/rampart
echo "1..0 # benchmark, judged by tools/bench/report.py"
if [ "${BENCH_RAMPART:-0}" = 1 ]; then
	insmod $M/rampart.ko || exit 1
	t0=$(cut -d' ' -f1 /proc/uptime)
	sed 's/^/BENCH-TIMING /' $D/timing
	sed 's/^/BENCH-MEMORY /' $D/memory
fi
echo "BENCH-MEMORY guest_ram_bytes $(awk '/MemTotal/ {print $2 * 1024}' /proc/meminfo)"
echo "BENCH-MEMORY cpus $(grep -c ^processor /proc/cpuinfo)"
for spec in "syscall 20000" "fork 200" "exec 50" "ctxsw 1000" "fault 1000" \
	    "file 200" "cpuid 2000" "modload 20"; do
	/selftests/hotpath $spec
done
# Write-watch (Rampart boot): 8-byte stores on CPU 0 to an unwatched page
# (plain), to a watched field and to its neighbour on the watched page,
# in interleaved rounds; guest ns and CPU 0's exits for each batch.
watch_bench() {
	X=/sys/module/rp_watch/parameters
	C=/sys/kernel/rampart/cpus/cpu0/exits
	n=${BENCH_WATCH_WRITES:-1000}
	insmod $M/rp_watch.ko || return 1
	cat /sys/kernel/rampart/policy/active >/tmp/bench0.policy
	(cat /tmp/bench0.policy; echo 'watch.rp_watch_target+0x8:8 ro log') >/tmp/bench1.policy
	load_policy /tmp/bench1.policy || return 1
	echo 0 >$X/cpu
	r=1
	while [ $r -le "${BENCH_WATCH_ROUNDS:-5}" ]; do
		for spot in plain field before; do
			e0=$(cat $C/total) v0=$(cat $C/ept_violation)
			echo "$spot:$n" >$X/bench
			e1=$(cat $C/total) v1=$(cat $C/ept_violation)
			ns=$(dmesg | sed -n "s/.*rp_watch: bench $spot $n stores on cpu0 in \([0-9]*\) ns/\1/p" | tail -n 1)
			echo "BENCH-WATCH $r $spot $n $ns $((e1 - e0)) $((v1 - v0))"
		done
		r=$((r + 1))
	done
	echo "BENCH-WATCH-COUNTS $(cat /sys/kernel/rampart/watch/hits) $(cat /sys/kernel/rampart/watch/neighbours)"
	load_policy /tmp/bench0.policy
	rmmod rp_watch
}
load_policy() {
	cat "$1" >/sys/kernel/rampart/policy/staging &&
		wc -c <"$1" >/sys/kernel/rampart/policy/commit
}
if [ "${BENCH_RAMPART:-0}" = 1 ]; then
	watch_bench || echo "BENCH-WATCH skipped: rp_watch or its policy did not load"
	# The event drain's timer runs while Rampart was loaded (no events).
	echo "BENCH-DRAIN $(awk '$1 == "drain_runs" {print $2}' $D/timing)" \
		"$(awk -v t0="$t0" '{printf "%.1f", $1 - t0}' /proc/uptime)"
	rmmod rampart
	dmesg | sed -n 's/.*rampart: cpu\([0-9]*\): devirtualized in \([0-9]*\) ns/BENCH-DEVIRT cpu\1 \2/p'
fi

# Idle: local-timer interrupts (LOC, all CPUs) and the drain timer's runs
# over 10 s of guest time, with Rampart loaded or not; after a settling
# pause, so the drain has backed off as it does on an idle host.
loc() {
	awk '$1 == "LOC:" { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts
}
runs() { awk '$1 == "drain_runs" {print $2}' $D/timing 2>/dev/null || echo 0; }
idle() {
	sleep 12
	a=$(loc) r=$(runs)
	sleep 10
	echo "BENCH-IDLE $1 $(($(loc) - a)) $(($(runs) - r)) 10"
}

# Interleaved pairs: each round runs syscall and fault bare and with
# Rampart in three set-ups, in one boot, the order alternating from pair
# to pair (tools/bench/report.py: mean ratio and 95% interval per set-up):
#   module  rampart.ko loaded with launch=0: the kernel side and its timer,
#           no VMX
#   vmx     launched, policy without memory ranges: VMX non-root and the
#           EPT in 1 GiB/2 MiB leaves only
#   full    launched with the default policy (kernel and module text
#           split into 4 KiB leaves)
pair_runs() {
	# Settle first: an insmod or rmmod just before leaves deferred work
	# (RCU callbacks, frees) that would land in the next measurement.
	sleep 1
	for spec in "syscall 5000" "fault 300"; do
		# shellcheck disable=SC2086 # spec is "mode count"
		echo "BENCH-PAIR $1 $2 $3 $(/selftests/hotpath $spec)"
	done
}
setup_on() {
	case $1 in
	module) insmod $M/rampart.ko launch=0 ;;
	vmx)	insmod $M/rampart.ko &&
		grep -v '^range\.' /sys/kernel/rampart/policy/active >/tmp/vmx.policy &&
		load_policy /tmp/vmx.policy ;;
	full)	insmod $M/rampart.ko ;;
	esac
}
pair() {
	if [ $(($1 % 2)) = "$3" ]; then
		pair_runs "$1" "$2" bare
	fi
	setup_on "$2" || exit 1
	pair_runs "$1" "$2" on
	rmmod rampart
	if [ $(($1 % 2)) != "$3" ]; then
		pair_runs "$1" "$2" bare
	fi
}
if [ "${BENCH_RAMPART:-0}" = 1 ]; then
	insmod $M/rampart.ko && idle rampart && rmmod rampart
	exit 0
fi
i=1
while [ $i -le "${BENCH_PAIRS:-0}" ]; do
	pair $i module 0
	pair $i vmx 1
	pair $i full 0
	i=$((i + 1))
done
idle bare
