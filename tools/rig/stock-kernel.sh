#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's stock kernel image matching linux-headers-amd64 (the one
# users run) into the cache, without installing it. Prints the vmlinuz path.
set -euo pipefail
. "$(dirname "$0")/common.sh"
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
echo "$vmlinuz"
