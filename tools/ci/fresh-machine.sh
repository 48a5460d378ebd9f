#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The fresh-machine check: run the README's two commands, exactly as the
# README writes them, on a minimal Debian 12 that has never seen Rampart.
#
#   fresh-machine.sh [--rev REV] [--only demo|test|none] [--keep]
#
# 1. A debootstrap --variant=minbase bookworm base, from the Debian mirror
#    this machine's apt already uses, cached outside the repo
#    ($RAMPART_CACHE/fresh-base-*). Each run starts from a clean copy.
# 2. A clone of the committed REV (default HEAD) into that root: what is
#    not committed is not checked.
# 3. In a chroot with /proc, /sys and /dev mounted, the commands from the
#    first code block of the README; nothing is installed by hand.
# Prints each command's exit code, the test summary line and the wall time;
# exits 0 only if both commands exit 0 and the tests end "N passed, 0 failed".
# --only runs one of the two commands (none: only builds the root); --keep
# keeps the root for a look.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${RAMPART_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart}
rev=HEAD only='' keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--rev) rev=$2; shift ;;
	--only) only=$2; shift ;;	# demo, test, or none (just the root)
	--keep) keep=1 ;;
	*) echo "usage: $0 [--rev REV] [--only demo|test|none] [--keep]" >&2; exit 2 ;;
	esac
	shift
done
log() { printf 'fresh: %s\n' "$*" >&2; }
die() { printf 'fresh: error: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"

# One commit for the whole run, even if HEAD moves meanwhile.
rev=$(git -C "$TOP" rev-parse --verify "$rev^{commit}") || die "no commit $rev"

# The README's commands: the lines of its first ```sh block, comments cut.
mapfile -t cmds < <(git -C "$TOP" show "$rev:README.md" |
	awk '/^```sh/ {f = 1; next} f && /^```/ {exit} f' |
	sed 's/[[:space:]]*#.*$//' | grep -v '^[[:space:]]*$')
[ ${#cmds[@]} -eq 2 ] || die "README's first sh block should hold 2 commands, has ${#cmds[@]}"

for p in debootstrap git; do
	command -v $p >/dev/null || {
		log "installing $p"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $p >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $p >/dev/null; }
	}
done

# The mirror apt already uses for bookworm (deb822 or one-line sources).
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || die "cannot find the Debian mirror in apt's sources"

base="$CACHE/fresh-base-bookworm-minbase"
if [ ! -f "$base/.rampart-done" ]; then
	log "debootstrap --variant=minbase bookworm from $mirror (once; cached in $base)"
	rm -rf "$base"
	mkdir -p "$base"
	debootstrap --variant=minbase bookworm "$base" "$mirror" >"$CACHE/fresh-debootstrap.log" 2>&1 ||
		{ tail -20 "$CACHE/fresh-debootstrap.log"; die "debootstrap failed"; }
	touch "$base/.rampart-done"
fi

root=$(mktemp -d /var/tmp/rampart-fresh.XXXXXX)
mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${mounts[i]}" 2>/dev/null || true
	done
	if [ $keep -eq 0 ]; then rm -rf --one-file-system "$root"; else log "kept $root"; fi
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp -a "$base/." "$root/"
rm -f "$root/.rampart-done"

# apt as this machine has it: the same Debian sources (suites, security)
# and settings, nothing else of the host.
cp /etc/resolv.conf "$root/etc/resolv.conf"
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && grep -q '^URIs: .*debian' "$f" && cp "$f" "$root/etc/apt/sources.list.d/"
done
[ -n "$(ls "$root"/etc/apt/sources.list.d/*.sources 2>/dev/null)" ] && : >"$root/etc/apt/sources.list"
cp /etc/apt/apt.conf.d/99* "$root/etc/apt/apt.conf.d/" 2>/dev/null || true

for m in proc sys dev dev/pts; do
	mkdir -p "$root/$m"
	case $m in
	proc) mount -t proc proc "$root/proc" ;;
	sys) mount -t sysfs sysfs "$root/sys" ;;
	*) mount --bind "/$m" "$root/$m" ;;
	esac
	mounts+=("$root/$m")
done

git clone -q "$TOP" "$root/root/rampart"
git -C "$root/root/rampart" checkout -q "$rev"
log "checking $(git -C "$TOP" log -1 --format='%h %s' "$rev") in $root"

# run NAME CMD: one README command in the chroot, as a new user would.
declare -A rcs secs
run() {
	local name=$1 cmd=$2 t0=$SECONDS rc=0
	log "[$name] $cmd"
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /root/rampart && $cmd" 2>&1 | tee "$root/root/$name.out" ||
		rc=${PIPESTATUS[0]}
	rcs[$name]=$rc secs[$name]=$((SECONDS - t0))
}
t0=$SECONDS
case $only in '' | demo) run demo "${cmds[0]}" ;; esac
case $only in '' | test) run test "${cmds[1]}" ;; esac

echo "== fresh-machine check of $(git -C "$TOP" rev-parse --short "$rev")"
ok=1
for n in demo test; do
	[ -n "${rcs[$n]:-}" ] || continue
	echo "$n: exit ${rcs[$n]} after ${secs[$n]}s"
	[ "${rcs[$n]}" -eq 0 ] || ok=0
done
if [ -n "${rcs[test]:-}" ]; then
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$root/root/test.out" | tail -1 || true)
	echo "test summary: ${summary:-none}"
	[[ $summary =~ ^[0-9]+\ passed,\ 0\ failed ]] || ok=0
fi
echo "wall time: $((SECONDS - t0))s"
[ $ok -eq 1 ] && echo "fresh-machine check: passed" || echo "fresh-machine check: FAILED"
[ $ok -eq 1 ]
