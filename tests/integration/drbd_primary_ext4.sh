#!/usr/bin/env bash
# Primary and a real filesystem on dev/drbdN:
#   `drbdadm primary` of an Inconsistent disk without a peer is refused with
#   the kernel's "(-2) Need access to UpToDate data" (drbdsetup exit 17);
#   `primary --force` makes it Primary/Unknown, UpToDate/DUnknown;
#   fallocate --zero-range zeroes a range although DRBD advertises no
#   write-zeroes without a peer (the block layer writes zero pages, as the
#   kernel's blkdev_issue_zeroout does);
#   mkfs.ext4, mount via loop, write a tree, read it back after a remount;
#   `drbdadm secondary` while mounted is refused with "(-12) Device is held
#   open by someone" (exit 11), and so is `drbdadm down` ("... failed to
#   demote"); umount, e2fsck -fn clean, secondary, down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_pri
requires mkfs.ext4 -V

start_drbd_node "$TEST_TMP/root" d0=ram:size=128M
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
node=$(drbd_node_path)

info "primary without --force: no UpToDate data anywhere"
run_capture pri drbdadm_umc primary "$DRBD_RES"
[ "$CAPTURE_RC" -ne 0 ] || fail "primary of an Inconsistent disk succeeded"
expect_line pri "$DRBD_MINOR: State change failed: (-2) Need access to UpToDate data"
expect_line pri "Command 'drbdsetup-84 primary $DRBD_MINOR' terminated with exit code 17"
expect_drbd_state role "Secondary/Unknown"

info "primary --force"
must pri_force drbdadm_umc primary --force "$DRBD_RES"
expect_drbd_state role "Primary/Unknown"
expect_drbd_state dstate "UpToDate/DUnknown"
expect_eq "$(drbd_proc_line)" "$DRBD_MINOR: cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown C r----s" \
  "proc/drbd line of the Primary"

info "fallocate --zero-range without a peer (DRBD offers no write-zeroes then): zero pages are written"
dd if=/dev/urandom of="$TEST_TMP/rand" bs=1M count=2 status=none
dd if="$TEST_TMP/rand" of="$node" bs=1M oflag=direct status=none || fail "write to $node"
fallocate --zero-range --offset 4096 --length 1M "$node" || fail "fallocate --zero-range on $node"
cmp -n $((1 << 20)) -i 4096:0 "$node" /dev/zero || fail "the zeroed range does not read back as zeroes"
cmp -n 4096 "$node" "$TEST_TMP/rand" || fail "fallocate --zero-range changed the bytes before the range"
cmp -i $(((1 << 20) + 4096)) -n $(((1 << 20) - 4096)) "$node" "$TEST_TMP/rand" ||
  fail "fallocate --zero-range changed the bytes after the range"

info "mkfs.ext4 on dev/drbd$DRBD_MINOR, mount via loop, write a tree"
mkfs.ext4 -q -F -E nodiscard "$node" || fail "mkfs.ext4 on $node"
mnt="$TEST_TMP/mnt"
mount_loop "$node" "$mnt"
cp -a /usr/include/linux "$mnt/"
dd if=/dev/urandom of="$mnt/random.bin" bs=1M count=8 status=none
(cd "$mnt" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$TEST_TMP/sums"
[ "$(wc -l <"$TEST_TMP/sums")" -gt 100 ] || fail "copied tree is too small"

info "secondary while mounted: refused, the device is open"
run_capture sec_busy drbdadm_umc secondary "$DRBD_RES"
[ "$CAPTURE_RC" -ne 0 ] || fail "secondary succeeded while $node is mounted"
expect_line sec_busy "$DRBD_MINOR: State change failed: (-12) Device is held open by someone"
expect_line sec_busy "Command 'drbdsetup-84 secondary $DRBD_MINOR' terminated with exit code 11"
expect_drbd_state role "Primary/Unknown"
run_capture down_busy drbdadm_umc down "$DRBD_RES"
[ "$CAPTURE_RC" -ne 0 ] || fail "down succeeded while $node is mounted"
expect_line down_busy "$DRBD_RES: State change failed: (-12) Device is held open by someone"
expect_line down_busy "additional info from kernel:"
expect_line down_busy "failed to demote"
expect_line down_busy "Command 'drbdsetup-84 down $DRBD_RES' terminated with exit code 11"
expect_drbd_state role "Primary/Unknown"

info "umount, mount again, read back"
umount "$mnt"
mount_loop "$node" "$mnt"
(cd "$mnt" && sha256sum --quiet --strict -c "$TEST_TMP/sums") || fail "checksums differ after remount"
umount "$mnt"
e2fsck -fn "$node" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn $node"; }

info "secondary, then down"
must sec drbdadm_umc secondary "$DRBD_RES"
expect_drbd_state role "Secondary/Unknown"
expect_drbd_state dstate "UpToDate/DUnknown"
must down drbdadm_umc down "$DRBD_RES"
umcd_alive
