#!/usr/bin/env bash
# Bad input from the network.  Two umcd nodes replicate (protocol C) through
# drbd_wire_proxy.py, which understands DRBD's framing and misbehaves on
# request; node 0 is Primary with ext4 and an application appending fsync'd
# records the whole time.  Cases:
#
#   garbage-data  64 bytes of garbage before a P_DATA to the Secondary
#   garbage-meta  garbage on the meta socket to the Primary (its ack receiver)
#   version-high  P_CONNECTION_FEATURES to node 1 says 200-200
#   version-low   P_CONNECTION_FEATURES to node 0 says 50-50
#   cut           a P_DATA to the Secondary cut in half, then the connection closed
#   stall         the Secondary's data stream stops being read at a P_DATA: the
#                 Primary's request stays unacknowledged and DRBD's request
#                 timer drops the connection after ko-count * timeout
#   stall-fill    the same with 16 MiB of writes behind it: the Primary's
#                 socket fills, its sender blocks and counts ko-count down
#
# In each case DRBD logs what it saw and drops the connection (or, for a
# foreign dialect, goes StandAlone as DRBD does); both umcd keep serving (the
# process lives, the FUSE tree answers, drbdsetup status works) and the
# Primary keeps acknowledging writes.  Then the proxy passes everything
# again; the nodes reconnect (`drbdadm connect` after StandAlone) and resync
# to UpToDate/UpToDate.  At the end both nodes hold the same bytes and every
# acknowledged record is on the Secondary.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
requires mkfs.ext4 -V

# Kept with the nodes' logs on failure (registered first: runs after
# topology_lib.sh has made the log directory).
PROXY_LOG="$TEST_TMP/proxy.log" PROXY_CTL="$TEST_TMP/proxy.ctl"
on_exit '[ "$rc" -eq 0 ] || cp "$PROXY_LOG" "$TEST_TMP/proxy.err" "${UMC_DRBD_LOG_DIR:-$UMC_BUILD/Testing/drbd-logs}/$TEST_NAME/"'
topo_init 2 umc_badpeer
topo_start_node 0 d0=ram:size=128M
topo_start_node 1 d0=ram:size=128M

# The proxy: PX[k] is where the peer of node k finds "node k".
alloc_port 'PX[0]'
alloc_port 'PX[1]'
# set_proxy_mode LINE: atomically (the proxy polls the file).
set_proxy_mode() { echo "$1" >"$PROXY_CTL.new" && mv "$PROXY_CTL.new" "$PROXY_CTL"; }
set_proxy_mode pass
: >"$PROXY_LOG"
python3 "$(dirname "$0")/drbd_wire_proxy.py" --control "$PROXY_CTL" --log "$PROXY_LOG" \
  --pidfile "$TEST_TMP/proxy.pid" --rcvbuf 65536 ${UMC_PROXY_RECORD:+--record "$UMC_PROXY_RECORD"} \
  "${PX[0]}:${NODE_PORT[0]}" "${PX[1]}:${NODE_PORT[1]}" 2>"$TEST_TMP/proxy.err" &
PROXY_PID=$!
on_exit "kill $PROXY_PID; wait $PROXY_PID"
wait_for 10 "the proxy to listen" test -s "$TEST_TMP/proxy.pid"

# Small timeouts so that a silent peer is given up on in seconds; retry
# every second.  Small socket buffers here and in the proxy (--rcvbuf), so
# that a few MiB in flight fill a stalled path.
topo_write_res 'net { protocol C; timeout 10; ko-count 2; ping-int 1; ping-timeout 5; connect-int 1; sndbuf-size 128k; }' \
  'disk { c-plan-ahead 0; resync-rate 200M; }'
# Each node its own drbd.conf: its own address is real, its peer's is the proxy.
for i in 0 1; do
  j=$((1 - i))
  sed "s/address 127.0.0.1:${NODE_PORT[j]};/address 127.0.0.1:${PX[j]};/" "$TOPO_CONF" >"$TEST_TMP/drbd.n$i.conf"
  grep -q "127.0.0.1:${PX[j]};" "$TEST_TMP/drbd.n$i.conf" || fail "no proxy address in node $i's drbd.conf"
done
# adm I ARGS...: drbdadm with node I's own drbd.conf (topology_lib.sh's
# helpers all go through adm).
adm() {
  local i=$1; shift
  on_node "$i" env LD_PRELOAD="$PRELOAD_LIB" UMC_FS_ROOT="${NODE_ROOT[i]}" \
    timeout "$DRBD_CMD_TIMEOUT" "$DRBDADM" -c "$TEST_TMP/drbd.n$i.conf" "$@" </dev/null
}

topo_up
topo_wait 0 cstate Connected
topo_must 0 primary primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate 120
grep -q ' data$' "$PROXY_LOG" || fail "the connection does not go through the proxy"

mnt="$TEST_TMP/mnt"
# ext4 in the first 96 MiB; the rest is for raw writes (stall-fill).
mkfs.ext4 -q -F -E nodiscard "$(node_dev 0)" 98304 || fail "mkfs.ext4 on node 0"
mount_loop "$(node_dev 0)" "$mnt"
# At most 100 records (400 KiB) a second: even 4 minutes (the test's
# bound) do not fill the 128 MiB.
start_ack_writer "$mnt/records" 100

node_log() { echo "$TEST_TMP/node$1/umcd.log"; }
log_lines() { wc -l <"$1"; }
# logged_since FILE MARK TEXT: TEXT is in FILE after its first MARK lines.
logged_since() { tail -n +$(($2 + 1)) "$1" | grep -q -- "$3"; }
acked() { wc -l <"$ACK_LOG"; }
# acked_beyond N: more than N records acknowledged; fails the test at once
# if the writer died (it stops only on an error).
acked_beyond() {
  kill -0 "$ACK_WRITER" 2>/dev/null || { cat "$TEST_TMP/writer.err" >&2; fail "the writer on the Primary died"; }
  [ "$(acked)" -gt "$1" ]
}

# both_serve: each umcd lives, its FUSE tree answers, drbdsetup status works;
# the writer on the Primary is still running.
both_serve() {
  local i
  for i in 0 1; do
    kill -0 "${NODE_PID[i]}" 2>/dev/null || fail "node $i's umcd died"
    is_mounted "${NODE_ROOT[i]}" || fail "node $i's FUSE tree is gone"
    cat "${NODE_ROOT[i]}/proc/drbd" >/dev/null || fail "node $i's proc/drbd does not answer"
    must "alive.n$i" setup "$i" status "$TOPO_RES"
  done
  [ -z "$ACK_WRITER" ] || kill -0 "$ACK_WRITER" 2>/dev/null ||
    { cat "$TEST_TMP/writer.err"; fail "the writer on the Primary died"; }
}

# bad_case NAME MODE: mark the logs (what follows is looked for after the
# mark), then switch the proxy to MODE.
bad_case() {
  local name=$1 mode=$2
  CASE_MARK=("$(log_lines "$(node_log 0)")" "$(log_lines "$(node_log 1)")")
  PROXY_MARK=$(log_lines "$PROXY_LOG")
  info "$name: proxy mode '$mode'"
  set_proxy_mode "$mode"
  wait_for 10 "the proxy to take mode '$mode'" logged_since "$PROXY_LOG" "$PROXY_MARK" "mode $mode"
}
# expect_drbd_log NODE TEXT [SECONDS]: DRBD on NODE logs TEXT (since the case
# began), within SECONDS (default 30).
expect_drbd_log() {
  wait_for "${3:-30}" "node $1 to log '$2'" logged_since "$(node_log "$1")" "${CASE_MARK[$1]}" "$2"
  info "node $1: $(tail -n +$((CASE_MARK[$1] + 1)) "$(node_log "$1")" | grep -m1 -- "$2" | cut -c1-160)"
}
# expect_proxy_log TEXT: the proxy did TEXT (since the case began).
expect_proxy_log() {
  wait_for 30 "the proxy to log '$1'" logged_since "$PROXY_LOG" "$PROXY_MARK" "$1"
}
# dump_state: what the nodes and the writer are doing (on a failure).
dump_state() {
  local i
  for i in 0 1; do echo "--- node $i"; node_proc "$i"; done
  echo "--- writer: $(cat /proc/"$ACK_WRITER"/wchan 2>/dev/null)"; cat /proc/"$ACK_WRITER"/stack 2>/dev/null
  tail -n 20 "$PROXY_LOG"
  if [ -n "${UMC_BADPEER_GDB:-}" ] && command -v gdb >/dev/null; then
    for i in 0 1; do
      gdb -p "${NODE_PID[i]}" -batch -ex 'thread apply all bt' >"${UMC_BADPEER_GDB}.n$i" 2>&1
    done
  fi
}
# writes_continue: the Primary acknowledges 50 more records, both serve.
writes_continue() {
  local a; a=$(acked)
  # (not wait_for: its subshell could not fail the test)
  local deadline=$(($(date +%s) + 60))
  until acked_beyond $((a + 50)); do
    [ "$(date +%s)" -lt $deadline ] || { dump_state; fail "the Primary acknowledged no 50 records in 60 s (from $a, now $(acked))"; }
    sleep 0.1
  done
  both_serve
}
# reconnected_after_trouble: since the case began, the proxy misbehaved and
# a data connection was made after that.
reconnected_after_trouble() {
  tail -n +$((PROXY_MARK + 1)) "$PROXY_LOG" | awk '
    / (garbage|features|cut|stall) conn / { bad = 1 }
    bad && / conn [0-9]+ to=[01] data$/ { ok = 1 }
    END { exit !ok }'
}
# heal [NODE...]: the proxy passes everything; NODEs (StandAlone) connect
# again; both reach Connected and UpToDate/UpToDate over a new connection.
heal() {
  local mark i
  mark=$(log_lines "$PROXY_LOG")
  set_proxy_mode pass
  wait_for 10 "the proxy to pass" logged_since "$PROXY_LOG" "$mark" "mode pass"
  for i in "$@"; do topo_must "$i" connect connect "$TOPO_RES"; done
  topo_wait 0 cstate Connected 60
  topo_wait 1 dstate UpToDate/UpToDate 120
  topo_wait 0 dstate UpToDate/UpToDate 30
  reconnected_after_trouble || fail "no new data connection after the proxy misbehaved"
  writes_continue
  info "healed: $(acked) records acknowledged so far; $(grep -c ' data$' "$PROXY_LOG") data connections"
}

# --- garbage on the data socket, after the handshake (before a P_DATA) ------
case_garbage_data() {
  bad_case garbage-data "garbage data to=1 cmd=0x00"
  expect_proxy_log "garbage conn .* to=1 data"
  expect_drbd_log 1 "Wrong magic value 0xa580efca"
  expect_drbd_log 1 "conn( .* -> ProtocolError )"
  writes_continue
  heal
}

# --- garbage on the meta socket to the Primary (its ack receiver) -----------
case_garbage_meta() {
  bad_case garbage-meta "garbage meta to=0 n=3"
  expect_proxy_log "garbage conn .* to=0 meta"
  expect_drbd_log 0 "Wrong magic value 0xa580efca"
  writes_continue
  heal
}

# --- a dialect DRBD refuses: the refusing node goes StandAlone --------------
# case_version NODE VERSION: P_CONNECTION_FEATURES to NODE says VERSION-VERSION.
case_version() {
  local node=$1 ver=$2 other=$((1 - $1))
  bad_case "version-$ver" "features to=$node min=$ver max=$ver"
  # Established connections keep their dialect: make a new handshake.
  topo_must 1 disconnect disconnect "$TOPO_RES"
  topo_must 1 connect connect "$TOPO_RES"
  expect_proxy_log "features conn .* to=$node .* 86-101 -> $ver-$ver"
  expect_drbd_log "$node" "incompatible DRBD dialects: I support 86-101, peer supports $ver-$ver"
  topo_wait "$node" cstate StandAlone 30
  # The other node keeps trying, as DRBD does when the peer goes away.
  wait_for 30 "node $other to wait for its peer" node_state_is "$other" cstate WFConnection
  writes_continue
  heal "$node"
}
case_version_high() { case_version 1 200; }
case_version_low() { case_version 0 50; }

# --- a P_DATA cut in half, then the connection closed -----------------------
case_cut() {
  bad_case cut "cut data to=1 cmd=0x00"
  expect_proxy_log "cut conn .* to=1 data"
  expect_drbd_log 1 "short read"
  writes_continue
  heal
}

# --- the Secondary stops reading: ko-count * timeout drops the connection ---
# (One fsync'd record is in flight at a time, so the socket does not fill:
# it is the request timer, drbd_req.c request_timer_fn, that gives up.)
case_stall() {
  bad_case stall "stall data to=1 cmd=0x00"
  expect_proxy_log "stall conn .* to=1 data"
  expect_drbd_log 0 "Remote failed to finish a request within .* ko-count (2) \\* timeout (10 \\* 0.1s)"
  expect_drbd_log 0 "conn( .* -> Timeout )"
  writes_continue
  heal
}

# --- the same with the Primary's send buffer filling ------------------------
# 16 MiB of direct writes by four writers at once to the device behind
# ext4, while the stall cycles on: more than the small socket buffers hold
# piles up behind a stalled stream (the writers' data and the resync after
# each reconnect; in the first cycle the writers wait behind the stalled
# request: the host serializes direct writes to one FUSE node), so DRBD's
# sender blocks in sendmsg, times out after
# `timeout` and counts ko-count down ("sock_sendmsg time expired, ko = 1");
# the connection is dropped when ko-count reaches 0 or by the request timer,
# whichever comes first (about the same time: both are ko-count * timeout),
# and the application's fsync completes.
case_stall_fill() {
  bad_case stall-fill "stall data to=1 cmd=0x00"
  expect_proxy_log "stall conn .* to=1 data"
  local k pids=()
  for k in 0 1 2 3; do
    dd if=/dev/urandom of="$(node_dev 0)" bs=1M count=4 seek=$((100 + 4 * k)) oflag=direct conv=notrunc \
      status=none 2>"$TEST_TMP/fill$k.err" &
    pids+=($!)
    on_exit "kill $!"
  done
  expect_drbd_log 0 "sock_sendmsg time expired, ko = 1" 60
  expect_drbd_log 0 "conn( .* -> \\(Timeout\\|BrokenPipe\\|NetworkFailure\\) )"
  for k in 0 1 2 3; do
    wait_for 60 "raw writer $k to finish" process_gone "${pids[k]}"
    wait "${pids[k]}" || { cat "$TEST_TMP/fill$k.err"; fail "raw writer $k on the Primary failed"; }
  done
  writes_continue
  heal
}

# UMC_BADPEER_CASES (e.g. "stall cut") runs some cases only, for debugging.
for c in ${UMC_BADPEER_CASES:-garbage_data garbage_meta version_high version_low cut stall stall_fill}; do
  "case_$c"
done

# --- nothing acknowledged is lost -------------------------------------------
kill -KILL "$ACK_WRITER"
wait "$ACK_WRITER" 2>/dev/null || true
ACK_WRITER=
info "$(acked) records acknowledged in all"
umount "$mnt"
# Everything the Primary wrote is replicated (UpToDate/UpToDate, no oos).
topo_wait 1 dstate UpToDate/UpToDate 60
wait_for 30 "no out-of-sync blocks on the Primary" sh -c "grep -q 'oos:0' '${NODE_ROOT[0]}/proc/drbd'"
size=$(node_size_bytes 0)
expect_eq "$(device_md5 "${NODE_ROOT[1]}/dev/d0" "$size")" "$(device_md5 "$(node_dev 0)" "$size")" \
  "the Secondary's data vs the Primary's device"
# The records on the Secondary's own copy (its backing disk, read-only).
# (-t: blkid would take the internal meta-data at its end for "drbd")
mount -t ext4 -o loop,ro,noload "${NODE_ROOT[1]}/dev/d0" "$mnt" || fail "mount node 1's d0"
on_exit "umount -l '$mnt'"
check_ack_records "$mnt/records"
umount "$mnt"
both_serve

topo_must 0 secondary secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
