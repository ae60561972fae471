#!/usr/bin/env bash
# SIGTERM to umcd while a DRBD device is in use (ext4 mounted on it through a
# loop device, a writer running): umcd brings what it can down, cannot demote
# the open device ("Device is held open by someone", as rmmod would be
# refused), says so in its log, keeps DRBD loaded and the backing devices
# open until it exits - and does exit.  After a restart `drbdadm up` replays
# the activity log, the disk is UpToDate, e2fsck is clean after the journal
# replay, and every write acknowledged before the signal is there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init 217 umc_t_sigterm
requires mkfs.ext4 -V
backend_available uring || { echo "SKIP: $TEST_NAME needs umcd's uring backend"; exit 77; }

img="$TEST_TMP/d0.img"
truncate -s 128M "$img"
start_drbd_node "$TEST_TMP/root" "d0=uring:path=$img"
pid1=$UMCD_PID
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
node=$(drbd_node_path)
must pri drbdadm_umc primary --force "$DRBD_RES"
mkfs.ext4 -q -F -E nodiscard "$node" || fail "mkfs.ext4 on $node"
mnt="$TEST_TMP/mnt"
mount_loop "$node" "$mnt"
loop=$(loop_of "$mnt")
start_ack_writer "$mnt/records"

info "SIGTERM umcd while dev/drbd$DRBD_MINOR is mounted and written"
kill -TERM "$pid1"
wait_for 60 "umcd to exit after SIGTERM" process_gone "$pid1"
grep -q "State change failed: (-12) Device is held open by someone" "$TEST_TMP/umcd.log" ||
  { tail -20 "$TEST_TMP/umcd.log"; fail "umcd did not report the refused down"; }
grep -q "the module stays loaded" "$TEST_TMP/umcd.log" || fail "umcd did not say it kept DRBD loaded"
ack_writer_died
umount "$mnt" 2>/dev/null || umount -l "$mnt"
wait_for 10 "$loop to be released" sh -c "! losetup '$loop'"
wait_for 10 "$DRBD_ROOT to be unmounted" sh -c "! findmnt -n '$DRBD_ROOT'"

info "restart umcd; drbdadm up replays the activity log"
restart_drbd_node
drbd_up
expect_drbd_state dstate "UpToDate/DUnknown"
must pri2 drbdadm_umc primary "$DRBD_RES"
mount_loop "$node" "$mnt"
umount "$mnt"
e2fsck -fn "$node" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn after journal replay"; }
mount_loop "$node" "$mnt" ro
check_ack_records "$mnt/records"
umount "$mnt"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
umcd_alive
