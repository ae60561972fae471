# shellcheck shell=bash
# Several DRBD nodes on this one host, each its own umcd with its own
# node_name, fs_root, state_dir and log, connected over loopback or over veth
# pairs in network namespaces the test creates.  Source after lib.sh,
# preload_lib.sh and drbd_lib.sh:
#
#   topo_init 2 umc_r_sync              # nodes 0 and 1, resource name
#   topo_start_node 0 d0=ram:size=64M   # devices as start_drbd_node takes them
#   topo_start_node 1 d0=ram:size=64M
#   topo_write_res 'net { protocol C; }' # the resource on dev/d0 of each node
#   topo_all must create-md create-md   # NAME and drbdadm args, per node
#   topo_all must up up
#   topo_wait 0 cstate Connected
#
# A node's drbd-utils run with its UMC_FS_ROOT (and, with namespaces, inside
# its network namespace, where umcd's abstract control socket lives); its
# __DRBD_NODE__ comes from umcd.  Minors and ports come from alloc_minor and
# alloc_port (lib.sh); every
# node keeps its drbd-utils state in its own state_dir, so tests never share
# a lock or a .lkbd file and run in parallel.  Everything is undone at exit,
# in reverse order: resources down, daemons stopped, namespaces deleted.
#
# Globals after topo_init: TOPO_N, TOPO_RES, TOPO_CONF (drbd.conf), TOPO_NETNS
# (1 with namespaces); per node i: NODE_NAME[i], NODE_ROOT[i], NODE_PID[i],
# NODE_ADDR[i], NODE_PORT[i], NODE_MINOR[i], NODE_NS[i], NODE_UMCD_CONF[i].

declare -a NODE_NAME NODE_ROOT NODE_PID NODE_ADDR NODE_PORT NODE_MINOR NODE_NS NODE_UMCD_CONF NODE_DEVSPEC

# topo_init N RES [--netns]: N nodes (2 or more) sharing resource RES.  With
# --netns each node lives in a network namespace of its own, joined to node 0's
# by a veth pair (link cuts: topo_link_down/up); otherwise all use 127.0.0.1.
# (replication_link_cut.sh uses the namespaces: umcd and the node's drbd-utils
# run in them, so its abstract control socket is only reachable from there.)
topo_init() {
  drbd_requirements
  TOPO_N=$1 TOPO_RES=$2 TOPO_NETNS=0
  [ "${3:-}" = --netns ] && TOPO_NETNS=1
  TOPO_CONF="$TEST_TMP/drbd.conf"
  on_exit '[ "$rc" -eq 0 ] || topo_keep_logs'
  local i base
  # One minor per node, the same block for topo_write_resources' volumes
  # (each node's state is private anyway; this keeps /proc/drbd lines apart).
  alloc_minor base $(( TOPO_N > 4 ? TOPO_N : 4 ))
  [ "$TOPO_NETNS" = 1 ] && { requires ip -V; topo_make_namespaces; }
  for ((i = 0; i < TOPO_N; i++)); do
    NODE_NAME[i]="umc-n$i-$$"
    NODE_MINOR[i]=$((base + i))
    if [ "$TOPO_NETNS" = 1 ]; then
      NODE_PORT[i]=7789
    else
      NODE_ADDR[i]=127.0.0.1
      alloc_port "NODE_PORT[$i]"
    fi
  done
}

# topo_make_namespaces: namespace umc-$$-i per node, veth pairs from node 0 to
# every other node (10.213.i.1 on node 0's side, 10.213.i.2 on node i's), lo up.
topo_make_namespaces() {
  local i ns0="umc-$$-0"
  ip netns add "$ns0" || fail "ip netns add $ns0"
  on_exit "ip netns del '$ns0'"
  ip -n "$ns0" link set lo up
  NODE_NS[0]=$ns0
  for ((i = 1; i < TOPO_N; i++)); do
    local ns="umc-$$-$i"
    ip netns add "$ns" || fail "ip netns add $ns"
    on_exit "ip netns del '$ns'"
    ip -n "$ns" link set lo up
    ip link add "u$$a$i" netns "$ns0" type veth peer name "u$$b$i" netns "$ns" || fail "veth pair"
    ip -n "$ns0" addr add "10.213.$i.1/24" dev "u$$a$i"
    ip -n "$ns" addr add "10.213.$i.2/24" dev "u$$b$i"
    ip -n "$ns0" link set "u$$a$i" up
    ip -n "$ns" link set "u$$b$i" up
    NODE_NS[i]=$ns
    NODE_ADDR[i]="10.213.$i.2"
  done
  # Node 0 talks to the first peer on its veth; more than two nodes in one
  # resource is not something DRBD 8.4 does.
  NODE_ADDR[0]="10.213.1.1"
}

# topo_link_down / topo_link_up [I]: cut or restore the wire between node 0
# and node I (default 1), as a pulled cable: no FIN, no RST, packets vanish.
topo_link_down() { ip -n "${NODE_NS[0]}" link set "u$$a${1:-1}" down; }
topo_link_up() { ip -n "${NODE_NS[0]}" link set "u$$a${1:-1}" up; }

# on_node I CMD...: run CMD where node I's tools run (its network namespace).
on_node() {
  local i=$1; shift
  if [ "$TOPO_NETNS" = 1 ]; then
    nsenter --net="/var/run/netns/${NODE_NS[i]}" "$@"
  else
    "$@"
  fi
}

# topo_start_node I SPEC...: start node I's umcd (SPEC as start_drbd_node).
topo_start_node() {
  local i=$1; shift
  device_config_lines "$@"
  local dir="$TEST_TMP/node$i"
  mkdir -p "$dir"
  NODE_ROOT[i]="$dir/root"
  NODE_UMCD_CONF[i]="$dir/umcd.conf"
  {
    printf '[umcd]\nfs_root = %s\nlog_level = debug\n' "${NODE_ROOT[i]}"
    printf 'node_name = %s\nstate_dir = %s\n' "${NODE_NAME[i]}" "$dir/state"
    printf '%s\n' "${DEVICE_LINES[@]}"
  } >"${NODE_UMCD_CONF[i]}"
  topo_restart_node "$i"
}

# topo_restart_node I: start node I's umcd again with its config (after
# topo_kill_node or topo_stop_node); DRBD starts empty, as after a reboot.
topo_restart_node() {
  local i=$1 pidfile="$TEST_TMP/node$1/umcd.pid"
  rm -f "$pidfile"
  on_node "$i" "$UMCD" -c "${NODE_UMCD_CONF[i]}" --log-file "$TEST_TMP/node$i/umcd.log" --pidfile "$pidfile" ||
    { cat "$TEST_TMP/node$i/umcd.log" >&2 2>/dev/null; fail "umcd of node $i did not start"; }
  NODE_PID[i]=$(cat "$pidfile")
  # Runs before the daemon's stop (registered later): the resource goes down.
  on_exit "stop_umcd ${NODE_PID[i]} '${NODE_ROOT[i]}'"
  on_exit "topo_down_quiet $i"
}

# topo_kill_node I: SIGKILL node I's umcd (a crash); its FUSE tree goes away.
topo_kill_node() { kill_umcd "${NODE_PID[$1]}" "${NODE_ROOT[$1]}"; }
# topo_stop_node I: SIGTERM (an orderly shutdown: umcd brings DRBD down).
topo_stop_node() { stop_umcd "${NODE_PID[$1]}" "${NODE_ROOT[$1]}"; }

# topo_write_res [LINE...]: $TOPO_CONF with resource $TOPO_RES on every node:
# disk dev/d0 of the node's tree, internal meta-data, its minor and address;
# each LINE goes into the resource section (e.g. 'net { protocol A; }').
topo_write_res() { topo_write_res_on d0 internal "$@"; }

# topo_write_res_on DISK META [LINE...]: the same with another device name
# and META "internal" or a device name of the node's tree.
topo_write_res_on() {
  local disk=$1 meta=$2; shift 2
  local i l md
  {
    echo "global { usage-count no; }"
    echo "resource $TOPO_RES {"
    for l in "$@"; do echo "  $l"; done
    for ((i = 0; i < TOPO_N; i++)); do
      md=internal
      [ "$meta" = internal ] || md="${NODE_ROOT[i]}/dev/$meta"
      echo "  on ${NODE_NAME[i]} {"
      echo "    device /dev/drbd${NODE_MINOR[i]} minor ${NODE_MINOR[i]};"
      echo "    disk ${NODE_ROOT[i]}/dev/$disk;"
      echo "    meta-disk $md;"
      echo "    address ${NODE_ADDR[i]}:${NODE_PORT[i]};"
      echo "  }"
    done
    echo "}"
  } >"$TOPO_CONF"
}

# adm I ARGS...: drbdadm -c $TOPO_CONF ARGS as node I.
adm() {
  local i=$1; shift
  on_node "$i" env LD_PRELOAD="$PRELOAD_LIB" UMC_FS_ROOT="${NODE_ROOT[i]}" \
    timeout "$DRBD_CMD_TIMEOUT" "$DRBDADM" -c "$TOPO_CONF" "$@" </dev/null
}
# setup I ARGS...: drbdsetup-84 ARGS as node I.
setup() {
  local i=$1; shift
  on_node "$i" env LD_PRELOAD="$PRELOAD_LIB" UMC_FS_ROOT="${NODE_ROOT[i]}" \
    timeout "$DRBD_CMD_TIMEOUT" "$DRBDSETUP" "$@" </dev/null
}

# topo_must I NAME ARGS...: `must NAME` of drbdadm ARGS on node I (output in
# $TEST_TMP/NAME.all, named per node: NAME.nI).
topo_must() {
  local i=$1 name=$2; shift 2
  must "$name.n$i" adm "$i" "$@"
}

# topo_all NAME ARGS...: topo_must on every node, in order.
topo_all() {
  local name=$1 i; shift
  for ((i = 0; i < TOPO_N; i++)); do topo_must "$i" "$name" "$@"; done
}

# topo_up: create-md (fresh meta-data, no questions) and up on every node.
topo_up() {
  topo_all create-md create-md "$TOPO_RES"
  topo_all up up "$TOPO_RES"
}

# topo_down_quiet I: for cleanup; never fails.
topo_down_quiet() {
  [ -n "${NODE_ROOT[$1]:-}" ] && is_mounted "${NODE_ROOT[$1]}" || return 0
  DRBD_CMD_TIMEOUT=30 adm "$1" down "$TOPO_RES" >/dev/null 2>&1 || true
}

# node_query I WHAT: the one-line answer of `drbdadm WHAT RES` on node I.
node_query() { adm "$1" "$2" "$TOPO_RES" 2>/dev/null; }
node_state_is() { [ "$(node_query "$1" "$2")" = "$3" ]; }

# topo_wait I WHAT EXPECTED [SECONDS]: until `drbdadm WHAT` on node I prints
# EXPECTED (default bound 60 s); on timeout show what it and /proc/drbd say.
topo_wait() {
  local i=$1 what=$2 expected=$3 secs=${4:-60}
  if ! wait_for_quiet "$secs" node_state_is "$i" "$what" "$expected"; then
    cat "${NODE_ROOT[i]}/proc/drbd" >&2 2>/dev/null
    fail "node $i: timed out waiting for '$what' = '$expected'; it says '$(node_query "$i" "$what")'"
  fi
}

# node_proc I: node I's /proc/drbd (its minor's lines).
node_proc() { cat "${NODE_ROOT[$1]}/proc/drbd"; }
# node_proc_field I KEY: a counter of node I's minor in /proc/drbd (ns, nr,
# dw, dr, oos, ...).
node_proc_field() {
  sed -n "s/.*[[:space:]]$2:\\([0-9]*\\).*/\\1/p" "${NODE_ROOT[$1]}/proc/drbd" | head -n 1
}
# node_dev I: node I's DRBD device as a FUSE path.
node_dev() { echo "${NODE_ROOT[$1]}/dev/drbd${NODE_MINOR[$1]}"; }

# node_sync_percent I: the "sync'ed:" percentage of node I's resync (empty
# when none runs), e.g. 12.5.
node_sync_percent() {
  sed -n "s/.*sync'ed:[[:space:]]*\\([0-9.]*\\)%.*/\\1/p" "${NODE_ROOT[$1]}/proc/drbd" | head -n 1
}

# sync_progressed I FROM: node I's sync'ed percentage is above FROM, or the
# resync is over.
sync_progressed() {
  local p; p=$(node_sync_percent "$1")
  [ -z "$p" ] || awk -v p="$p" -v f="$2" 'BEGIN { exit !(p > f) }'
}

# topo_keep_logs: on failure keep every node's umcd log and the tools' outputs.
topo_keep_logs() {
  local dir=${UMC_DRBD_LOG_DIR:-$UMC_BUILD/Testing/drbd-logs}/$TEST_NAME i
  rm -rf "$dir" && mkdir -p "$dir" || return 0
  for ((i = 0; i < TOPO_N; i++)); do
    cp "$TEST_TMP/node$i/umcd.log" "$dir/umcd.n$i.log" 2>/dev/null
  done
  cp "$TEST_TMP"/*.all "$TEST_TMP"/*.conf "$dir"/ 2>/dev/null
  echo "# kept logs in $dir" >&2
}

# topo_verify_clean I: online verify from node I (the resource needs a
# verify-alg); waits for it to end on every node, then node I's log says
# 'Online verify done' and, since the verify started, no 'Online verify
# found'; oos is 0 on every node.
topo_verify_clean() {
  local i=$1 j log="$TEST_TMP/node$1/umcd.log" from
  from=$(($(wc -l <"$log") + 1))
  topo_must "$i" verify verify "$TOPO_RES"
  for ((j = 0; j < TOPO_N; j++)); do
    wait_for 120 "online verify to finish on node $j" sh -c "! grep -q 'cs:Verify' '${NODE_ROOT[j]}/proc/drbd'"
  done
  wait_for 10 "'Online verify done' in node $i's log" sh -c "tail -n +$from '$log' | grep -q 'Online verify done'"
  ! tail -n +"$from" "$log" | grep -q 'Online verify found' ||
    fail "verify: $(tail -n +"$from" "$log" | grep 'Online verify found')"
  for ((j = 0; j < TOPO_N; j++)); do
    expect_eq "$(node_proc_field "$j" oos)" 0 "blocks out of sync after verify (node $j)"
  done
}

# expect_same_data P S: node P's DRBD device and node S's backing dev/d0
# hold the same bytes over P's device size (internal meta-data lies behind).
expect_same_data() {
  local size
  size=$(node_size_bytes "$1")
  [ "$size" -gt 0 ] || fail "node $1's device has no size"
  expect_eq "$(device_md5 "${NODE_ROOT[$2]}/dev/d0" "$size")" "$(device_md5 "$(node_dev "$1")" "$size")" \
    "node $2's data vs node $1's device"
}

# device_md5 PATH BYTES: md5 of the first BYTES of PATH (O_DIRECT reads).
device_md5() {
  dd if="$1" bs=1M count=$(( $2 / 1048576 )) iflag=direct status=none | md5sum | cut -d' ' -f1
}

# node_size_bytes I: the size of node I's DRBD device (from its FUSE node).
node_size_bytes() { stat -c %s "$(node_dev "$1")"; }

# topo_write_resources SPEC... [-- LINE...]: $TOPO_CONF with several
# resources, each on every node.  SPEC is RES=DISK[,DISK...]: resource RES,
# one volume per DISK (a device of each node's tree, internal meta-data;
# 8.4's `volume N { device; disk; meta-disk; }` inside each `on` section).
# Volumes take minors from NODE_MINOR[0] up, in order, the same minors on
# every node (each node has its own DRBD; the minors of topo_init are the
# first ones, so at most 4 volumes in all).  Each resource has its own port
# (7789, 7790, ... with namespaces; alloc_port's otherwise).  The
# LINEs go into every resource section.  Sets TOPO_RESOURCES (the names, in
# order) and TOPO_VOL_MINORS[RES] (its minors, space-separated).
declare -A TOPO_VOL_MINORS
topo_write_resources() {
  local specs=() lines=() s r=0 i k minor res disks d port
  while [ $# -gt 0 ] && [ "$1" != -- ]; do specs+=("$1"); shift; done
  [ $# -gt 0 ] && { shift; lines=("$@"); }
  minor=${NODE_MINOR[0]}
  TOPO_RESOURCES=()
  {
    echo "global { usage-count no; }"
    for s in "${specs[@]}"; do
      res=${s%%=*}
      IFS=, read -ra disks <<<"${s#*=}"
      TOPO_RESOURCES+=("$res")
      TOPO_VOL_MINORS[$res]=""
      for ((k = 0; k < ${#disks[@]}; k++)); do TOPO_VOL_MINORS[$res]+="${TOPO_VOL_MINORS[$res]:+ }$((minor + k))"; done
      echo "resource $res {"
      for d in "${lines[@]}"; do echo "  $d"; done
      for ((i = 0; i < TOPO_N; i++)); do
        if [ "$TOPO_NETNS" = 1 ]; then port=$((7789 + r)); else alloc_port port; fi
        echo "  on ${NODE_NAME[i]} {"
        for ((k = 0; k < ${#disks[@]}; k++)); do
          echo "    volume $k {"
          echo "      device /dev/drbd$((minor + k)) minor $((minor + k));"
          echo "      disk ${NODE_ROOT[i]}/dev/${disks[k]};"
          echo "      meta-disk internal;"
          echo "    }"
        done
        echo "    address ${NODE_ADDR[i]}:$port;"
        echo "  }"
      done
      echo "}"
      minor=$((minor + ${#disks[@]}))
      r=$((r + 1))
    done
  } >"$TOPO_CONF"
  [ $((minor - NODE_MINOR[0])) -le 4 ] || fail "topo_write_resources: more than 4 volumes"
}
