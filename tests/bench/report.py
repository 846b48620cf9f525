#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: turn the guest's ZRS-DATA lines into results.json, report.md,
PNG charts and a terminal summary. Every figure is computed here from the
measurements of this run (boot-*.txt); nothing is carried over.

    tests/bench/report.py RESULTS_DIR

Exit status 1 if any benchmark test failed, a boot did not finish, a
measurement the matrix asked for is missing, or the deterministic boot's
CPU override did not take effect.
"""
import contextlib
import json
import os
import re
import statistics
import sys

WRITES = ("seqwrite", "randwrite")
READS = ("seqread", "randread")
WL_ORDER = ("seqwrite", "seqread", "randread", "randwrite", "randrw")
WL_NAME = {
    "seqwrite": "seq write 1M", "seqread": "seq read 1M",
    "randread": "rand read 4k", "randwrite": "rand write 4k",
    "randrw": "rand 70/30 4k",
}
# Targets the report states beside each figure (issue 6).
TARGET_WRITE, TARGET_READ = 0.80, 0.90


def ds_name(ds):
    return "real data" if ds == "real" else f"{ds}% compressible"


def num(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


def parse_boot(path):
    """Data records and test verdicts of one boot's results channel."""
    recs, verdicts, done = [], {}, False
    with open(path, errors="replace") as f:
        for line in f:
            if not line.endswith("\n"):
                break                        # cut off mid-line: not a record
            w = line.split()
            if not w:
                continue
            if w[0] == "ZRS-DATA" and len(w) >= 3:
                r = {"test": w[1], "kind": w[2]}
                for kv in w[3:]:
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        r[k] = num(v)
                recs.append(r)
            elif w[0] == "ZRS-RESULT" and len(w) >= 3:
                verdicts[w[1]] = " ".join(w[2:])
            elif w[0] == "ZRS-DONE":
                done = True
    return recs, verdicts, done


def med(xs):
    return statistics.median(xs) if xs else None


def spread(xs):
    """(max - min) / median, in percent."""
    if not xs or len(xs) < 2:
        return 0.0
    m = statistics.median(xs)
    return 100.0 * (max(xs) - min(xs)) / m if m else 0.0


def mbps(r):
    """Throughput of one fio/zrs-imgio record in MB/s (both directions)."""
    kb = r["rkb"] + r["wkb"]
    ms = max(r["rms"], r["wms"])
    return kb * 1024 / (ms / 1000.0) / 1e6 if ms else None


def fio_table(recs):
    """{(ds, jobs, wl): {drv: [MB/s by round]}} and per-round values."""
    t = {}
    for r in recs:
        if r["kind"] != "fio" or not all(k in r for k in ("rkb", "rms", "wkb", "wms")):
            continue
        key = (str(r["ds"]), r["jobs"], r["wl"])
        v = mbps(r)
        if v is None:
            continue
        t.setdefault(key, {}).setdefault(r["drv"], {})[r["round"]] = v
    return t


def stat(vals):
    xs = [vals[k] for k in sorted(vals)]
    return {"median": med(xs), "min": min(xs), "max": max(xs),
            "spread_pct": spread(xs), "n": len(xs), "values": xs}


def ratio_stat(a, b):
    """ours / C from medians, and the spread of per-round paired ratios."""
    rounds = sorted(set(a) & set(b))
    per = [a[k] / b[k] for k in rounds if b[k]]
    return {"ratio": med(list(a.values())) / med(list(b.values())),
            "per_round": per,
            "min": min(per) if per else None, "max": max(per) if per else None}


def comp_costs(recs):
    """{(ds, api): {"comp": ns/B, "decomp": ns/B, ...}} (medians)."""
    c = {}
    for r in recs:
        if r["kind"] != "comp":
            continue
        d = c.setdefault((str(r["ds"]), r["api"]), {"comp": [], "decomp": [], "raw": []})
        d["comp"].append(r["comp_ns"] / r["bytes"])
        d["decomp"].append(r["decomp_ns"] / r["bytes"])
        d["raw"].append(r)
    out = {}
    for k, d in c.items():
        r0 = d["raw"][0]
        out[k] = {"comp_ns_per_byte": med(d["comp"]), "decomp_ns_per_byte": med(d["decomp"]),
                  "comp_spread_pct": spread(d["comp"]), "decomp_spread_pct": spread(d["decomp"]),
                  "ratio": r0["stored"] / max(1, (r0["pages"] // r0["reps"] - r0["huge"]) * 4096)
                  if r0["pages"] // r0["reps"] > r0["huge"] else None,
                  "huge_pages": r0["huge"], "pages": r0["pages"] // r0["reps"], "n": len(d["comp"])}
    return out


def limit_for(ds, jobs, wl, fio, comp, alg):
    """The composite limit of one workload: null_blk harness time per byte
    plus the compressor's, for the bytes each direction moves."""
    nb = fio.get((ds, jobs, wl), {}).get("nullblk")
    if not nb:
        return None
    h_mbps = med(list(nb.values()))
    t_h = 1e3 / h_mbps                       # ns per byte
    api = "lz4lib" if (ds, "lz4lib") in comp else "acomp"
    cc = comp.get((ds, api))
    if not cc:
        return None
    if wl in WRITES:
        t_c = cc["comp_ns_per_byte"]
    elif wl in READS:
        t_c = cc["decomp_ns_per_byte"]
    else:                                    # 70/30 mix by bytes moved
        t_c = 0.7 * cc["decomp_ns_per_byte"] + 0.3 * cc["comp_ns_per_byte"]
    out = {"harness_ns_per_byte": t_h, "compressor_ns_per_byte": t_c,
           "compressor_api": api, "limit_mbps": 1e3 / (t_h + t_c)}
    acc = comp.get((ds, "acomp"))
    if acc and api != "acomp":
        t_a = (acc["comp_ns_per_byte"] if wl in WRITES else acc["decomp_ns_per_byte"]
               if wl in READS else 0.7 * acc["decomp_ns_per_byte"] + 0.3 * acc["comp_ns_per_byte"])
        out["compressor_acomp_ns_per_byte"] = t_a
        out["limit_acomp_mbps"] = 1e3 / (t_h + t_a)
    return out


def target_for(wl):
    return TARGET_READ if wl in READS else TARGET_WRITE


SCALE_RE = re.compile(r"^(tcg|kvm)-s(\d+)$")


def scale_boots(res):
    """The wall-clock boots (plain TCG or KVM, one per -smp), by vCPUs."""
    out = {}
    for name, b in res["boots"].items():
        m = SCALE_RE.match(name)
        if m:
            out[int(m.group(2))] = (name, m.group(1), b)
    return dict(sorted(out.items()))


def memory_boot(res):
    """The boot whose memory figures the report shows: the deterministic
    one, else -smp 2, else the lowest -smp count."""
    if "det" in res["boots"]:
        return res["boots"]["det"]
    sb = scale_boots(res)
    if 2 in sb:
        return sb[2][2]
    return next(iter(sb.values()))[2] if sb else None


def accel_name(acc):
    return "KVM (hardware)" if acc == "kvm" else "plain TCG"


def scaling_rows(res):
    """Per workload (50% data): for each -smp, one job per vCPU, both
    drivers' medians, ours / C, and each driver's speed-up over its own
    single job. Every scaling boot runs one job too; the single-job base
    is the median over all of them (rounds x boots), since one boot's
    few wall-clock rounds swing too much to divide by."""
    sb = scale_boots(res)
    rows, single = {}, {}
    for smp, (_, _, b) in sb.items():
        for r in b["fio"]:
            if r["ds"] != "50":
                continue
            if r["jobs"] == smp:
                rows.setdefault(r["wl"], {})[smp] = r
            if r["jobs"] == 1:
                for drv in ("rs", "c"):
                    single.setdefault((r["wl"], drv), []).extend(r[drv]["values"])
    out = []
    for wl in sorted(rows, key=WL_ORDER.index):
        for smp, r in sorted(rows[wl].items()):
            e = {"wl": wl, "smp": smp, "rs": r["rs"]["median"], "c": r["c"]["median"],
                 "rs_spread_pct": r["rs"]["spread_pct"], "c_spread_pct": r["c"]["spread_pct"],
                 "ratio": r["ours_over_c"]["ratio"]}
            brs, bc = single.get((wl, "rs")), single.get((wl, "c"))
            if brs and bc:
                e["rs_base"], e["c_base"], e["n_base"] = med(brs), med(bc), len(brs)
                e["rs_speedup"] = r["rs"]["median"] / e["rs_base"]
                e["c_speedup"] = r["c"]["median"] / e["c_base"]
            out.append(e)
    return out


def main():
    d = sys.argv[1]
    meta = json.load(open(os.path.join(d, "meta.json")))
    boots = [json.loads(l) for l in open(os.path.join(d, "boots.jsonl"))]
    problems = []
    res = {"meta": meta, "boots": {}}
    for b in boots:
        recs, verdicts, done = parse_boot(os.path.join(d, f"boot-{b['name']}.txt"))
        for t in b["tests"].split():
            v = verdicts.get(t)
            if v is None:
                problems.append(f"{b['name']}: {t} did not report")
            elif v != "PASS":
                problems.append(f"{b['name']}: {t}: {v}")
            elif t != "bench-info" and not any(r["test"] == t and r["kind"] == "done" for r in recs):
                problems.append(f"{b['name']}: {t} passed without its completeness line")
        if not done:
            problems.append(f"{b['name']}: guest did not finish")
        info = next((r for r in recs if r["kind"] == "info"), {})
        if "icount" in b["qemu_extra"] and info.get("erms") != 0:
            problems.append(f"{b['name']}: erms still visible in the guest: -cpu max,-erms,-fsrm did not take effect")
        if "rep_good" in b.get("cmdline_extra", "") and info.get("rep_good") != 0:
            problems.append(f"{b['name']}: rep_good still set in the guest: clearcpuid=rep_good did not take effect")
        fio = fio_table(recs)
        comp = comp_costs(recs)
        bres = {"boot": b, "info": info, "records": recs, "verdicts": verdicts}
        # fio: per workload, drivers, ratio, limit.
        rows = []
        for (ds, jobs, wl), drvs in sorted(fio.items(), key=lambda kv: (kv[0][0], kv[0][1], WL_ORDER.index(kv[0][2]))):
            row = {"ds": ds, "jobs": jobs, "wl": wl}
            for drv, vals in drvs.items():
                row[drv] = stat(vals)
            if "rs" in drvs and "c" in drvs:
                row["ours_over_c"] = ratio_stat(drvs["rs"], drvs["c"])
                if jobs == 1:
                    lim = limit_for(ds, jobs, wl, fio, comp, meta["alg"])
                    if lim:
                        row["limit"] = lim
                        row["limit"]["ours_fraction"] = row["rs"]["median"] / lim["limit_mbps"]
                        row["limit"]["c_fraction"] = row["c"]["median"] / lim["limit_mbps"]
                        row["limit"]["target"] = target_for(wl)
                    # Where ours is slower: the extra time per 4 KiB page,
                    # and how much of it the crypto API alone accounts for.
                    gap = (1e3 / row["rs"]["median"] - 1e3 / row["c"]["median"]) * 4096
                    row["gap_ns_per_page"] = gap
                    if lim and "compressor_acomp_ns_per_byte" in lim:
                        row["acomp_overhead_ns_per_page"] = (
                            lim["compressor_acomp_ns_per_byte"] - lim["compressor_ns_per_byte"]) * 4096
                rows.append(row)
        bres["fio"] = rows
        bres["compressor"] = {f"{k[0]}/{k[1]}": v for k, v in comp.items()}
        # Memory after the same writes.
        mem = {}
        for r in recs:
            if r["kind"] == "mem" and r["jobs"] == 1:
                m = mem.setdefault(str(r["ds"]), {}).setdefault(r["drv"], {"orig": [], "compr": [], "used": []})
                for k in ("orig", "compr", "used"):
                    m[k].append(r[k])
        bres["memory"] = {ds: {drv: {k: med(v) for k, v in m.items()} for drv, m in dm.items()}
                          for ds, dm in mem.items()}
        # Sparse cost against disksize.
        ms = {}
        for r in recs:
            if r["kind"] == "memsize":
                e = ms.setdefault(r["drv"], {}).setdefault(r["pages"], {"table": [], "memfree": [], "disksize": r["disksize"]})
                e["table"].append((r["vmalloc_kb"] + r["slab_kb"]) * 1024)
                e["memfree"].append(r["memfree_kb"] * 1024)
        msz = {}
        for drv, bypages in ms.items():
            pts = sorted(bypages)
            entry = {"points": [{"pages": p, "disksize": bypages[p]["disksize"],
                                 "vmalloc_slab_bytes": med(bypages[p]["table"]),
                                 "memfree_drop_bytes": med(bypages[p]["memfree"])} for p in pts]}
            if len(pts) >= 2:
                lo, hi = entry["points"][0], entry["points"][-1]
                dp = hi["pages"] - lo["pages"]
                entry["bytes_per_page_vmalloc_slab"] = (hi["vmalloc_slab_bytes"] - lo["vmalloc_slab_bytes"]) / dp
                entry["bytes_per_page_memfree"] = (hi["memfree_drop_bytes"] - lo["memfree_drop_bytes"]) / dp
                entry["kib_per_gib_memfree"] = entry["bytes_per_page_memfree"] * 262144 / 1024
            msz[drv] = entry
        bres["memsize"] = msz
        cm = next((r for r in recs if r["kind"] == "cmeta"), None)
        if cm:
            bres["c_table_entry_bytes"] = cm.get("sizeof_zram_table_entry")
        # Swap.
        sw = {}
        for r in recs:
            if r["kind"] == "swap":
                s = sw.setdefault(r["drv"], {"ms": {}, "pswpin": [], "pswpout": [], "used": []})
                s["ms"][r["round"]] = r["ms"]
                s["pswpin"].append(r["pswpin"])
                s["pswpout"].append(r["pswpout"])
                s["used"].append(r["peak"])
        if sw:
            swo = {drv: {"ms": stat(s["ms"]), "pswpin": med(s["pswpin"]), "pswpout": med(s["pswpout"]),
                         "mem_used": med(s["used"])} for drv, s in sw.items()}
            if "rs" in sw and "c" in sw:
                # Speed: C time / our time (higher is better for ours).
                rs = ratio_stat({k: 1 / v for k, v in sw["rs"]["ms"].items()},
                                {k: 1 / v for k, v in sw["c"]["ms"].items()})
                swo["ours_speed_over_c"] = rs
            swo["workload"] = next(({"mib": r["mib"], "limit_mib": r["limit_mib"]} for r in recs if r["kind"] == "swap"), {})
            bres["swap"] = swo
        # Writeback and reads of written-back pages.
        wbr = {}
        for r in recs:
            if r["kind"] == "wb":
                w = wbr.setdefault(r["drv"], {"wb": {}, "rd": {}, "bd_writes": [], "bd_reads": []})
                w["wb"][r["round"]] = r["wb_ms"]
                w["rd"][r["round"]] = r["rd_ms"]
                w["bd_writes"].append(r["bd_writes"])
                w["bd_reads"].append(r["bd_reads"])
        if wbr:
            wbo = {drv: {"wb_ms": stat(w["wb"]), "rd_ms": stat(w["rd"]), "bd_writes": med(w["bd_writes"]),
                         "bd_reads": med(w["bd_reads"])} for drv, w in wbr.items()}
            if "rs" in wbr and "c" in wbr:
                for k in ("wb", "rd"):
                    # Speed: C time / our time (higher is better for ours).
                    wbo[f"{k}_ours_speed_over_c"] = ratio_stat(
                        {i: 1 / max(v, 1) for i, v in wbr["rs"][k].items()},
                        {i: 1 / max(v, 1) for i, v in wbr["c"][k].items()})
            wbo["workload"] = next(({"mib": r["mib"], "batch": r["batch"]} for r in recs if r["kind"] == "wb"), {})
            bres["wb"] = wbo
        # Algorithms with parameters: throughput (KiB per ms) and sizes.
        al = {}
        for r in recs:
            if r["kind"] == "algo":
                a = al.setdefault(r["case"], {}).setdefault(
                    r["drv"], {"w": {}, "r": {}, "compr": [], "mem": []})
                a["w"][r["round"]] = r["wkb"] / max(r["wms"], 1)
                a["r"][r["round"]] = r["rkb"] / max(r["rms"], 1)
                a["compr"].append(r["compr"])
                a["mem"].append(r["mem"])
        if al or any(r["kind"] == "algo_skip" for r in recs):
            ao = {"cases": {}, "skipped": [r["case"] for r in recs if r["kind"] == "algo_skip"],
                  "mib": next((r["mib"] for r in recs if r["kind"] == "algo"), None)}
            for case, drvs in al.items():
                o = {drv: {"write_kib_per_ms": stat(a["w"]), "read_kib_per_ms": stat(a["r"]),
                           "compr": med(a["compr"]), "mem": med(a["mem"]),
                           "compr_values": sorted(set(a["compr"]))} for drv, a in drvs.items()}
                if "rs" in drvs and "c" in drvs:
                    o["write_ours_over_c"] = ratio_stat(drvs["rs"]["w"], drvs["c"]["w"])
                    o["read_ours_over_c"] = ratio_stat(drvs["rs"]["r"], drvs["c"]["r"])
                    o["same_compr"] = o["rs"]["compr_values"] == o["c"]["compr_values"]
                ao["cases"][case] = o
            bres["algos"] = ao
        res["boots"][b["name"]] = bres

    # Matrix completeness: every (ds, jobs, wl) needs all drivers of its boot.
    for name, bres in res["boots"].items():
        for row in bres["fio"]:
            for drv in ("rs", "c"):
                if drv in row and row[drv]["n"] < 3 and not meta.get("allow_few_rounds"):
                    problems.append(f"{name}: {row['ds']}/{row['jobs']}/{row['wl']} {drv}: only {row[drv]['n']} rounds")
    res["problems"] = problems
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump(res, f, indent=1, default=str)
    md = write_markdown(d, res)
    try:
        charts(d, res)
    except Exception as e:  # a chart must not hide the figures
        problems.append(f"charts: {e}")
    print(md["summary"])
    if problems:
        print("\nPROBLEMS (the run is not complete):")
        for p in problems:
            print("  " + p)
        return 1
    return 0


def pct(x):
    return f"{100 * x:.0f}%" if x is not None else "n/a"


def write_markdown(d, res):
    meta = res["meta"]
    L, S = [], []
    det = res["boots"].get("det")
    sb = scale_boots(res)
    tcg = sb[2][2] if 2 in sb else None
    tcg_acc = accel_name(sb[2][1]) if 2 in sb else ""
    L.append(f"# zram-rs benchmark, {meta['date']}\n")
    L.append("## What ran\n")
    L.append(f"- host: {meta['host']} ({meta['host_cpu']}, {meta['host_cpus']} CPUs"
             + (f", kernel {meta['host_kernel']}" if meta.get("host_kernel") else "") + f"), {meta['qemu']}")
    if meta.get("bundle"):
        L.append(f"- ran from a bench bundle (make bench-bundle): {meta['bundle']}")
    L.append(f"- kernel: {meta['kernel_release']} (release config, build `{meta['kernel_build']}`, "
             f"config fragment hash {meta['config_hash']}), zram-rs {meta['git']}")
    L.append(f"- algorithm: {meta['alg']}; disksize 512M; real-data image {meta['realdata_mib']} MiB "
             f"(kernel source text + vmlinux/modules/objects); quick={meta['quick']}; total {meta['total_wall_s']} s")
    for name, b in res["boots"].items():
        bo, info = b["boot"], b["info"]
        mode = ("TCG + icount (deterministic: guest time = executed instructions)"
                if "icount" in bo["qemu_extra"] else "KVM (hardware, wall clock)" if "kvm" in bo["accel"]
                else "plain TCG (wall-clock guest time, noisy)")
        kx = f", kernel `{bo['cmdline_extra']}`" if bo.get("cmdline_extra") else ""
        L.append(f"- boot `{name}`: {bo['accel']} {bo['qemu_extra']} -smp {bo['smp']} -m {bo['mem']}{kx}: {mode}; "
                 f"guest sees erms={info.get('erms')} fsrm={info.get('fsrm')} rep_good={info.get('rep_good')}, "
                 f"{info.get('ncpu')} CPUs; "
                 f"args `{bo['args']}`; {bo['wall_s']} s")
    L.append("\nAbsolute MB/s are QEMU TCG guest figures (KVM boots excepted), not hardware figures: compare the two drivers, "
             "which always ran in the same boot, alternated (ours, C, ours, C, ...). Ratios are ours / C "
             "(higher is better for throughput, lower for memory); spreads are (max - min) / median over "
             "rounds, and the ratio range is over per-round pairs.\n")

    def fio_section(b, title, show_limit):
        L.append(f"## {title}\n")
        hdr = "| data | jobs | workload | ours MB/s (spread) | C MB/s (spread) | ours/C (range) |"
        sep = "|---|---|---|---|---|---|"
        if show_limit:
            hdr += (" limit MB/s (harness + comp ns/B) | ours % limit | C % limit | target |"
                    " ours - C ns/page | crypto API ns/page |")
            sep += "---|---|---|---|---|---|"
        L.append(hdr)
        L.append(sep)
        for row in b["fio"]:
            o = row["ours_over_c"]
            line = (f"| {ds_name(row['ds'])} | {row['jobs']} | {WL_NAME[row['wl']]} | "
                    f"{row['rs']['median']:.1f} ({row['rs']['spread_pct']:.1f}%) | "
                    f"{row['c']['median']:.1f} ({row['c']['spread_pct']:.1f}%) | "
                    f"{o['ratio']:.3f} ({o['min']:.3f}-{o['max']:.3f}){' **behind**' if o['ratio'] < 0.995 else ''} |")
            if show_limit:
                lim = row.get("limit")
                if lim:
                    met = lim["ours_fraction"] >= lim["target"]
                    line += (f" {lim['limit_mbps']:.1f} ({lim['harness_ns_per_byte']:.2f} + "
                             f"{lim['compressor_ns_per_byte']:.2f} {lim['compressor_api']}) | "
                             f"{pct(lim['ours_fraction'])} | {pct(lim['c_fraction'])} | "
                             f">= {pct(lim['target'])}: {'met' if met else '**not met**'} |")
                else:
                    line += " n/a | | | |"
                line += f" {row.get('gap_ns_per_page', 0):.0f} |"
                line += (f" {row['acomp_overhead_ns_per_page']:.0f} |" if "acomp_overhead_ns_per_page" in row else " n/a |")
            L.append(line)
        L.append("")

    if det:
        fio_section(det, "fio, deterministic mode (single job; the headline)", True)
        L.append("Limit = 1 / (t_harness + t_compressor): t_harness is the same fio job on null_blk "
                 "(memory_backed=0, irqmode=0, no_sched=1), t_compressor the algorithm alone over the same kind of "
                 "pages (zrs_compbench.ko; compress for writes, decompress for reads, 70/30 for the mix; "
                 "`lz4lib` = the lz4 library called directly, as the C zram does, `acomp` = the crypto API, "
                 "as zram_rs does). Targets: ours >= C everywhere, >= 80% of the limit on writes, >= 90% on reads. "
                 "null_blk is a blk-mq driver (request allocation, tags, dispatch) while both zrams are bio-based, "
                 "so on 4 KiB I/O its harness time per byte is an over-estimate and a driver can exceed 100%. "
                 "'ours - C ns/page' is the extra guest time (instructions) ours spends per 4 KiB page; "
                 "'crypto API ns/page' is the part of it the acomp interface alone costs over the lz4 library "
                 "(zrs_compbench: acomp minus lz4lib), which a driver calling acomp cannot avoid.\n")
        L.append("### The compressor alone (ns per byte, medians)\n")
        L.append("| data | api | compress | decompress | stored/orig of compressed pages | huge pages |")
        L.append("|---|---|---|---|---|---|")
        for k, v in sorted(det["compressor"].items()):
            ds, api = k.split("/")
            L.append(f"| {ds_name(ds)} | {api} | {v['comp_ns_per_byte']:.3f} ({v['comp_spread_pct']:.1f}%) | "
                     f"{v['decomp_ns_per_byte']:.3f} ({v['decomp_spread_pct']:.1f}%) | "
                     f"{v['ratio']:.3f} | {v['huge_pages']}/{v['pages']} |" if v['ratio'] is not None else
                     f"| {ds_name(ds)} | {api} | {v['comp_ns_per_byte']:.3f} | {v['decomp_ns_per_byte']:.3f} | n/a | {v['huge_pages']}/{v['pages']} |")
        L.append("")
    deb = res["boots"].get("det-debian")
    if deb:
        fio_section(deb, "fio, deterministic mode on Debian's own kernel (single job)", False)
        L.append("Debian 7.3.4+deb13-amd64 as packaged (gcc-14, no CONFIG_RUST_INLINE_HELPERS: the kernel crate's "
                 "C helpers are calls into vmlinux, not inlined), its own zram.ko as C, ours built against its "
                 "headers as DKMS builds it; the same QEMU options and workloads as the deterministic boot above.\n")
    if tcg:
        fio_section(tcg, f"fio, {tcg_acc} -smp 2 (1 job and one job per vCPU; wall clock)", False)
    for smp, (name, acc, b) in sb.items():
        if smp != 2:
            fio_section(b, f"fio, {accel_name(acc)} -smp {smp} (scaling)", False)
    sc = scaling_rows(res)
    if len(sb) > 1 and sc:
        L.append("## Scaling: one fio job per vCPU, 50% compressible\n")
        L.append("Speed-up is each driver's MB/s over its own single-job median, pooled over every boot's "
                 "single-job rounds (wall clock, "
                 + ", ".join(sorted({accel_name(a) for _, a, _ in sb.values()})) + ").\n")
        L.append("| workload | vCPUs | ours MB/s (spread) | C MB/s (spread) | ours/C | ours speed-up | C speed-up |")
        L.append("|---|---|---|---|---|---|---|")
        for e in sc:
            L.append(f"| {WL_NAME[e['wl']]} | {e['smp']} | {e['rs']:.1f} ({e['rs_spread_pct']:.0f}%) | "
                     f"{e['c']:.1f} ({e['c_spread_pct']:.0f}%) | {e['ratio']:.3f} | "
                     + (f"{e['rs_speedup']:.2f} | {e['c_speedup']:.2f} |" if "rs_speedup" in e else "n/a | n/a |"))
        L.append("")
        L.append("Single-job bases (MB/s, medians over " + ", ".join(
            f"{WL_NAME[e['wl']]} ours {e['rs_base']:.1f} C {e['c_base']:.1f} (n={e['n_base']})"
            for e in sc if e["smp"] == min(sb) and "rs_base" in e) + ").")
        L.append("")

    L.append("## Memory\n")
    src = memory_boot(res)
    if src and src["memory"]:
        L.append("mm_stat after one sequential pass over the same data (bytes, medians):\n")
        L.append("| data | orig_data_size | ours compr | C compr | ours mem_used_total | C mem_used_total | ours/C used |")
        L.append("|---|---|---|---|---|---|---|")
        for ds, m in sorted(src["memory"].items()):
            if "rs" in m and "c" in m:
                r = m["rs"]["used"] / m["c"]["used"]
                L.append(f"| {ds_name(ds)} | {m['rs']['orig']} | {m['rs']['compr']} | {m['c']['compr']} | "
                         f"{m['rs']['used']} | {m['c']['used']} | {r:.4f}{' **more than C**' if r > 1.0 else ''} |")
        L.append("")
    if src and src.get("memsize"):
        ms = src["memsize"]
        L.append("Metadata against disksize (nothing stored; growth of VmallocUsed + Slab and fall of "
                 "MemFree when disksize is set; medians):\n")
        L.append("| driver | disksize | vmalloc+slab bytes | MemFree drop bytes |")
        L.append("|---|---|---|---|")
        for drv in ("rs", "c"):
            for p in ms.get(drv, {}).get("points", []):
                L.append(f"| {drv} | {p['disksize'] >> 20} MiB | {p['vmalloc_slab_bytes']} | {p['memfree_drop_bytes']} |")
        L.append("")
        for drv in ("rs", "c"):
            e = ms.get(drv, {})
            if "bytes_per_page_vmalloc_slab" in e:
                L.append(f"- {'ours' if drv == 'rs' else 'C'}: {e['bytes_per_page_vmalloc_slab']:.2f} bytes per page "
                         f"(vmalloc+slab slope), {e['bytes_per_page_memfree']:.2f} (MemFree slope) = "
                         f"{e['kib_per_gib_memfree']:.0f} KiB per GiB of disksize")
        if src.get("c_table_entry_bytes"):
            L.append(f"- C: sizeof(struct zram_table_entry) = {src['c_table_entry_bytes']} bytes, compiled from "
                     "drivers/block/zram/zram_drv.h against this kernel's configuration (zrs_compbench.ko)")
        L.append("- ours: 16 bytes per slot by design (src/logic/slot.rs: handle + one attribute word); "
                 "the slope above is the measurement")
        L.append("")
    for name in ("det", "det-debian", sb[2][0] if 2 in sb else "tcg-s2"):
        b = res["boots"].get(name)
        if b and b.get("swap"):
            s = b["swap"]
            w = s["workload"]
            L.append(f"## Swap ({name}): zrs-memtest {w.get('mib')} MiB in a {w.get('limit_mib')} MiB memory cgroup\n")
            L.append("| driver | time ms (spread) | pswpin | pswpout | mem_used_max (peak) |")
            L.append("|---|---|---|---|---|")
            for drv in ("rs", "c"):
                if drv in s:
                    L.append(f"| {drv} | {s[drv]['ms']['median']:.0f} ({s[drv]['ms']['spread_pct']:.1f}%) | "
                             f"{s[drv]['pswpin']} | {s[drv]['pswpout']} | {s[drv]['mem_used']} |")
            if "ours_speed_over_c" in s:
                o = s["ours_speed_over_c"]
                L.append(f"\nSpeed ours/C (C time / our time): {o['ratio']:.3f} ({o['min']:.3f}-{o['max']:.3f})"
                         f"{' **behind**' if o['ratio'] < 0.995 else ''}\n")
    for name in ("det", "det-debian"):
        b = res["boots"].get(name)
        if b and b.get("wb"):
            w = b["wb"]
            wl = w["workload"]
            L.append(f"## Backing device ({name}): {wl.get('mib')} MiB written back "
                     f"(writeback_batch_size {wl.get('batch')}), then read back from it\n")
            L.append("| driver | writeback ms (spread) | read-back ms (spread) | bd_writes | bd_reads |")
            L.append("|---|---|---|---|---|")
            for drv in ("rs", "c"):
                if drv in w:
                    L.append(f"| {drv} | {w[drv]['wb_ms']['median']:.0f} ({w[drv]['wb_ms']['spread_pct']:.1f}%) | "
                             f"{w[drv]['rd_ms']['median']:.0f} ({w[drv]['rd_ms']['spread_pct']:.1f}%) | "
                             f"{w[drv]['bd_writes']:.0f} | {w[drv]['bd_reads']:.0f} |")
            for k, what in (("wb", "writeback"), ("rd", "read-back")):
                o = w.get(f"{k}_ours_speed_over_c")
                if o:
                    L.append(f"\n{what} speed ours/C (C time / our time): {o['ratio']:.3f} ({o['min']:.3f}-{o['max']:.3f})"
                             f"{' **behind**' if o['ratio'] < 0.995 else ''}")
            L.append("")
    for name in ("det", "det-debian"):
        a = (res["boots"].get(name) or {}).get("algos")
        if not a:
            continue
        L.append(f"## Algorithms with parameters ({name}): {a['mib']} MiB of the real-data set "
                 "written, then read back\n")
        L.append("| case | write ours/C (range) | read ours/C (range) | compr_data_size ours | C | mem_used_total ours | C |")
        L.append("|---|---|---|---|---|---|---|")
        for case, o in a["cases"].items():
            if "write_ours_over_c" not in o:
                continue
            w, r = o["write_ours_over_c"], o["read_ours_over_c"]
            L.append(f"| {case} | {w['ratio']:.3f} ({w['min']:.3f}-{w['max']:.3f}) | "
                     f"{r['ratio']:.3f} ({r['min']:.3f}-{r['max']:.3f}) | {o['rs']['compr']:.0f} | "
                     f"{o['c']['compr']:.0f}{'' if o['same_compr'] else ' **differs**'} | "
                     f"{o['rs']['mem']:.0f} | {o['c']['mem']:.0f} |")
        if a["skipped"]:
            L.append(f"\nNot run (not in this kernel's C zram): {', '.join(a['skipped'])}")
        L.append("")
    if res["problems"]:
        L.append("## PROBLEMS: this run is not complete\n")
        for p in res["problems"]:
            L.append(f"- {p}")
    L.append("\nCharts: " + ", ".join(f"`{c}`" for c in CHARTS))
    md = "\n".join(L) + "\n"
    with open(os.path.join(d, "report.md"), "w") as f:
        f.write(md)

    # Terminal summary: the headline.
    S.append(f"zram-rs bench {meta['date']}: {meta['kernel_release']} (config {meta['config_hash']}), "
             f"alg {meta['alg']}, QEMU, quick={meta['quick']}, {meta['total_wall_s']} s, "
             f"host {meta['host_cpus']} CPUs ({meta['host_cpu']})")
    if det:
        bo = det["boot"]
        S.append(f"deterministic (TCG {bo['qemu_extra']}"
                 + (f", kernel {bo['cmdline_extra']}" if bo.get("cmdline_extra") else "") + "), 1 job, medians:")
        S.append(f"  {'data':<18} {'workload':<14} {'ours':>8} {'C':>8} {'ours/C':>7} {'limit':>8} {'ours%':>6} {'C%':>6} "
                 f"{'gap':>6} {'api':>5}  target")
        for row in det["fio"]:
            lim = row.get("limit", {})
            S.append(f"  {ds_name(row['ds']):<18} {WL_NAME[row['wl']]:<14} {row['rs']['median']:8.1f} "
                     f"{row['c']['median']:8.1f} {row['ours_over_c']['ratio']:7.3f} "
                     f"{lim.get('limit_mbps', 0):8.1f} {pct(lim.get('ours_fraction')):>6} {pct(lim.get('c_fraction')):>6} "
                     f"{row.get('gap_ns_per_page', 0):6.0f} {row.get('acomp_overhead_ns_per_page', float('nan')):5.0f}  "
                     + (f">={pct(lim['target'])} {'met' if lim['ours_fraction'] >= lim['target'] else 'NOT met'}" if lim else "")
                     + ("  ours BEHIND C" if row['ours_over_c']['ratio'] < 0.995 else ""))
        S.append("  (MB/s of guest time under TCG icount: instruction cost, not hardware speed; gap = ours - C ns per"
                 " 4 KiB page; api = of which the crypto acomp API alone, acomp - lz4 library)")
    if tcg:
        worst = min(tcg["fio"], key=lambda r: r["ours_over_c"]["ratio"], default=None)
        rat = [r["ours_over_c"]["ratio"] for r in tcg["fio"]]
        if rat:
            S.append(f"{tcg_acc} -smp 2 (wall clock): ours/C median over {len(rat)} workloads {statistics.median(rat):.3f}, "
                     f"worst {worst['ours_over_c']['ratio']:.3f} ({ds_name(worst['ds'])}, {worst['jobs']} jobs, {WL_NAME[worst['wl']]})")
    if len(sb) > 1 and sc:
        S.append("scaling (one job per vCPU, 50% data): ours/C, and ours | C speed-up over the pooled 1-job median:")
        for e in sc:
            S.append(f"  {WL_NAME[e['wl']]:<14} -smp {e['smp']:<3} ours/C {e['ratio']:.3f}"
                     + (f"  speed-up ours {e['rs_speedup']:.2f} | C {e['c_speedup']:.2f}" if "rs_speedup" in e else ""))
    if src and src["memory"]:
        rr = [m["rs"]["used"] / m["c"]["used"] for m in src["memory"].values() if "rs" in m and "c" in m]
        S.append(f"memory: ours/C mem_used_total {min(rr):.4f}-{max(rr):.4f} over {len(rr)} data sets")
    if src and src.get("memsize"):
        ms = src["memsize"]
        S.append("metadata per page of disksize (MemFree slope): " + ", ".join(
            f"{'ours' if k == 'rs' else 'C'} {v.get('bytes_per_page_memfree', float('nan')):.2f} B"
            for k, v in ms.items()) + (f"; C sizeof(zram_table_entry) = {src.get('c_table_entry_bytes')}"))
    if det and det.get("swap") and "ours_speed_over_c" in det["swap"]:
        s = det["swap"]
        S.append(f"swap (deterministic): ours {s['rs']['ms']['median']:.0f} ms, C {s['c']['ms']['median']:.0f} ms, "
                 f"speed ours/C {s['ours_speed_over_c']['ratio']:.3f}; pswpout ours {s['rs']['pswpout']} C {s['c']['pswpout']}")
    for name in ("det", "det-debian"):
        w = (res["boots"].get(name) or {}).get("wb")
        if w and "wb_ours_speed_over_c" in w:
            S.append(f"backing device ({name}): writeback ours {w['rs']['wb_ms']['median']:.0f} ms, "
                     f"C {w['c']['wb_ms']['median']:.0f} ms, speed ours/C {w['wb_ours_speed_over_c']['ratio']:.3f}; "
                     f"read-back ours {w['rs']['rd_ms']['median']:.0f} ms, C {w['c']['rd_ms']['median']:.0f} ms, "
                     f"speed ours/C {w['rd_ours_speed_over_c']['ratio']:.3f}")
    for name in ("det", "det-debian"):
        a = (res["boots"].get(name) or {}).get("algos")
        if a and a["cases"]:
            parts = [f"{case} {o['write_ours_over_c']['ratio']:.3f}/{o['read_ours_over_c']['ratio']:.3f}"
                     f"{'' if o['same_compr'] else ' (sizes differ)'}"
                     for case, o in a["cases"].items() if "write_ours_over_c" in o]
            S.append(f"algorithms ({name}), write/read speed ours/C: " + ", ".join(parts))
    deb = res["boots"].get("det-debian")
    if deb and deb["fio"]:
        rat = [row["ours_over_c"]["ratio"] for row in deb["fio"] if "ours_over_c" in row]
        lo = [row["ours_over_c"]["min"] for row in deb["fio"] if "ours_over_c" in row]
        S.append(f"Debian's kernel (deterministic, no inline helpers): ours/C over {len(rat)} workloads "
                 f"{min(rat):.3f}-{max(rat):.3f} (per-round low {min(lo):.3f})")
        for row in deb["fio"]:
            if "ours_over_c" in row:
                S.append(f"  {ds_name(row['ds']):<18} {WL_NAME[row['wl']]:<14} {row['rs']['median']:8.1f} "
                         f"{row['c']['median']:8.1f} {row['ours_over_c']['ratio']:7.3f}")
        if deb.get("swap") and "ours_speed_over_c" in deb["swap"]:
            s = deb["swap"]
            S.append(f"swap (Debian, deterministic): ours {s['rs']['ms']['median']:.0f} ms, C {s['c']['ms']['median']:.0f} ms, "
                     f"speed ours/C {s['ours_speed_over_c']['ratio']:.3f}")
        mr = [m["rs"]["used"] / m["c"]["used"] for m in deb["memory"].values() if "rs" in m and "c" in m]
        if mr:
            S.append(f"memory (Debian): ours/C mem_used_total {min(mr):.4f}-{max(mr):.4f} over {len(mr)} data sets")
    S.append(f"full report: {os.path.join(d, 'report.md')}")
    return {"summary": "\n".join(S)}


CHARTS = ("det-ratio.png", "det-limit.png", "det-mbps.png", "memory.png", "scaling.png", "metadata.png")


def charts(d, res):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    @contextlib.contextmanager
    def chart(name, size, title, ylabel, xlabel=None, legend=None):
        """One PNG under d: the body draws on the axes it is given."""
        fig, ax = plt.subplots(figsize=size)
        try:
            yield ax
            if xlabel:
                ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
            ax.set_title(title)
            if legend is not None:
                ax.legend(**legend)
            fig.tight_layout()
            fig.savefig(os.path.join(d, name), dpi=110)
        finally:
            plt.close(fig)

    def wide(n):
        return (max(8, n * 0.5), 4.5)

    det = res["boots"].get("det")
    if det and det["fio"]:
        rows = det["fio"]
        labels = [f"{r['ds']}\n{r['wl']}" for r in rows]
        x = range(len(rows))
        rat = [r["ours_over_c"]["ratio"] for r in rows]
        with chart("det-ratio.png", wide(len(rows)),
                   "zram_rs / C zram, deterministic TCG (icount), 1 job, median and per-round range",
                   "ours / C throughput") as ax:
            lo = [r["ours_over_c"]["ratio"] - r["ours_over_c"]["min"] for r in rows]
            hi = [r["ours_over_c"]["max"] - r["ours_over_c"]["ratio"] for r in rows]
            ax.bar(x, rat, yerr=[lo, hi], color=["tab:green" if v >= 0.995 else "tab:red" for v in rat])
            ax.axhline(1.0, color="k", lw=0.8)
            ax.set_xticks(list(x), labels, fontsize=7)
            ax.set_ylim(min(0.8, min(rat) - 0.05), max(1.2, max(rat) + 0.05))

        lr = [r for r in rows if "limit" in r]
        if lr:
            with chart("det-limit.png", wide(len(lr)), "Fraction of the composite limit (deterministic TCG)",
                       "fraction of 1/(t_harness + t_compressor)", legend={"fontsize": 7}) as ax:
                xl = range(len(lr))
                ax.bar([i - 0.2 for i in xl], [r["limit"]["ours_fraction"] for r in lr], 0.4, label="ours")
                ax.bar([i + 0.2 for i in xl], [r["limit"]["c_fraction"] for r in lr], 0.4, label="C")
                ax.axhline(TARGET_WRITE, color="tab:red", ls="--", lw=0.8, label="write target 80%")
                ax.axhline(TARGET_READ, color="tab:purple", ls=":", lw=0.8, label="read target 90%")
                ax.set_xticks(list(xl), [f"{r['ds']}\n{r['wl']}" for r in lr], fontsize=7)

        with chart("det-mbps.png", wide(len(rows)), "Throughput, deterministic TCG, 1 job",
                   "MB/s of TCG guest time (not hardware)", legend={"fontsize": 7}) as ax:
            ax.bar([i - 0.27 for i in x], [r["rs"]["median"] for r in rows], 0.27, label="ours")
            ax.bar([i for i in x], [r["c"]["median"] for r in rows], 0.27, label="C")
            ax.bar([i + 0.27 for i in x], [r.get("limit", {}).get("limit_mbps", 0) for r in rows], 0.27, label="limit")
            ax.set_xticks(list(x), labels, fontsize=7)

    sb = scale_boots(res)
    src = memory_boot(res)
    if src and src["memory"]:
        dss = sorted(src["memory"])
        with chart("memory.png", (7, 4), "Memory after writing the same data", "mem_used_total MiB",
                   legend={}) as ax:
            x = range(len(dss))
            for off, drv, lab in ((-0.2, "rs", "ours"), (0.2, "c", "C")):
                ax.bar([i + off for i in x], [src["memory"][s].get(drv, {}).get("used", 0) / 2**20 for s in dss], 0.4, label=lab)
            ax.set_xticks(list(x), [ds_name(s) for s in dss], fontsize=8)
    if src and src.get("memsize"):
        with chart("metadata.png", (7, 4), "Metadata cost against disksize", "MemFree drop MiB",
                   xlabel="disksize GiB (nothing stored)", legend={}) as ax:
            for drv, lab in (("rs", "ours"), ("c", "C")):
                pts = src["memsize"].get(drv, {}).get("points", [])
                ax.plot([p["disksize"] / 2**30 for p in pts], [p["memfree_drop_bytes"] / 2**20 for p in pts], "o-", label=lab)

    sc = {}
    for smp, (_, _, b) in sb.items():
        for r in b["fio"]:
            if r["ds"] == "50" and r["jobs"] == smp and r["jobs"] >= 1:
                for drv in ("rs", "c"):
                    sc.setdefault((r["wl"], drv), {})[smp] = r[drv]["median"]
    if sc:
        accels = ", ".join(sorted({accel_name(a) for _, a, _ in sb.values()}))
        with chart("scaling.png", (7, 4.5), "Scaling, 50% compressible (ours solid, C dashed)",
                   f"MB/s ({accels}, wall clock)", xlabel="vCPUs (one fio job per vCPU)",
                   legend={"fontsize": 6}) as ax:
            colours = dict(zip(WL_ORDER, ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")))
            for (wl, drv), v in sorted(sc.items(), key=lambda kv: (WL_ORDER.index(kv[0][0]), kv[0][1] != "rs")):
                xs = sorted(v)
                ax.plot(xs, [v[s] for s in xs], "o-" if drv == "rs" else "s--", color=colours[wl],
                        label=f"{'ours' if drv == 'rs' else 'C'} {WL_NAME[wl]}")


if __name__ == "__main__":
    sys.exit(main())
