#!/usr/bin/env python3
"""Render benchmark results into docs/benchmarks.md.

Inputs are the JSON files one `tools/umc bench` run produced, so every figure
in the page comes from the same run on the same machine.  Sections appear
only for the inputs given.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess


def machine_line():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem_gib:.0f} GiB, kernel {platform.release()}, "
            f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def mte_section(path):
    """Google Benchmark JSON: one row per benchmark, median and spread of the
    repetitions plus any latency counters the benchmark reports (in ns)."""
    with open(path) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"])
        agg = b.get("aggregate_name")
        if agg not in ("median", "stddev", None):
            continue
        row = rows.setdefault(name, {})
        key = agg or "single"
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        row[key] = {"time": b["real_time"] * scale,
                    "counters": {k: v for k, v in b.items()
                                 if k.endswith("_ns") and isinstance(v, (int, float))}}
    lines = ["## mte: event engine latency", "",
             "Google Benchmark, 5 repetitions; time per iteration is the median of the repetitions. "
             "Latency counters (`*_ns`) are measured inside the benchmark from the moment of arming or "
             "posting to the moment the callback runs on the task thread.", "",
             "| benchmark | time/iter (median) | stddev | latency counters (median run) |",
             "|---|---:|---:|---|"]
    for name, row in rows.items():
        main = row.get("median") or row.get("single")
        sd = row.get("stddev")
        counters = ", ".join(f"{k[:-3]} {fmt_ns(v)}" for k, v in sorted(main["counters"].items()))
        lines.append(f"| `{name}` | {fmt_ns(main['time'])} | {fmt_ns(sd['time']) if sd else '–'} | "
                     f"{counters or '–'} |")
    return "\n".join(lines)


FIO_JOBS = [("seqwrite", "seq write 1 MiB QD8", "bw"), ("seqread", "seq read 1 MiB QD8", "bw"),
            ("randwrite", "rand write 4 KiB QD32", "iops"), ("randread", "rand read 4 KiB QD32", "iops"),
            ("qd1write", "rand write 4 KiB QD1", "lat")]
FIO_TARGETS = [("backing", "backing file (tmpfs), direct"),
               ("fuse-pt", "bare FUSE passthrough of that file"),
               ("umcd-ram", "umcd `ram` through FUSE"),
               ("umcd-uring", "umcd `uring` on the tmpfs file through FUSE"),
               ("nbdfuse", "nbdkit `memory` + nbdfuse"),
               ("drbd-ram", "DRBD standalone Primary on umcd `ram`"),
               ("drbd-uring", "DRBD standalone Primary on umcd `uring` (tmpfs file)")]


def fio_result(path):
    with open(path) as f:
        job = json.load(f)["jobs"][0]
    side = job["write"] if job["write"]["io_bytes"] else job["read"]
    clat = side["clat_ns"]
    p99 = clat.get("percentile", {}).get("99.000000")
    return {"bw": side["bw_bytes"] / 2**20, "iops": side["iops"], "mean": clat["mean"] / 1000,
            "p99": (p99 or 0) / 1000}


def fio_section(directory, runtime):
    results = {}
    for t, _ in FIO_TARGETS:
        for j, _, _ in FIO_JOBS:
            p = os.path.join(directory, f"fio-{t}-{j}.json")
            if os.path.exists(p):
                results[(t, j)] = fio_result(p)
    targets = [(t, d) for t, d in FIO_TARGETS if any(k[0] == t for k in results)]
    if not targets:
        return ""

    def cell(t, j, kind):
        r = results.get((t, j))
        if not r:
            return "–"
        if kind == "bw":
            return f"{r['bw']:,.0f} MiB/s"
        if kind == "iops":
            return f"{r['iops'] / 1000:,.1f}k IOPS"
        return f"{r['mean']:.1f} / {r['p99']:.1f} µs"

    lines = ["## Block I/O through FUSE", "",
             f"fio 3.33, libaio, direct=1, 1 GiB, {runtime} s per job after 1 s ramp, jobs in this order on "
             "each target. QD1 latency is completion latency, mean / p99. DRBD rows: fresh meta-data that "
             "never saw a peer limits DRBD's bios to 4 KiB (its peer's last known maximum defaults to "
             "DRBD_MAX_BIO_SIZE_SAFE, as in the kernel), so each 1 MiB request crosses DRBD as 256 bios; "
             "umc's plug merges their clones again on the way to the backend.", "",
             "| target | " + " | ".join(d for _, d, _ in FIO_JOBS) + " |",
             "|---|" + "---:|" * len(FIO_JOBS)]
    for t, desc in targets:
        lines.append(f"| {desc} | " + " | ".join(cell(t, j, k) for j, _, k in FIO_JOBS) + " |")

    def ratio(a, b, j, kind):
        ra, rb = results.get((a, j)), results.get((b, j))
        if not ra or not rb:
            return "–"
        if kind == "lat":  # lower is better: report b/a so > 1 means a is faster
            return f"{rb['mean'] / ra['mean']:.2f}" if ra["mean"] else "–"
        key = "bw" if kind == "bw" else "iops"
        return f"{ra[key] / rb[key]:.2f}" if rb[key] else "–"

    pairs = [("umcd-ram", "fuse-pt"), ("umcd-uring", "fuse-pt"), ("umcd-uring", "backing"),
             ("umcd-ram", "nbdfuse"), ("drbd-ram", "umcd-ram"), ("drbd-uring", "umcd-uring")]
    lines += ["", "Ratios (throughput a/b; for QD1 latency, mean b/a — above 1 means a is faster). "
              "Targets: umcd ≥ 0.90 of the bare FUSE passthrough on 1 MiB sequential, ≥ 0.80 on 4 KiB "
              "random, and ahead of nbdkit + nbdfuse; DRBD standalone Primary ≥ 0.90 of the same "
              "backend without DRBD.", "",
              "| a vs b | " + " | ".join(d for _, d, _ in FIO_JOBS) + " |",
              "|---|" + "---:|" * len(FIO_JOBS)]
    for a, b in pairs:
        if any(k[0] == a for k in results) and any(k[0] == b for k in results):
            lines.append(f"| {a} vs {b} | " + " | ".join(ratio(a, b, j, k) for j, _, k in FIO_JOBS) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--mte")
    ap.add_argument("--fio-dir")
    ap.add_argument("--fio-runtime", default="5")
    args = ap.parse_args()
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=False).stdout.strip() or "uncommitted"
    except OSError:
        rev = "unknown"
    parts = ["# Benchmarks", "",
             "Written by `tools/umc bench`; every figure below comes from one run, side by side. "
             "A single figure varies 15–45% between runs on this machine kind "
             "(../shared/research/fuse-and-io-facts.md): compare rows of the same run, and trust only "
             "differences above ~20%.", "",
             f"Machine: {machine_line()}; commit {rev}.", ""]
    if args.fio_dir:
        section = fio_section(args.fio_dir, args.fio_runtime)
        if section:
            parts += [section, ""]
    if args.mte:
        parts += [mte_section(args.mte), ""]
    with open(args.out, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()
