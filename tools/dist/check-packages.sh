#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build and check the Debian packages and make install, from the committed
# HEAD (what is not committed is not checked).
#
#   check-packages.sh [OUTDIR]     (default .out/packages)
#
# 1. Clones HEAD into a temporary directory and runs dpkg-buildpackage
#    -us -uc -b there; the build must leave the clone's tree clean.
# 2. lintian on the .changes: any E: fails.
# 3. Lists the packages' files; checks that rampart-dkms ships no rig,
#    tests or tools.
# 4. From the rampart package: systemd-analyze verify of the unit (its
#    rampartctl and man page in place), sh -n and shellcheck of the
#    initramfs scripts,
#    init-top/rampart ordered before init-top/udev as mkinitramfs orders
#    them, the shipped policy without rules and its example rules valid.
# 5. make install DESTDIR=... (module for Debian's stock headers, tools),
#    then make uninstall: nothing may be left.
# Installs what it needs with apt when missing. Prints the .deb paths,
# copied to OUTDIR.
set -euo pipefail
. "$(dirname "$0")/../rig/common.sh"
out=$(realpath -m "${1:-$OUTDIR/packages}")
log() { printf 'packages: %s\n' "$*" >&2; }
die() { printf 'packages: error: %s\n' "$*" >&2; exit 1; }

# What this script calls, as program-or-file:package (tools/rig/deps.sh's
# form); apt installs the packages of the missing ones.
NEEDS=(
	git:git dpkg-buildpackage:dpkg-dev dh:debhelper dh_dkms:dh-dkms
	/usr/share/perl5/Debian/Debhelper/Sequence/dkms.pm:dh-dkms
	lintian:lintian gcc:gcc make:make systemd-analyze:systemd man:man-db
	/usr/share/initramfs-tools/hook-functions:initramfs-tools-core
	/usr/share/initramfs-tools/scripts/init-top/udev:udev
	tsort:coreutils depmod:kmod shellcheck:shellcheck
	/usr/share/doc/build-essential:build-essential
)
need_pkgs() {
	local item what pkg missing=()
	for item in "$@"; do
		what=${item%%:*} pkg=${item##*:}
		case $what in
		/*) [ -e "$what" ] && continue ;;
		*) command -v "$what" >/dev/null 2>&1 && continue ;;
		esac
		missing+=("$pkg")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	log "installing ${missing[*]}"
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ $SUDO apt-get update -qq &&
			$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}
need_pkgs "${NEEDS[@]}"
hdr=$(stock_headers 2>/dev/null || true)
if [ -z "$hdr" ] || ! [ -d "/usr/src/$hdr" ]; then
	need_pkgs /usr/share/doc/linux-headers-amd64:linux-headers-amd64
	hdr=$(stock_headers)
fi
kdir=/usr/src/$hdr
[ -e "$kdir/include/generated/utsrelease.h" ] || die "no kernel headers in $kdir"

rev=$(git -C "$TOP" rev-parse --verify HEAD)
tmp=$(mktemp -d /var/tmp/rampart-packages.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
src=$tmp/rampart
git clone -q --no-checkout "$TOP" "$src"
git -C "$src" checkout -q --detach "$rev"
log "HEAD $(git -C "$src" log -1 --format='%h %s' | cut -c1-60)"

# 1. Build.
log "dpkg-buildpackage -us -uc -b"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 ||
	{ tail -30 "$tmp/build.log" >&2; die "dpkg-buildpackage failed"; }
dirty=$(git -C "$src" status --porcelain --untracked-files=all)
[ -z "$dirty" ] || die "the build left the tree dirty: $dirty"
changes=$(echo "$tmp"/rampart_*.changes)
[ -f "$changes" ] || die "no .changes"
debs=("$tmp"/*.deb)

# 2. lintian.
lintian --pedantic -I "$changes" >"$tmp/lintian.log" 2>&1 || true
grep -v 'running with root privileges' "$tmp/lintian.log" >&2 || true
for t in E W I P; do
	printf '%s: %s  ' "$t" "$(grep -c "^$t: " "$tmp/lintian.log" || true)"
done >&2
echo >&2
! grep -q '^E: ' "$tmp/lintian.log" || die "lintian reports errors"

# 3. Contents.
# rampart-dkms: its directories and how many files each; rampart: every file.
files=$(dpkg-deb -c "$(echo "$tmp"/rampart-dkms_*_all.deb)" | awk '{print $6}')
log "contents of rampart-dkms (files per directory)"
grep -v '/$' <<<"$files" | sed 's|/[^/]*$||' | sort | uniq -c | sed 's/^ */  /' >&2
log "contents of rampart"
dpkg-deb -c "$(echo "$tmp"/rampart_*_amd64.deb)" | awk '$6 !~ /\/$/ {print "  " $6}' >&2
if grep -E '/usr/src/[^/]+/(tools|kunit|\.ci)/' <<<"$files"; then
	die "rampart-dkms ships more than the module's source"
fi
grep -q '/usr/src/rampart-[^/]*/dkms.conf$' <<<"$files" || die "rampart-dkms has no dkms.conf"

# 4. The rampart package's boot files, as shipped.
root=$tmp/root
dpkg-deb -x "$(echo "$tmp"/rampart_*_amd64.deb)" "$root"
log "systemd-analyze verify rampart.service"
v=$(cd "$tmp" && MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" rampart.service 2>&1) ||
	die "systemd-analyze verify: $v"
[ -z "$v" ] || die "systemd-analyze verify: $v"
for s in hooks/rampart scripts/init-top/rampart; do
	sh -n "$root/usr/share/initramfs-tools/$s" || die "$s: syntax"
	shellcheck -S warning "$root/usr/share/initramfs-tools/$s" || die "$s: shellcheck"
	[ -x "$root/usr/share/initramfs-tools/$s" ] || die "$s: not executable"
done
# The init-top order mkinitramfs caches (hook-functions' cache_run_scripts,
# which takes scripts from CONFDIR before /usr/share/initramfs-tools).
ord=$tmp/order
mkdir -p "$ord/conf/scripts/init-top" "$ord/img/scripts/init-top"
cp -p /usr/share/initramfs-tools/scripts/init-top/* "$ord/img/scripts/init-top/" 2>/dev/null || true
for d in conf img; do
	cp -p "$root/usr/share/initramfs-tools/scripts/init-top/rampart" "$ord/$d/scripts/init-top/"
done
# shellcheck disable=SC1091,SC2034 # hook-functions is initramfs-tools'
(set +u; CONFDIR=$ord/conf verbose=n && . /usr/share/initramfs-tools/hook-functions &&
	cache_run_scripts "$ord/img" /scripts/init-top)
order=$(sed -n 's|^/scripts/init-top/\([^ ]*\) .*|\1|p' "$ord/img/scripts/init-top/ORDER" | tr '\n' ' ')
log "init-top order: $order"
r=$(grep -n '^/scripts/init-top/rampart ' "$ord/img/scripts/init-top/ORDER" | cut -d: -f1)
u=$(grep -n '^/scripts/init-top/udev ' "$ord/img/scripts/init-top/ORDER" | cut -d: -f1)
[ -n "$r" ] || die "init-top/rampart is not in the ORDER"
[ -n "$u" ] || die "no init-top/udev to order against (udev not installed?)"
[ "$r" -lt "$u" ] || die "init-top/rampart does not run before init-top/udev"
ctl=$root/usr/sbin/rampartctl
n=$("$ctl" policy check "$root/etc/rampart/policy" | sed -n 's/^# rampart policy: \([0-9]*\) rules.*/\1/p')
[ "$n" = 0 ] || die "the shipped policy has rules ($n)"
sed -n 's/^# \(\(cr[04]\|msr\|range\|phys\|vmx\)\.\)/\1/p' "$root/etc/rampart/policy" >"$tmp/examples"
"$ctl" policy check "$tmp/examples" >"$tmp/examples.out" ||
	die "the policy file's example rules: $(cat "$tmp/examples.out")"
log "policy: no rules; $(wc -l <"$tmp/examples") example rules valid"

# 5. make install and uninstall into a DESTDIR.
dest=$tmp/dest
log "make install DESTDIR=... KDIR=$kdir"
make -C "$src" -j"$JOBS" install DESTDIR="$dest" KDIR="$kdir" >"$tmp/install.log" 2>&1 ||
	{ tail -30 "$tmp/install.log" >&2; die "make install failed"; }
(cd "$dest" && find . -not -type d | sort | sed 's|^\.|  |') >&2
make -C "$src" uninstall DESTDIR="$dest" KDIR="$kdir" >"$tmp/uninstall.log" 2>&1 ||
	{ tail -30 "$tmp/uninstall.log" >&2; die "make uninstall failed"; }
left=$(cd "$dest" && find . -not -type d)
[ -z "$left" ] || die "make uninstall left: $left"
log "make uninstall removed everything"

mkdir -p "$out"
for d in "${debs[@]}"; do
	cp "$d" "$out/"
	echo "$out/${d##*/}"
done
