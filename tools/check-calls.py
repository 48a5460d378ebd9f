#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Fail on any call cycle among the module's objects (issue 12).

Builds the object-level graph from nm: object A depends on object B when A
references a symbol that B defines. A strongly connected group of two or
more objects is a cycle; each is printed with the symbols that close it.
The build runs it over the root objects and over all of rampart.ko's.
Usage: tools/check-calls.py OBJ...   (paths relative to the top)
"""
import subprocess
import sys


def nm(args, obj):
    out = subprocess.run(['nm'] + args + [obj], check=True,
                         capture_output=True, text=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.split()]


def main(objs):
    defined = {}
    for o in objs:
        for sym in nm(['--defined-only', '--extern-only'], o):
            defined[sym] = o
    edges = {o: {} for o in objs}
    for o in objs:
        for sym in nm(['-u'], o):
            d = defined.get(sym)
            if d and d != o:
                edges[o].setdefault(d, []).append(sym)

    # Tarjan's strongly connected components.
    index, low, stack, on, sccs = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    sys.setrecursionlimit(10000)
    for o in objs:
        if o not in index:
            visit(o)
    bad = [c for c in sccs if len(c) > 1]
    for comp in bad:
        print('check-calls: cycle among %s:' % ' '.join(sorted(comp)),
              file=sys.stderr)
        for a in sorted(comp):
            for b, syms in sorted(edges[a].items()):
                if b in comp:
                    print('  %s -> %s (%s)' % (a, b, ', '.join(sorted(syms))),
                          file=sys.stderr)
    if bad:
        return 1
    nedges = sum(len(e) for e in edges.values())
    print('check-calls: %d objects, %d dependencies, no cycle'
          % (len(objs), nedges))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
