#!/usr/bin/env bash
# Bad input: drbd-utils print the same messages as with the kernel's DRBD
# 8.4, and umcd is unharmed (later commands still work).
#   - an unknown resource (drbdadm's config check; the kernel's
#     "(158) Unknown resource" for drbdsetup),
#   - a config naming a missing backing device (drbdmeta apply-al cannot open
#     it; `drbdadm down` removes the half-made resource),
#   - devices too small for their meta-data: drbdmeta refuses a 64 KiB disk
#     for internal meta-data; the kernel refuses a 512 KiB external
#     meta-data device at attach: "(112) Meta device too small.",
#   - a second `drbdadm up` ("Device 'N' is configured!") and a second
#     connect ("(102) Local address(port) already in use."),
#   - an unreachable peer (closed loopback port): up succeeds, the
#     connection stays Connecting,
#   - a non-root user on the control socket: reading the state works (the
#     status commands have no GENL_ADMIN_PERM), configuration commands get
#     EPERM from genetlink, and nothing changes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_bad
alloc_minor small_minor
claim_drbd_minor_all "$small_minor"
claim_drbd_resource umc_t_small
alloc_minor nodisk_minor
claim_drbd_minor_all "$nodisk_minor"
claim_drbd_resource umc_t_nodisk
requires setpriv --version

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M d1=ram:size=64M tiny=ram:size=64K md1=ram:size=512K
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up

# with_res CONF RES MINOR CMD...: run CMD with another resource's globals
# (its own config file, minor and a port pair of its own).
alloc_port other_port
alloc_port other_peer_port
with_res() {
  local DRBD_CONF=$1 DRBD_RES=$2 DRBD_MINOR=$3; shift 3
  local DRBD_DEV="/dev/drbd$DRBD_MINOR" DRBD_PORT=$other_port DRBD_PEER_PORT=$other_peer_port
  "$@"
}

info "unknown resource"
run_capture unknown drbdadm_umc up umc_t_nosuch
expect_rc unknown 1
expect_line unknown "'umc_t_nosuch' not defined in your config (for this host)."
run_capture unknown_k drbdsetup_umc resource-options umc_t_nosuch
expect_rc unknown_k 10
expect_line unknown_k "umc_t_nosuch: Failure: (158) Unknown resource"
expect_line unknown_k "additional info from kernel:"
expect_line unknown_k "unknown resource"
umcd_alive

info "a config naming a missing backing device"
nodisk_conf="$TEST_TMP/nodisk.conf"
with_res "$nodisk_conf" umc_t_nodisk $nodisk_minor write_drbd_res "$DRBD_ROOT/dev/nodisk" internal
on_exit "DRBD_CONF='$nodisk_conf' DRBD_RES=umc_t_nodisk drbd_down_quiet"
run_capture nodisk with_res "$nodisk_conf" umc_t_nodisk $nodisk_minor drbdadm_umc up umc_t_nodisk
# drbdmeta exits 20; drbdadm stops there and exits nonzero (1)
[ "$CAPTURE_RC" -ne 0 ] || fail "drbdadm up with a missing disk succeeded"
expect_line nodisk "open($DRBD_ROOT/dev/nodisk) failed: No such file or directory"
expect_line nodisk "Command 'drbdmeta $nodisk_minor v08 $DRBD_ROOT/dev/nodisk internal apply-al' terminated with exit code 20"
# new-resource and new-minor ran, attach and connect did not: StandAlone and
# Diskless, which drbdsetup prints as "Unconfigured"
expect_eq "$(with_res "$nodisk_conf" umc_t_nodisk $nodisk_minor drbd_query dstate umc_t_nodisk)" "Unconfigured" \
  "disk state of the resource whose disk is missing"
[ -e "$DRBD_ROOT/dev/drbd${nodisk_minor}" ] || fail "no dev/drbd${nodisk_minor} after new-minor"
must nodisk_down with_res "$nodisk_conf" umc_t_nodisk $nodisk_minor drbdadm_umc down umc_t_nodisk
wait_for 10 "dev/drbd${nodisk_minor} to disappear" test ! -e "$DRBD_ROOT/dev/drbd${nodisk_minor}"
umcd_alive

info "internal meta-data on a 64 KiB device: drbdmeta refuses"
small_conf="$TEST_TMP/small.conf"
with_res "$small_conf" umc_t_small $small_minor write_drbd_res "$DRBD_ROOT/dev/tiny" internal
run_capture tiny with_res "$small_conf" umc_t_small $small_minor drbdadm_umc create-md umc_t_small
expect_rc tiny 10
expect_line tiny "$DRBD_ROOT/dev/tiny is only 65536 bytes. That's not enough."
expect_line tiny "Command 'drbdmeta $small_minor v08 $DRBD_ROOT/dev/tiny internal create-md' terminated with exit code 10"

info "external meta-data on a 512 KiB device: the kernel refuses the attach"
with_res "$small_conf" umc_t_small $small_minor write_drbd_res "$DRBD_ROOT/dev/d1" "$DRBD_ROOT/dev/md1"
on_exit "DRBD_CONF='$small_conf' DRBD_RES=umc_t_small drbd_down_quiet"
must md1 with_res "$small_conf" umc_t_small $small_minor drbdadm_umc create-md umc_t_small
run_capture small_up with_res "$small_conf" umc_t_small $small_minor drbdadm_umc up umc_t_small
[ "$CAPTURE_RC" -ne 0 ] || fail "drbdadm up with a too small meta-data device succeeded"
expect_line small_up "$small_minor: Failure: (112) Meta device too small."
expect_text small_up "Command 'drbdsetup-84 attach $small_minor $DRBD_ROOT/dev/d1 $DRBD_ROOT/dev/md1 flexible"
must small_down with_res "$small_conf" umc_t_small $small_minor drbdadm_umc down umc_t_small
umcd_alive

info "a second up of a resource that is up"
run_capture up2 drbdadm_umc up "$DRBD_RES"
[ "$CAPTURE_RC" -ne 0 ] || fail "a second drbdadm up succeeded"
expect_line up2 "Device '$DRBD_MINOR' is configured!"
expect_line up2 "Command 'drbdmeta $DRBD_MINOR v08 $DRBD_ROOT/dev/d0 internal apply-al' terminated with exit code 20"
expect_drbd_state dstate "Inconsistent/DUnknown"

info "a second connect"
run_capture conn2 drbdadm_umc connect "$DRBD_RES"
expect_rc conn2 10
# drbd_adm_connect checks the endpoints of every connection (its own too)
# before it looks at the connection state, so the kernel answers 102 here
expect_line conn2 "$DRBD_RES: Failure: (102) Local address(port) already in use."
expect_text conn2 "Command 'drbdsetup-84 connect $DRBD_RES ipv4:127.0.0.1:$DRBD_PORT ipv4:127.0.0.1:$DRBD_PEER_PORT"

info "an unreachable peer: the resource waits for it, nothing blocks"
wait_drbd_state cstate "WFConnection"
must status drbdadm_umc status "$DRBD_RES"
expect_line status "  peer connection:Connecting"

info "a non-root user on the control socket: status yes, configuration no"
# The kernel's DRBD genl family lets anybody read the state (GET_STATUS,
# GET_RESOURCES/DEVICES/..., GET_INITIAL_STATE have no GENL_ADMIN_PERM:
# "anyone may ask for the status, it is broadcasted anyways"); every
# configuration command has GENL_ADMIN_PERM, so genetlink answers EPERM.
chmod 0755 "$TEST_TMP"   # let the user reach $DRBD_ROOT (proc/drbd, the socket name)
as_nobody() {
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    env LD_PRELOAD="$PRELOAD_LIB" UMC_FS_ROOT="$DRBD_ROOT" timeout 30 "$@"
}
run_capture user_role as_nobody "$DRBDSETUP" role "$DRBD_MINOR"
expect_rc user_role 0
expect_eq "$(cat "$TEST_TMP/user_role.out")" "Secondary/Unknown" "drbdsetup role as a user"
run_capture user_status as_nobody "$DRBDSETUP" status "$DRBD_RES"
expect_rc user_status 0
expect_eq "$(cat "$TEST_TMP/user_status.out")" "$(cat "$TEST_TMP/status.out")" "drbdsetup status as a user"
run_capture user_opts as_nobody "$DRBDSETUP" resource-options "$DRBD_RES" --cpu-mask=1
[ "$CAPTURE_RC" -ne 0 ] || { cat "$TEST_TMP/user_opts.all"; fail "resource-options as a user succeeded"; }
expect_text user_opts "Operation not permitted"
expect_no_text user_opts "cannot reach umcd's control socket"
info "resource-options as a user: $(tr '\n' ' ' <"$TEST_TMP/user_opts.all")"
run_capture user_disc as_nobody "$DRBDSETUP" disconnect "ipv4:127.0.0.1:$DRBD_PORT" "ipv4:127.0.0.1:$DRBD_PEER_PORT"
[ "$CAPTURE_RC" -ne 0 ] || { cat "$TEST_TMP/user_disc.all"; fail "disconnect as a user succeeded"; }
expect_text user_disc "Operation not permitted"
# Commands on a minor take drbdsetup's lock in /var/lock first, which a user
# cannot create: refused before umcd is asked, as with the kernel module.
run_capture user_primary as_nobody "$DRBDSETUP" primary "$DRBD_MINOR"
[ "$CAPTURE_RC" -ne 0 ] || { cat "$TEST_TMP/user_primary.all"; fail "drbdsetup primary as a user succeeded"; }
expect_text user_primary "open(/var/lock/drbd-147-$DRBD_MINOR): Permission denied"
run_capture user_down as_nobody "$DRBDSETUP" down "$DRBD_RES"
[ "$CAPTURE_RC" -ne 0 ] || { cat "$TEST_TMP/user_down.all"; fail "drbdsetup down as a user succeeded"; }
info "down as a user: exit $CAPTURE_RC $(tr '\n' ' ' <"$TEST_TMP/user_down.all")"
info "the user changed nothing"
expect_drbd_state cstate "WFConnection"
expect_drbd_state role "Secondary/Unknown"
expect_drbd_state dstate "Inconsistent/DUnknown"

info "after all that, umcd works: primary, down, up"
umcd_alive
must pri drbdadm_umc primary --force "$DRBD_RES"
expect_drbd_state role "Primary/Unknown"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
must up3 drbdadm_umc up "$DRBD_RES"
expect_drbd_state dstate "UpToDate/DUnknown"
must down2 drbdadm_umc down "$DRBD_RES"
