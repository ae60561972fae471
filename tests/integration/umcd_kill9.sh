#!/usr/bin/env bash
# Crash consistency: a writer appends 4 KiB records to a file on ext4 (mount
# -o loop on dev/d0, uring backend) with fsync(2) after each and logs every
# acknowledged record outside the mount.  umcd is killed with SIGKILL once
# enough records are acknowledged (seen in that log).  Then:
#   - the writer gets an error (the dead device is not silently "working"),
#   - the FUSE mount goes away by itself (auto_unmount) and the ext4 mount and
#     its loop device are torn down by the test,
#   - after a restart the journal is replayed by mounting and unmounting (a
#     crashed ext4 has needs_recovery set; `e2fsck -n` cannot replay, and
#     `e2fsck -y` would also silently repair real damage, which must not be
#     hidden), and then `e2fsck -fn` must find nothing to fix,
#   - every record acknowledged before the kill is present and intact.
. "$(dirname "$0")/lib.sh"
requires_root
requires mkfs.ext4 -V
collect_sanitizer_reports

img="$TEST_TMP/disk.img"
truncate -s 128M "$img"
conf="$TEST_TMP/umcd.conf"
write_umcd_config "$conf" "$TEST_TMP/root" "[device d0]" "backend = uring" "path = $img"
start_umcd "$conf"
pid1=$UMCD_PID
dev="$UMCD_ROOT/dev/d0"
mkfs.ext4 -q -F -E nodiscard "$dev"
mnt="$TEST_TMP/mnt"
mount_loop "$dev" "$mnt"
loop=$(loop_of "$mnt")
[ -b "$loop" ] || fail "no loop device under $mnt"

info "writer: 4 KiB records with fsync each, acknowledged in a log outside the mount"
start_ack_writer "$mnt/records"

info "kill -9 umcd after $(wc -l <"$ACK_LOG") acknowledged records"
kill_umcd "$pid1" "$UMCD_ROOT"
ack_writer_died

info "tear down the ext4 mount and its loop device"
umount "$mnt" 2>"$TEST_TMP/umount.err" || umount -l "$mnt"
wait_for 10 "$loop to be released" sh -c "! losetup '$loop'"
! is_mounted "$mnt" || fail "$mnt still mounted"

info "restart umcd; replay the journal by mount + umount; e2fsck -fn must be clean"
start_umcd "$conf"
if dumpe2fs -h "$dev" 2>/dev/null | grep -q "^Filesystem features:.*needs_recovery"; then
  info "the crashed ext4 has needs_recovery set (expected: it was mounted when umcd died)"
else
  info "note: the journal needed no recovery"
fi
mount_loop "$dev" "$mnt"
umount "$mnt"
e2fsck -fn "$dev" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn after journal replay"; }

info "every acknowledged record is present and intact"
mount_loop "$dev" "$mnt" ro
check_ack_records "$mnt/records"
umount "$mnt"

info "stop umcd: no sanitizer reports (leaks are reported at exit)"
stop_umcd "$UMCD_PID" "$UMCD_ROOT"
expect_no_sanitizer_reports
