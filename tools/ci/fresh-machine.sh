#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The fresh-machine check: run the README's two commands, exactly as the
# README writes them, on a minimal Debian 12 that has never seen Rampart.
#
#   fresh-machine.sh [--rev REV] [--only demo|test|none] [--keep]
#
# 1. A debootstrap --variant=minbase bookworm base, from the Debian mirror
#    this machine's apt already uses, cached outside the repo
#    ($RAMPART_CACHE/fresh-base-*). Each run starts from a clean copy
#    (tools/rig/debroot.sh, shared with the packaged boot test).
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

# shellcheck source=../rig/common.sh
. "$TOP/tools/rig/common.sh"
# shellcheck source=../rig/debroot.sh
. "$TOP/tools/rig/debroot.sh"
root=$(mktemp -d /var/tmp/rampart-fresh.XXXXXX)
cleanup() {
	debroot_cleanup
	if [ $keep -eq 0 ]; then rm -rf --one-file-system "$root"; else log "kept $root"; fi
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
debroot_new "$root"

git clone -q "$TOP" "$root/root/rampart"
git -C "$root/root/rampart" checkout -q "$rev"
log "checking $(git -C "$TOP" log -1 --format='%h %s' "$rev") in $root"

# run NAME CMD: one README command in the chroot, as a new user would.
declare -A rcs secs
run() {
	local name=$1 cmd=$2 t0=$SECONDS rc=0
	log "[$name] $cmd"
	debroot_run "$root" "cd /root/rampart && $cmd" 2>&1 | tee "$root/root/$name.out" ||
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
