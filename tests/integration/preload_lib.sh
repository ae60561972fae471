# Helpers shared by the preload_*.sh tests.  Source after lib.sh.
PRELOAD_LIB="$UMC_BUILD/tools/preload/libumc-preload.so"
[ -f "$PRELOAD_LIB" ] || fail "libumc-preload.so not built: $PRELOAD_LIB"

# with_shim ROOT CMD...: run CMD as `tools/umc drbdadm` does.
with_shim() {
  local root=$1; shift
  env LD_PRELOAD="$PRELOAD_LIB" UMC_FS_ROOT="$root" "$@"
}

# claim_drbd_minor N: drbd-utils keep per-minor host state in /var/lock and
# /var/lib/drbd; remove it at exit unless it was there before (then another
# user owns that minor and the test must not run on it).
claim_drbd_minor() {
  local n=$1 f
  for f in "/var/lock/drbd-147-$n" "/var/lib/drbd/drbd-minor-$n.lkbd"; do
    [ ! -e "$f" ] || fail "$f exists: minor $n is in use on this host"
    on_exit "rm -f '$f'"
  done
}

# fake_genl_name ROOT: the control socket name umcd binds for ROOT (docs/preload.md).
fake_genl_name() { echo "@umc-ctl:$(realpath "$1")"; }

# start_fake_genl ROOT ARGS...: serve ROOT's control socket with
# preload_fake_genl.py (ARGS: --family absent|drbd, --doit refuse|ok); it logs
# each message it receives to $GENL_LOG.  Stopped at exit or by stop_fake_genl.
start_fake_genl() {
  local root=$1; shift
  GENL_LOG="$TEST_TMP/genl.log"
  : >"$GENL_LOG"
  python3 "$(dirname "${BASH_SOURCE[0]}")/preload_fake_genl.py" --socket "$(fake_genl_name "$root")" \
    --log "$GENL_LOG" --pidfile "$TEST_TMP/genl.pid" "$@" || fail "fake genl server did not start"
  GENL_PID=$(cat "$TEST_TMP/genl.pid")
  on_exit "kill $GENL_PID"
}
stop_fake_genl() {
  kill "$GENL_PID"
  wait_for 10 "fake genl server to exit" process_gone "$GENL_PID"
}
