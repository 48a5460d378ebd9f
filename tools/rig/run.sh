#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Developer loop: build against one kernel, boot one machine with the
# given scenarios and judge the log; no build gates.
#   run.sh [--vm qemu|bochs] [--cpus N] [--ips N] [--append ARGS]
#          [--timeout SEC] [--kernel test|stock61|stock612] [--log NAME]
#          SCENARIO[,...]
# --kernel: the rig's test kernel (default) or Debian's stock 6.1 or 6.12
# image, with the module built against its headers.
# --log NAME: the serial log is .out/NAME.log (default run), so runs with
# different names can go side by side.
set -euo pipefail
. "$(dirname "$0")/common.sh"
vm=bochs cpus=2 timeout=900 extra=() kernel=test name=run
while [ $# -gt 1 ]; do
	case "$1" in
	--kernel) kernel=$2; shift ;;
	--log) name=$2; shift ;;
	--ips) extra+=(--ips "$2"); shift ;;
	--append) extra+=(--append "$2"); shift ;;
	--vm) vm=$2; shift ;;
	--cpus) cpus=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) break ;;
	esac
	shift
done
scen=$1
case $name in
'' | */* | .*) rig_die "run.sh: --log takes a plain name" ;;
esac
log=$OUTDIR/$name.log
"$RIG_DIR/deps.sh" >&2 || rig_die "cannot install dependencies"
KSRC=$("$RIG_DIR/prepare.sh")
case $kernel in
test) ;;
stock61 | stock612)
	if [ "$kernel" = stock61 ]; then
		kdir=/usr/src/$(stock_headers)
		img=$("$RIG_DIR/stock-kernel.sh")
	else
		kdir=$("$RIG_DIR/stock612.sh" kdir)
		img=$("$RIG_DIR/stock612.sh" vmlinuz)
		# One package, as test.sh boots it (6.12 warns at boot otherwise).
		extra+=(--cores)
	fi
	"$RIG_DIR/build-module.sh" "$kdir" "run-$kernel" >&2
	"$RIG_DIR/initramfs.sh" "$OUTDIR/run-$kernel" "$OUTDIR/selftests" \
		"$OUTDIR/initramfs-run-$kernel.cpio" >&2
	extra+=(--kernel "$img" --initrd "$OUTDIR/initramfs-run-$kernel.cpio")
	;;
*) rig_die "run.sh: --kernel test, stock61 or stock612" ;;
esac
rc=0
"$RIG_DIR/boot.sh" --vm "$vm" --cpus "$cpus" --timeout "$timeout" --scenarios "$scen" \
	--log "$log" "${extra[@]}" || rc=$?
"$RIG_DIR/check-log.py" "$log" --name "$vm-${cpus}cpu-$kernel" \
	--scenarios "$scen" --ksrc "$KSRC" || rc=1
exit $rc
