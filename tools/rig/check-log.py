#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Judge one rig run from the guest's serial log.

Passes only on evidence the guest printed:
  * every scenario between RIG-SCENARIO-BEGIN/END prints a TAP stream with a
    plan, and each test point counts as one test;
  * KUnit results between RIG-KTAP-BEGIN/END are judged by the kernel's own
    tools/testing/kunit/kunit.py parse, never by insmod's exit status;
  * BUG:, WARNING:, Oops, general protection and Kernel panic anywhere fail
    the run, as does a missing RIG-END (timeout, hang or crash).
Prints failures with an excerpt of the log, then "RESULT passed=N failed=M".
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

CRASH = re.compile(r'BUG:|WARNING:|Oops|general protection|Kernel panic')
TAP = re.compile(r'^(ok|not ok) (\d+)\b\s*-?\s*(.*)$')
PLAN = re.compile(r'^1\.\.(\d+)')
# The printk timestamp prefix, when a kernel line shares the console.
STAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
# The same prefix anywhere in a line.
STAMP_ANY = re.compile(r'\[\s*\d+\.\d+\]\s')
# The guest's end mark in the kernel log (tools/rig/init.sh).
KMSG_END = re.compile(r'\]\s?rig: RIG-END$')


def untangle(raw):
    """Rejoin user-space lines that kernel console lines cut in two.

    The console writes each kernel line whole, but user space's output
    waits in the serial driver's buffer, so a kernel line can land in the
    middle of a TAP line: "ok 5 - fo[ 1.2] rampart: ..." then "o bar".
    Return the lines with each kernel line on its own and the user text
    around it joined again. Diagnostics ("# ...") are left as they are:
    scenarios echo dmesg lines, stamps included, after "# ".
    """
    out, carry = [], ''
    for line in raw:
        m = STAMP_ANY.search(line)
        if m is None:
            out.append(carry + line)
            carry = ''
            continue
        user = carry + line[:m.start()]
        if not user:
            out.append(line)            # a kernel line on its own
        elif user.startswith('#'):
            out.append(carry + line)    # a diagnostic, or an echoed dmesg line
            carry = ''
        else:
            out.append(line[m.start():])
            carry = user
    if carry:
        out.append(carry)
    return out


class Verdict:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def ok(self, what):
        self.passed += 1
        print(f'  PASS {self.name}: {what}')

    def fail(self, what, excerpt=None):
        self.failed += 1
        print(f'  FAIL {self.name}: {what}')
        for line in excerpt or []:
            print(f'    | {line}')

    def skip(self, what, why):
        print(f'  SKIP {self.name}: {what} (skipped: {why})')


def excerpt(lines, i, before=20, after=20):
    return lines[max(0, i - before):i + after]


def check_crashes(lines, v, allowed):
    for i, line in enumerate(lines):
        if CRASH.search(line) and not any(a in line for a in allowed):
            v.fail(f'guest kernel reported: {line.strip()}', excerpt(lines, i))
            return


def check_tap(name, body, rc, v):
    points, plan = 0, None
    for j, line in enumerate(body):
        m = TAP.match(line)
        if m:
            points += 1
            desc = m.group(3)
            if '# SKIP' in desc:
                what, why = desc.split('# SKIP', 1)
                v.skip(f'{name}: {what.strip()}', why.strip() or 'no reason given')
            elif m.group(1) == 'ok':
                v.ok(f'{name}: {desc}')
            else:
                diag = [l for l in body[j + 1:j + 12] if l.startswith('#')]
                v.fail(f'{name}: {desc}', body[max(0, j - 8):j + 1] + diag)
            continue
        m = PLAN.match(line)
        if m:
            plan = int(m.group(1))
    if plan is None:
        v.fail(f'{name}: no TAP plan (scenario died early?)', body[-30:])
    elif plan != points:
        v.fail(f'{name}: planned {plan} tests, ran {points}', body[-30:])
    if rc != 0 and v.failed == 0:
        v.fail(f'{name}: scenario exited with rc={rc}', body[-30:])


def check_ktap(name, body, ksrc, v):
    # The console copy: kernel lines, timestamps stripped. 6.1 prints no
    # top-level header, which kunit.py needs: add one with the suite count.
    body = [STAMP.sub('', l) for l in body if STAMP.match(l)]
    suites = sum(1 for l in body if re.match(r'^    # Subtest: ', l))
    text = f'KTAP version 1\n1..{suites}\n' + '\n'.join(body) + '\n'
    if suites == 0:
        v.fail(f'kunit {name}: no suite ran', body[-20:])
        return
    with tempfile.NamedTemporaryFile('w', suffix='.ktap', delete=False) as f:
        f.write(text)
        path = f.name
    kunit = os.path.join(os.path.abspath(ksrc), 'tools/testing/kunit/kunit.py')
    r = subprocess.run([sys.executable, kunit, 'parse', path],
                       capture_output=True, text=True)
    os.unlink(path)
    out = r.stdout + r.stderr
    m = re.search(r'Ran (\d+) tests?: passed: (\d+)(?:, failed: (\d+))?'
                  r'(?:, crashed: (\d+))?(?:, skipped: (\d+))?', out)
    if not m:
        v.fail(f'kunit {name}: kunit.py could not parse the results',
               out.splitlines()[-30:])
        return
    ran, passed = int(m.group(1)), int(m.group(2))
    failed = int(m.group(3) or 0) + int(m.group(4) or 0)
    skipped = int(m.group(5) or 0)
    for _ in range(passed):
        v.passed += 1
    print(f'  PASS {v.name}: kunit {name}: {passed} of {ran} test cases passed')
    if skipped:
        v.skip(f'kunit {name}', f'{skipped} test cases skipped, see log')
    if failed or r.returncode != 0:
        v.failed += max(failed, 1)
        bad = [l for l in out.splitlines() if re.search(r'FAILED|CRASHED|Expected|ERROR', l)]
        print(f'  FAIL {v.name}: kunit {name}: {failed} failed')
        for l in bad[:40]:
            print(f'    | {l}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('log')
    ap.add_argument('--name', required=True)
    ap.add_argument('--scenarios', required=True, help='comma separated')
    ap.add_argument('--ksrc', help='kernel tree, for kunit.py')
    ap.add_argument('--allow', action='append', default=[],
                    help='substring that excuses a crash-pattern line')
    ap.add_argument('--after-end', action='append', default=[],
                    help='substring the kernel must print after RIG-END')
    a = ap.parse_args()

    with open(a.log, errors='replace') as f:
        serial = [l.rstrip('\r\n') for l in f]
    raw = untangle(serial)
    lines = [STAMP.sub('', l) for l in raw]
    v = Verdict(a.name)

    check_crashes(serial, v, a.allow)
    if not any(l.startswith('RIG-END') for l in lines):
        v.fail('guest never reached RIG-END (timeout, hang or crash)', raw[-40:])

    begin = next((l for l in lines if l.startswith('RIG-BEGIN')), '')
    m = re.search(r' up=([\d.]+) busy=([\d.]+)', begin)
    up, busy = (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)
    for s in a.scenarios.split(','):
        try:
            b = lines.index(f'RIG-SCENARIO-BEGIN {s}')
        except ValueError:
            v.fail(f'{s}: scenario never started')
            continue
        end = next((j for j in range(b + 1, len(lines))
                    if lines[j].startswith(f'RIG-SCENARIO-END {s} ')), None)
        if end is None:
            v.fail(f'{s}: scenario never finished', raw[b:][-40:])
            continue
        m = re.search(r' rc=(-?\d+)(?: up=([\d.]+) busy=([\d.]+))?', lines[end])
        rc = int(m.group(1))
        if m.group(2):
            # Guest seconds since the previous marker, and CPU seconds
            # not idle: where the emulation goes.
            t, cpu = float(m.group(2)), float(m.group(3))
            print(f'  time {s}: {t - up:.1f} guest s, {cpu - busy:.1f} busy CPU s')
            up, busy = t, cpu
        body, tap, k = lines[b + 1:end], [], 0
        while k < len(body):
            if body[k].startswith('RIG-KTAP-BEGIN '):
                suite = body[k].split(' ', 1)[1]
                e = body.index('RIG-KTAP-END', k)
                check_ktap(suite, raw[b + 1 + k + 1:b + 1 + e], a.ksrc, v)
                k = e + 1
                continue
            # TAP comes from user space; kernel lines carry a timestamp
            # (KUnit's own console copy would otherwise be counted twice).
            if not STAMP.match(raw[b + 1 + k]):
                tap.append(body[k])
            k += 1
        if any(TAP.match(l) or PLAN.match(l) for l in tap) or rc != 0:
            check_tap(s, tap, rc, v)
    end = next((i for i, l in enumerate(lines) if l.startswith('RIG-END')), None)
    # Kernel lines keep printk order on the console; user space's RIG-END
    # can wait in the serial driver's buffer behind them. The guest's copy
    # in the kernel log ("rig: RIG-END") is the true boundary when present.
    kend = next((i for i, l in enumerate(raw)
                 if STAMP.match(l) and KMSG_END.search(l)), None)
    for want in a.after_end:
        if kend is not None:
            tail = [l for l in raw[kend + 1:] if STAMP.match(l)]
        else:
            tail = lines[end + 1:] if end is not None else []
        if any(want in l for l in tail):
            v.ok(f'after the scenarios: kernel printed "{want}"')
        else:
            v.fail(f'after the scenarios: kernel never printed "{want}"', raw[-20:])
    print(f'RESULT passed={v.passed} failed={v.failed}')
    return 1 if v.failed else 0


if __name__ == '__main__':
    sys.exit(main())
