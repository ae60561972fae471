#!/usr/bin/env bash
# tools/lib/bench_report.py's Targets section: from a run's fio, netbench,
# resync and memory files, each goal is computed against the right reference
# and marked met or missed (a goal just inside and one just outside).
#
#   bench_report_test.sh BENCH_REPORT_PY
. "$(dirname "$0")/../integration/lib.sh"
report=$1
d=$TEST_TMP/run

mkdir -p "$d"
# fio_json TARGET JOB BW_MIB IOPS MEAN_US: the fields bench_report reads.
fio_json() {
  python3 -c 'import json, sys
t, j, bw, iops, mean = sys.argv[1:6]
side = {"io_bytes": 1, "bw_bytes": float(bw) * 2**20, "iops": float(iops),
        "clat_ns": {"mean": float(mean) * 1000, "percentile": {"99.000000": 2 * float(mean) * 1000}}}
json.dump({"jobs": [{"write": side, "read": {"io_bytes": 0}}]}, open(sys.argv[6], "w"))' \
    "$@" "$d/fio-$1-$2.json"
}
# Standalone and its backend: seq write 0.96 (met), rand write 0.90 (missed),
# QD1 +4 µs (met).
fio_json umcd-ram seqwrite 1000 1000 100
fio_json rep-standalone seqwrite 960 960 100
fio_json umcd-ram randwrite 0 100000 100
fio_json rep-standalone randwrite 0 90000 100
fio_json umcd-ram qd1write 0 0 40
fio_json rep-standalone qd1write 0 0 44
# Protocol C against min(standalone 960, TCP 2000): 800/960 = 0.83 (met);
# random 50k/90k = 0.56 (missed); QD1 150 − (44 + 80) = +26 µs (missed).
fio_json rep-c seqwrite 800 800 100
fio_json rep-c randwrite 0 50000 100
fio_json rep-c qd1write 0 0 150
# Protocol A: 850/960 = 0.89 (missed).
fio_json rep-a seqwrite 850 850 100
# uring against the passthrough: QD1 +9 µs, random 0.85 (met) on tmpfs;
# on ext4 QD1 +11 µs (missed).
fio_json umcd-uring qd1write 0 0 39
fio_json fuse-pt qd1write 0 0 30
fio_json umcd-uring randwrite 0 85000 10
fio_json fuse-pt randwrite 0 100000 10
fio_json umcd-uring-ext4 qd1write 0 0 61
fio_json fuse-pt-ext4-direct qd1write 0 0 50
# Resync 1,900 MiB/s against min(backend 4,000, TCP 2,000) = 0.95 (met).
fio_json rep-backend seqwrite 4000 4000 100
printf '{"bytes": %s, "seconds": 1.0, "resync_rate": "4000M"}\n' $((1900 * 1048576)) >"$d/resync.json"
printf '{"tool": "umc-netbench", "stream": {"mib_per_s": 2000, "block_bytes": 1048576}, %s}\n' \
  '"pingpong": {"mean_us": 80, "p50_us": 70, "p99_us": 200, "count": 100, "msg_bytes": 4096}' >"$d/net.json"
printf '{"resource_mib": 1024, "nodes": [{"rss_kib": %s, "hwm_kib": 70000, "threads": 20}, %s]}\n' \
  $((40 * 1024)) '{"rss_kib": 66000, "hwm_kib": 70000, "threads": 20}' >"$d/mem.json"

must report python3 "$report" --out "$TEST_TMP/bench.md" --fio-dir "$d" --net "$d/net.json" --resync "$d/resync.json" \
  --mem "$d/mem.json"
# expect_row TEXT VALUE VERDICT: the Targets row that starts with TEXT.
expect_row() {
  local row
  row=$(grep -F "| $1 |" "$TEST_TMP/bench.md") || { cat "$TEST_TMP/bench.md"; fail "no row '$1'"; }
  case "$row" in
    *"| $2 | $3 |"*) ;;
    *) fail "row '$1': want '$2 | $3', got: $row" ;;
  esac
}
expect_row "protocol C seq write 1 MiB QD8 / min(standalone, TCP)" 0.83 met
expect_row "protocol A seq write 1 MiB QD8 / min(standalone, TCP)" 0.89 "**missed**"
expect_row "protocol C rand write 4 KiB QD32 / standalone" 0.56 "**missed**"
expect_row "protocol C QD1 write − (standalone + RTT), mean" "+26.0 µs" "**missed**"
expect_row "initial resync / min(backend, TCP)" 0.95 met
expect_row "standalone DRBD on \`ram\` / \`ram\`: seq write 1 MiB QD8" 0.96 met
expect_row "standalone DRBD on \`ram\` / \`ram\`: rand write 4 KiB QD32" 0.90 "**missed**"
expect_row "standalone DRBD on \`ram\` − \`ram\`: rand write 4 KiB QD1, mean" "+4.0 µs" met
expect_row "\`uring\` on tmpfs − FUSE passthrough: QD1 write, mean" "+9.0 µs" met
expect_row "\`uring\` on tmpfs / FUSE passthrough: rand write 4 KiB QD32" 0.85 met
expect_row "\`uring\` on ext4 − FUSE passthrough (O_DIRECT): QD1 write, mean" "+11.0 µs" "**missed**"
# The worst node counts: 66,000 KiB is over 64 MiB.
expect_row "idle umcd RSS, one 1 GiB resource connected" "64.5 MiB" "**missed**"
exit 0
