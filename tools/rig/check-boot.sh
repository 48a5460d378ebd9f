#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The packaged boot test: Rampart as a Debian 12 user installs it, loaded
# and sealed from the initramfs of Debian's own stock kernels.
#
#   check-boot.sh [--debs DIR] [--kernels 61,612] [--keep]
#
# 1. A fresh Debian 12 root (tools/rig/debroot.sh, the fresh-machine
#    check's cached debootstrap base).
# 2. In it, the Debian packages, built from the committed HEAD by
#    tools/dist/check-packages.sh (which installs the build dependencies,
#    and runs lintian and systemd-analyze verify), unless --debs names a
#    directory with them. Then Debian's 6.1 and 6.12 kernel images and
#    headers, dkms and initramfs-tools from apt, and the two packages:
#    DKMS builds rampart.ko for both kernels there.
# 3. The rig's settings in that root: /etc/rampart/rampart.conf with
#    seal = yes and a policy that differs from the default; kvm_intel in
#    /etc/initramfs-tools/modules; MODULES=list (a small initramfs). Then
#    Debian's update-initramfs builds each kernel's initramfs, and the
#    init-top order is read back from it (rampart before udev). The
#    first kernel gets a second initramfs whose policy file is broken.
#    Rig-only initramfs scripts (tools/rig/boot/): boot=rigroot mounts a
#    tmpfs as the root, and an init-bottom probe prints what is in force.
# 4. Each kernel boots in Bochs with its initramfs, and the first kernel
#    once more with the broken policy (fail closed: the default policy
#    stays in force, sealed); the judge wants every probe line "ok" and
#    the real root's init to see Rampart sealed.
# Cached apt downloads: $CACHE/boot-apt. Logs: $OUTDIR/boot-*.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$RIG_DIR/debroot.sh"

debs='' kernels=61,612 keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--debs) debs=$(realpath "$2"); shift ;;
	--kernels) kernels=$2; shift ;;
	--keep) keep=1 ;;
	*) rig_die "usage: $0 [--debs DIR] [--kernels 61,612] [--keep]" ;;
	esac
	shift
done
[ "$(id -u)" -eq 0 ] || rig_die "check-boot.sh needs root (debootstrap, chroot, mounts)"
"$RIG_DIR/deps.sh" >/dev/null

# The kernels: the ABIs the rig's stock builds use.
declare -A kver
kver[61]=$(stock_headers)
kver[61]=${kver[61]#linux-headers-}
kver[612]=$("$RIG_DIR/stock612.sh" kdir)
kver[612]=$(basename "${kver[612]}")
kver[612]=${kver[612]#linux-headers-}
IFS=, read -r -a want <<<"$kernels"
pkgs=(dkms initramfs-tools busybox kmod)
for k in "${want[@]}"; do
	[ -n "${kver[$k]:-}" ] || rig_die "no kernel '$k' (say 61 and/or 612)"
	pkgs+=("linux-image-${kver[$k]}" "linux-headers-${kver[$k]}")
done

mkdir -p "$OUTDIR"
root=$(mktemp -d /var/tmp/rampart-boot.XXXXXX)
cleanup() {
	debroot_cleanup
	if [ $keep -eq 0 ]; then rm -rf --one-file-system "$root"; else rig_log "kept $root"; fi
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
debroot_new "$root"
mkdir -p "$CACHE/boot-apt"
debroot_mount "$root/var/cache/apt/archives" "$CACHE/boot-apt"

in_root() { debroot_run "$root" "export DEBIAN_FRONTEND=noninteractive; $*"; }

# The packages, built in the fresh root itself from the committed HEAD:
# check-packages.sh installs its own build dependencies there.
if [ -z "$debs" ]; then
	rev=$(git -C "$TOP" rev-parse --verify HEAD)
	git clone -q --no-checkout "$TOP" "$root/root/rampart"
	git -C "$root/root/rampart" checkout -q --detach "$rev"
	rig_log "building and checking the packages of $(git -C "$TOP" rev-parse --short HEAD) in the root"
	in_root "apt-get update -qq && cd /root/rampart && tools/dist/check-packages.sh /root/debs" \
		>"$OUTDIR/check-packages.log" 2>&1 ||
		{ tail -30 "$OUTDIR/check-packages.log"; rig_die "the packages did not build or check"; }
	debs="$OUTDIR/packages"
	rm -rf "$debs" && mkdir -p "$debs"
	cp "$root"/root/debs/*.deb "$debs/"
fi
ls "$debs"/rampart-dkms_*_all.deb "$debs"/rampart_*_amd64.deb >/dev/null 2>&1 ||
	rig_die "no rampart-dkms and rampart packages in $debs"

# Before the kernels come: a small initramfs, with kvm_intel in it.
mkdir -p "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/scripts/init-bottom"
echo MODULES=list >"$root/etc/initramfs-tools/conf.d/rig"
echo kvm_intel >>"$root/etc/initramfs-tools/modules"

rig_log "apt: ${pkgs[*]}"
in_root "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${pkgs[*]}" \
	>"$OUTDIR/boot-apt.log" 2>&1 || { tail -30 "$OUTDIR/boot-apt.log"; rig_die "apt failed in the root"; }
mkdir -p "$root/tmp/debs"
cp "$debs"/rampart-dkms_*_all.deb "$debs"/rampart_*_amd64.deb "$root/tmp/debs/"
rig_log "apt: the two packages (DKMS builds the module)"
in_root "apt-get install -y -q /tmp/debs/*.deb" >"$OUTDIR/boot-install.log" 2>&1 ||
	{ tail -40 "$OUTDIR/boot-install.log"; rig_die "the packages did not install"; }

fail=0
pass=0
# verdict RC DESC: one host-side result.
verdict() {
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
		pass=$((pass + 1))
	else
		echo "not ok - $2"
		fail=$((fail + 1))
	fi
}
# check DESC CMD...: CMD's exit status is the result (set -e kept out).
check() {
	local desc=$1 rc=0
	shift
	"$@" || rc=$?
	verdict $rc "$desc"
}
# before A B LIST: A comes before B in the space-separated LIST.
before() {
	local w seen=1
	for w in $3; do
		[ "$w" = "$1" ] && seen=0
		[ "$w" = "$2" ] && return $seen
	done
	return 1
}
in_root "dkms status" >"$OUTDIR/boot-dkms.txt" 2>&1 || true
sed 's/^/# /' "$OUTDIR/boot-dkms.txt"
for k in "${want[@]}"; do
	check "DKMS built and installed rampart.ko for ${kver[$k]}" \
		grep -q "^rampart/.*, ${kver[$k]}, x86_64: installed" "$OUTDIR/boot-dkms.txt"
done

# The rig's configuration, as an administrator would write it.
cat >"$root/etc/rampart/rampart.conf" <<-'EOF'
	# rig: tools/rig/check-boot.sh
	policy = /etc/rampart/policy
	seal = yes
EOF
cat >"$root/etc/rampart/policy" <<-'EOF'
	# rig: tools/rig/check-boot.sh; msr.tsc_aux marks it as not the default
	cr0.pe,wp,pg        lock deny gp
	cr4.smep,smap       lock deny gp
	msr.lstar           lock deny gp
	msr.star            lock deny gp
	msr.tsc_aux         lock deny ignore
	range.rodata        ro   deny
	vmx.nested          lock allow
EOF
cp "$RIG_DIR/boot/rigroot" "$RIG_DIR/boot/rigroot-init" "$root/etc/initramfs-tools/scripts/"
cp "$RIG_DIR/boot/rigprobe" "$root/etc/initramfs-tools/scripts/init-bottom/"
rig_log "update-initramfs -u -k all"
in_root "update-initramfs -u -k all" >"$OUTDIR/boot-initramfs.log" 2>&1 ||
	{ tail -30 "$OUTDIR/boot-initramfs.log"; rig_die "update-initramfs failed"; }

# boot_run NAME KERNEL-KEY: boot $OUTDIR/boot-NAME.initrd with that
# kernel in Bochs, in the background; the probe's expectation comes from
# the command line (rigexpect=).
pids=() runs=()
boot_run() {
	local name=$1 k=$2 expect=$3 cores=()
	# 6.12 wants the CPUs as cores of one package (test.sh, S12).
	[ "$k" = 612 ] && cores=(--cores)
	"$RIG_DIR/boot.sh" --vm bochs --cpus 2 "${cores[@]}" --timeout 1800 --scenarios packaged \
		--kernel "$OUTDIR/boot-$k.vmlinuz" --initrd "$OUTDIR/boot-$name.initrd" \
		--append "boot=rigroot rigexpect=$expect cryptomgr.notests" \
		--log "$OUTDIR/boot-$name.log" &
	pids+=($!)
	runs+=("$name:$k:$expect")
}

for k in "${want[@]}"; do
	v=${kver[$k]}
	# What Debian's tool put in: the hook's files, and the init-top order.
	in_root "lsinitramfs /boot/initrd.img-$v" >"$OUTDIR/boot-$k.files" 2>&1 || true
	for f in usr/sbin/rampartctl etc/rampart/rampart.conf etc/rampart/policy \
		etc/modprobe.d/rampart.conf scripts/init-top/rampart; do
		check "$v initramfs holds $f" grep -qx "$f" "$OUTDIR/boot-$k.files"
	done
	check "$v initramfs holds rampart.ko" grep -q '/rampart\.ko' "$OUTDIR/boot-$k.files"
	order=$(in_root "d=\$(mktemp -d) && cd \$d && unmkinitramfs /boot/initrd.img-$v . &&
		cat \$(find . -path '*scripts/init-top/ORDER' | head -1); rm -rf \$d" 2>/dev/null |
		sed -n 's#^/scripts/init-top/\([^ ]*\) .*#\1#p' | tr '\n' ' ')
	echo "# $v init-top order: $order"
	check "$v init-top runs rampart before udev" before rampart udev "$order"
	cp "$root/boot/vmlinuz-$v" "$OUTDIR/boot-$k.vmlinuz"
	cp "$root/boot/initrd.img-$v" "$OUTDIR/boot-$k.initrd"
done
# Fail closed: the first kernel again, its policy file broken on line 3
# and seal = yes. The default must stay in force, sealed, and boot must say
# which line failed.
k=${want[0]}
sed -i '3s/.*/cr4.smep,smap       lock deny sometimes/' "$root/etc/rampart/policy"
in_root "update-initramfs -u -k ${kver[$k]}" >>"$OUTDIR/boot-initramfs.log" 2>&1 ||
	{ tail -30 "$OUTDIR/boot-initramfs.log"; rig_die "update-initramfs (broken policy) failed"; }
cp "$root/boot/initrd.img-${kver[$k]}" "$OUTDIR/boot-${k}broken.initrd"
for k in "${want[@]}"; do
	boot_run "$k" "$k" configured
done
boot_run "${want[0]}broken" "${want[0]}" broken

i=0
for r in "${runs[@]}"; do
	IFS=: read -r name k expect <<<"$r"
	rc=0
	wait "${pids[i]}" || rc=$?
	i=$((i + 1))
	v="${kver[$k]} ($expect policy)"
	log="$OUTDIR/boot-$name.log"
	verdict $rc "$v booted in Bochs to the real root's init (boot.sh exit $rc)"
	grep -a '^rigprobe: ' "$log" | tr -d '\r' | sed "s/^rigprobe: /# $name: /"
	n=$(grep -ac '^rigprobe: ok ' "$log" || true)
	bad=$(grep -ac '^rigprobe: not ok ' "$log" || true)
	check "$v: the init-bottom probe's checks all passed ($n ok, $bad not ok)" \
		test "$n" -eq 9 -a "$bad" -eq 0
	check "$v: rampartctl --json status in the initramfs parses as JSON" \
		python3 -c 'import json, sys
for l in open(sys.argv[1], errors="replace"):
	if l.startswith("rigprobe: json "):
		assert isinstance(json.loads(l[15:]), dict)
		sys.exit(0)
sys.exit(1)' "$log"
	check "$v: the real root's init sees Rampart launched and sealed" \
		grep -aq '^rigprobe: real root: .*state launched, sealed 1' "$log"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
