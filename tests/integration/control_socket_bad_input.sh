#!/usr/bin/env bash
# umcd's control socket under malformed and hostile netlink traffic (short and
# truncated messages, unknown family and command, an oversized datagram, the
# request the hosted DRBD crashes on, a reader that leaves mid-dump): each gets
# the kernel's answer or is dropped, and umcd keeps serving drbdsetup.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
requires_root
requires python3 --version
requires test -x /lib/drbd/drbdsetup-84

conf="$TEST_TMP/umcd.conf"
write_umcd_config "$conf" "$TEST_TMP/root"
start_umcd "$conf"
pid=$UMCD_PID

python3 "$(dirname "$0")/control_socket_probe.py" "$UMCD_ROOT" || fail "control socket probe"
kill -0 "$pid" 2>/dev/null || fail "umcd died"
with_shim "$UMCD_ROOT" /lib/drbd/drbdsetup-84 status >"$TEST_TMP/status.out" 2>&1 ||
  { cat "$TEST_TMP/status.out"; fail "drbdsetup status after the probe"; }
grep -q "dropped (limit" "$TEST_TMP/umcd.log" || fail "the oversized datagram was not reported in umcd's log"
