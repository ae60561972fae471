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
drbd_test_init umc_t_sigterm
drbd_primary_ext4_node
start_ack_writer "$mnt/records"

info "SIGTERM umcd while dev/drbd$DRBD_MINOR is mounted and written"
kill -TERM "$pid1"
wait_for 60 "umcd to exit after SIGTERM" process_gone "$pid1"
grep -q "State change failed: (-12) Device is held open by someone" "$TEST_TMP/umcd.log" ||
  { tail -20 "$TEST_TMP/umcd.log"; fail "umcd did not report the refused down"; }
expect_file_contains "$TEST_TMP/umcd.log" "the module stays loaded" "umcd did not say it kept DRBD loaded"
ack_writer_died
umount "$mnt" 2>/dev/null || umount -l "$mnt"
wait_for 10 "$loop to be released" sh -c "! losetup '$loop'"
wait_for 10 "$DRBD_ROOT to be unmounted" sh -c "! findmnt -n '$DRBD_ROOT'"

info "restart umcd; drbdadm up replays the activity log"
restart_drbd_node
drbd_up
expect_drbd_state dstate "UpToDate/DUnknown"
drbd_recovered_ext4_intact
umcd_alive
