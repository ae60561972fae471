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
               ("backing-ext4", "backing file on the disk (ext4), direct"),
               ("fuse-pt-ext4", "bare FUSE passthrough of the ext4 file"),
               ("fuse-pt-ext4-direct", "bare FUSE passthrough of the ext4 file, O_DIRECT"),
               ("umcd-uring-ext4", "umcd `uring` on the ext4 file through FUSE"),
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
             ("umcd-uring-ext4", "fuse-pt-ext4-direct"), ("umcd-uring-ext4", "backing-ext4"),
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


# Replication (tools/bench.sh targets rep-c, rep-a, rep-standalone, net,
# resync): the same fio jobs on the Primary's dev/drbdN of two umcd nodes.
REP_JOBS = [("seqwrite", "seq write 1 MiB QD8", "bw"), ("randwrite", "rand write 4 KiB QD32", "iops"),
            ("qd1write", "rand write 4 KiB QD1", "lat")]
REP_TARGETS = [("rep-c", "protocol C, connected"), ("rep-a", "protocol A, connected"),
               ("rep-standalone", "standalone Primary (after a peer)")]


def fmt_bytes(n):
    for unit, size in (("MiB", 2**20), ("KiB", 2**10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def net_result(path):
    """umc-netbench JSON: {"stream": {..., "mib_per_s"}, "pingpong": {..., "mean_us", "p50_us", "p99_us"}}."""
    with open(path) as f:
        data = json.load(f)
    if data.get("tool") != "umc-netbench":
        raise ValueError(f"{path}: not umc-netbench output")
    out = {}
    if "stream" in data:
        out["tcp_mib_s"] = float(data["stream"]["mib_per_s"])
        out["stream_block"] = int(data["stream"]["block_bytes"])
    if "pingpong" in data:
        pp = data["pingpong"]
        out["rtt"] = {k: float(pp[k]) for k in ("mean_us", "p50_us", "p99_us")}
        out["rtt_count"] = int(pp["count"])
        out["msg_bytes"] = int(pp["msg_bytes"])
    return out


def rep_section(directory, runtime, net_path=None, resync_path=None):
    """The replication rows, their references and the ratios between them."""
    results = {}
    if directory:
        for t, _ in REP_TARGETS + [("rep-backend", "")]:
            for j, _, _ in REP_JOBS:
                p = os.path.join(directory, f"fio-{t}-{j}.json")
                if os.path.exists(p):
                    results[(t, j)] = fio_result(p)
    net = net_result(net_path) if net_path and os.path.exists(net_path) else {}
    resync = None
    if resync_path and os.path.exists(resync_path):
        with open(resync_path) as f:
            resync = json.load(f)
    targets = [(t, d) for t, d in REP_TARGETS if any(k[0] == t for k in results)]
    if not targets and not net and not resync:
        return ""

    lines = ["## Replication: two umcd nodes on loopback", ""]
    if targets or resync:
        lines += ["DRBD 8.4.11 hosted by two umcd daemons on this host (each its own node_name, fs_root and "
                  "state_dir), `ram` backends of 1 GiB + 64 MiB, every page written once beforehand; one "
                  "resource with an `on` section per node, connected over 127.0.0.1, `net { max-buffers 131072; }` "
                  "(DRBD sends at most max-buffers/2 resync requests of 4 KiB per 100 ms, so its default "
                  "2048 caps a resync at 40 MiB/s) and `disk { c-plan-ahead 0; resync-rate 4000M; }`. Jobs as in the block "
                  f"I/O table (fio libaio, direct=1, {runtime} s each after 1 s ramp), on the Primary's "
                  "dev/drbdN, in this order: protocol C; then both ends disconnected and connected again "
                  "with the resource rewritten to protocol A (8.4 does not change the protocol of a live "
                  "connection); then both disconnected, the Primary StandAlone — having seen its peer, "
                  "DRBD lets it keep 1 MiB bios (unlike the `drbd-ram` row of the block I/O table, whose "
                  "meta-data never saw a peer).", ""]
    if targets:
        lines += ["| Primary | " + " | ".join(d for _, d, _ in REP_JOBS) + " |",
                  "|---|" + "---:|" * len(REP_JOBS)]

        def cell(t, j, kind):
            r = results.get((t, j))
            if not r:
                return "–"
            if kind == "bw":
                return f"{r['bw']:,.0f} MiB/s"
            if kind == "iops":
                return f"{r['iops'] / 1000:,.1f}k IOPS"
            return f"{r['mean']:.1f} / {r['p99']:.1f} µs"
        for t, desc in targets:
            lines.append(f"| {desc} | " + " | ".join(cell(t, j, k) for j, _, k in REP_JOBS) + " |")
        lines.append("")

    # References, each measured in this run.
    refs = []
    if "tcp_mib_s" in net:
        refs.append((f"loopback TCP stream, {fmt_bytes(net['stream_block'])} writes (umc-netbench)",
                     f"{net['tcp_mib_s']:,.0f} MiB/s"))
    if "rtt" in net:
        r = net["rtt"]
        refs.append((f"loopback {fmt_bytes(net['msg_bytes'])} ping-pong round trip, TCP_NODELAY "
                     f"(umc-netbench, {net['rtt_count']:,} round trips)",
                     f"mean {r['mean_us']:.1f} µs, p50 {r['p50_us']:.1f} µs, p99 {r['p99_us']:.1f} µs"))
    backend = results.get(("rep-backend", "seqwrite"))
    if backend:
        refs.append(("backend: umcd `ram` seq write 1 MiB QD8 through FUSE (the SyncTarget's disk, "
                     "before DRBD)", f"{backend['bw']:,.0f} MiB/s"))
    resync_mib_s = None
    if resync:
        resync_mib_s = resync["bytes"] / 2**20 / resync["seconds"] if resync["seconds"] > 0 else 0
        refs.append((f"initial resync of {resync['bytes'] / 2**20:,.0f} MiB, `c-plan-ahead 0; resync-rate "
                     f"{resync['resync_rate']}`: `primary --force` to UpToDate/UpToDate",
                     f"{resync_mib_s:,.0f} MiB/s ({resync['seconds']:.2f} s)"))
    if refs:
        lines += ["| measured | result |", "|---|---:|"]
        lines += [f"| {a} | {b} |" for a, b in refs]
        lines.append("")

    # Ratios.
    def fio(t, j):
        return results.get((t, j))

    def vs_min(num, cands):
        """num / the smallest of the available candidates (name, value)."""
        cands = [(n, v) for n, v in cands if v]
        if num is None or not cands:
            return None
        name, ref = min(cands, key=lambda c: c[1])
        return f"{num / ref:.2f}", f"{name} {ref:,.0f} MiB/s"

    ratios = []
    sa_seq = fio("rep-standalone", "seqwrite")
    tcp = net.get("tcp_mib_s")
    for t, label in (("rep-c", "protocol C"), ("rep-a", "protocol A")):
        seq = fio(t, "seqwrite")
        if seq:
            r = vs_min(seq["bw"], [("standalone", sa_seq["bw"] if sa_seq else None), ("TCP", tcp)])
            if r:
                ratios.append((f"{label} seq write 1 MiB QD8 / min(standalone, TCP)", r[0], r[1]))
        rnd, sa_rnd = fio(t, "randwrite"), fio("rep-standalone", "randwrite")
        if rnd and sa_rnd and sa_rnd["iops"]:
            ratios.append((f"{label} rand write 4 KiB QD32 / standalone", f"{rnd['iops'] / sa_rnd['iops']:.2f}",
                           f"standalone {sa_rnd['iops'] / 1000:,.1f}k IOPS"))
        # QD1 latency: protocol C completes a write when the peer's ack is
        # back, so its floor is the standalone write plus one round trip;
        # protocol A completes when the data is in the send buffer, so its
        # floor is the standalone write.
        lat, sa_lat = fio(t, "qd1write"), fio("rep-standalone", "qd1write")
        if lat and sa_lat and t == "rep-c" and "rtt" in net:
            rtt = net["rtt"]["mean_us"]
            excess = lat["mean"] - (sa_lat["mean"] + rtt)
            ratios.append((f"{label} QD1 write latency − (standalone + RTT), mean", f"{excess:+.1f} µs",
                           f"{lat['mean']:.1f} µs − ({sa_lat['mean']:.1f} µs + {rtt:.1f} µs)"))
        elif lat and sa_lat and t == "rep-a":
            excess = lat["mean"] - sa_lat["mean"]
            ratios.append((f"{label} QD1 write latency − standalone, mean", f"{excess:+.1f} µs",
                           f"{lat['mean']:.1f} µs − {sa_lat['mean']:.1f} µs"))
    if resync_mib_s is not None:
        r = vs_min(resync_mib_s, [("backend", backend["bw"] if backend else None), ("TCP", tcp)])
        if r:
            ratios.append(("initial resync / min(backend, TCP)", r[0], r[1]))
    if ratios:
        lines += ["Ratios, each against references from this run (throughput: this / the reference, 1.00 = "
                  "as fast as the reference; QD1 latency: what replication adds, in µs, beyond the standalone "
                  "write plus — for protocol C, which waits for the peer's ack — one loopback round trip).", "",
                  "| ratio | value | reference |", "|---|---:|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in ratios]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def all_fio(directory):
    """Every fio-TARGET-JOB.json of the run."""
    out = {}
    for name in os.listdir(directory):
        if name.startswith("fio-") and name.endswith(".json"):
            for j, _, _ in FIO_JOBS:
                if name.endswith(f"-{j}.json"):
                    out[(name[4:-len(j) - 6], j)] = fio_result(os.path.join(directory, name))
    return out


def targets_section(directory, net_path=None, resync_path=None, mem_path=None):
    """The speed and memory targets (issue 11), each from this run, met or not."""
    res = all_fio(directory) if directory else {}
    net = net_result(net_path) if net_path and os.path.exists(net_path) else {}
    resync = json.load(open(resync_path)) if resync_path and os.path.exists(resync_path) else None
    mem = json.load(open(mem_path)) if mem_path and os.path.exists(mem_path) else None
    rows = []

    def add(what, goal, value, ok, basis):
        rows.append(f"| {what} | {goal} | {value} | {'met' if ok else '**missed**'} | {basis} |")

    def thr(t, j):
        r = res.get((t, j))
        return None if not r else (r["bw"] if j.startswith("seq") else r["iops"])

    tcp = net.get("tcp_mib_s")
    rtt = net.get("rtt", {}).get("mean_us")
    sa = "rep-standalone"
    for t, label, goal in (("rep-c", "protocol C", 0.80), ("rep-a", "protocol A", 0.90)):
        seq, sa_seq = thr(t, "seqwrite"), thr(sa, "seqwrite")
        if seq and sa_seq and tcp:
            ref = min(sa_seq, tcp)
            add(f"{label} seq write 1 MiB QD8 / min(standalone, TCP)", f"≥ {goal:.2f}", f"{seq / ref:.2f}",
                seq / ref >= goal, f"{seq:,.0f} / min({sa_seq:,.0f}, {tcp:,.0f}) MiB/s")
    rnd, sa_rnd = thr("rep-c", "randwrite"), thr(sa, "randwrite")
    if rnd and sa_rnd:
        add("protocol C rand write 4 KiB QD32 / standalone", "≥ 0.60", f"{rnd / sa_rnd:.2f}", rnd / sa_rnd >= 0.60,
            f"{rnd / 1000:,.1f}k / {sa_rnd / 1000:,.1f}k IOPS")
    lat, sa_lat = res.get(("rep-c", "qd1write")), res.get((sa, "qd1write"))
    if lat and sa_lat and rtt:
        excess = lat["mean"] - (sa_lat["mean"] + rtt)
        add("protocol C QD1 write − (standalone + RTT), mean", "≤ +20 µs", f"{excess:+.1f} µs", excess <= 20,
            f"{lat['mean']:.1f} − ({sa_lat['mean']:.1f} + {rtt:.1f}) µs")
    if resync and resync["seconds"] > 0:
        rate = resync["bytes"] / 2**20 / resync["seconds"]
        backend = thr("rep-backend", "seqwrite")
        cands = [v for v in (backend, tcp) if v]
        if cands:
            ref = min(cands)
            add("initial resync / min(backend, TCP)", "≥ 0.90", f"{rate / ref:.2f}", rate / ref >= 0.90,
                f"{rate:,.0f} / min({backend or 0:,.0f}, {tcp or 0:,.0f}) MiB/s")
    # Standalone DRBD (after a peer, 1 MiB bios) against the same backend
    # without DRBD.
    for j, desc, kind in FIO_JOBS:
        a, b = res.get((sa, j)), res.get(("umcd-ram", j))
        if not a or not b:
            continue
        if kind == "lat":
            d = a["mean"] - b["mean"]
            add(f"standalone DRBD on `ram` − `ram`: {desc}, mean", "≤ +5 µs", f"{d:+.1f} µs", d <= 5,
                f"{a['mean']:.1f} − {b['mean']:.1f} µs")
        else:
            key = "bw" if kind == "bw" else "iops"
            r = a[key] / b[key]
            unit = "MiB/s" if key == "bw" else "IOPS"
            add(f"standalone DRBD on `ram` / `ram`: {desc}", "≥ 0.95", f"{r:.2f}", r >= 0.95,
                f"{a[key]:,.0f} / {b[key]:,.0f} {unit}")
    # On ext4 the reference bypasses the page cache as umcd's uring does
    # (direct=1, its default); tmpfs has no other way.
    for sfx, fs, ptsfx in (("", "tmpfs", ""), ("-ext4", "ext4", "-ext4-direct")):
        u, pt = f"umcd-uring{sfx}", f"fuse-pt{ptsfx}"
        a, b = res.get((u, "qd1write")), res.get((pt, "qd1write"))
        if a and b:
            d = a["mean"] - b["mean"]
            add(f"`uring` on {fs} − FUSE passthrough{' (O_DIRECT)' if ptsfx else ''}: QD1 write, mean", "≤ +10 µs", f"{d:+.1f} µs", d <= 10,
                f"{a['mean']:.1f} − {b['mean']:.1f} µs")
        for j in ("randwrite", "randread"):
            a, b = thr(u, j), thr(pt, j)
            if a and b:
                add(f"`uring` on {fs} / FUSE passthrough{' (O_DIRECT)' if ptsfx else ''}: {dict((x, d) for x, d, _ in FIO_JOBS)[j]}", "≥ 0.80",
                    f"{a / b:.2f}", a / b >= 0.80, f"{a / 1000:,.1f}k / {b / 1000:,.1f}k IOPS")
    if mem:
        worst = max(n["rss_kib"] for n in mem["nodes"])
        add(f"idle umcd RSS, one {mem['resource_mib'] / 1024:g} GiB resource connected", "< 64 MiB",
            f"{worst / 1024:.1f} MiB", worst < 64 * 1024,
            "; ".join(f"node {i}: RSS {n['rss_kib'] / 1024:.1f} MiB idle"
                      + (f", {n['after_io_kib'] / 1024:.1f} MiB after writes" if "after_io_kib" in n else "")
                      + f", peak {n['hwm_kib'] / 1024:.1f} MiB, "
                      f"{n['threads']} threads" for i, n in enumerate(mem["nodes"])))
    if not rows:
        return ""
    return "\n".join(["## Targets", "",
                      "The speed and memory goals, each computed from the figures of this run (below). "
                      "Standalone DRBD is the Primary of the replication pair after it disconnected (it keeps "
                      "its peer's 1 MiB bios), on the same `ram` backend as `umcd-ram`. Memory: two umcd nodes "
                      "with `uring` backends on sparse tmpfs files (the data is in the page cache, not in "
                      "their RSS), one 1 GiB resource connected and idle; then after 1 MiB and 4 KiB write jobs "
                      "on the Primary (DRBD's page pool, 32 MiB reserved at module load, is resident only once "
                      "used).", "",
                      "| target | goal | this run | | from |", "|---|---:|---:|---|---|"] + rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--mte")
    ap.add_argument("--fio-dir")
    ap.add_argument("--fio-runtime", default="5")
    ap.add_argument("--net", help="umc-netbench JSON (loopback TCP references)")
    ap.add_argument("--resync", help="initial resync JSON: bytes, seconds, resync_rate")
    ap.add_argument("--mem", help="idle pair memory JSON: resource_mib, nodes[rss_kib, hwm_kib, threads]")
    ap.add_argument("--ext4-fs", help="what the ext4 targets' file was on (findmnt FSTYPE SOURCE)")
    args = ap.parse_args()
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=False).stdout.strip() or "uncommitted"
    except OSError:
        rev = "unknown"
    parts = ["# Benchmarks", "",
             "Written by `tools/umc bench`; every figure below comes from one run, side by side. "
             "A single figure varies 15–45% between runs on this machine kind "
             "(repetitions under [Earlier measurements](#earlier-measurements)): compare rows of the same run, "
             "and trust only "
             "differences above ~20%.", "",
             f"Machine: {machine_line()}; commit {rev}.", ""]
    if args.ext4_fs:
        parts[-1:-1] = [f"The `-ext4` targets' file was on: {args.ext4_fs}.", ""]
    section = targets_section(args.fio_dir, args.net, args.resync, args.mem)
    if section:
        parts += [section, ""]
    if args.fio_dir:
        section = fio_section(args.fio_dir, args.fio_runtime)
        if section:
            parts += [section, ""]
    if args.fio_dir or args.net or args.resync:
        section = rep_section(args.fio_dir, args.fio_runtime, args.net, args.resync)
        if section:
            parts += [section, ""]
    if args.mte:
        parts += [mte_section(args.mte), ""]
    # The hand-kept sections at the end (what remains of missed targets,
    # figures this tool does not measure) survive every run.
    earlier = ""
    try:
        with open(args.out) as f:
            old = f.read()
        kept = [at for at in (old.find("\n## What the missed targets are made of"),
                              old.find("\n## Earlier measurements")) if at >= 0]
        if kept:
            earlier = old[min(kept) + 1:]
    except OSError:
        pass
    if earlier:
        parts += [earlier.rstrip("\n"), ""]
    with open(args.out, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()
