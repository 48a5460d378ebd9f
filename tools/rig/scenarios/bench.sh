# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The benchmark suite (tools/bench/bench.sh). BENCH_RAMPART=1 on the kernel
# command line launches Rampart first; 0 runs the same suite bare.
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
if [ "${BENCH_RAMPART:-0}" = 1 ]; then
	# The event drain's timer runs while Rampart was loaded (no events).
	echo "BENCH-DRAIN $(awk '$1 == "drain_runs" {print $2}' $D/timing)" \
		"$(awk -v t0="$t0" '{printf "%.1f", $1 - t0}' /proc/uptime)"
	rmmod rampart
	dmesg | sed -n 's/.*rampart: cpu\([0-9]*\): devirtualized in \([0-9]*\) ns/BENCH-DEVIRT cpu\1 \2/p'
fi
