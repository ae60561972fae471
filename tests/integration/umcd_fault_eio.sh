#!/usr/bin/env bash
# Fault injection at run time through the fault backend's control file, as an
# application sees it: O_DIRECT read(2)/write(2) (dd) of an armed sector range
# fail with EIO ("Input/output error") while the rest of the device keeps
# working; disarming makes the range work again with its data unchanged by the
# refused write; errno and op selection (error=write, errno=ENOSPC) reach the
# application; latency_us delays completions.  The daemon keeps serving
# throughout (kill -0, proc/umcd/devices).
. "$(dirname "$0")/lib.sh"
requires_root
collect_sanitizer_reports

img="$TEST_TMP/disk.img"
truncate -s 64M "$img"
mkdir "$TEST_TMP/ctl"
ctl="$TEST_TMP/ctl/d0.fault"
conf="$TEST_TMP/umcd.conf"
write_umcd_config "$conf" "$TEST_TMP/root" "[device d0]" "backend = fault" "inner = uring" \
  "control = $ctl" "path = $img"
start_umcd "$conf"
dev="$UMCD_ROOT/dev/d0"

# The armed range: sectors 2048-2055 = the 4 KiB block 256 (offset 1 MiB).
blk=256
fault_range="error_sectors=2048-2056"

# apply_faults GENERATION LINES...: install a control file atomically and
# wait until the backend reports it applied.
apply_faults() {
  local gen=$1; shift
  printf '%s\n' "$@" "generation=$gen" >"$ctl.tmp"
  mv "$ctl.tmp" "$ctl"
  wait_for 10 "fault generation $gen to apply" grep -qx "generation=$gen" "$ctl.state"
  grep -qx "status=ok" "$ctl.state" || fail "control file refused: $(cat "$ctl.state")"
}

# read_block N: block N (4 KiB) of dev/d0 with O_DIRECT to stdout.
read_block() { dd if="$dev" bs=4096 skip="$1" count=1 iflag=direct status=none; }
# write_block N FILE: FILE (4 KiB) to block N with O_DIRECT.
write_block() { dd if="$2" of="$dev" bs=4096 seek="$1" count=1 oflag=direct conv=notrunc status=none; }
# expect_errno TEXT CMD...: CMD fails and its message names TEXT.
expect_errno() {
  local text=$1; shift
  if "$@" >"$TEST_TMP/errno.out" 2>&1; then fail "succeeded despite an armed fault: $*"; fi
  grep -qF "$text" "$TEST_TMP/errno.out" || fail "'$*' failed without '$text': $(cat "$TEST_TMP/errno.out")"
}
# expect_block N FILE: block N holds FILE's bytes.
expect_block() { read_block "$1" | cmp -s - "$2" || fail "block $1 does not hold $2"; }
# expect_serving: the daemon is alive and answers on its tree.
expect_serving() {
  kill -0 "$UMCD_PID" 2>/dev/null || fail "umcd died"
  grep -q "^d0 *fault" "$UMCD_ROOT/proc/umcd/devices" || fail "proc/umcd/devices lacks d0"
}

info "fill the first 2 MiB with known data"
head -c 2M /dev/urandom >"$TEST_TMP/pattern"
dd if="$TEST_TMP/pattern" of="$dev" bs=1M oflag=direct conv=notrunc status=none
for b in $((blk - 1)) $blk $((blk + 1)); do
  dd if="$TEST_TMP/pattern" of="$TEST_TMP/old.$b" bs=4096 skip=$b count=1 status=none
done
head -c 4096 /dev/urandom >"$TEST_TMP/new"

info "arm EIO for reads and writes of sectors 2048-2055"
apply_faults 1 "error=all" "$fault_range" "errno=EIO"
expect_errno "Input/output error" read_block $blk
expect_errno "Input/output error" write_block $blk "$TEST_TMP/new"
expect_errno "Input/output error" dd if="$dev" of=/dev/null bs=1M count=2 iflag=direct status=none
expect_serving
info "neighbouring blocks keep working"
expect_block $((blk - 1)) "$TEST_TMP/old.$((blk - 1))"
expect_block $((blk + 1)) "$TEST_TMP/old.$((blk + 1))"
write_block $((blk + 1)) "$TEST_TMP/new"
expect_block $((blk + 1)) "$TEST_TMP/new"
expect_serving

info "disarm: the range reads its old data (the refused write changed nothing) and takes writes"
apply_faults 2 "error=none"
expect_block $blk "$TEST_TMP/old.$blk"
write_block $blk "$TEST_TMP/new"
expect_block $blk "$TEST_TMP/new"
expect_serving

info "error=write with errno=ENOSPC: writes fail with that errno, reads work"
apply_faults 3 "error=write" "$fault_range" "errno=ENOSPC"
expect_errno "No space left on device" write_block $blk "$TEST_TMP/old.$blk"
expect_block $blk "$TEST_TMP/new"
expect_serving

info "latency_us=300000: a read takes at least 0.3 s and returns the right data"
apply_faults 4 "latency_us=300000"
t0=$(date +%s%N)
expect_block $blk "$TEST_TMP/new"
elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
info "read with latency took ${elapsed_ms} ms"
[ "$elapsed_ms" -ge 300 ] || fail "read with latency_us=300000 took only ${elapsed_ms} ms"
expect_serving

info "delete the control file: every fault is cleared"
rm "$ctl"
wait_for 10 "the fault state to clear" grep -qx "generation=0" "$ctl.state"
expect_block $blk "$TEST_TMP/new"
write_block $blk "$TEST_TMP/old.$blk"
expect_block $blk "$TEST_TMP/old.$blk"
expect_serving

info "stop umcd: no sanitizer reports (leaks are reported at exit)"
stop_umcd "$UMCD_PID" "$UMCD_ROOT"
expect_no_sanitizer_reports
