#!/usr/bin/env bash
# Silent corruption on the Secondary, found and repaired the way the DRBD
# user's guide says: one 4 KiB block of node 1's backing store is overwritten
# behind DRBD's back; `drbdadm verify` on the Primary finds exactly that
# block (oos: 4 on both nodes, out-of-sync:4 in `drbdadm status`, and
# "Online verify found 1 4k block out of sync!" and "Out of sync: start=S,
# size=8 (sectors)" in its kernel log); a
# disconnect + connect resyncs that block (4 KiB, not the device); a second
# verify finds nothing, and both nodes hold the same bytes again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
requires backend_available uring

topo_init 2 umc_verify_repair
# Node 1's data lives in a file we can reach: while DRBD holds dev/d0 the
# FUSE node refuses writers (EBUSY), as a kernel refuses to open a block
# device that DRBD claimed exclusively.  Corrupting the file behind the
# uring backend is what a failing disk (or a stray writer on the host)
# does: the bytes change under DRBD without DRBD writing them.
truncate -s 64M "$TEST_TMP/d1.img"
topo_start_node 0 d0=ram:size=64M
topo_start_node 1 "d0=uring:path=$TEST_TMP/d1.img"
topo_write_res 'net { protocol C; verify-alg sha1; }' 'disk { c-plan-ahead 0; resync-rate 400M; }'
topo_up
topo_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
size=$(node_size_bytes 0)
[ "$size" -gt $((32 << 20)) ] || fail "node 0's device is only $size bytes"
d1="${NODE_ROOT[1]}/dev/d0"
expect_eq "$(errno_of_open "$d1" w)" EBUSY "opening node 1's dev/d0 for writing while DRBD holds it"

# Data worth comparing: 8 MiB of random bytes at MiB 16, replicated.
dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=16 count=8 oflag=direct conv=notrunc status=none ||
  fail "write on the Primary"
expect_eq "$(device_md5 "$d1" "$size")" "$(device_md5 "$(node_dev 0)" "$size")" "node 1's data before the corruption"

# One 4 KiB block at 20 MiB + 12 KiB (inside DRBD's data area: internal
# meta-data is at the end) gets other bytes, O_DIRECT into the file.
off_kib=$((20 * 1024 + 12))
sector=$((off_kib * 2))
dd if=/dev/urandom of="$TEST_TMP/d1.img" bs=4K seek=$((off_kib / 4)) count=1 oflag=direct conv=notrunc status=none ||
  fail "corrupting node 1's backing file"
[ "$(device_md5 "$d1" "$size")" != "$(device_md5 "$(node_dev 0)" "$size")" ] ||
  fail "the corruption does not show through node 1's dev/d0"
expect_eq "$(node_query 1 dstate)" UpToDate/UpToDate "node 1 knows nothing yet"
expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0 before verify"

# run_verify: online verify from node 0 (Primary), until both nodes are
# Connected again and node 0 logged its N-th "Online verify done".
verifies=0
run_verify() {
  verifies=$((verifies + 1))
  topo_must 0 "verify$verifies" verify "$TOPO_RES"
  wait_for 120 "online verify $verifies to finish on node 0" sh -c "! grep -q 'cs:Verify' '${NODE_ROOT[0]}/proc/drbd'"
  wait_for 120 "online verify $verifies to finish on node 1" sh -c "! grep -q 'cs:Verify' '${NODE_ROOT[1]}/proc/drbd'"
  wait_for 10 "'Online verify done' $verifies times in node 0's log" \
    sh -c "[ \$(grep -c 'Online verify done' '$TEST_TMP/node0/umcd.log') -ge $verifies ]"
  topo_wait 0 cstate Connected
}

run_verify
log0="$TEST_TMP/node0/umcd.log"
grep -q 'Online verify found 1 4k block out of sync!' "$log0" ||
  { grep -i 'verify\|out of sync' "$log0" >&2; fail "verify did not report the corrupted block"; }
grep -q "Out of sync: start=$sector, size=8 (sectors)" "$log0" ||
  { grep 'Out of sync' "$log0" >&2; fail "verify did not name sector $sector"; }
expect_eq "$(node_proc_field 0 oos)" 4 "KiB out of sync on node 0 after verify"
expect_eq "$(node_proc_field 1 oos)" 4 "KiB out of sync on node 1 after verify"
run_capture status0 adm 0 -- --statistics status "$TOPO_RES"
grep -Eq 'out-of-sync:4( |$)' "$TEST_TMP/status0.all" ||
  { cat "$TEST_TMP/status0.all" >&2; fail "drbdadm status --statistics does not show out-of-sync:4"; }
# Verify only reports: node 1 still has the wrong bytes.
[ "$(device_md5 "$d1" "$size")" != "$(device_md5 "$(node_dev 0)" "$size")" ] ||
  fail "verify changed data"

# The repair: disconnect and connect; the Primary (new current UUID while
# apart) becomes SyncSource for the marked block only.  `drbdadm connect`
# zeroes node 1's counters (drbd_adm_connect), so its nr counts from there.
topo_must 1 disconnect disconnect "$TOPO_RES"
topo_wait 0 cstate WFConnection
topo_must 1 connect connect "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
topo_wait 0 dstate UpToDate/UpToDate
topo_wait 1 cstate Connected
wait_for 10 "'Began resync as SyncTarget' in node 1's log" \
  grep -q 'Began resync as SyncTarget (will sync 4 KB \[1 bits set\])' "$TEST_TMP/node1/umcd.log"
expect_eq "$(node_proc_field 1 nr)" 4 "KiB node 1 received in the repair resync"
expect_eq "$(node_proc_field 0 oos)" 0 "out of sync on node 0 after the resync"
expect_eq "$(node_proc_field 1 oos)" 0 "out of sync on node 1 after the resync"

run_verify
expect_eq "$(grep -c 'Online verify found' "$log0")" 1 "verifies that found blocks out of sync"
expect_eq "$(node_proc_field 0 oos)" 0 "blocks out of sync after the second verify (node 0)"
expect_eq "$(node_proc_field 1 oos)" 0 "blocks out of sync after the second verify (node 1)"
expect_eq "$(device_md5 "$d1" "$size")" "$(device_md5 "$(node_dev 0)" "$size")" \
  "node 1's data vs node 0's device after the repair"

topo_must 0 secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
