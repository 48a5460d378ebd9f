# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Counting and judging for the test suites (test.sh, test612.sh). Sourced
# after common.sh; judge needs KSRC (the test kernel, for KUnit's parser).

PASSED=0 FAILED=0
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); }

# gate NAME CMD...: one test from a command's exit status.
gate() {
	local name=$1
	shift
	if "$@"; then
		echo "  PASS gate: $name"
		count 1 0
	else
		echo "  FAIL gate: $name"
		count 0 1
	fi
}

# refused NAME CMD...: the gate must fail on a planted fault.
refused() {
	local name=$1
	shift
	gate "$name" bash -c '! "$@" >/dev/null 2>&1' _ "$@"
}

# quiet CMD...: for gates that print TAP; show the output only on failure.
quiet() {
	local log
	log="$OUTDIR/gate-$(basename "$(dirname "$1")")-$(basename "$1").log"
	if "$@" >"$log" 2>&1; then
		echo "    $(grep -c '^ok' "$log") checks ok (log: $log)"
		return 0
	fi
	grep -v '^ok' "$log"
	return 1
}

# judge NAME LOG SCENARIOS [check-log args]: add a run's verdict.
judge() {
	local name=$1 log=$2 scen=$3 out
	shift 3
	out=$("$RIG_DIR/check-log.py" "$log" --name "$name" --scenarios "$scen" \
		--ksrc "$KSRC" "$@")
	echo "$out" | grep -v '^RESULT'
	local p f
	p=$(echo "$out" | sed -n 's/^RESULT passed=\([0-9]*\) failed=\([0-9]*\)/\1/p')
	f=$(echo "$out" | sed -n 's/^RESULT passed=\([0-9]*\) failed=\([0-9]*\)/\2/p')
	count "${p:-0}" "${f:-1}"
}

# machine NAME BOOT-ARGS...: boot one machine, noting its wall time and
# the CPU time its emulator took (boot.sh's RIG_CPU_FILE).
machine() {
	local name=$1 t=$SECONDS rc=0
	shift
	RIG_CPU_FILE="$OUTDIR/$name.cpu" "$RIG_DIR/boot.sh" "$@" || rc=$?
	echo "$name $((SECONDS - t))s (cpu $(cat "$OUTDIR/$name.cpu" 2>/dev/null)s)" \
		>"$OUTDIR/$name.wall"
	return $rc
}
