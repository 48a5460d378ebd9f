#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# KVM under Rampart on every kernel the rig has (make check-nested): each
# kernel's own kvm_intel runs its guests bare, then as L2 under the sealed
# default policy (the kvm and kvmnested scenarios), in three Bochs machines:
#   T    the test kernel, the full KVM set (every selftest the initramfs
#        carries, kvmtest on every CPU), after rp_vmx's checks and attacks
#        (vmxbare, vmxnested);
#   D61  Debian's 6.1 with Debian's kvm_intel, the smoke set (a VM's life
#        costs seconds of guest time there);
#   D612 Debian's 6.12 with Debian's kvm_intel, the smoke set, after
#        kvmfirst (kvm_intel holding VMX keeps Rampart out).
# CI (test.sh) runs T's quick set on every run. Ends with "N passed, N
# failed"; exits non-zero if anything failed.
set -uo pipefail
. "$(dirname "$0")/common.sh"
. "$RIG_DIR/suite.sh"
t0=$SECONDS

"$RIG_DIR/deps.sh" || rig_die "cannot install dependencies"
KSRC=$("$RIG_DIR/kernel.sh") || rig_die "cannot build the test kernel"
K61=/usr/src/$(stock_headers)
V61=$("$RIG_DIR/stock-kernel.sh") || rig_die "cannot fetch Debian's 6.1 kernel"
K612=$("$RIG_DIR/stock612.sh" kdir) || rig_die "cannot fetch Debian's 6.12 headers"
V612=$("$RIG_DIR/stock612.sh" vmlinuz) || rig_die "cannot fetch Debian's 6.12 kernel"
mkdir -p "$OUTDIR"

echo "== build"
gate "test kernel: W=1, sparse, no warnings" "$RIG_DIR/build-module.sh" "$KSRC" test
gate "Debian 6.1: W=1, sparse, no warnings" "$RIG_DIR/build-module.sh" "$K61" stock
gate "Debian 6.12: W=1, sparse, objtool, no warnings" \
	"$RIG_DIR/build-module.sh" "$K612" stock612
gate "kselftests, guest helpers and rampartctl build (static)" \
	"$RIG_DIR/selftests.sh" "$KSRC" "$OUTDIR/selftests"
cp "$KSRC/arch/x86/boot/bzImage" "$OUTDIR/bzImage"
"$RIG_DIR/initramfs.sh" "$OUTDIR/test" "$OUTDIR/selftests" "$OUTDIR/initramfs.cpio" \
	"" "$("$RIG_DIR/kvm-modules.sh" test)" || rig_die "cannot build the initramfs"
"$RIG_DIR/initramfs.sh" "$OUTDIR/stock" "$OUTDIR/selftests" "$OUTDIR/initramfs-stock.cpio" \
	"" "$("$RIG_DIR/kvm-modules.sh" stock)" || rig_die "cannot build the 6.1 initramfs"
"$RIG_DIR/initramfs.sh" "$OUTDIR/stock612" "$OUTDIR/selftests" \
	"$OUTDIR/initramfs-stock612.cpio" "$("$RIG_DIR/stock612.sh" kvm)" ||
	rig_die "cannot build the 6.12 initramfs"

T=vmxbare,vmxnested,kvm,kvmnested,poweroff
D61=launch,kvm,kvmnested,poweroff
D612=launch,kvmfirst,kvm,kvmnested,poweroff
rm -f "$OUTDIR"/nested-*.wall
echo "== booting: test kernel ($T), Debian 6.1 ($D61), Debian 6.12 ($D612)"
machine nested-T --vm bochs --cpus 2 --timeout 2400 --scenarios $T \
	--append "rampart_kvm=full" --log "$OUTDIR/nested-test.log" &
t=$!
machine nested-D61 --vm bochs --cpus 2 --timeout 2400 --scenarios $D61 \
	--kernel "$V61" --initrd "$OUTDIR/initramfs-stock.cpio" \
	--append "cryptomgr.notests rampart_kvm=smoke" --log "$OUTDIR/nested-stock.log" &
d61=$!
machine nested-D612 --vm bochs --cpus 2 --cores --timeout 2400 --scenarios $D612 \
	--kernel "$V612" --initrd "$OUTDIR/initramfs-stock612.cpio" \
	--append "cryptomgr.notests rampart_kvm=smoke" --log "$OUTDIR/nested-stock612.log" &
d612=$!
wait $t $d61 $d612
echo "== machine wall times: $(cat "$OUTDIR"/nested-*.wall | tr '\n' ' ')"

sealed=(--after-end "rampart: policy sealed: every CPU stays under Rampart for power off"
	--after-end "reboot: Power down")
judge bochs-nested-test "$OUTDIR/nested-test.log" $T "${sealed[@]}"
judge bochs-nested-stock "$OUTDIR/nested-stock.log" $D61 "${sealed[@]}"
judge bochs-nested-stock612 "$OUTDIR/nested-stock612.log" $D612 "${sealed[@]}"
echo "== serial logs: $OUTDIR/nested-{test,stock,stock612}.log; took $((SECONDS - t0))s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
