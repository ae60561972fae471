#!/usr/bin/env bash
# drbdadm adjust after a configuration change:
#   right after `up` the kernel's configuration equals drbd.conf, so
#   `drbdadm -d adjust` has nothing to do (prints nothing); after adding
#   `net { ping-int 7; }` and `disk { md-flushes no; }` it plans a
#   net-options and a disk-options call; `drbdadm adjust` applies them,
#   `drbdsetup show` has the new values, and adjust is idle again.
#   A changed peer address is applied by adjust too (disconnect + connect).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_adjust

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up

# show_normalized NAME: `drbdsetup show` with runs of blanks squeezed and
# indentation removed, in $TEST_TMP/NAME.all for expect_line/expect_text.
show_normalized() {
  must "$1_raw" drbdsetup_umc show "$DRBD_RES"
  tr -s '\t ' '  ' <"$TEST_TMP/$1_raw.out" | sed 's/^ *//' >"$TEST_TMP/$1.all"
}

info "right after up, adjust has nothing to do"
must dry0 drbdadm_umc -d adjust "$DRBD_RES"
[ ! -s "$TEST_TMP/dry0.out" ] || { cat "$TEST_TMP/dry0.all"; fail "drbdadm -d adjust after up wants to change something"; }

info "change net and disk options in drbd.conf"
write_drbd_res "$DRBD_ROOT/dev/d0" internal 'net { ping-int 7; }' 'disk { md-flushes no; }'
must dry1 drbdadm_umc -d adjust "$DRBD_RES"
expect_text dry1 "net-options"
expect_text dry1 "--ping-int=7"
expect_text dry1 "disk-options $DRBD_MINOR"
expect_text dry1 "--md-flushes=no"

info "adjust applies them"
must adjust1 drbdadm_umc adjust "$DRBD_RES"
show_normalized show1
expect_text show1 "ping-int 7;"
expect_text show1 "md-flushes no;"
must dry2 drbdadm_umc -d adjust "$DRBD_RES"
[ ! -s "$TEST_TMP/dry2.out" ] || { cat "$TEST_TMP/dry2.all"; fail "adjust is not idle after applying the change"; }
expect_drbd_state dstate "Inconsistent/DUnknown"
expect_drbd_state cstate "WFConnection"

info "a new peer address: adjust reconnects to it"
old_peer=$DRBD_PEER_PORT
alloc_port DRBD_PEER_PORT
write_drbd_res "$DRBD_ROOT/dev/d0" internal 'net { ping-int 7; }' 'disk { md-flushes no; }'
must adjust2 drbdadm_umc adjust "$DRBD_RES"
show_normalized show2
expect_line show2 "address ipv4 127.0.0.1:$DRBD_PEER_PORT;"
expect_no_text show2 "127.0.0.1:$old_peer;"
wait_drbd_state cstate "WFConnection"
must dry3 drbdadm_umc -d adjust "$DRBD_RES"
[ ! -s "$TEST_TMP/dry3.out" ] || { cat "$TEST_TMP/dry3.all"; fail "adjust is not idle after the reconnect"; }

must down drbdadm_umc down "$DRBD_RES"
umcd_alive
