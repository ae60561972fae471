#!/usr/bin/env bash
# ext4 across a umcd node and an in-kernel DRBD 8.4 node (Debian's kernel and
# drbd.ko under qemu).  After the initial sync: umcd is Primary, makes ext4
# (the host's mkfs.ext4 on its FUSE node), writes files, unmounts, becomes
# Secondary; the kernel node becomes Primary, mounts and reads identical
# files (md5 of every file), e2fsck -fn is clean.  Then the other way round:
# the kernel node makes a fresh ext4 (Debian's mke2fs in the guest), writes,
# hands over; umcd mounts and reads identical files.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/preload_lib.sh"
. "$(dirname "$0")/../integration/drbd_lib.sh"
. "$(dirname "$0")/../integration/topology_lib.sh"
. "$(dirname "$0")/kernel_peer_lib.sh"
requires mkfs.ext4 -V

# md5 list of every file under the current directory, one "md5  ./path" a
# line, sorted by path (the same command on both sides: busybox and coreutils
# print alike).
MD5_LIST='find . -type f | LC_ALL=C sort | while read -r f; do md5sum "$f"; done'

kp_init umc_kp_ext4
topo_start_node 0 d0=ram:size=64M
kp_guest_disk 64M
kp_boot
kp_write_res 'net { protocol C; }' 'disk { c-plan-ahead 0; resync-rate 40M; }'
kp_up
kp_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
kp_wait 1 dstate UpToDate/UpToDate 180
kp_wait 0 dstate UpToDate/UpToDate
gdev=$(guest_dev)

# --- umcd writes, the kernel reads ------------------------------------------
node=$(node_dev 0)
mkfs.ext4 -q -F -E nodiscard -L umc-made "$node" || fail "mkfs.ext4 on $node"
mnt="$TEST_TMP/mnt"
mount_loop "$node" "$mnt"
mkdir -p "$mnt/dir/sub"
dd if=/dev/urandom of="$mnt/big" bs=1M count=6 status=none
dd if=/dev/urandom of="$mnt/dir/mid" bs=64K count=5 status=none
dd if=/dev/urandom of="$mnt/dir/sub/odd" bs=1 count=12345 status=none
echo "written by umcd $$" >"$mnt/dir/note.txt"
: >"$mnt/empty"
(cd "$mnt" && eval "$MD5_LIST") >"$TEST_TMP/umcd.md5"
umount "$mnt"
topo_must 0 secondary secondary "$TOPO_RES"

must primary.n1 gadm primary "$TOPO_RES"
expect_eq "$(kp_query 1 role)" Primary/Secondary "the kernel's roles after the switch"
must mount.n1 guest "mkdir -p /mnt && mount -t ext4 $gdev /mnt"
guest "cd /mnt && $MD5_LIST" >"$TEST_TMP/kernel.md5" || fail "md5 of the files in the guest"
diff -u "$TEST_TMP/umcd.md5" "$TEST_TMP/kernel.md5" || fail "the kernel node reads other files than umcd wrote"
info "the kernel node read $(wc -l <"$TEST_TMP/kernel.md5") files umcd wrote, identical"
expect_eq "$(guest cat /mnt/dir/note.txt)" "written by umcd $$" "a text file"
must umount.n1 guest umount /mnt
must fsck.n1 guest e2fsck -fn "$gdev"

# --- the kernel writes, umcd reads ------------------------------------------
must mkfs.n1 guest "mkfs.ext4 -q -F -E nodiscard -L kernel-made $gdev"
must write.n1 guest "mount -t ext4 $gdev /mnt && mkdir -p /mnt/k/deep &&
  dd if=/dev/urandom of=/mnt/k/big bs=1M count=5 2>/dev/null &&
  dd if=/dev/urandom of=/mnt/k/deep/small bs=1 count=4097 2>/dev/null &&
  echo 'written by the kernel' >/mnt/k/note.txt && cp /mnt/k/big /mnt/copy && sync"
guest "cd /mnt && $MD5_LIST" >"$TEST_TMP/kernel2.md5" || fail "md5 of the kernel's files"
must umount2.n1 guest umount /mnt
must secondary.n1 gadm secondary "$TOPO_RES"

topo_must 0 primary2 primary "$TOPO_RES"
expect_eq "$(kp_query 0 role)" Primary/Secondary "umcd's roles after the switch back"
e2fsck -fn "$node" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn on umcd of the kernel's ext4"; }
expect_eq "$(blkid -o value -s LABEL "$node")" kernel-made "the label of the kernel's ext4"
mount_loop "$node" "$mnt"
(cd "$mnt" && eval "$MD5_LIST") >"$TEST_TMP/umcd2.md5"
diff -u "$TEST_TMP/kernel2.md5" "$TEST_TMP/umcd2.md5" || fail "umcd reads other files than the kernel wrote"
info "umcd read $(wc -l <"$TEST_TMP/umcd2.md5") files the kernel wrote, identical"
expect_eq "$(cat "$mnt/k/note.txt")" "written by the kernel" "a text file"
umount "$mnt"
topo_must 0 secondary2 secondary "$TOPO_RES"
kp_wait 1 dstate UpToDate/UpToDate
topo_must 0 down down "$TOPO_RES"
must down.n1 gadm down "$TOPO_RES"
