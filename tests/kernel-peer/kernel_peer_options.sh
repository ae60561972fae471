#!/usr/bin/env bash
# DRBD's replication options between a umcd node and an in-kernel DRBD 8.4
# node (Debian's kernel and drbd.ko under qemu), one guest boot, the options
# changed between phases as an operator would: `drbdadm disconnect` on both,
# the new drbd.conf, `drbdadm adjust` on both (it connects with the new net
# options).  Each node has its own drbd.conf where they must differ.
#
#  protocol A, C   the known workload (below) with identical data after it,
#                  /proc/drbd on both says the protocol
#  data-integrity-alg  different algorithms: refused ("incompatible
#                  data-integrity-alg settings", StandAlone, never Connected);
#                  crc32c on both: the workload, no "Digest integrity check
#                  FAILED" on either side
#  csums-alg sha1  a full resync of a disk that differs in 1 MiB, each side
#                  SyncSource in turn: the SyncSource sends 1-2 MiB, not the
#                  device, and logs "% had equal checksums, eliminated: ...K;
#                  transferred 1024K total ...K"
#  cram-hmac-alg sha1  a wrong shared-secret on the kernel node: both log
#                  "Authentication of peer failed" and "Discarding network
#                  configuration." and go StandAlone; the right one: both log
#                  "Peer authenticated using 20 bytes HMAC", the workload
#
# The known workload: umcd Primary writes 4 MiB of random data (O_DIRECT) at
# MiB 8, the kernel receives exactly 4096 KiB; roles switched, the kernel
# writes 4 MiB at MiB 16, umcd receives exactly 4096 KiB; switched back;
# umcd's device, the kernel's disk (read in the guest) and the guest's disk
# file (read here) have the same md5.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/preload_lib.sh"
. "$(dirname "$0")/../integration/drbd_lib.sh"
. "$(dirname "$0")/../integration/topology_lib.sh"
. "$(dirname "$0")/kernel_peer_lib.sh"

DISK_OPTS='disk { c-plan-ahead 0; resync-rate 40M; }'
UMCD_LOG=

# configure NET [KERNEL-NET]: drbd.conf with net section NET on umcd and
# KERNEL-NET (default NET) in the guest.
configure() {
  kp_write_res "$1" "$DISK_OPTS"
  [ -z "${2:-}" ] || TOPO_CONF="$TEST_TMP/guest.conf" kp_write_res "$2" "$DISK_OPTS"
}

# reconnect_with NET [KERNEL-NET]: disconnect both (a StandAlone node has
# nothing to disconnect: "unknown connection"), configure, adjust both (umcd
# first: it listens, the kernel connects).  Sets the log positions from
# which this phase's messages count (LOG0, CON1).
reconnect_with() {
  kp_state_is 0 cstate StandAlone || topo_must 0 disconnect disconnect "$TOPO_RES"
  kp_state_is 1 cstate StandAlone || must disconnect.n1 gadm disconnect "$TOPO_RES"
  kp_wait 0 cstate StandAlone
  kp_wait 1 cstate StandAlone
  configure "$@"
  LOG0=$(($(wc -l <"$UMCD_LOG") + 1)) CON1=$(($(wc -l <"$KP_CONSOLE") + 1))
  topo_must 0 adjust adjust "$TOPO_RES"
  must adjust.n1 gadm adjust "$TOPO_RES"
}

# since_umcd / since_kernel: this phase's lines of umcd's log / the guest's
# console (CRs dropped).
since_umcd() { tail -n +"$LOG0" "$UMCD_LOG"; }
since_kernel() { tail -n +"$CON1" "$KP_CONSOLE" | tr -d '\r'; }
# logged_umcd / logged_kernel TEXT: a line of this phase ends in TEXT
# ("Authentication of peer failed", not "... failed, trying again.").
logged_umcd() { since_umcd | grep -qF -- "$1" && since_umcd | awk -v t="$1" 'substr($0, length($0) - length(t) + 1) == t { f = 1 } END { exit !f }'; }
logged_kernel() { since_kernel | sed 's/ *$//' | awk -v t="$1" 'substr($0, length($0) - length(t) + 1) == t { f = 1 } END { exit !f }'; }
logged_either() { logged_umcd "$1" || logged_kernel "$1"; }

# never_connected: neither node is or was Connected in this phase.
never_connected() {
  [ "$(kp_query 0 cstate)" != Connected ] || fail "umcd is Connected"
  [ "$(kp_query 1 cstate)" != Connected ] || fail "the kernel is Connected"
  ! since_umcd | grep -q -- '-> Connected )' || fail "umcd was Connected: $(since_umcd | grep -- '-> Connected )')"
  ! since_kernel | grep -q -- '-> Connected )' || fail "the kernel was Connected: $(since_kernel | grep -- '-> Connected )')"
}

# shows I REGEX: `drbdsetup show` on node I (the running configuration) has a
# line matching REGEX.
shows() {
  local out
  if [ "$1" = 1 ]; then out=$(guest "drbdsetup-84 show $TOPO_RES"); else out=$(setup 0 show "$TOPO_RES" 2>&1); fi
  grep -Eq -- "$2" <<<"$out" || { echo "$out" >&2; fail "drbdsetup show on node $1 lacks /$2/"; }
}

# both_connected: Connected and UpToDate/UpToDate on both.
both_connected() {
  kp_wait 0 cstate Connected
  kp_wait 1 cstate Connected
  kp_wait 0 dstate UpToDate/UpToDate
  kp_wait 1 dstate UpToDate/UpToDate
}

# workload TAG: the known workload (see the top); umcd is Primary before and
# after.
workload() {
  local tag=$1 nr0 size a b c
  nr0=$(guest_proc_field nr)
  dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=8 count=4 oflag=direct conv=notrunc status=none ||
    fail "$tag: write on umcd"
  kp_wait_idle
  expect_eq "$(( $(guest_proc_field nr) - nr0 ))" 4096 "$tag: KiB the kernel received of umcd's 4 MiB"
  topo_must 0 secondary secondary "$TOPO_RES"
  must primary.n1 gadm primary "$TOPO_RES"
  nr0=$(node_proc_field 0 nr)
  must write.n1 guest "dd if=/dev/urandom of=$(guest_dev) bs=1M seek=16 count=4 oflag=direct 2>&1"
  kp_wait_idle
  expect_eq "$(( $(node_proc_field 0 nr) - nr0 ))" 4096 "$tag: KiB umcd received of the kernel's 4 MiB"
  must secondary.n1 gadm secondary "$TOPO_RES"
  topo_must 0 primary primary "$TOPO_RES"
  size=$(node_size_bytes 0)
  a=$(device_md5 "$(node_dev 0)" "$size")
  b=$(guest_md5 /dev/vda "$size")
  c=$(device_md5 "$KP_DISK" "$size")
  expect_eq "$b" "$a" "$tag: the kernel's data vs umcd's"
  expect_eq "$c" "$a" "$tag: the guest's disk file vs umcd's data"
  info "$tag: 4 MiB each way, md5 $a on both"
}

# proto_of I: the protocol letter in node I's /proc/drbd.
proto_of() { kp_proc "$1" | sed -n 's/.* ds:[^ ]* \([ABC]\) .*/\1/p'; }

kp_init umc_kp_options
topo_start_node 0 d0=ram:size=64M
UMCD_LOG="$TEST_TMP/node0/umcd.log"
kp_guest_disk 64M
kp_boot
configure 'net { protocol C; }'
kp_up
kp_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
kp_wait 1 dstate UpToDate/UpToDate 180
kp_wait 0 dstate UpToDate/UpToDate
dev_kib=$(( $(node_size_bytes 0) / 1024 ))

# --- protocols A and C ----------------------------------------------------------
for p in A C; do
  reconnect_with "net { protocol $p; }"
  both_connected
  expect_eq "$(proto_of 0) $(proto_of 1)" "$p $p" "the protocol in /proc/drbd of umcd and the kernel"
  workload "protocol $p"
done

# --- data-integrity-alg ----------------------------------------------------------
msg="incompatible data-integrity-alg settings"
reconnect_with 'net { protocol C; data-integrity-alg crc32c; }' 'net { protocol C; data-integrity-alg sha1; }'
wait_for 60 "'$msg' in a node's log" logged_either "$msg"
# The node that read the peer's settings first hangs up at once and gives up
# (StandAlone); the other may get EPIPE sending its own and just retry.
if logged_umcd "$msg"; then kp_wait 0 cstate StandAlone; fi
if logged_kernel "$msg"; then kp_wait 1 cstate StandAlone; fi
never_connected
info "refused, logged by:$(logged_umcd "$msg" && echo " umcd")$(logged_kernel "$msg" && echo " the kernel")"
reconnect_with 'net { protocol C; data-integrity-alg crc32c; }'
both_connected
shows 0 'data-integrity-alg[[:space:]]+"crc32c";'
shows 1 'data-integrity-alg[[:space:]]+"crc32c";'
workload "data-integrity-alg crc32c"
! since_umcd | grep 'Digest integrity check FAILED' || fail "umcd found a digest mismatch"
! since_kernel | grep 'Digest integrity check FAILED' || fail "the kernel found a digest mismatch"

# --- csums-alg --------------------------------------------------------------------
reconnect_with 'net { protocol C; csums-alg sha1; }'
both_connected
shows 0 'csums-alg[[:space:]]+"sha1";'
shows 1 'csums-alg[[:space:]]+"sha1";'
# resync_with_csums SOURCE: SOURCE (0 umcd, 1 the kernel) is Primary; the
# other node disconnects, SOURCE writes 1 MiB alone, the other invalidates
# its disk (every bit set: a full resync) and connects.  Sets sent (KiB
# SOURCE sent in the resync) and got (KiB the other received: `connect`
# zeroes its counters, drbd_adm_connect).
resync_with_csums() {
  local src=$1 dst=$((1 - $1)) ns0
  if [ "$dst" = 1 ]; then must disconnect.n1 gadm disconnect "$TOPO_RES"; else topo_must 0 disconnect disconnect "$TOPO_RES"; fi
  kp_wait "$dst" cstate StandAlone
  kp_wait "$src" cstate WFConnection
  if [ "$src" = 0 ]; then
    dd if=/dev/urandom of="$(node_dev 0)" bs=1M seek=40 count=1 oflag=direct conv=notrunc status=none ||
      fail "write on umcd while apart"
    ns0=$(node_proc_field 0 ns)
    must invalidate.n1 gadm invalidate "$TOPO_RES"
  else
    must write.n1 guest "dd if=/dev/urandom of=$(guest_dev) bs=1M seek=44 count=1 oflag=direct 2>&1"
    ns0=$(guest_proc_field ns)
    topo_must 0 invalidate invalidate "$TOPO_RES"
  fi
  expect_eq "$(kp_query "$dst" dstate)" Inconsistent/DUnknown "node $dst after invalidate"
  LOG0=$(($(wc -l <"$UMCD_LOG") + 1)) CON1=$(($(wc -l <"$KP_CONSOLE") + 1))
  if [ "$dst" = 1 ]; then must connect.n1 gadm connect "$TOPO_RES"; else topo_must 0 connect connect "$TOPO_RES"; fi
  kp_wait "$dst" dstate UpToDate/UpToDate 120
  kp_wait "$src" dstate UpToDate/UpToDate
  if [ "$src" = 0 ]; then
    sent=$(( $(node_proc_field 0 ns) - ns0 )) got=$(guest_proc_field nr)
  else
    sent=$(( $(guest_proc_field ns) - ns0 )) got=$(node_proc_field 0 nr)
  fi
}
equal_sums="% had equal checksums, eliminated: $((dev_kib - 1024))K; transferred 1024K total ${dev_kib}K"
resync_with_csums 0
info "csums-alg sha1, umcd SyncSource: umcd sent $sent KiB, the kernel received $got KiB (device $dev_kib KiB)"
[ "$sent" -ge 1024 ] && [ "$sent" -le 2048 ] && [ "$got" -ge 1024 ] && [ "$got" -le 2048 ] ||
  fail "a full resync with csums-alg moved $sent/$got KiB; 1024 KiB differed"
wait_for 10 "'Began resync as SyncTarget (will sync $dev_kib KB' in the guest's log" \
  sh -c "tail -n +$CON1 '$KP_CONSOLE' | grep -qF 'Began resync as SyncTarget (will sync $dev_kib KB'"
wait_for 10 "'$equal_sums' in umcd's log" sh -c "tail -n +$LOG0 '$UMCD_LOG' | grep -qF '$equal_sums'"
info "umcd: $(since_umcd | grep -F "$equal_sums" | sed 's/.*\] //')"

topo_must 0 secondary secondary "$TOPO_RES"
must primary.n1 gadm primary "$TOPO_RES"
resync_with_csums 1
info "csums-alg sha1, kernel SyncSource: the kernel sent $sent KiB, umcd received $got KiB"
[ "$sent" -ge 1024 ] && [ "$sent" -le 2048 ] && [ "$got" -ge 1024 ] && [ "$got" -le 2048 ] ||
  fail "a full resync with csums-alg moved $sent/$got KiB; 1024 KiB differed"
wait_for 10 "'Began resync as SyncTarget (will sync $dev_kib KB' in umcd's log" \
  sh -c "tail -n +$LOG0 '$UMCD_LOG' | grep -qF 'Began resync as SyncTarget (will sync $dev_kib KB'"
wait_for 10 "'$equal_sums' in the guest's log" sh -c "tail -n +$CON1 '$KP_CONSOLE' | grep -qF '$equal_sums'"
info "kernel: $(since_kernel | grep -F "$equal_sums" | sed 's/.*\] //')"
a=$(guest_md5 "$(guest_dev)" "$((dev_kib * 1024))")
expect_eq "$(device_md5 "${NODE_ROOT[0]}/dev/d0" "$((dev_kib * 1024))")" "$a" "umcd's data after the csums resync"
must secondary.n1 gadm secondary "$TOPO_RES"
topo_must 0 primary primary "$TOPO_RES"

# --- cram-hmac-alg ------------------------------------------------------------------
right='net { protocol C; cram-hmac-alg sha1; shared-secret "umc-right-secret"; }'
reconnect_with "$right" 'net { protocol C; cram-hmac-alg sha1; shared-secret "umc-wrong-secret"; }'
for m in "Authentication of peer failed" "Discarding network configuration."; do
  wait_for 60 "'$m' in umcd's log" logged_umcd "$m"
  wait_for 60 "'$m' in the kernel's log" logged_kernel "$m"
done
kp_wait 0 cstate StandAlone
kp_wait 1 cstate StandAlone
never_connected
# A StandAlone node has no connection to disconnect, kernel or umcd.
run_capture disconnect-sa.n0 adm 0 disconnect "$TOPO_RES"
expect_rc disconnect-sa.n0 10
expect_text disconnect-sa.n0 "unknown connection"
run_capture disconnect-sa.n1 gadm disconnect "$TOPO_RES"
expect_rc disconnect-sa.n1 10
expect_text disconnect-sa.n1 "unknown connection"
info "refused: umcd: $(since_umcd | grep -m1 'Authentication of peer failed' | sed 's/.*\] //')"
info "refused: kernel: $(since_kernel | grep -m1 'Authentication of peer failed' | sed 's/.*\] //')"
reconnect_with "$right"
both_connected
m="Peer authenticated using 20 bytes HMAC"
wait_for 10 "'$m' in umcd's log" logged_umcd "$m"
wait_for 10 "'$m' in the kernel's log" logged_kernel "$m"
shows 0 'cram-hmac-alg[[:space:]]+"sha1";'
shows 1 'cram-hmac-alg[[:space:]]+"sha1";'
workload "cram-hmac-alg sha1"

topo_must 0 secondary secondary "$TOPO_RES"
topo_must 0 down down "$TOPO_RES"
must down.n1 gadm down "$TOPO_RES"
