#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what the rig, the demo, the benchmark, the fuzzer and the build
# gates need on Debian 12, then check that every program and file they use
# is really there. Idempotent; apt is only called when a package is missing.
#   deps.sh            install, then preflight
#   deps.sh --check    preflight only
set -euo pipefail

# What apt installs.
PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	xz-utils python3 sparse clang libclang-rt-14-dev rsync perl
	linux-source-6.1 linux-headers-amd64
	busybox-static
	qemu-system-x86
	bochs bochsbios vgabios isolinux syslinux-common xorriso
	shellcheck
)

# What the scripts call, with the package that provides it. The preflight
# checks this list independently of PKGS, so a package dropped from PKGS
# (or an install that silently did nothing) is named here, not discovered
# as "command not found" halfway through a run. A path checks a file.
NEEDS=(
	make:make gcc:gcc ld:binutils nm:binutils objdump:binutils
	bc:bc bison:bison flex:flex perl:perl pahole:dwarves
	/usr/include/gelf.h:libelf-dev /usr/include/openssl/ssl.h:libssl-dev
	cpio:cpio gzip:gzip xz:xz-utils tar:tar rsync:rsync
	depmod:kmod python3:python3 sparse:sparse clang:clang
	sha256sum:coreutils realpath:coreutils od:coreutils md5sum:coreutils
	awk:mawk sed:sed grep:grep find:findutils cmp:diffutils diff:diffutils
	dpkg-query:dpkg apt-get:apt
	/usr/src/linux-source-6.1.tar.xz:linux-source-6.1
	/bin/busybox:busybox-static
	qemu-system-x86_64:qemu-system-x86
	bochs-bin:bochs /usr/share/bochs/BIOS-bochs-latest:bochsbios
	/usr/share/bochs/VGABIOS-lgpl-latest:vgabios
	/usr/lib/ISOLINUX/isolinux.bin:isolinux
	/usr/lib/syslinux/modules/bios/ldlinux.c32:syslinux-common
	xorriso:xorriso shellcheck:shellcheck
)

# preflight: name every missing program or file and its package.
preflight() {
	local item what pkg bad=0
	for item in "${NEEDS[@]}"; do
		what=${item%%:*} pkg=${item##*:}
		case $what in
		/*) [ -e "$what" ] && continue ;;
		*) command -v "$what" >/dev/null 2>&1 && continue ;;
		esac
		printf 'rig: error: missing %s (Debian package %s); tools/rig/deps.sh must install it\n' \
			"$what" "$pkg" >&2
		bad=1
	done
	# The fuzzer's runtime has a versioned path; ask clang for it.
	if command -v clang >/dev/null 2>&1 &&
		! [ -e "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] &&
		! [ -e "$(clang -print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-x86_64.a" ]; then
		echo "rig: error: missing libFuzzer's runtime (Debian package libclang-rt-14-dev)" >&2
		bad=1
	fi
	return $bad
}

if [ "${1:-}" = --check ]; then
	preflight
	exit
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "rig: installing ${missing[*]}" >&2
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
preflight
