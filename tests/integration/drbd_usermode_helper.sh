#!/usr/bin/env bash
# DRBD's usermode helpers run with the preload and UMC_FS_ROOT, so that a
# handler's drbd-utils reach the same daemon.  With `fencing resource-only`,
# promoting a Secondary whose peer is unknown makes DRBD call the helper as
# "<usermode_helper> fence-peer <resource>" (drbd_nl.c conn_try_outdate_peer)
# and act on its exit code: 4 = the peer is outdated, go ahead.  (The first
# promotion of fresh meta-data cannot fence - "I'm not even Consistent" - so
# the resource starts without fencing and gets it by `adjust`.)  The helper
# is a script (set through the writable module parameter usermode_helper,
# as an administrator could); it records its argv and environment and
# reads /proc/drbd, which the preload maps to this daemon's proc/drbd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_helper

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
wait_drbd_state cstate WFConnection
must first_primary drbdadm_umc primary --force "$DRBD_RES"
must secondary drbdadm_umc secondary "$DRBD_RES"
expect_eq "$(drbd_query dstate)" "UpToDate/DUnknown" "dstate before fencing"
write_drbd_res "$DRBD_ROOT/dev/d0" internal 'disk { fencing resource-only; }'
must adjust drbdadm_umc adjust "$DRBD_RES"

helper="$TEST_TMP/helper.sh"
record="$TEST_TMP/helper.record"
cat >"$helper" <<SH
#!/bin/sh
{
  echo "argv: \$*"
  echo "DRBD_PEER=\$DRBD_PEER_AF:\$DRBD_PEER_ADDRESS"
  echo "HOME=\$HOME"
  echo "UMC_FS_ROOT=\$UMC_FS_ROOT"
  echo "LD_PRELOAD=\$LD_PRELOAD"
  grep "^ *$DRBD_MINOR: " /proc/drbd
} >"$record" 2>&1
exit 4
SH
chmod +x "$helper"
param="$DRBD_ROOT/sys/module/drbd/parameters/usermode_helper"
old_helper=$(cat "$param")
on_exit "echo '$old_helper' >'$param' 2>/dev/null"
echo "$helper" >"$param"
expect_eq "$(cat "$param")" "$helper" "usermode_helper after the write"

info "primary without --force: DRBD calls fence-peer, which says 'peer outdated'"
must primary drbdadm_umc primary "$DRBD_RES"
expect_eq "$(drbd_query role)" "Primary/Unknown" "role after the fenced promotion"
expect_eq "$(drbd_query dstate)" "UpToDate/Outdated" "dstate: the peer is outdated as the helper said"
[ -s "$record" ] || fail "the helper did not run"
cat "$record"
expect_eq "$(sed -n 's/^argv: //p' "$record")" "fence-peer $DRBD_RES" "helper argv"
# DRBD's own environment for the helper (drbd_nl.c setup_khelper_env)...
expect_eq "$(sed -n 's/^DRBD_PEER=//p' "$record")" "ipv4:127.0.0.1" "helper's DRBD_PEER_AF:DRBD_PEER_ADDRESS"
expect_eq "$(sed -n 's/^HOME=//p' "$record")" "/" "helper's HOME"
# ...plus what makes its drbd-utils reach this daemon.
expect_eq "$(sed -n 's/^UMC_FS_ROOT=//p' "$record")" "$DRBD_ROOT" "helper's UMC_FS_ROOT"
case $(sed -n 's/^LD_PRELOAD=//p' "$record") in
  */libumc-preload.so) ;;
  *) fail "the helper did not get libumc-preload.so in LD_PRELOAD" ;;
esac
grep -q "^ *$DRBD_MINOR: cs:WFConnection ro:Secondary/Unknown" "$record" ||
  fail "the helper's /proc/drbd is not this daemon's (minor $DRBD_MINOR Secondary)"
must secondary2 drbdadm_umc secondary "$DRBD_RES"
umcd_alive
