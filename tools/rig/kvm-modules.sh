#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The KVM modules (irqbypass, kvm, kvm-intel) built for one of the rig's
# kernels, as plain .ko files for busybox insmod. initramfs.sh packs them
# into /lib/modules/kvm, the one place the scenarios load KVM from on
# every kernel. Prints the directory that holds them.
#   kvm-modules.sh test       the test kernel's own (tools/rig/kernel.sh)
#   kvm-modules.sh stock      Debian's stock 6.1 image (stock-kernel.sh)
#   kvm-modules.sh stock612   Debian's 6.12 image (stock612.sh)
set -euo pipefail
. "$(dirname "$0")/common.sh"
case ${1:-} in
test)
	ksrc=$("$RIG_DIR/kernel.sh")
	dir="$OUTDIR/kvm-test"
	rm -rf "$dir" && mkdir -p "$dir"
	for m in arch/x86/kvm/kvm arch/x86/kvm/kvm-intel virt/lib/irqbypass; do
		cp "$ksrc/$m.ko" "$dir/" ||
			rig_die "no $m.ko in $ksrc (kernel.config: KVM=m KVM_INTEL=m)"
	done
	echo "$dir"
	;;
stock) "$RIG_DIR/stock-kernel.sh" kvm ;;
stock612) "$RIG_DIR/stock612.sh" kvm ;;
*) rig_die "kvm-modules.sh: say test, stock or stock612" ;;
esac
