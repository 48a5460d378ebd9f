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
import subprocess
import sys
import tempfile

from rootelf import ROOT_TEXT, root_text_symbols

PAD = 16


def main(objs):
    bad = 0
    for obj in objs:
        with tempfile.NamedTemporaryFile() as tmp:
            subprocess.run(['objcopy', '-O', 'binary', '--only-section=' +
                            ROOT_TEXT, obj, tmp.name], check=True)
            text = open(tmp.name, 'rb').read()
        for off, kind, name in root_text_symbols(obj):
            if kind not in ('FUNC', 'NOTYPE') or off < PAD:
                continue
            if text[off - PAD:off] == b'\x90' * PAD:
                print('check-root-padding: %s: %s has %d NOP bytes before it'
                      % (obj, name, PAD), file=sys.stderr)
                bad = 1
    if not bad:
        print('check-root-padding: %d root objects, no function behind NOP '
              'padding' % len(objs))
    return bad


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
