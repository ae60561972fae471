#!/usr/bin/env bash
# An installed umc node used as an administrator uses a DRBD node: the
# installed umcd (from a DESTDIR install) serves a ram device, and in a clean
# environment (`env -i PATH=<prefix>/sbin:/usr/sbin:/usr/bin:/sbin:/bin`)
# only UMC_FS_ROOT steers the installed drbdadm wrapper: create-md, up,
# status, role, primary, down work; no tools/umc, no LD_PRELOAD by hand.  The
# installed umcd finds its libumc-preload.so (for DRBD's usermode helpers) in
# <prefix>/lib/umc, and the installed `umc status` shows the node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/install_lib.sh"
drbd_test_init umc_t_inst
installed_node "$TEST_TMP/dest"

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
write_drbd_res "$DRBD_ROOT/dev/d0" internal
! grep -q "libumc-preload.so not found" "$TEST_TMP/umcd.log" || fail "the installed umcd did not find its preload"
[ "$(readlink "/proc/$UMCD_PID/exe")" = "$INST_SBIN/umcd" ] || fail "the running umcd is not the installed one"

adm() { as_admin "$DRBD_ROOT" drbdadm -c "$DRBD_CONF" "$@"; }
on_exit "as_admin '$DRBD_ROOT' drbdadm -c '$DRBD_CONF' down '$DRBD_RES'"

info "UMC_FS_ROOT=... drbdadm create-md / up / status"
must create_md adm create-md "$DRBD_RES"
expect_text create_md "New drbd meta data block successfully created."
must up adm up "$DRBD_RES"
must status adm status "$DRBD_RES"
expect_line status "$DRBD_RES role:Secondary"
expect_line status "  disk:Inconsistent"
expect_eq "$(adm role "$DRBD_RES")" "Secondary/Unknown" "drbdadm role"
expect_eq "$(as_admin "$DRBD_ROOT" drbdsetup role "$DRBD_MINOR" 2>&1 || true)" "Secondary/Unknown" "drbdsetup role"
grep -q "^ *$DRBD_MINOR: cs:" "$DRBD_ROOT/proc/drbd" || fail "minor $DRBD_MINOR is not in umcd's proc/drbd"
[ -e "$DRBD_ROOT/dev/drbd$DRBD_MINOR" ] || fail "no dev/drbd$DRBD_MINOR"

info "primary --force, then down"
must pri adm primary --force "$DRBD_RES"
expect_eq "$(adm dstate "$DRBD_RES")" "UpToDate/DUnknown" "dstate after primary --force"
must sec adm secondary "$DRBD_RES"
must down adm down "$DRBD_RES"
[ ! -e "$DRBD_ROOT/dev/drbd$DRBD_MINOR" ] || fail "dev/drbd$DRBD_MINOR is still there after down"

info "the installed umc status"
as_admin "$DRBD_ROOT" umc status >"$TEST_TMP/status.out" 2>&1 || { cat "$TEST_TMP/status.out"; fail "umc status"; }
grep -q "^d0 " "$TEST_TMP/status.out" || fail "umc status lacks d0: $(cat "$TEST_TMP/status.out")"

info "nothing of it on the host: the tools' state went to umcd's state_dir"
for f in "/var/lock/drbd-147-$DRBD_MINOR" "/var/lib/drbd/drbd-minor-$DRBD_MINOR.lkbd"; do
  [ ! -e "$f" ] || fail "$f on the host"
done
[ -f "$UMCD_STATE_DIR/lock/drbd-147-$DRBD_MINOR" ] || fail "no lock in umcd's state_dir"
