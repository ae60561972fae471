#!/usr/bin/env bash
# A umcd node and an in-kernel DRBD 8.4 node (Debian's kernel and drbd.ko
# under qemu): the initial full sync from SOURCE, both backing devices filled
# with different random data beforehand, 8 MiB written on the Primary while
# the sync runs; afterwards UpToDate/UpToDate on both, and the Primary's
# device, read where it lives, has the md5 of the Secondary's data read where
# that lives (and of the guest's disk file, read on the host).
#
#   kernel_peer_initial_sync.sh SOURCE [PROTOCOL]
#     SOURCE 0: umcd SyncSource, 1: kernel SyncSource; PROTOCOL A|B|C (default C)
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/preload_lib.sh"
. "$(dirname "$0")/../integration/drbd_lib.sh"
. "$(dirname "$0")/../integration/topology_lib.sh"
. "$(dirname "$0")/kernel_peer_lib.sh"

src=${1:-0} proto=${2:-C}
dst=$((1 - src))
kp_init "umc_kp_sync$src$proto"
topo_start_node 0 d0=ram:size=64M
dd if=/dev/urandom of="${NODE_ROOT[0]}/dev/d0" bs=1M count=64 oflag=direct status=none || fail "filling umcd's d0"
kp_guest_disk 64M random
kp_boot
kp_write_res "net { protocol $proto; }" 'disk { c-plan-ahead 0; resync-rate 40M; }'
kp_up
kp_wait 0 cstate Connected
kp_wait 1 cstate Connected
expect_eq "$(kp_query 0 dstate)" Inconsistent/Inconsistent "umcd: fresh meta-data on both"
expect_eq "$(kp_query 1 dstate)" Inconsistent/Inconsistent "kernel: fresh meta-data on both"
md5_dst_before=$(md5sum <"$KP_DISK" | cut -d' ' -f1)

t0=$(date +%s%N)
if [ "$src" = 0 ]; then
  topo_must 0 primary primary --force "$TOPO_RES"
  dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=16 count=8 oflag=direct conv=notrunc status=none ||
    fail "write on the Primary during the sync"
else
  must primary.n1 gadm primary --force "$TOPO_RES"
  must write.n1 guest "dd if=/dev/urandom of=$(guest_dev) bs=1M seek=16 count=8 oflag=direct 2>&1"
fi
kp_wait "$dst" dstate UpToDate/UpToDate 180
kp_wait "$src" dstate UpToDate/UpToDate
t1=$(date +%s%N)
info "initial sync from node $src done in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
expect_eq "$(kp_query 0 cstate)" Connected "umcd after the sync"
expect_eq "$(kp_query 1 cstate)" Connected "kernel after the sync"
role=$([ "$src" = 0 ] && echo Primary/Secondary || echo Secondary/Primary)
expect_eq "$(kp_query 0 role)" "$role" "umcd's roles"
# The kernel said what it did (its log is the console).
if [ "$src" = 0 ]; then want="Began resync as SyncTarget"; else want="Began resync as SyncSource"; fi
wait_for 10 "'$want' in the guest's log" grep -q "$want" "$KP_CONSOLE"
grep -m1 "$want" "$KP_CONSOLE" | sed 's/^/# guest: /'

# Sizes agree; then the data (the md5s cover the whole MiBs of the device).
size=$(node_size_bytes 0)
gsize=$(( $(guest cat "/sys/block/drbd${NODE_MINOR[1]}/size") * 512 ))
expect_eq "$gsize" "$size" "the kernel's device size vs umcd's"
[ "$size" -gt $((60 * 1048576)) ] || fail "device of $size bytes"
if [ "$src" = 0 ]; then
  a=$(device_md5 "$(node_dev 0)" "$size")           # umcd Primary, its DRBD device
  b=$(guest_md5 /dev/vda "$size")                    # kernel Secondary, its backing disk
else
  a=$(guest_md5 "$(guest_dev)" "$size")              # kernel Primary, its DRBD device
  b=$(device_md5 "${NODE_ROOT[0]}/dev/d0" "$size")  # umcd Secondary, its backing device
fi
c=$(device_md5 "$KP_DISK" "$size")                   # the guest's disk file, on the host
info "md5 Primary $a, Secondary $b, guest disk file $c"
[ ${#a} = 32 ] || fail "no md5 from the Primary: '$a'"
expect_eq "$b" "$a" "the Secondary's data vs the Primary's"
expect_eq "$c" "$a" "the guest's disk file vs the Primary's data"
[ "$src" = 1 ] || [ "$(md5sum <"$KP_DISK" | cut -d' ' -f1)" != "$md5_dst_before" ] || fail "the guest's disk did not change"

# What one sent the other received (KiB).
if [ "$src" = 0 ]; then ns=$(node_proc_field 0 ns) nr=$(guest_proc_field nr)
else ns=$(guest_proc_field ns) nr=$(node_proc_field 0 nr); fi
info "ns=$ns nr=$nr"
expect_eq "$nr" "$ns" "KiB received vs sent"

if [ "$src" = 0 ]; then topo_must 0 secondary secondary "$TOPO_RES"
else must secondary.n1 gadm secondary "$TOPO_RES"; fi
topo_must 0 down down "$TOPO_RES"
must down.n1 gadm down "$TOPO_RES"
