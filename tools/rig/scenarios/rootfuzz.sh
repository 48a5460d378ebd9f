# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# Root fuzzing (issue 19): the test module rp_rootfuzz (tools/testmods/
# rp_rootfuzz.c) runs seeded streams of random hypercalls, CR/MSR writes,
# descriptor-table loads, NMIs and stores to protected and watched pages
# on cpu0, checking its own oracles after each batch, while cpu1 loads
# policies in a loop: the policy in force again, the malformed ones of
# tools/fuzz/malformed and one root must refuse. After each seed every CPU
# still answers root, the policy in force is byte-identical, the
# generation moved only by the loads that were taken, nothing is sealed,
# the kernel logged no crash or entry failure, root recorded none, the
# watch counted exactly the module's watched writes and root's VMCS
# accesses never failed.
#
# Seeds: tools/rig/rootfuzz.seeds (the regression list), then
# ROOTFUZZ_SEEDS (default 2) random ones, ROOTFUZZ_OPS (default 400)
# operations each; ROOTFUZZ_SEED_LIST=a,b runs only those, and
# ROOTFUZZ_TRACE=1 prints every op before it runs (for a seed that takes
# the kernel down). Kernel command line: run.sh --append "ROOTFUZZ_...".
# Leaves Rampart unloaded.
. ./lib.sh
M=/lib/modules/rampart
R=/sys/kernel/rampart
P=$R/policy
D=/sys/kernel/debug/rampart
T=/sys/kernel/tracing
X=/sys/module/rp_rootfuzz/parameters
ncpu=$(grep -c ^processor /proc/cpuinfo)
# The fuzzer runs on cpu0, the loader on cpu1 where there is one.
lc=$((ncpu > 1 ? 1 : 0))
ops=${ROOTFUZZ_OPS:-400}
nrand=${ROOTFUZZ_SEEDS:-2}

# loader: load the recorded policy (taken, unless root is busy with an
# edit of the fuzzer's), then a malformed one and the one root refuses
# (both refused), in turn, until /tmp/rf.stop appears. Counts lines in
# /tmp/rf.ok and /tmp/rf.busy; any refused policy taken goes to /tmp/rf.taken.
loader() {
	local i=0 f
	while [ ! -e /tmp/rf.stop ]; do
		if load /tmp/rf.policy 2>/dev/null; then
			echo >>/tmp/rf.ok
		else
			echo >>/tmp/rf.busy
		fi
		f=$(sed -n "$((i % nbad + 1))p" /tmp/rf.bad)
		load "$f" 2>/dev/null && echo "$f" >>/tmp/rf.taken
		load /tmp/rf.refused 2>/dev/null && echo "past the EPT" >>/tmp/rf.taken
		i=$((i + 1))
		usleep 50000
	done
}
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

check "insmod rampart" -- insmod $M/rampart.ko
check "insmod rp_rootfuzz" -- insmod $M/rp_rootfuzz.ko
cat $P/active >/tmp/default.policy
wpa=$(printf '0x%x' "$(($(cat $X/page_pa) + $(cat $X/watch_off)))")
wlen=$(cat $X/watch_len)
echo "# rp_rootfuzz watches $wlen bytes at $wpa; $(dmesg | grep -o 'rp_rootfuzz: page_pa=.*')"
{
	cat /tmp/default.policy
	echo 'range.rodata ro deny'
	echo 'range.idt ro deny'
	echo "watch.phys.$wpa:$wlen ro log"
} >/tmp/rf.src
check "the rootfuzz policy loads: the default, rodata and the IDT ro deny, a watch on rp_rootfuzz's page" -- \
	load /tmp/rf.src
# The loader loads policy/active as it reads: record it once loaded that way.
cat $P/active >/tmp/rf.first
check "policy/active loads as it reads" -- load /tmp/rf.first
cat $P/active >/tmp/rf.policy
sed 's/^/# /' /tmp/rf.policy
check "... it keeps the IDT, rodata and the watch" -- sh -c \
	"grep -qx 'range.idt ro deny' /tmp/rf.policy && grep -qx 'range.rodata ro deny' /tmp/rf.policy && grep -q '^watch.phys.$wpa:' /tmp/rf.policy"
check "... loads again (what the loader loads)" -- load /tmp/rf.policy
check "... and reads back byte-identical" -- sh -c "cat $P/active | cmp -s - /tmp/rf.policy"
# A policy the kernel side stages and root refuses: a range past the EPT.
{
	cat /tmp/rf.policy
	echo "phys.$(mem ept_end)+0x1000 ro deny"
} >/tmp/rf.refused
g=$(cat $P/generation)
load /tmp/rf.refused 2>/dev/null
tap $((! $?)) "a range past the EPT ($(mem ept_end)) is refused"
is "$(cat $P/generation)" "$g" "... the generation stays $g"
ls /policies/malformed/*.pol >/tmp/rf.bad
nbad=$(wc -l </tmp/rf.bad)
check "the malformed policies are in the image ($nbad)" -- test "$nbad" -gt 0

rpa=$(awk '$3 == "read" {print $1; exit}' $D/root_pages)
put "$rpa" $X/root_pa
put "$ops" $X/ops
put 0 $X/cpu
[ "${ROOTFUZZ_TRACE:-0}" = 1 ] && put 1 $X/trace
check "rp_rootfuzz armed (every CPU answers root; CRs, MSRs and tables recorded)" -- put 1 $X/armed
mount -t tracefs nodev $T 2>/dev/null
put 4096 $T/buffer_size_kb
check "tracepoint rampart:rampart_violation enabled" -- \
	put 1 $T/events/rampart/rampart_violation/enable
sealed=$(cat $P/sealed)
is "$sealed" 0 "not sealed"

if [ -n "${ROOTFUZZ_SEED_LIST:-}" ]; then
	seeds=$(echo "$ROOTFUZZ_SEED_LIST" | tr , ' ')
else
	seeds=$(sed 's/#.*//' ./rootfuzz.seeds 2>/dev/null | tr -s ' \t' '\n\n' | grep .)
	i=0
	while [ $i -lt "$nrand" ]; do
		seeds="$seeds $(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
		i=$((i + 1))
	done
fi
echo "# seeds: $(echo $seeds); $ops ops each; fuzzer on cpu0, loader on cpu$lc"

for s in $seeds; do
	rm -f /tmp/rf.stop /tmp/rf.ok /tmp/rf.busy /tmp/rf.taken
	g0=$(cat $P/generation)
	d0=$(cat $R/events/dropped)
	h0=$(cat $R/watch/hits)
	n0=$(cat $R/watch/neighbours)
	dmesg -c >/dev/null
	echo >$T/trace
	loader &
	lpid=$!
	taskset -p -c "$lc" "$lpid" >/dev/null 2>&1
	echo "$s" >$X/run
	touch /tmp/rf.stop
	wait "$lpid"
	# Reading events/ drains what root still holds into the tracepoint.
	cat $R/events/total >/dev/null
	dmesg >/tmp/rf.dmesg
	ok=$(lines /tmp/rf.ok)
	busy=$(lines /tmp/rf.busy)
	stats=$(grep -o "rp_rootfuzz: seed $s stats .*" /tmp/rf.dmesg | tail -1)
	echo "# ${stats#rp_rootfuzz: }"
	grep -o "rp_rootfuzz: seed $s kinds .*" /tmp/rf.dmesg | tail -1 | sed 's/^rp_rootfuzz: /# /'
	if grep -q "rp_rootfuzz: seed $s ops $ops ok\$" /tmp/rf.dmesg; then
		tap 0 "seed $s: $ops ops, every oracle of rp_rootfuzz held"
	else
		tap 1 "seed $s: $ops ops, every oracle of rp_rootfuzz held"
		grep -o "rp_rootfuzz: seed $s FAIL .*" /tmp/rf.dmesg | sed 's/^/# /'
		grep -o 'rp_rootfuzz: op .*' /tmp/rf.dmesg | tail -n 10 | sed 's/^/# /'
		echo "# (the full op dump is in the kernel log; rerun: ROOTFUZZ_SEED_LIST=$s ROOTFUZZ_OPS=$ops)"
	fi
	is "$(cat $R/cpus/cpu*/state | sort -u | tr '\n' ' ')" "launched " \
		"seed $s: every CPU still answers root (cpus/*/state)"
	check "seed $s: policy/active byte-identical to the recorded policy" -- \
		sh -c "cat $P/active | cmp -s - /tmp/rf.policy"
	is "$(cat $P/generation)" "$((g0 + ok))" \
		"seed $s: generation $g0 + the $ok loads taken ($busy came back busy)"
	is "$(cat /tmp/rf.taken 2>/dev/null)" "" \
		"seed $s: every malformed policy and the one past the EPT refused"
	is "$(cat $P/sealed)" "$sealed" "seed $s: sealed still $sealed"
	grep -E 'BUG:|Oops|WARNING:|general protection|Kernel panic|entry fail|VM entry failed|parked|unexpected exit' \
		/tmp/rf.dmesg | head -5 | sed 's/^/# /'
	check "seed $s: the kernel logged no crash, entry failure or parked CPU" -- \
		sh -c "! grep -qE 'BUG:|Oops|WARNING:|general protection|Kernel panic|entry fail|VM entry failed|parked|unexpected exit' /tmp/rf.dmesg"
	is "$(cat $R/events/dropped)" "$d0" "seed $s: no event record dropped (so the trace holds them all)"
	grep -E ' cpu asset=0x[34] ' $T/trace | head -5 | sed 's/^/# /'
	check "seed $s: root recorded no entry failure or parked CPU (rampart_violation, no overrun)" -- \
		sh -c "! grep -qE ' cpu asset=0x[34] ' $T/trace && ! grep -q '^overrun: [1-9]' $T/per_cpu/cpu*/stats"
	mh=$(echo "$stats" | sed -n 's/.* hits=\([0-9]*\).*/\1/p')
	mn=$(echo "$stats" | sed -n 's/.* neighbours=\([0-9]*\).*/\1/p')
	is "$(($(cat $R/watch/hits) - h0))" "${mh:-?}" \
		"seed $s: watch/hits grew by the ${mh:-?} stores to the watched bytes"
	check "seed $s: watch/neighbours grew by at least the ${mn:-?} other stores to the page" -- \
		test "$(($(cat $R/watch/neighbours) - n0))" -ge "${mn:-1000000000}"
	grep -v ' vmcs_errors 0$' $D/vmcs | sed 's/^/# /'
	check "seed $s: no VMREAD or VMWRITE of root failed (debugfs vmcs)" -- \
		sh -c "! grep -qv ' vmcs_errors 0\$' $D/vmcs"
done

put 0 $T/events/rampart/rampart_violation/enable
check "rp_rootfuzz disarmed" -- put 0 $X/armed
check "the default policy back (no watch left on rp_rootfuzz's page)" -- load /tmp/default.policy
check "rmmod rp_rootfuzz" -- rmmod rp_rootfuzz
check "rmmod rampart" -- rmmod rampart
done_testing
