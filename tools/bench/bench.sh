#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Rampart's benchmark: boot the same kernel in Bochs twice, with the same
# ips and clock (sync=none: guest time follows the instruction count), once
# with Rampart launched and once without, run one suite in each and report
# time per operation, their ratio and VM exits per operation by reason,
# launch/unload time per CPU and Rampart's memory. The bare machine then
# runs interleaved bare/Rampart pairs in one boot (every workload with the
# default policy; syscall and fault in two partial set-ups), from 5 until
# each ratio's 95% interval is within --ci PCT (default 2) percent of its
# mean or --pairs N (default 20) were run, and both report an idle window.
# Table on stdout, JSON in .out/bench.json (or --json FILE).
#   bench.sh [--stock] [--cpus N] [--pairs N] [--ci PCT] [--json FILE]
set -euo pipefail
. "$(dirname "$0")/../rig/common.sh"
cpus=2 stock=0 pairs=20 ci=2 json="$OUTDIR/bench.json"
while [ $# -gt 0 ]; do
	case "$1" in
	--stock) stock=1 ;;
	--cpus) cpus=$2; shift ;;
	--pairs) pairs=$2; shift ;;
	--ci) ci=$2; shift ;;
	--json) json=$2; shift ;;
	*) rig_die "bench.sh: unknown argument $1" ;;
	esac
	shift
done

"$RIG_DIR/deps.sh"
KSRC=$("$RIG_DIR/kernel.sh")
# Measure the module users run, without the rig's entry checker.
export RAMPART_ENTRY_CHECK=0
if [ $stock -eq 1 ]; then
	hdr=$(stock_headers)
	"$RIG_DIR/build-module.sh" "/usr/src/$hdr" stock >&2
	kernel=$("$RIG_DIR/stock-kernel.sh") mods="$OUTDIR/stock" label="Debian stock ${hdr#linux-headers-}"
else
	"$RIG_DIR/build-module.sh" "$KSRC" test >&2
	cp "$KSRC/arch/x86/boot/bzImage" "$OUTDIR/bzImage"
	kernel="$OUTDIR/bzImage" mods="$OUTDIR/test" label="test kernel (tinyconfig 6.1)"
fi
"$RIG_DIR/selftests.sh" "$KSRC" "$OUTDIR/selftests"
"$RIG_DIR/initramfs.sh" "$mods" "$OUTDIR/selftests" "$OUTDIR/initramfs-bench.cpio"

rig_log "benchmark: $label, $cpus CPUs, two Bochs machines in parallel"
for on in 0 1; do
	"$RIG_DIR/boot.sh" --vm bochs --cpus "$cpus" --timeout 7200 --scenarios bench \
		--kernel "$kernel" --initrd "$OUTDIR/initramfs-bench.cpio" \
		--append "BENCH_RAMPART=$on BENCH_PAIRS=$pairs BENCH_CI_PCT=$ci" --log "$OUTDIR/bench-$on.log" &
done
wait
python3 "$(dirname "$0")/report.py" --label "$label" --json "$json" \
	"$OUTDIR/bench-0.log" "$OUTDIR/bench-1.log"
