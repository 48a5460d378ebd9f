#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Rampart's main job on the embedded default: boot the Bochs VMX machine,
# load rampart.ko and show what it does, live from the guest's console.
#   demo.sh [--cpus N]
set -euo pipefail
. "$(dirname "$0")/common.sh"
cpus=2
[ "${1:-}" = "--cpus" ] && cpus=$2

"$RIG_DIR/deps.sh"
KSRC=$("$RIG_DIR/prepare.sh")
rig_log "booting Bochs (broadwell_ult, $cpus CPUs); the guest console follows"
"$RIG_DIR/boot.sh" --vm bochs --cpus "$cpus" --timeout 900 --scenarios demo \
	--log "$OUTDIR/demo.log" --live
