#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what the rig needs on Debian 12. Idempotent; apt is only called
# when a package is missing.
set -euo pipefail

PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	xz-utils python3 sparse clang libclang-rt-14-dev
	linux-source-6.1 linux-headers-amd64
	busybox-static
	qemu-system-x86
	bochs bochsbios vgabios isolinux syslinux-common xorriso
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "rig: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
