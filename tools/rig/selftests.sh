#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the kselftests and the rig's guest helpers statically, for the
# busybox initramfs, and put the kernel's own KVM selftests (a subset,
# built once and cached by kvm-selftests.sh) in OUTDIR/kvm.
#   selftests.sh KSRC OUTDIR
set -euo pipefail
. "$(dirname "$0")/common.sh"
ksrc=$1 out=$2
mkdir -p "$out"
for c in "$TOP"/tools/testing/selftests/rampart/*.c "$RIG_DIR"/guest/*.c; do
	gcc -static -O2 -Wall -Wextra -Werror -Wno-unused-parameter \
		-I"$ksrc/tools/testing/selftests" -o "$out/$(basename "$c" .c)" "$c"
done
# rampartctl, linked statically for the busybox initramfs.
make -s -C "$TOP/tools/rampartctl" static O="$out"
# The kernel's KVM selftests (the kvm scenario runs them).
kvm=$("$RIG_DIR/kvm-selftests.sh")
rm -rf "$out/kvm" && mkdir -p "$out/kvm"
cp -P "$kvm"/* "$out/kvm/"
