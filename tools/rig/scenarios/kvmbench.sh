# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# The nested-KVM benchmark (tools/bench/nested.sh, make bench-nested): the
# same L2 workloads (kvmtest -b: compute, io, touch) under the booted
# kernel's own KVM, first bare, then with Rampart launched (default
# policy: VMX emulated, so KVM runs its guests as L2), one boot, pinned to
# the last CPU. kvmtest reads Rampart's exit counters (every CPU's
# exits/total) and /sys/kernel/debug/rampart/nested just around each
# timed run. Reported: time ratio Rampart/bare, L0 exits (Rampart's) per
# L2 exit (reflected to KVM), Rampart's memory for nested VMX. A "#" table
# and KVMBENCH lines; the test points check the workloads' results and
# the counters' consistency, never a time.
# Kernel command line: kvmbench_reps=N (default 3), kvmbench_mib=N (touch,
# default 16), kvmbench_iters=N (compute, default 2000000), kvmbench_io=N
# (default 1000).
. ./lib.sh
. ./kvmlib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
N=/sys/kernel/debug/rampart/nested
D=/tmp/kvmbench
arg() {
	local v
	v=$(sed -n "s/.*$1=\([0-9]*\).*/\1/p" /proc/cmdline)
	echo "${v:-$2}"
}
REPS=$(arg kvmbench_reps 3)
MIB=$(arg kvmbench_mib 16)
ITERS=$(arg kvmbench_iters 2000000)
IO=$(arg kvmbench_io 1000)
NCPU=$(grep -c ^processor /proc/cpuinfo)
CPU=$((NCPU - 1))
if ! kvm_have; then
	skip "this initramfs has no KVM modules for the booted kernel (initramfs.sh KVMMODDIR)" \
		"nested-KVM benchmark"
	done_testing
	exit
fi
check "Rampart is not loaded (the first run is bare)" -- test ! -e $R
mkdir -p $D

# bench_set NAME: kvmtest -b under the KVM loaded now; its TAP points
# become ours ("NAME: ..."), its "#" lines go to $D/NAME.out and the log,
# its results (without numbers) to $D/NAME.txt.
bench_set() {
	local t0 rc line plan="" n=0 bad=0
	t0=$(kvm_uptime)
	timeout "$KVM_TIMEOUT" /selftests/kvmtest -b -p $CPU -r "$REPS" -i "$ITERS" \
		-n "$IO" -m "$MIB" >$D/"$1".raw 2>&1
	rc=$?
	: >$D/"$1".txt
	: >$D/"$1".out
	while IFS= read -r line; do
		case $line in
		"ok "*)
			n=$((n + 1))
			tap 0 "$1: ${line#ok * - }"
			echo "ok ${line#ok * - }" >>$D/"$1".txt
			;;
		"not ok "*)
			n=$((n + 1)) bad=$((bad + 1))
			tap 1 "$1: ${line#not ok * - }"
			echo "not ok ${line#not ok * - }" >>$D/"$1".txt
			;;
		1..*) plan=${line#1..} ;;
		"TAP version"*) ;;
		"#"*) echo "$line" | tee -a $D/"$1".out ;;
		*) echo "# $line" ;;
		esac
	done <$D/"$1".raw
	echo "# $1: kvmtest -b: $n points, exit status $rc, $(kvm_took "$t0") s"
	[ "$plan" = "$n" ] && [ "$n" -gt 0 ] && { [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ]; }
	tap $? "$1: kvmtest -b ran its whole plan and its exit status agrees"
}

# l0_total: Rampart's exits so far, every CPU.
l0_total() {
	cat $R/cpus/cpu*/exits/total 2>/dev/null | awk '{ n += $1 } END { print n + 0 }'
}

echo "# $NCPU CPUs, pinned to cpu$CPU; $REPS runs each: compute $ITERS rounds," \
	"io $IO OUTs, touch $MIB MiB"
kvm_load
bench_set bare
kvm_unload

check "insmod rampart.ko (default policy)" -- insmod $M/rampart.ko
check "the policy in force emulates VMX (vmx.nested lock allow)" -- \
	grep -qx 'vmx.nested lock allow' $R/policy/active
sed 's/^/# before: /' $N
l0a=$(l0_total)
kvm_load
bench_set rampart
kvm_unload
l0b=$(l0_total)
sed 's/^/# after: /' $N
per_cpu=$(awk '$1 == "per_cpu_bytes" { print $2 }' $N)
check "rmmod rampart" -- rmmod rampart

diff $D/bare.txt $D/rampart.txt >$D/diff
tap $? "every workload gives the same result under Rampart as on bare KVM"
sed 's/^/# /' $D/diff

# The table: each workload's mean over its runs, bare and under Rampart.
awk -v ncpu="$NCPU" -v per_cpu="${per_cpu:-0}" '
$1 == "#" && $2 == "bench" {
	cfg = FILENAME ~ /bare/ ? "bare" : "rp"
	w = $3
	if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
	runs[cfg, w]++
	for (i = 4; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[2] ~ /^[0-9]+$/) v[cfg, w, kv[1]] += kv[2]
		if (kv[1] == "ns") each[cfg, w] = each[cfg, w] (runs[cfg, w] > 1 ? "," : "") kv[2]
		if (kv[1] == "iters" || kv[1] == "pages") size[w] = kv[1] "=" kv[2]
	}
}
function m(cfg, w, k) { return runs[cfg, w] ? v[cfg, w, k] / runs[cfg, w] : 0 }
END {
	printf "# %-8s %-13s %10s %10s %7s %9s %9s %7s %9s %9s\n", "workload", "size",
		"bare ms", "Rampart ms", "ratio", "L2 exits", "L0 exits", "L0/L2",
		"sEPT fill", "KVM exits"
	for (j = 1; j <= nw; j++) {
		w = order[j]
		b = m("bare", w, "ns"); r = m("rp", w, "ns")
		l2 = m("rp", w, "reflected"); l0 = m("rp", w, "l0")
		printf "# %-8s %-13s %10.3f %10.3f %7.2f %9.0f %9.0f %7.1f %9.0f %9.0f\n",
			w, size[w], b / 1e6, r / 1e6, b ? r / b : 0, l2, l0,
			l2 ? l0 / l2 : 0, m("rp", w, "sept_fills"), m("bare", w, "exits")
		printf "KVMBENCH workload=%s %s runs=%d bare_ns=%.0f rampart_ns=%.0f ratio=%.4f" \
			" l2_exits=%.1f l0_exits=%.1f l0_per_l2=%.2f sept_fills=%.1f" \
			" kvm_exits_bare=%.1f kvm_exits_rampart=%.1f" \
			" bare_runs_ns=%s rampart_runs_ns=%s\n",
			w, size[w], runs["rp", w], b, r, b ? r / b : 0, l2, l0,
			l2 ? l0 / l2 : 0, m("rp", w, "sept_fills"), m("bare", w, "exits"),
			m("rp", w, "exits"), each["bare", w], each["rp", w]
	}
	printf "# Rampart memory for nested VMX: %d KiB per CPU, %d KiB for %d CPUs\n",
		per_cpu / 1024, per_cpu * ncpu / 1024, ncpu
	printf "KVMBENCH memory per_cpu_bytes=%d cpus=%d bytes=%d\n",
		per_cpu, ncpu, per_cpu * ncpu
}' $D/bare.out $D/rampart.out

# Consistency of the counters (not performance).
grep '^# bench ' $D/rampart.out >$D/rp.lines
is "$(grep -c '^# bench .* ok=1$' $D/bare.out) $(grep -c ' ok=1$' $D/rp.lines)" \
	"$((REPS * 4)) $((REPS * 4))" \
	"every timed run completed, bare and under Rampart (compute, io, touch1, touch2)"
check "kvmtest saw Rampart's counters in every run under Rampart" -- \
	sh -c "! grep -v ' l0=[0-9]* reflected=' $D/rp.lines | grep -q ."
check "Rampart reflected at least one L2 exit per OUT in io and one per run" -- \
	awk -v io="$IO" '{ for (i = 4; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
		f["reflected"] < 1 || ($3 == "io" && f["reflected"] < io + 1) { bad = 1 }
		END { exit bad }' $D/rp.lines
check "KVM handled every exit Rampart reflected, no more (reflected = KVM's exits)" -- \
	awk '{ for (i = 4; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
		f["exits"] != f["reflected"] { print "# " $0; bad = 1 } END { exit bad }' $D/rp.lines
is "$(awk '{ for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "refused") n += kv[2] } }
	END { print n + 0 }' $D/rp.lines)" 0 "no L2 access was refused (the workloads touch only their own memory)"
sum=$(awk '{ for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "l0") n += kv[2] } }
	END { print n + 0 }' $D/rp.lines)
echo "# L0 exits: $sum in the timed runs, $((l0b - l0a)) from the first kvm insmod to the last rmmod"
check "the timed runs' L0 exits are part of the whole run's" -- \
	test "$sum" -gt 0 -a "$sum" -le $((l0b - l0a))
done_testing
