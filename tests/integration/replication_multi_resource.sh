#!/usr/bin/env bash
# Two resources in one pair of daemons, one of them with two volumes (8.4's
# `volume N { device; disk; meta-disk; }`): three minors per node, one
# connection per resource (each its own port).  Both resources connect and
# sync (initial full sync from node 0); /proc/drbd and `drbdadm status` show
# all three minors UpToDate/UpToDate, the two-volume resource with both its
# volumes; writes on the Primary's three devices reach node 1 (md5 of each
# device vs the peer's data area); `drbdadm dstate`/`role` per resource and
# per volume (RES/VOL) say the same.  A resource is taken down alone without
# disturbing the other.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"

topo_init 2 umc_multi_a
ra=umc_multi_a rb=umc_multi_b
for i in 0 1; do topo_start_node "$i" d0=ram:size=64M d1=ram:size=64M d2=ram:size=64M; done
topo_write_resources "$ra=d0" "$rb=d1,d2" -- 'net { protocol C; }' 'disk { c-plan-ahead 0; resync-rate 400M; }'
read -r ma <<<"${TOPO_VOL_MINORS[$ra]}"
read -r mb0 mb1 <<<"${TOPO_VOL_MINORS[$rb]}"
info "minors: $ra: $ma; $rb: $mb0 (volume 0), $mb1 (volume 1)"
grep -c "volume 1 {" "$TOPO_CONF" | grep -qx 2 || { cat "$TOPO_CONF"; fail "the conf has no volume 1 per node"; }

for i in 0 1; do
  for r in "$ra" "$rb"; do
    must "create-md.$r.n$i" adm "$i" create-md "$r"
    expect_text "create-md.$r.n$i" "New drbd meta data block successfully created."
  done
done
# `drbdadm up all`: both resources, as an init script would.
topo_all up up all

# res_is I RES WHAT EXPECTED: `drbdadm WHAT RES` on node I prints EXPECTED
# (one line per volume for a resource with several).
res_is() { [ "$(adm "$1" "$3" "$2" 2>/dev/null | tr '\n' ' ')" = "$4" ]; }
wait_res() {
  wait_for_quiet "${5:-60}" res_is "$1" "$2" "$3" "$4" ||
    { node_proc "$1"; fail "node $1: '$3 $2' is '$(adm "$1" "$3" "$2" 2>/dev/null | tr '\n' ' ')', not '$4'"; }
}
# per_vol RES VALUE: VALUE once per volume of RES, as drbdadm prints it.
per_vol() { local m out=""; for m in ${TOPO_VOL_MINORS[$1]}; do out+="$2 "; done; echo "$out"; }
for r in "$ra" "$rb"; do
  wait_res 0 "$r" cstate "$(per_vol "$r" Connected)"
  wait_res 1 "$r" cstate "$(per_vol "$r" Connected)"
done
expect_eq "$(adm 0 dstate "$rb" | tr '\n' ' ')" "Inconsistent/Inconsistent Inconsistent/Inconsistent " "$rb's volumes before the sync"

info "node 0 becomes Primary of both resources; both sync"
topo_must 0 primary_a primary --force "$ra"
topo_must 0 primary_b primary --force "$rb"
for r in "$ra" "$rb"; do
  wait_res 1 "$r" dstate "$(per_vol "$r" UpToDate/UpToDate)" 120
done
expect_eq "$(adm 0 role "$rb" | tr '\n' ' ')" "Primary/Secondary Primary/Secondary " "$rb's roles on node 0"
expect_eq "$(adm 1 role "$ra")" "Secondary/Primary" "$ra's role on node 1"
expect_eq "$(adm 1 dstate "$rb/1")" "UpToDate/UpToDate" "drbdadm dstate $rb/1 on node 1"

# /proc/drbd: three minors, each Connected and UpToDate/UpToDate, on both.
for i in 0 1; do
  for m in "$ma" "$mb0" "$mb1"; do
    wait_for 60 "minor $m UpToDate/UpToDate in node $i's /proc/drbd" \
      grep -Eq "^ *$m: cs:Connected ro:(Primary/Secondary|Secondary/Primary) ds:UpToDate/UpToDate C " "${NODE_ROOT[i]}/proc/drbd"
  done
  expect_eq "$(grep -Ec '^ *[0-9]+: cs:' "${NODE_ROOT[i]}/proc/drbd")" 3 "minors in node $i's /proc/drbd"
done
node_proc 0

# drbdadm status: both resources; the two-volume one lists both volumes,
# locally and for the peer.
run_capture status1 adm 1 status all
cat "$TEST_TMP/status1.all"
expect_line status1 "$ra role:Secondary"
expect_line status1 "$rb role:Secondary"
expect_line status1 "  disk:UpToDate"
expect_line status1 "  volume:0 disk:UpToDate"
expect_line status1 "  volume:1 disk:UpToDate"
expect_eq "$(grep -c "peer-disk:UpToDate" "$TEST_TMP/status1.all")" 3 "peer volumes UpToDate in drbdadm status"
expect_no_text status1 "Inconsistent"

info "write on every device of the Primary; node 1 has the same bytes"
k=0
for m in "$ma" "$mb0" "$mb1"; do
  head -c 8M /dev/urandom >"$TEST_TMP/p$k"
  dd if="$TEST_TMP/p$k" of="${NODE_ROOT[0]}/dev/drbd$m" bs=1M seek=$((4 * k)) oflag=direct conv=notrunc status=none ||
    fail "write on node 0's drbd$m"
  k=$((k + 1))
done
k=0
for m in "$ma" "$mb0" "$mb1"; do
  disk=d$k
  size=$(stat -c %s "${NODE_ROOT[0]}/dev/drbd$m")
  [ "$size" -gt $((63 * 1048576)) ] || fail "drbd$m's size: $size"
  expect_eq "$(device_md5 "${NODE_ROOT[1]}/dev/$disk" "$size")" "$(device_md5 "${NODE_ROOT[0]}/dev/drbd$m" "$size")" \
    "node 1's $disk vs node 0's drbd$m"
  cmp -s -n 8388608 "$TEST_TMP/p$k" <(dd if="${NODE_ROOT[1]}/dev/$disk" bs=1M skip=$((4 * k)) count=8 iflag=direct status=none) ||
    fail "node 1's $disk lacks the write on drbd$m"
  k=$((k + 1))
done
# Each resource counted its own traffic: the writes went to three minors.
for m in "$ma" "$mb0" "$mb1"; do
  nr=$(sed -n "/^ *$m: cs:/,/^ *[0-9]*: cs:/s/.* nr:\\([0-9]*\\).*/\\1/p" "${NODE_ROOT[1]}/proc/drbd" | head -n 1)
  [ "${nr:-0}" -ge $((64 * 1024 - 1024)) ] || { node_proc 1; fail "minor $m on node 1 received ${nr:-0} KiB"; }
done

info "one resource down, the other stays"
topo_must 0 secondary_a secondary "$ra"
topo_all down_a down "$ra"
expect_eq "$(grep -Ec '^ *[0-9]+: cs:' "${NODE_ROOT[0]}/proc/drbd")" 2 "minors left in node 0's /proc/drbd"
expect_eq "$(adm 1 cstate "$rb" | tr '\n' ' ')" "Connected Connected " "$rb after $ra went down"
expect_eq "$(adm 0 dstate "$rb" | tr '\n' ' ')" "UpToDate/UpToDate UpToDate/UpToDate " "$rb's disks after $ra went down"
topo_must 0 secondary_b secondary "$rb"
topo_all down_b down "$rb"
