#!/usr/bin/env bash
# The main job, step by step.  Called by `tools/umc demo` with the build dir.
#
# Two DRBD nodes on this one machine, each an umcd daemon with its own node
# name, FUSE tree and state directory, driven by Debian's unmodified
# drbd-utils: the initial sync (progress shown), ext4 on the Primary, a crash
# of the Primary's daemon (kill -9), the other node promoted with every file
# intact, and the crashed node rejoining as Secondary and resyncing.
set -euo pipefail
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/lib/common.sh"

work=$(mktemp -d /tmp/umc-demo.XXXXXX)
names=(alpha beta)
pids=("" "")
roots=("$work/alpha/root" "$work/beta/root")
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ports=("$(free_port)" "$(free_port)")

# drbdadm N ARGS: Debian's drbdadm as node N's administrator runs it.
drbdadm() {
  local n=$1; shift
  UMC_FS_ROOT=${roots[n]} UMC_PRELOAD_LIB=$build/tools/preload/libumc-preload.so \
    "$top/tools/umc" drbdadm -c "$work/drbd.conf" "$@" </dev/null
}
# on N ARGS: the same, shown.  drbdadm announces a node name that differs
# from `uname -n` on every run ("PRETENDING that I am >>beta<<"); the demo
# leaves that banner out.
on() {
  local n=$1 rc=0; shift
  printf '\033[2m[%s]\033[0m $ drbdadm %s\n' "${names[n]}" "$*"
  drbdadm "$n" "$@" 2>"$work/stderr" || rc=$?
  grep -v -e 'found __DRBD_NODE__ in environment' -e 'PRETENDING that I am' -e '^$' "$work/stderr" >&2 || true
  return $rc
}
node_alive() { [ -n "${pids[$1]}" ] && kill -0 "${pids[$1]}" 2>/dev/null; }
stop_node() {
  local n=$1
  node_alive "$n" || return 0
  kill -TERM "${pids[n]}"
  while kill -0 "${pids[n]}" 2>/dev/null; do sleep 0.1; done
  pids[n]=""
}
cleanup() {
  set +e
  findmnt -n "$work/mnt" >/dev/null 2>&1 && umount -l "$work/mnt"
  for n in 0 1; do
    node_alive "$n" && drbdadm "$n" down demo >/dev/null 2>&1
    stop_node "$n"
    findmnt -n "${roots[n]}" >/dev/null 2>&1 && umount -l "${roots[n]}"
  done
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
start_node() {
  local n=$1
  printf '$ umcd -c %s\n' "$work/${names[n]}/umcd.conf"
  "$build/tools/umcd/umcd" -c "$work/${names[n]}/umcd.conf" --log-file "$work/${names[n]}/umcd.log" \
    --pidfile "$work/${names[n]}/umcd.pid"
  pids[n]=$(cat "$work/${names[n]}/umcd.pid")
}
# state N WHAT: one line of `drbdadm WHAT demo` on node N.
state() { drbdadm "$1" "$2" demo 2>/dev/null || true; }
wait_state() { # N WHAT EXPECTED SECONDS
  local i
  for ((i = 0; i < $4 * 10; i++)); do [ "$(state "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
  umc_die "demo: ${names[$1]} did not reach $2 $3 (it says '$(state "$1" "$2")')"
}

step "1. Two umcd daemons on this machine: node names alpha and beta"
for n in 0 1; do
  mkdir -p "$work/${names[n]}"
  truncate -s 256M "$work/${names[n]}/disk.img"
  cat >"$work/${names[n]}/umcd.conf" <<CONF
[umcd]
fs_root   = ${roots[n]}
node_name = ${names[n]}
state_dir = $work/${names[n]}/state

[device d0]
backend = uring
path    = $work/${names[n]}/disk.img
CONF
done
cat "$work/alpha/umcd.conf"
start_node 0
start_node 1
UMC_FS_ROOT=${roots[0]} run "$top/tools/umc" status

step "2. One DRBD resource over both nodes (protocol C), the same drbd.conf on each"
cat >"$work/drbd.conf" <<CONF
global { usage-count no; }
resource demo {
  device    /dev/drbd1;
  meta-disk internal;
  net  { protocol C; verify-alg sha1; }
  disk { c-plan-ahead 0; resync-rate 40M; }
  on alpha { disk ${roots[0]}/dev/d0; address 127.0.0.1:${ports[0]}; }
  on beta  { disk ${roots[1]}/dev/d0; address 127.0.0.1:${ports[1]}; }
}
CONF
cat "$work/drbd.conf"
for n in 0 1; do on "$n" create-md demo | tail -n 1; on "$n" up demo; done
wait_state 0 cstate Connected 30
on 0 status demo

step "3. The initial full sync: alpha becomes Primary, beta is the SyncTarget"
on 0 primary --force demo
for ((i = 0; i < 600; i++)); do
  [ "$(state 1 dstate)" = "UpToDate/UpToDate" ] && break
  line=$(grep -E "sync'ed|speed" "${roots[1]}/proc/drbd" | tr -s ' ' | tr '\n' ' ')
  [ -n "$line" ] && printf '\r  beta:%s   ' "$line"
  sleep 0.5
done
printf '\n'
wait_state 1 dstate UpToDate/UpToDate 60
run cat "${roots[1]}/proc/drbd"

step "4. ext4 on alpha's DRBD device, files written"
mkdir -p "$work/mnt"
run mkfs.ext4 -q -F -E nodiscard "${roots[0]}/dev/drbd1"
run mount -o loop "${roots[0]}/dev/drbd1" "$work/mnt"
run cp -a /usr/include/linux "$work/mnt/"
(cd "$work/mnt" && find . -type f -print0 | sort -z | xargs -0 md5sum) >"$work/sums"
run sync -f "$work/mnt"
printf '%s files written, checksums kept\n' "$(wc -l <"$work/sums")"

step "5. alpha's daemon crashes (kill -9) while it is Primary"
run kill -9 "${pids[0]}"
while kill -0 "${pids[0]}" 2>/dev/null; do sleep 0.1; done
pids[0]=""
umount -l "$work/mnt"
findmnt -n "${roots[0]}" >/dev/null 2>&1 && umount -l "${roots[0]}"
wait_state 1 cstate WFConnection 30
on 1 status demo

step "6. beta takes over: Primary, the journal replayed, every file intact"
on 1 primary demo
run mount -o loop "${roots[1]}/dev/drbd1" "$work/mnt"
if (cd "$work/mnt" && md5sum --quiet -c "$work/sums"); then
  printf 'all %s files identical on beta\n' "$(wc -l <"$work/sums")"
else
  umc_die "demo: files differ on beta"
fi
run df -h "$work/mnt"

step "7. alpha restarts, rejoins as Secondary and resyncs what it missed"
start_node 0
on 0 up demo
wait_state 0 cstate Connected 60
wait_state 0 dstate UpToDate/UpToDate 120
on 0 status demo
grep -h 'resync as SyncTarget\|Resync done' "$work/alpha/umcd.log" | tail -n 2 | sed 's/^.*\] //' || true
on 1 verify demo
for ((i = 0; i < 1200; i++)); do grep -q 'cs:Verify' "${roots[1]}/proc/drbd" || break; sleep 0.1; done
run cat "${roots[1]}/proc/drbd"

step "8. Clean shutdown"
run umount "$work/mnt"
on 1 secondary demo
for n in 0 1; do on "$n" down demo; stop_node "$n"; done
findmnt -n "${roots[0]}" >/dev/null 2>&1 || findmnt -n "${roots[1]}" >/dev/null 2>&1 && umc_die "demo: still mounted"
tail -n 2 "$work/beta/umcd.log"

step "done"
