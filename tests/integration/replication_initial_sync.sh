#!/usr/bin/env bash
# Two umcd nodes replicate: the initial full sync, with progress seen moving
# in /proc/drbd and `drbdadm status`, then UpToDate/UpToDate; the data written
# on the Primary during the sync is on the peer, byte for byte; the counters
# of both ends agree (ns on the sender = nr on the receiver).
#
#   replication_initial_sync.sh PROTOCOL SOURCE   (A|B|C, node 0|1)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"

# counters_agree S R: what S sent (ns) is what R received (nr).
counters_agree() { [ "$(node_proc_field "$1" ns)" = "$(node_proc_field "$2" nr)" ]; }

proto=${1:-C} src=${2:-0}
dst=$((1 - src))
topo_init 2 "umc_sync_$proto$src"
topo_start_node 0 d0=ram:size=64M
topo_start_node 1 d0=ram:size=64M
# A fixed rate (the dynamic controller is off) that makes the 64 MiB take a
# few seconds, long enough to watch progress.
topo_write_res "net { protocol $proto; }" \
  'disk { c-plan-ahead 0; resync-rate 12M; }'
topo_up
topo_wait 0 cstate Connected
topo_wait 1 cstate Connected
expect_eq "$(node_query 0 dstate)" "Inconsistent/Inconsistent" "fresh meta-data on both"

topo_must "$src" primary primary --force "$TOPO_RES"
topo_wait "$dst" cstate SyncTarget
expect_eq "$(node_query "$src" cstate)" SyncSource "the Primary's connection state"
# Progress moves, in /proc/drbd and in drbdadm status.
p1=$(node_sync_percent "$dst")
[ -n "$p1" ] || { node_proc "$dst"; fail "no sync'ed: line on the SyncTarget"; }
wait_for 60 "sync progress beyond $p1% on the SyncTarget" sync_progressed "$dst" "$p1"
run_capture status adm "$dst" status "$TOPO_RES"
grep -q 'replication:SyncTarget peer-disk:UpToDate done:' "$TEST_TMP/status.all" ||
  grep -q 'replication:Established' "$TEST_TMP/status.all" ||
  { cat "$TEST_TMP/status.all"; fail "drbdadm status shows no resync on the SyncTarget"; }

# The Primary writes while the sync runs: application writes and resync
# both reach the peer.
dd if=/dev/urandom of="$TEST_TMP/pattern" bs=1M count=8 status=none
dd if="$TEST_TMP/pattern" of="$(node_dev "$src")" bs=1M seek=16 oflag=direct conv=notrunc status=none ||
  fail "write on the Primary"
ns_before=$(node_proc_field "$src" ns)

topo_wait "$dst" dstate UpToDate/UpToDate 120
topo_wait "$src" dstate UpToDate/UpToDate
expect_eq "$(node_query "$src" cstate)" Connected "after the sync"
grep -q "oos:0" "${NODE_ROOT[src]}/proc/drbd" || { node_proc "$src"; fail "out-of-sync left on the source"; }

# Same bytes on both: the Primary's device and the Secondary's backing
# store (DRBD's data area; internal meta-data lies behind it).
expect_same_data "$src" "$dst"

# Every KiB sent is a KiB received: ns (sender) = nr (receiver), exactly,
# including what was written during the sync.
wait_for_quiet 10 counters_agree "$src" "$dst" || true
ns=$(node_proc_field "$src" ns)
nr=$(node_proc_field "$dst" nr)
info "ns=$ns (before the 8 MiB write: $ns_before) nr=$nr"
expect_eq "$nr" "$ns" "KiB received by the Secondary vs sent by the Primary"
[ "$ns" -ge $((65536 - 1024)) ] || fail "ns=$ns KiB: less than the device was sent"

topo_must "$src" secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
