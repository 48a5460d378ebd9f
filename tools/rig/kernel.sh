#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build (or reuse from the cache) the test kernel: Debian's linux-source-6.1,
# tinyconfig plus tools/rig/kernel.config. Prints the tree's path on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

dir=$(kernel_dir)
if [ -f "$dir/.rampart-built" ]; then
	echo "$dir/linux"
	exit 0
fi

rig_log "building test kernel in $dir (cold cache: a few minutes)"
# One kernel is enough: drop trees built for older keys.
rm -rf "$CACHE"/kernel-*
mkdir -p "$dir"
tar -C "$dir" -xf "$KSRC_TARBALL"
mv "$dir"/linux-source-6.1 "$dir/linux"
cd "$dir/linux"

make -s ARCH=x86_64 tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "$RIG_DIR/kernel.config" >/dev/null 2>&1
make -s ARCH=x86_64 olddefconfig >/dev/null

# Every option the fragment asks for must have survived olddefconfig;
# a silently dropped option would make tests pass for the wrong reason.
bad=0
while IFS= read -r line; do
	case "$line" in CONFIG_*) ;; *) continue ;; esac
	opt=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -qx "# $opt is not set" .config || grep -qx "$opt=n" .config ||
			! grep -q "^$opt=" .config || { rig_log "config: $opt not off"; bad=1; }
	else
		grep -qx "$opt=$val" .config || { rig_log "config: $opt=$val dropped"; bad=1; }
	fi
done <"$RIG_DIR/kernel.config"
[ $bad -eq 0 ] || rig_die "kernel config fragment not satisfied"

make -s -j"$JOBS" ARCH=x86_64 bzImage modules >"$dir/build.log" 2>&1 ||
	{ tail -40 "$dir/build.log"; rig_die "kernel build failed"; }
touch "$dir/.rampart-built"
echo "$dir/linux"
