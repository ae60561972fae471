# The one vocabulary of the shell tests; every test script sources it first
# thing, and the layer libraries (preload_lib.sh, drbd_lib.sh,
# topology_lib.sh, install_lib.sh, kernel_peer_lib.sh) build on it:
#
#   . "$(dirname "$0")/lib.sh"
#   requires mkfs.ext4 -V               # or skip "REASON": exit 77, ctest SKIP
#   start_umcd CONFIG                   # undone at exit (on_exit)
#   wait_for 10 "WHAT" CMD...           # a condition with a deadline
#   must NAME CMD...; expect_text NAME "TEXT"
#   expect_eq "$got" "$want" "WHAT"; expect_file_contains FILE "TEXT"
#
# Every resource a test makes (daemons, mounts, loop devices, network
# namespaces, temp dirs, minors, ports) is registered with `on_exit` and
# undone by `cleanup`, which runs on any exit — pass, fail, or a signal, last
# registered first.  Waiting is always for an event with a deadline
# (`wait_for`, `wait_for_quiet`, `logged`), never a bare sleep.  Checks are
# `expect_*` (or `fail` with a message).
set -euo pipefail

: "${UMC_BUILD:?UMC_BUILD must point at the build directory (ctest sets it)}"
TEST_NAME=$(basename "$0" .sh)
TEST_TMP=$(mktemp -d "/tmp/umc-$TEST_NAME.XXXXXX")
_cleanups=()

# on_exit CMD...: run CMD at exit, last registered first.
on_exit() { _cleanups+=("$*"); }

cleanup() {
  local rc=$? i
  set +e
  for ((i=${#_cleanups[@]}-1; i>=0; i--)); do eval "${_cleanups[$i]}" >/dev/null 2>&1; done
  rm -rf "$TEST_TMP"
  case $rc in 0) echo "PASS: $TEST_NAME" ;; 77) ;; *) echo "FAIL: $TEST_NAME (exit $rc)" ;; esac
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
info() { echo "# $*"; }

# skip REASON: end the test as skipped (ctest SKIP_RETURN_CODE 77); what it
# made so far is undone as on any exit.
skip() { echo "SKIP: $TEST_NAME: $*"; exit 77; }
# requires CMD...: skip the test unless CMD runs.
requires() { "$@" >/dev/null 2>&1 || skip "needs: $*"; }
requires_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }

# wait_for_quiet SECONDS CMD...: until CMD succeeds; returns 1 after SECONDS
# (for callers that say more on a timeout).  Re-checks on a short back-off;
# the deadline bounds it, the check decides.
wait_for_quiet() {
  local secs=$1; shift
  local deadline=$(( $(date +%s%N) + secs * 1000000000 )) delay=0.01
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt $deadline ] || return 1
    sleep "$delay"
    delay=$(awk -v d="$delay" 'BEGIN { d *= 2; print (d > 0.2 ? 0.2 : d) }')
  done
}
# wait_for SECONDS DESCRIPTION CMD...: until CMD succeeds, or fail after SECONDS.
wait_for() {
  local secs=$1 what=$2; shift 2
  wait_for_quiet "$secs" "$@" || fail "timed out after ${secs}s waiting for $what"
}
# logged FILE TEXT: TEXT (a fixed string) is in FILE, or appears within 10 s:
# umcd's log reaches its file in flushes, every 0.5 s.
logged() { wait_for_quiet 10 grep -qF -- "$2" "$1"; }

# ---- expectations -----------------------------------------------------------
# expect_eq GOT WANT [WHAT]
expect_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"; }
# expect_contains TEXT PART [WHAT]: TEXT contains PART (a fixed string).
expect_contains() {
  case $1 in *"$2"*) ;; *) fail "${3:-text}: no '$2' in: $1" ;; esac
}
# expect_file_contains FILE TEXT [WHAT] / expect_file_lacks FILE TEXT [WHAT]:
# FILE has (has no) TEXT, a fixed string, in some line; on failure FILE is shown.
expect_file_contains() {
  grep -qF -- "$2" "$1" 2>/dev/null || { cat "$1" >&2 2>/dev/null; fail "${3:-$1}: no '$2' in it"; }
}
expect_file_lacks() {
  ! grep -qF -- "$2" "$1" 2>/dev/null || { grep -F -- "$2" "$1" >&2; fail "${3:-$1}: unexpected '$2' in it"; }
}
# expect_file_line FILE LINE [WHAT]: FILE has LINE as a whole line.
expect_file_line() {
  grep -qxF -- "$2" "$1" 2>/dev/null || { cat "$1" >&2 2>/dev/null; fail "${3:-$1}: no line '$2' in it"; }
}

# run_capture NAME CMD...: run CMD, keep stdout in $TEST_TMP/NAME.out, stderr
# in $TEST_TMP/NAME.err, both in $TEST_TMP/NAME.all; the exit status in
# CAPTURE_RC.  Never fails by itself.
run_capture() {
  local name=$1; shift
  CAPTURE_RC=0
  "$@" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" </dev/null || CAPTURE_RC=$?
  cat "$TEST_TMP/$name.out" "$TEST_TMP/$name.err" >"$TEST_TMP/$name.all"
}
# must NAME CMD...: run_capture, and fail (showing the output) unless CMD
# exits 0.
must() {
  local name=$1; shift
  run_capture "$name" "$@"
  [ "$CAPTURE_RC" -eq 0 ] || { cat "$TEST_TMP/$name.all" >&2; fail "$* exited $CAPTURE_RC"; }
}
# expect_rc NAME RC: the last run_capture NAME exited RC.
expect_rc() {
  [ "$CAPTURE_RC" -eq "$2" ] || { cat "$TEST_TMP/$1.all" >&2; fail "$1: expected exit $2, got $CAPTURE_RC"; }
}
# expect_line NAME LINE / expect_text NAME TEXT / expect_no_text NAME TEXT:
# the combined output of run_capture NAME has LINE as a whole line / has
# TEXT / has no TEXT.
expect_line() { expect_file_line "$TEST_TMP/$1.all" "$2" "$1"; }
expect_text() { expect_file_contains "$TEST_TMP/$1.all" "$2" "$1"; }
expect_no_text() {
  ! grep -qF -- "$2" "$TEST_TMP/$1.all" ||
    { cat "$TEST_TMP/$1.all" >&2; fail "$1: unexpected '$2' in the output above"; }
}
# expect_fail CMD...: CMD must exit nonzero (its output is in
# $TEST_TMP/expect_fail.all).
expect_fail() {
  run_capture expect_fail "$@"
  [ "$CAPTURE_RC" -ne 0 ] || { cat "$TEST_TMP/expect_fail.all" >&2; fail "expected failure: $*"; }
}
# expect_output_contains TEXT CMD...: CMD's combined output must contain TEXT
# (whatever its exit status).
expect_output_contains() {
  local text=$1; shift
  run_capture expect_output "$@"
  grep -qF -- "$text" "$TEST_TMP/expect_output.all" ||
    { cat "$TEST_TMP/expect_output.all" >&2; fail "output of '$*' lacks '$text'"; }
}

is_mounted() { findmnt -n "$1" >/dev/null 2>&1; }

# ---- DRBD minors and TCP ports ---------------------------------------------
# Handed out here, never written into a test: every test on this host (any
# build directory, any `ctest -j`) claims its ids in $UMC_TEST_IDS under one
# lock, a file per id holding the owner's pid, removed at exit.  A claim whose
# owner is gone (a test killed before its cleanup) is taken over.  Call these
# in the test's own shell, not in $(...): the release is an on_exit.
UMC_TEST_IDS=${UMC_TEST_IDS:-/tmp/umc-test-ids}

# alloc_minor VAR [N]: VAR = the first of N (default 1) consecutive free minors.
alloc_minor() { claim_ids "$1" minor 100 1099 "${2:-1}"; }
# alloc_port VAR: VAR = a free TCP port on this host, outside the ephemeral
# range (so no connect() gets it as its local port meanwhile).  Nothing
# listens on it now; a peer's port that nobody opens stays refused.
alloc_port() { claim_ids "$1" port 20000 29999 1 port_free; }

# port_free PORT: nothing holds 127.0.0.1:PORT.
port_free() {
  python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

# claim_ids VAR KIND FIRST LAST N [CHECK...]: claim the first block of N
# consecutive ids of KIND in FIRST..LAST that nobody holds (and for which
# `CHECK... ID` succeeds); VAR is set to its first id.
claim_ids() {
  local var=$1 kind=$2 first=$3 last=$4 n=$5 dir=$UMC_TEST_IDS id k owner ok lock; shift 5
  mkdir -p "$dir"
  exec {lock}>>"$dir/lock"
  flock "$lock"
  for ((id = first; id + n - 1 <= last; id += n)); do
    ok=1
    for ((k = id; k < id + n; k++)); do
      owner=$(cat "$dir/$kind-$k" 2>/dev/null) || owner=
      if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then ok=0; break; fi
      if [ $# -gt 0 ] && ! "$@" "$k"; then ok=0; break; fi
    done
    [ "$ok" = 1 ] || continue
    for ((k = id; k < id + n; k++)); do
      echo $$ >"$dir/$kind-$k"
      on_exit "rm -f '$dir/$kind-$k'"
    done
    exec {lock}>&-
    printf -v "$var" %s "$id"
    return 0
  done
  exec {lock}>&-
  fail "no $n free ${kind}s in $first..$last ($dir)"
}

# mount_loop IMAGE DIR [OPTS]: mount with a loop device, undone at exit.
mount_loop() {
  mkdir -p "$2"
  mount -o "loop${3:+,$3}" "$1" "$2"
  on_exit "umount -l '$2'"
}

# ---- umcd -----------------------------------------------------------------
UMCD="$UMC_BUILD/tools/umcd/umcd"

# write_umcd_config FILE ROOT [DEVICE-SECTION-LINES...]: a config with
# fs_root ROOT and state_dir ROOT.state (each daemon its own drbd-utils host
# state, so tests run in parallel); each further argument is one line (e.g.
# "[device d0]"; a "state_dir = ..." or "node_name = ..." first overrides).
write_umcd_config() {
  local file=$1 root=$2; shift 2
  { printf '[umcd]\nfs_root = %s\nstate_dir = %s.state\nlog_level = debug\n' "$root" "$root"
    printf '%s\n' "$@"; } >"$file"
}

# start_umcd CONFIG [LOG]: start a daemon in the background mode (umcd returns
# once it serves), stopped and unmounted at exit.  Logs to LOG (default
# $TEST_TMP/umcd.log).  Sets UMCD_ROOT, UMCD_STATE_DIR and UMCD_PID.
start_umcd() {
  local config=$1 log=${2:-$TEST_TMP/umcd.log}
  UMCD_ROOT=$(sed -n 's/^fs_root *= *//p' "$config")
  UMCD_STATE_DIR=$(sed -n 's/^state_dir *= *//p' "$config" | tail -n 1)
  local pidfile="$TEST_TMP/umcd.$RANDOM.pid"
  "$UMCD" -c "$config" --log-file "$log" --pidfile "$pidfile" ||
    { cat "$log" >&2 2>/dev/null; fail "umcd did not start"; }
  UMCD_PID=$(cat "$pidfile")
  on_exit "stop_umcd $UMCD_PID '$UMCD_ROOT'"
}

# stop_umcd PID ROOT: SIGTERM, then wait (bounded) for exit and unmount.
stop_umcd() {
  local pid=$1 root=$2
  kill -TERM "$pid" 2>/dev/null || true
  wait_for 30 "umcd $pid to exit" process_gone "$pid"
  if is_mounted "$root"; then umount -l "$root"; fail "umcd left $root mounted"; fi
}

# kill_umcd PID ROOT: SIGKILL (a crash); the FUSE mount is lazily detached.
kill_umcd() {
  kill -KILL "$1" 2>/dev/null || true
  wait_for 10 "umcd $1 to die" process_gone "$1"
  wait_for 10 "$2 to be unmounted" sh -c "! findmnt -n '$2'"
}

# ---- more helpers (fio, foreground daemons, loop devices) -------------------

# run_fio NAME FIO-ARGS...: run fio with JSON output to $TEST_TMP/NAME.json;
# fail (showing the output) unless fio exits 0 and every job reports error 0.
run_fio() {
  local name=$1; shift
  local out="$TEST_TMP/$name.json"
  if ! fio --output-format=json --output="$out" "$@" >"$TEST_TMP/$name.err" 2>&1; then
    cat "$TEST_TMP/$name.err" "$out" >&2 2>/dev/null
    fail "fio $name failed"
  fi
  local bad
  bad=$(fio_json "$out" 'sum(1 for j in d["jobs"] if j["error"] != 0)')
  [ "$bad" = 0 ] || { cat "$out" >&2; fail "fio $name: $bad job(s) with errors"; }
}

# fio_json FILE EXPR: evaluate a Python expression over fio's JSON output `d`
# (fio may print notes before the JSON; they are skipped).
fio_json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
d = json.loads(text[text.index("{"):])
print(eval(sys.argv[2]))
PY
}

# start_umcd_fg CONFIG: start umcd in the foreground mode as a child of this
# shell (so `wait` gives its exit status); returns once it serves.  Sets
# UMCD_ROOT and UMCD_PID; stopped and unmounted at exit.
start_umcd_fg() {
  local config=$1
  UMCD_ROOT=$(sed -n 's/^fs_root *= *//p' "$config")
  local pidfile="$TEST_TMP/umcd.$RANDOM.pid"
  "$UMCD" -c "$config" -f --log-file "$TEST_TMP/umcd.log" --pidfile "$pidfile" </dev/null &
  UMCD_PID=$!
  on_exit "reap_umcd $UMCD_PID '$UMCD_ROOT'"
  wait_for 30 "umcd $UMCD_PID to serve" sh -c "[ -s '$pidfile' ] || ! kill -0 $UMCD_PID"
  [ -s "$pidfile" ] || { cat "$TEST_TMP/umcd.log" >&2; fail "umcd -f did not start"; }
}

# reap_umcd PID ROOT: for cleanup (never fails): SIGTERM, up to 30 s for the
# exit, then SIGKILL; detach ROOT if anything is still mounted there.  A pid
# that no longer is an umcd (reaped and reused) is left alone.
reap_umcd() {
  local pid=$1 root=$2
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q umcd; then
    ! is_mounted "$root" || umount -l "$root"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null
  wait_for_quiet 30 process_gone "$pid" || kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  ! is_mounted "$root" || umount -l "$root"
  return 0
}

# process_gone PID: PID has exited.  The daemon was reparented when it
# detached, so it stays a zombie until init reaps it; that counts as gone
# (kill -0 alone would wait for init's next reaping round).
process_gone() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
  case $state in Z*) return 0 ;; *) return 1 ;; esac
}

# loop_of DIR: the loop device mounted at DIR.
loop_of() { findmnt -n -o SOURCE "$1"; }

# backend_available NAME: umcd offers backend NAME.
backend_available() { "$UMCD" --list-backends | awk '{print $1}' | grep -qx "$1"; }

# collect_sanitizer_reports: from here on, ASan/LSan/UBSan reports of the
# programs the test starts (a background umcd has no stderr to speak of) go to
# $TEST_TMP/sanitizer.<pid>; expect_no_sanitizer_reports fails on any.  A
# daemon reports leaks when it exits, so stop it before checking.
collect_sanitizer_reports() {
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TEST_TMP/sanitizer"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TEST_TMP/sanitizer:print_stacktrace=1"
}
expect_no_sanitizer_reports() {
  local f
  for f in "$TEST_TMP"/sanitizer.*; do
    [ -e "$f" ] || continue
    cat "$f" >&2
    fail "sanitizer report: $f"
  done
}

# start_ack_writer FILE [RATE]: run ack_records.py writing FILE in the
# background (killed at exit), at most RATE records a second if given;
# acknowledged record numbers go to $ACK_LOG.  Sets ACK_WRITER (pid).  Waits
# for 200 acknowledged records.
start_ack_writer() {
  ACK_LOG="$TEST_TMP/acked"
  : >"$ACK_LOG"
  python3 "$(dirname "${BASH_SOURCE[0]}")/ack_records.py" write "$1" "$ACK_LOG" ${2:+"$2"} 2>"$TEST_TMP/writer.err" &
  ACK_WRITER=$!
  on_exit "kill -KILL $ACK_WRITER; wait $ACK_WRITER"
  wait_for 60 "200 acknowledged records" sh -c "[ \$(wc -l <'$ACK_LOG') -ge 200 ]"
}

# ack_writer_died: after its device died, the writer must fail (bounded wait).
ack_writer_died() {
  wait_for 30 "the writer to notice the dead device" process_gone "$ACK_WRITER"
  local rc=0
  wait "$ACK_WRITER" || rc=$?
  [ "$rc" -ne 0 ] || fail "the writer ended without an error"
  info "writer stopped with: $(tail -n 1 "$TEST_TMP/writer.err")"
  info "$(wc -l <"$ACK_LOG") records were acknowledged in all"
}

# check_ack_records FILE: every acknowledged record is in FILE, intact.
check_ack_records() {
  python3 "$(dirname "${BASH_SOURCE[0]}")/ack_records.py" check "$1" "$ACK_LOG" || fail "acknowledged data lost"
}
