#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the two serial logs of tools/bench/bench.sh into a table and JSON.

The targets are reported, not enforced (performance is not a timed test):
zero exits per operation on every workload but the CPUID reference, a time
ratio within noise of 1.00, and Rampart's memory at most 0.05% of guest RAM
plus 256 KiB per CPU.
"""
import argparse
import json
import re
import sys

HOT = re.compile(r'^HOTPATH mode=(\w+) ops=(\d+) ns_per_op=(\d+) exits=(\d+)(.*)$')


def parse(path):
    out = {'workloads': {}, 'timing': {}, 'devirt': {}, 'memory': {}}
    with open(path, errors='replace') as f:
        for line in f:
            line = line.strip()
            m = HOT.match(line)
            if m:
                reasons = dict((k, int(v)) for k, v in
                               re.findall(r'(\w+)=(\d+)', m.group(5)))
                out['workloads'][m.group(1)] = {
                    'ops': int(m.group(2)), 'ns_per_op': int(m.group(3)),
                    'exits': int(m.group(4)), 'reasons': reasons}
            elif line.startswith('BENCH-TIMING '):
                parts = line.split()    # "cpuN launch_ns NS" or "drain_runs N"
                if len(parts) == 4:
                    out['timing'][parts[1]] = int(parts[3])
            elif line.startswith('BENCH-DRAIN '):
                _, runs, secs = line.split()
                out['drain'] = {'runs': int(runs), 'guest_seconds': float(secs)}
            elif line.startswith('BENCH-DEVIRT '):
                _, cpu, ns = line.split()
                out['devirt'][cpu] = int(ns)
            elif line.startswith('BENCH-MEMORY '):
                parts = line.split()
                try:
                    out['memory'][parts[1]] = int(parts[2], 0)
                except ValueError:
                    pass
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('off')
    ap.add_argument('on')
    ap.add_argument('--json', required=True)
    ap.add_argument('--label', default='')
    a = ap.parse_args()
    off, on = parse(a.off), parse(a.on)
    if not on['workloads'] or not off['workloads']:
        print('bench: a run printed no results; see', a.off, a.on)
        return 1

    rows, result = [], {'kernel': a.label, 'workloads': {}}
    print(f'Rampart benchmark, {a.label}, Bochs broadwell_ult, '
          f'{on["memory"].get("cpus", "?")} CPUs, guest time (clock sync=none)')
    print(f'{"workload":<9} {"ops":>6} {"ns/op bare":>11} {"ns/op Rampart":>14} '
          f'{"ratio":>6} {"exits/op":>9}  by reason')
    for name, w in on['workloads'].items():
        base = off['workloads'].get(name)
        ratio = w['ns_per_op'] / base['ns_per_op'] if base and base['ns_per_op'] else None
        per_op = w['exits'] / w['ops']
        reasons = {k: v / w['ops'] for k, v in w['reasons'].items()}
        print(f'{name:<9} {w["ops"]:>6} {base["ns_per_op"] if base else "-":>11} '
              f'{w["ns_per_op"]:>14} {ratio if ratio is None else format(ratio, ".3f"):>6} '
              f'{per_op:>9.3f}  ' +
              (' '.join(f'{k}={v:.3f}' for k, v in reasons.items()) or '-'))
        result['workloads'][name] = {
            'ops': w['ops'], 'ns_per_op_bare': base['ns_per_op'] if base else None,
            'ns_per_op_rampart': w['ns_per_op'], 'ratio': ratio,
            'exits_per_op': per_op, 'exits_per_op_by_reason': reasons}

    mem = on['memory']
    ram, cpus = mem.get('guest_ram_bytes', 0), mem.get('cpus', 1)
    budget = ram * 0.0005 + 256 * 1024 * cpus
    root = mem.get('root_bytes', 0)
    print()
    for cpu, ns in sorted(on['timing'].items()):
        print(f'{cpu}: launch {ns / 1000:.1f} us, unload {on["devirt"].get(cpu, 0) / 1000:.1f} us')
    print(f'memory: {root // 1024} KiB in all (per CPU {mem.get("per_cpu_bytes", 0) // 1024} KiB; '
          f'EPT {mem.get("ept_table_pages", 0)} table pages, {mem.get("ept_splits", 0)} splits; '
          f'leaves 1G/2M/4K {mem.get("ept_leaves_1g", 0)}/{mem.get("ept_leaves_2m", 0)}/'
          f'{mem.get("ept_leaves_4k", 0)}); target {budget / 1024:.0f} KiB '
          f'(0.05% of {ram >> 20} MiB + 256 KiB x {cpus}): '
          f'{"met" if root <= budget else "MISSED"}')
    drain = on.get('drain')
    if drain:
        print(f'event drain: {drain["runs"]} timer runs in {drain["guest_seconds"]:.0f} s '
              f'of guest time with no events (100 ms each would be '
              f'{drain["guest_seconds"] * 10:.0f})')
    hot = [n for n, w in result['workloads'].items()
           if n != 'cpuid' and w['exits_per_op'] > 0]
    print('exits: ' + ('zero per operation on every workload but cpuid' if not hot
                       else 'non-zero on ' + ', '.join(hot)))
    result.update({'launch_ns': on['timing'], 'unload_ns': on['devirt'],
                   'event_drain': drain,
                   'memory': mem, 'memory_budget_bytes': int(budget),
                   'memory_target_met': root <= budget,
                   'zero_exit_workloads_ok': not hot})
    with open(a.json, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'json: {a.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
