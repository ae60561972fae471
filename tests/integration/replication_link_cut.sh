#!/usr/bin/env bash
# A pulled cable: each node in its own network namespace, joined by a veth
# pair, and the link goes down while the Primary writes.  No FIN, no RST:
# DRBD notices by itself (ping-int 1 s, ping-timeout 0.5 s) that PingAcks stop,
# goes NetworkFailure -> WFConnection on both sides, and the Primary keeps
# completing writes, counting them out of sync.  When the link comes back the
# nodes reconnect by themselves (connect-int 1 s) and the resync sends only
# the blocks written while cut; online verify then finds 0 blocks out of
# sync and both nodes hold the same bytes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
requires nsenter --version

topo_init 2 umc_link_cut --netns
topo_start_node 0 d0=ram:size=64M
topo_start_node 1 d0=ram:size=64M
# DRBD 8.4 units: ping-int and connect-int in seconds, ping-timeout and
# timeout in tenths of a second.
topo_write_res 'net { protocol C; verify-alg sha1; ping-int 1; ping-timeout 5; timeout 10; connect-int 1; }' \
  'disk { c-plan-ahead 0; resync-rate 400M; }'
topo_up
topo_wait 0 cstate Connected
topo_wait 1 cstate Connected
info "node 0 ${NODE_ADDR[0]} in ${NODE_NS[0]}, node 1 ${NODE_ADDR[1]} in ${NODE_NS[1]}"
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
size=$(node_size_bytes 0)
[ "$size" -gt $((48 << 20)) ] || fail "node 0's device is only $size bytes"

# The application: 256 KiB O_DIRECT writes going round MiB 8-16 of node 0's
# device until told to stop; each acknowledged write is a line in $wdone.
wdone="$TEST_TMP/written" wstop="$TEST_TMP/stop-writer"
dd if=/dev/urandom of="$TEST_TMP/wpattern" bs=256K count=32 status=none
: >"$wdone"
(
  c=0
  while [ ! -e "$wstop" ]; do
    dd if="$TEST_TMP/wpattern" of="$(node_dev 0)" bs=256K skip=$((c % 32)) seek=$((32 + c % 32)) count=1 \
      oflag=direct conv=notrunc status=none || exit 1
    echo "$c" >>"$wdone"
    c=$((c + 1))
  done
) &
writer=$!
on_exit "touch '$wstop'; kill $writer; wait $writer"
written() { wc -l <"$wdone"; }
wait_for 60 "4 writes acknowledged while connected" sh -c "[ \$(wc -l <'$wdone') -ge 4 ]"

info "cutting the link after $(written) writes"
# What the logs say from here on (with ping-timeout at its default 0.5 s a
# busy machine may have dropped a ping before: DRBD reconnects by itself).
for i in 0 1; do lines[i]=$(wc -l <"$TEST_TMP/node$i/umcd.log"); done
since_cut() { tail -n +$((lines[$1] + 1)) "$TEST_TMP/node$1/umcd.log"; }
topo_link_down
# Both sides find out by themselves: the PingAck does not come.
topo_wait 0 cstate WFConnection 60
topo_wait 1 cstate WFConnection 60
n=$(written)
wait_for 60 "8 more writes to complete on the Primary while cut" sh -c "[ \$(wc -l <'$wdone') -ge $((n + 8)) ]"
touch "$wstop"
wait_for 60 "the writer to stop" process_gone "$writer"
wait "$writer" || fail "a write on the Primary failed while the link was cut"
info "$(written) writes acknowledged in all, $(( $(written) - n )) of them with the peer gone"
for i in 0 1; do
  wait_for 10 "'PingAck did not arrive in time.' in node $i's log" \
    sh -c "tail -n +$((lines[i] + 1)) '$TEST_TMP/node$i/umcd.log' | grep -q 'PingAck did not arrive in time\.'"
  # The log reaches the file in flushes: wait for this line too.
  wait_for 10 "'conn( Connected -> NetworkFailure )' in node $i's log after the cut" \
    sh -c "tail -n +$((lines[i] + 1)) '$TEST_TMP/node$i/umcd.log' | grep -qF 'conn( Connected -> NetworkFailure )'"
  since_cut "$i" >"$TEST_TMP/cut.n$i.log"
  ! grep -q 'shut down by peer' "$TEST_TMP/cut.n$i.log" ||
    fail "node $i saw the connection closed (FIN), not lost: $(grep 'shut down by peer' "$TEST_TMP/cut.n$i.log")"
done
expect_eq "$(node_query 0 role)" Primary/Unknown "node 0's role while cut"
expect_eq "$(node_query 0 dstate)" UpToDate/DUnknown "node 0's disks while cut"
expect_eq "$(node_query 1 role)" Secondary/Unknown "node 1's role while cut"
expect_eq "$(node_query 1 dstate)" UpToDate/DUnknown "node 1's disks while cut"

# And 4 MiB more at known offsets (MiB 1, 20, 30, 45) while still cut.
dd if=/dev/urandom of="$TEST_TMP/pattern" bs=1M count=4 status=none
k=0
for off in 1 20 30 45; do
  dd if="$TEST_TMP/pattern" of="$(node_dev 0)" bs=1M skip=$k seek="$off" count=1 \
    oflag=direct conv=notrunc status=none || fail "write at MiB $off on the Primary while cut"
  k=$((k + 1))
done
# Out of sync: the 4 MiB, plus at least the 8 writes of 256 KiB after the
# peer was declared lost, at most the writer's whole 8 MiB region.
oos=$(node_proc_field 0 oos)
info "node 0: $oos KiB out of sync while cut"
[ "$oos" -ge $((4096 + 2048)) ] && [ "$oos" -le $((4096 + 8192)) ] ||
  fail "node 0 has $oos KiB out of sync; expected 6144..12288"

nr_before=$(node_proc_field 1 nr)
ns_before=$(node_proc_field 0 ns)
info "restoring the link"
topo_link_up
topo_wait 0 cstate Connected 120
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
topo_wait 1 cstate Connected
expect_eq "$(node_query 1 role)" Secondary/Primary "node 1's role after the reconnect"
wait_for 10 "'Began resync as SyncTarget' in node 1's log" \
  grep -q "Began resync as SyncTarget (will sync $oos KB" "$TEST_TMP/node1/umcd.log"
nr=$(( $(node_proc_field 1 nr) - nr_before ))
ns=$(( $(node_proc_field 0 ns) - ns_before ))
info "resync: node 1 received $nr KiB, node 0 sent $ns KiB ($oos KiB were out of sync)"
[ "$nr" -ge "$oos" ] && [ "$nr" -le $((oos + 1024)) ] || fail "node 1 received $nr KiB; $oos KiB were out of sync"
[ "$ns" -ge "$oos" ] && [ "$ns" -le $((oos + 1024)) ] || fail "node 0 sent $ns KiB; $oos KiB were out of sync"
expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0 after the resync"

# Online verify from the Primary: no block differs.
topo_verify_clean 0
expect_same_data 0 1

topo_must 0 secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
