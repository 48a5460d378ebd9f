#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build rampart.ko (and the test modules) against KDIR with the project's
# gates: W=1 and sparse with warnings as errors, then zero warnings in the
# log, the VMX-root symbol and padding checks, and no call cycle among
# root objects or among all of rampart.ko's. Each kernel gets its own copy of the
# tree under .out/, so builds never share objects.
#   build-module.sh KDIR NAME    -> .out/NAME/*.ko, log in .out/NAME.log
set -euo pipefail
. "$(dirname "$0")/common.sh"
kdir=$1 name=$2
src="$OUTDIR/src-$name"
mkdir -p "$OUTDIR/$name"
rsync -a --delete --exclude /.out --exclude /.git "$TOP/" "$src/"
log="$OUTDIR/$name.log"
# Rig builds check the VMCS before every VM entry root edited (vmx/root/exit.c);
# the benchmark builds without (RAMPART_ENTRY_CHECK=0).
if ! make -C "$src" KDIR="$kdir" W=1 C=2 CF=-Wsparse-error \
	RAMPART_ENTRY_CHECK="${RAMPART_ENTRY_CHECK:-1}" modules >"$log" 2>&1; then
	grep -E 'error|warning' "$log" | head -30 >&2 || tail -30 "$log" >&2
	rig_die "$name: build failed"
fi
# Zero warnings, from the compiler, sparse or modpost.
if grep -iE 'warning' "$log" | grep -v 'Skipping BTF generation'; then
	rig_die "$name: build has warnings (full log: $log)"
fi
# shellcheck disable=SC2046 # one word per object
(cd "$src" && tools/check-root-syms.sh $(make -s print-root-objs) &&
	tools/check-root-padding.py $(make -s print-root-objs) rampart.ko &&
	tools/check-root-patch-sites.py rampart.ko &&
	tools/check-calls.py $(make -s print-root-objs) &&
	tools/check-calls.py $(make -s print-objs)) >&2 ||
	rig_die "$name: the objects fail the root-symbol or call-cycle check"
if ! make -C "$src/tools/testmods" KDIR="$kdir" W=1 C=2 CF=-Wsparse-error modules \
	>>"$log" 2>&1 || grep -iE 'warning' "$log" | grep -v 'Skipping BTF generation'; then
	rig_die "$name: test modules failed to build cleanly (log: $log)"
fi
cp "$src"/*.ko "$src"/tools/testmods/*.ko "$OUTDIR/$name/"
rig_log "$name: built $(cd "$OUTDIR/$name" && echo *.ko), no warnings"
