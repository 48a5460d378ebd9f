# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
# TAP helpers for scenarios; sourced. Each scenario prints one TAP stream
# that the host parses (tools/rig/check-log.py).
TAP_N=0
TAP_FAIL=0
echo "TAP version 13"

# ok COND-EXIT-STATUS DESCRIPTION
tap() {
	local rc=$1
	shift
	TAP_N=$((TAP_N + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $TAP_N - $*"
	else
		echo "not ok $TAP_N - $*"
		TAP_FAIL=$((TAP_FAIL + 1))
	fi
}

# check DESCRIPTION -- COMMAND...: one test point from a command's status.
# put VALUE FILE: write a sysfs file quietly; the status is the write's.
put() {
	echo "$1" >"$2" 2>/dev/null
}

check() {
	local desc=$1
	shift
	[ "$1" = "--" ] && shift
	"$@"
	tap $? "$desc"
}

# is ACTUAL EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		tap 0 "$3"
	else
		tap 1 "$3"
		echo "#   got:      '$1'"
		echo "#   expected: '$2'"
	fi
}

# skip REASON DESCRIPTION: a visible skip; the host prints the reason.
skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $2 # SKIP $1"
}

# done_testing: print the plan; the scenario's exit status says pass/fail.
done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAIL" -eq 0 ]
}

# Kernel messages since the mark, for checks on what the kernel logged.
dmesg_mark() { dmesg | wc -l > /tmp/.dmesg_mark; }
dmesg_since() { dmesg | tail -n +"$(($(cat /tmp/.dmesg_mark) + 1))"; }

# selfprot_write PA: have rp_selfprot read and write physical PA through the
# direct map; prints its result line ("rp_selfprot: pa=... write=... intact=...").
selfprot_write() {
	dmesg -c >/dev/null
	insmod /lib/modules/rampart/rp_selfprot.ko pa="$1" && rmmod rp_selfprot
	dmesg | grep 'rp_selfprot: pa='
}

# mem KEY: one figure from /sys/kernel/debug/rampart/memory.
mem() { awk -v k="$1" '$1 == k {print $2}' /sys/kernel/debug/rampart/memory; }

# load FILE: stage and commit a policy the way rampartctl does, from the shell.
load() {
	cat "$1" >/sys/kernel/rampart/policy/staging &&
		echo "$(wc -c <"$1")" >/sys/kernel/rampart/policy/commit
}

# zero_exits DESC MODE N...: hotpath counts exits from inside the process,
# after its own start-up (whose C library runs CPUID).
zero_exits() {
	local desc=$1 sum=0 out
	shift
	while [ $# -gt 0 ]; do
		out=$(/selftests/hotpath "$1" "$2")
		echo "# $out"
		sum=$((sum + $(echo "$out" | sed -n 's/.* exits=\([0-9]*\).*/\1/p')))
		shift 2
	done
	is "$sum" 0 "$desc"
}

# exits_only LINE REASON...: the hotpath output LINE names no exit reason
# but these.
exits_only() {
	local line=$1 r
	shift
	for r in $(echo "$line" | tr ' ' '\n' | sed -n 's/^\([a-z0-9_]*\)=[0-9]*$/\1/p'); do
		case " ops ns_per_op exits $* " in
		*" $r "*) ;;
		*) return 1 ;;
		esac
	done
}

# memattack: load the hostile memory module; its lines land in /tmp/mem.
memattack() {
	dmesg -c >/dev/null
	insmod /lib/modules/rampart/rp_memattack.ko
	dmesg | grep -o 'rp_memattack: .*' >/tmp/mem
	sed 's/^/# /' /tmp/mem
}

# mem_blocked TARGET...: rp_memattack's writes to each target, through the
# direct map and through a writable alias, faulted and left the byte intact.
mem_blocked() {
	local t
	for t in "$@"; do
		grep -q "rp_memattack: $t direct: pa=.* fault=1 intact=1" /tmp/mem
		tap $? "$t through the direct map: write stopped"
		grep -q "rp_memattack: $t alias: pa=.* fault=1 intact=1" /tmp/mem
		tap $? "$t through a writable vmap alias: write stopped by the EPT, byte intact"
	done
}

# module_attack MOD NAME: have the hostile test module MOD run one
# technique (tools/testmods/MOD.c); its result line goes to /tmp/line.
module_attack() {
	dmesg -c >/dev/null
	echo "$2" >"/sys/module/$1/parameters/run"
	dmesg | grep -o "$1: $2: .*" | tail -1 >/tmp/line
	sed 's/^/# /' /tmp/line
}
escape_attack() { module_attack rp_escape "$1"; }
weaken_attack() { module_attack rp_weaken "$1"; }

# seal_refused WHY LINE MISSING: writing "sealed" is refused with EBUSY
# and exactly one log line holding LINE; a SEAL hypercall straight to root
# (rp_escape) is refused too, root naming MISSING; nothing gets sealed.
seal_refused() {
	local p=/sys/kernel/rampart/policy refused=0
	dmesg -c >/dev/null
	echo 1 >$p/sealed 2>/tmp/err || refused=1
	is "$refused" 1 "sealing refused while $1"
	sed 's/^/# /' /tmp/err
	check "... EBUSY" -- grep -q 'busy' /tmp/err
	dmesg | grep 'seal refused' | sed 's/^/# /'
	check "... one log line: $2" -- \
		sh -c "test \$(dmesg | grep -cF '$2') -eq 1"
	is "$(cat $p/sealed)" 0 "... not sealed"
	check "insmod rp_escape" -- insmod /lib/modules/rampart/rp_escape.ko
	escape_attack seal
	check "a SEAL hypercall past the kernel side: root refuses it too (EBUSY, $3)" -- \
		grep -q "ret=-16 missing=$3\$" /tmp/line
	is "$(cat $p/sealed)" 0 "... still not sealed"
	check "rmmod rp_escape" -- rmmod rp_escape
}

# watch_store WHAT CPU VALUE: have rp_watch store VALUE at WHAT (field,
# before, after, tail, cross, vm) from CPU (-1: any), one instruction in
# rp_watch_store(); its line ("rp_watch: WHAT OLD -> NEW on cpuN read back
# V at VA") goes to /tmp/wr.
watch_store() {
	dmesg -c >/dev/null
	echo "$2" >/sys/module/rp_watch/parameters/cpu
	echo "$3" >"/sys/module/rp_watch/parameters/$1"
	dmesg | grep -o "rp_watch: $1 .*" | tail -1 >/tmp/wr
	sed 's/^/# /' /tmp/wr
}

# watch_stored WHAT CPU VALUE VA: the last watch_store wrote VALUE at VA
# on CPU and read it back.
watch_stored() {
	grep -q "^rp_watch: $1 0x[0-9a-f]* -> $3 on cpu$2 read back $3 at $4\$" /tmp/wr
}

# watch_expect: the hit the last watch_store should give, as watchlog
# prints its first fields: "cpu=N old=0x.. new=0x..".
watch_expect() {
	sed -n 's/^rp_watch: [a-z]* \(0x[0-9a-f]*\) -> \(0x[0-9a-f]*\) on cpu\([0-9]*\) .*/cpu=\3 old=\1 new=\2/p' /tmp/wr
}
