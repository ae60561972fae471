#!/usr/bin/env bash
# `drbdadm wait-connect` with a timeout returns instead of hanging when the
# peer never answers (a closed loopback port: DRBD's connect gets
# ECONNREFUSED and it stays in WFConnection).
#   drbdadm passes the startup section's wfc-timeout/degr-wfc-timeout/
#   outdated-wfc-timeout to `drbdsetup-84 wait-connect MINOR`; drbdsetup asks
#   the kernel which timeout applies (GET_TIMEOUT_TYPE), listens to the
#   events, and exits 5 when the timeout expires (no "Command ... terminated"
#   line: drbdadm reports only exit codes >= 10).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_wfc

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
write_drbd_res "$DRBD_ROOT/dev/d0" internal \
  'startup { wfc-timeout 2; degr-wfc-timeout 2; outdated-wfc-timeout 2; }'
drbd_create_md
drbd_up
wait_drbd_state cstate "WFConnection"

# timed NAME CMD...: run_capture with the elapsed time in ELAPSED_MS.
timed() {
  local t0; t0=$(date +%s%N)
  run_capture "$@"
  ELAPSED_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

info "drbdadm wait-connect: returns 5 after the 2 s wfc-timeout"
DRBD_CMD_TIMEOUT=30 timed wfc drbdadm_umc wait-connect "$DRBD_RES"
[ "$CAPTURE_RC" -ne 124 ] || fail "drbdadm wait-connect hung (killed by timeout after 30 s)"
expect_rc wfc 5
[ "$ELAPSED_MS" -ge 1500 ] && [ "$ELAPSED_MS" -lt 15000 ] ||
  fail "wait-connect returned after ${ELAPSED_MS} ms; expected about 2000"
expect_no_text wfc "terminated with exit code"
info "drbdadm wait-connect returned $CAPTURE_RC after ${ELAPSED_MS} ms"

info "drbdsetup-84 wait-connect --wfc-timeout=1 directly: exit 5"
DRBD_CMD_TIMEOUT=30 timed wfc1 drbdsetup_umc wait-connect "$DRBD_MINOR" --wfc-timeout=1 --degr-wfc-timeout=1 --outdated-wfc-timeout=1
expect_rc wfc1 5
[ "$ELAPSED_MS" -ge 700 ] && [ "$ELAPSED_MS" -lt 15000 ] ||
  fail "drbdsetup wait-connect returned after ${ELAPSED_MS} ms; expected about 1000"

info "wait-connect on a minor that does not exist: the kernel's error at once"
DRBD_CMD_TIMEOUT=30 timed wfc_none drbdsetup_umc wait-connect 199 --wfc-timeout=1
[ "$CAPTURE_RC" -ne 0 ] && [ "$CAPTURE_RC" -ne 124 ] || fail "wait-connect on minor 199: exit $CAPTURE_RC"
expect_text wfc_none "error determining which timeout to use: minor not available"

info "the resource is unchanged, umcd serves on"
expect_drbd_state cstate "WFConnection"
expect_drbd_state dstate "Inconsistent/DUnknown"
must down drbdadm_umc down "$DRBD_RES"
umcd_alive
