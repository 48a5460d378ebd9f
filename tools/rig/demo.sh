#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Rampart's main job on the embedded default: boot the Bochs VMX machine,
# load rampart.ko and show what it does, live from the guest's console.
#   demo.sh [--cpus N]
# Exits 0 only when the guest's log shows Rampart working (every CPU
# launched, the hostile module's writes refused, root memory intact, every
# CPU given back); otherwise 1, with one line naming what was missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cpus=2
[ "${1:-}" = "--cpus" ] && cpus=$2

"$RIG_DIR/deps.sh"
KSRC=$("$RIG_DIR/prepare.sh")
log="$OUTDIR/demo.log"
rig_log "booting Bochs (broadwell_ult, $cpus CPUs); the guest console follows"
rc=0
"$RIG_DIR/boot.sh" --vm bochs --cpus "$cpus" --timeout 900 --scenarios demo \
	--log "$log" --live || rc=$?
[ $rc -eq 0 ] || rig_die "demo failed: the guest never finished (boot.sh exit $rc, log $log)"

# demo_fail REASON: the one line of a failed demo.
demo_fail() { rig_die "demo failed: $1 (log $log)"; }
# The verdict comes from what the guest printed, nothing else.
"$RIG_DIR/check-log.py" "$log" --name demo --scenarios demo --ksrc "$KSRC" \
	>"$OUTDIR/demo-check.log" ||
	demo_fail "$(grep -m1 'FAIL' "$OUTDIR/demo-check.log" | sed 's/^ *FAIL demo: //')"
# The serial log has CRLF line ends.
tr -d '\r' <"$log" >"$OUTDIR/demo.txt"
log=$OUTDIR/demo.txt
grep -q 'rampart: loaded' "$log" || demo_fail "rampart.ko never said it loaded"
launched=$(grep -cE '^  cpu[0-9]+: launched$' "$log" || true)
[ "$launched" -eq "$cpus" ] || demo_fail "$launched of $cpus CPUs launched"
grep -q 'rp_attack: cr0.wp: fault=1 changed=0' "$log" ||
	demo_fail "the hostile module's CR0.WP write was not refused"
grep -q 'rp_attack: msr.lstar: fault=1 changed=0' "$log" ||
	demo_fail "the hostile module's LSTAR write was not refused"
grep -qE 'rp_selfprot: .*write=-14 intact=1' "$log" ||
	demo_fail "the write to root memory was not refused"
grep -q 'rampart: unloaded' "$log" || demo_fail "rmmod did not give the CPUs back"
grep -q 'rp_vmxprobe: cpu[0-9]*: VMXON ok' "$log" ||
	demo_fail "VMX was not free again after rmmod"
rig_log "demo ok: $cpus CPUs launched, attacks refused, root memory intact, CPUs given back"
