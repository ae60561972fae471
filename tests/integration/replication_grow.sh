#!/usr/bin/env bash
# Online growth of a connected pair, Primary with ext4 mounted, as with two
# kernel nodes on LVM: both backing devices (uring files) grow with
# `tools/umc grow` (lvextend's stand-in), `drbdadm resize` on the Primary
# makes DRBD agree on the new size with its peer and resync the new area
# (both DRBD devices grow; UpToDate/UpToDate, oos 0 afterwards); then the
# mounted ext4 grows online (`losetup -c` so the loop device sees the new
# size, `resize2fs`), `df` on the Primary shows it, and files go into the new
# space.  (Online resize2fs needs CAP_SYS_RESOURCE; without it - some
# containers - the filesystem alone is grown offline on the Primary.)  After a switch of roles the other node mounts the same grown
# filesystem: the same size in `df`, every file with the same checksum,
# e2fsck clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
requires mkfs.ext4 -V
requires command -v resize2fs
requires backend_available uring
umc="$(dirname "$0")/../../tools/umc"

topo_init 2 umc_grow2
for i in 0 1; do
  truncate -s 64M "$TEST_TMP/d$i.img"
  topo_start_node "$i" "d0=uring:path=$TEST_TMP/d$i.img"
done
topo_write_res 'net { protocol C; }' 'disk { c-plan-ahead 0; resync-rate 400M; }'
topo_up
topo_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
size0=$(node_size_bytes 0)
expect_eq "$(node_size_bytes 1)" "$size0" "node 1's device size"
[ "$size0" -lt $((64 * 1048576)) ] && [ "$size0" -gt $((63 * 1048576)) ] || fail "node 0's device: $size0 bytes"

fill_files() {
  local dir=$1 tag=$2 n=$3 i
  mkdir -p "$dir/$tag"
  for ((i = 0; i < n; i++)); do head -c 1M /dev/urandom >"$dir/$tag/f$i"; done
  sync -f "$dir/$tag"
}
sums_of() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 md5sum); }
# df_kib DIR: the filesystem's size in 1 KiB blocks, as df shows it.
df_kib() { df -k --output=size "$1" | tail -n 1 | tr -d ' '; }
# has_cap_sys_resource: this shell's effective set has CAP_SYS_RESOURCE (24).
has_cap_sys_resource() { (( (0x$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status) >> 24) & 1 )); }

mnt="$TEST_TMP/mnt"
mkfs.ext4 -q -F -E nodiscard "$(node_dev 0)" || fail "mkfs.ext4 on node 0"
mkdir -p "$mnt"
mount -o loop "$(node_dev 0)" "$mnt" || fail "mount on node 0"
on_exit "umount -l '$mnt'"
loop=$(loop_of "$mnt")
fill_files "$mnt" before 20
df_before=$(df_kib "$mnt")
info "ext4 on node 0: $df_before KiB (df)"

info "grow both backing devices to 128 MiB while connected and Primary"
for i in 0 1; do
  "$umc" grow "${NODE_ROOT[i]}/dev/d0" 128M || fail "umc grow on node $i"
  expect_eq "$(stat -c %s "${NODE_ROOT[i]}/dev/d0")" $((128 * 1048576)) "node $i's dev/d0"
done
expect_eq "$(node_size_bytes 0)" "$size0" "node 0's DRBD device before drbdadm resize"

info "drbdadm resize on the Primary"
topo_must 0 resize resize "$TOPO_RES"
# node_grown I: node I's DRBD device is above 127 MiB.
node_grown() { [ "$(node_size_bytes "$1")" -gt $((127 * 1048576)) ]; }
wait_for 60 "node 0's DRBD device to grow" node_grown 0
wait_for 60 "node 1's DRBD device to grow" node_grown 1
size1=$(node_size_bytes 0)
expect_eq "$(node_size_bytes 1)" "$size1" "node 1's grown device size"
# The new area is resynced (Primary SyncSource); then both are UpToDate.
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
topo_wait 0 cstate Connected
topo_wait 1 cstate Connected
expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0 after the resize"
expect_eq "$(node_proc_field 1 oos)" 0 "out of sync on node 1 after the resize"
# The log reaches the file in flushes (every 0.5 s): wait for the lines.
wait_for 10 "'Resync done' in node 1's log" grep -q "Resync done" "$TEST_TMP/node1/umcd.log"
wait_for 10 "'Resync of new storage after online grow' in node 0's log" \
  grep -q "Resync of new storage after online grow" "$TEST_TMP/node0/umcd.log"

info "grow ext4 online through its loop device"
losetup -c "$loop" || fail "losetup -c $loop"
expect_eq "$(blockdev --getsize64 "$loop")" "$size1" "the loop device's size"
# The kernel's online resize (EXT4_IOC_RESIZE_FS) needs CAP_SYS_RESOURCE;
# some containers drop it from the bounding set ("Permission denied to resize
# filesystem").  There the filesystem is grown offline on the Primary
# (umount, e2fsck -f, resize2fs, mount again) - DRBD's side stays online.
if has_cap_sys_resource; then
  resize2fs "$loop" >"$TEST_TMP/resize2fs.out" 2>&1 || { cat "$TEST_TMP/resize2fs.out"; fail "resize2fs $loop"; }
  expect_file_contains "$TEST_TMP/resize2fs.out" "on-line resizing required" "resize2fs did not resize on-line"
else
  info "no CAP_SYS_RESOURCE here: ext4 grows offline (umount, e2fsck -f, resize2fs, mount)"
  umount "$mnt"
  e2fsck -fy "$(node_dev 0)" >"$TEST_TMP/fsck_resize" 2>&1 || { cat "$TEST_TMP/fsck_resize"; fail "e2fsck -f before resize2fs"; }
  resize2fs "$(node_dev 0)" >"$TEST_TMP/resize2fs.out" 2>&1 || { cat "$TEST_TMP/resize2fs.out"; fail "resize2fs $(node_dev 0)"; }
  mount -o loop "$(node_dev 0)" "$mnt" || fail "mount on node 0 after resize2fs"
fi
df_after=$(df_kib "$mnt")
info "ext4 on node 0 after resize2fs: $df_after KiB (df)"
[ "$df_after" -gt $((df_before + 50 * 1024)) ] || fail "df: $df_before KiB before, $df_after KiB after resize2fs"
# Fill it beyond the old size: files must land in the new area.
fill_files "$mnt" after 70
sums_of "$mnt" >"$TEST_TMP/sums0"

info "switch roles: node 1 mounts the grown filesystem"
umount "$mnt"
e2fsck -fn "$(node_dev 0)" >"$TEST_TMP/fsck0" 2>&1 || { cat "$TEST_TMP/fsck0"; fail "e2fsck on node 0"; }
topo_must 0 secondary secondary "$TOPO_RES"
topo_wait 1 role Secondary/Secondary
topo_must 1 primary1 primary "$TOPO_RES"
mount -o loop "$(node_dev 1)" "$mnt" || fail "mount on node 1"
expect_eq "$(df_kib "$mnt")" "$df_after" "df on node 1"
sums_of "$mnt" >"$TEST_TMP/sums1"
cmp -s "$TEST_TMP/sums0" "$TEST_TMP/sums1" ||
  { diff "$TEST_TMP/sums0" "$TEST_TMP/sums1" | head; fail "files differ on node 1"; }
umount "$mnt"
e2fsck -fn "$(node_dev 1)" >"$TEST_TMP/fsck1" 2>&1 || { cat "$TEST_TMP/fsck1"; fail "e2fsck on node 1"; }
expect_eq "$(device_md5 "${NODE_ROOT[0]}/dev/d0" "$size1")" "$(device_md5 "$(node_dev 1)" "$size1")" \
  "node 0's data vs node 1's device"
topo_must 1 secondary1 secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
