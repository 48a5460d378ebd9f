# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# A throw-away Debian 12 root for checks that need a machine that has never
# seen Rampart (the fresh-machine check, the packaged boot test). Sourced
# after common.sh, not executed; needs root.
#
#   debroot_new DIR      a copy of the cached debootstrap base in DIR, with
#                        this machine's Debian apt sources and /proc, /sys,
#                        /dev mounted; debroot_cleanup undoes the mounts
#   debroot_run DIR CMD  CMD in bash in the chroot, with a clean environment
#
# The base is `debootstrap --variant=minbase bookworm` from the mirror this
# machine's apt already uses, made once and cached in
# $CACHE/fresh-base-bookworm-minbase.

DEBROOT_MOUNTS=()

# debroot_mirror: the Debian mirror apt uses (deb822 or one-line sources).
debroot_mirror() {
	local m
	m=$(sed -n 's/^URIs: *\(http[^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$m" ] || rig_die "cannot find the Debian mirror in apt's sources"
	echo "$m"
}

# debroot_base: print the cached base's path, making it first if needed.
debroot_base() {
	local base="$CACHE/fresh-base-bookworm-minbase" mirror p
	if [ ! -f "$base/.rampart-done" ]; then
		for p in debootstrap git; do
			command -v $p >/dev/null || {
				rig_log "installing $p"
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $p >/dev/null ||
					{ apt-get update -qq &&
						DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $p >/dev/null; }
			}
		done
		mirror=$(debroot_mirror)
		rig_log "debootstrap --variant=minbase bookworm from $mirror (once; cached in $base)"
		rm -rf "$base"
		mkdir -p "$base"
		debootstrap --variant=minbase bookworm "$base" "$mirror" >"$CACHE/fresh-debootstrap.log" 2>&1 ||
			{ tail -20 "$CACHE/fresh-debootstrap.log" >&2; rig_die "debootstrap failed"; }
		touch "$base/.rampart-done"
	fi
	echo "$base"
}

# debroot_mount DIR/SUB SRC: bind SRC (or proc/sysfs) there, undone later.
debroot_mount() {
	local at=$1 src=$2
	mkdir -p "$at"
	case $src in
	proc) mount -t proc proc "$at" ;;
	sysfs) mount -t sysfs sysfs "$at" ;;
	*) mount --bind "$src" "$at" ;;
	esac
	DEBROOT_MOUNTS+=("$at")
}

# debroot_new DIR: fill the empty DIR with a fresh root (see above).
debroot_new() {
	local root=$1 base f
	base=$(debroot_base)
	cp -a "$base/." "$root/"
	rm -f "$root/.rampart-done"
	# apt as this machine has it: the same Debian sources (suites,
	# security) and settings, nothing else of the host.
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && grep -q '^URIs: .*debian' "$f" && cp "$f" "$root/etc/apt/sources.list.d/"
	done
	[ -n "$(ls "$root"/etc/apt/sources.list.d/*.sources 2>/dev/null)" ] && : >"$root/etc/apt/sources.list"
	cp /etc/apt/apt.conf.d/99* "$root/etc/apt/apt.conf.d/" 2>/dev/null || true
	debroot_mount "$root/proc" proc
	debroot_mount "$root/sys" sysfs
	debroot_mount "$root/dev" /dev
	debroot_mount "$root/dev/pts" /dev/pts
}

# debroot_cleanup: undo every mount, innermost first.
debroot_cleanup() {
	local i
	for ((i = ${#DEBROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -l "${DEBROOT_MOUNTS[i]}" 2>/dev/null || true
	done
	DEBROOT_MOUNTS=()
}

# debroot_run DIR CMD: CMD in the chroot, as a new user's shell would run it.
debroot_run() {
	local root=$1
	shift
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "$*"
}
