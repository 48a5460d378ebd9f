# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The benchmark suite (tools/bench/bench.sh). BENCH_RAMPART=1 on the kernel
# command line launches Rampart first; 0 runs the same suite bare, then
# (BENCH_PAIRS=N) the interleaved pairs, then both report an idle window.
M=/lib/modules/rampart
D=/sys/kernel/debug/rampart
echo "1..0 # benchmark, judged by tools/bench/report.py"
# Kernel lines on the console would cut the result lines in two.
dmesg -n 1
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

# Interleaved pairs: each round runs the suite bare and with Rampart in
# three set-ups, in one boot, the order alternating from pair to pair
# (tools/bench/report.py: mean ratio and 95% interval per set-up):
#   module  rampart.ko loaded with launch=0: the kernel side and its timer,
#           no VMX (syscall and fault)
#   vmx     launched, policy without memory ranges: VMX non-root and the
#           EPT in 1 GiB/2 MiB leaves only (syscall and fault)
#   full    launched with the default policy (kernel and module text
#           split into 4 KiB leaves): every workload of the suite
# Pairs go on from BENCH_PAIRS_MIN (5) until every ratio's 95% interval is
# within BENCH_CI_PCT (2) percent of its mean, or BENCH_PAIRS were run.
SHORT="syscall 5000
fault 300"
FULL="syscall 5000
fork 100
exec 25
ctxsw 500
fault 300
file 100
cpuid 1000
modload 10"
pair_runs() {
	# Settle first: an insmod or rmmod just before leaves deferred work
	# (RCU callbacks, frees) that would land in the next measurement.
	sleep 1
	echo "$4" | while read -r spec; do
		# shellcheck disable=SC2086 # spec is "mode count"
		/selftests/hotpath $spec | sed "s/^/BENCH-PAIR $1 $2 $3 /"
	done | tee -a /tmp/pairs.log
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
		pair_runs "$1" "$2" bare "$4"
	fi
	setup_on "$2" || exit 1
	pair_runs "$1" "$2" on "$4"
	rmmod rampart
	if [ $(($1 % 2)) != "$3" ]; then
		pair_runs "$1" "$2" bare "$4"
	fi
}
# widest: "PCT SETUP MODE" of the ratio whose 95% half-width is the
# largest share of its mean so far (Student's t). Busybox awk has no
# sqrt(): Newton's method.
widest() {
	awk 'function root(x,  r, i) {
		if (x <= 0) return 0
		r = x < 1 ? 1 : x
		for (i = 0; i < 100; i++) r = (r + x / r) / 2
		return r
	}
	BEGIN { split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 " \
		"2.228 2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086 " \
		"2.080 2.074 2.069 2.064 2.060 2.056 2.052 2.048 2.045 2.042", t, " ") }
	$1 == "BENCH-PAIR" && $5 == "HOTPATH" {
		split($6, m, "="); split($8, v, "=")
		k = $3 " " m[2]; keys[k] = 1; ns[k, $2, $4] = v[2]
		if ($2 > top) top = $2
	}
	END {
		worst = -1
		for (k in keys) {
			n = 0; s = 0; ss = 0
			for (r = 1; r <= top; r++) {
				if (!((k, r, "on") in ns) || !((k, r, "bare") in ns) || ns[k, r, "bare"] <= 0)
					continue
				x = ns[k, r, "on"] / ns[k, r, "bare"]; n++; s += x; ss += x * x
			}
			h = 1e9
			if (n > 1) {
				mean = s / n; var = (ss - n * mean * mean) / (n - 1)
				if (var < 0) var = 0
				h = (n - 1 <= 30 ? t[n - 1] : 1.96) * root(var / n) / mean * 100
			}
			if (h > worst) { worst = h; wk = k }
		}
		printf "%.2f %s\n", worst, wk
	}' /tmp/pairs.log
}
if [ "${BENCH_RAMPART:-0}" = 1 ]; then
	insmod $M/rampart.ko && idle rampart && rmmod rampart
	exit 0
fi
i=1 max=${BENCH_PAIRS:-0} min=${BENCH_PAIRS_MIN:-5} pct=${BENCH_CI_PCT:-2}
: >/tmp/pairs.log
while [ $i -le "$max" ]; do
	pair $i module 0 "$SHORT"
	pair $i vmx 1 "$SHORT"
	pair $i full 0 "$FULL"
	if [ $i -ge "$min" ] || [ $i -eq "$max" ]; then
		w=$(widest)
		if [ $i -eq "$max" ] || { [ -n "$w" ] &&
			awk -v w="${w%% *}" -v p="$pct" 'BEGIN { exit !(w + 0 <= p + 0) }'; }; then
			echo "BENCH-PAIRS $i $w target $pct"
			break
		fi
	fi
	i=$((i + 1))
done
idle bare
