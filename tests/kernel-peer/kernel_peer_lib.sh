# shellcheck shell=bash
# A usermode node (umcd, node 0) and an in-kernel DRBD 8.4 node (node 1):
# Debian's own kernel with its drbd.ko, booted under qemu (TCG), driven by
# Debian's drbd-utils inside the guest; domain functions over lib.sh's
# vocabulary (must, expect_*, wait_for).  Source after lib.sh,
# preload_lib.sh, drbd_lib.sh and topology_lib.sh (tests/integration):
#
#   kp_init umc_kp_sync             # resource name; namespace, bridge, tap
#   topo_start_node 0 d0=ram:size=64M
#   kp_guest_disk 64M               # the guest's /dev/vda, a file
#   kp_boot                         # qemu; returns once the guest answers
#   kp_write_res 'net { protocol C; }'  # drbd.conf on both sides
#   topo_must 0 create-md create-md "$TOPO_RES"; must create-md gadm create-md --force "$TOPO_RES"
#   kp_wait 1 cstate Connected
#
# The network: namespace umckp-$$ holds a bridge (umcd's 10.214.0.1/24) and
# the guest's tap; the guest is 10.214.0.2.  Nothing else is routed anywhere.
# umcd runs in that namespace (topology_lib's on_node: nsenter --net, so its
# FUSE tree stays in the host's mount namespace), and so does qemu.
#
# The guest is driven over its second serial port (ttyS1), a unix socket
# here, never over the guest network: `guest SCRIPT` runs SCRIPT with the
# guest's busybox sh and gives back its output and exit status, also while
# DRBD's link is cut.  The console (ttyS0, kernel and DRBD messages) is
# $KP_CONSOLE.  Everything is undone at exit: qemu killed, umcd stopped,
# namespace deleted.
#
# Globals after kp_init: as topo_init (TOPO_*, NODE_* for nodes 0 and 1;
# node 1's NODE_ROOT is empty), plus KP_NS, KP_SOCK, KP_CONSOLE, KP_DISK,
# KP_QEMU_PID, KP_BOOT_SECONDS.

KP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$KP_LIB_DIR/kp_image.sh"

KP_HOST_IP=10.214.0.1
KP_GUEST_IP=10.214.0.2
KP_GUEST_CONF=/etc/drbd.conf
# Bound for one guest command (drbd-utils answer at once; waits are loops
# on this side).
KP_GUEST_TIMEOUT=${KP_GUEST_TIMEOUT:-60}

# kp_requirements: skip (77) only when qemu cannot run here at all.
kp_requirements() {
  requires_root
  command -v qemu-system-x86_64 >/dev/null ||
    skip "qemu-system-x86_64 is not installed (qemu-system-x86)"
  qemu-system-x86_64 -accel help 2>/dev/null | grep -qx tcg ||
    skip "this qemu-system-x86_64 has no TCG"
  [ -c /dev/net/tun ] || skip "no /dev/net/tun for the guest's tap"
  requires ip -V
  requires nsenter --version
  requires python3 --version
}

# kp_init RES: the two nodes' globals, the kernel and initramfs (cached),
# the namespace with its bridge and tap.
kp_init() {
  drbd_requirements
  kp_requirements
  TOPO_N=2 TOPO_RES=$1 TOPO_NETNS=1
  TOPO_CONF="$TEST_TMP/drbd.conf"
  KP_NS="umckp-$$"
  KP_SOCK="$TEST_TMP/guest-cmd.sock"
  KP_CONSOLE="$TEST_TMP/guest-console.log"
  # cleanup() silences what its commands print: keep a way to the test's
  # stderr for the logs of a failed run.
  exec {KP_STDERR}>&2
  on_exit '[ "$rc" -eq 0 ] || kp_keep_logs'
  kp_image_prepare || fail "could not prepare the guest's kernel and initramfs (kp_image.sh)"
  info "guest kernel $KP_KVER, $(basename "$KP_INITRAMFS")"

  # Namespaces left by runs killed before their cleanup (their pid is gone).
  local ns
  for ns in $(ip netns list 2>/dev/null | sed -n 's/^\(umckp-[0-9][0-9]*\).*/\1/p'); do
    kill -0 "${ns#umckp-}" 2>/dev/null || ip netns del "$ns" 2>/dev/null || true
  done
  ip netns add "$KP_NS" || fail "ip netns add $KP_NS"
  on_exit "ip netns del '$KP_NS'"
  ip -n "$KP_NS" link set lo up
  ip -n "$KP_NS" link add kpbr0 type bridge || fail "bridge in $KP_NS"
  ip -n "$KP_NS" tuntap add dev kptap0 mode tap || fail "tap in $KP_NS"
  ip -n "$KP_NS" link set kptap0 master kpbr0
  ip -n "$KP_NS" addr add "$KP_HOST_IP/24" dev kpbr0
  ip -n "$KP_NS" link set kptap0 up
  ip -n "$KP_NS" link set kpbr0 up

  local base
  alloc_minor base 2
  NODE_NS[0]=$KP_NS NODE_NS[1]=$KP_NS
  NODE_NAME[0]="umc-n0-$$" NODE_NAME[1]="kpguest-$$"
  NODE_ADDR[0]=$KP_HOST_IP NODE_ADDR[1]=$KP_GUEST_IP
  NODE_PORT[0]=7789 NODE_PORT[1]=7789
  NODE_MINOR[0]=$base NODE_MINOR[1]=$((base + 1))
  NODE_ROOT[1]=""
}

# kp_link_down / kp_link_up: cut or restore the guest's wire (its tap), a
# pulled cable: no FIN, no RST.  The command channel is not affected.
kp_link_down() { ip -n "$KP_NS" link set kptap0 down; }
kp_link_up() { ip -n "$KP_NS" link set kptap0 up; }

# kp_guest_disk SIZE [random]: the guest's /dev/vda, a file of SIZE
# (truncate syntax); with "random" filled from /dev/urandom.
kp_guest_disk() {
  KP_DISK="$TEST_TMP/guest-vda.img"
  rm -f "$KP_DISK"
  truncate -s "$1" "$KP_DISK"
  if [ "${2:-}" = random ]; then
    dd if=/dev/urandom of="$KP_DISK" bs=1M count=$(( $(stat -c %s "$KP_DISK") / 1048576 )) conv=notrunc status=none
  fi
}

# kp_boot: start qemu (TCG, -cpu max) in the namespace and wait until the
# guest's command loop answers.  Sets KP_QEMU_PID and KP_BOOT_SECONDS.
kp_boot() {
  [ -n "${KP_DISK:-}" ] || kp_guest_disk 64M
  local accel=${UMC_KP_ACCEL:-tcg} cpu=${UMC_KP_CPU:-max} t0 t1
  : >"$KP_CONSOLE"
  t0=$(date +%s%N)
  # qemu is this shell's child and dies with it (PR_SET_PDEATHSIG, kept
  # across nsenter's exec): a test killed by ctest's timeout leaves no guest.
  python3 -c 'import ctypes, os, sys
ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
os.execvp(sys.argv[1], sys.argv[1:])' \
    nsenter --net="/var/run/netns/$KP_NS" qemu-system-x86_64 \
    -name "umc-kp-$$" -accel "$accel" -cpu "$cpu" -smp 1 -m 512 \
    -nodefaults -display none -no-reboot -monitor none \
    -kernel "$KP_VMLINUZ" -initrd "$KP_INITRAMFS" \
    -append "console=ttyS0 quiet panic=-1 umc.host=${NODE_NAME[1]} umc.ip=$KP_GUEST_IP/24" \
    -serial "file:$KP_CONSOLE" \
    -chardev "socket,id=cmd,path=$KP_SOCK,server=on,wait=off" -serial chardev:cmd \
    -drive "file=$KP_DISK,format=raw,if=none,id=vd0,cache=writeback" -device virtio-blk-pci,drive=vd0 \
    -netdev tap,id=n0,ifname=kptap0,script=no,downscript=no \
    -device virtio-net-pci,netdev=n0,mac=52:54:00:d6:00:02,romfile= \
    </dev/null >"$TEST_TMP/qemu.out" 2>&1 &
  KP_QEMU_PID=$!
  on_exit "kp_kill_qemu $KP_QEMU_PID"
  wait_for_quiet 180 kp_guest_ready ||
    { cat "$TEST_TMP/qemu.out" >&2; tail -n 40 "$KP_CONSOLE" >&2; fail "the guest did not boot within 180 s"; }
  grep -q '^UMC-GUEST-READY' "$KP_CONSOLE" ||
    { cat "$TEST_TMP/qemu.out" >&2; tail -n 40 "$KP_CONSOLE" >&2; fail "qemu exited before the guest was up"; }
  t1=$(date +%s%N)
  KP_BOOT_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  local out
  out=$(KP_GUEST_TIMEOUT=30 guest 'echo channel-ok; uname -r; hostname') ||
    { tail -n 40 "$KP_CONSOLE" >&2; fail "the guest's command channel does not answer"; }
  case $out in channel-ok*) ;; *) fail "the guest's command channel says: $out" ;; esac
  grep 'UMC-GUEST: insmod' "$KP_CONSOLE" >&2 && fail "the guest could not load its modules"
  info "guest $(echo "$out" | sed -n 3p) booted kernel $(echo "$out" | sed -n 2p) in ${KP_BOOT_SECONDS} s ($accel)"
}

# kp_guest_ready: the guest's command loop runs, or qemu is gone (the caller
# tells which).
kp_guest_ready() { grep -q '^UMC-GUEST-READY' "$KP_CONSOLE" || ! kill -0 "$KP_QEMU_PID" 2>/dev/null; }

# kp_kill_qemu PID: for cleanup; SIGTERM, then SIGKILL after 10 s.
kp_kill_qemu() {
  local pid=$1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q qemu-system || return 0
  kill -TERM "$pid" 2>/dev/null
  wait_for_quiet 10 process_gone "$pid" && return 0
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# guest SCRIPT...: run the words as one script with the guest's sh; its
# output on stdout, its exit status ours (124: no answer in time).
guest() {
  printf '%s\n' "$*" | python3 "$KP_LIB_DIR/guest_cmd.py" "$KP_SOCK" "$KP_GUEST_TIMEOUT"
}

# guest_put FILE GUESTPATH: copy a (small) host file into the guest.
guest_put() {
  guest "base64 -d >'$2' <<'UMC_EOF'
$(base64 "$1")
UMC_EOF"
}

# gadm ARGS...: drbdadm in the guest with our drbd.conf.
gadm() { guest "drbdadm -c $KP_GUEST_CONF $*"; }

# kp_write_res [LINE...]: $TOPO_CONF with resource $TOPO_RES: node 0 on its
# dev/d0, the guest on /dev/vda, internal meta-data; copied into the guest.
kp_write_res() {
  local l
  {
    echo "global { usage-count no; }"
    echo "resource $TOPO_RES {"
    for l in "$@"; do echo "  $l"; done
    echo "  on ${NODE_NAME[0]} {"
    echo "    device /dev/drbd${NODE_MINOR[0]} minor ${NODE_MINOR[0]};"
    echo "    disk ${NODE_ROOT[0]}/dev/d0;"
    echo "    meta-disk internal;"
    echo "    address ${NODE_ADDR[0]}:${NODE_PORT[0]};"
    echo "  }"
    echo "  on ${NODE_NAME[1]} {"
    echo "    device /dev/drbd${NODE_MINOR[1]} minor ${NODE_MINOR[1]};"
    echo "    disk /dev/vda;"
    echo "    meta-disk internal;"
    echo "    address ${NODE_ADDR[1]}:${NODE_PORT[1]};"
    echo "  }"
    echo "}"
  } >"$TOPO_CONF"
  guest_put "$TOPO_CONF" "$KP_GUEST_CONF" || fail "could not copy drbd.conf into the guest"
}

# kp_up: fresh meta-data (--force: the disks may hold data already) and
# `up` on both nodes; the guest's resource goes down again at exit (before
# qemu is killed).
kp_up() {
  topo_must 0 create-md create-md --force "$TOPO_RES"
  must create-md.n1 gadm create-md --force "$TOPO_RES"
  topo_must 0 up up "$TOPO_RES"
  must up.n1 gadm up "$TOPO_RES"
  on_exit "KP_GUEST_TIMEOUT=20 gadm down '$TOPO_RES'"
}

# kp_query I WHAT: `drbdadm WHAT RES` on node I (0 umcd, 1 the guest).
kp_query() {
  if [ "$1" = 1 ]; then gadm "$2" "$TOPO_RES" 2>/dev/null; else node_query "$1" "$2"; fi
}
kp_state_is() { [ "$(kp_query "$1" "$2")" = "$3" ]; }

# kp_wait I WHAT EXPECTED [SECONDS]: until `drbdadm WHAT` on node I prints
# EXPECTED (default 60 s); on timeout show both nodes' /proc/drbd.
kp_wait() {
  local i=$1 what=$2 expected=$3 secs=${4:-60}
  if ! wait_for_quiet "$secs" kp_state_is "$i" "$what" "$expected"; then
    kp_show_state >&2
    fail "node $i: timed out waiting for '$what' = '$expected'; it says '$(kp_query "$i" "$what")'"
  fi
}

# kp_show_state: both nodes' /proc/drbd and the guest's last DRBD messages.
kp_show_state() {
  echo "--- umcd /proc/drbd"; node_proc 0 2>/dev/null
  echo "--- guest /proc/drbd"; KP_GUEST_TIMEOUT=10 guest cat /proc/drbd 2>/dev/null
  echo "--- guest console (last 30 lines)"; tail -n 30 "$KP_CONSOLE" 2>/dev/null
}

# kp_proc I: node I's /proc/drbd (0 umcd's, 1 the guest's).
kp_proc() { if [ "$1" = 1 ]; then guest cat /proc/drbd; else node_proc 0; fi; }

# guest_proc_field KEY: a counter of the guest's minor in its /proc/drbd.
guest_proc_field() {
  guest cat /proc/drbd | sed -n "s/.*[[:space:]]$1:\\([0-9]*\\).*/\\1/p" | head -n 1
}

# guest_md5 PATH BYTES: md5 of the first BYTES of PATH in the guest, read
# past the page cache.
guest_md5() {
  guest "echo 3 >/proc/sys/vm/drop_caches; dd if=$1 bs=1M count=$(( $2 / 1048576 )) iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1"
}

# guest_dev: the guest's DRBD device.
guest_dev() { echo "/dev/drbd${NODE_MINOR[1]}"; }

# kp_keep_logs: on failure keep umcd's log, the guest's console, the tools'
# outputs; show the console's end.
kp_keep_logs() {
  local dir=${UMC_DRBD_LOG_DIR:-$UMC_BUILD/Testing/drbd-logs}/$TEST_NAME
  rm -rf "$dir" && mkdir -p "$dir" || return 0
  cp "$TEST_TMP/node0/umcd.log" "$dir/umcd.n0.log" 2>/dev/null
  cp "$KP_CONSOLE" "$dir/guest-console.log" 2>/dev/null
  cp "$TEST_TMP"/*.all "$TEST_TMP"/*.conf "$dir"/ 2>/dev/null
  {
    echo "# kept logs in $dir"
    echo "--- guest console (last 40 lines)"
    tail -n 40 "$KP_CONSOLE" 2>/dev/null
  } >&"$KP_STDERR"
}

# kp_not_verifying I: node I runs no online verify (any more).
kp_not_verifying() { case $(kp_query "$1" cstate) in Verify*) return 1 ;; *) return 0 ;; esac; }

# kp_verify I: `drbdadm verify` started on node I (the resource needs a
# verify-alg), waited for on both nodes until they are Connected again.
kp_verify() {
  if [ "$1" = 1 ]; then must "verify.n1" gadm verify "$TOPO_RES"; else topo_must 0 verify verify "$TOPO_RES"; fi
  wait_for 120 "online verify to finish on umcd" kp_not_verifying 0
  wait_for 120 "online verify to finish on the kernel" kp_not_verifying 1
  kp_wait 0 cstate Connected
  kp_wait 1 cstate Connected
}

# kp_both_oos: "umcd N kernel M", the KiB out of sync each side reports.
kp_both_oos() { echo "umcd $(node_proc_field 0 oos) kernel $(guest_proc_field oos)"; }

# kp_proc_idle TEXT: a /proc/drbd text with nothing in flight: no local I/O
# (lo), no request waiting for the peer (pe), no ack owed to it (ua), no
# application I/O (ap), no epoch but the open one (ep:1), nothing out of sync.
kp_proc_idle() { grep -q ' lo:0 pe:0 ua:0 ap:0 ep:1 wo:. oos:0$' <<<"$1"; }
# kp_both_idle: both nodes are idle (kp_proc_idle); kp_wait_idle waits for it
# (60 s), e.g. after a workload, before
# counters are compared.
kp_both_idle() { kp_proc_idle "$(kp_proc 0)" && kp_proc_idle "$(kp_proc 1)"; }
kp_wait_idle() {
  wait_for_quiet 60 kp_both_idle || { kp_show_state >&2; fail "the nodes did not become idle"; }
}
