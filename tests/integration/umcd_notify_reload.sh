#!/usr/bin/env bash
# umcd under systemd's Type=notify, without systemd: notify_listener.py plays
# the manager's $NOTIFY_SOCKET (a path, then an abstract @name).  umcd -f
# sends READY=1 (with MAINPID) only once its tree is mounted, RELOADING=1 and
# READY=1 around a SIGHUP reload, STOPPING=1 when SIGTERM stops it.  A reload
# re-reads the config: a new log_level holds at once (a warning written at
# log_level error does not appear), a changed device is logged as needing a
# restart and changes nothing, a broken file is refused and the daemon runs on.
. "$(dirname "$0")/lib.sh"
requires_root
requires python3 --version
root="$TEST_TMP/root"
conf="$TEST_TMP/umcd.conf"

# write_conf LEVEL SIZE: the config with log_level LEVEL and a ram d0 of SIZE.
write_conf() {
  printf '[umcd]\nfs_root = %s\nstate_dir = %s.state\nlog_level = %s\n[device d0]\nbackend = ram\nsize = %s\n' \
    "$root" "$root" "$1" "$2" >"$conf"
}

# listen ADDR: start the listener on ADDR; its lines go to $nlog.
listen() {
  nlog="$TEST_TMP/notify.$RANDOM.log"
  : >"$nlog"
  rm -f "$TEST_TMP/listener.ready"
  python3 "$(dirname "$0")/notify_listener.py" --socket "$1" --root "$root" --log "$nlog" \
    --ready "$TEST_TMP/listener.ready" &
  local pid=$!
  on_exit "kill $pid"
  wait_for 10 "the notify listener" test -e "$TEST_TMP/listener.ready"
}
count() { grep -c "$1" "$nlog" || true; }
# hup: SIGHUP, then wait for the reload's READY=1 (one more than before).
hup() {
  local before; before=$(count '^READY=1')
  kill -HUP "$UMCD_PID"
  wait_for 30 "READY=1 after the reload" sh -c "[ \$(grep -c '^READY=1' '$nlog') -gt $before ]"
  grep -q '^RELOADING=1' "$nlog" || fail "no RELOADING=1 before the reload's READY=1"
  kill -0 "$UMCD_PID" || fail "umcd died on SIGHUP"
}
# stop_and_check: SIGTERM; STOPPING=1 arrives, umcd exits 0.
stop_and_check() {
  kill -TERM "$UMCD_PID"
  local rc=0
  wait "$UMCD_PID" || rc=$?
  expect_eq "$rc" 0 "umcd's exit status"
  grep -q '^STOPPING=1' "$nlog" || fail "no STOPPING=1: $(cat "$nlog")"
}

for addr in "$TEST_TMP/notify.sock" "@umc-notify-$$"; do
  info "NOTIFY_SOCKET=$addr: READY=1 once the tree is served"
  listen "$addr"
  write_conf info 16M
  NOTIFY_SOCKET=$addr start_umcd_fg "$conf"
  wait_for 30 "READY=1" grep -q '^READY=1' "$nlog"
  cat "$nlog"
  expect_eq "$(head -n 1 "$nlog")" "READY=1 MAINPID=$UMCD_PID mounted=yes" "the first notification"
  [ "$addr" = "$TEST_TMP/notify.sock" ] || { stop_and_check; continue; }

  info "reload: log_level info -> error and d0 resized: the level applies, the device needs a restart"
  write_conf error 32M
  hup
  wait_for 10 "the reload in the log" grep -q "reload: log_level info -> error" "$TEST_TMP/umcd.log"
  wait_for 10 "the device change in the log" \
    grep -q "reload: device d0 ram:size=16M -> ram:size=32M: needs a restart" "$TEST_TMP/umcd.log"

  info "reload at log_level error: the warning about d0 is not written"
  write_conf error 48M
  hup
  info "reload: back to info; d0 changed again, and this time it is logged"
  write_conf info 64M
  hup
  wait_for 10 "the reload in the log" grep -q "reload: log_level error -> info" "$TEST_TMP/umcd.log"
  wait_for 10 "the device change in the log" \
    grep -q "reload: device d0 ram:size=16M -> ram:size=64M: needs a restart" "$TEST_TMP/umcd.log"
  expect_file_lacks "$TEST_TMP/umcd.log" "size=48M" "a warning was written at log_level error"
  expect_eq "$(stat -c %s "$root/dev/d0")" $((16 << 20)) "d0's size (a reload does not change devices)"

  info "reload of a broken config: refused, umcd runs on"
  echo "this is not a setting" >>"$conf"
  hup
  wait_for 10 "the refusal in the log" grep -q "keeping the running configuration" "$TEST_TMP/umcd.log"
  is_mounted "$root" || fail "$root is no longer mounted after a refused reload"
  stop_and_check
done
