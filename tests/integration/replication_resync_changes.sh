#!/usr/bin/env bash
# The nodes come apart (`drbdadm disconnect` on the Secondary) while the
# Primary goes on writing: 4 MiB at known offsets.  The Primary counts them
# out of sync (oos: 4096 KiB, exactly what was written); after `drbdadm
# connect` the resync sends only those blocks (the SyncTarget's nr grows by
# 4 MiB, not by the device), both end UpToDate, online verify finds 0 blocks
# out of sync and both nodes hold the same bytes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"

topo_init 2 umc_rs_changes
topo_start_node 0 d0=ram:size=64M
topo_start_node 1 d0=ram:size=64M
topo_write_res 'net { protocol C; verify-alg sha1; }' 'disk { c-plan-ahead 0; resync-rate 400M; }'
topo_up
topo_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
size=$(node_size_bytes 0)
[ "$size" -gt $((48 << 20)) ] || fail "node 0's device is only $size bytes"
dev_kib=$((size / 1024))

# Apart: node 1 leaves (StandAlone), node 0 waits for it (WFConnection) and
# keeps serving as Primary.
topo_must 1 disconnect disconnect "$TOPO_RES"
topo_wait 0 cstate WFConnection
expect_eq "$(node_query 1 cstate)" StandAlone "node 1 after its disconnect"
expect_eq "$(node_query 0 dstate)" UpToDate/DUnknown "node 0's disks while apart"
expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0 before the writes"

# 4 MiB at known, separate offsets (MiB 1, 10, 25 and 40), O_DIRECT.
dd if=/dev/urandom of="$TEST_TMP/pattern" bs=1M count=4 status=none
k=0
for off in 1 10 25 40; do
  dd if="$TEST_TMP/pattern" of="$(node_dev 0)" bs=1M skip=$k seek="$off" count=1 \
    oflag=direct conv=notrunc status=none || fail "write at MiB $off on the Primary while apart"
  k=$((k + 1))
done
expect_eq "$(node_proc_field 0 oos)" 4096 "KiB out of sync on node 0 after writing 4 MiB while apart"
expect_eq "$(node_query 0 role)" Primary/Unknown "node 0's role while apart"

# `drbdadm connect` zeroes the counters of the node it runs on
# (drbd_adm_connect), so node 1's nr counts from here; node 0's ns goes on.
ns_before=$(node_proc_field 0 ns)
topo_must 1 connect connect "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
topo_wait 0 cstate Connected
topo_wait 1 cstate Connected
expect_eq "$(node_query 1 role)" Secondary/Primary "node 1's role after the resync"
# What DRBD announced in node 1's kernel log: a resync of the changed bits.
wait_for 10 "'Began resync as SyncTarget' in node 1's log" \
  grep -q 'Began resync as SyncTarget (will sync 4096 KB \[1024 bits set\])' "$TEST_TMP/node1/umcd.log"
nr=$(node_proc_field 1 nr)
ns=$(( $(node_proc_field 0 ns) - ns_before ))
info "resync: node 1 received $nr KiB, node 0 sent $ns KiB (device $dev_kib KiB)"
[ "$nr" -ge 4096 ] && [ "$nr" -le $((4096 + 1024)) ] ||
  fail "node 1 received $nr KiB in the resync; 4096 KiB were written while apart"
[ "$ns" -ge 4096 ] && [ "$ns" -le $((4096 + 1024)) ] ||
  fail "node 0 sent $ns KiB in the resync; 4096 KiB were written while apart"
expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0 after the resync"
expect_eq "$(node_proc_field 1 oos)" 0 "out of sync on node 1 after the resync"

# Online verify from the Primary: every block compared, none differs.
topo_verify_clean 0
expect_eq "$(node_query 0 cstate)" Connected "node 0 after verify"

# Same bytes: node 0's DRBD device, node 1's backing data area.
expect_same_data 0 1

topo_must 0 secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
