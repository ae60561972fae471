#!/usr/bin/env bash
# Crash consistency of a Primary: ext4 on dev/drbdN (uring file backing,
# internal meta-data), a writer appends 4 KiB records with fsync(2) each and
# logs every acknowledged record outside the mount; umcd is killed with
# SIGKILL while writes are in flight.  Then:
#   - the writer gets an error, the mounts go away (auto_unmount + teardown),
#   - after a restart `drbdadm up` replays the activity log (apply-al) and
#     attaches; the disk comes back UpToDate/DUnknown and the node Secondary,
#   - `drbdadm primary` (no --force), the ext4 journal is replayed by mount +
#     umount, `e2fsck -fn` finds nothing to fix,
#   - every record acknowledged before the kill is present and intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_kill9
drbd_primary_ext4_node

info "writer: 4 KiB records, fsync each, acknowledged in a log outside the mount"
start_ack_writer "$mnt/records"

info "kill -9 umcd (Primary, writes in flight) after $(wc -l <"$ACK_LOG") acknowledged records"
kill_umcd "$pid1" "$DRBD_ROOT"
ack_writer_died
umount "$mnt" 2>/dev/null || umount -l "$mnt"
wait_for 10 "$loop to be released" sh -c "! losetup '$loop'"

info "restart umcd; drbdadm up runs apply-al and attaches"
restart_drbd_node
drbd_up
expect_drbd_state role "Secondary/Unknown"
expect_drbd_state dstate "UpToDate/DUnknown"
info "primary, replay the ext4 journal, e2fsck -fn clean, every acknowledged record intact"
drbd_recovered_ext4_intact
umcd_alive
