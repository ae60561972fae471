#!/usr/bin/env bash
# DRBD's hash algorithms between two umcd nodes (the runtime's crypto_shash:
# sha1, crc32c, hmac(sha1)):
#
#   replication_algs.sh csums          csums-alg sha1: a full resync of data
#       the peer already has sends checksums, not blocks (the SyncSource's ns
#       grows by what differs, not by the device, as it does without it)
#   replication_algs.sh integrity ALG  data-integrity-alg ALG (crc32c, sha1):
#       nodes with different algorithms refuse each other ("incompatible
#       data-integrity-alg settings"), with the same one
#       they connect and writes replicate with no digest failure
#   replication_algs.sh cram           cram-hmac-alg sha1: a wrong
#       shared-secret on one node makes both refuse the connection, with
#       DRBD's "Authentication of peer failed"; the right one connects
#
# Where the nodes must differ, each has its own drbd.conf ($TEST_TMP/n0.conf,
# n1.conf) as two machines would.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"

mode=${1:?usage: replication_algs.sh csums|integrity ALG|cram}
alg=${2:-}
DISK_OPTS='disk { c-plan-ahead 0; resync-rate 400M; }'

# conf_of I: node I's drbd.conf.  adm_on I ARGS: drbdadm with that file.
conf_of() { echo "$TEST_TMP/n$1.conf"; }
adm_on() { local i=$1; shift; TOPO_CONF=$(conf_of "$i") adm "$i" "$@"; }
# write_conf_of I NET: node I's drbd.conf with net section NET.
write_conf_of() { TOPO_CONF=$(conf_of "$1") topo_write_res "$2" "$DISK_OPTS"; }
# log_of I
log_of() { echo "$TEST_TMP/node$1/umcd.log"; }
# log_ends_with I TEXT: a line of node I's kernel log ends in TEXT
# ("Authentication of peer failed", not "Authentication of peer failed,
# trying again.").
log_ends_with() { awk -v t="$2" 'substr($0, length($0) - length(t) + 1) == t { f = 1 } END { exit !f }' "$(log_of "$1")"; }

# show_has I REGEX: `drbdsetup show` on node I (the running configuration)
# has a line matching REGEX.
show_has() {
  run_capture "show.n$1" setup "$1" show "$TOPO_RES"
  grep -Eq -- "$2" "$TEST_TMP/show.n$1.all" || { cat "$TEST_TMP/show.n$1.all" >&2; fail "drbdsetup show on node $1 lacks /$2/"; }
}

# sync_and_check: node 0 Primary, the full initial sync, 8 MiB of random
# bytes written at MiB 8 and received by node 1 (its nr grows by at least
# that), both devices the same.
sync_and_check() {
  must primary.n0 adm_on 0 primary --force "$TOPO_RES"
  topo_wait 1 dstate UpToDate/UpToDate 120
  topo_wait 0 dstate UpToDate/UpToDate
  local nr0; nr0=$(node_proc_field 1 nr)
  dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=8 count=8 oflag=direct conv=notrunc status=none ||
    fail "write on the Primary"
  local nr1; nr1=$(node_proc_field 1 nr)
  [ $((nr1 - nr0)) -ge 8192 ] || fail "node 1 received $((nr1 - nr0)) KiB of an 8 MiB write (protocol C)"
  size=$(node_size_bytes 0)
  expect_same_data 0 1
}

# refused_then_connected NET0 NET1-WRONG MESSAGE both|either: up with node 1
# configured differently; the nodes log MESSAGE and give up (StandAlone: DRBD
# does not retry a connection the peer's settings or secret rule out) and
# never reach Connected; then node 1 gets node 0's settings, `drbdadm adjust`
# on both, and they connect.  "both": each node's log says MESSAGE (the
# cram-hmac challenge/response: each node has the peer's response in hand
# before it judges, so both judge).  "either": one node's log is certain; DRBD
# checks the peer's settings when its P_PROTOCOL arrives and the first node
# to do so hangs up at once; the other may still be sending its own
# handshake, get EPIPE ("sock_sendmsg returned -32") and retry without ever
# reading the packet it would refuse (the kernel module does the same).
refused_then_connected() {
  local net0=$1 net1=$2 msg=$3 how=$4 i
  write_conf_of 0 "$net0"
  write_conf_of 1 "$net1"
  TOPO_CONF=$(conf_of 0)
  for i in 0 1; do
    must "create-md.n$i" adm_on "$i" create-md "$TOPO_RES"
    must "up.n$i" adm_on "$i" up "$TOPO_RES"
  done
  if [ "$how" = both ]; then
    for i in 0 1; do
      wait_for 60 "'$msg' in node $i's log" log_ends_with "$i" "$msg"
      topo_wait "$i" cstate StandAlone
    done
  else
    wait_for 60 "'$msg' in a node's log" either_logged "$msg"
    for i in 0 1; do
      if log_ends_with "$i" "$msg"; then topo_wait "$i" cstate StandAlone; fi
    done
  fi
  for i in 0 1; do
    [ "$(node_query "$i" cstate)" != Connected ] || fail "node $i is Connected despite '$msg'"
    ! grep -q -- '-> Connected )' "$(log_of "$i")" || fail "node $i was Connected despite '$msg'"
  done
  info "refused: $(grep -hF -- "$msg" "$(log_of 0)" "$(log_of 1)" | head -n 1)"
  write_conf_of 1 "$net0"
  must adjust.n1 adm_on 1 adjust "$TOPO_RES"
  must adjust.n0 adm_on 0 adjust "$TOPO_RES"
  topo_wait 0 cstate Connected
  topo_wait 1 cstate Connected
}
either_logged() { log_ends_with 0 "$1" || log_ends_with 1 "$1"; }

topo_init 2 "umc_algs_$mode${alg:+_$alg}"
topo_start_node 0 d0=ram:size=64M
topo_start_node 1 d0=ram:size=64M

case $mode in
csums)
  write_conf_of 0 'net { protocol C; }'
  cp "$(conf_of 0)" "$(conf_of 1)"
  TOPO_CONF=$(conf_of 0)
  topo_up
  topo_wait 0 cstate Connected
  sync_and_check
  dev_kib=$((size / 1024))

  # full_resync_of_same_data WRITE_MIB: node 1 apart, node 0 writes WRITE_MIB
  # MiB (at MiB 40) meanwhile, node 1 invalidates its disk and reconnects:
  # a full resync (every bit set), of data node 1 mostly already has.  Sets
  # sent (KiB node 0 sent in it) and got (KiB node 1 received: `connect`
  # zeroes node 1's counters, drbd_adm_connect).
  full_resync_of_same_data() {
    topo_must 1 disconnect disconnect "$TOPO_RES"
    topo_wait 0 cstate WFConnection
    [ "$1" = 0 ] || dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=40 count="$1" oflag=direct conv=notrunc \
      status=none || fail "write on the Primary while apart"
    topo_must 1 invalidate invalidate "$TOPO_RES"
    expect_eq "$(node_query 1 dstate)" Inconsistent/DUnknown "node 1 after invalidate"
    local ns0; ns0=$(node_proc_field 0 ns)
    topo_must 1 connect connect "$TOPO_RES"
    topo_wait 1 dstate UpToDate/UpToDate 120
    topo_wait 0 dstate UpToDate/UpToDate
    topo_wait 1 cstate Connected
    sent=$(( $(node_proc_field 0 ns) - ns0 )) got=$(node_proc_field 1 nr)
    expect_same_data 0 1
  }

  # Without csums-alg: the whole device goes over the wire.
  full_resync_of_same_data 0
  info "without csums-alg: node 0 sent $sent KiB, node 1 received $got KiB (device $dev_kib KiB)"
  [ "$sent" -ge "$dev_kib" ] && [ "$got" -ge "$dev_kib" ] ||
    fail "a full resync without csums-alg moved only $sent/$got KiB of $dev_kib"
  wait_for 10 "'Began resync as SyncTarget' in node 1's log" \
    grep -q "Began resync as SyncTarget (will sync $dev_kib KB" "$(log_of 1)"

  # With csums-alg sha1 (drbdadm adjust, connected): node 1 sends a sha1 per
  # block, node 0 answers "in sync" for the equal ones and sends only the
  # 1 MiB written while apart.
  write_conf_of 0 'net { protocol C; csums-alg sha1; }'
  cp "$(conf_of 0)" "$(conf_of 1)"
  topo_must 1 adjust adjust "$TOPO_RES"
  topo_must 0 adjust adjust "$TOPO_RES"
  for i in 0 1; do
    show_has "$i" 'csums-alg[[:space:]]+"sha1";'
  done
  full_resync_of_same_data 1
  info "with csums-alg sha1: node 0 sent $sent KiB, node 1 received $got KiB (device $dev_kib KiB)"
  [ "$sent" -ge 1024 ] && [ "$sent" -le 2048 ] && [ "$got" -ge 1024 ] && [ "$got" -le 2048 ] ||
    fail "a full resync with csums-alg moved $sent/$got KiB; 1024 KiB differed"
  wait_for 10 "'had equal checksums' in node 0's log" \
    grep -q "% had equal checksums, eliminated: $((dev_kib - 1024))K; transferred 1024K total ${dev_kib}K" "$(log_of 0)"
  info "$(grep -h 'had equal checksums' "$(log_of 0)" | tail -n 1)"
  ;;
integrity)
  [ -n "$alg" ] || fail "integrity needs an algorithm (crc32c, sha1)"
  other=crc32c
  [ "$alg" != crc32c ] || other=sha1
  refused_then_connected "net { protocol C; data-integrity-alg $alg; }" \
    "net { protocol C; data-integrity-alg $other; }" "incompatible data-integrity-alg settings" either
  for i in 0 1; do
    show_has "$i" "data-integrity-alg[[:space:]]+\"$alg\";"
  done
  sync_and_check
  for i in 0 1; do
    ! grep -q 'Digest integrity check FAILED' "$(log_of "$i")" ||
      fail "node $i: $(grep 'Digest integrity check FAILED' "$(log_of "$i")" | head -n 1)"
  done
  ;;
cram)
  refused_then_connected 'net { protocol C; cram-hmac-alg sha1; shared-secret "umc-right-secret"; }' \
    'net { protocol C; cram-hmac-alg sha1; shared-secret "umc-wrong-secret"; }' "Authentication of peer failed" both
  for i in 0 1; do
    wait_for 10 "'Discarding network configuration.' in node $i's log" log_ends_with "$i" "Discarding network configuration."
    show_has "$i" 'cram-hmac-alg[[:space:]]+"sha1";'
  done
  for i in 0 1; do
    wait_for 10 "'Peer authenticated' in node $i's log" \
      grep -q 'Peer authenticated using 20 bytes HMAC' "$(log_of "$i")"
  done
  sync_and_check
  ;;
*) fail "unknown mode $mode" ;;
esac

must secondary.n0 adm_on 0 secondary "$TOPO_RES"
for i in 0 1; do must "down.n$i" adm_on "$i" down "$TOPO_RES"; done
