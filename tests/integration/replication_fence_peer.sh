#!/usr/bin/env bash
# Resource-level fencing with a peer that is gone longer than ping-timeout.
# Each node lives in its own network namespace (topo_init --netns), joined by
# a veth pair; topo_link_down pulls the cable (no FIN, no RST).  With
# `fencing resource-only`, a short `ping-int 1; ping-timeout 5;` and a
# fence-peer handler that logs its environment:
#   * the Primary keeps serving: a write issued while the link is down
#     completes (once DRBD declares the peer gone);
#   * DRBD runs fence-peer (drbd_receiver.c conn_disconnect ->
#     conn_try_outdate_peer) in the Primary's namespace with DRBD's
#     environment (DRBD_RESOURCE, DRBD_PEER, DRBD_PEER_AF, DRBD_PEER_ADDRESS,
#     ...), and obeys its exit code as the User's Guide's table says: 4 = "the
#     peer's disk was set to Outdated" -> pdsk Outdated ("peer was fenced");
#   * the link comes back, the peer resyncs what it missed;
#   * then with `fencing resource-and-stonith` (drbdadm adjust): I/O freezes
#     until the handler answers; 7 = "peer node was successfully fenced off"
#     -> pdsk Outdated ("peer was stonithed") and the frozen write completes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
requires nsenter --version

topo_init 2 umc_fence --netns
topo_start_node 0 d0=ram:size=64M
topo_start_node 1 d0=ram:size=64M

record="$TEST_TMP/fence-peer.record"
fence_exit="$TEST_TMP/fence-peer.exit"
fph="$TEST_TMP/fence-peer.sh"
cat >"$fph" <<SH
#!/bin/sh
# One block per run: the variables DRBD gives a fence-peer handler, the
# network namespace it runs in, then the exit code it answers with.
{
  echo "run"
  for v in DRBD_RESOURCE DRBD_MINOR DRBD_VOLUME DRBD_PEER DRBD_PEERS DRBD_PEER_AF DRBD_PEER_ADDRESS DRBD_CONF __DRBD_NODE__; do
    eval "echo \"\$v=\\\${\$v-}\""
  done
  echo "netns=\$(readlink /proc/self/ns/net)"
  echo "exit=\$(cat '$fence_exit')"
} >>"$record"
exit \$(cat '$fence_exit')
SH
chmod +x "$fph"
echo 4 >"$fence_exit"

# write_res FENCING: the resource with that fencing policy.
write_res() {
  topo_write_res 'net { protocol C; ping-int 1; ping-timeout 5; }' \
    "disk { fencing $1; c-plan-ahead 0; resync-rate 400M; }" \
    "handlers { fence-peer \"$fph\"; }"
}
# The first promotion of fresh meta-data cannot fence ("I'm not even
# Consistent"): the initial sync runs without fencing, adjust adds it.
write_res dont-care
topo_up
topo_wait 0 cstate Connected 60
topo_wait 1 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
write_res resource-only
topo_all adjust adjust "$TOPO_RES"
run_capture show setup 0 show "$TOPO_RES"
expect_text show "fencing         	resource-only;"

# DRBD's usermode helper (drbdadm) must read our drbd.conf to find the
# handler: drbdadm with -c, set through the module parameter.
umh="$TEST_TMP/umh.sh"
printf '#!/bin/sh\nexec %s -c %s "$@"\n' "$DRBDADM" "$TOPO_CONF" >"$umh"
chmod +x "$umh"
for i in 0 1; do echo "$umh" >"${NODE_ROOT[i]}/sys/module/drbd/parameters/usermode_helper"; done

log0="$TEST_TMP/node0/umcd.log"
head -c 1M /dev/urandom >"$TEST_TMP/w1"
head -c 1M /dev/urandom >"$TEST_TMP/w2"
# start_write PATTERN MIB: write 1 MiB to the Primary's device in the
# background (direct I/O, protocol C: done only when DRBD says so).
start_write() {
  dd if="$1" of="$(node_dev 0)" bs=1M seek="$2" oflag=direct conv=notrunc status=none &
  WRITER=$!
  on_exit "kill $WRITER 2>/dev/null"
}
# writer_done: the background write has finished.
writer_done() { ! kill -0 "$WRITER" 2>/dev/null; }
expect_writer_ok() {
  wait_for 60 "the write on the Primary to complete" writer_done
  wait "$WRITER" || fail "the write on the Primary failed"
}
# runs: how many times the handler ran.
runs() { grep -c '^run$' "$record" 2>/dev/null || true; }
# last KEY: KEY's value in the handler's last run.
last() { sed -n "s/^$1=//p" "$record" | tail -n 1; }
# runs_above N: the handler ran more than N times.
runs_above() { [ "$(runs)" -gt "$1" ]; }
not_connected() { [ "$(node_query 0 cstate)" != Connected ]; }

info "pull the cable; the Primary writes"
topo_link_down 1
start_write "$TEST_TMP/w1" 4
wait_for 60 "node 0 to lose the connection" not_connected
wait_for 60 "fence-peer to run" runs_above 0
expect_writer_ok
topo_wait 0 dstate UpToDate/Outdated 60
expect_eq "$(node_query 0 role)" Primary/Unknown "node 0's role while the peer is gone"
wait_for 30 "'peer was fenced' in node 0's log" grep -q "fence-peer helper returned 4 (peer was fenced)" "$log0"
grep -q "helper command: $umh fence-peer $TOPO_RES" "$log0" || fail "no fence-peer helper command in node 0's log"
grep -q "pdsk( DUnknown -> Outdated )" "$log0" || fail "node 0's log lacks pdsk( DUnknown -> Outdated )"
grep -q "cs:WFConnection ro:Primary/Unknown ds:UpToDate/Outdated" "${NODE_ROOT[0]}/proc/drbd" ||
  { node_proc 0; fail "/proc/drbd of node 0"; }
run_capture status0 adm 0 status "$TOPO_RES"
expect_text status0 "peer connection:Connecting"
cat "$record"
expect_eq "$(last DRBD_RESOURCE)" "$TOPO_RES" "handler's DRBD_RESOURCE"
expect_eq "$(last DRBD_MINOR)" "${NODE_MINOR[0]}" "handler's DRBD_MINOR"
expect_eq "$(last DRBD_PEER)" "${NODE_NAME[1]}" "handler's DRBD_PEER"
expect_eq "$(last DRBD_PEER_AF)" ipv4 "handler's DRBD_PEER_AF"
expect_eq "$(last DRBD_PEER_ADDRESS)" "${NODE_ADDR[1]}" "handler's DRBD_PEER_ADDRESS"
expect_eq "$(last __DRBD_NODE__)" "${NODE_NAME[0]}" "handler's __DRBD_NODE__"
expect_eq "$(last netns)" "$(on_node 0 readlink /proc/self/ns/net)" "handler's network namespace (node 0's)"
# The peer, cut off as well, lost its connection but fenced nothing (it is
# Secondary: only a Primary fences).
wait_for 60 "node 1 to lose the connection" sh -c "! grep -q 'cs:Connected' '${NODE_ROOT[1]}/proc/drbd'"
expect_eq "$(node_query 1 role)" Secondary/Unknown "node 1's role"
expect_file_lacks "$TEST_TMP/node1/umcd.log" "fence-peer" "node 1 ran fence-peer"

info "the cable is back: node 1 resyncs what it missed"
topo_link_up 1
topo_wait 0 cstate Connected 120
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
cmp -n 1048576 "$TEST_TMP/w1" <(dd if="${NODE_ROOT[1]}/dev/d0" bs=1M skip=4 count=1 iflag=direct status=none) ||
  fail "node 1 lacks the write made while it was gone"

info "fencing resource-and-stonith, the handler answers 7 (peer stonithed)"
write_res resource-and-stonith
topo_all adjust2 adjust "$TOPO_RES"
run_capture show2 setup 0 show "$TOPO_RES"
expect_text show2 "fencing         	resource-and-stonith;"
echo 7 >"$fence_exit"
n=$(runs)
topo_link_down 1
start_write "$TEST_TMP/w2" 8
wait_for 60 "fence-peer to run again" runs_above "$n"
expect_writer_ok
topo_wait 0 dstate UpToDate/Outdated 60
wait_for 30 "'peer was stonithed' in node 0's log" grep -q "fence-peer helper returned 7 (peer was stonithed)" "$log0"
expect_eq "$(last exit)" 7 "the handler's answer"
expect_eq "$(node_query 0 role)" Primary/Unknown "node 0's role"
# I/O is no longer suspended (no 's' in the suspend flags of /proc/drbd).
grep -q "cs:WFConnection ro:Primary/Unknown ds:UpToDate/Outdated C r-----" "${NODE_ROOT[0]}/proc/drbd" ||
  { node_proc 0; fail "/proc/drbd of node 0 after stonith"; }
topo_link_up 1
topo_wait 0 cstate Connected 120
topo_wait 1 dstate UpToDate/UpToDate 120
cmp -n 1048576 "$TEST_TMP/w2" <(dd if="${NODE_ROOT[1]}/dev/d0" bs=1M skip=8 count=1 iflag=direct status=none) ||
  fail "node 1 lacks the second write"
topo_must 0 secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
