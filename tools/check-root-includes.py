#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The include rule for VMX-root code (DESIGN.md principle 2, issue 12).

Root code (vmx/root/, ept/root/) and the portable policy core it builds
(policy/compile.c, decide.c and their headers) may include only:
  - root headers (vmx/root/, ept/root/);
  - uapi/ and the policy core headers;
  - kernel headers listed in tools/root-includes.allow.
Usage: tools/check-root-includes.py [FILE...]   (default: all root code)
"""
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT_DIRS = ('vmx/root', 'ept/root')
POLICY_CORE = ('policy/compile.c', 'policy/decide.c', 'policy/policy.h',
               'policy/compat.h', 'policy/errors.h', 'policy/error_table.h')


def root_files():
    files = []
    for d in ROOT_DIRS:
        for ext in ('c', 'h', 'S'):
            files += glob.glob(os.path.join(TOP, d, '*.' + ext))
    files += [os.path.join(TOP, f) for f in POLICY_CORE]
    return sorted(files)


def allowed_local(path):
    rel = os.path.relpath(path, TOP)
    return (rel.startswith(tuple(d + '/' for d in ROOT_DIRS)) or
            rel.startswith('uapi/') or rel in POLICY_CORE)


def main(files):
    allow = set()
    with open(os.path.join(TOP, 'tools/root-includes.allow')) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                allow.add(line)
    files = [os.path.abspath(f) for f in files] or root_files()
    bad = 0
    for path in files:
        with open(path) as f:
            text = f.read()
        # policy/compat.h's user-space branch includes libc headers.
        text = re.sub(r'(#ifdef __KERNEL__\n.*?)#else\n.*?#endif',
                      lambda m: m.group(1) + '\n' * m.group(0)[len(m.group(1)):].count('\n'),
                      text, flags=re.S)
        for n, line in enumerate(text.splitlines(), 1):
            m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
            if not m:
                continue
            rel = os.path.relpath(path, TOP)
            if m.group(1) == '<':
                if m.group(2) not in allow:
                    print('%s:%d: kernel header <%s> is not in '
                          'tools/root-includes.allow' % (rel, n, m.group(2)),
                          file=sys.stderr)
                    bad = 1
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(path),
                                                   m.group(2)))
            if not allowed_local(target):
                print('%s:%d: root code includes kernel-side "%s"' %
                      (rel, n, os.path.relpath(target, TOP)), file=sys.stderr)
                bad = 1
    if not bad:
        print('check-root-includes: %d root files include only root, uapi, '
              'policy-core and allowed kernel headers' % len(files))
    return bad


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
