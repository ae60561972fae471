#!/usr/bin/env bash
# Data survives `drbdadm down` + `drbdadm up`, and a restart of umcd (DRBD
# starts empty, like after a reboot), on a file-backed (uring) device:
#   the meta-data remembers UpToDate, so `up` comes back UpToDate/DUnknown and
#   `drbdadm primary` needs no --force; the filesystem and its files are
#   intact (checksums, e2fsck -fn).  Stopping umcd (SIGTERM) while the
#   resource is up brings it down first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_persist
requires mkfs.ext4 -V
requires backend_available uring

img="$TEST_TMP/d0.img"
truncate -s 128M "$img"
start_drbd_node "$TEST_TMP/root" "d0=uring:path=$img"
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
node=$(drbd_node_path)
mnt="$TEST_TMP/mnt"

info "Primary, ext4, a tree of files with checksums"
must pri drbdadm_umc primary --force "$DRBD_RES"
mkfs.ext4 -q -F -E nodiscard "$node" || fail "mkfs.ext4 on $node"
mount_loop "$node" "$mnt"
cp -a /usr/include/linux "$mnt/"
(cd "$mnt" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$TEST_TMP/sums"
umount "$mnt"

# check_data: Primary, mount read-only, compare checksums, e2fsck, Secondary.
check_data() {
  must pri_again drbdadm_umc primary "$DRBD_RES"
  expect_drbd_state role "Primary/Unknown"
  e2fsck -fn "$node" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn $node ($1)"; }
  mount_loop "$node" "$mnt" ro
  (cd "$mnt" && sha256sum --quiet --strict -c "$TEST_TMP/sums") || fail "checksums differ ($1)"
  umount "$mnt"
  must sec_again drbdadm_umc secondary "$DRBD_RES"
}

info "down and up again in the same umcd"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
wait_for 10 "$node to disappear" test ! -e "$node"
must up2 drbdadm_umc up "$DRBD_RES"
expect_drbd_state role "Secondary/Unknown"
expect_drbd_state dstate "UpToDate/DUnknown"
check_data "after down/up"

info "down, restart umcd, up: the meta-data and the data are on the file"
must down2 drbdadm_umc down "$DRBD_RES"
stop_umcd "$UMCD_PID" "$DRBD_ROOT"
restart_drbd_node
[ ! -e "$node" ] || fail "$node exists in a fresh umcd"
drbd_up
expect_drbd_state role "Secondary/Unknown"
expect_drbd_state dstate "UpToDate/DUnknown"
check_data "after a umcd restart"

info "SIGTERM to umcd with the resource up: umcd brings it down and exits"
stop_umcd "$UMCD_PID" "$DRBD_ROOT"
restart_drbd_node
drbd_up
expect_drbd_state dstate "UpToDate/DUnknown"
check_data "after stopping umcd with the resource up"
must down3 drbdadm_umc down "$DRBD_RES"
umcd_alive
