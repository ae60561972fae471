# shellcheck shell=bash
# Helpers shared by the drbd_*.sh tests: Debian's unmodified drbd-utils 9.22
# (drbdadm -> drbdadm-84 -> drbdsetup-84 / drbdmeta) driving the DRBD 8.4.11
# that umcd hosts, through libumc-preload.so.  Source after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/preload_lib.sh"
#   . "$(dirname "$0")/drbd_lib.sh"
#   drbd_test_init 201 umc_t_up          # minor, resource name (both unique per test)
#   start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
#   write_drbd_res "$DRBD_ROOT/dev/d0" internal
#   drbdadm_umc create-md "$DRBD_RES"; drbdadm_umc up "$DRBD_RES"
#   expect_eq "$(drbdadm_umc role "$DRBD_RES")" "Secondary/Unknown" "role"
#
# drbd-utils keep per-minor and per-resource host state outside UMC_FS_ROOT
# (/var/lock/drbd-147-N, /var/lib/drbd/drbd-minor-N.lkbd,
# /var/run/drbd/drbd-{minor-N,resource-R}.conf).  With umcd running, the
# preload maps them into the node's state_dir (write_umcd_config: ROOT.state),
# so each test's daemon has its own.  Every test still uses its own minor and
# resource name (see the table below) and claims the host paths with
# drbd_test_init (removed at exit): should the mapping ever fail, tests still
# do not collide with each other or with the preload_* tests (minor 244),
# whose fake control socket publishes no node and so uses the host paths.
# Minors in use:
#
#   201 drbd_up_status           207 drbd_resize
#   202 drbd_primary_ext4        208 drbd_events2
#   203 drbd_secondary_readonly  209 drbd_wait_connect
#   204 drbd_down_up_persist     210 drbd_kill9_apply_al
#   205 drbd_usermode_helper     211-213 drbd_bad_input
#   206 drbd_adjust              214 drbd_external_md
#   230 drbd_leak_free_shutdown  215 drbd_module_params
#   231 drbd_fio_verify
#                                216 drbd_resize_online
#                                217 drbd_sigterm_in_use
#                                218-219 drbd_two_nodes
#                                220 install_drbd
#
# (resource names: umc_t_*, one per test, plus umc_t_small/umc_t_nodisk).
#
# Waiting is always for a state (wait_drbd_state, wait_for), never a bare sleep.

DRBDADM=/sbin/drbdadm                 # reads the mapped /proc/drbd, execs drbdadm-84
DRBDSETUP=/lib/drbd/drbdsetup-84      # the 8.4 one directly, as `tools/umc drbdsetup`
DRBDMETA=/sbin/drbdmeta
# Bound for one drbd-utils command.  The kernel answers every config request
# at once; only wait-connect/events2 block, and they get their own bound.
DRBD_CMD_TIMEOUT=${DRBD_CMD_TIMEOUT:-60}

# drbd_requirements: root, drbd-utils 8.4 userland, python3 (port picking).
drbd_requirements() {
  requires_root
  requires test -x "$DRBDADM"
  requires test -x /lib/drbd/drbdadm-84
  requires test -x "$DRBDSETUP"
  requires test -x "$DRBDMETA"
  requires python3 --version
}

# claim_drbd_resource NAME: drbdadm registers each resource it brings up in
# /var/run/drbd/drbd-resource-NAME.conf; refuse to run over another user's,
# remove ours at exit.
claim_drbd_resource() {
  local f="/var/run/drbd/drbd-resource-$1.conf"
  [ ! -e "$f" ] && [ ! -L "$f" ] || fail "$f exists: resource $1 is in use on this host"
  on_exit "rm -f '$f'"
}

# claim_drbd_minor_all N: claim_drbd_minor (lock + lkbd) plus the drbdadm
# registration /var/run/drbd/drbd-minor-N.conf.
claim_drbd_minor_all() {
  local f="/var/run/drbd/drbd-minor-$1.conf"
  claim_drbd_minor "$1"
  [ ! -e "$f" ] && [ ! -L "$f" ] || fail "$f exists: minor $1 is in use on this host"
  on_exit "rm -f '$f'"
}

# drbd_test_init MINOR RESOURCE: check requirements, claim the host state of
# MINOR and RESOURCE, pick two loopback ports (ours and the absent peer's).
# Sets DRBD_MINOR, DRBD_RES, DRBD_DEV (/dev/drbdN as the tools say it),
# DRBD_PORT, DRBD_PEER_PORT, DRBD_CONF.
drbd_test_init() {
  drbd_requirements
  DRBD_MINOR=$1 DRBD_RES=$2
  # Runs last (registered first): on failure keep umcd's log and the tools'
  # outputs, which die with $TEST_TMP.  $rc is cleanup()'s exit status.
  on_exit '[ "$rc" -eq 0 ] || drbd_keep_logs'
  claim_drbd_minor_all "$DRBD_MINOR"
  claim_drbd_resource "$DRBD_RES"
  DRBD_DEV="/dev/drbd$DRBD_MINOR"
  DRBD_PORT=$(drbd_free_port)
  DRBD_PEER_PORT=$(drbd_free_port)
  while [ "$DRBD_PEER_PORT" = "$DRBD_PORT" ]; do DRBD_PEER_PORT=$(drbd_free_port); done
  DRBD_CONF="$TEST_TMP/drbd.conf"
}

# drbd_keep_logs: copy umcd's log and every *.all/*.out/*.err of this run to
# $UMC_DRBD_LOG_DIR/TEST_NAME (default: $UMC_BUILD/Testing/drbd-logs).
drbd_keep_logs() {
  local dir=${UMC_DRBD_LOG_DIR:-$UMC_BUILD/Testing/drbd-logs}/$TEST_NAME
  rm -rf "$dir" && mkdir -p "$dir" || return 0
  cp "$TEST_TMP"/umcd*.log "$TEST_TMP"/*.all "$TEST_TMP"/*.conf "$dir"/ 2>/dev/null
  echo "# kept logs in $dir" >&2
}

# drbd_free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
# The peer's port stays closed for the whole test: DRBD's connect attempts get
# ECONNREFUSED, which is an unreachable peer without leaving loopback.
drbd_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# device_config_lines SPEC...: umcd's config sections for each device SPEC,
# NAME=BACKEND:KEY=VALUE[:KEY=VALUE...], one line an element of DEVICE_LINES.
device_config_lines() {
  local spec name rest kv kvs
  DEVICE_LINES=()
  for spec in "$@"; do
    name=${spec%%=*} rest=${spec#*=}
    DEVICE_LINES+=("[device $name]" "backend = ${rest%%:*}")
    [ "$rest" = "${rest%%:*}" ] && continue
    IFS=: read -ra kvs <<<"${rest#*:}"
    for kv in "${kvs[@]}"; do DEVICE_LINES+=("${kv%%=*} = ${kv#*=}"); done
  done
}

# start_drbd_node ROOT SPEC...: start umcd serving ROOT with one backing device
# per SPEC, NAME=BACKEND:KEY=VALUE[:KEY=VALUE...] (e.g. d0=ram:size=64M,
# md0=uring:path=/x/md.img).  Uses start_umcd (stopped at exit, after every
# later cleanup, e.g. `drbdadm down`).  Sets DRBD_ROOT and DRBD_UMCD_CONF.
start_drbd_node() {
  local root=$1; shift
  device_config_lines "$@"
  DRBD_UMCD_CONF="$TEST_TMP/umcd.conf"
  write_umcd_config "$DRBD_UMCD_CONF" "$root" "${DEVICE_LINES[@]}"
  start_umcd "$DRBD_UMCD_CONF"
  DRBD_ROOT=$UMCD_ROOT
}

# restart_drbd_node: start umcd again with the same config (after stop_umcd or
# kill_umcd); DRBD starts empty, as after a reboot.
restart_drbd_node() {
  start_umcd "$DRBD_UMCD_CONF"
  DRBD_ROOT=$UMCD_ROOT
}

# write_drbd_res DISK META [LINE...]: write $DRBD_CONF with one resource
# $DRBD_RES on minor $DRBD_MINOR: DISK (a FUSE path, $DRBD_ROOT/dev/NAME), META
# ("internal" or a FUSE path), any further LINEs inside the resource section
# (e.g. 'net { ping-int 7; }'), this host on 127.0.0.1:$DRBD_PORT and a peer
# that never answers on 127.0.0.1:$DRBD_PEER_PORT.
write_drbd_res() {
  local disk=$1 meta=$2; shift 2
  {
    echo "global { usage-count no; }"
    echo "resource $DRBD_RES {"
    echo "  device $DRBD_DEV minor $DRBD_MINOR;"
    echo "  disk $disk;"
    echo "  meta-disk $meta;"
    local l
    for l in "$@"; do echo "  $l"; done
    echo "  on $(uname -n) { address 127.0.0.1:$DRBD_PORT; }"
    echo "  on umc-peer-$DRBD_RES { address 127.0.0.1:$DRBD_PEER_PORT; }"
    echo "}"
  } >"$DRBD_CONF"
}

# drbdadm_umc ARGS / drbdsetup_umc ARGS / drbdmeta_umc ARGS: the tools exactly
# as `tools/umc drbdadm|drbdsetup|drbdmeta` runs them (LD_PRELOAD + UMC_FS_ROOT),
# drbdadm with -c $DRBD_CONF.  stdin is /dev/null: nothing may wait for a tty.
drbdadm_umc() {
  with_shim "$DRBD_ROOT" timeout "$DRBD_CMD_TIMEOUT" "$DRBDADM" -c "$DRBD_CONF" "$@" </dev/null
}
drbdsetup_umc() {
  with_shim "$DRBD_ROOT" timeout "$DRBD_CMD_TIMEOUT" "$DRBDSETUP" "$@" </dev/null
}
drbdmeta_umc() {
  with_shim "$DRBD_ROOT" timeout "$DRBD_CMD_TIMEOUT" "$DRBDMETA" "$@" </dev/null
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
# exits 0.  The first failing netlink call of a umcd without DRBD shows up
# here, with the tool's own message.
must() {
  local name=$1; shift
  run_capture "$name" "$@"
  [ "$CAPTURE_RC" -eq 0 ] || { cat "$TEST_TMP/$name.all" >&2; fail "$* exited $CAPTURE_RC"; }
}

# expect_rc NAME RC: the last run_capture NAME exited RC.
expect_rc() {
  [ "$CAPTURE_RC" -eq "$2" ] || { cat "$TEST_TMP/$1.all" >&2; fail "$1: expected exit $2, got $CAPTURE_RC"; }
}

# expect_line NAME LINE: the combined output of run_capture NAME has LINE as a
# whole line.
expect_line() {
  grep -qxF -- "$2" "$TEST_TMP/$1.all" ||
    { cat "$TEST_TMP/$1.all" >&2; fail "$1: no line '$2' in the output above"; }
}

# expect_text NAME TEXT: the combined output of run_capture NAME contains TEXT.
expect_text() {
  grep -qF -- "$2" "$TEST_TMP/$1.all" ||
    { cat "$TEST_TMP/$1.all" >&2; fail "$1: no '$2' in the output above"; }
}

# expect_no_text NAME TEXT
expect_no_text() {
  ! grep -qF -- "$2" "$TEST_TMP/$1.all" ||
    { cat "$TEST_TMP/$1.all" >&2; fail "$1: unexpected '$2' in the output above"; }
}

# drbd_query WHAT [RES]: the one-line answer of `drbdadm WHAT RES` (role,
# cstate, dstate); empty if the command fails.
drbd_query() {
  drbdadm_umc "$1" "${2:-$DRBD_RES}" 2>/dev/null
}

# drbd_state_is WHAT EXPECTED [RES]
drbd_state_is() { [ "$(drbd_query "$1" "${3:-$DRBD_RES}")" = "$2" ]; }

# wait_drbd_state WHAT EXPECTED [RES]: poll `drbdadm WHAT` until it prints
# EXPECTED (30 s bound); on timeout show what it last said.
wait_drbd_state() {
  local what=$1 expected=$2 res=${3:-$DRBD_RES}
  if ! wait_for_quiet 30 drbd_state_is "$what" "$expected" "$res"; then
    fail "timed out waiting for '$what $res' = '$expected'; it says '$(drbd_query "$what" "$res")'"
  fi
}

# expect_drbd_state WHAT EXPECTED [RES]: `drbdadm WHAT` prints EXPECTED now.
expect_drbd_state() {
  local res=${3:-$DRBD_RES} got
  run_capture "state_$1" drbdadm_umc "$1" "$res"
  got=$(cat "$TEST_TMP/state_$1.out")
  [ "$CAPTURE_RC" -eq 0 ] && [ "$got" = "$2" ] ||
    { cat "$TEST_TMP/state_$1.all" >&2; fail "drbdadm $1 $res: expected '$2', got '$got' (exit $CAPTURE_RC)"; }
}

# wait_for_quiet SECONDS CMD...: like wait_for, but returns 1 on timeout
# instead of failing, so the caller can say more.
wait_for_quiet() {
  local secs=$1; shift
  local deadline=$(( $(date +%s%N) + secs * 1000000000 )) delay=0.01
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt $deadline ] || return 1
    sleep "$delay"
    delay=$(awk -v d="$delay" 'BEGIN { d *= 2; print (d > 0.2 ? 0.2 : d) }')
  done
}

# drbd_up: create-md is the caller's; `drbdadm up`, and `drbdadm down` at exit
# (registered after start_umcd, so it runs before umcd is stopped).
drbd_up() {
  on_exit "drbd_down_quiet"
  must up drbdadm_umc up "$DRBD_RES"
}

# drbd_down_quiet: for cleanup; never fails.
drbd_down_quiet() {
  DRBD_CMD_TIMEOUT=30 drbdadm_umc down "$DRBD_RES" >/dev/null 2>&1 || true
}

# drbd_create_md: `drbdadm create-md` on fresh meta-data (no --force: a fresh
# device asks nothing, and without --force drbdmeta also checks that the
# FUSE node passes for a block device).
drbd_create_md() {
  must create_md drbdadm_umc create-md "$DRBD_RES"
  expect_text create_md "New drbd meta data block successfully created."
}

# drbd_node_path: the FUSE node of our minor, $DRBD_ROOT/dev/drbdN (the path
# the preload maps /dev/drbdN to; filesystems and dd use it without the shim).
drbd_node_path() { echo "$DRBD_ROOT/dev/drbd$DRBD_MINOR"; }

# drbd_proc_line: our minor's first line in $DRBD_ROOT/proc/drbd, e.g.
# "201: cs:WFConnection ro:Secondary/Unknown ds:Inconsistent/DUnknown C r----s"
# (leading blanks removed).  The last flag is 's' while the activity log is
# suspended: DRBD suspends AL updates when every bitmap bit is set (fresh
# meta-data, no peer ever synced: drbd_nl.c drbd_suspend_al).
drbd_proc_line() {
  sed -n "s/^ *\\($DRBD_MINOR: .*\\)/\\1/p" "$DRBD_ROOT/proc/drbd"
}

# umcd_alive: umcd still serves: its process lives, the FUSE root is mounted,
# and a netlink round trip (drbdsetup-84 status of all resources) works.
umcd_alive() {
  kill -0 "$UMCD_PID" 2>/dev/null || fail "umcd $UMCD_PID died"
  is_mounted "$DRBD_ROOT" || fail "$DRBD_ROOT is no longer mounted"
  must alive drbdsetup_umc status
}

# errno_of_open PATH MODE: the errno name an open(2) of PATH with MODE (r, w,
# rw) gives, or "OK" if it opens.
errno_of_open() {
  python3 - "$1" "$2" <<'PY'
import errno, os, sys
flags = {"r": os.O_RDONLY, "w": os.O_WRONLY, "rw": os.O_RDWR}[sys.argv[2]]
try:
    os.close(os.open(sys.argv[1], flags))
    print("OK")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
PY
}

# drbd_primary_ext4_node: the crash tests' starting point - umcd with a
# 128 MiB uring file as d0, our resource on it (internal meta-data), up and
# Primary, ext4 on dev/drbdN mounted through a loop device.  Sets pid1 (that
# umcd), node, mnt and loop.  Needs mkfs.ext4 and the uring backend.
drbd_primary_ext4_node() {
  requires mkfs.ext4 -V
  backend_available uring || { echo "SKIP: $TEST_NAME needs umcd's uring backend"; exit 77; }
  local img="$TEST_TMP/d0.img"
  truncate -s 128M "$img"
  start_drbd_node "$TEST_TMP/root" "d0=uring:path=$img"
  pid1=$UMCD_PID
  write_drbd_res "$DRBD_ROOT/dev/d0" internal
  drbd_create_md
  drbd_up
  node=$(drbd_node_path)
  must pri drbdadm_umc primary --force "$DRBD_RES"
  mkfs.ext4 -q -F -E nodiscard "$node" || fail "mkfs.ext4 on $node"
  mnt="$TEST_TMP/mnt"
  mount_loop "$node" "$mnt"
  loop=$(loop_of "$mnt")
}

# drbd_recovered_ext4_intact: after a restart and `drbdadm up` (apply-al) -
# Primary without --force, the ext4 journal replayed (mount + umount),
# e2fsck -fn clean, every acknowledged record intact; then secondary, down.
drbd_recovered_ext4_intact() {
  must pri2 drbdadm_umc primary "$DRBD_RES"
  mount_loop "$node" "$mnt"
  umount "$mnt"
  e2fsck -fn "$node" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn after journal replay"; }
  mount_loop "$node" "$mnt" ro
  check_ack_records "$mnt/records"
  umount "$mnt"
  must sec drbdadm_umc secondary "$DRBD_RES"
  must down drbdadm_umc down "$DRBD_RES"
}
