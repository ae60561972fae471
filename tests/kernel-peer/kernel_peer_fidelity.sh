#!/usr/bin/env bash
# What an operator reads on a umcd node is what a kernel node shows: umcd
# and an in-kernel DRBD 8.4 node (Debian's kernel and drbd.ko under qemu)
# go through one known workload, and at each step both nodes' /proc/drbd and
# `drbdsetup status --verbose --statistics` (drbdsetup-84 on both) are
# snapshot and compared.
#
#   S0     both up, Connected, fresh meta-data: the same state on both nodes
#   SYNC1  umcd `primary --force`, the initial full sync running (the resync
#          rate lowered to 1 MiB/s so it can be caught): umcd SyncSource,
#          the kernel SyncTarget; then the rate back up to 40 MiB/s
#   A      umcd (Primary) wrote W = 8 MiB at MiB 0, both idle
#          then roles switched and the kernel (Primary) wrote 8 MiB at MiB 0
#   SYNC2  `drbdadm invalidate` on umcd (a full resync, slowed): the kernel
#          SyncSource, umcd SyncTarget
#   C      the resync done, both idle
#
# Agreement (D = the device's KiB, W = 8192):
#   * states, roles, disk states: each node says what the other says, seen
#     from its side, in /proc/drbd and in status;
#   * counters, exactly, in A: umcd ns = D + W (sync + writes) = the
#     kernel's nr = the kernel's dw, umcd dr = D, umcd dw = W, umcd nr = the
#     kernel's ns = the kernel's dr = 0; in C both did the same (each sent and
#     received D + W and wrote D + 2W, read D): every counter of one node
#     equals the other's, ns and nr crossed;
#   * status agrees with /proc/drbd on each node (sent = ns, received = nr,
#     written = dw, read = dr, al-writes = al, bm-writes = bm, out-of-sync =
#     oos).
# Fidelity (issue 10, part 3): for the same state, umcd's /proc/drbd equals
# the kernel's byte for byte but for the numbers that must differ (see
# mask_proc) - S0 with S0, umcd's A with the kernel's C (the Primary of an
# idle pair), umcd's C with the kernel's A (its Secondary), umcd's SYNC1 with
# the kernel's SYNC2 (a SyncSource), umcd's SYNC2 with the kernel's SYNC1 (a
# SyncTarget); and umcd's C is the kernel's C with the sides swapped.  The
# status outputs are compared the same way, word by word (drbdsetup wraps its
# lines by their length, which the numbers change).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/preload_lib.sh"
. "$(dirname "$0")/../integration/drbd_lib.sh"
. "$(dirname "$0")/../integration/topology_lib.sh"
. "$(dirname "$0")/kernel_peer_lib.sh"

SNAP="$TEST_TMP/snap"
mkdir -p "$SNAP"

# snap NAME: both nodes' /proc/drbd and status into $SNAP/NAME.{umcd,kernel}.{proc,status}.
snap() {
  kp_proc 0 >"$SNAP/$1.umcd.proc" || fail "umcd's /proc/drbd"
  kp_proc 1 >"$SNAP/$1.kernel.proc" || fail "the kernel's /proc/drbd"
  setup 0 status "$TOPO_RES" --verbose --statistics >"$SNAP/$1.umcd.status" || fail "umcd's status"
  guest "drbdsetup-84 status $TOPO_RES --verbose --statistics" >"$SNAP/$1.kernel.status" || fail "the kernel's status"
}

# mask_proc CLASS <TEXT: /proc/drbd with the numbers that must differ
# replaced, on every CLASS:
#   - the srcversion: the hash of each build's sources (the kernel's module,
#     umcd's hosted DRBD); only the hex digits are masked: the padding
#     ("srcversion: %-24s") stays and must match;
#   - the minor ("%2d: cs:"): each node has its own (kernel_peer_lib);
# and with CLASS
#   history  also the values of ns nr dw dr al bm: what this node has sent,
#            received, written, read, its activity-log and bitmap writes so
#            far; snapshots taken at different points of the workload differ
#            in them (they are checked exactly elsewhere);
#   sync     every counter's value and every number of the progress lines
#            (a resync moves on between the two nodes' snapshots), the fill
#            of the progress bar (it must still be 20 characters of [=>.]),
#            and " (stalled)" (printed when no progress was made in the last
#            seconds: timing).
mask_proc() {
  python3 -c '
import re, sys
cls = sys.argv[1]
out = []
for line in sys.stdin.read().split("\n"):
    line = re.sub(r"^srcversion: [0-9A-F]+", "srcversion: <hash>", line)
    line = re.sub(r"^ *[0-9]+: cs:", "<minor>: cs:", line)
    if cls == "history":
        line = re.sub(r"\b(ns|nr|dw|dr|al|bm):[0-9]+\b", r"\1:<n>", line)
    if cls == "sync":
        if line.startswith("    ns:"):
            line = re.sub(r"\b([a-z]+):[0-9]+\b", r"\1:<n>", line)
        if line.startswith("\t"):
            line = re.sub(r"^\t\[[=]*>[.]*\]", lambda m: "\t[<bar>]" if len(m.group(0)) == 23 else m.group(0), line)
            line = line.replace(" (stalled)", "")
            line = re.sub(r" *[0-9][0-9.,:]*", " <n>", line)
    out.append(line)
sys.stdout.write("\n".join(out))
' "$1"
}

# mask_status CLASS <TEXT: the status as one word a line (drbdsetup wraps
# its lines by their length, which the numbers change), with the minor
# masked, with CLASS history the counters (read written al-writes bm-writes
# received sent: as in mask_proc), with CLASS sync every number (done: is
# the resync's progress, the rest as in mask_proc).
mask_status() {
  python3 -c '
import re, sys
cls = sys.argv[1]
for w in sys.stdin.read().split():
    w = re.sub(r"^minor:[0-9]+$", "minor:<n>", w)
    if cls == "history":
        w = re.sub(r"^(read|written|al-writes|bm-writes|received|sent):[0-9]+$", r"\1:<n>", w)
    if cls == "sync":
        w = re.sub(r"^([a-z-]+):[0-9.]+$", r"\1:<n>", w)
    print(w)
' "$1"
}

# same_proc CLASS A B WHAT / same_status CLASS A B WHAT: the masked texts of
# snapshot files A and B are the same (else show the difference).
same_text() {
  local kind=$1 cls=$2 a=$3 b=$4 what=$5
  "mask_$kind" "$cls" <"$SNAP/$a" >"$TEST_TMP/masked.a" || fail "mask_$kind $cls $a"
  "mask_$kind" "$cls" <"$SNAP/$b" >"$TEST_TMP/masked.b" || fail "mask_$kind $cls $b"
  grep -q 'role:\|ro:' "$TEST_TMP/masked.a" || fail "mask_$kind $cls $a: nothing left"
  diff -u --label "$a" --label "$b" "$TEST_TMP/masked.a" "$TEST_TMP/masked.b" >"$TEST_TMP/diff" ||
    { cat "$TEST_TMP/diff" >&2; fail "$kind: $what: umcd's differs from the kernel's"; }
}
same_proc() {
  same_text proc "$@"
  info "/proc/drbd, $4: identical to the kernel's but for the masked numbers"
}
same_status() { same_text status "$@"; }

# swap_sides <PROC: /proc/drbd as the other node would show the same pair:
# ro and ds halves swapped, ns and nr swapped.
swap_sides() {
  sed -e 's|ro:\([A-Za-z]*\)/\([A-Za-z]*\)|ro:\2/\1|' -e 's|ds:\([A-Za-z]*\)/\([A-Za-z]*\)|ds:\2/\1|' \
    -e 's|ns:\([0-9]*\) nr:\([0-9]*\)|ns:\2 nr:\1|'
}

# counters FILE: "ns nr dw dr al bm oos" of a /proc/drbd snapshot.
counters() {
  sed -n 's/^ *ns:\([0-9]*\) nr:\([0-9]*\) dw:\([0-9]*\) dr:\([0-9]*\) al:\([0-9]*\) bm:\([0-9]*\) .* oos:\([0-9]*\)$/\1 \2 \3 \4 \5 \6 \7/p' "$SNAP/$1"
}
# status_counters FILE: the same counters from a status snapshot.
status_counters() {
  local t k out=
  t=$(tr -s ' \n' '\n\n' <"$SNAP/$1")
  for k in sent received written read al-writes bm-writes out-of-sync; do
    out+="${out:+ }$(sed -n "s/^$k:\\([0-9]*\\)$/\\1/p" <<<"$t")"
  done
  echo "$out"
}
# proc_state FILE: "cs ro ds protocol flags" of a /proc/drbd snapshot.
proc_state() { sed -n 's/^ *[0-9]*: cs:\([^ ]*\) ro:\([^ ]*\) ds:\([^ ]*\) \(.\) \(.*\)$/\1 \2 \3 \4 \5/p' "$SNAP/$1"; }
# status_state FILE: "role disk peer-connection peer-role replication peer-disk".
status_state() {
  local t
  t=$(tr -s ' \n' '\n\n' <"$SNAP/$1")
  echo "$(sed -n '2s/^role://p' <<<"$t") $(sed -n 's/^disk://p' <<<"$t")" \
    "$(sed -n 's/^connection://p' <<<"$t") $(sed -n 's/^role://p' <<<"$t" | sed -n 2p)" \
    "$(sed -n 's/^replication://p' <<<"$t") $(sed -n 's/^peer-disk://p' <<<"$t")"
}

# set_rate RATE: the resync rate on both nodes (drbdadm adjust).
set_rate() {
  kp_write_res 'net { protocol C; }' "disk { c-plan-ahead 0; resync-rate $1; }"
  topo_must 0 adjust adjust "$TOPO_RES"
  must adjust.n1 gadm adjust "$TOPO_RES"
}
# syncing I: node I's /proc/drbd shows a resync's progress lines.
syncing() { grep -q "sync'ed:" <<<"$(kp_proc "$1")"; }
# snap_sync NAME: a snapshot while both nodes show the resync's progress
# (taken again if the resync moved on past it in between; 1 MiB/s leaves a
# minute).
snap_sync() {
  local n
  for n in 1 2 3; do
    wait_for 60 "the resync's progress in umcd's /proc/drbd" syncing 0
    wait_for 60 "the resync's progress in the kernel's /proc/drbd" syncing 1
    snap "$1"
    grep -q "sync'ed:" "$SNAP/$1.umcd.proc" && grep -q "sync'ed:" "$SNAP/$1.kernel.proc" && return 0
  done
  fail "no snapshot of both nodes while resyncing"
}

# al_resumed I: node I's /proc/drbd flags are r----- (AL updates not suspended).
al_resumed() { grep -q ' C r-----$' <<<"$(kp_proc "$1")"; }

kp_init umc_kp_fidelity
topo_start_node 0 d0=ram:size=64M
kp_guest_disk 64M
kp_boot
kp_write_res 'net { protocol C; }' 'disk { c-plan-ahead 0; resync-rate 1M; }'
kp_up
kp_wait 0 cstate Connected
kp_wait 1 cstate Connected
# Fresh meta-data suspends activity-log updates (flag s) until the first
# connection; DRBD's worker resumes them just after the state change.
wait_for 30 "umcd to resume AL updates" al_resumed 0
wait_for 30 "the kernel to resume AL updates" al_resumed 1
snap S0
D=$(( $(node_size_bytes 0) / 1024 )) W=8192

topo_must 0 primary primary --force "$TOPO_RES"
kp_wait 0 cstate SyncSource
snap_sync SYNC1
set_rate 40M
kp_wait 1 dstate UpToDate/UpToDate 180
kp_wait 0 dstate UpToDate/UpToDate
dd if=/dev/urandom of="$(node_dev 0)" bs=1M count=8 oflag=direct status=none || fail "umcd's 8 MiB"
kp_wait_idle
snap A

topo_must 0 secondary secondary "$TOPO_RES"
must primary.n1 gadm primary "$TOPO_RES"
must write.n1 guest "dd if=/dev/urandom of=$(guest_dev) bs=1M count=8 oflag=direct 2>&1"
kp_wait_idle
set_rate 1M
topo_must 0 invalidate invalidate "$TOPO_RES"
kp_wait 0 cstate SyncTarget
snap_sync SYNC2
set_rate 40M
kp_wait 0 dstate UpToDate/UpToDate 180
kp_wait 1 dstate UpToDate/UpToDate
kp_wait_idle
snap C
for f in "$SNAP"/*; do info "--- $(basename "$f")"; sed 's/^/#   /' "$f"; done

# --- states agree ------------------------------------------------------------
expect_eq "$(proc_state S0.umcd.proc)" "Connected Secondary/Secondary Inconsistent/Inconsistent C r-----" "umcd, S0"
expect_eq "$(proc_state S0.kernel.proc)" "Connected Secondary/Secondary Inconsistent/Inconsistent C r-----" "kernel, S0"
expect_eq "$(proc_state SYNC1.umcd.proc)" "SyncSource Primary/Secondary UpToDate/Inconsistent C r-----" "umcd, SYNC1"
expect_eq "$(proc_state SYNC1.kernel.proc)" "SyncTarget Secondary/Primary Inconsistent/UpToDate C r-----" "kernel, SYNC1"
expect_eq "$(proc_state A.umcd.proc)" "Connected Primary/Secondary UpToDate/UpToDate C r-----" "umcd, A"
expect_eq "$(proc_state A.kernel.proc)" "Connected Secondary/Primary UpToDate/UpToDate C r-----" "kernel, A"
expect_eq "$(proc_state SYNC2.umcd.proc)" "SyncTarget Secondary/Primary Inconsistent/UpToDate C r-----" "umcd, SYNC2"
expect_eq "$(proc_state SYNC2.kernel.proc)" "SyncSource Primary/Secondary UpToDate/Inconsistent C r-----" "kernel, SYNC2"
expect_eq "$(proc_state C.umcd.proc)" "Connected Secondary/Primary UpToDate/UpToDate C r-----" "umcd, C"
expect_eq "$(proc_state C.kernel.proc)" "Connected Primary/Secondary UpToDate/UpToDate C r-----" "kernel, C"
expect_eq "$(status_state A.umcd.status)" "Primary UpToDate Connected Secondary Established UpToDate" "umcd's status, A"
expect_eq "$(status_state A.kernel.status)" "Secondary UpToDate Connected Primary Established UpToDate" "kernel's status, A"
expect_eq "$(status_state SYNC2.umcd.status)" "Secondary Inconsistent Connected Primary SyncTarget UpToDate" "umcd's status, SYNC2"
expect_eq "$(status_state SYNC2.kernel.status)" "Primary UpToDate Connected Secondary SyncSource Inconsistent" "kernel's status, SYNC2"
expect_eq "$(status_state C.umcd.status)" "Secondary UpToDate Connected Primary Established UpToDate" "umcd's status, C"
expect_eq "$(status_state C.kernel.status)" "Primary UpToDate Connected Secondary Established UpToDate" "kernel's status, C"

# --- counters agree ------------------------------------------------------------
# "ns nr dw dr al bm oos"; al and bm: in A only umcd wrote as Primary.
read -r ns nr dw dr al bm oos <<<"$(counters A.umcd.proc)"
expect_eq "$ns $nr $dw $dr $oos" "$((D + W)) 0 $W $D 0" "umcd's ns nr dw dr oos in A"
read -r kns knr kdw kdr kal kbm koos <<<"$(counters A.kernel.proc)"
expect_eq "$kns $knr $kdw $kdr $koos" "0 $((D + W)) $((D + W)) 0 0" "the kernel's ns nr dw dr oos in A"
info "A: umcd ns $ns = kernel nr $knr = kernel dw $kdw; umcd dr $dr = D, dw $dw = W"
read -r ns nr dw dr al bm oos <<<"$(counters C.umcd.proc)"
expect_eq "$ns $nr $dw $dr $oos" "$((D + W)) $((D + W)) $((D + 2 * W)) $D 0" "umcd's ns nr dw dr oos in C"
expect_eq "$(counters C.kernel.proc)" "$nr $ns $dw $dr $al $bm $oos" "the kernel's ns nr dw dr al bm oos in C (umcd's, ns and nr crossed)"
info "C: both ns=nr=$ns dw=$dw dr=$dr al=$al bm=$bm"
for s in S0 A C; do
  for side in umcd kernel; do
    expect_eq "$(status_counters "$s.$side.status")" "$(counters "$s.$side.proc")" \
      "$side's status counters vs its /proc/drbd in $s"
  done
done

# --- fidelity: the same state, the same text ----------------------------------
for f in "$SNAP"/*.proc; do
  head -n 1 "$f" | grep -qx 'version: 8.4.11 (api:1/proto:86-101)' || fail "$(basename "$f"): $(head -n 1 "$f")"
done
same_proc plain S0.umcd.proc S0.kernel.proc "both Secondary, Inconsistent, Connected"
same_proc history A.umcd.proc C.kernel.proc "the Primary of an idle pair"
same_proc history C.umcd.proc A.kernel.proc "the Secondary of an idle pair"
same_proc sync SYNC1.umcd.proc SYNC2.kernel.proc "a SyncSource"
same_proc sync SYNC2.umcd.proc SYNC1.kernel.proc "a SyncTarget"
swap_sides <"$SNAP/C.kernel.proc" >"$SNAP/C.kernel-swapped.proc"
same_proc plain C.umcd.proc C.kernel-swapped.proc "after the same work, the kernel's lines with the sides swapped"
same_status plain S0.umcd.status S0.kernel.status "S0"
same_status history A.umcd.status C.kernel.status "the Primary"
same_status history C.umcd.status A.kernel.status "the Secondary"
same_status sync SYNC1.umcd.status SYNC2.kernel.status "a SyncSource"
same_status sync SYNC2.umcd.status SYNC1.kernel.status "a SyncTarget"
info "drbdsetup status --verbose --statistics: identical word for word but for the masked numbers"

size=$((D * 1024))
expect_eq "$(device_md5 "${NODE_ROOT[0]}/dev/d0" "$size")" "$(guest_md5 "$(guest_dev)" "$size")" "umcd's data vs the kernel's"
must secondary.n1 gadm secondary "$TOPO_RES"
topo_must 0 down down "$TOPO_RES"
must down.n1 gadm down "$TOPO_RES"
