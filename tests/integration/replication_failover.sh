#!/usr/bin/env bash
# kill -9 of the Primary's umcd while an application writes fsync'd records
# on ext4 (protocol C).  Node 1 is promoted, replays the journal and has
# every acknowledged record.  The old Primary's umcd restarts, comes up,
# rejoins as Secondary and resyncs; online verify then finds 0 blocks out of
# sync, and both nodes hold the same bytes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
requires mkfs.ext4 -V
requires backend_available uring

topo_init 2 umc_failover
for i in 0 1; do
  truncate -s 128M "$TEST_TMP/d$i.img"
  topo_start_node "$i" "d0=uring:path=$TEST_TMP/d$i.img"
done
topo_write_res 'net { protocol C; verify-alg sha1; }' 'disk { c-plan-ahead 0; resync-rate 400M; }'
topo_up
topo_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120

mnt="$TEST_TMP/mnt"
mkfs.ext4 -q -F -E nodiscard "$(node_dev 0)" || fail "mkfs.ext4 on node 0"
mount_loop "$(node_dev 0)" "$mnt"
start_ack_writer "$mnt/records"

info "killing node 0's umcd (Primary) during writes"
topo_kill_node 0
ack_writer_died
umount -l "$mnt"

# The survivor sees its peer gone and takes over.
topo_wait 1 cstate WFConnection
expect_eq "$(node_query 1 dstate)" "UpToDate/DUnknown" "the survivor's disk"
topo_must 1 primary primary "$TOPO_RES"
mount_loop "$(node_dev 1)" "$mnt"
umount "$mnt"
e2fsck -fn "$(node_dev 1)" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck on node 1 after the failover"; }
mount_loop "$(node_dev 1)" "$mnt" ro
check_ack_records "$mnt/records"
info "node 1 has all $(wc -l <"$ACK_LOG") acknowledged records"
umount "$mnt"

# The old Primary comes back as a Secondary and resyncs from node 1.
topo_restart_node 0
topo_must 0 up up "$TOPO_RES"
topo_wait 0 cstate Connected 60
topo_wait 0 dstate UpToDate/UpToDate 120
expect_eq "$(node_query 0 role)" Secondary/Primary "node 0's role after rejoining"
# It received the blocks its activity log covered, not the whole device.
nr=$(node_proc_field 0 nr)
info "node 0 resynced $nr KiB"
[ "$nr" -gt 0 ] && [ "$nr" -lt $((128 * 1024 / 2)) ] || fail "node 0 received $nr KiB in its resync"

# Online verify from the Primary: no block differs.
topo_verify_clean 1
expect_same_data 1 0

topo_must 1 secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
