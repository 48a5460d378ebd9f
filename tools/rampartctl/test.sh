#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Host-side test of rampartctl: builds it into a temporary directory and
# runs it against fake sysfs trees and policy files. TAP output; exits
# non-zero if any test fails. Needs gcc, make and python3, no kernel.
# Usage: tools/rampartctl/test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rampartctl-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ctl=$tmp/bin/rampartctl
# boot logs to the kernel log: never the host's.
export RAMPARTCTL_KMSG=$tmp/kmsg
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

notok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failed=$((failed + 1))
}

# diag FILE: show FILE as TAP comments.
diag() {
	sed 's/^/#   /' "$1"
}

# run ARGS...: run rampartctl, stdout to $tmp/out, stderr to $tmp/err.
run() {
	timeout 10 "$ctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect DESC RC [STDOUT-FILE]: the last run exited RC (and printed
# exactly STDOUT-FILE).
expect() {
	local desc=$1 want=$2 file=${3:-}

	if [ "$rc" != "$want" ]; then
		notok "$desc (exit $rc, want $want)"
		diag "$tmp/err"
		return
	fi
	if [ -n "$file" ] && ! cmp -s "$file" "$tmp/out"; then
		notok "$desc (stdout differs)"
		diff "$file" "$tmp/out" | sed 's/^/#   /'
		return
	fi
	ok "$desc"
}

# same DESC WANT GOT: two strings are equal.
same() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		notok "$1"
		printf '#   want: %s\n#   got:  %s\n' "$2" "$3"
	fi
}

# has DESC FILE PATTERN: FILE has a line matching the extended regex.
has() {
	if grep -Eq -- "$3" "$2"; then
		ok "$1"
	else
		notok "$1 (no /$3/)"
		diag "$2"
	fi
}

# hasnt DESC FILE PATTERN
hasnt() {
	if grep -Eq -- "$3" "$2"; then
		notok "$1 (/$3/ present)"
		diag "$2"
	else
		ok "$1"
	fi
}

# ev FILE [seq cpu kind asset action deny old attempted bits rip line tsc]...:
# append struct rampart_event records (uapi/policy.h) to FILE.
ev() {
	python3 - "$@" <<'EOF'
import struct, sys
path, recs = sys.argv[1], sys.argv[2:]
with open(path, "ab") as f:
    for r in recs:
        (seq, cpu, kind, asset, action, deny, old, att, bits, rip, line,
         tsc) = [int(x, 0) for x in r.split(",")]
        f.write(struct.pack("<QQQQQQIIIBBBB", seq, tsc, rip, old, att,
                            bits, asset, cpu, line, kind, action, deny, 0))
EOF
}

# mkfs DIR: a fake /sys/kernel/rampart with two CPUs at generation 3.
mkfs() {
	local d=$1 c

	mkdir -p "$d/cpus/cpu0" "$d/cpus/cpu1" "$d/cpus/cpu10" "$d/policy" \
		"$d/events"
	echo launched >"$d/state"
	echo 0.7-test >"$d/version"
	for c in 0 1 10; do
		echo launched >"$d/cpus/cpu$c/state"
		echo 3 >"$d/cpus/cpu$c/policy_generation"
	done
	echo 3 >"$d/policy/generation"
	echo 5 >"$d/policy/rules"
	echo 0 >"$d/policy/sealed"
	: >"$d/policy/staging"
	: >"$d/policy/commit"
	printf '# rampart policy: 1 rules compiled\ncr0.wp lock deny gp\n' \
		>"$d/policy/active"
	echo 12 >"$d/events/total"
	echo 4 >"$d/events/denied"
	echo 8 >"$d/events/logged"
	echo 1 >"$d/events/dropped"
	: >"$d/events/log"
}

# --- build -----------------------------------------------------------------
if make -s -C "$top/tools/rampartctl" O="$tmp/bin" >"$tmp/build" 2>&1 &&
   [ -x "$ctl" ]; then
	ok "build"
else
	notok "build"
	diag "$tmp/build"
	echo "1..$n"
	exit 1
fi
if [ -s "$tmp/build" ]; then
	notok "build prints no warnings"
	diag "$tmp/build"
else
	ok "build prints no warnings"
fi

# --- help and usage --------------------------------------------------------
for h in help --help -h; do
	run $h
	expect "$h exits 0" 0
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS "POLICY FORMAT" FILES \
		 "EXIT STATUS" EXAMPLES; do
		grep -qx "$s" "$tmp/out" || { notok "$h has section $s"; continue 2; }
	done
	ok "$h has every section"
done
run frobnicate
expect "unknown command exits 2" 2
same "unknown command: one rampartctl: line first" \
	"rampartctl: unknown command 'frobnicate'" "$(head -1 "$tmp/err")"
run
expect "no command exits 2" 2
run policy check
expect "policy check without FILE exits 2" 2
run events -n many
expect "events -n many exits 2" 2
run --bogus status
expect "unknown option exits 2" 2

# --- policy check: good ----------------------------------------------------
cat >"$tmp/good.pol" <<'EOF'
# A policy with one of each.
cr4.smep,smap lock deny gp	# SMEP and SMAP
cr0.wp lock deny ignore

msr.lstar lock log
msr.efer/0x800 ro deny gp
msr.0x3b lock allow
cr4.umip lock log
cr4.smap lock deny gp
msr.syscall_mask lock deny ignore
cr0.0x10000 lock deny ignore
EOF
cat >"$tmp/good.want" <<'EOF'
# rampart policy: 9 rules compiled
cr0.wp lock deny ignore
cr4.umip lock log
cr4.smep,smap lock deny gp
msr.0x3b lock allow
msr.efer/0x800 ro deny gp
msr.lstar lock log
msr.syscall_mask lock deny ignore
EOF
run policy check "$tmp/good.pol"
expect "policy check good: canonical text" 0 "$tmp/good.want"
same "policy check good: nothing on stderr" "" "$(cat "$tmp/err")"
cp "$tmp/out" "$tmp/canon.pol"
run policy check "$tmp/canon.pol"
sed '1s/9 rules/7 rules/' "$tmp/good.want" >"$tmp/canon.want"
expect "policy check of the canonical text gives it back" 0 "$tmp/canon.want"
timeout 10 "$ctl" policy check - <"$tmp/good.pol" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "policy check - reads stdin" 0 "$tmp/good.want"
: >"$tmp/empty.pol"
printf '# rampart policy: 0 rules compiled\n' >"$tmp/empty.want"
run policy check "$tmp/empty.pol"
expect "policy check of an empty file" 0 "$tmp/empty.want"
run policy check --code "$tmp/good.pol"
printf '0 OK\n' >"$tmp/ok.want"
expect "policy check --code good: 0 OK" 0 "$tmp/ok.want"
run policy check "$tmp/nonexistent.pol"
expect "policy check of a missing file exits 1" 1
has "missing file: says so" "$tmp/err" \
	"^rampartctl: $tmp/nonexistent.pol: No such file or directory$"

# --- policy check: bad -----------------------------------------------------
# bad NAME LINE CODE MESSAGE: $tmp/NAME.pol (written by the caller) fails
# on LINE with MESSAGE, and --code prints "LINE CODE".
bad() {
	local f=$tmp/$1.pol

	run policy check "$f"
	if [ "$rc" != 1 ]; then
		notok "bad $1: exit $rc, want 1"
		diag "$tmp/err"
		return
	fi
	same "bad $1: line $2, message" "$f:$2: $4" "$(cat "$tmp/err")"
	same "bad $1: nothing on stdout" "" "$(cat "$tmp/out")"
	run policy check --code "$f"
	same "bad $1: --code" "1 $2 $3" "$rc $(cat "$tmp/out")"
}

printf 'cr0.wp lock\n' >"$tmp/syntax.pol"
bad syntax 1 SYNTAX "expected '<asset> <protection> <action> [gp|ignore]'"
printf '# one\n\ncr4.smep,foo lock deny gp\n' >"$tmp/crname.pol"
bad crname 3 CR_NAME "unknown CR bit name"
printf 'cr0.wp lock deny gp\ncr0.0x1g lock deny gp\n' >"$tmp/number.pol"
bad number 2 NUMBER "malformed number"
printf 'msr.0x10000000000000000 lock log\n' >"$tmp/overflow.pol"
bad overflow 1 NUMBER "malformed number"
printf 'cr4.smep lock deny\n' >"$tmp/denymode.pol"
bad denymode 1 DENY_MODE "deny needs 'gp' or 'ignore'"
printf 'cr4.smep lock deny gp now\n' >"$tmp/trailing.pol"
bad trailing 1 TRAILING "unexpected text after the rule"
printf 'cr4.smep lock log gp\n' >"$tmp/notdeny.pol"
bad notdeny 1 NOT_DENY "'gp' and 'ignore' go only with deny"
printf 'cr4.smep lock deny gp\ncr4.pge lock deny gp\n' >"$tmp/crhot.pol"
bad crhot 2 CR_HOT "unsafe: the kernel changes this CR bit at run time (TLB flush, context switch, FPU, cache control)"
printf 'cr4.vmxe lock log\n' >"$tmp/vmxe.pol"
bad vmxe 1 CR_OWNED "unsafe: CR4.VMXE belongs to Rampart"
printf 'cr4.0x8000 lock log\n' >"$tmp/reserved.pol"
bad reserved 1 CR_RESERVED "reserved CR bit"
printf 'cr0.wp ro deny gp\n' >"$tmp/crprot.pol"
bad crprot 1 CR_PROT "CR bits take 'lock'"
printf 'msr.0x2000 lock log\n' >"$tmp/msrrange.pol"
bad msrrange 1 MSR_RANGE "MSR outside the ranges the MSR bitmap covers (0-0x1fff, 0xc0000000-0xc0001fff)"
printf 'msr.fs_base lock deny gp\n' >"$tmp/msrvmcs.pol"
bad msrvmcs 1 MSR_VMCS "unsupported: this MSR lives in the VMCS guest state (PAT, DEBUGCTL, FS/GS base)"
printf 'msr.tsc_deadline lock log\n' >"$tmp/msrhot.pol"
bad msrhot 1 MSR_HOT "unsafe: the kernel writes this MSR on a hot path (context switch, timer, interrupt, perf)"
printf 'phys.0x1001+0x1000 ro deny\n' >"$tmp/phys.pol"
bad phys 1 PHYS "physical range is empty, unaligned, wraps or lies beyond mapped memory"
printf 'range.kernel_text poke deny\nrange.rodata poke deny\n' >"$tmp/poke.pol"
bad poke 2 RANGE_PROT "memory ranges take 'ro', or 'poke' for kernel_text and modules"
printf 'msr.lstar poke deny gp\n' >"$tmp/msrpoke.pol"
bad msrpoke 1 MSR_PROT "MSRs take 'lock' or 'ro'"
printf 'range.modules poke deny\n\nrange.modules ro deny\n' >"$tmp/modconflict.pol"
bad modconflict 3 CONFLICT "contradicts an earlier rule for the same asset (see line 1)"
printf 'cr0.wp lock deny gp\n' >"$tmp/nul.pol"
printf 'cr4.smep lock \0deny gp\n' >>"$tmp/nul.pol"
bad nul 2 NUL "NUL byte in policy text"
# rp_parse() indexes tk[-1] on "\0x" at the start of a line (a bug in
# policy/parse.c); rampartctl must still report the NUL, not crash.
printf 'cr0.wp lock deny gp\n\0x lock log\n' >"$tmp/nulfirst.pol"
bad nulfirst 2 NUL "NUL byte in policy text"
printf 'cr0.wp lock\n \0x lock log\n' >"$tmp/nulafter.pol"
bad nulafter 1 SYNTAX "expected '<asset> <protection> <action> [gp|ignore]'"
{ printf 'cr0.wp lock deny gp # '; printf 'x%.0s' {1..300}; echo; } \
	>"$tmp/long.pol"
bad long 1 LINE_LONG "line longer than 256 bytes"
printf 'cr0.wp lock deny gp\n' >"$tmp/conflict.pol"
printf '# other rules\nmsr.lstar lock log\ncr0.pe,wp lock deny ignore\n' \
	>>"$tmp/conflict.pol"
bad conflict 4 CONFLICT \
	"contradicts an earlier rule for the same asset (see line 1)"
printf 'msr.star lock log\nmsr.star/0xff lock log\n' >"$tmp/msrconf.pol"
bad msrconf 2 CONFLICT \
	"contradicts an earlier rule for the same asset (see line 1)"
printf 'vmx.nested lock log\n' >"$tmp/vmxlog.pol"
bad vmxlog 1 VMX_ACTION "vmx.nested takes 'allow' (emulate VMX for the kernel) or 'deny' (hide it): 'log' has nothing to record"
printf 'vmx.nested ro deny\n' >"$tmp/vmxro.pol"
bad vmxro 1 VMX_PROT "vmx.nested takes 'lock'"
printf 'vmx.nested lock deny gp\n' >"$tmp/vmxgp.pol"
bad vmxgp 1 VMX_DENY_MODE "vmx.nested deny takes no 'gp' or 'ignore': VMX instructions raise #UD"
printf 'vmx.ept lock allow\n' >"$tmp/vmxname.pol"
bad vmxname 1 VMX_NAME "unknown VMX feature (nested)"
printf 'vmx.nested lock deny\n# KVM\nvmx.nested lock allow\n' >"$tmp/vmxconf.pol"
bad vmxconf 3 CONFLICT \
	"contradicts an earlier rule for the same asset (see line 1)"

# --- policy check: vmx.nested ------------------------------------------------
printf 'vmx.nested lock allow  # KVM guests\ncr0.wp lock deny gp\nvmx.nested lock allow\n' \
	>"$tmp/vmx.pol"
printf '# rampart policy: 3 rules compiled\ncr0.wp lock deny gp\nvmx.nested lock allow\n' \
	>"$tmp/vmx.want"
run policy check "$tmp/vmx.pol"
expect "policy check vmx.nested allow: canonical text, last" 0 "$tmp/vmx.want"
printf 'vmx.nested lock deny\n' >"$tmp/vmxdeny.pol"
printf '# rampart policy: 1 rules compiled\nvmx.nested lock deny\n' \
	>"$tmp/vmxdeny.want"
run policy check "$tmp/vmxdeny.pol"
expect "policy check vmx.nested deny: kept as written" 0 "$tmp/vmxdeny.want"

# --- policy check: watches ---------------------------------------------------
# policy/parse.c's watch syntax; symbol and virt watches get stand-in
# pieces (pages of their own from 0xff0000000000, 8 bytes for a symbol
# without :len), a phys watch is itself, "phys.START+SIZE ro log" not
# page aligned is a watch, the same piece twice is one.
cat >"$tmp/watch.pol" <<'EOF2'
watch.jiffies_64 ro log
watch.foo$bar.cold+8:4 ro log # kallsyms spells symbols so
watch.virt.0xffffc90000000000:24 ro log
watch.phys.0x2a0b000:8 ro log
phys.0x1004+4 ro log
phys.0x2000+0x1000 ro log
watch.phys.0x2a0b000:0x8 ro log
EOF2
cat >"$tmp/watch.want" <<'EOF2'
# rampart policy: 7 rules compiled
phys.0x2000+0x1000 ro log
watch.phys.0x1004:0x4 ro log
watch.phys.0x2a0b000:0x8 ro log
watch.phys.0xff0000000000:0x8 ro log
watch.phys.0xff0000001000:0x4 ro log
watch.phys.0xff0000002000:0x18 ro log
EOF2
run policy check "$tmp/watch.pol"
expect "policy check watches: stand-in pieces, canonical text" 0 \
	"$tmp/watch.want"
printf 'cr0.wp lock deny gp\nwatch.jiffies_64:0 ro log\n' >"$tmp/wzero.pol"
bad wzero 2 WATCH_RANGE "watch length is 0, wraps, or lies beyond mapped memory"
printf 'watch.virt.0xffffc90000000000 ro log\n' >"$tmp/wnolen.pol"
bad wnolen 1 WATCH_NAME "expected watch.<symbol>[+<off>][:<len>], watch.virt.<addr>:<len> or watch.phys.<addr>:<len>"
printf 'watch.9lives ro log\n' >"$tmp/wdigit.pol"
bad wdigit 1 WATCH_NAME "expected watch.<symbol>[+<off>][:<len>], watch.virt.<addr>:<len> or watch.phys.<addr>:<len>"
printf 'watch.jiffies_64 ro deny\n' >"$tmp/wrule.pol"
bad wrule 1 WATCH_RULE "a watch takes 'ro log'"
printf 'watch.virt.0x7fff0000:8 ro log\n' >"$tmp/wuser.pol"
bad wuser 1 WATCH_ADDR "watched address not mapped, or not memory root can watch"
printf 'watch.virt.0xffffc90000000000:0x100001 ro log\n' >"$tmp/wvlong.pol"
bad wvlong 1 WATCH_RANGE "watch length is 0, wraps, or lies beyond mapped memory"
printf 'watch.phys.0x100000:0x101000 ro log\n' >"$tmp/wplong.pol"
bad wplong 1 WATCH_TOO_MANY "more than 1024 watch pieces or 256 watched pages"
printf 'watch.phys.0x1000:4 ro log\nwatch.phys.0x1002:4 ro log\n' \
	>"$tmp/woverlap.pol"
bad woverlap 2 CONFLICT \
	"contradicts an earlier rule for the same asset (see line 1)"

# --- status ----------------------------------------------------------------
fs=$tmp/sys
mkfs "$fs"
run --sysfs "$fs" status
expect "status exits 0" 0
cat >"$tmp/status.want" <<'EOF'
state       launched
version     0.7-test
cpu0        launched   policy generation 3
cpu1        launched   policy generation 3
cpu10       launched   policy generation 3
policy      generation 3, 5 rules, not sealed
events      total 12, denied 4, logged 8, dropped 1
EOF
if cmp -s "$tmp/status.want" "$tmp/out"; then
	ok "status output"
else
	notok "status output"
	diff "$tmp/status.want" "$tmp/out" | sed 's/^/#   /'
fi
same "status: no warning when generations agree" "" "$(cat "$tmp/err")"
echo native >"$fs/cpus/cpu1/state"
echo 2 >"$fs/cpus/cpu1/policy_generation"
RAMPART_SYSFS=$fs timeout 10 "$ctl" status >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "status via RAMPART_SYSFS exits 0" 0
same "status warns about a CPU behind" \
	"rampartctl: warning: cpu1 (native) has policy generation 2, not 3" \
	"$(cat "$tmp/err")"
has "status shows the CPU's own generation" "$tmp/out" \
	'^cpu1 +native +policy generation 2$'
run --sysfs "$tmp/nowhere" status
expect "status without the module exits 1" 1
has "status without the module: one line" "$tmp/err" \
	"^rampartctl: $tmp/nowhere/state: No such file or directory \(is rampart.ko loaded\?\)$"

# --- policy load -----------------------------------------------------------
# A policy bigger than a page, so the kernel would take several writes.
{
	printf 'cr4.smep lock deny gp\n'
	for i in $(seq 1 120); do
		printf '# padding comment number %03d to pass one page\n' "$i"
	done
	printf 'msr.lstar lock log\n'
} >"$tmp/big.pol"
size=$(stat -c %s "$tmp/big.pol")
printf 'stale staging text, longer than nothing at all\n' >"$fs/policy/staging"
printf '123456789\n' >"$fs/policy/commit"
run --sysfs "$fs" policy load "$tmp/big.pol"
expect "policy load exits 0" 0
if [ "$size" -gt 4096 ] && cmp -s "$tmp/big.pol" "$fs/policy/staging"; then
	ok "policy load: staging holds the file, byte for byte"
else
	notok "policy load: staging holds the file, byte for byte"
fi
same "policy load: commit holds the byte count" "$size" \
	"$(tr -d '\n' <"$fs/policy/commit")"
same "policy load: reports the generation" \
	"policy loaded: generation 3, 5 rules" "$(cat "$tmp/out")"
: >"$fs/policy/staging"
: >"$fs/policy/commit"
run --sysfs "$fs" policy load "$tmp/crhot.pol"
expect "policy load of a bad policy exits 1" 1
has "policy load of a bad policy: the check's error" "$tmp/err" \
	"^$tmp/crhot.pol:2: unsafe: "
same "policy load of a bad policy: nothing staged" "0 0" \
	"$(stat -c %s "$fs/policy/staging") $(stat -c %s "$fs/policy/commit")"
rm "$fs/policy/commit"
mkdir "$fs/policy/commit"
run --sysfs "$fs" policy load "$tmp/good.pol"
expect "policy load: a failing commit exits 1" 1
has "policy load: a failing commit points at the kernel log" "$tmp/err" \
	'^rampartctl: policy load: .*kernel log'
rmdir "$fs/policy/commit"
: >"$fs/policy/commit"

# --- show and seal ---------------------------------------------------------
run --sysfs "$fs" show
expect "show prints policy/active" 0 "$fs/policy/active"
run --sysfs "$fs" seal
expect "seal exits 0" 0
same "seal writes 1" "1" "$(cat "$fs/policy/sealed")"
has "seal warns that it is one-way" "$tmp/err" \
	'^rampartctl: warning: sealing is one-way until reboot'
run --sysfs "$fs" seal
expect "seal again exits 0" 0
same "seal again: already sealed" "already sealed" "$(cat "$tmp/out")"
run --sysfs "$fs" status
has "status shows sealed" "$tmp/out" '^policy +generation 3, 5 rules, sealed$'

# --- events ----------------------------------------------------------------
log=$fs/events/log
# seq cpu kind asset action deny old attempted bits rip line tsc
ev "$log" \
	1,0,1,4,3,1,0x3506f0,0x2506f0,0x100000,0xffffffff8106c2a5,2,1000 \
	2,3,2,0xc0000082,2,0,0xffffffff81a00080,0x4141414141414141,0xffffffffffffffff,0xffffffff81001234,4,2000 \
	3,1,1,0,3,2,0x80050033,0x80040033,0x10000,0xffffffff81002000,3,3000 \
	6,2,2,0x123,3,1,0,1,1,0xffffffff81003000,7,6000 \
	7,0,2,0xc0000080,3,2,0xd01,0x501,0x800,0xffffffff81004000,5,7000
cat >"$tmp/ev.want" <<'EOF'
seq 1 cpu 0 cr4 deny gp 0x3506f0 -> 0x2506f0 bits 0x100000 (smep) rip 0xffffffff8106c2a5 line 2 tsc 1000
seq 2 cpu 3 msr.lstar log 0xffffffff81a00080 -> 0x4141414141414141 bits 0xffffffffffffffff rip 0xffffffff81001234 line 4 tsc 2000
seq 3 cpu 1 cr0 deny ignore 0x80050033 -> 0x80040033 bits 0x10000 (wp) rip 0xffffffff81002000 line 3 tsc 3000
2 events dropped
seq 6 cpu 2 msr.0x123 deny gp 0x0 -> 0x1 bits 0x1 rip 0xffffffff81003000 line 7 tsc 6000
seq 7 cpu 0 msr.efer deny ignore 0xd01 -> 0x501 bits 0x800 rip 0xffffffff81004000 line 5 tsc 7000
EOF
run --sysfs "$fs" events
expect "events decodes every record and the gap" 0 "$tmp/ev.want"
# --first: root's records after the seal, in order, and its count.
ev "$fs/events/first" \
	40,0,1,0,3,1,0x80050033,0x80040033,0x10000,0xffffffff81002000,3,3000 \
	97,1,2,0xc0000082,3,1,0x1,0x2,0x3,0xffffffff81001234,4,4000
echo 300 >"$fs/events/sealed"
cat >"$tmp/first.want" <<'EOF'
seq 40 cpu 0 cr0 deny gp 0x80050033 -> 0x80040033 bits 0x10000 (wp) rip 0xffffffff81002000 line 3 tsc 3000
seq 97 cpu 1 msr.lstar deny gp 0x1 -> 0x2 bits 0x3 rip 0xffffffff81001234 line 4 tsc 4000
300 events since the seal
EOF
run --sysfs "$fs" events --first
expect "events --first: root's first records after the seal, and the count" 0 "$tmp/first.want"
# -n: a log where each record is where the kernel keeps it, at
# (seq - 1) * 64, so reads that start at events/total - N land right.
: >"$log"
for i in 1 2 3 4 5 6 7; do
	ev "$log" $i,$i,2,0xc0000082,2,0,0,$i,0xffffffffffffffff,0xffffffff81001000,4,${i}000
done
for i in 5 6 7; do
	printf 'seq %s cpu %s msr.lstar log 0x0 -> 0x%s bits 0xffffffffffffffff rip 0xffffffff81001000 line 4 tsc %s000\n' \
		$i $i $i $i
done >"$tmp/ev3.want"
echo 7 >"$fs/events/total"
run --sysfs "$fs" events -n 2
tail -2 "$tmp/ev3.want" >"$tmp/ev2.want"
expect "events -n 2: the last two" 0 "$tmp/ev2.want"
echo 3 >"$fs/events/total"	# stale: more records than total says
run --sysfs "$fs" events -n3
expect "events -n3 with a stale total: still the last three" 0 "$tmp/ev3.want"
run --sysfs "$fs" events -n 0
expect "events -n 0 prints nothing" 0 /dev/null
# A record still being written (seq not yet set) ends the log.
: >"$log"
ev "$log" \
	1,0,1,4,3,1,0x3506f0,0x2506f0,0x100000,0xffffffff8106c2a5,2,1000 \
	2,3,2,0xc0000082,2,0,0xffffffff81a00080,0x4141414141414141,0xffffffffffffffff,0xffffffff81001234,4,2000 \
	3,1,1,0,3,2,0x80050033,0x80040033,0x10000,0xffffffff81002000,3,3000 \
	6,2,2,0x123,3,1,0,1,1,0xffffffff81003000,7,6000 \
	7,0,2,0xc0000080,3,2,0xd01,0x501,0x800,0xffffffff81004000,5,7000
ev "$log" 0,0,1,4,3,1,0,0,0,0,0,0
run --sysfs "$fs" events
expect "events stops at a record still being written" 0 "$tmp/ev.want"
# The kernel lost the oldest records: the first one it returns is seq 5.
: >"$log"
ev "$log" 5,1,1,4,2,0,0x3506f0,0x3406f0,0x100000,0xffffffff81005000,9,5000
run --sysfs "$fs" events
has "events: a gap before the oldest record kept" "$tmp/out" \
	'^4 events dropped$'
same "events: gap line comes first" "4 events dropped" \
	"$(head -1 "$tmp/out")"
has "events: log action" "$tmp/out" \
	'^seq 5 cpu 1 cr4 log 0x3506f0 -> 0x3406f0 bits 0x100000 \(smep\) '
# A write-watch hit: the first 8 bytes before and after, the length in
# asset, the physical address in bits.
: >"$log"
ev "$log" 1,2,6,8,2,0,0x100000041,0x100000042,0x2a0b000,0xffffffff81001000,3,1000
printf 'seq 1 cpu 2 watch log 0x100000041 -> 0x100000042 len 8 pa 0x2a0b000 rip 0xffffffff81001000 line 3 tsc 1000\n' \
	>"$tmp/evwatch.want"
run --sysfs "$fs" events
expect "events: a write-watch hit" 0 "$tmp/evwatch.want"
# --- --json ----------------------------------------------------------------
# json DESC PYTHON-CODE: $tmp/out parses (each line, as JSON Lines) and the
# code, given "objs" (the parsed lines) and "text" (the text output in
# $tmp/text, if any), raises nothing.
json() {
	if python3 - "$tmp/out" "$tmp/text" "$2" >"$tmp/pyerr" 2>&1 <<'EOF2'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
try:
    text = open(sys.argv[2]).read().splitlines()
except OSError:
    text = []
exec(sys.argv[3])
EOF2
	then
		ok "$1"
	else
		notok "$1"
		diag "$tmp/pyerr"
		diag "$tmp/out"
	fi
}
rm -f "$tmp/text"
run --sysfs "$fs" --json status
expect "status --json exits 0" 0
json "status --json: one object with every field" '
assert len(objs) == 1
o = objs[0]
assert o["state"] == "launched" and o["version"] == "0.7-test"
assert [c["cpu"] for c in o["cpus"]] == [0, 1, 10]
assert o["cpus"][1] == {"cpu": 1, "state": "native", "policy_generation": 2}
assert o["policy"] == {"generation": 3, "rules": 5, "sealed": True}
assert o["events"]["denied"] == 4 and o["events"]["dropped"] == 1
assert o["events"]["since_seal"] == 300
'
same "status --json: one line" 1 "$(wc -l <"$tmp/out")"
has "status --json: the generation warning still on stderr" "$tmp/err" \
	'^rampartctl: warning: cpu1 \(native\) has policy generation 2, not 3$'
run --sysfs "$fs" status --json
json "status --json after the command: the same" '
assert objs[0]["policy"]["sealed"] is True'
# Strings are escaped: quotes, backslashes, control and non-ASCII bytes.
printf '0.7 "q" \\ \t\001 \303\251\n' >"$fs/version"
run --sysfs "$fs" --json status
json "status --json: a version with quotes, backslash, control bytes" '
v = objs[0]["version"]
assert v == "0.7 \"q\" \\ \t\x01 \xc3\xa9", repr(v)'
echo 0.7-test >"$fs/version"
rm "$fs/policy/rules" "$fs/policy/generation"
mv "$fs/events" "$fs/events.away"
run --sysfs "$fs" --json status
json "status --json: what is not there is null" '
o = objs[0]
assert o["policy"] is None and o["events"] is None'
mv "$fs/events.away" "$fs/events"
echo 3 >"$fs/policy/generation"
echo 5 >"$fs/policy/rules"
run --sysfs "$tmp/nowhere" --json status
expect "status --json without the module exits 1" 1
printf '# rampart policy: 2 rules compiled\ncr0.wp lock deny gp\nrange.idt ro deny\n# idt is phys.0x1000+0x1000\n' \
	>"$fs/policy/active"
run --sysfs "$fs" --json show
expect "show --json exits 0" 0
json "show --json: rules, their lines and the text" '
o, = objs
assert o["generation"] == 3 and o["rules"] == 5 and o["sealed"] is True
assert o["lines"] == ["cr0.wp lock deny gp", "range.idt ro deny"], o["lines"]
assert o["text"] == open(sys.argv[1].rsplit("/", 1)[0] + "/sys/policy/active").read()'
: >"$log"
ev "$log" 1,2,6,8,2,0,0x100000041,0x100000042,0x2a0b000,0xffffffff81001000,3,1000
run --sysfs "$fs" --json events
cp "$tmp/evwatch.want" "$tmp/text"
json "events --json: a write-watch hit has pa and len" '
o, = objs
assert o["kind"] == "watch" and o["asset"] == "watch" and o["action"] == "log"
assert o["pa"] == "0x2a0b000" and o["len"] == 8 and o["old"] == "0x100000041"
assert o["text"] == text[0]'
rm -f "$tmp/text"
# events: every record and gap, in the order of the text output, and the
# text field is the text line.
: >"$log"
ev "$log" \
	1,0,1,4,3,1,0x3506f0,0x2506f0,0x300000,0xffffffff8106c2a5,2,1000 \
	2,3,2,0xc0000082,2,0,0xffffffff81a00080,0x4141414141414141,0xffffffffffffffff,0xffffffff81001234,4,2000 \
	4,1,3,0,3,0,0x1234000,0xffff888001234000,0x2,0xffffffff81002000,3,3000 \
	5,1,4,2,3,0,0x40000008,0xffffffff82000008,0x302,0xffffffff81002000,3,4000 \
	6,2,16,1,2,0,0x5,0x6,0,0xffffffff81003000,0,5000
run --sysfs "$fs" events
cp "$tmp/out" "$tmp/text"
run --sysfs "$fs" --json events
expect "events --json exits 0" 0
json "events --json: JSON Lines, one per text line, the same text" '
assert len(objs) == len(text) == 6, (len(objs), len(text))
for o, t in zip(objs, text):
    if o["type"] == "dropped":
        assert t == "%d events dropped" % o["count"], t
    else:
        assert o["type"] == "event" and o["text"] == t, (o, t)
cr, msr, gap, phys, rng, cpu = objs
assert cr["kind"] == "cr" and cr["asset"] == "cr4" and cr["asset_id"] == 4
assert cr["bit_names"] == ["smep", "smap"] and cr["action"] == "deny"
assert cr["deny"] == "gp" and cr["tsc"] == 1000 and cr["line"] == 2
assert cr["old"] == "0x3506f0" and cr["rip"] == "0xffffffff8106c2a5"
assert msr["asset"] == "msr.lstar" and msr["action"] == "log"
assert msr["deny"] is None and msr["bits"] == "0xffffffffffffffff"
assert gap == {"type": "dropped", "count": 1}
assert phys["kind"] == "phys" and phys["gpa"] == "0x1234000"
assert phys["access"] == ["write"] and phys["poke_refused"] == []
assert rng["kind"] == "range" and rng["asset"].startswith("range.")
assert rng["access"] == ["write"]
assert rng["poke_refused"] == ["context", "cr3"], rng
assert cpu["kind"] == "cpu" and cpu["asset"].startswith("cpu.")
'
run --sysfs "$fs" events --json -n 1
json "events --json -n 1: the last record" '
assert len(objs) == 1 and objs[0]["seq"] == 6'
run --sysfs "$fs" events --first --json
cp "$tmp/first.want" "$tmp/text"
json "events --first --json: records, then the count since the seal" '
assert [o["type"] for o in objs] == ["event", "event", "since_seal"]
assert objs[2]["count"] == 300
assert [o["text"] for o in objs[:2]] == text[:2]'
run --sysfs "$fs" events --first -f
expect "events --first -f exits 2" 2
run --sysfs "$fs" status extra
expect "status with an argument exits 2" 2
run --sysfs "$fs" --json seal
expect "seal --json exits 0 (--json before the command is global)" 0
run --sysfs "$fs" seal --json
expect "seal with --json after it exits 2" 2
run policy check "$tmp/good.pol" --code
expect "policy check FILE --code (options after the file)" 0 "$tmp/ok.want"

# --- events -f: follows the tracepoint through a tracefs instance ---------
# A fake tracefs: rampartctl makes instances/rampartctl.PID, which in a
# real tracefs comes with its files. Here the test makes it beforehand
# for the PID the command will have (sh execs it), with trace_pipe a FIFO
# the test writes trace lines to; rampartctl takes over an instance of
# its own name (a stale one, on a real system).
# tline SEQ CPU KIND ASSET OLD ATTEMPTED BITS ACTION RIP LINE: a trace_pipe
# line in the TP_printk format of core/trace.h.
tline() {
	printf '      rp_attack-123     [001] d..1.   42.000001: rampart_violation: seq=%s cpu=%s %s asset=%s old=%s attempted=%s bits=%s action=%s rip=%s line=%s\n' "$@"
}
tfs=$tmp/tracing
mkdir -p "$tfs/instances"
: >"$log"
ev "$log" 1,0,1,4,3,1,0x3506f0,0x2506f0,0x100000,0xffffffff8106c2a5,2,1000
rm -f "$tmp/follow.pid"
# follow_start ARGS...: rampartctl ARGS with the fake tracefs, in the
# background, its output in $tmp/follow; sets $pid and $inst.
follow_start() {
	local p
	RAMPARTCTL_TRACEFS=$tfs timeout 20 sh -c '
		i=$1/instances/rampartctl.$$
		for e in rampart_violation rampart_watch; do
			mkdir -p "$i/events/rampart/$e"
			echo 0 >"$i/events/rampart/$e/enable"
		done
		mkfifo "$i/trace_pipe"
		echo $$ >"$2"
		shift 2
		exec "$@"' sh "$tfs" "$tmp/follow.pid" "$ctl" "$@" \
		>"$tmp/follow" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 50); do
		[ -s "$tmp/follow.pid" ] && break
		sleep 0.1
	done
	p=$(cat "$tmp/follow.pid")
	inst=$tfs/instances/rampartctl.$p
	exec 3<>"$inst/trace_pipe"
	rm -f "$tmp/follow.pid"
}
# enabled [EVENT]: wait until rampartctl has enabled EVENT (default
# rampart_violation): it is set up.
enabled() {
	for _ in $(seq 50); do
		[ "$(cat "$inst/events/rampart/${1:-rampart_violation}/enable")" = 1 ] &&
			return 0
		sleep 0.1
	done
	return 1
}
follow_start --sysfs "$fs" events --follow
if enabled; then
	ok "events -f: enables rampart_violation in its own instance"
else
	notok "events -f: enables rampart_violation in its own instance"
	diag "$tmp/err"
fi
# Record 2 is in the log: printed from there, with its TSC. Record 1 again
# (as a stale instance would have it) is not printed twice. Record 5 is not
# in the log: printed from the trace line after the gap, RIP symbolized.
ev "$log" 2,1,1,4,3,1,0x3506f0,0x2506f0,0x200000,0xffffffff8106c2a5,2,1100
{
	tline 1 0 cr 0x4 0x3506f0 0x2506f0 0x100000 deny-gp 0xffffffff8106c2a5 2
	tline 2 1 cr 0x4 0x3506f0 0x2506f0 0x200000 deny-gp 'attack_cr+0x1c/0x40 [rp_attack]' 2
	echo 'CPU:1 [LOST 3 EVENTS]'
	tline 5 3 msr 0xc0000082 0xffffffff81a00080 0x4141 0xffffffffffffffff deny-ignore 'attack_msr+0x8/0x20 [rp_attack]' 4
	tline 6 0 cpu 0x0 0x1 0x2 0x0 log 0xffffffff81001000 0
} >&3
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
exec 3>&-
expect "events -f ends with 0 on SIGINT" 0
cat >"$tmp/follow.want" <<'EOF2'
seq 1 cpu 0 cr4 deny gp 0x3506f0 -> 0x2506f0 bits 0x100000 (smep) rip 0xffffffff8106c2a5 line 2 tsc 1000
seq 2 cpu 1 cr4 deny gp 0x3506f0 -> 0x2506f0 bits 0x200000 (smap) rip 0xffffffff8106c2a5 line 2 tsc 1100
2 events dropped
seq 5 cpu 3 msr.lstar deny ignore 0xffffffff81a00080 -> 0x4141 bits 0xffffffffffffffff rip attack_msr+0x8/0x20 [rp_attack] line 4 tsc ?
EOF2
if [ "$(head -4 "$tmp/follow")" == "$(cat "$tmp/follow.want")" ]; then
	ok "events -f: the log's records, then the trace's, once each, gaps counted"
else
	notok "events -f: the log's records, then the trace's, once each, gaps counted"
	diff "$tmp/follow.want" "$tmp/follow" | sed 's/^/#   /'
fi
has "events -f: a CPU event from the trace line" "$tmp/follow" \
	'^seq 6 cpu 0 cpu\.[a-z_?]+ log 0x1 0x2 rip 0xffffffff81001000 tsc \?$'
same "events -f: disables the event on exit" 0 \
	"$(cat "$inst/events/rampart/rampart_violation/enable")"
same "events -f: nothing on stderr" "" "$(cat "$tmp/err")"
# --json -f: JSON Lines, and SIGTERM ends it too.
: >"$log"
ev "$log" 1,0,1,4,3,1,0x3506f0,0x2506f0,0x100000,0xffffffff8106c2a5,2,1000
follow_start --sysfs "$fs" --json events -f
enabled
tline 3 2 msr 0x123 0x0 0x1 0x1 deny-gp 'x"y\z+0x1/0x2' 7 >&3
sleep 1
kill -TERM "$pid"
wait "$pid"
rc=$?
exec 3>&-
expect "events --json -f ends with 0 on SIGTERM" 0
if python3 - "$tmp/follow" <<'EOF2'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert [o["type"] for o in objs] == ["event", "dropped", "event"], objs
a, gap, b = objs
assert a["seq"] == 1 and a["tsc"] == 1000 and a["rip"] == "0xffffffff8106c2a5"
assert a["asset"] == "cr4" and a["bit_names"] == ["smep"] and a["deny"] == "gp"
assert gap["count"] == 1
assert b["seq"] == 3 and b["tsc"] is None and b["rip"] is None
assert b["rip_symbol"] == 'x"y\\z+0x1/0x2', b["rip_symbol"]
assert b["asset"] == "msr.0x123" and b["action"] == "deny" and b["line"] == 7
assert b["text"].endswith(' rip x"y\\z+0x1/0x2 line 7 tsc ?'), b["text"]
EOF2
then
	ok "events --json -f: JSON Lines that parse, trace records with tsc null"
else
	notok "events --json -f: JSON Lines that parse, trace records with tsc null"
	diag "$tmp/follow"
fi
# No tracefs: a clear error, exit 1, not a poll loop.
mkdir -p "$tmp/notrace"
RAMPARTCTL_TRACEFS=$tmp/notrace timeout 10 "$ctl" --sysfs "$fs" events -f \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
expect "events -f without tracefs exits 1" 1
has "events -f without tracefs: says so" "$tmp/err" \
	'^rampartctl: events -f: tracefs is not mounted .*mount -t tracefs'
# An instance without the event (the module is not loaded): an error, and
# the instance it made is removed.
RAMPARTCTL_TRACEFS=$tfs timeout 10 "$ctl" --sysfs "$fs" events -f \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
expect "events -f without the event exits 1" 1
has "events -f without the event: names the file" "$tmp/err" \
	'rampart_violation/enable: No such file or directory \(is rampart.ko loaded\?\)$'
same "events -f without the event: its instance is removed" \
	"" "$(find "$tfs/instances" -mindepth 1 -maxdepth 1 -newer "$tmp/notrace")"
run --sysfs "$tmp/nowhere" events
expect "events without a log exits 1" 1

# --- watch -------------------------------------------------------------------
# A fake tree with write-watch: policy/active as the kernel renders it (one
# watch.phys rule per piece), watch/list and the counters.
wfs=$tmp/wsys
mkfs "$wfs"
mkdir -p "$wfs/watch"
cat >"$wfs/policy/active" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.phys.0x2a0b000:0x8 ro log
watch.phys.0x3000ff8:0x8 ro log
watch.phys.0x3001000:0x10 ro log
EOF2
cat >"$wfs/watch/list" <<'EOF2'
jiffies_64 line=3 va=0xffffffff82a0b000 len=8 phys=0x2a0b000:0x8
rp_watch_target+0x8:24 line=4 va=0xffffc90000000ff8 len=24 phys=0x3000ff8:0x8,0x3001000:0x10
EOF2
echo 12 >"$wfs/watch/hits"
echo 340 >"$wfs/watch/neighbours"
echo 0 >"$wfs/watch/dropped"
cp "$wfs/policy/active" "$tmp/active.orig"
cp "$wfs/watch/list" "$tmp/list.orig"
# staged DESC WANT-FILE: the last command staged exactly WANT-FILE and
# committed its length.
staged() {
	if cmp -s "$2" "$wfs/policy/staging" &&
	   [ "$(cat "$wfs/policy/commit")" = "$(stat -c %s "$2")" ]; then
		ok "$1"
	else
		notok "$1"
		diff "$2" "$wfs/policy/staging" | sed 's/^/#   /'
		sed 's/^/#   commit: /' "$wfs/policy/commit"
	fi
}
# unstaged DESC: the last command wrote neither staging nor commit.
unstaged() {
	same "$1" "0 0" \
		"$(stat -c %s "$wfs/policy/staging") $(stat -c %s "$wfs/policy/commit")"
}
# wreset: staging and commit empty, active and list as at the start.
wreset() {
	: >"$wfs/policy/staging"
	: >"$wfs/policy/commit"
	cp "$tmp/active.orig" "$wfs/policy/active"
	cp "$tmp/list.orig" "$wfs/watch/list"
}
wreset

run --sysfs "$wfs" watch list
{ cat "$tmp/list.orig"; echo 'hits 12, neighbours 340, dropped 0'; } \
	>"$tmp/wlist.want"
expect "watch list: watch/list, then the counters" 0 "$tmp/wlist.want"
run --sysfs "$wfs" watch list --json
json "watch list --json: each watch taken apart, the counters" '
o, = objs
assert o["hits"] == 12 and o["neighbours"] == 340 and o["dropped"] == 0
a, b = o["watches"]
assert a == {"target": "jiffies_64", "line": 3, "va": "0xffffffff82a0b000",
             "len": 8, "pieces": [{"pa": "0x2a0b000", "len": 8}],
             "text": "jiffies_64 line=3 va=0xffffffff82a0b000 len=8 phys=0x2a0b000:0x8"}, a
assert b["target"] == "rp_watch_target+0x8:24" and b["line"] == 4
assert b["pieces"] == [{"pa": "0x3000ff8", "len": 8}, {"pa": "0x3001000", "len": 16}]'
rm "$wfs/watch/neighbours"
printf 'garbage\n' >"$wfs/watch/list"
run --sysfs "$wfs" watch list
printf 'garbage\nhits 12, neighbours ?, dropped 0\n' >"$tmp/wlist2.want"
expect "watch list: a line it cannot read as it is, a missing counter as ?" \
	0 "$tmp/wlist2.want"
run --sysfs "$wfs" --json watch list
json "watch list --json: what cannot be read is null" '
o, = objs
assert o["neighbours"] is None
assert o["watches"] == [{"target": "garbage", "line": None, "va": None,
                         "len": None, "pieces": None, "text": "garbage"}]'
echo 340 >"$wfs/watch/neighbours"
wreset
run --sysfs "$fs" watch list
expect "watch list without watch/ exits 1" 1
same "watch list without watch/: says so" \
	"rampartctl: watch list: $fs/watch/list: No such file or directory (is rampart.ko loaded, with write-watch?)" \
	"$(cat "$tmp/err")"

# add and del load a text of their own making: the rules of policy/active
# but its watch.phys ones, then a rule per watch of watch/list, named as
# the list names it, then the new one (add) or without the one removed
# (del). wbase: that text for the fake tree, nothing added or removed.
cat >"$tmp/wbase" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.jiffies_64 ro log
watch.rp_watch_target+0x8:24 ro log
EOF2
# add: the policy in force, its watches by name, and the rule, staged and
# committed.
run --sysfs "$wfs" watch add jiffies
printf 'added: watch.jiffies ro log\npolicy loaded: generation 3, 5 rules\n' \
	>"$tmp/wadd.want"
expect "watch add SYMBOL: the rule added, the policy loaded" 0 "$tmp/wadd.want"
cat >"$tmp/wadd.staged" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.jiffies_64 ro log
watch.rp_watch_target+0x8:24 ro log
watch.jiffies ro log
EOF2
staged "watch add SYMBOL: the other watches by name, then the rule" \
	"$tmp/wadd.staged"
same "watch add SYMBOL: nothing on stderr" "" "$(cat "$tmp/err")"
wreset
# wadded DESC TARGET RULE: watch add TARGET staged wbase and RULE.
wadded() {
	run --sysfs "$wfs" watch add "$2"
	{ cat "$tmp/wbase"; printf '%s\n' "$3"; } >"$tmp/wadd.staged"
	staged "$1" "$tmp/wadd.staged"
	wreset
}
wadded "watch add ADDR: a virt watch of 8 bytes" 0xffffc90000123000 \
	'watch.virt.0xffffc90000123000:8 ro log'
wadded "watch add SYMBOL+OFF:LEN: as spelled" rp_watch_target+0x10:4 \
	'watch.rp_watch_target+0x10:4 ro log'
wadded "watch add virt.ADDR:LEN: as spelled" virt.0xffffc90000123000:0x18 \
	'watch.virt.0xffffc90000123000:0x18 ro log'
wadded "watch add: a symbol with '.' and '\$', as kallsyms has them" \
	'foo$bar.cold:2' 'watch.foo$bar.cold:2 ro log'
long=$(printf 'x%.0s' {1..127})
wadded "watch add: a symbol of 127 characters, the most" "$long" \
	"watch.$long ro log"
printf 'cr0.wp lock deny gp' >"$wfs/policy/active"
: >"$wfs/watch/list"
run --sysfs "$wfs" watch add phys.0x1000:4
printf 'cr0.wp lock deny gp\nwatch.phys.0x1000:4 ro log\n' >"$tmp/wadd.staged"
staged "watch add: a newline after a last line without one" "$tmp/wadd.staged"
wreset
# Every watch keeps the name watch/list gives it, in the list's order: a
# virt watch, and a "phys.START+SIZE ro log" rule not page aligned (a
# watch the kernel lists as phys.START:SIZE). Comments stay.
cat >"$wfs/policy/active" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.phys.0x1004:0x4 ro log
watch.phys.0x2a0b000:0x8 ro log  # a comment
watch.phys.0x5000000:0x10 ro log
EOF2
cat >"$wfs/watch/list" <<'EOF2'
virt.0xffffc90000123000:16 line=2 va=0xffffc90000123000 len=16 phys=0x5000000:0x10
phys.0x1004:4 line=3 va=0 len=4 phys=0x1004:0x4
jiffies_64 line=4 va=0xffffffff82a0b000 len=8 phys=0x2a0b000:0x8
EOF2
run --sysfs "$wfs" watch add rp_watch_target
cat >"$tmp/wadd.staged" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.virt.0xffffc90000123000:16 ro log
watch.phys.0x1004:4 ro log
watch.jiffies_64 ro log
watch.rp_watch_target ro log
EOF2
staged "watch add: virt and phys watches by the list's names, in its order" \
	"$tmp/wadd.staged"
wreset
run --sysfs "$wfs" --json watch add jiffies
json "watch add --json: one object" '
o, = objs
assert o == {"target": "jiffies", "added": ["watch.jiffies ro log"],
             "loaded": True, "generation": 3, "rules": 5}, o'
wreset
run --sysfs "$wfs" watch add rp_watch_target+8:0x18
printf 'already watched: %s\n' "$(sed -n 2p "$tmp/list.orig")" \
	>"$tmp/walready.want"
expect "watch add of a watch in force (spelled otherwise): already watched" \
	0 "$tmp/walready.want"
unstaged "watch add of a watch in force: nothing loaded"
run --sysfs "$wfs" watch add 'jiffies ro log
cr0.wp lock allow'
expect "watch add of a target with a newline exits 2" 2
same "watch add of a bad target: says what a target is" \
	"rampartctl: watch add: bad target 'jiffies ro log
cr0.wp lock allow' (symbol[+off][:len], 0xADDR[:len], virt.ADDR[:len] or phys.ADDR:len)" \
	"$(head -2 "$tmp/err")"
unstaged "watch add of a bad target: nothing loaded"
for bad in '' jiffies+ jiffies:0x 'a b' 'x;y' phys.0x1000 0x1g virt. \
	    jiffies:99999999999999999999 -jiffies "x$long"; do
	run --sysfs "$wfs" watch add "$bad"
	[ "$rc" = 2 ] || break
done
same "watch add: every malformed target is a usage error" "2 ''" \
	"$rc '$([ "$rc" = 2 ] || printf '%s' "$bad")'"
run --sysfs "$wfs" watch add jiffies:0
expect "watch add of a watch that fails the check exits 1" 1
printf '%s\n' "rampartctl: watch add: watch.jiffies:0 ro log: $(sed -n 's/^RP_ERROR(WATCH_RANGE,[^"]*"\(.*\)")$/\1/p' "$top/policy/error_table.h")" \
	"rampartctl: watch add: nothing loaded" >"$tmp/wcheck.want"
if cmp -s "$tmp/wcheck.want" "$tmp/err"; then
	ok "watch add of a watch that fails the check: the rule, the error"
else
	notok "watch add of a watch that fails the check: the rule, the error"
	diff "$tmp/wcheck.want" "$tmp/err" | sed 's/^/#   /'
fi
unstaged "watch add of a watch that fails the check: nothing loaded"
# A watch of the list the check refuses: the line and its rule.
printf 'watch.phys.0x6000000:0x8 ro log\n' >>"$wfs/policy/active"
printf 'virt.0x1000:8 line=6 va=0x1000 len=8 phys=0x6000000:0x8\n' \
	>>"$wfs/watch/list"
run --sysfs "$wfs" watch add jiffies
same "watch add, a watch in force fails the check: its line and rule" \
	"1 rampartctl: watch add: the policy in force fails the check with it, line 5, watch.virt.0x1000:8 ro log: watched address not mapped, or not memory root can watch
rampartctl: watch add: nothing loaded" "$rc $(cat "$tmp/err")"
unstaged "watch add, a watch in force fails the check: nothing loaded"
wreset
run --sysfs "$fs" watch add jiffies
expect "watch add without watch/ exits 1" 1
has "watch add without watch/: names watch/list" "$tmp/err" \
	"^rampartctl: watch add: $fs/watch/list: No such file or directory"
# watch/list unreadable, or not telling of the watches policy/active has:
# loading would drop watches, so nothing is loaded.
rm "$wfs/watch/list"
mkdir "$wfs/watch/list"
run --sysfs "$wfs" watch add jiffies
same "watch add, watch/list unreadable: an error" \
	"1 rampartctl: watch add: $wfs/watch/list: Is a directory (is rampart.ko loaded, with write-watch?)" \
	"$rc $(cat "$tmp/err")"
unstaged "watch add, watch/list unreadable: nothing loaded"
rmdir "$wfs/watch/list"
: >"$wfs/watch/list"
run --sysfs "$wfs" watch add jiffies
same "watch add, watch/list empty, watches in policy/active: an error" \
	"1 rampartctl: watch add: $wfs/policy/active has watch.phys.0x2a0b000:0x8 ro log, but no watch of watch/list has it (did another load change the policy?); nothing loaded" \
	"$rc $(cat "$tmp/err")"
unstaged "watch add, watch/list empty: nothing loaded"
wreset
printf 'cr0.wp lock deny gp\n' >"$wfs/policy/active"
run --sysfs "$wfs" watch add jiffies
same "watch add, a watch of watch/list without its rules: an error" \
	"1 rampartctl: watch add: $wfs/watch/list has jiffies_64, but policy/active has no rule for it (did another load change the policy?); nothing loaded" \
	"$rc $(cat "$tmp/err")"
unstaged "watch add, a watch of watch/list without its rules: nothing loaded"
wreset
printf 'jiffies_64 line=3\n' >"$wfs/watch/list"
run --sysfs "$wfs" watch add jiffies
same "watch add, a line of watch/list it cannot read: an error" \
	"1 rampartctl: watch add: cannot read this line of $wfs/watch/list: jiffies_64 line=3; nothing loaded" \
	"$rc $(cat "$tmp/err")"
unstaged "watch add, a line of watch/list it cannot read: nothing loaded"
wreset
rm "$wfs/policy/commit"
mkdir "$wfs/policy/commit"
run --sysfs "$wfs" watch add jiffies
expect "watch add: a refused commit exits 1" 1
same "watch add: a refused commit, in policy load's words" \
	"rampartctl: watch add: Is a directory: the policy was rejected; the kernel log (dmesg) has the line and reason" \
	"$(cat "$tmp/err")"
rmdir "$wfs/policy/commit"
wreset

# del: the watch's own rule removed, every other watch by name.
run --sysfs "$wfs" watch del jiffies_64
printf 'removed: watch.jiffies_64 ro log\npolicy loaded: generation 3, 5 rules\n' \
	>"$tmp/wdel.want"
expect "watch del SYMBOL: its rule removed, the policy loaded" 0 \
	"$tmp/wdel.want"
cat >"$tmp/wdel.staged" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.rp_watch_target+0x8:24 ro log
EOF2
staged "watch del SYMBOL: the other watch by name, its pieces' rules gone" \
	"$tmp/wdel.staged"
same "watch del SYMBOL: nothing on stderr" "" "$(cat "$tmp/err")"
wreset
run --sysfs "$wfs" --json watch del rp_watch_target+8:0x18
json "watch del --json, spelled otherwise: the rule of the list's name" '
o, = objs
assert o == {"target": "rp_watch_target+8:0x18",
             "removed": ["watch.rp_watch_target+0x8:24 ro log"],
             "loaded": True, "generation": 3, "rules": 5}, o'
cat >"$tmp/wdel.staged" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.jiffies_64 ro log
EOF2
staged "watch del of a watch of two pieces: both rules gone, the other named" \
	"$tmp/wdel.staged"
wreset
run --sysfs "$wfs" watch del jiffies_64:8
expect "watch del of a watch not in force exits 1" 1
same "watch del of a watch not in force: names those of the symbol" \
	"rampartctl: watch del: jiffies_64:8 is not watched (watch/list has jiffies_64); nothing loaded" \
	"$(cat "$tmp/err")"
unstaged "watch del of a watch not in force: nothing loaded"
run --sysfs "$wfs" watch del nosuch
same "watch del of an unknown symbol" \
	"1 rampartctl: watch del: nosuch is not watched; nothing loaded" \
	"$rc $(cat "$tmp/err")"
# An address: matches virt.ADDR:8, the watch add ADDR wrote.
printf 'watch.phys.0x5000000:0x8 ro log\n' >>"$wfs/policy/active"
printf 'virt.0xffffc90000123000:8 line=6 va=0xffffc90000123000 len=8 phys=0x5000000:0x8\n' \
	>>"$wfs/watch/list"
run --sysfs "$wfs" watch del 0xffffc90000123000
expect "watch del ADDR: matches virt.ADDR:8" 0
staged "watch del ADDR: the others by name" "$tmp/wbase"
# A piece another watch has too stays watched, with a warning, whether
# policy/active has its rule once (merged) or once per watch.
wreset
printf 'phys.0x2a0b000:8 line=5 va=0 len=8 phys=0x2a0b000:0x8\n' \
	>>"$wfs/watch/list"
cat >"$tmp/wdel.staged" <<'EOF2'
# rampart policy: 4 rules compiled
cr0.wp lock deny gp
watch.rp_watch_target+0x8:24 ro log
watch.phys.0x2a0b000:8 ro log
EOF2
for copies in 1 2; do
	[ "$copies" = 1 ] ||
		printf 'watch.phys.0x2a0b000:0x8 ro log\n' >>"$wfs/policy/active"
	run --sysfs "$wfs" watch del jiffies_64
	expect "watch del of a shared piece ($copies rule): loads" 0 \
		"$tmp/wdel.want"
	same "watch del of a shared piece ($copies rule): says it stays watched, and why" \
		"rampartctl: watch del: warning: phys.0x2a0b000:0x8 stays watched: phys.0x2a0b000:8 watches it too" \
		"$(cat "$tmp/err")"
	staged "watch del of a shared piece ($copies rule): the other watch keeps it" \
		"$tmp/wdel.staged"
done
# The same watch twice in watch/list (twice in the policy): both go.
wreset
sed -n 1p "$tmp/list.orig" >>"$wfs/watch/list"
run --sysfs "$wfs" --json watch del jiffies_64
json "watch del of a watch listed twice: both rules removed" '
o, = objs
assert o["removed"] == ["watch.jiffies_64 ro log"] * 2, o'
head -2 "$tmp/wbase" >"$tmp/wdel.staged"
echo 'watch.rp_watch_target+0x8:24 ro log' >>"$tmp/wdel.staged"
staged "watch del of a watch listed twice: neither is loaded" \
	"$tmp/wdel.staged"
# A kernel that renders a watch as written: that rule stands for it.
wreset
printf '# rampart policy: 2 rules compiled\ncr0.wp lock deny gp\nwatch.jiffies_64 ro log # as written\n' \
	>"$wfs/policy/active"
sed -n 1p "$tmp/list.orig" >"$wfs/watch/list"
run --sysfs "$wfs" watch del jiffies_64
printf '# rampart policy: 2 rules compiled\ncr0.wp lock deny gp\n' \
	>"$tmp/wdel.staged"
staged "watch del: a rule as written goes too" "$tmp/wdel.staged"
# In watch/list, no rule in policy/active: an error, nothing loaded.
wreset
printf 'cr0.wp lock deny gp\n' >"$wfs/policy/active"
run --sysfs "$wfs" watch del jiffies_64
same "watch del, no rule in policy/active: an error" \
	"1 rampartctl: watch del: $wfs/watch/list has jiffies_64, but policy/active has no rule for it (did another load change the policy?); nothing loaded" \
	"$rc $(cat "$tmp/err")"
unstaged "watch del, no rule in policy/active: nothing loaded"
wreset
rm "$wfs/watch/list"
run --sysfs "$wfs" watch del jiffies_64
same "watch del without watch/list: an error" \
	"1 rampartctl: watch del: $wfs/watch/list: No such file or directory (is rampart.ko loaded, with write-watch?)" \
	"$rc $(cat "$tmp/err")"
unstaged "watch del without watch/list: nothing loaded"
# Sealed: the kernel refuses the commit with EPERM. /proc/self/uid_map,
# written to after it is set (always, in the first user namespace), fails
# so; where it does not, skip.
wreset
if (printf '0 0 1\n' >/proc/self/uid_map) 2>&1 |
	grep -q 'Operation not permitted'; then
	rm "$wfs/policy/commit"
	ln -s /proc/self/uid_map "$wfs/policy/commit"
	run --sysfs "$wfs" watch del jiffies_64
	expect "watch del, sealed (EPERM): exits 1" 1
	same "watch del, sealed (EPERM): the kernel's refusal, in policy load's words" \
		"rampartctl: watch del: Operation not permitted: the policy is sealed and this would relax it; the kernel log (dmesg) has the line and reason" \
		"$(cat "$tmp/err")"
	same "watch del, sealed: nothing on stdout" "" "$(cat "$tmp/out")"
	grep -vx 'watch.jiffies_64 ro log' "$tmp/wbase" >"$tmp/wdel.staged"
	if cmp -s "$tmp/wdel.staged" "$wfs/policy/staging"; then
		ok "watch del, sealed: the text without the watch was staged"
	else
		notok "watch del, sealed: the text without the watch was staged"
	fi
	rm "$wfs/policy/commit"
	: >"$wfs/policy/commit"
else
	ok "watch del, sealed (EPERM): exits 1 # SKIP no EPERM file here"
	ok "watch del, sealed (EPERM): the kernel's refusal # SKIP"
	ok "watch del, sealed: nothing on stdout # SKIP"
	ok "watch del, sealed: the text without the watch was staged # SKIP"
fi
wreset
run --sysfs "$wfs" watch
expect "watch without a subcommand exits 2" 2
run --sysfs "$wfs" watch frob
expect "watch frob exits 2" 2
run --sysfs "$wfs" watch add
expect "watch add without a target exits 2" 2
run --sysfs "$wfs" watch del a b
expect "watch del with two targets exits 2" 2
run --sysfs "$wfs" watch list extra
expect "watch list with an argument exits 2" 2
run watch follow --count 0
expect "watch follow --count 0 exits 2" 2
run watch follow --count x
expect "watch follow --count x exits 2" 2
run watch follow extra
expect "watch follow with an argument exits 2" 2

# follow: rampart_watch in its own instance, one line per hit.
# hline SEQ CPU ADDR VA PA WIDTH LEN OLD NEW RIP STACK LINE: a trace_pipe line
# in the TP_printk format of rampart_watch.
hline() {
	printf '          <idle>-0       [001] d.h1.   123.456789: rampart_watch: seq=%s cpu=%s addr=%s va=%s pa=%s width=%s len=%s old=%s new=%s rip=%s stack=%s line=%s\n' "$@"
}
follow_start watch follow --count 3
if enabled rampart_watch; then
	ok "watch follow: enables rampart_watch in its own instance"
else
	notok "watch follow: enables rampart_watch in its own instance"
	diag "$tmp/err"
fi
{
	hline 1 1 jiffies_64+0x0/0x8 0xffffffff82a0b000 0x2a0b000 8 8 \
		0x0000000100000041 0x0000000100000042 do_timer+0x1f/0x30 \
		'tick_do_update_jiffies64+0x7c/0x130<-tick_sched_do_timer+0x40/0x90' 3
	echo 'a line of some other event'
	echo 'CPU:1 [LOST 3 EVENTS]'
	hline 5 0 'rp_watch_target+0x8/0x20 [rp_watch]' 0xffffc90000000ff8 0 1 1 \
		0x41 0x42 'poke_it+0x1/0x2 [rp_watch]' - 4
	hline 6 2 0xffffc90000123000 0xffffc90000123000 0x5000000 16 16 \
		0x000102030405060708090a0b0c0d0e0f 0x0f0e0d0c0b0a09080706050403020100 \
		0xffffffff81001000 'memcpy+0x10/0x20' 6
	hline 7 0 jiffies_64+0x0/0x8 0xffffffff82a0b000 0x2a0b000 8 8 0x1 0x2 x - 3
} >&3
wait "$pid"
rc=$?
exec 3>&-
cat >"$tmp/wfollow.want" <<'EOF2'
cpu1 jiffies_64+0x0 8 bytes 0x0000000100000041 -> 0x0000000100000042 by do_timer+0x1f/0x30 <- tick_do_update_jiffies64+0x7c/0x130 <- tick_sched_do_timer+0x40/0x90
3 hits lost (trace buffer full)
cpu0 rp_watch_target+0x8 [rp_watch] 1 byte 0x41 -> 0x42 by poke_it+0x1/0x2 [rp_watch]
cpu2 0xffffc90000123000 16 bytes 0x000102030405060708090a0b0c0d0e0f -> 0x0f0e0d0c0b0a09080706050403020100 by 0xffffffff81001000 <- memcpy+0x10/0x20
EOF2
cp "$tmp/follow" "$tmp/out"
expect "watch follow --count 3: three hits, one line each, then exits 0" 0 \
	"$tmp/wfollow.want"
same "watch follow: disables the event on exit" 0 \
	"$(cat "$inst/events/rampart/rampart_watch/enable")"
same "watch follow: nothing on stderr" "" "$(cat "$tmp/err")"
follow_start --json watch follow
enabled rampart_watch
{
	hline 1 1 jiffies_64+0x0/0x8 0xffffffff82a0b000 0x2a0b000 8 8 \
		0x0000000100000041 0x0000000100000042 do_timer+0x1f/0x30 \
		'tick_do_update_jiffies64+0x7c/0x130<-tick_sched_do_timer+0x40/0x90' 3
	echo 'CPU:0 [LOST 2 EVENTS]'
	hline 2 0 'x"y\z+0x0/0x8' 0xffffffff82a0b000 0 8 8 0x1 0x2 r - 3
} >&3
sleep 1
kill -TERM "$pid"
wait "$pid"
rc=$?
exec 3>&-
cp "$tmp/follow" "$tmp/out"
expect "watch --json follow ends with 0 on SIGTERM" 0
json "watch follow --json: JSON Lines, hits and the loss" '
a, lost, b = objs
assert a == {"type": "hit", "seq": 1, "cpu": 1, "addr": "jiffies_64+0x0/0x8",
             "va": "0xffffffff82a0b000", "pa": "0x2a0b000", "width": 8,
             "len": 8, "old": "0x0000000100000041",
             "new": "0x0000000100000042", "rip": "do_timer+0x1f/0x30",
             "stack": ["tick_do_update_jiffies64+0x7c/0x130",
                       "tick_sched_do_timer+0x40/0x90"], "line": 3,
             "text": "cpu1 jiffies_64+0x0 8 bytes 0x0000000100000041 -> 0x0000000100000042 by do_timer+0x1f/0x30 <- tick_do_update_jiffies64+0x7c/0x130 <- tick_sched_do_timer+0x40/0x90"}, a
assert lost == {"type": "lost", "count": 2}
assert b["addr"] == "x\"y\\z+0x0/0x8" and b["stack"] == [] and b["pa"] == "0x0"'
follow_start watch follow
enabled rampart_watch
kill -INT "$pid"
wait "$pid"
rc=$?
exec 3>&-
expect "watch follow ends with 0 on SIGINT" 0
RAMPARTCTL_TRACEFS=$tmp/notrace timeout 10 "$ctl" watch follow \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
expect "watch follow without tracefs exits 1" 1
has "watch follow without tracefs: says so" "$tmp/err" \
	'^rampartctl: watch follow: tracefs is not mounted .*mount -t tracefs'
touch "$tmp/wstamp"
RAMPARTCTL_TRACEFS=$tfs timeout 10 "$ctl" watch follow >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "watch follow without the event exits 1" 1
has "watch follow without the event: names the file" "$tmp/err" \
	'^rampartctl: watch follow: .*/instances/rampartctl\.[0-9]+/events/rampart/rampart_watch/enable: No such file or directory \(is rampart.ko loaded\?\)$'
same "watch follow without the event: its instance is removed" \
	"" "$(find "$tfs/instances" -mindepth 1 -maxdepth 1 -newer "$tmp/wstamp")"

# --- boot ------------------------------------------------------------------
b=$tmp/boot
mkdir -p "$b"
mkfs "$b/template"
cat >"$b/modprobe" <<'EOF2'
#!/bin/sh
# A fake modprobe: "loads" rampart by copying a fake sysfs tree into place.
echo "$*" >>"$FAKE_DIR/modprobe.log"
[ "$1" = rampart ] || exit 1
[ -n "${FAKE_FAIL:-}" ] && { echo "modprobe: ERROR: could not insert 'rampart'" >&2; exit 1; }
cp -r "$FAKE_DIR/template" "$FAKE_SYS"
EOF2
chmod +x "$b/modprobe"
export FAKE_DIR=$b RAMPARTCTL_MODPROBE=$b/modprobe
cp "$tmp/good.pol" "$b/policy"
printf '# Rampart at boot\npolicy = %s   # the file\n\nseal = yes\n' \
	"$b/policy" >"$b/seal.conf"
printf 'seal=no\npolicy=%s\n' "$b/policy" >"$b/open.conf"
# boot_run CONF ARGS...: rampartctl --sysfs $b/sys boot --config CONF ARGS,
# with the kernel log fresh.
boot_run() {
	local conf=$1
	shift
	: >"$tmp/kmsg"
	FAKE_SYS=$b/sys run --sysfs "$b/sys" boot --config "$conf" "$@"
}
# lines DESC FILE LINE...: FILE holds exactly these lines.
lines() {
	local desc=$1 file=$2
	shift 2
	if [ "$(cat "$file")" == "$(printf '%s\n' "$@")" ]; then
		ok "$desc"
	else
		notok "$desc"
		printf '%s\n' "$@" | diff - "$file" | sed 's/^/#   /'
	fi
}
size=$(stat -c %s "$b/policy")
boot_run "$b/seal.conf"
expect "boot: loads, applies, seals: exits 0" 0
lines "boot: one line per step on stderr" "$tmp/err" \
	"rampart: boot: module loaded" \
	"rampart: boot: policy $b/policy applied (5 rules, generation 3)" \
	"rampart: boot: sealed"
lines "boot: the same lines in the kernel log, at KERN_NOTICE" "$tmp/kmsg" \
	"<5>rampart: boot: module loaded" \
	"<5>rampart: boot: policy $b/policy applied (5 rules, generation 3)" \
	"<5>rampart: boot: sealed"
same "boot: nothing on stdout" "" "$(cat "$tmp/out")"
same "boot: modprobe ran once, for rampart" "rampart" "$(cat "$b/modprobe.log")"
if cmp -s "$b/policy" "$b/sys/policy/staging"; then
	ok "boot: the policy file staged byte for byte"
else
	notok "boot: the policy file staged byte for byte"
fi
same "boot: committed its length, sealed" "$size 1" \
	"$(cat "$b/sys/policy/commit") $(cat "$b/sys/policy/sealed")"
# Again (the systemd unit after the initramfs): nothing to do, exit 0.
"$ctl" policy check "$b/policy" >"$b/sys/policy/active"
: >"$b/sys/policy/staging"
boot_run "$b/seal.conf"
expect "boot again: exits 0" 0
lines "boot again: already loaded, in force, sealed" "$tmp/err" \
	"rampart: boot: module already loaded" \
	"rampart: boot: policy $b/policy already in force (5 rules, generation 3)" \
	"rampart: boot: already sealed"
same "boot again: modprobe not run, nothing staged" "rampart 0" \
	"$(cat "$b/modprobe.log") $(stat -c %s "$b/sys/policy/staging")"
# A policy file that fails the check: the policy in force stays, the seal
# is still done, exit 1.
rm -rf "$b/sys"
mkfs "$b/sys"
cp "$tmp/crhot.pol" "$b/policy"
boot_run "$b/seal.conf"
expect "boot, bad policy: exits 1" 1
lines "boot, bad policy: file, line, error; sealed all the same" "$tmp/err" \
	"rampart: boot: module already loaded" \
	"rampart: boot: policy $b/policy: line 2: unsafe: the kernel changes this CR bit at run time (TLB flush, context switch, FPU, cache control) (EINVAL); the policy in force stays (generation 3)" \
	"rampart: boot: sealed" \
	"rampart: boot: failed: policy"
has "boot, bad policy: KERN_ERR in the kernel log" "$tmp/kmsg" \
	'^<3>rampart: boot: policy .*: line 2: '
same "boot, bad policy: nothing staged, sealed" "0 1" \
	"$(stat -c %s "$b/sys/policy/staging") $(cat "$b/sys/policy/sealed")"
# A missing policy file: the same, with the errno.
rm -rf "$b/sys"
mkfs "$b/sys"
rm "$b/policy"
boot_run "$b/open.conf"
expect "boot, no policy file: exits 1" 1
lines "boot, no policy file: says so; not sealed (seal = no)" "$tmp/err" \
	"rampart: boot: module already loaded" \
	"rampart: boot: policy $b/policy: No such file or directory (ENOENT); the policy in force stays (generation 3)" \
	"rampart: boot: not sealed (seal = no)" \
	"rampart: boot: failed: policy"
same "boot, seal = no: not sealed" 0 "$(cat "$b/sys/policy/sealed")"
# The shipped policy file: only comments. The default stays, exit 0.
printf '# Rampart policy: none here, the built-in default applies.\n\n' \
	>"$b/policy"
rm -rf "$b/sys"
boot_run "$b/open.conf"
expect "boot, a policy without rules: exits 0" 0
lines "boot, a policy without rules: the default stays" "$tmp/err" \
	"rampart: boot: module loaded" \
	"rampart: boot: policy $b/policy has no rules; the default stays in force" \
	"rampart: boot: not sealed (seal = no)"
same "boot, a policy without rules: nothing staged" 0 \
	"$(stat -c %s "$b/sys/policy/staging")"
# A bad configuration: an error per bad line with FILE:LINE, no policy
# applied; the module loaded and, since "seal = yes" parsed, sealed.
cp "$tmp/good.pol" "$b/policy"
printf 'policy = %s\nfrobnicate = 1\nseal = yes\nno equals sign\n' \
	"$b/policy" >"$b/bad.conf"
rm -rf "$b/sys"
boot_run "$b/bad.conf"
expect "boot, bad config: exits 1" 1
lines "boot, bad config: file:line for each bad line, then the safe steps" "$tmp/err" \
	"rampart: boot: config $b/bad.conf:2: unknown key 'frobnicate' (policy, seal)" \
	"rampart: boot: config $b/bad.conf:4: expected 'key = value', not 'no equals sign'" \
	"rampart: boot: module loaded" \
	"rampart: boot: policy $b/policy not applied: $b/bad.conf has errors; the default stays in force" \
	"rampart: boot: sealed" \
	"rampart: boot: failed: config policy"
same "boot, bad config: nothing staged, sealed" "0 1" \
	"$(stat -c %s "$b/sys/policy/staging") $(cat "$b/sys/policy/sealed")"
# A seal value that is not yes: not sealed (only "seal = yes" seals).
printf 'seal = maybe\n' >"$b/maybe.conf"
rm -rf "$b/sys"
boot_run "$b/maybe.conf"
expect "boot, seal = maybe: exits 1" 1
has "boot, seal = maybe: file:line" "$tmp/err" \
	"^rampart: boot: config $b/maybe.conf:1: seal takes yes or no, not 'maybe'$"
has "boot, seal = maybe: not sealed" "$tmp/err" \
	"^rampart: boot: not sealed \(no 'seal = yes' in $b/maybe.conf\)$"
same "boot, seal = maybe: sealed reads 0" 0 "$(cat "$b/sys/policy/sealed")"
# seal twice, yes and no: an error, and sealed (fail closed).
printf 'seal = no\nseal = yes\n' >"$b/twice.conf"
rm -rf "$b/sys"
boot_run "$b/twice.conf"
expect "boot, seal given twice: exits 1" 1
has "boot, seal given twice: names both lines" "$tmp/err" \
	"^rampart: boot: config $b/twice.conf:2: seal given twice \(see line 1\)$"
same "boot, seal given twice with a yes: sealed" 1 "$(cat "$b/sys/policy/sealed")"
# No configuration file: the defaults (policy /etc/rampart/policy, no seal).
rm -rf "$b/sys"
boot_run "$b/none.conf"
has "boot, no config: the default policy path" "$tmp/err" \
	'^rampart: boot: policy /etc/rampart/policy'
has "boot, no config: not sealed" "$tmp/err" \
	"^rampart: boot: not sealed \(no 'seal = yes' in $b/none.conf\)$"
hasnt "boot, no config: no config error" "$tmp/err" 'boot: config'
# modprobe fails: every step says why, exit 1, nothing else is tried.
rm -rf "$b/sys"
FAKE_FAIL=1 boot_run "$b/seal.conf"
expect "boot, modprobe fails: exits 1" 1
has "boot, modprobe fails: its own message passes through" "$tmp/err" \
	"^modprobe: ERROR: could not insert 'rampart'$"
lines "boot, modprobe fails: the module, policy and seal lines" "$tmp/kmsg" \
	"<3>rampart: boot: module: modprobe rampart failed (exit status 1); the kernel log has the reason" \
	"<3>rampart: boot: policy $b/policy not applied: the module is not loaded" \
	"<3>rampart: boot: not sealed: the module is not loaded" \
	"<3>rampart: boot: failed: module policy seal"
RAMPARTCTL_MODPROBE=$b/nonexistent boot_run "$b/open.conf"
expect "boot, no modprobe: exits 1" 1
has "boot, no modprobe: says it cannot run it" "$tmp/err" \
	"^rampart: boot: module: cannot run $b/nonexistent$"
# Loaded but not launched (state probed): a failure.
mkfs "$b/sys"
echo probed >"$b/sys/state"
boot_run "$b/open.conf"
expect "boot, module not launched: exits 1" 1
has "boot, module not launched: says so" "$tmp/err" \
	"^rampart: boot: module loaded but not launched \(state 'probed'\)"
# The kernel refuses the load (a sealed policy it would relax): the policy
# in force stays, the seal is still checked, exit 1.
rm -rf "$b/sys"
mkfs "$b/sys"
rm "$b/sys/policy/commit"
mkdir "$b/sys/policy/commit"
boot_run "$b/seal.conf"
expect "boot, load refused: exits 1" 1
has "boot, load refused: the errno and the kernel log" "$tmp/err" \
	"^rampart: boot: policy $b/policy refused: Is a directory \(EISDIR\): .*kernel log.*; the policy in force stays \(generation 3\)$"
has "boot, load refused: sealed all the same" "$tmp/err" '^rampart: boot: sealed$'
run --sysfs "$b/sys" boot extra
expect "boot with an argument exits 2" 2
run --sysfs "$b/sys" boot --config
expect "boot --config without FILE exits 2" 2

# --- bash completion ---------------------------------------------------------
comp=$top/tools/rampartctl/rampartctl.bash-completion
if bash -n "$comp" 2>"$tmp/err"; then
	ok "completion: bash -n"
else
	notok "completion: bash -n"
	diag "$tmp/err"
fi
# completes WORD...: what the completion offers for the last word, sorted,
# on one line; run in $tmp/compl, which holds a.pol, b.conf and dir/.
mkdir -p "$tmp/compl/dir"
: >"$tmp/compl/a.pol"
: >"$tmp/compl/b.conf"
completes() {
	(cd "$tmp/compl" && bash -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_rampartctl rampartctl "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@") |
		sed '/^$/d' | sort | paste -sd' '
}
same "completion: registered for rampartctl" \
	"complete -F _rampartctl rampartctl" \
	"$(bash -c '. "$1"; complete -p rampartctl' sh "$comp")"
same "completion: commands" "boot events help policy seal show status watch" \
	"$(completes rampartctl '')"
same "completion: commands starting with s" "seal show status" \
	"$(completes rampartctl s)"
same "completion: global options" "--help --json --sysfs" \
	"$(completes rampartctl --)"
same "completion: --sysfs takes a directory" "dir" \
	"$(completes rampartctl --sysfs '')"
same "completion: the command after --sysfs DIR" "policy" \
	"$(completes rampartctl --sysfs /x po)"
same "completion: policy's subcommands" "check load" \
	"$(completes rampartctl policy '')"
same "completion: policy check takes a file" "a.pol b.conf dir" \
	"$(completes rampartctl policy check '')"
same "completion: policy load takes a file" "a.pol" \
	"$(completes rampartctl --json policy load a)"
same "completion: policy check's options" "--code --help" \
	"$(completes rampartctl policy check --)"
same "completion: events' options" "--first --follow --help --json" \
	"$(completes rampartctl events --)"
same "completion: events -n takes a number" "" \
	"$(completes rampartctl events -n '')"
same "completion: status's options" "--help --json" \
	"$(completes rampartctl status --)"
same "completion: boot --config takes a file" "b.conf" \
	"$(completes rampartctl boot --config b)"
same "completion: watch's subcommands" "add del follow list" \
	"$(completes rampartctl watch '')"
same "completion: watch follow's options" "--count --help --json" \
	"$(completes rampartctl --json watch follow --)"
same "completion: watch follow --count takes a number" "" \
	"$(completes rampartctl watch follow --count '')"
same "completion: watch add takes no file" "" \
	"$(completes rampartctl watch add '')"
same "completion: watch del: the watches of --sysfs DIR's watch/list" \
	"jiffies_64 rp_watch_target+0x8:24" \
	"$(completes rampartctl --sysfs "$wfs" watch del '')"
same "completion: watch del: those that start with the word, RAMPART_SYSFS" \
	"rp_watch_target+0x8:24" \
	"$(RAMPART_SYSFS=$wfs completes rampartctl watch del r)"

# --- the man page --------------------------------------------------------------
man8=$top/tools/rampartctl/rampartctl.8
if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww -z "$man8" >"$tmp/err" 2>&1
	if [ ! -s "$tmp/err" ]; then
		ok "man page: groff -ww gives no warning"
	else
		notok "man page: groff -ww gives no warning"
		diag "$tmp/err"
	fi
else
	ok "man page: groff -ww gives no warning # SKIP no groff"
fi
if command -v mandoc >/dev/null; then
	if mandoc -Tlint "$man8" >"$tmp/err" 2>&1; then
		ok "man page: mandoc -Tlint is clean"
	else
		notok "man page: mandoc -Tlint is clean"
		diag "$tmp/err"
	fi
else
	ok "man page: mandoc -Tlint is clean # SKIP no mandoc"
fi
missing=
for s in "JSON OUTPUT" "MEMORY RULES" "BOOT CONFIGURATION" ENVIRONMENT FILES \
	 "EXIT STATUS" "SEE ALSO"; do
	grep -qx "\.SH \"\?$s\"\?" "$man8" || missing="$missing '$s'"
done
same "man page has every section" "" "$missing"
run help
missing=
for c in status "policy check" "policy load" show seal events "events --first" boot \
	 "watch add" "watch del" "watch list" "watch follow"; do
	grep -q "^    rampartctl .*$c" "$tmp/out" || missing="$missing '$c'"
done
same "help: every command in the synopsis" "" "$missing"

echo "1..$n"
[ "$failed" -eq 0 ]
