#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench-prof's perf reports (a console log) into guest nanoseconds
per 4 KiB page and function, ours beside the C zram.

Under -icount shift=0 a guest nanosecond is one executed instruction. The
samples of a workload cover its fio run plus a one-second idle lead-in, so
a function's share of the samples times the sampled time (the run divided
by the non-idle share) over the pages moved is its cost per page.
"""
import re
import subprocess
import sys

HDR = re.compile(r'=== PROFILE (.*)')
ROW = re.compile(r'\s+([\d.]+)%\s+\[(.)\]\s+(\S+)')


def demangle(names):
    """Rust v0 symbols through c++filt (binutils), shortened: the crate
    hash and the type wrappers go. Names stay mangled if it is missing."""
    names = sorted(names)
    try:
        out = subprocess.run(['c++filt'], input='\n'.join(names), text=True,
                             capture_output=True, check=True).stdout.split('\n')
    except (OSError, subprocess.CalledProcessError):
        return {n: n for n in names}
    short = {}
    for n, d in zip(names, out):
        d = re.sub(r'\[[0-9a-f]+\]', '', d)
        d = d.replace('zram_rs_main::', 'rs::').replace('<', '').replace('>', '')
        short[n] = re.sub(r'::seg::.*', '::seg', d) if n.startswith('_R') else n
    return short


def parse(path):
    profiles = {}
    cur = None
    for line in open(path, errors='replace'):
        m = HDR.search(line)
        if m:
            f = dict(re.findall(r'(\w+)=(\S+)', m.group(1)))
            kb = int(f['rkb']) + int(f['wkb'])
            ms = int(f['rms']) + int(f['wms'])
            cur = {}
            profiles[(f['ds'], f['wl'], f['drv'])] = (kb, ms, cur)
            continue
        m = ROW.match(line)
        if cur is not None and m:
            name = '[user]' if m.group(2) == '.' else m.group(3)
            cur[name] = cur.get(name, 0.0) + float(m.group(1))
        elif cur is not None and line.startswith('['):
            cur = None
    return profiles


def main():
    profiles = parse(sys.argv[1])
    if not profiles:
        sys.exit('no profiles in ' + sys.argv[1])
    names = demangle({n for _, _, f in profiles.values() for n in f})
    for k, (kb, ms, funcs) in profiles.items():
        merged = {}
        for n, pct in funcs.items():
            merged[names.get(n, n)] = merged.get(names.get(n, n), 0.0) + pct
        profiles[k] = (kb, ms, merged)
    keys = sorted({(ds, wl) for ds, wl, _ in profiles})
    for ds, wl in keys:
        drvs = [d for d in ('rs', 'c') if (ds, wl, d) in profiles]
        per = {}
        head = []
        for d in drvs:
            kb, ms, funcs = profiles[(ds, wl, d)]
            pages = kb / 4
            busy = 1 - funcs.get('default_idle', 0) / 100
            sampled_ns = ms * 1e6 / busy
            head.append('%s: %.0f ns/page over %d pages' % (d, ms * 1e6 / pages, pages))
            for n, pct in funcs.items():
                per.setdefault(n, {})[d] = pct / 100 * sampled_ns / pages
        print('== ds=%s %s (guest ns per page; %s)' % (ds, wl, '; '.join(head)))
        print('%9s %9s  %s' % tuple((drvs + ['', ''])[:2] + ['function']))
        rows = sorted(per.items(), key=lambda kv: -max(kv[1].values()))
        for n, v in rows:
            if n == 'default_idle':
                continue
            print('%9.1f %9.1f  %s' % (v.get('rs', 0), v.get('c', 0), n))
        print()


if __name__ == '__main__':
    main()
