#!/usr/bin/env bash
# The life cycle of one resource as an administrator sees it, on a umcd RAM
# device with internal meta-data and a peer that never answers:
#   drbdadm create-md, up; role/cstate/dstate/status, drbdsetup show,
#   /proc/drbd and dev/drbdN; disconnect (StandAlone) and connect again;
#   detach (Diskless) and attach again; down (the minor is gone and the
#   tools say so with the kernel's words).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_up

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
disk="$DRBD_ROOT/dev/d0"
write_drbd_res "$disk" internal
node=$(drbd_node_path)

info "umcd serves DRBD before any resource: /proc/drbd names 8.4.11, no minor yet"
[ -f "$DRBD_ROOT/proc/drbd" ] || fail "no $DRBD_ROOT/proc/drbd"
expect_eq "$(head -n 1 "$DRBD_ROOT/proc/drbd")" "version: 8.4.11 (api:1/proto:86-101)" "first line of proc/drbd"
[ ! -e "$node" ] || fail "$node exists before new-minor"

info "drbdadm create-md on the FUSE node (internal meta-data)"
drbd_create_md

info "drbdadm up: new-resource, new-minor, apply-al, attach, connect"
drbd_up
[ -e "$node" ] || fail "no $node after up"
size=$(stat -c %s "$node")
# internal meta-data takes the last 36-40 KiB of a 64 MiB device
[ "$size" -gt $((63 * 1024 * 1024)) ] && [ "$size" -lt $((64 * 1024 * 1024)) ] ||
  fail "$node is $size bytes; expected 64 MiB minus the internal meta-data"
info "dev/drbd$DRBD_MINOR is $size bytes"

info "role, cstate, dstate: a fresh disk, no peer yet"
expect_drbd_state role "Secondary/Unknown"
# Unconnected until the receiver thread listens, as with the kernel
wait_drbd_state cstate "WFConnection"
expect_drbd_state dstate "Inconsistent/DUnknown"

info "drbdadm status"
must status drbdadm_umc status "$DRBD_RES"
expect_eq "$(cat "$TEST_TMP/status.out")" "$DRBD_RES role:Secondary
  disk:Inconsistent
  peer connection:Connecting" "drbdadm status"

info "drbdsetup show: the configuration as the kernel holds it"
must show drbdsetup_umc show "$DRBD_RES"
tr -s '\t ' '  ' <"$TEST_TMP/show.out" | sed 's/^ *//' >"$TEST_TMP/show_norm.all"
for l in "resource $DRBD_RES {" "device minor $DRBD_MINOR;" "disk \"$disk\";" "meta-disk internal;" \
         "address ipv4 127.0.0.1:$DRBD_PORT;" "address ipv4 127.0.0.1:$DRBD_PEER_PORT;"; do
  expect_line show_norm "$l"
done

info "/proc/drbd shows the minor like the kernel"
expect_eq "$(drbd_proc_line)" "$DRBD_MINOR: cs:WFConnection ro:Secondary/Unknown ds:Inconsistent/DUnknown C r----s" \
  "proc/drbd line of minor $DRBD_MINOR"

info "disconnect: StandAlone, and status has no peer any more"
must disconnect drbdadm_umc disconnect "$DRBD_RES"
expect_drbd_state cstate "StandAlone"
must status2 drbdadm_umc status "$DRBD_RES"
expect_eq "$(cat "$TEST_TMP/status2.out")" "$DRBD_RES role:Secondary
  disk:Inconsistent" "drbdadm status while StandAlone"
expect_eq "$(drbd_proc_line)" "$DRBD_MINOR: cs:StandAlone ro:Secondary/Unknown ds:Inconsistent/DUnknown   r----s" \
  "proc/drbd line while StandAlone (no net_conf: protocol blank)"

info "connect again: WFConnection"
must connect drbdadm_umc connect "$DRBD_RES"
wait_drbd_state cstate "WFConnection"

info "detach: Diskless; attach again: the meta-data is still there"
must detach drbdadm_umc detach "$DRBD_RES"
expect_drbd_state dstate "Diskless/DUnknown"
must attach drbdadm_umc attach "$DRBD_RES"
expect_drbd_state dstate "Inconsistent/DUnknown"

info "down: the minor and the resource are gone"
must down drbdadm_umc down "$DRBD_RES"
wait_for 10 "$node to disappear" test ! -e "$node"
[ -z "$(drbd_proc_line)" ] || fail "proc/drbd still lists minor $DRBD_MINOR: $(drbd_proc_line)"
run_capture role_gone drbdsetup_umc role "$DRBD_MINOR"
expect_rc role_gone 10
expect_line role_gone "$DRBD_MINOR: Failure: (127) Device minor not allocated"
expect_line role_gone "additional info from kernel:"
expect_line role_gone "unknown minor"
run_capture status_gone drbdsetup_umc status "$DRBD_RES"
expect_rc status_gone 10
expect_line status_gone "$DRBD_RES: No such resource"
info "down of a resource that is not up succeeds quietly (missing_ok), as with the kernel"
must down_again drbdadm_umc down "$DRBD_RES"

umcd_alive
