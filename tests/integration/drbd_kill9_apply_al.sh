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
drbd_test_init 210 umc_t_kill9
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
must pri2 drbdadm_umc primary "$DRBD_RES"

info "replay the ext4 journal (mount + umount); e2fsck -fn must be clean"
mount_loop "$node" "$mnt"
umount "$mnt"
e2fsck -fn "$node" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn after journal replay"; }

info "every acknowledged record is present and intact"
mount_loop "$node" "$mnt" ro
check_ack_records "$mnt/records"
umount "$mnt"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
umcd_alive
