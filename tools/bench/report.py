#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the two serial logs of tools/bench/bench.sh into a table and JSON.

The targets are reported, not enforced (performance is not a timed test):
zero exits per operation on every workload but the CPUID reference, a time
ratio within noise of 1.00 (the interleaved pairs give it a 95% interval),
no wake-ups of Rampart's own on an idle machine, and Rampart's memory at
most 0.05% of guest RAM plus 256 KiB per CPU.
"""
import argparse
import json
import math
import re
import sys

HOT = re.compile(r'^HOTPATH mode=(\w+) ops=(\d+) ns_per_op=(\d+) exits=(\d+)(.*)$')
PAIR = re.compile(r'^BENCH-PAIR (\d+) (\w+) (bare|on) HOTPATH mode=(\w+) '
                  r'ops=\d+ ns_per_op=(\d+) exits=(\d+)')
MODPAIR = re.compile(r'^BENCH-PAIR (\d+) (\w+) (bare|on) HOTPATH-MODLOAD ops=\d+ '
                     r'load_ns_per_op=(\d+) unload_ns_per_op=(\d+) '
                     r'min_ns=(\d+) max_ns=(\d+)')
STOP = re.compile(r'^BENCH-PAIRS (\d+) ([\d.]+) (\w+) (\w+) target ([\d.]+)')
# Student's t, two-sided 95%, by degrees of freedom (1.96 beyond 30).
T95 = [None, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
       2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093,
       2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
       2.042]


def interval(xs):
    """Mean and 95% half-width of @xs (t distribution)."""
    n = len(xs)
    mean = sum(xs) / n
    if n < 2:
        return mean, float('nan')
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    return mean, t95(n - 1) * sd / math.sqrt(n)


def t95(df):
    """Student's t for a two-sided 95% interval with @df degrees of freedom."""
    return T95[df] if df < len(T95) else 1.96


def ratio_interval(bare, on):
    """mean(@on) / mean(@bare) of two independent samples, and its 95%
    half-width by the delta method (first order), df = n_on + n_bare - 2."""
    mb, mo = sum(bare) / len(bare), sum(on) / len(on)
    ratio = mo / mb
    if len(bare) < 2 or len(on) < 2:
        return ratio, float('nan')

    def relvar(xs, m):
        return sum((x - m) ** 2 for x in xs) / (len(xs) - 1) / len(xs) / m ** 2
    half = t95(len(bare) + len(on) - 2) * ratio * math.sqrt(relvar(bare, mb) + relvar(on, mo))
    return ratio, half


def parse(path):
    out = {'workloads': {}, 'timing': {}, 'devirt': {}, 'memory': {},
           'pairs': {}, 'idle': {}, 'watch': {}, 'modsplit': {}, 'stop': None}
    with open(path, errors='replace') as f:
        for line in f:
            line = line.strip()
            m = PAIR.match(line)
            if m:
                rnd, setup, side, mode, ns, ex = m.groups()
                key = out['pairs'].setdefault((setup, mode), {})
                key.setdefault(int(rnd), {})[side] = (int(ns), int(ex))
                continue
            m = MODPAIR.match(line)
            if m:
                rnd, setup, side = m.group(1), m.group(2), m.group(3)
                out['modsplit'].setdefault(setup, {}).setdefault(int(rnd), {})[side] = \
                    tuple(int(x) for x in m.groups()[3:])
                continue
            m = STOP.match(line)
            if m:
                out['stop'] = {'pairs': int(m.group(1)), 'widest_pct': float(m.group(2)),
                               'widest': f'{m.group(3)} {m.group(4)}',
                               'target_pct': float(m.group(5))}
                continue
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
            elif line.startswith('BENCH-IDLE '):
                _, side, loc, runs, secs = line.split()
                out['idle'][side] = {'timer_irqs_per_s': int(loc) / float(secs),
                                     'rampart_timer_runs_per_s': int(runs) / float(secs)}
            elif line.startswith('BENCH-WATCH ') and 'skipped' not in line:
                _, rnd, spot, n, ns, ex, viol = line.split()
                out['watch'].setdefault(int(rnd), {})[spot] = (
                    int(n), int(ns), int(ex), int(viol))
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


def report_watch(rounds):
    """Write-watch: ns and exits per 8-byte store, each spot against plain."""
    if not rounds:
        return {}
    print()
    print(f'write-watch, {len(rounds)} interleaved rounds on CPU 0 '
          '(mean and 95% interval):')
    print(f'{"store to":<22} {"ns/write":>10} {"95% interval":>20} '
          f'{"x plain":>8} {"95% interval":>20} {"exits/write":>12} '
          f'{"violations/write":>17}')
    names = {'plain': 'an unwatched page', 'field': 'the watched field',
             'before': 'its neighbour'}
    out = {}
    for spot in ('plain', 'field', 'before'):
        per = [r[spot] for r in rounds.values() if spot in r and 'plain' in r]
        if not per:
            continue
        ns = [p[1] / p[0] for p in per]
        ratio = [r[spot][1] / r['plain'][1] for r in rounds.values()
                 if spot in r and 'plain' in r and r['plain'][1]]
        exits = sum(p[2] for p in per) / sum(p[0] for p in per)
        viol = sum(p[3] for p in per) / sum(p[0] for p in per)
        mean, half = interval(ns)
        rmean, rhalf = interval(ratio)
        print(f'{names[spot]:<22} {mean:>10.0f} [{mean - half:>8.0f}, {mean + half:>8.0f}] '
              f'{rmean:>8.1f} [{rmean - rhalf:>8.1f}, {rmean + rhalf:>8.1f}] '
              f'{exits:>12.3f} {viol:>17.3f}')
        out[spot] = {'ns_per_write': mean, 'ci95_half': half, 'x_plain': rmean,
                     'x_plain_ci95_half': rhalf,
                     'exits_per_write': exits, 'violations_per_write': viol,
                     'writes': sum(p[0] for p in per)}
    return out


def pair_stats(pairs):
    """Per set-up and workload: the ratios Rampart/bare, mean, interval."""
    out = {}
    for (setup, mode), rounds in sorted(pairs.items()):
        ratios = [r['on'][0] / r['bare'][0] for r in rounds.values()
                  if 'on' in r and 'bare' in r and r['bare'][0]]
        if not ratios:
            continue
        mean, half = interval(ratios)
        out.setdefault(setup, {})[mode] = {
            'pairs': len(ratios), 'ratio_mean': mean,
            'ci95_low': mean - half, 'ci95_high': mean + half,
            'ratios': ratios,
            'exits': sum(r['on'][1] for r in rounds.values() if 'on' in r)}
    return out


def report_modsplit(split):
    """modload in the full set-up: load and unload apart, fastest, slowest."""
    rounds = [r for r in split.get('full', {}).values() if 'on' in r and 'bare' in r]
    if not rounds:
        return {}
    out = {}
    for i, part in ((0, 'load'), (1, 'unload')):
        bare = [r['bare'][i] for r in rounds]
        on = [r['on'][i] for r in rounds]
        mean, half = interval([o / b for o, b in zip(on, bare) if b])
        out[part] = {'ns_bare': sum(bare) / len(bare), 'ns_rampart': sum(on) / len(on),
                     'ratio_mean': mean, 'ci95_half': half}
    for side in ('bare', 'on'):
        out[f'min_ns_{side}'] = min(r[side][2] for r in rounds)
        out[f'max_ns_{side}'] = max(r[side][3] for r in rounds)
    print(f'modload split, full set-up, {len(rounds)} pairs: '
          + '; '.join(f'{p} {out[p]["ns_bare"] / 1e6:.2f} ms bare, '
                      f'{out[p]["ns_rampart"] / 1e6:.2f} ms Rampart, ratio '
                      f'{out[p]["ratio_mean"]:.3f} ± {out[p]["ci95_half"]:.3f}'
                      for p in ('load', 'unload'))
          + f'; one load+unload {out["min_ns_bare"] / 1e6:.2f} to {out["max_ns_bare"] / 1e6:.2f} ms bare, '
          f'{out["min_ns_on"] / 1e6:.2f} to {out["max_ns_on"] / 1e6:.2f} ms Rampart')
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

    result = {'kernel': a.label, 'workloads': {}}
    pairs = pair_stats(off['pairs'])
    full = pairs.get('full', {})
    print(f'Rampart benchmark, {a.label}, Bochs broadwell_ult, '
          f'{on["memory"].get("cpus", "?")} CPUs, guest time (clock sync=none)')
    print('ratio: Rampart/bare over the interleaved pairs of one boot (full set-up), '
          'mean and 95% interval; ns/op from the two boots')
    print(f'{"workload":<9} {"ops":>6} {"ns/op bare":>11} {"ns/op Rampart":>14} '
          f'{"ratio":>6} {"95% interval":>16} {"pairs":>5} {"exits/op":>9}  by reason')
    for name, w in on['workloads'].items():
        base = off['workloads'].get(name)
        boots = w['ns_per_op'] / base['ns_per_op'] if base and base['ns_per_op'] else None
        per_op = w['exits'] / w['ops']
        reasons = {k: v / w['ops'] for k, v in w['reasons'].items()}
        p = full.get(name)
        iv = f'[{p["ci95_low"]:.3f}, {p["ci95_high"]:.3f}]' if p else '-'
        print(f'{name:<9} {w["ops"]:>6} {base["ns_per_op"] if base else "-":>11} '
              f'{w["ns_per_op"]:>14} {format(p["ratio_mean"], ".3f") if p else "-":>6} '
              f'{iv:>16} {p["pairs"] if p else "-":>5} {per_op:>9.3f}  ' +
              (' '.join(f'{k}={v:.3f}' for k, v in reasons.items()) or '-'))
        result['workloads'][name] = {
            'ops': w['ops'], 'ns_per_op_bare': base['ns_per_op'] if base else None,
            'ns_per_op_rampart': w['ns_per_op'], 'ratio_two_boots': boots,
            'ratio': p['ratio_mean'] if p else None,
            'ci95_low': p['ci95_low'] if p else None,
            'ci95_high': p['ci95_high'] if p else None,
            'pairs': p['pairs'] if p else 0,
            'exits_per_op': per_op, 'exits_per_op_by_reason': reasons}
    stop = off['stop']
    if stop:
        print(f'pairs: {stop["pairs"]} run; widest interval {stop["widest_pct"]:.2f}% of its '
              f'mean ({stop["widest"]}), target {stop["target_pct"]:g}%: '
              f'{"met" if stop["widest_pct"] <= stop["target_pct"] else "not met, at the cap"}')

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
    if pairs:
        print()
        print('interleaved pairs, one boot (ratio Rampart/bare, mean and 95% interval):')
        print(f'{"set-up":<7} {"workload":<8} {"pairs":>5} {"ratio":>7} {"95% interval":>17} '
              f'{"exits":>9}')
    for setup, modes in pairs.items():
        for mode, p in modes.items():
            print(f'{setup:<7} {mode:<8} {p["pairs"]:>5} {p["ratio_mean"]:>7.4f} '
                  f'[{p["ci95_low"]:.4f}, {p["ci95_high"]:.4f}] {p["exits"]:>9}')
    modsplit = report_modsplit(off['modsplit'])
    idle = {}
    if 'bare' in off['idle'] or 'rampart' in on['idle']:
        idle = {'bare': off['idle'].get('bare'), 'rampart': on['idle'].get('rampart')}
        b, r = idle['bare'] or {}, idle['rampart'] or {}
        print(f'idle 10 s: local-timer interrupts/s bare {b.get("timer_irqs_per_s", 0):.1f}, '
              f'with Rampart {r.get("timer_irqs_per_s", 0):.1f}; '
              f'Rampart timer runs/s {r.get("rampart_timer_runs_per_s", 0):.1f}')
    result.update({'pairs': pairs, 'pairs_stop': stop, 'modload_split': modsplit,
                   'idle': idle,
                   'watch': report_watch(on['watch'])})
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
