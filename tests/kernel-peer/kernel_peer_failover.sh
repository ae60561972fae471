#!/usr/bin/env bash
# kill -9 of a Primary umcd whose in-kernel DRBD 8.4 peer (Debian's kernel
# and drbd.ko under qemu) takes over.
#
#  1. umcd Primary (protocol C) with ext4 on its device, an application
#     appending fsync'd 4 KiB records (tests/integration/ack_records.py: only
#     records the fsync acknowledged are logged); umcd is killed (SIGKILL)
#     while it writes.
#  2. The kernel node notices (its peer gone, WFConnection, UpToDate/DUnknown)
#     and is promoted with a plain `drbdadm primary`; it mounts the ext4
#     (journal replay), e2fsck -fn is clean, and every acknowledged record is
#     in the file: the file as the guest reads it through /dev/drbdN has the
#     md5 of the one dumped from the kernel's disk, which ack_records.py
#     checks record by record.
#  3. umcd starts again; `drbdadm up` brings its resource back as Secondary;
#     it connects and resyncs from the kernel (SyncSource in the kernel's log,
#     SyncTarget in umcd's, less than the device), then both are UpToDate
#     with the same data, and `drbdadm verify` finds 0 blocks out of sync.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/preload_lib.sh"
. "$(dirname "$0")/../integration/drbd_lib.sh"
. "$(dirname "$0")/../integration/topology_lib.sh"
. "$(dirname "$0")/kernel_peer_lib.sh"
requires mkfs.ext4 -V
requires debugfs -V
backend_available uring || { echo "SKIP: $TEST_NAME needs umcd's uring backend (its disk must outlive it)"; exit 77; }

kp_init umc_kp_failover
UMCD_LOG="$TEST_TMP/node0/umcd.log"
# umcd's disk is a file (uring): it must survive the kill, as a disk does.
truncate -s 64M "$TEST_TMP/d0.img"
topo_start_node 0 "d0=uring:path=$TEST_TMP/d0.img"
kp_guest_disk 64M
kp_boot
kp_write_res 'net { protocol C; verify-alg sha1; }' 'disk { c-plan-ahead 0; resync-rate 40M; }'
kp_up
kp_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
kp_wait 1 dstate UpToDate/UpToDate 180
kp_wait 0 dstate UpToDate/UpToDate
gdev=$(guest_dev)

# --- 1. umcd Primary writes records, and is killed --------------------------
mnt="$TEST_TMP/mnt"
mkfs.ext4 -q -F -E nodiscard "$(node_dev 0)" || fail "mkfs.ext4 on umcd's device"
mount_loop "$(node_dev 0)" "$mnt"
start_ack_writer "$mnt/records"
info "killing umcd (Primary) during fsync'd writes"
topo_kill_node 0
ack_writer_died
umount -l "$mnt"
acked=$(wc -l <"$ACK_LOG")

# --- 2. the kernel node takes over ------------------------------------------
kp_wait 1 cstate WFConnection 60
expect_eq "$(kp_query 1 dstate)" UpToDate/DUnknown "the kernel's disks with its peer gone"
expect_eq "$(kp_query 1 role)" Secondary/Unknown "the kernel's roles with its peer gone"
wait_for 10 "the kernel to log its peer's loss" grep -q 'peer( Primary -> Unknown )' "$KP_CONSOLE"
info "kernel: $(grep -m1 'peer( Primary -> Unknown )' "$KP_CONSOLE" | sed 's/^\[[^]]*\] //')"
must primary.n1 gadm primary "$TOPO_RES"
expect_eq "$(kp_query 1 role)" Primary/Unknown "the kernel's roles after drbdadm primary"
must mount.n1 guest "mkdir -p /mnt && mount -t ext4 $gdev /mnt && umount /mnt"
must fsck.n1 guest e2fsck -fn "$gdev"
must mount2.n1 guest "mount -t ext4 -o ro $gdev /mnt"
# The records file through the kernel's DRBD device ...
gsum=$(guest "wc -c </mnt/records; md5sum </mnt/records | cut -d' ' -f1") || fail "reading the records in the guest"
# ... and, dumped from the kernel's disk (its /dev/vda, the file on this
# host; the guest has the ext4 mounted read-only, nothing is in flight), the
# same file, checked record by record.
debugfs -R "dump /records $TEST_TMP/records" "$KP_DISK" >"$TEST_TMP/debugfs.all" 2>&1 ||
  { cat "$TEST_TMP/debugfs.all" >&2; fail "debugfs could not dump /records from the kernel's disk"; }
expect_eq "$gsum" "$(stat -c %s "$TEST_TMP/records")
$(md5sum <"$TEST_TMP/records" | cut -d' ' -f1)" "the records file in the guest vs on the kernel's disk"
check_ack_records "$TEST_TMP/records"
info "the kernel node has all $acked acknowledged records ($(($(stat -c %s "$TEST_TMP/records") / 4096)) in the file)"
must umount.n1 guest umount /mnt

# --- 3. umcd comes back as Secondary and resyncs from the kernel ------------
topo_restart_node 0
topo_must 0 up up "$TOPO_RES"
kp_wait 0 cstate Connected 60
expect_eq "$(kp_query 0 role)" Secondary/Primary "umcd's roles after rejoining"
kp_wait 0 dstate UpToDate/UpToDate 120
kp_wait 1 dstate UpToDate/UpToDate
want="Began resync as SyncSource"
wait_for 10 "'$want' in the guest's log" grep -q "$want" "$KP_CONSOLE"
expect_eq "$(grep -c "$want" "$KP_CONSOLE")" 1 "the kernel's resyncs as SyncSource"
info "kernel: $(grep -m1 "$want" "$KP_CONSOLE" | sed 's/^\[[^]]*\] //')"
wait_for 10 "'Began resync as SyncTarget' in umcd's log" grep -q 'Began resync as SyncTarget' "$UMCD_LOG"
nr=$(node_proc_field 0 nr)
size=$(node_size_bytes 0)
info "umcd resynced $nr KiB of $((size / 1024))"
[ "$nr" -gt 0 ] && [ "$nr" -lt $((size / 1024)) ] || fail "umcd received $nr KiB in its resync"
a=$(guest_md5 "$gdev" "$size")
b=$(device_md5 "${NODE_ROOT[0]}/dev/d0" "$size")
expect_eq "$b" "$a" "umcd's data after the resync vs the kernel Primary's"
expect_eq "$(device_md5 "$KP_DISK" "$size")" "$a" "the kernel's disk file vs its DRBD device"
from=$(wc -l <"$KP_CONSOLE")
kp_verify 1
expect_eq "$(kp_both_oos)" "umcd 0 kernel 0" "out of sync after verify"
wait_for 10 "'Online verify done' in the guest's log" sh -c "tail -n +$from '$KP_CONSOLE' | grep -q 'Online verify done'"
! tail -n +"$from" "$KP_CONSOLE" | grep 'Online verify found' || fail "the kernel's verify found differences"
info "verify from the kernel: 0 out of sync; md5 $a on both"

must secondary.n1 gadm secondary "$TOPO_RES"
topo_must 0 down down "$TOPO_RES"
must down.n1 gadm down "$TOPO_RES"
