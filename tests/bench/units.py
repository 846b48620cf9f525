#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench BOOTS=units: the unit_size tables from one boot's data lines.

Reads OUT/boot-det-debian-units.txt (the guest's ZRS-DATA lines from
tests/guest/bench-units.sh), averages each mode over its rounds and writes
OUT/units.md and OUT/units.json; prints the markdown. Every ratio is
between figures measured in that one boot.
"""
import json
import sys
from collections import defaultdict
from statistics import mean

MODES = ["c", "page", "u16", "u64"]
NAMES = {"c": "C zram", "page": "ours, pages", "u16": "ours, unit 16K",
         "u64": "ours, unit 64K"}


def records(path):
    recs = []
    for line in open(path, errors="replace"):
        w = line.split()
        if len(w) < 3 or w[0] != "ZRS-DATA" or w[1] != "bench-units":
            continue
        r = {"kind": w[2]}
        for kv in w[3:]:
            k, _, v = kv.partition("=")
            try:
                r[k] = int(v)
            except ValueError:
                try:
                    r[k] = float(v)
                except ValueError:
                    r[k] = v
        recs.append(r)
    return recs


def avg(rows, key):
    vals = [r[key] for r in rows if key in r]
    return mean(vals) if vals else None


def mbps(kb, ms):
    return kb / 1024 / (ms / 1000) if kb and ms else None


def main(out):
    recs = records(f"{out}/boot-det-debian-units.txt")
    info = {}
    try:
        for line in open(f"{out}/boot-det-debian-units.txt", errors="replace"):
            if line.startswith("ZRS-DATA bench-info"):
                info = dict(kv.partition("=")[::2] for kv in line.split()[3:])
    except OSError:
        pass
    swap = defaultdict(list)
    io = defaultdict(list)
    for r in recs:
        if r["kind"] == "units_swap":
            swap[(r["alg"], r["mode"])].append(r)
        elif r["kind"] == "units_io":
            io[(r["alg"], r["bs"], r["mode"])].append(r)
    res = {"swap": {}, "io": {}, "info": info}
    md = ["# unit_size: one deterministic boot on Debian's kernel", "",
          f"Kernel {info.get('krel', '?')}, -icount shift=0 (guest time counts "
          "instructions), -smp 2, real-data set (kernel source and binaries). "
          "Each figure is the mean of the rounds after a warm-up; every ratio "
          "compares figures of this one boot.", ""]
    algs = sorted({a for a, _ in swap} | {a for a, _, _ in io})
    for alg in algs:
        md += [f"## {alg}: swap of 64 KiB folios", "",
               "| mode | swap-out ms | swap-in ms | mem_used MiB | compr MiB "
               "| 64K out | 64K in | in fallback | unit page reads |",
               "|---|---|---|---|---|---|---|---|---|"]
        s = {}
        for m in MODES:
            rows = swap.get((alg, m))
            if not rows:
                continue
            s[m] = {k: avg(rows, k) for k in ("out_us", "in_us", "mem", "compr", "orig",
                                                "swpout64", "swpin64", "swpin_fallback64",
                                                "unit_page_reads")}
            s[m]["rounds"] = len(rows)
            v = s[m]
            md.append(f"| {NAMES[m]} | {v['out_us'] / 1000:.0f} | {v['in_us'] / 1000:.0f} "
                      f"| {v['mem'] / 2**20:.2f} | {v['compr'] / 2**20:.2f} "
                      f"| {v['swpout64']:.0f} | {v['swpin64']:.0f} "
                      f"| {v['swpin_fallback64']:.0f} | {v['unit_page_reads']:.0f} |")
        md.append("")
        for u in ("u16", "u64"):
            for base in ("page", "c"):
                if u in s and base in s:
                    a, b = s[u], s[base]
                    r = {"mem_saved": 1 - a["mem"] / b["mem"],
                         "out_speedup": b["out_us"] / a["out_us"],
                         "in_speedup": b["in_us"] / a["in_us"]}
                    s[f"{u}_vs_{base}"] = r
                    md.append(f"- {NAMES[u]} against {NAMES[base]}: "
                              f"{100 * r['mem_saved']:.1f}% less memory, swap-out "
                              f"{r['out_speedup']:.2f}x, swap-in {r['in_speedup']:.2f}x as fast")
        md.append("")
        res["swap"][alg] = s
        for bs in ("16k", "64k"):
            rows_by = {m: io.get((alg, bs, m)) for m in MODES}
            if not any(rows_by.values()):
                continue
            md += [f"## {alg}: direct I/O in {bs.upper()} blocks", "",
                   f"| mode | write MiB/s | read MiB/s | random 4K read MiB/s | mem_used MiB |",
                   "|---|---|---|---|---|"]
            t = {}
            for m, rows in rows_by.items():
                if not rows:
                    continue
                v = {"w": mean(mbps(r["wkb"], r["wms"]) for r in rows),
                     "r": mean(mbps(r["rkb"], r["rms"]) for r in rows),
                     "rr": mean(mbps(r["rrkb"], r["rrms"]) for r in rows),
                     "mem": avg(rows, "mem"), "rounds": len(rows),
                     "unit_writes": avg(rows, "unit_writes")}
                t[m] = v
                md.append(f"| {NAMES[m]} | {v['w']:.1f} | {v['r']:.1f} | {v['rr']:.1f} "
                          f"| {v['mem'] / 2**20:.2f} |")
            md.append("")
            u = "u" + bs[:-1]
            for base in ("page", "c"):
                if u in t and base in t:
                    a, b = t[u], t[base]
                    t[f"{u}_vs_{base}"] = {k: a[k] / b[k] for k in ("w", "r", "rr")}
                    t[f"{u}_vs_{base}"]["mem_saved"] = 1 - a["mem"] / b["mem"]
                    q = t[f"{u}_vs_{base}"]
                    md.append(f"- {NAMES[u]} against {NAMES[base]}: write {q['w']:.2f}x, "
                              f"read {q['r']:.2f}x, random 4K read {q['rr']:.2f}x, "
                              f"{100 * q['mem_saved']:.1f}% less memory")
            md.append("")
            res["io"][f"{alg}-{bs}"] = t
    text = "\n".join(md) + "\n"
    open(f"{out}/units.md", "w").write(text)
    json.dump(res, open(f"{out}/units.json", "w"), indent=1)
    print(text)
    if not recs:
        sys.exit("no bench-units data")


if __name__ == "__main__":
    main(sys.argv[1])
