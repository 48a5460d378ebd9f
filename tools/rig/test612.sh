#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Every Bochs scenario on Debian's stock 6.12 kernel (make check-612). CI
# runs a share of them each day (test.sh); this runs them all:
#   A  the test kernel's main machine set, plus kvmfirst, then poweroff;
#   W  the workload with CPU offline/online (WORKLOAD_SECS, default 20);
#   C  sealcpus, booted with maxcpus=1;
#   M  sealmadt, booted with nr_cpus=1.
# KUnit and novmx stay on the QEMU machine of test.sh: they need no VMX.
# Ends with "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
. "$(dirname "$0")/common.sh"
. "$RIG_DIR/suite.sh"
t0=$SECONDS

"$RIG_DIR/deps.sh" || rig_die "cannot install dependencies"
KSRC=$("$RIG_DIR/kernel.sh") || rig_die "cannot build the test kernel"
K612=$("$RIG_DIR/stock612.sh" kdir) || rig_die "cannot fetch Debian's 6.12 headers"
VMLINUZ=$("$RIG_DIR/stock612.sh" vmlinuz) || rig_die "cannot fetch Debian's 6.12 kernel"
KVM=$("$RIG_DIR/stock612.sh" kvm) || rig_die "cannot unpack Debian's 6.12 kvm modules"
mkdir -p "$OUTDIR"

echo "== build: $(basename "$K612")"
gate "W=1, sparse, objtool (IBT), no warnings, root symbols" \
	"$RIG_DIR/build-module.sh" "$K612" stock612
gate "kselftests, guest helpers and rampartctl build (static)" \
	"$RIG_DIR/selftests.sh" "$KSRC" "$OUTDIR/selftests"
"$RIG_DIR/initramfs.sh" "$OUTDIR/stock612" "$OUTDIR/selftests" \
	"$OUTDIR/initramfs-stock612.cpio" "$KVM" || rig_die "cannot build the initramfs"

A=probe,idle,launch,hotpath,cycles,modcycles,selfprot,entryfail,selftests,text,watch,escapebare,vmxbare,vmxnested,kvmfirst,policy,weaken,escape,watchseal,poweroff
W=workload,poweroff
C=sealcpus,poweroff
M=sealmadt,poweroff
boot612() {
	local name=$1
	shift
	machine "$name" --vm bochs --cores --kernel "$VMLINUZ" \
		--initrd "$OUTDIR/initramfs-stock612.cpio" "$@"
}
rm -f "$OUTDIR"/612-*.wall
echo "== booting Debian's $(basename "$VMLINUZ") in Bochs broadwell_ult: ($A) ($W) ($C) ($M)"
boot612 612-A --cpus 2 --timeout 2400 --scenarios $A --append "cryptomgr.notests rampart_kvm=smoke" \
	--log "$OUTDIR/612-all.log" &
a=$!
boot612 612-W --cpus 2 --timeout 1500 --ips 10000000 --scenarios $W \
	--append "WORKLOAD_SECS=${WORKLOAD_SECS:-20} cryptomgr.notests" \
	--log "$OUTDIR/612-workload.log" &
w=$!
boot612 612-C --cpus 2 --timeout 1200 --scenarios $C \
	--append "maxcpus=1 cryptomgr.notests" --log "$OUTDIR/612-maxcpus.log" &
c=$!
boot612 612-M --cpus 2 --timeout 1200 --scenarios $M \
	--append "nr_cpus=1 cryptomgr.notests" --log "$OUTDIR/612-nrcpus.log" &
m=$!
wait $a $w $c $m
echo "== machine wall times: $(cat "$OUTDIR"/612-*.wall | tr '\n' ' ')"

sealed=(--after-end "rampart: policy sealed: every CPU stays under Rampart for power off"
	--after-end "reboot: Power down")
unsealed=(--after-end "rampart: every CPU devirtualized for power off"
	--after-end "reboot: Power down")
judge bochs-612-2cpu "$OUTDIR/612-all.log" $A "${sealed[@]}"
judge bochs-612-2cpu "$OUTDIR/612-workload.log" $W "${unsealed[@]}"
judge bochs-612-maxcpus "$OUTDIR/612-maxcpus.log" $C "${sealed[@]}"
judge bochs-612-nrcpus "$OUTDIR/612-nrcpus.log" $M "${unsealed[@]}"
echo "== serial logs: $OUTDIR/612-{all,workload,maxcpus,nrcpus}.log; took $((SECONDS - t0))s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
