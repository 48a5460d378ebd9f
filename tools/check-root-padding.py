#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""No root function may sit behind NOP padding (the Makefile drops it).

With call-depth tracking (retbleed=stuff) the kernel rewrites, at module
load, each call whose target is preceded by 16 NOP bytes: it copies per-CPU
accounting code into those bytes and sends the call there. In root that
code would run on root's GS base. Root objects are built without call
padding and root assembly aligns with int3; this checks the result.
Usage: tools/check-root-padding.py OBJ...
"""
import os
import subprocess
import sys
import tempfile

SECTION = '.text.rampart_root'
PAD = 16


def symbols(obj):
    """(offset, name) of every symbol defined in the root text section."""
    out = subprocess.run(['readelf', '-sW', obj], capture_output=True,
                         text=True, check=True).stdout
    shndx = None
    for line in subprocess.run(['readelf', '-SW', obj], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        parts = line.replace('[ ', '[').split()
        if len(parts) > 1 and parts[1] == SECTION:
            shndx = parts[0].strip('[]')
    if shndx is None:
        return []
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 8 and f[6] == shndx and f[3] in ('FUNC', 'NOTYPE'):
            syms.append((int(f[1], 16), f[7]))
    return syms


def main(objs):
    bad = 0
    for obj in objs:
        with tempfile.NamedTemporaryFile() as tmp:
            subprocess.run(['objcopy', '-O', 'binary', '--only-section=' +
                            SECTION, obj, tmp.name], check=True)
            text = open(tmp.name, 'rb').read()
        for off, name in symbols(obj):
            if off >= PAD and text[off - PAD:off] == b'\x90' * PAD:
                print('check-root-padding: %s: %s has %d NOP bytes before it'
                      % (obj, name, PAD), file=sys.stderr)
                bad = 1
    if not bad:
        print('check-root-padding: %d root objects, no function behind NOP '
              'padding' % len(objs))
    return bad


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
