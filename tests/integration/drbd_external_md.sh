#!/usr/bin/env bash
# External meta-data on a second FUSE node (meta-disk $ROOT/dev/md0;, which
# drbdadm-84 turns into "flex-external" for drbdmeta and "flexible" for
# attach):
#   create-md on md0, up; drbdsetup show names both nodes; dev/drbdN is the
#   whole data device; data written through DRBD lands 1:1 on dev/d0
#   (first and last MiB); after down, drbdmeta dump-md of md0 shows the
#   size; up again comes back UpToDate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_extmd

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M md0=ram:size=8M
disk="$DRBD_ROOT/dev/d0" md="$DRBD_ROOT/dev/md0"
write_drbd_res "$disk" "$md"
drbd_create_md
drbd_up
node=$(drbd_node_path)

info "drbdsetup show: disk and external meta-disk"
must show drbdsetup_umc show "$DRBD_RES"
tr -s '\t ' '  ' <"$TEST_TMP/show.out" | sed 's/^ *//' >"$TEST_TMP/show_norm.all"
expect_line show_norm "disk \"$disk\";"
expect_line show_norm "meta-disk \"$md\";"
expect_drbd_state dstate "Inconsistent/DUnknown"

info "dev/drbd$DRBD_MINOR is the whole data device"
expect_eq "$(stat -c %s "$node")" "$((64 * 1024 * 1024))" "size of $node with external meta-data"

info "write the first and the last MiB through DRBD; read back"
must pri drbdadm_umc primary --force "$DRBD_RES"
head -c $((1024 * 1024)) /dev/urandom >"$TEST_TMP/first"
head -c $((1024 * 1024)) /dev/urandom >"$TEST_TMP/last"
dd if="$TEST_TMP/first" of="$node" bs=1M oflag=direct conv=notrunc,fsync status=none || fail "write first MiB"
dd if="$TEST_TMP/last" of="$node" bs=1M seek=63 oflag=direct conv=notrunc,fsync status=none || fail "write last MiB"
dd if="$node" of="$TEST_TMP/first.back" bs=1M count=1 iflag=direct status=none
dd if="$node" of="$TEST_TMP/last.back" bs=1M skip=63 count=1 iflag=direct status=none
cmp "$TEST_TMP/first" "$TEST_TMP/first.back" || fail "first MiB read back differs"
cmp "$TEST_TMP/last" "$TEST_TMP/last.back" || fail "last MiB read back differs"

info "down; the data device holds the data 1:1, md0 the meta-data"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
cmp -n $((1024 * 1024)) "$TEST_TMP/first" "$disk" || fail "dev/d0 does not start with the first MiB"
dd if="$disk" of="$TEST_TMP/last.d0" bs=1M skip=63 count=1 status=none
cmp "$TEST_TMP/last" "$TEST_TMP/last.d0" || fail "the last MiB of dev/d0 is not the last MiB written"
# DRBD 8.4 writes its meta-data with the "84 unclean" magic while attached
# and leaves it so at down; drbdmeta refuses to dump it ("Found meta data is
# \"unclean\", please apply-al first") until apply-al has run, as with the
# kernel module.
run_capture dump0 drbdadm_umc dump-md "$DRBD_RES"
expect_text dump0 'Found meta data is "unclean", please apply-al first'
must applyal drbdadm_umc apply-al "$DRBD_RES"
must dump drbdadm_umc dump-md "$DRBD_RES"
expect_line dump 'version "v08";'
expect_line dump "la-size-sect $((64 * 1024 * 2));"

info "up again: UpToDate, the data is there"
must up2 drbdadm_umc up "$DRBD_RES"
expect_drbd_state dstate "UpToDate/DUnknown"
must pri2 drbdadm_umc primary "$DRBD_RES"
cmp -n $((1024 * 1024)) "$TEST_TMP/first" "$node" || fail "first MiB differs after up"
must sec2 drbdadm_umc secondary "$DRBD_RES"
must down2 drbdadm_umc down "$DRBD_RES"
umcd_alive
