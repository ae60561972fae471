#!/usr/bin/env bash
# drbdadm resize after growing the backing device.  umcd devices have a fixed
# size while served, so the backing file grows offline: down, stop umcd,
# truncate the file larger, start umcd, up.  External meta-data keeps the
# meta-data where it was (internal meta-data would have to be moved).
#   After up DRBD keeps the last agreed size (no peer to agree with); a plain
#   `drbdadm resize` cannot grow without the peer;
#   `drbdadm -- --assume-peer-has-space resize` grows dev/drbdN to the whole
#   backing device; the data written before is intact; the meta-data records
#   the new size (la-size-sect in drbdmeta dump-md after down).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_resize
requires backend_available uring

img="$TEST_TMP/d0.img" mdimg="$TEST_TMP/md0.img"
truncate -s 64M "$img"
truncate -s 4M "$mdimg"
start_drbd_node "$TEST_TMP/root" "d0=uring:path=$img" "md0=uring:path=$mdimg"
write_drbd_res "$DRBD_ROOT/dev/d0" "$DRBD_ROOT/dev/md0"
drbd_create_md
drbd_up
node=$(drbd_node_path)

info "external meta-data: dev/drbd$DRBD_MINOR is the whole 64 MiB backing device"
expect_eq "$(stat -c %s "$node")" "$((64 * 1024 * 1024))" "size of $node"
must pri drbdadm_umc primary --force "$DRBD_RES"
head -c $((4 * 1024 * 1024)) /dev/urandom >"$TEST_TMP/pattern"
dd if="$TEST_TMP/pattern" of="$node" bs=1M oflag=direct conv=notrunc,fsync status=none || fail "write to $node"

info "down, stop umcd, grow the backing file to 96 MiB, start umcd, up"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
stop_umcd "$UMCD_PID" "$DRBD_ROOT"
truncate -s 96M "$img"
restart_drbd_node
expect_eq "$(stat -c %s "$DRBD_ROOT/dev/d0")" "$((96 * 1024 * 1024))" "size of the grown dev/d0"
drbd_up
expect_drbd_state dstate "UpToDate/DUnknown"
expect_eq "$(stat -c %s "$node")" "$((64 * 1024 * 1024))" "size of $node after up (the last agreed size)"
must pri2 drbdadm_umc primary "$DRBD_RES"

info "plain resize without a peer keeps the size"
must resize0 drbdadm_umc resize "$DRBD_RES"
expect_eq "$(stat -c %s "$node")" "$((64 * 1024 * 1024))" "size of $node after a resize without peer"

info "resize --assume-peer-has-space grows to the backing device"
must resize1 drbdadm_umc -- --assume-peer-has-space resize "$DRBD_RES"
wait_for 10 "$node to grow to 96 MiB" test "$(stat -c %s "$node")" = "$((96 * 1024 * 1024))"
cmp -n $((4 * 1024 * 1024)) "$TEST_TMP/pattern" "$node" || fail "data before the resize changed"
info "the new space is writable up to the end"
dd if=/dev/urandom of="$node" bs=1M seek=95 count=1 oflag=direct conv=notrunc,fsync status=none ||
  fail "write to the last MiB of the grown $node"
expect_drbd_state dstate "UpToDate/DUnknown"

info "the meta-data records the new size"
must sec2 drbdadm_umc secondary "$DRBD_RES"
must down2 drbdadm_umc down "$DRBD_RES"
# DRBD 8.4 writes its meta-data with the "84 unclean" magic while attached
# and leaves it so at down; drbdmeta refuses to dump it ("Found meta data is
# \"unclean\", please apply-al first") until apply-al has run, as with the
# kernel module.
run_capture dump0 drbdadm_umc dump-md "$DRBD_RES"
expect_text dump0 'Found meta data is "unclean", please apply-al first'
must applyal drbdadm_umc apply-al "$DRBD_RES"
must dump drbdadm_umc dump-md "$DRBD_RES"
expect_text dump "la-size-sect $((96 * 1024 * 2));"
umcd_alive
