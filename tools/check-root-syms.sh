#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Check that VMX-root objects reference no kernel symbol (DESIGN.md
# principle 2): every undefined symbol must be defined by another root
# object or be listed in tools/root-syms.allow.
# Usage: tools/check-root-syms.sh OBJ...   (paths relative to the top)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
allow=$(grep -v '^#' tools/root-syms.allow | grep . || true)

defined=$(nm --defined-only "$@" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u)
bad=0
for o in "$@"; do
	[ -f "$o" ] || { echo "check-root-syms: $o not built" >&2; exit 1; }
	while read -r sym; do
		[ -n "$sym" ] || continue
		grep -qxF "$sym" <<<"$defined" && continue
		grep -qxF "$sym" <<<"$allow" && continue
		echo "check-root-syms: $o references kernel symbol '$sym'" >&2
		bad=1
	done < <(nm -u "$o" | awk '{print $2}')
done
# Code and constant tables must sit in the EPT-protected root sections
# (vmx/root.h). The compiler's merged strings and constants
# (.rodata.str*, .rodata.cst*) land in the module's rodata, which launch
# protects whole; objtool's unwind tables and the GNU property note are
# data the kernel reads. Any other allocated section (data, bss, patch
# sites, exception tables) has no place in root.
for o in "$@"; do
	while read -r name size; do
		case $name in
		.text.rampart_root | .rodata.rampart_root | .rodata.str* | .rodata.cst* | \
			.orc_unwind | .orc_unwind_ip | .note.gnu.property) continue ;;
		esac
		echo "check-root-syms: $o has $((16#$size)) bytes in $name, outside the root sections" >&2
		bad=1
	done < <(objdump -h "$o" | awk '/^ *[0-9]+ / {n = $2; sz = $3; getline; if ($0 ~ /ALLOC/ && sz !~ /^0+$/) print n, sz}')
done
[ $bad -eq 0 ] || exit 1
echo "check-root-syms: $# root objects reference no kernel symbol and keep code and tables in the root sections"
