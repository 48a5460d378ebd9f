# SPDX-License-Identifier: GPL-2.0-only
"""Root text in an ELF object or module, as readelf shows it.

Shared by tools/check-root-padding.py and tools/check-root-patch-sites.py.
"""
import re
import subprocess

ROOT_TEXT = '.text.rampart_root'


def readelf(*args):
    """readelf's output for ARGS, as text."""
    return subprocess.run(('readelf',) + args, capture_output=True,
                          text=True, check=True).stdout


def root_text_symbols(obj):
    """(offset, type, name) of every symbol defined in the root text."""
    index = None
    for line in readelf('-SW', obj).splitlines():
        m = re.match(r'\s*\[\s*(\d+)\]\s+(\S+)', line)
        if m and m.group(2) == ROOT_TEXT:
            index = m.group(1)
    if index is None:
        return []
    syms = []
    for line in readelf('-sW', obj).splitlines():
        f = line.split()
        if len(f) == 8 and f[6] == index:
            syms.append((int(f[1], 16), f[3], f[7]))
    return syms
