#!/usr/bin/env bash
# Reconnecting a umcd node and an in-kernel DRBD 8.4 node (Debian's kernel and
# drbd.ko under qemu) resyncs only what changed, both ways, and online verify
# agrees across the two implementations.
#
#  1. umcd Primary, the guest's wire cut (a pulled cable): umcd writes 5 MiB
#     alone (oos 5120 KiB), the wire comes back: the kernel resyncs exactly
#     those 5120 KiB as SyncTarget; same md5 on both.
#  2. The kernel Primary, `drbdadm disconnect` there: it writes 2 MiB alone,
#     `drbdadm connect`: umcd resyncs exactly 2048 KiB as SyncTarget.
#  3. `drbdadm verify` started on each node in turn: 0 out of sync on both.
#     Then one 4 KiB block changed behind DRBD's back on the kernel's disk:
#     verify from umcd finds exactly that block (4 KiB).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/preload_lib.sh"
. "$(dirname "$0")/../integration/drbd_lib.sh"
. "$(dirname "$0")/../integration/topology_lib.sh"
. "$(dirname "$0")/kernel_peer_lib.sh"

UMCD_LOG=

kp_init umc_kp_resync
topo_start_node 0 d0=ram:size=64M
UMCD_LOG="$TEST_TMP/node0/umcd.log"
kp_guest_disk 64M
kp_boot
kp_write_res 'net { protocol C; verify-alg sha1; ping-int 3; connect-int 2; }' \
  'disk { c-plan-ahead 0; resync-rate 40M; }'
kp_up
kp_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
kp_wait 1 dstate UpToDate/UpToDate 180
kp_wait 0 dstate UpToDate/UpToDate
dd if=/dev/urandom of="$(node_dev 0)" bs=1M count=64 oflag=direct status=none 2>/dev/null || true

# --- 1. pulled cable; umcd writes alone ---------------------------------------
kp_link_down
kp_wait 0 cstate WFConnection 60
dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=8 count=4 oflag=direct conv=notrunc status=none || fail "write 1"
dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=40 count=1 oflag=direct conv=notrunc status=none || fail "write 2"
expect_eq "$(node_proc_field 0 oos)" 5120 "KiB out of sync on umcd, disconnected"
kp_wait 1 cstate WFConnection 60
t0=$(date +%s%N)
kp_link_up
kp_wait 1 dstate UpToDate/UpToDate 120
kp_wait 0 dstate UpToDate/UpToDate
info "reconnected and resynced in $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
want="Began resync as SyncTarget (will sync 5120 KB [1280 bits set])"
wait_for 10 "'$want' in the guest's log" grep -qF "$want" "$KP_CONSOLE"
expect_eq "$(grep -c 'Began resync as SyncTarget' "$KP_CONSOLE")" 2 "resyncs of the kernel (the initial one, then this)"
size=$(node_size_bytes 0)
a=$(device_md5 "$(node_dev 0)" "$size")
b=$(guest_md5 /dev/vda "$size")
expect_eq "$b" "$a" "the kernel's data after the resync"
info "1: the kernel resynced 5120 KiB from umcd; md5 $a on both"

# --- 2. the kernel Primary, administrative disconnect ------------------------
topo_must 0 secondary secondary "$TOPO_RES"
must primary.n1 gadm primary "$TOPO_RES"
must disconnect.n1 gadm disconnect "$TOPO_RES"
kp_wait 1 cstate StandAlone
kp_wait 0 cstate WFConnection
must write.n1 guest "dd if=/dev/urandom of=$(guest_dev) bs=1M seek=30 count=2 oflag=direct 2>&1"
expect_eq "$(guest_proc_field oos)" 2048 "KiB out of sync on the kernel, disconnected"
must connect.n1 gadm connect "$TOPO_RES"
kp_wait 0 dstate UpToDate/UpToDate 120
kp_wait 1 dstate UpToDate/UpToDate
want="Began resync as SyncTarget (will sync 2048 KB [512 bits set])"
wait_for 10 "'$want' in umcd's log" grep -qF "$want" "$UMCD_LOG"
a=$(guest_md5 "$(guest_dev)" "$size")
b=$(device_md5 "${NODE_ROOT[0]}/dev/d0" "$size")
expect_eq "$b" "$a" "umcd's data after the resync"
info "2: umcd resynced 2048 KiB from the kernel; md5 $a on both"

# --- 3. online verify ----------------------------------------------------------
kp_verify 1
expect_eq "$(kp_both_oos)" "umcd 0 kernel 0" "out of sync after verify started by the kernel"
kp_verify 0
expect_eq "$(kp_both_oos)" "umcd 0 kernel 0" "out of sync after verify started by umcd"
expect_eq "$(grep -c 'Online verify done' "$KP_CONSOLE")" 2 "verify runs in the kernel's log"
expect_file_contains "$UMCD_LOG" 'Online verify done' "no 'Online verify done' in umcd's log"
info "3: online verify from either side: 0 out of sync"
# A block changed behind DRBD's back on the kernel's disk (the guest's disk
# file, written on the host: DRBD reads it through virtio-blk).
dd if=/dev/urandom of="$KP_DISK" bs=4096 seek=$((50 * 256)) count=1 conv=notrunc status=none || fail "write behind DRBD"
kp_verify 0
expect_eq "$(node_proc_field 0 oos)" 4 "KiB umcd's verify finds out of sync"
wait_for 10 "umcd's verify report" grep -q 'Online verify found 1 4k block out of sync' "$UMCD_LOG"
info "3: umcd's verify found the one block changed behind DRBD on the kernel's disk (kernel: oos $(guest_proc_field oos))"

must secondary.n1 gadm secondary "$TOPO_RES"
topo_must 0 down down "$TOPO_RES"
must down.n1 gadm down "$TOPO_RES"
