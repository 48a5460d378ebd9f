#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Pack the rig's initramfs: static busybox, /init, the scenarios, the
# modules built for the test kernel and the selftest binaries (with the
# KVM selftests in /selftests/kvm), and optionally the distribution's own
# modules a scenario loads (/lib/modules/stock) and the booted kernel's
# KVM modules (/lib/modules/kvm: irqbypass, kvm, kvm-intel; see
# kvm-modules.sh).
#   initramfs.sh MODDIR SELFTESTDIR OUT.cpio[.gz] [STOCKMODDIR [KVMMODDIR]]
# KVM modules found in STOCKMODDIR go to /lib/modules/kvm too, not to
# /lib/modules/stock (stock612.sh kvm gives msr and KVM in one directory);
# KVMMODDIR's win. An empty STOCKMODDIR ("") packs no /lib/modules/stock.
set -euo pipefail
. "$(dirname "$0")/common.sh"
moddir=$1 stdir=$2 out=$3 stockmod=${4:-} kvmmod=${5:-}
root=$(mktemp -d "${TMPDIR:-/tmp}/rampart-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,run,lib/modules/rampart,scenarios,selftests}
cp /bin/busybox "$root/bin/busybox"
cp "$RIG_DIR/init.sh" "$root/init"
chmod 755 "$root/init"
cp "$RIG_DIR"/scenarios/*.sh "$root/scenarios/"
# The rootfuzz scenario's regression seeds.
cp "$RIG_DIR/rootfuzz.seeds" "$root/scenarios/"
cp "$moddir"/*.ko "$root/lib/modules/rampart/"
if [ -n "$stockmod" ]; then
	mkdir -p "$root/lib/modules/stock"
	cp "$stockmod"/*.ko "$root/lib/modules/stock/"
fi
# The KVM modules live in /lib/modules/kvm only: from KVMMODDIR, else
# those STOCKMODDIR holds.
kvm="$root/lib/modules/kvm"
for m in irqbypass kvm kvm-intel; do
	stockko="$root/lib/modules/stock/$m.ko"
	if [ -n "$kvmmod" ]; then
		mkdir -p "$kvm"
		cp "$kvmmod/$m.ko" "$kvm/" || rig_die "no $m.ko in $kvmmod"
		rm -f "$stockko"
	elif [ -f "$stockko" ]; then
		mkdir -p "$kvm"
		mv "$stockko" "$kvm/"
	fi
done
if [ -d "$kvm" ] && [ "$(ls "$kvm" | wc -l)" -ne 3 ]; then
	rig_die "$stockmod holds only some of irqbypass, kvm and kvm-intel"
fi
cp -r "$stdir"/* "$root/selftests/" 2>/dev/null || true
# Hand-written malformed policies (each names the line that must fail) and
# the fuzzer's seed corpus.
mkdir -p "$root/policies"
cp -r "$TOP/tools/fuzz/malformed" "$TOP/tools/fuzz/corpus" "$root/policies/"
# Uncompressed unless OUT ends in .gz: in Bochs, gunzip of the 13 MB
# archive was two thirds of the test kernel's boot (6 of 10 s of guest
# time), where loading the plain archive from the boot CD costs little.
case "$out" in
*.gz) (cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$out" ;;
*) (cd "$root" && find . | cpio -o -H newc --quiet) >"$out" ;;
esac
