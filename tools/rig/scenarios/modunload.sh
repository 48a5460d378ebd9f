# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Where a module unload's time goes (issue 19: the stock kernel's modload
# swing). MODUNLOAD_CYCLES (default 20) rp_dummy load/unload cycles, no
# Rampart, with the function_graph tracer on delete_module() three calls
# deep. Prints one "MODUNLOAD-TOTAL n sum_us max_us" line for the syscall
# and one "MODUNLOAD-FN name n sum_us max_us" line per callee that took
# 1 ms or more at least once, slowest first (make bench-modunload).
. ./lib.sh
M=/lib/modules/rampart
T=/sys/kernel/tracing
N=${MODUNLOAD_CYCLES:-20}
[ -d $T/options ] || mount -t tracefs nodev $T
if ! grep -qw function_graph $T/available_tracers 2>/dev/null; then
	skip "this kernel has no function_graph tracer" "unload time by callee"
	done_testing
	exit
fi
fn=$(grep -o '^__x64_sys_delete_module' $T/available_filter_functions | head -n 1)
check "delete_module's entry can be traced" -- test -n "$fn"
echo 0 >$T/tracing_on
echo 8192 >$T/buffer_size_kb
echo "$fn" >$T/set_graph_function
echo 3 >$T/max_graph_depth
echo function_graph >$T/current_tracer
echo 1 >$T/options/funcgraph-tail
echo 0 >$T/options/funcgraph-irqs
echo >$T/trace
echo 1 >$T/tracing_on
n=0
for _ in $(seq "$N"); do
	insmod $M/rp_dummy.ko && rmmod rp_dummy && n=$((n + 1))
done
echo 0 >$T/tracing_on
is "$n" "$N" "$N load/unload cycles"
# A call's duration is on its closing line ("! 1234.567 us | } /* name */")
# or, for a leaf, on its only line ("3.210 us | name();").
awk -v top="$fn" '
/ us +\|/ {
	name = ""
	if (match($0, /\/\* [A-Za-z0-9_.]+ \*\//))
		name = substr($0, RSTART + 3, RLENGTH - 6)
	else if (match($0, /[A-Za-z0-9_.]+\(\);/))
		name = substr($0, RSTART, RLENGTH - 3)
	if (name == "")
		next
	for (i = 1; i < NF; i++)
		if ($(i + 1) == "us") { d = $i + 0; break }
	n[name]++; s[name] += d; if (d > m[name]) m[name] = d
}
END {
	printf "MODUNLOAD-TOTAL %d %d %d\n", n[top], s[top], m[top]
	for (f in n)
		if (f != top && m[f] >= 1000)
			printf "MODUNLOAD-FN %s %d %d %d\n", f, n[f], s[f], m[f]
}' $T/trace >/tmp/modunload
grep MODUNLOAD-TOTAL /tmp/modunload
grep MODUNLOAD-FN /tmp/modunload | sort -k4,4nr
total=$(awk '/^MODUNLOAD-TOTAL/ {print $2}' /tmp/modunload)
is "$total" "$N" "the trace holds every unload"
echo nop >$T/current_tracer
done_testing
