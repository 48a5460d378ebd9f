#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of the rig's judge (check-log.py) on made-up serial logs.

Kernel console lines can land in the middle of a TAP line. The judge must
rejoin the line, count each test point once, keep a failure a failure,
and still see a crash pattern inside a cut line. Exits non-zero on the
first expectation that does not hold.
"""
import os
import subprocess
import sys
import tempfile

JUDGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'check-log.py')


def judge(body, begin='RIG-BEGIN', end='RIG-SCENARIO-END s rc=0',
          tail=('RIG-END',), args=()):
    log = [begin, 'RIG-SCENARIO-BEGIN s', 'TAP version 13'] + body + \
          [end] + list(tail)
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.write('\n'.join(log) + '\n')
    try:
        out = subprocess.run([sys.executable, JUDGE, f.name, '--name', 't',
                              '--scenarios', 's', *args], capture_output=True,
                             text=True, check=False)
    finally:
        os.unlink(f.name)
    return out.returncode, out.stdout.strip().splitlines()


CASES = [
    ('two points cut by kernel lines pass, counted once each',
     ['ok 1 - al[   1.000001] rampart: one', 'pha',
      'ok [   1.000002] rampart: two', '2 - be[   1.000003] rampart: three',
      'ta', '# [   1.000004] rampart: an echoed dmesg line', '1..2'],
     0, 'RESULT passed=2 failed=0'),
    ('a failure cut by a kernel line stays a failure',
     ['ok 1 - alpha', 'not ok 2 - be[   1.000001] rampart: one', 'ta', '1..2'],
     1, 'RESULT passed=1 failed=1'),
    ('a point lost for good still fails the plan',
     ['ok 1 - alpha', '1..2'], 1, 'RESULT passed=1 failed=1'),
    ('a crash pattern inside a cut line fails the run',
     ['ok 1 - al[   1.000001] BUG: unable to handle page fault', 'pha', '1..1'],
     1, 'RESULT passed=1 failed=1'),
]


def main():
    bad = 0
    for what, body, rc, last in CASES:
        got_rc, got = judge(body)
        got_last = got[-1]
        ok = got_rc == rc and got_last == last
        bad += not ok
        print(f'{"ok" if ok else "FAIL"}: {what}' +
              ('' if ok else f' (rc {got_rc}, "{got_last}")'))
    # Markers with guest uptime and busy CPU seconds: the time line, and
    # the verdict unchanged.
    got_rc, got = judge(['ok 1 - alpha', '1..1'],
                        'RIG-BEGIN cpus=2 scenarios=s up=1.50 busy=0.50',
                        'RIG-SCENARIO-END s rc=0 up=4.00 busy=2.00')
    ok = got_rc == 0 and got[-1] == 'RESULT passed=1 failed=0' and \
        'time s: 2.5 guest s, 1.5 busy CPU s' in [l.strip() for l in got]
    bad += not ok
    print(f'{"ok" if ok else "FAIL"}: markers with up= and busy= give the time line'
          + ('' if ok else f' (rc {got_rc}, {got})'))
    # --after-end: kernel lines keep printk order, user space's RIG-END
    # may trail them; the kernel's "rig: RIG-END" copy is the boundary.
    off = '[   9.000003] rampart: off'
    for what, tail, rc in [
            ('a kernel line after RIG-END counts',
             ['RIG-END', off], 0),
            ('a kernel line before RIG-END does not',
             [off, 'RIG-END'], 1),
            ('a line after the kernel mark counts though user RIG-END trails',
             ['[   9.000002] rig: RIG-END', off, 'RIG-END'], 0),
            ('a line before the kernel mark does not, wherever RIG-END is',
             [off, '[   9.000004] rig: RIG-END', 'RIG-END'], 1)]:
        got_rc, got = judge(['ok 1 - alpha', '1..1'], tail=tail,
                            args=['--after-end', 'rampart: off'])
        ok = got_rc == rc
        bad += not ok
        print(f'{"ok" if ok else "FAIL"}: after-end: {what}' +
              ('' if ok else f' (rc {got_rc}, {got})'))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
