#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""No site the kernel rewrites at module load lies in root text.

When it loads a module, the kernel patches the instructions that these
sections list: alternatives, retpoline and return thunk sites, static
calls, jump labels, ftrace and call padding, LOCK prefixes, and exception
fixups it would apply on a fault. Patched root code could reach kernel
text or per-CPU data, which root does not map (DESIGN.md principle 2).
Two sections may name root text: .call_sites (call-depth tracking, which
finds no padding before root functions: check-root-padding.py) and
.ibt_endbr_seal (an unused ENDBR becomes a NOP; root runs without CET).
Usage: tools/check-root-patch-sites.py OBJ...   (rampart.ko, or objects)
"""
import re
import sys

from rootelf import ROOT_TEXT, readelf, root_text_symbols

PATCHED = ('.altinstructions', '.parainstructions', '.retpoline_sites',
           '.return_sites', '.static_call_sites', '__jump_table',
           '__mcount_loc', '__patchable_function_entries', '.smp_locks',
           '__ex_table', '.cfi_sites')


def main(objs):
    bad = 0
    for obj in objs:
        root = {ROOT_TEXT} | {name for _, _, name in root_text_symbols(obj)}
        section = None
        for line in readelf('-rW', obj).splitlines():
            m = re.match(r"Relocation section '\.rela(\S+)'", line)
            if m:
                section = m.group(1)
                continue
            if section not in PATCHED:
                continue
            f = line.split()
            if len(f) >= 5 and f[4] in root:
                print('check-root-patch-sites: %s: %s lists %s %s in root text'
                      % (obj, section, f[4], ' '.join(f[5:])), file=sys.stderr)
                bad = 1
    if not bad:
        print('check-root-patch-sites: %d object(s), no load-time patch site '
              'in root text' % len(objs))
    return bad


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
