#!/usr/bin/env bash
# Online growth, as with a kernel node on LVM: while DRBD is attached and
# Primary, the administrator grows the backing device (`tools/umc grow`,
# truncate(2) of its FUSE node by path, stands in for lvextend: the uring
# backend extends its file and the kernel side sees the new size) and runs
# `drbdadm resize`.  With
# internal meta-data DRBD moves its meta-data to the new end itself.
#   The grown dev/d0 and its file report the new size at once; dev/drbdN keeps
#   its size until `drbdadm -- --assume-peer-has-space resize` (no peer to
#   agree with), then grows; data written before is intact, the new space is
#   writable; after down/up the new size stays.  A fixed-size backend (ram)
#   refuses to grow with EOPNOTSUPP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_grow
requires backend_available uring

img="$TEST_TMP/d0.img"
truncate -s 64M "$img"
start_drbd_node "$TEST_TMP/root" "d0=uring:path=$img" "r0=ram:size=8M"
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
node=$(drbd_node_path)
must pri drbdadm_umc primary --force "$DRBD_RES"
size0=$(stat -c %s "$node")
[ "$size0" -gt $((63 * 1024 * 1024)) ] && [ "$size0" -lt $((64 * 1024 * 1024)) ] ||
  fail "size of $node with internal meta-data on 64 MiB: $size0"
head -c $((4 * 1024 * 1024)) /dev/urandom >"$TEST_TMP/pattern"
dd if="$TEST_TMP/pattern" of="$node" bs=1M oflag=direct conv=notrunc,fsync status=none || fail "write to $node"

info "grow the backing device to 96 MiB while DRBD is attached and Primary"
"$(dirname "$0")/../../tools/umc" grow "$DRBD_ROOT/dev/d0" 96M || fail "umc grow dev/d0 96M"
expect_eq "$(stat -c %s "$DRBD_ROOT/dev/d0")" "$((96 * 1024 * 1024))" "size of the grown dev/d0"
expect_eq "$(stat -c %s "$img")" "$((96 * 1024 * 1024))" "size of its file"
expect_eq "$(stat -c %s "$node")" "$size0" "size of $node before drbdadm resize"

info "drbdadm resize (no peer: --assume-peer-has-space)"
must resize drbdadm_umc -- --assume-peer-has-space resize "$DRBD_RES"
wait_for 10 "$node to grow" test "$(stat -c %s "$node")" -gt $((95 * 1024 * 1024))
size1=$(stat -c %s "$node")
cmp -n $((4 * 1024 * 1024)) "$TEST_TMP/pattern" "$node" || fail "data before the resize changed"
dd if=/dev/urandom of="$node" bs=512K seek=$((size1 / 524288 - 1)) count=1 oflag=direct conv=notrunc,fsync \
  status=none || fail "write to the last 512 KiB of the grown $node"
expect_drbd_state dstate "UpToDate/DUnknown"

info "down and up: the new size stays"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
must up2 drbdadm_umc up "$DRBD_RES"
expect_drbd_state dstate "UpToDate/DUnknown"
expect_eq "$(stat -c %s "$node")" "$size1" "size of $node after down/up"
cmp -n $((4 * 1024 * 1024)) "$TEST_TMP/pattern" "$node" 2>/dev/null ||
  { must pri2 drbdadm_umc primary "$DRBD_RES"; cmp -n $((4 * 1024 * 1024)) "$TEST_TMP/pattern" "$node" ||
    fail "data changed across down/up"; must sec2 drbdadm_umc secondary "$DRBD_RES"; }

info "a fixed-size backend refuses to grow"
if "$(dirname "$0")/../../tools/umc" grow "$DRBD_ROOT/dev/r0" 16M 2>"$TEST_TMP/trunc.err"; then fail "ram device grew?"; fi
expect_file_contains "$TEST_TMP/trunc.err" "Operation not supported" "ram grow: wrong error"
expect_eq "$(stat -c %s "$DRBD_ROOT/dev/r0")" "$((8 * 1024 * 1024))" "size of dev/r0"
umcd_alive
