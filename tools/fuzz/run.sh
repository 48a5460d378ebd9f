#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the policy fuzzer (clang, libFuzzer, ASan, UBSan) and run it.
# Usage: tools/fuzz/run.sh SECONDS [OUTDIR]
#
# OUTDIR (default .out/fuzz under the top of the tree) gets the binary,
# the working corpus (a copy of tools/fuzz/corpus/, corpus-min/ and
# malformed/, which stay untouched), fuzz.log and any crash-*/leak-*/
# timeout-* input.
# Prints one summary line; exits with libFuzzer's status, non-zero on any
# crash, leak or timeout, after printing the failing input in hex.
# CLANG=... picks the compiler.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-}
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 SECONDS [OUTDIR]" >&2
	exit 2
	;;
esac
out=${2:-$top/.out/fuzz}
CLANG=${CLANG:-clang}
out=$(realpath -m "$out")
case $out/ in
"$top"/.out/*) ;;
"$top"/*)
	echo "run.sh: $out is in the source tree; use .out/ or elsewhere" >&2
	exit 2
	;;
esac
mkdir -p "$out"

bin=$out/policy_fuzz
"$CLANG" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-g -O1 -Wall -Wextra -Werror -I"$top" -o "$bin" \
	"$top/tools/fuzz/policy_fuzz.c" \
	"$top"/policy/{parse,compile,decide,render,assets}.c

work=$out/corpus-work
rm -rf "$work"
mkdir -p "$work"
cp "$top"/tools/fuzz/corpus/* "$work"/
# What campaigns found beyond the seeds, minimised (libFuzzer -merge=1);
# the policy scenario does not load these into the kernel (corpus/ only).
cp "$top"/tools/fuzz/corpus-min/* "$work"/
for f in "$top"/tools/fuzz/malformed/*.pol; do
	cp "$f" "$work/malformed-$(basename "$f")"
done
seeds=$(find "$work" -type f | wc -l)
rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* \
	"$out"/slow-unit-*

start=$(date +%s)
rc=0
(cd "$out" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$bin" -max_len=4096 -dict="$top/tools/fuzz/policy.dict" \
	-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$out/" "$work" \
	>"$out/fuzz.log" 2>&1) || rc=$?
elapsed=$(($(date +%s) - start))

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log" | tail -1)
corpus=$(find "$work" -type f | wc -l)
echo "policy_fuzz: ${execs:-?} execs, corpus $seeds -> $corpus inputs, ${elapsed}s, exit $rc"
if [ "$rc" -ne 0 ]; then
	echo "--- tail of $out/fuzz.log"
	tail -40 "$out/fuzz.log"
	for f in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do
		[ -f "$f" ] || continue
		echo "--- $f ($(stat -c %s "$f") bytes), hex:"
		od -An -tx1 -v "$f"
	done
fi
exit "$rc"
