#!/usr/bin/env bash
# Netlink redirection and version dispatch: the unmodified drbdsetup-84 and
# drbdadm reach "umcd" through libumc-preload.so.  umcd has no DRBD yet, so the
# control socket is served by preload_fake_genl.py (kernel-like genetlink
# replies, a log of what arrived) and UMC_FS_ROOT is a plain directory whose
# proc/drbd says 8.4.11 - the shim maps paths into any directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
requires_root
requires test -x /lib/drbd/drbdsetup-84
requires test -x /sbin/drbdadm
requires python3 --version
requires strace -V
alloc_minor minor
claim_drbd_minor "$minor"    # drbdsetup $minor dstate below

root="$TEST_TMP/root"
mkdir -p "$root/proc" "$root/dev"
echo 'version: 8.4.11 (api:1/proto:86-101)' >"$root/proc/drbd"
drbdsetup=/lib/drbd/drbdsetup-84

info "version dispatch: drbdadm finds 8.4.11 in the mapped /proc/drbd and runs drbdadm-84"
with_shim "$root" drbdadm --version >"$TEST_TMP/version.out" 2>&1 || { cat "$TEST_TMP/version.out"; fail "drbdadm --version"; }
expect_file_line "$TEST_TMP/version.out" 'DRBD_KERNEL_VERSION_CODE=0x08040b' "kernel version not 8.4.11"
expect_file_line "$TEST_TMP/version.out" 'DRBDADM_API_VERSION=1' "not the 8.4 drbdadm (API 1)"

info "no proc/drbd under the root: drbdsetup reports it and the host's modprobe is not run"
mkdir -p "$TEST_TMP/empty"
set +e
out=$(with_shim "$TEST_TMP/empty" strace -f -qq -e trace=execve -o "$TEST_TMP/execs" timeout 20 $drbdsetup show 2>&1); rc=$?
set -e
expect_eq "$rc" "20" "drbdsetup exit status without proc/drbd"
case $out in *"Could not stat /proc/drbd"*) ;; *) fail "drbdsetup said: $out" ;; esac
if grep -q modprobe "$TEST_TMP/execs"; then fail "modprobe was run: $(grep modprobe "$TEST_TMP/execs")"; fi

info "no umcd listening: drbdsetup fails at once with a clear message"
set +e
out=$(with_shim "$root" timeout 10 $drbdsetup show 2>&1); rc=$?
set -e
expect_eq "$rc" "20" "drbdsetup exit status without umcd"
case $out in *"cannot reach umcd's control socket $(fake_genl_name "$root")"*"Could not connect to 'drbd' generic netlink family"*) ;;
  *) fail "unclear message without umcd: $out" ;; esac
# The errno socket() gives, seen by a program that reports it.
expect_output_contains "Protocol not supported" with_shim "$root" python3 -c \
  'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 16)'

info "no 'drbd' family: drbdsetup says so and exits 20"
start_fake_genl "$root" --family absent
set +e
out=$(with_shim "$root" timeout 20 $drbdsetup show 2>&1); rc=$?
set -e
expect_eq "$rc" "20" "drbdsetup exit status without the drbd family"
case $out in *"Could not connect to 'drbd' generic netlink family"*) ;; *) fail "drbdsetup said: $out" ;; esac
case $out in *libumc-preload*) fail "shim complained although umcd answered: $out" ;; esac
grep -q '^getfamily name=drbd pid=[1-9]' "$GENL_LOG" || { cat "$GENL_LOG"; fail "GETFAMILY did not arrive with nl_pid"; }
stop_fake_genl

info "with a 'drbd' family: dumps, a doit request and multicast joins cross the shim"
start_fake_genl "$root" --family drbd
with_shim "$root" timeout 20 $drbdsetup show >"$TEST_TMP/show.out" 2>&1 || { cat "$TEST_TMP/show.out"; fail "drbdsetup show"; }
grep -q '^request type=28 flags=0x301 cmd=2 ' "$GENL_LOG" || { cat "$GENL_LOG"; fail "show did not send GET_STATUS|DUMP"; }
with_shim "$root" timeout 20 $drbdsetup status >"$TEST_TMP/status.out" 2>&1 || { cat "$TEST_TMP/status.out"; fail "drbdsetup status"; }
grep -q '^request type=28 flags=0x301 cmd=30 ' "$GENL_LOG" || { cat "$GENL_LOG"; fail "status did not send GET_RESOURCES|DUMP"; }
# A doit request; the server refuses it with EOPNOTSUPP and drbdsetup reports that.
expect_output_contains "received netlink error reply: Operation not supported" \
  with_shim "$root" timeout 20 $drbdsetup $minor dstate
grep -q "^request type=28 flags=0x1 cmd=2 minor=$minor " "$GENL_LOG" || { cat "$GENL_LOG"; fail "dstate did not send GET_STATUS for minor $minor"; }
# events: joins the nlctrl group 16 and the family's "events" group, then dumps and waits.
with_shim "$root" $drbdsetup events all >"$TEST_TMP/events.out" 2>&1 &
events_pid=$!
on_exit "kill $events_pid"
wait_for 20 "drbdsetup events to join both groups and dump" \
  sh -c "grep -q '^join group=16 ' '$GENL_LOG' && grep -q '^join group=29 ' '$GENL_LOG' && [ \$(grep -c 'cmd=2 minor=4294967295' '$GENL_LOG') -ge 2 ]"
kill "$events_pid"

info "netlink addresses as libgenl expects them"
with_shim "$root" python3 - <<'PY' || fail "netlink socket semantics through the shim"
import os, socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 16)
s.bind((0, 0))
assert s.getsockname() == (os.getpid(), 0), s.getsockname()
s.setsockopt(270, 1, 16)                    # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
name = b"drbd\0"
attr = struct.pack("HH", 4 + len(name), 2) + name + b"\0" * 3
body = struct.pack("BBH", 3, 2, 0) + attr    # CTRL_CMD_GETFAMILY
s.sendto(struct.pack("IHHII", 16 + len(body), 0x10, 1, 7, os.getpid()) + body, (0, 0))
data, addr = s.recvfrom(8192)
assert addr == (0, 0), addr                  # from the kernel: nl_pid 0
length, kind, flags, seq, pid = struct.unpack_from("IHHII", data)
assert (kind, seq) == (0x10, 7), (kind, seq)
s.close()
PY
grep -q "^join group=16 pid=" "$GENL_LOG" || fail "setsockopt(NETLINK_ADD_MEMBERSHIP) was not forwarded"

info "other netlink protocols are not redirected"
with_shim "$root" python3 -c '
import socket
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0)); assert s.getsockname()[0] != 0' || fail "NETLINK_ROUTE was disturbed"

info "without UMC_FS_ROOT nothing is redirected: the host kernel answers for 'nlctrl'"
lines_before=$(wc -l <"$GENL_LOG")
LD_PRELOAD="$PRELOAD_LIB" python3 - <<'PY' || fail "inert shim changed generic netlink"
import os, socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 16)
name = b"nlctrl\0"
attr = struct.pack("HH", 4 + len(name), 2) + name + b"\0"
body = struct.pack("BBH", 3, 2, 0) + attr
s.send(struct.pack("IHHII", 16 + len(body), 0x10, 1, 9, 0) + body)
data = s.recv(65536)
kind, cmd = struct.unpack_from("H", data, 4)[0], data[16]
assert (kind, cmd) == (0x10, 1), "kernel did not answer NEWFAMILY: %r" % data[:24]
PY
expect_eq "$(wc -l <"$GENL_LOG")" "$lines_before" "requests reached the fake umcd without UMC_FS_ROOT"
