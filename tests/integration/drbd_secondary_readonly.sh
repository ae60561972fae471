#!/usr/bin/env bash
# A Secondary refuses I/O the way DRBD 8.4's drbd_open() does:
#   open for writing -> EROFS; open read-only -> EMEDIUMTYPE (the module
#   parameter allow_oos is off); so dd cannot write, and neither
#   `mount -o loop` (rw) nor `mount -o loop,ro` can mount the filesystem that
#   is on it: mount says "failed to setup loop device for ..." (exit 32), and
#   only losetup names the errno ("Wrong medium type": losetup falls back to
#   a read-only open).  Primary again: it mounts and the data is there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_ro
requires mkfs.ext4 -V

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
node=$(drbd_node_path)

info "Primary: make a filesystem with one file, then Secondary"
must pri drbdadm_umc primary --force "$DRBD_RES"
mkfs.ext4 -q -F -E nodiscard "$node" || fail "mkfs.ext4 on $node"
mnt="$TEST_TMP/mnt"
mount_loop "$node" "$mnt"
echo "written while Primary" >"$mnt/hello"
umount "$mnt"
must sec drbdadm_umc secondary "$DRBD_RES"
expect_drbd_state role "Secondary/Unknown"

info "open(2) of the Secondary: EROFS for writing, EMEDIUMTYPE for reading"
expect_eq "$(errno_of_open "$node" w)" "EROFS" "open(O_WRONLY) of a Secondary"
expect_eq "$(errno_of_open "$node" rw)" "EROFS" "open(O_RDWR) of a Secondary"
expect_eq "$(errno_of_open "$node" r)" "EMEDIUMTYPE" "open(O_RDONLY) of a Secondary (allow_oos=N)"

info "dd onto the Secondary fails with the kernel's error"
run_capture dd dd if=/dev/zero of="$node" bs=4096 count=1 oflag=direct conv=notrunc
[ "$CAPTURE_RC" -ne 0 ] || fail "dd wrote to a Secondary"
expect_text dd "Read-only file system"

info "mount (rw and ro) is refused, and leaves no loop device behind"
for opts in loop loop,ro; do
  mkdir -p "$mnt"
  if mount -o "$opts" "$node" "$mnt" >"$TEST_TMP/mount.err" 2>&1; then
    umount "$mnt"
    fail "mount -o $opts of a Secondary succeeded"
  fi
  info "mount -o $opts: $(tr '\n' ' ' <"$TEST_TMP/mount.err")"
  # mount names no errno (docs/drbd-operator-guide.md, Troubleshooting)
  grep -qF "failed to setup loop device for $node" "$TEST_TMP/mount.err" ||
    fail "mount -o $opts: not the documented message"
  ! is_mounted "$mnt" || fail "$mnt is mounted"
  [ -z "$(losetup -j "$node")" ] || fail "a loop device is left on $node: $(losetup -j "$node")"
done
expect_drbd_state role "Secondary/Unknown"

info "losetup shows the errno that mount does not"
run_capture losetup losetup -f --show "$node"
[ "$CAPTURE_RC" -ne 0 ] || { losetup -d "$(cat "$TEST_TMP/losetup.out")"; fail "losetup of a Secondary succeeded"; }
expect_text losetup "failed to set up loop device: Wrong medium type"

info "Primary again: the data is there"
must pri2 drbdadm_umc primary "$DRBD_RES"
mount_loop "$node" "$mnt" ro
expect_eq "$(cat "$mnt/hello")" "written while Primary" "file written before the demotion"
umount "$mnt"
must sec2 drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
umcd_alive
