#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Pack the rig's initramfs: static busybox, /init, the scenarios, the
# modules built for the test kernel and the selftest binaries, and optionally
# the distribution's own modules a scenario loads (/lib/modules/stock).
#   initramfs.sh MODDIR SELFTESTDIR OUT.cpio.gz [STOCKMODDIR]
set -euo pipefail
. "$(dirname "$0")/common.sh"
moddir=$1 stdir=$2 out=$3 stockmod=${4:-}
root=$(mktemp -d "${TMPDIR:-/tmp}/rampart-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,run,lib/modules/rampart,scenarios,selftests}
cp /bin/busybox "$root/bin/busybox"
cp "$RIG_DIR/init.sh" "$root/init"
chmod 755 "$root/init"
cp "$RIG_DIR"/scenarios/*.sh "$root/scenarios/"
cp "$moddir"/*.ko "$root/lib/modules/rampart/"
if [ -n "$stockmod" ]; then
	mkdir -p "$root/lib/modules/stock"
	cp "$stockmod"/*.ko "$root/lib/modules/stock/"
fi
cp "$stdir"/* "$root/selftests/" 2>/dev/null || true
# Hand-written malformed policies (each names the line that must fail) and
# the fuzzer's seed corpus.
mkdir -p "$root/policies"
cp -r "$TOP/tools/fuzz/malformed" "$TOP/tools/fuzz/corpus" "$root/policies/"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$out"
