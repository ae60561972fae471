#!/usr/bin/env bash
# Split brain between two umcd nodes, and its recovery as the DRBD 8.4
# User's Guide describes it ("Manual split brain recovery", "Automatic split
# brain recovery policies").  Both nodes are disconnected by hand
# (`drbdadm disconnect`), node 1 is promoted too and both write different
# data; on reconnect DRBD's handshake (drbd_receiver.c drbd_sync_handshake)
# finds a split brain.
#
#   replication_split_brain.sh manual
#     default after-sb-* policies (disconnect): "Split-Brain detected but
#     unresolved, dropping connection!", both nodes end StandAlone or
#     WFConnection, the split-brain handler runs with DRBD's environment;
#     then the Guide's recovery - victim (node 1): disconnect if needed,
#     secondary, connect --discard-my-data; survivor (node 0): connect if
#     StandAlone - makes node 1 SyncTarget and node 0's data wins.
#   replication_split_brain.sh auto
#     after-sb-1pri discard-secondary: node 0 stays Primary, node 1 (demoted
#     before the reconnect) is the victim, automatically; then
#     after-sb-0pri discard-zero-changes: a second split brain in which node 0
#     (the Primary before) writes nothing and node 1 does, both Secondary at
#     the reconnect: node 0's zero changes are discarded, node 1's data wins.
#     The split-brain handler does not run (the split brains are solved).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"

mode=${1:-manual}
case $mode in manual|auto) ;; *) fail "usage: $0 manual|auto" ;; esac
topo_init 2 "umc_sb_$mode"
topo_start_node 0 d0=ram:size=64M
topo_start_node 1 d0=ram:size=64M

# The split-brain handler records its environment (one line per variable,
# prefixed by the node that ran it) in $record.
record="$TEST_TMP/split-brain.record"
sbh="$TEST_TMP/split-brain.sh"
cat >"$sbh" <<SH
#!/bin/sh
for v in DRBD_RESOURCE DRBD_MINOR DRBD_VOLUME DRBD_PEER DRBD_PEERS DRBD_PEER_AF DRBD_PEER_ADDRESS DRBD_CONF __DRBD_NODE__; do
  eval "echo \"\$__DRBD_NODE__ \$v=\\\${\$v-}\""
done >>"$record"
exit 0
SH
chmod +x "$sbh"
if [ "$mode" = manual ]; then
  policies='net { protocol C; }'   # after-sb-0pri/1pri/2pri: disconnect (the defaults)
else
  policies='net { protocol C; after-sb-0pri discard-zero-changes; after-sb-1pri discard-secondary; after-sb-2pri disconnect; }'
fi
topo_write_res "$policies" 'disk { c-plan-ahead 0; resync-rate 400M; }' \
  "handlers { split-brain \"$sbh\"; }"
topo_up
topo_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate

# DRBD calls its usermode helper (drbdadm) as "<helper> split-brain minor-N";
# drbdadm then runs the handler of drbd.conf.  Ours is not /etc/drbd.conf:
# the helper is drbdadm with -c (set through the module parameter).
umh="$TEST_TMP/umh.sh"
printf '#!/bin/sh\nexec %s -c %s "$@"\n' "$DRBDADM" "$TOPO_CONF" >"$umh"
chmod +x "$umh"
for i in 0 1; do echo "$umh" >"${NODE_ROOT[i]}/sys/module/drbd/parameters/usermode_helper"; done

size=$(node_size_bytes 0)
[ "$size" -gt 0 ] || fail "node 0's device has no size"
# write_at I PATTERN MIB: write the 4 MiB file PATTERN at MIB on node I's device.
write_at() {
  dd if="$2" of="$(node_dev "$1")" bs=1M seek="$3" oflag=direct conv=notrunc status=none ||
    fail "write on node $1"
}
for p in a b c; do head -c 4M /dev/urandom >"$TEST_TMP/pattern.$p"; done

# split: disconnect both (StandAlone), promote node 1 as well.
split() {
  topo_all disconnect disconnect "$TOPO_RES"
  topo_wait 0 cstate StandAlone
  topo_wait 1 cstate StandAlone
  expect_eq "$(node_query 1 dstate)" UpToDate/DUnknown "node 1's disk after the disconnect"
  # node 1's disk is UpToDate: no --force needed (nothing fences it).
  topo_must 1 primary_split primary "$TOPO_RES"
  expect_eq "$(node_query 1 role)" Primary/Unknown "node 1 promoted while disconnected"
}

# same_data FROM TO: node TO's data area holds node FROM's device, byte for byte.
same_data() {
  expect_eq "$(device_md5 "${NODE_ROOT[$2]}/dev/d0" "$size")" "$(device_md5 "$(node_dev "$1")" "$size")" \
    "node $2's data vs node $1's device"
}
# has_pattern I PATTERN MIB: node I's backing device holds PATTERN at MIB.
has_pattern() { cmp -s -n 4194304 "$TEST_TMP/pattern.$2" <(dd if="${NODE_ROOT[$1]}/dev/d0" bs=1M skip="$3" count=4 iflag=direct status=none); }

log() { echo "$TEST_TMP/node$1/umcd.log"; }
# disconnected_state I: node I's connection is StandAlone or WFConnection.
disconnected_state() { case $(node_query "$1" cstate) in StandAlone|WFConnection) return 0 ;; esac; return 1; }

if [ "$mode" = manual ]; then
  split
  info "both Primary, both write different data"
  write_at 0 "$TEST_TMP/pattern.a" 0
  write_at 1 "$TEST_TMP/pattern.b" 8
  expect_eq "$(node_query 0 role)" Primary/Unknown "node 0's role"

  info "reconnect: DRBD detects the split brain and drops the connection"
  topo_all connect connect "$TOPO_RES"
  wait_for 60 "'Split-Brain detected but unresolved' in a node's log" \
    grep -q "Split-Brain detected but unresolved, dropping connection!" "$(log 0)" "$(log 1)"
  wait_for 60 "the split-brain handler to run" test -s "$record"
  # Neither node stays connected; one is StandAlone, the other StandAlone
  # or WFConnection (the Guide's words).
  wait_for 60 "node 0 to be StandAlone or WFConnection" disconnected_state 0
  wait_for 60 "node 1 to be StandAlone or WFConnection" disconnected_state 1
  c0=$(node_query 0 cstate) c1=$(node_query 1 cstate)
  info "after the split brain: node 0 $c0, node 1 $c1"
  [ "$c0" = StandAlone ] || [ "$c1" = StandAlone ] || fail "no node is StandAlone ($c0, $c1)"
  expect_eq "$(node_query 0 role)" Primary/Unknown "node 0 still Primary"
  expect_eq "$(node_query 1 role)" Primary/Unknown "node 1 still Primary"
  wait_for 10 "the split-brain helper in the logs" grep -q "helper command: .* split-brain minor-" "$(log 0)" "$(log 1)"
  grep -h "helper command: .* split-brain minor-" "$(log 0)" "$(log 1)"
  cat "$record"
  # The handler ran on a node that detected the split brain, with DRBD's
  # environment for that node.
  n=""
  for i in 0 1; do grep -q "^${NODE_NAME[i]} " "$record" && n=$i; done
  [ -n "$n" ] || fail "the handler ran for no node"
  rec() { sed -n "s/^${NODE_NAME[n]} $1=//p" "$record" | head -n 1; }
  expect_eq "$(rec DRBD_RESOURCE)" "$TOPO_RES" "handler's DRBD_RESOURCE"
  expect_eq "$(rec DRBD_MINOR)" "${NODE_MINOR[n]}" "handler's DRBD_MINOR"
  expect_eq "$(rec DRBD_VOLUME)" 0 "handler's DRBD_VOLUME"
  expect_eq "$(rec DRBD_PEER)" "${NODE_NAME[1 - n]}" "handler's DRBD_PEER"
  expect_eq "$(rec DRBD_PEER_AF)" ipv4 "handler's DRBD_PEER_AF"
  expect_eq "$(rec DRBD_PEER_ADDRESS)" "${NODE_ADDR[1 - n]}" "handler's DRBD_PEER_ADDRESS"
  expect_eq "$(rec __DRBD_NODE__)" "${NODE_NAME[n]}" "handler's __DRBD_NODE__"
  # Nothing was synced: each still has its own data.
  has_pattern 1 b 8 || fail "node 1 lost its data before any recovery"

  info "manual recovery: node 1 is the victim"
  [ "$(node_query 1 cstate)" = StandAlone ] || topo_must 1 disconnect_victim disconnect "$TOPO_RES"
  topo_wait 1 cstate StandAlone
  topo_must 1 secondary_victim secondary "$TOPO_RES"
  topo_must 1 connect_discard connect --discard-my-data "$TOPO_RES"
  [ "$(node_query 0 cstate)" != StandAlone ] || topo_must 0 connect_survivor connect "$TOPO_RES"
  topo_wait 1 cstate Connected 120
  topo_wait 1 dstate UpToDate/UpToDate 120
  topo_wait 0 dstate UpToDate/UpToDate
  expect_eq "$(node_query 1 role)" Secondary/Primary "node 1's role after the recovery"
  logged "$(log 1)" "Split-Brain detected, manually solved. Sync from peer node" ||
    fail "node 1's log lacks 'Split-Brain detected, manually solved. Sync from peer node'"
  logged "$(log 1)" "conn( WFSyncUUID -> SyncTarget )" || fail "node 1 never became SyncTarget"
  logged "$(log 0)" "conn( WFBitMapS -> SyncSource )" || fail "node 0 never became SyncSource"
  [ "$(node_proc_field 1 nr)" -gt 0 ] || fail "node 1 received nothing in the resync"
  same_data 0 1
  has_pattern 1 a 0 || fail "node 1 lacks the survivor's write"
  ! has_pattern 1 b 8 || fail "node 1 kept its own split-brain write"
  # Each split-brain helper run DRBD logged ran the handler once, and none
  # ran for the recovery (the manual resolution is no split brain left).
  expect_eq "$(cat "$(log 0)" "$(log 1)" | grep -c "helper command: .* split-brain minor-[0-9]* exit code 0")" \
    "$(grep -c ' DRBD_RESOURCE=' "$record")" "split-brain helper runs (logs) vs handler runs"
  expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0"
else
  info "after-sb-1pri discard-secondary: node 0 Primary, node 1 Secondary at the reconnect"
  split
  write_at 0 "$TEST_TMP/pattern.a" 0
  write_at 1 "$TEST_TMP/pattern.b" 8
  topo_must 1 secondary_1 secondary "$TOPO_RES"
  topo_all connect connect "$TOPO_RES"
  topo_wait 1 cstate Connected 120
  topo_wait 1 dstate UpToDate/UpToDate 120
  topo_wait 0 dstate UpToDate/UpToDate
  expect_eq "$(node_query 0 role)" Primary/Secondary "node 0's role"
  logged "$(log 0)" "Split-Brain detected, 1 primaries, automatically solved. Sync from this node" ||
    fail "node 0's log lacks the automatic 1-primary recovery"
  logged "$(log 1)" "Split-Brain detected, 1 primaries, automatically solved. Sync from peer node" ||
    fail "node 1's log lacks the automatic 1-primary recovery"
  same_data 0 1
  has_pattern 1 a 0 || fail "node 1 lacks node 0's write"
  ! has_pattern 1 b 8 || fail "node 1 (the Secondary) kept its split-brain write"

  info "after-sb-0pri discard-zero-changes: node 1 writes, node 0 does not, both Secondary"
  split
  write_at 1 "$TEST_TMP/pattern.c" 16
  topo_all secondary_0p secondary "$TOPO_RES"
  before=$(grep -c "Split-Brain detected" "$(log 1)")
  topo_all connect_0p connect "$TOPO_RES"
  topo_wait 0 cstate Connected 120
  topo_wait 0 dstate UpToDate/UpToDate 120
  topo_wait 1 dstate UpToDate/UpToDate
  expect_eq "$(node_query 0 role)" Secondary/Secondary "roles"
  logged "$(log 0)" "Split-Brain detected, 0 primaries, automatically solved. Sync from peer node" ||
    fail "node 0's log lacks the automatic 0-primary recovery"
  logged "$(log 1)" "Split-Brain detected, 0 primaries, automatically solved. Sync from this node" ||
    fail "node 1's log lacks the automatic 0-primary recovery"
  [ "$(grep -c "Split-Brain detected" "$(log 1)")" -gt "$before" ] || fail "no new split brain seen by node 1"
  topo_must 1 primary_1 primary "$TOPO_RES"
  same_data 1 0
  has_pattern 0 c 16 || fail "node 0 lacks node 1's write"
  has_pattern 0 a 0 || fail "node 0 lost its earlier data"
  topo_must 1 secondary_end secondary "$TOPO_RES"
  ! grep -q "helper command: .* split-brain" "$(log 0)" "$(log 1)" || fail "split-brain helper ran for a solved split brain"
  [ ! -e "$record" ] || { cat "$record"; fail "the split-brain handler ran"; }
fi

[ "$mode" = auto ] || topo_must 0 secondary_end0 secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
