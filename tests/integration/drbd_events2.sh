#!/usr/bin/env bash
# drbdsetup events2: the state of a resource as "exists" lines (--now), and a
# running event stream that reports role and disk changes and the teardown.
# Formats: drbd-utils 9.22 user/v84/drbdsetup.c print_notifications (8.4
# has no node ids: peer-node-id is always 0 and the connection is "peer").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_events
R=$DRBD_RES M=$DRBD_MINOR

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
# `up` leaves the connection Unconnected until DRBD's receiver thread
# starts listening (WFConnection, "Connecting" in events2).
wait_drbd_state cstate "WFConnection"

info "events2 --now: one 'exists' line per object, then 'exists -', then exit"
must now drbdsetup_umc events2 --now "$R"
expect_line now "exists resource name:$R role:Secondary suspended:no"
expect_line now "exists device name:$R volume:0 minor:$M disk:Inconsistent"
grep -q "^exists connection name:$R peer-node-id:0 conn-name:peer connection:Connecting role:Unknown" "$TEST_TMP/now.out" ||
  { cat "$TEST_TMP/now.all"; fail "events2 --now: no connection line in Connecting"; }
grep -q "^exists peer-device name:$R peer-node-id:0 conn-name:peer volume:0 " "$TEST_TMP/now.out" ||
  { cat "$TEST_TMP/now.all"; fail "events2 --now: no peer-device line"; }
expect_eq "$(tail -n 1 "$TEST_TMP/now.out")" "exists -" "last line of events2 --now"

info "a running events2 stream sees primary, secondary and down"
ev="$TEST_TMP/events"
: >"$ev"
with_shim "$DRBD_ROOT" timeout 60 "$DRBDSETUP" events2 "$R" >"$ev" 2>&1 </dev/null &
evpid=$!
on_exit "kill $evpid; wait $evpid"
wait_for 20 "the initial state in the stream" grep -qx "exists -" "$ev"

must pri drbdadm_umc primary --force "$R"
wait_for 10 "'change resource ... role:Primary'" grep -q "^change resource name:$R role:Primary" "$ev"
wait_for 10 "'change device ... disk:UpToDate'" grep -q "^change device name:$R volume:0 minor:$M disk:UpToDate" "$ev"

must sec drbdadm_umc secondary "$R"
wait_for 10 "'change resource ... role:Secondary'" grep -q "^change resource name:$R role:Secondary" "$ev"

must down drbdadm_umc down "$R"
wait_for 10 "'destroy device'" grep -qx "destroy device name:$R volume:0 minor:$M" "$ev"
wait_for 10 "'destroy resource'" grep -qx "destroy resource name:$R" "$ev"
kill -0 "$evpid" 2>/dev/null || { cat "$ev"; fail "events2 ended by itself"; }
grep -n "" "$ev" | sed 's/^/# events2: /'
! grep -q "^- skipped" "$ev" || fail "the stream skipped events (sequence gaps)"

info "events2 of all resources is still served after the resource is gone"
must now2 drbdsetup_umc events2 --now all
expect_no_text now2 "name:$R "
expect_line now2 "exists -"
umcd_alive
