#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Style gates over the module sources (or the files given):
#   check-style.sh checkpatch KDIR [FILE...]  checkpatch --no-tree --file: 0/0
#   check-style.sh kerneldoc KDIR [FILE...]   kernel-doc -none: no warning
#   check-style.sh headers KDIR OUT [HDR...]  every header compiles on its own
#                                             (twice, for its include guard)
#   check-style.sh shellcheck [FILE...]       shellcheck -S warning: clean
# Each prints what it found and exits non-zero on any finding; the test
# command also runs each on a planted fault to show it can fail.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# The module's sources, found on disk: the test command also runs where
# the tree is not a git checkout (a copy, a release tarball).
c_sources() {
	find core vmx ept policy hooks uapi kunit -type f \
		\( -name '*.[ch]' -o -name '*.S' \) ! -name '*.mod.c' | sort
}

scripts() {
	find . -name '*.sh' -type f ! -path './.out/*' ! -path './.git/*' | sort
}

# need N WHAT: a gate over no file proves nothing.
need() {
	if [ "$1" -eq 0 ]; then
		echo "check-style: no $2 found" >&2
		exit 1
	fi
}

# core/trace.h is a tracepoint header: it includes itself through
# <trace/define_trace.h> and only compiles the way core/events.c uses it.
headers() {
	c_sources | grep '\.h$' | grep -v '^core/trace\.h$'
}

mode=${1:?usage: check-style.sh checkpatch|kerneldoc|headers|shellcheck ...}
shift
case "$mode" in
checkpatch)
	kdir=$1
	shift
	if [ $# -eq 0 ]; then
		mapfile -t argv < <(c_sources)
		set -- "${argv[@]}"
	fi
	need $# "C sources"
	out=$("$kdir/scripts/checkpatch.pl" --no-tree --quiet --terse \
		--show-types --file "$@" 2>&1 | grep -v '^total:' || true)
	if [ -n "$out" ]; then
		echo "$out"
		echo "checkpatch: $(echo "$out" | wc -l) finding(s)"
		exit 1
	fi
	echo "checkpatch: $# files, 0 errors, 0 warnings"
	;;
kerneldoc)
	kdir=$1
	shift
	if [ $# -eq 0 ]; then
		mapfile -t argv < <(c_sources)
		set -- "${argv[@]}"
	fi
	need $# "C sources"
	out=$("$kdir/scripts/kernel-doc" -none "$@" 2>&1 |
		grep -E ': (warning|error):' || true)
	if [ -n "$out" ]; then
		echo "$out"
		exit 1
	fi
	echo "kernel-doc: $# files, no warning"
	;;
headers)
	kdir=$1 out=$2
	shift 2
	if [ $# -eq 0 ]; then
		mapfile -t argv < <(headers)
		set -- "${argv[@]}"
	fi
	need $# headers
	rm -rf "$out"
	mkdir -p "$out"
	objs=
	i=0
	for h in "$@"; do
		i=$((i + 1))
		abs=$(cd "$(dirname "$h")" && pwd)/$(basename "$h")
		printf '#include "%s"\n#include "%s"\n' "$abs" "$abs" >"$out/h$i.c"
		# Root headers build as root code does (vmcs_access.h insists).
		case "$h" in
		vmx/root/* | ept/root/*) echo "CFLAGS_h$i.o += -DRAMPART_ROOT" >>"$out/flags" ;;
		esac
		echo "h$i: $h" >>"$out/index"
		objs="$objs h$i.o"
	done
	printf 'obj-m := hdrcheck.o\nhdrcheck-y :=%s lic.o\ninclude %s/kernel-have.mk\n' "$objs" "$top" >"$out/Kbuild"
	[ ! -f "$out/flags" ] || cat "$out/flags" >>"$out/Kbuild"
	printf '#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >"$out/lic.c"
	if ! make -k -s -C "$kdir" M="$out" W=1 modules >"$out/build.log" 2>&1; then
		grep -E 'error|warning' "$out/build.log" | head -20
		sed -n 's/^\(h[0-9]*\): \(.*\)/\1 \2/p' "$out/index" |
			while read -r n h; do
				grep -q "/$n\.c:" "$out/build.log" && echo "headers: $h does not compile on its own"
			done
		exit 1
	fi
	echo "headers: $# headers each compile on their own"
	;;
shellcheck)
	if [ $# -eq 0 ]; then
		mapfile -t argv < <(scripts)
		set -- "${argv[@]}"
	fi
	need $# scripts
	shellcheck -S warning "$@"
	echo "shellcheck: $# scripts clean at warning level"
	;;
*)
	echo "check-style.sh: unknown mode $mode" >&2
	exit 2
	;;
esac
