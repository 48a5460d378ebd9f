#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check Documentation/ABI against the files Rampart really makes (issue 17).

The documents are the What: entries under /sys/kernel/rampart and
/sys/kernel/debug/rampart in Documentation/ABI (the kernel's ABI format).
A What: may use <N> for a number (cpu<N>) and <name> for any one path
component. A Description may say "Mode: 0444" (checked against the real
mode) and "Conditional: REASON" (the file may be absent; only for files
that hardware or kernel configuration really decides).

--log LOG (the check that counts): the guest's serial log (tools/rig's
.out/bochs.log or .out/run.log), in which the launch scenario listed every
file under both directories after insmod as "abi: MODE PATH" lines ended by
"abi-end COUNT". Fails on a file no entry documents, on a documented file
(or directory) the guest did not have, and on a mode the document gets
wrong.

--source: a cheap static cross-check without a guest: the attribute,
debugfs and exit-reason names the source declares against the last
components of the documented paths. It cannot tell policy/sealed from
events/sealed; --log can.

Quiet on success (one summary line); one line per problem, exit 1.
Usage: tools/check-abi.py [--abi-dir DIR] (--log LOG | --source)...
"""
import argparse
import glob
import importlib.util
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOTS = ('/sys/kernel/rampart', '/sys/kernel/debug/rampart')
TAG = re.compile(r'^([A-Za-z]+):\s*(.*)$')
TAGS = ('What', 'Date', 'KernelVersion', 'Contact', 'Description', 'Users')
MODE = re.compile(r'^\s*Mode:\s*(0[0-7]{3})\b', re.M)
COND = re.compile(r'^\s*Conditional:\s*\S', re.M)
LISTED = re.compile(r'^abi: ([0-7]{3,4}) (/\S+)$')
END = re.compile(r'^abi-end (\d+)$')
DOCS = 'Documentation/ABI'     # as the messages name the documents


def shown(path):
    """A path as the messages give it: from the top when inside it."""
    rel = os.path.relpath(path, TOP)
    return path if rel.startswith('..') else rel


class Entry:
    def __init__(self, path, line):
        self.where = f'{shown(path)}:{line}'
        self.whats = []
        self.desc = []
        self.mode = None
        self.conditional = False


def pattern(what):
    """The regular expression a documented path stands for."""
    out = ''
    for part in re.split(r'(<[^>]+>)', what):
        if part == '<N>':
            out += '[0-9]+'
        elif part.startswith('<'):
            out += '[^/]+'
        else:
            out += re.escape(part)
    return re.compile(out + '$')


def read_docs(abi_dir):
    """Entries under ROOTS from every document in abi_dir."""
    entries = []
    for path in sorted(glob.glob(os.path.join(abi_dir, '**', '*'),
                                 recursive=True)):
        if not os.path.isfile(path) or os.path.basename(path) == 'README':
            continue
        cur, tag = None, None
        with open(path, errors='replace') as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip('\n')
                m = TAG.match(line)
                if not m or m.group(1) not in TAGS:
                    if cur is not None and tag == 'Description':
                        cur.desc.append(line)
                    continue
                if m.group(1) == 'What':
                    if cur is None or tag != 'What':
                        cur = Entry(path, n)
                        entries.append(cur)
                    cur.whats.append(m.group(2).strip())
                elif cur is not None and m.group(1) == 'Description':
                    cur.desc.append(m.group(2))
                tag = m.group(1)
    out = []
    for e in entries:
        e.whats = [w for w in e.whats if w.startswith(ROOTS)]
        if not e.whats:
            continue
        text = '\n'.join(e.desc)
        m = MODE.search(text)
        e.mode = m.group(1) if m else None
        e.conditional = bool(COND.search(text))
        e.patterns = [pattern(w) for w in e.whats]
        e.dir_patterns = [re.compile(p.pattern[:-1] + '/') for p in e.patterns]
        out.append(e)
    return out


def untangle_fn():
    """check-log.py's untangle(): rejoin lines kernel messages cut."""
    spec = importlib.util.spec_from_file_location(
        'check_log', os.path.join(TOP, 'tools/rig/check-log.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.untangle, mod.STAMP


def read_listing(log, problems):
    """{path: mode} from the "abi:" lines of the guest's serial log."""
    untangle, stamp = untangle_fn()
    try:
        with open(log, errors='replace') as f:
            lines = [stamp.sub('', l) for l in
                     untangle([l.rstrip('\r\n') for l in f])]
    except OSError as e:
        problems.append(f'listing: cannot read {log}: {e.strerror}')
        return {}
    files, block, ends = {}, 0, 0
    for line in lines:
        m = LISTED.match(line)
        if m:
            files[m.group(2)] = '%04o' % int(m.group(1), 8)
            block += 1
            continue
        m = END.match(line)
        if m:
            ends += 1
            if int(m.group(1)) != block:
                problems.append(f'listing: {log} has {block} "abi:" lines '
                                f'where the guest listed {m.group(1)} '
                                '(lines lost or cut on the console)')
            block = 0
    if not ends:
        problems.append(f'listing: no "abi-end" line in {log}: the launch '
                        'scenario did not list /sys/kernel/rampart')
    elif block:
        problems.append(f'listing: {block} "abi:" lines after the last '
                        f'"abi-end" in {log}')
    return files


def check_log(entries, log, problems):
    files = read_listing(log, problems)
    if not files:
        return 0
    used = set()
    for path, mode in sorted(files.items()):
        hits = [e for e in entries if any(p.match(path) for p in e.patterns)]
        if not hits:
            problems.append(f'undocumented: {path} (mode {mode}) is not in '
                            f'any What: of {DOCS}')
            continue
        for e in hits:
            used.add(id(e))
            if e.mode and e.mode != mode:
                problems.append(f'mode: {path} is {mode}, {e.where} says '
                                f'Mode: {e.mode}')
    for e in entries:
        for w, p, d in zip(e.whats, e.patterns, e.dir_patterns):
            if e.conditional:
                continue
            if not any(p.match(f) or d.match(f) for f in files):
                problems.append(f'absent: {w} ({e.where}) is documented but '
                                'the guest had no such file or directory')
    return len(files)


def source_names():
    """Names of the files the source declares, and of its directories."""
    names, dirs = set(), set()
    srcs = [p for p in glob.glob(os.path.join(TOP, '**', '*.c'),
                                 recursive=True)
            if '/tools/' not in p and '/.out/' not in p]
    attr = r'(?:__ATTR(?:_RO|_WO|_RW|_RW_MODE)?|BIN_ATTR(?:_RO|_WO|_RW)?)'
    for path in srcs:
        text = open(path, errors='replace').read()
        # Local wrappers such as CAPS_RAW(name, field) around __ATTR(name.
        wrappers = [m.group(1) for m in re.finditer(
            r'#define\s+(\w+)\(\s*(\w+)[^)]*\)(?:[^\n]*\\\n)*[^\n]*'
            + attr + r'\(\s*(\2)\b', text)]
        for macro in [attr] + wrappers:
            for m in re.finditer(r'\b' + macro + r'\(\s*(\w+)\s*[,)]', text):
                if not m.group(1).startswith('_'):
                    names.add(m.group(1))
        names.update(re.findall(r'debugfs_create_file\("(\w+)"', text))
        dirs.update(re.findall(r'kobject_create_and_add\("(\w+)"', text))
        dirs.update(re.findall(r'debugfs_create_dir\("(\w+)"', text))
    # cpus/cpuN/exits/: one file per named exit reason, plus the two
    # counters init_exit_attrs() names itself.
    table = open(os.path.join(TOP, 'vmx/root/exit_table.h')).read()
    names.update(re.findall(r'^RP_EXIT\(\w+,\s*"(\w+)"', table, re.M))
    sysfs = open(os.path.join(TOP, 'core/sysfs.c')).read()
    m = re.search(r'\ninit_exit_attrs\(void\)\n\{(.*?)\n\}', sysfs, re.S) or \
        re.search(r'\bvoid init_exit_attrs\(void\)\s*\{(.*?)\n\}', sysfs, re.S)
    if not m:
        sys.exit('check-abi: no init_exit_attrs() in core/sysfs.c; '
                 'teach tools/check-abi.py where exit files are named')
    names.update(re.findall(r'"(\w+)"', m.group(1)))
    return names, dirs


def check_source(entries, problems):
    names, dirs = source_names()
    whats = [w for e in entries for w in e.whats]
    leaves = {w.rsplit('/', 1)[1] for w in whats
              if not any(o.startswith(w + '/') for o in whats)}
    for n in sorted(names - leaves):
        problems.append(f'undocumented: the source declares a file "{n}" '
                        f'that no What: of {DOCS} ends in')
    for n in sorted(leaves - names - dirs):
        problems.append(f'absent: {DOCS} documents a file "{n}" '
                        'that the source does not declare')
    return len(names)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--abi-dir',
                    default=os.path.join(TOP, 'Documentation/ABI'))
    ap.add_argument('--log', action='append', default=[],
                    help='guest serial log with the launch scenario listing')
    ap.add_argument('--source', action='store_true',
                    help='static check of the names in the source')
    a = ap.parse_args()
    if not a.log and not a.source:
        ap.error('give --log LOG, --source or both')
    global DOCS
    DOCS = shown(os.path.abspath(a.abi_dir))
    entries = read_docs(a.abi_dir)
    problems, said = [], []
    if not entries:
        problems.append(f'no What: under {" or ".join(ROOTS)} in {a.abi_dir}')
    nwhat = sum(len(e.whats) for e in entries)
    for log in a.log:
        n = check_log(entries, log, problems)
        said.append(f'{n} files in {os.path.basename(log)}')
    if a.source:
        said.append(f'{check_source(entries, problems)} names in the source')
    for p in problems:
        print(f'check-abi: {p}')
    if problems:
        return 1
    print(f'check-abi: {", ".join(said)}: all documented by the {nwhat} '
          f'What: lines of {DOCS}, none missing')
    return 0


if __name__ == '__main__':
    sys.exit(main())
