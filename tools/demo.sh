#!/usr/bin/env bash
# The main job, step by step.  Called by `tools/umc demo` with the build dir.
# It grows with the project: today the event engine, a umcd device with a
# real filesystem, and a single-node DRBD resource driven by Debian's
# drbd-utils; later two DRBD nodes replicating and a failover.
set -euo pipefail
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/lib/common.sh"

work=$(mktemp -d /tmp/umc-demo.XXXXXX)
root="$work/root"
umcd_pid=
drbdadm() { UMC_FS_ROOT=$root UMC_PRELOAD_LIB=$build/tools/preload/libumc-preload.so \
  "$top/tools/umc" drbdadm -c "$work/drbd.conf" "$@"; }
cleanup() {
  set +e
  findmnt -n "$work/mnt" >/dev/null 2>&1 && umount -l "$work/mnt"
  [ -f "$work/drbd.conf" ] && [ -n "$umcd_pid" ] && drbdadm down demo >/dev/null 2>&1
  if [ -n "$umcd_pid" ]; then
    kill -TERM "$umcd_pid" 2>/dev/null
    while kill -0 "$umcd_pid" 2>/dev/null; do sleep 0.1; done
  fi
  findmnt -n "$root" >/dev/null 2>&1 && umount -l "$root"
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "1. The event engine (mte): a task with alarms, callbacks and an fd watch"
run "$build/mte/mte_hello"

step "2. umcd serves a file-backed block device (io_uring) through FUSE"
truncate -s 256M "$work/disk.img"
cat >"$work/umcd.conf" <<CONF
[umcd]
fs_root = $root

[device disk0]
backend = uring
path    = $work/disk.img

[device disk1]
backend = ram
size    = 128M
CONF
cat "$work/umcd.conf"
run "$build/tools/umcd/umcd" -c "$work/umcd.conf" --log-file "$work/umcd.log" --pidfile "$work/umcd.pid"
umcd_pid=$(cat "$work/umcd.pid")
UMC_FS_ROOT=$root run "$top/tools/umc" status

step "3. A real ext4 on it, mounted through a loop device"
run mkfs.ext4 -q -F "$root/dev/disk0"
mkdir -p "$work/mnt"
run mount -o loop "$root/dev/disk0" "$work/mnt"
run cp -a /usr/include/linux "$work/mnt/"
run df -h "$work/mnt"
run umount "$work/mnt"
run e2fsck -fn "$root/dev/disk0"

step "4. DRBD 8.4.11, unmodified, hosted by umcd: a resource on dev/disk1"
cat >"$work/drbd.conf" <<CONF
global { usage-count no; }
resource demo {
  device    /dev/drbd1;
  disk      $root/dev/disk1;
  meta-disk internal;
  on $(uname -n) { address 127.0.0.1:7789; }
  on demo-peer   { address 127.0.0.1:7790; }
}
CONF
cat "$work/drbd.conf"
run cat "$root/proc/drbd"
printf '$ drbdadm create-md demo\n'; drbdadm create-md --force demo
printf '$ drbdadm up demo\n'; drbdadm up demo
printf '$ drbdadm primary --force demo\n'; drbdadm primary --force demo
printf '$ drbdadm status demo\n'; drbdadm status demo
run cat "$root/proc/drbd"

step "5. ext4 on the DRBD device, through a loop device"
run mkfs.ext4 -q -F "$root/dev/drbd1"
run mount -o loop "$root/dev/drbd1" "$work/mnt"
run cp -a /usr/include/linux "$work/mnt/"
run df -h "$work/mnt"
run umount "$work/mnt"
printf '$ drbdadm secondary demo\n'; drbdadm secondary demo
printf '$ (a Secondary refuses writers, as in the kernel)\n'
if dd if=/dev/zero of="$root/dev/drbd1" bs=4k count=1 oflag=direct 2>&1; then echo "written?!"; exit 1; fi
printf '$ drbdadm down demo\n'; drbdadm down demo

step "6. Clean shutdown: in-flight I/O completes, backends flushed, FUSE unmounted"
run kill -TERM "$umcd_pid"
while kill -0 "$umcd_pid" 2>/dev/null; do sleep 0.1; done
umcd_pid=
findmnt -n "$root" >/dev/null 2>&1 && { echo "still mounted!"; exit 1; }
tail -n 3 "$work/umcd.log"

step "done"
