#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Developer loop: build against the test kernel, boot one machine with the
# given scenarios and judge the log; no build gates, no stock headers.
#   run.sh [--vm qemu|bochs] [--cpus N] [--ips N] [--append ARGS]
#          [--timeout SEC] SCENARIO[,...]
set -euo pipefail
. "$(dirname "$0")/common.sh"
vm=bochs cpus=2 timeout=900 extra=()
while [ $# -gt 1 ]; do
	case "$1" in
	--ips) extra+=(--ips "$2"); shift ;;
	--append) extra+=(--append "$2"); shift ;;
	--vm) vm=$2; shift ;;
	--cpus) cpus=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) break ;;
	esac
	shift
done
scen=$1
KSRC=$("$RIG_DIR/prepare.sh")
rc=0
"$RIG_DIR/boot.sh" --vm "$vm" --cpus "$cpus" --timeout "$timeout" --scenarios "$scen" \
	--log "$OUTDIR/run.log" "${extra[@]}" || rc=$?
"$RIG_DIR/check-log.py" "$OUTDIR/run.log" --name "$vm-${cpus}cpu" \
	--scenarios "$scen" --ksrc "$KSRC" || rc=1
exit $rc
