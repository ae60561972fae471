#!/usr/bin/env bash
# umc-netbench (the loopback references of tools/bench.sh): a 0.2 s run of
# each phase reports positive figures, its JSON has the shape
# tools/lib/bench_report.py reads, and the report renders them; bad options
# exit 1 with a message.
#
#   netbench_test.sh UMC_NETBENCH BENCH_REPORT_PY
. "$(dirname "$0")/../integration/lib.sh"
nb=$1 report=$2
tmp=$TEST_TMP

"$nb" --seconds 0.2 --json "$tmp/net.json" >"$tmp/text" || fail "umc-netbench exited $?"
grep -q '^stream   1048576-byte writes: [0-9]* MiB/s' "$tmp/text" || { cat "$tmp/text"; fail "no stream line"; }
grep -q '^pingpong 4096 bytes each way, TCP_NODELAY: mean' "$tmp/text" || { cat "$tmp/text"; fail "no pingpong line"; }

python3 - "$tmp/net.json" "$report" <<'PY' || fail "JSON shape or figures"
import importlib.util, json, sys
data = json.load(open(sys.argv[1]))
assert data["tool"] == "umc-netbench" and data["address"] == "127.0.0.1", data
st, pp = data["stream"], data["pingpong"]
assert st["block_bytes"] == 1048576 and st["bytes"] > 0 and st["bytes"] % 1048576 == 0, st
assert 0.2 <= st["seconds"] < 30 and st["mib_per_s"] > 0, st
assert pp["msg_bytes"] == 4096 and pp["count"] >= 10, pp
assert 0 < pp["min_us"] <= pp["p50_us"] <= pp["p99_us"] <= pp["max_us"], pp
assert pp["min_us"] <= pp["mean_us"] <= pp["max_us"], pp
spec = importlib.util.spec_from_file_location("bench_report", sys.argv[2])
br = importlib.util.module_from_spec(spec)
spec.loader.exec_module(br)
net = br.net_result(sys.argv[1])
assert net["tcp_mib_s"] > 0 and net["rtt"]["mean_us"] > 0 and net["rtt_count"] == pp["count"], net
PY

python3 "$report" --out "$tmp/bench.md" --net "$tmp/net.json" || fail "bench_report.py --net"
grep -q '^| loopback TCP stream, 1 MiB writes (umc-netbench) | [0-9,]* MiB/s |$' "$tmp/bench.md" ||
  { cat "$tmp/bench.md"; fail "no TCP stream row in the report"; }
grep -q '^| loopback 4 KiB ping-pong round trip, TCP_NODELAY (umc-netbench, [0-9,]* round trips) | mean ' \
  "$tmp/bench.md" || { cat "$tmp/bench.md"; fail "no ping-pong row in the report"; }

# One phase only: the other is absent from the JSON.
"$nb" --stream-seconds 0 --pingpong-seconds 0.1 --json - 2>/dev/null >"$tmp/pp.json" || fail "ping-pong only"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert "stream" not in d and d["pingpong"]["count"] > 0' \
  "$tmp/pp.json" || fail "ping-pong-only JSON"

# Bad input: exit 1 and say why.
for bad in "--seconds x" "--seconds -1" "--block 0" "--nope 1" "--msg"; do
  # shellcheck disable=SC2086
  expect_fail "$nb" $bad
  grep -q '^umc-netbench: ' "$TEST_TMP/expect_fail.all" ||
    { cat "$TEST_TMP/expect_fail.all"; fail "umc-netbench $bad: no message"; }
done
