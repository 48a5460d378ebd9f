#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's stock kernel image matching linux-headers-amd64 (the one
# users run) into the cache, without installing it.
#   stock-kernel.sh [vmlinuz]   print the vmlinuz path
#   stock-kernel.sh kvm         print a directory with the image's kvm,
#                               kvm-intel and irqbypass modules, plain .ko
#                               files for busybox insmod
set -euo pipefail
. "$(dirname "$0")/common.sh"
what=${1:-vmlinuz}
case $what in
vmlinuz | kvm) ;;
*) rig_die "stock-kernel.sh: say vmlinuz or kvm" ;;
esac
hdr=$(stock_headers)
img=${hdr/linux-headers-/linux-image-}
dir="$CACHE/stock-$img"
vmlinuz=$(ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -1 || true)
if [ -z "$vmlinuz" ]; then
	rig_log "fetching $img (not installed, only unpacked into $dir)"
	rm -rf "$dir" && mkdir -p "$dir"
	(cd "$dir" && apt-get download -qq "$img" >/dev/null 2>&1 && dpkg -x ./*.deb . && rm -f ./*.deb) ||
		rig_die "cannot download $img"
	vmlinuz=$(ls "$dir"/boot/vmlinuz-* | head -1)
fi
case $what in
vmlinuz) echo "$vmlinuz" ;;
kvm)
	ko="$dir/rig-kvm"
	if ! [ -f "$ko/.complete" ]; then
		rm -rf "$ko" && mkdir -p "$ko"
		mods=$(ls -d "$dir"/lib/modules/*/kernel | head -1)
		for m in arch/x86/kvm/kvm arch/x86/kvm/kvm-intel virt/lib/irqbypass; do
			if [ -f "$mods/$m.ko" ]; then
				cp "$mods/$m.ko" "$ko/"
			elif [ -f "$mods/$m.ko.xz" ]; then
				xz -dc "$mods/$m.ko.xz" >"$ko/${m##*/}.ko"
			else
				rig_die "no $m.ko in $img"
			fi
		done
		touch "$ko/.complete"
	fi
	echo "$ko"
	;;
esac
