#!/usr/bin/env bash
# Write on node 0, switch roles, read on node 1: ext4 made and filled on
# node 0's DRBD device, unmounted, node 0 demoted and node 1 promoted (no
# --force: its data is UpToDate); node 1 mounts the same filesystem and finds
# every file with the same checksum, and both devices have the same bytes.
# Then the other way round, with files node 1 added.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
requires mkfs.ext4 -V

topo_init 2 umc_switch
topo_start_node 0 d0=ram:size=96M
topo_start_node 1 d0=ram:size=96M
topo_write_res 'net { protocol C; }' 'disk { c-plan-ahead 0; resync-rate 400M; }'
topo_up
topo_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120

# fill_files DIR TAG: 40 files of random sizes up to 1 MiB, and their sums.
fill_files() {
  local dir=$1 tag=$2 i
  mkdir -p "$dir/$tag"
  for ((i = 0; i < 40; i++)); do
    head -c $(( (RANDOM * 32) % 1048576 + 1 )) /dev/urandom >"$dir/$tag/f$i"
  done
  sync -f "$dir/$tag"
}
sums_of() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 md5sum); }

# promote I: node I takes over from the other node: unmount there, demote,
# promote here.
mnt="$TEST_TMP/mnt"
switch_to() {
  local to=$1 from=$((1 - $1))
  umount "$mnt"
  topo_must "$from" secondary secondary "$TOPO_RES"
  topo_wait "$to" role Secondary/Secondary
  topo_must "$to" primary primary "$TOPO_RES"
  expect_eq "$(node_query "$to" role)" Primary/Secondary "roles after the switch"
  mount -o loop "$(node_dev "$to")" "$mnt" || fail "mount on node $to"
}

mkfs.ext4 -q -F -E nodiscard "$(node_dev 0)" || fail "mkfs.ext4 on node 0"
mkdir -p "$mnt"
mount -o loop "$(node_dev 0)" "$mnt" || fail "mount on node 0"
on_exit "umount -l '$mnt'"
fill_files "$mnt" from0
sums_of "$mnt" >"$TEST_TMP/sums0"

switch_to 1
sums_of "$mnt" >"$TEST_TMP/sums1"
cmp -s "$TEST_TMP/sums0" "$TEST_TMP/sums1" ||
  { diff "$TEST_TMP/sums0" "$TEST_TMP/sums1" | head; fail "files differ on node 1"; }
fill_files "$mnt" from1
sums_of "$mnt" >"$TEST_TMP/sums1b"

switch_to 0
sums_of "$mnt" >"$TEST_TMP/sums0b"
cmp -s "$TEST_TMP/sums1b" "$TEST_TMP/sums0b" ||
  { diff "$TEST_TMP/sums1b" "$TEST_TMP/sums0b" | head; fail "files differ back on node 0"; }
umount "$mnt"
e2fsck -fn "$(node_dev 0)" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck on node 0"; }

# The devices: node 0's DRBD device and node 1's backing data area.
expect_same_data 0 1
expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0"
topo_must 0 secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
