# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Shared paths for the rig scripts. Sourced, not executed.

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$RIG_DIR/../.." && pwd)
CACHE=${RAMPART_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart}
# Per-checkout scratch space (ignored by git).
# shellcheck disable=SC2034 # for the scripts that source this file
OUTDIR=${RAMPART_OUT:-$TOP/.out}
JOBS=${JOBS:-$(nproc)}

# shellcheck disable=SC2034
KSRC_TARBALL=/usr/src/linux-source-6.1.tar.xz

rig_log() { printf 'rig: %s\n' "$*" >&2; }
rig_die() { printf 'rig: error: %s\n' "$*" >&2; exit 1; }

# kernel_key: cache key of the test kernel, from the Debian source version,
# the config fragment and the recipe (kernel.sh itself).
kernel_key() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	{ echo "$ver"; cat "$RIG_DIR/kernel.config" "$RIG_DIR/kernel.sh"; } |
		sha256sum | cut -c1-16
}

kernel_dir() { echo "$CACHE/kernel-$(kernel_key)"; }

# stock_headers: the versioned header package linux-headers-amd64 pulls in
# (Debian's stock kernel ABI), e.g. linux-headers-6.1.0-56-amd64.
stock_headers() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 |
		grep -o 'linux-headers-[^ ,]*' | head -1
}
