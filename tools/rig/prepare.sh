#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Get a bootable test guest ready: the cached test kernel, the modules and
# helpers built for it, .out/bzImage and .out/initramfs.cpio. Prints
# the kernel tree's path. (test.sh does the same steps as counted gates.)
set -euo pipefail
. "$(dirname "$0")/common.sh"
KSRC=$("$RIG_DIR/kernel.sh")
"$RIG_DIR/build-module.sh" "$KSRC" test >&2
"$RIG_DIR/selftests.sh" "$KSRC" "$OUTDIR/selftests"
cp "$KSRC/arch/x86/boot/bzImage" "$OUTDIR/bzImage"
"$RIG_DIR/initramfs.sh" "$OUTDIR/test" "$OUTDIR/selftests" "$OUTDIR/initramfs.cpio" \
	"" "$("$RIG_DIR/kvm-modules.sh" test)"
echo "$KSRC"
