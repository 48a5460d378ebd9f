#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's 6.12 kernel, as Debian 13 ships it and Debian 12 carries it in
# bookworm-security: the newest version linux-headers-6.12-amd64 names.
# Its headers (amd64, common, kbuild) and its image are downloaded with apt
# and unpacked into the cache, never installed. The cache directory is
# named after the version, so a new Debian upload gets a fresh one.
#   stock612.sh kdir      print the header directory (KDIR for the build)
#   stock612.sh vmlinuz   print the kernel image
#   stock612.sh kvm       print a directory with Debian's kvm, kvm-intel,
#                         irqbypass and msr modules, decompressed for
#                         busybox insmod
set -euo pipefail
. "$(dirname "$0")/common.sh"
what=${1:-}
case $what in
kdir | vmlinuz | kvm) ;;
*) rig_die "stock612.sh: say kdir, vmlinuz or kvm" ;;
esac

newest() {
	apt-cache depends linux-headers-6.12-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-headers-6\.12\.[^ ]*-amd64\)$/\1/p' | head -1
}
hdr=$(newest)
if [ -z "$hdr" ]; then
	# Package lists older than the first 6.12 upload, or none at all.
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq || true
	hdr=$(newest)
fi
[ -n "$hdr" ] || rig_die "apt knows no linux-headers-6.12-amd64 (is bookworm-security in the sources?)"
ver=${hdr#linux-headers-}
ver=${ver%-amd64}
dir="$CACHE/stock-6.12-$ver"
kdir="$dir/usr/src/$hdr"
if ! [ -f "$dir/.complete" ]; then
	rig_log "fetching Debian's $ver headers and image (unpacked into $dir, not installed)"
	rm -rf "$dir" && mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get download -qq "$hdr" "linux-headers-$ver-common" \
		"linux-kbuild-$ver" "linux-image-$ver-amd64-unsigned" >/dev/null 2>&1) ||
		rig_die "cannot download the $ver packages"
	for deb in "$dir"/debs/*.deb; do
		dpkg -x "$deb" "$dir"
	done
	rm -rf "$dir/debs"
	# The amd64 Makefile includes the common one by absolute path.
	sed -i "s#^include /usr/src/#include $dir/usr/src/#" "$kdir/Makefile"
	touch "$dir/.complete"
	# An older upload's copy is not needed again.
	for old in "$CACHE"/stock-6.12-*; do
		[ "$old" = "$dir" ] || rm -rf "$old"
	done
fi
case $what in
kdir) echo "$kdir" ;;
vmlinuz) ls "$dir"/boot/vmlinuz-* | head -1 ;;
kvm)
	ko="$dir/rig-ko"
	if ! [ -f "$ko/msr.ko" ]; then
		mkdir -p "$ko"
		for m in arch/x86/kvm/kvm arch/x86/kvm/kvm-intel virt/lib/irqbypass \
			arch/x86/kernel/msr; do
			xz -dc "$dir/lib/modules/$ver-amd64/kernel/$m.ko.xz" >"$ko/${m##*/}.ko" ||
				rig_die "no $m.ko.xz in the $ver image"
		done
	fi
	echo "$ko"
	;;
esac
