#!/usr/bin/env bash
# fio data verification on a umcd device: two jobs on disjoint halves write
# random blocks (4 KiB to 1 MiB, so both the copied and the in-place FUSE
# write paths run) with O_DIRECT through libaio at iodepth 16, each block
# carrying a crc32c header, and read everything back to check it.  For file
# backends the daemon is then restarted and a verify-only pass replays the
# same workload against what survived on the backing store.  Finally a
# deliberately clobbered block must make the verifier fail (the check bites).
#
#   umcd_fio_verify.sh ram|mmap|uring|aio|fault|tcmu
#
# fault = the fault backend over uring with a control file that is not there
# (no faults armed).  tcmu = Debian's tcmu-runner qcow handler on an image from
# `qemu-img create -f qcow2`, followed by mkfs.ext4 + e2fsck and qemu-img check;
# skipped (77) when umcd has no tcmu backend or the handler/qemu-img is missing.
. "$(dirname "$0")/lib.sh"
requires_root
requires fio --version
backend=${1:?usage: $0 BACKEND}
collect_sanitizer_reports

per_job=64M          # each job's region; the device holds both
img="$TEST_TMP/disk.img"
conf="$TEST_TMP/umcd.conf"
case $backend in
  ram)   dev_lines=("backend = ram" "size = 128M") ;;
  mmap|uring|aio)
         truncate -s 128M "$img"; dev_lines=("backend = $backend" "path = $img") ;;
  fault) truncate -s 128M "$img"
         dev_lines=("backend = fault" "inner = uring" "control = $TEST_TMP/d0.fault" "path = $img") ;;
  tcmu)  requires backend_available tcmu
         requires qemu-img --version
         requires test -e /usr/lib/x86_64-linux-gnu/tcmu-runner/handler_qcow.so
         requires mkfs.ext4 -V
         per_job=32M   # the qcow handler serves one request at a time
         qemu-img create -q -f qcow2 "$img" 128M
         dev_lines=("backend = tcmu" "handler = qcow" "path = $img") ;;
  *) fail "unknown backend '$backend'" ;;
esac
write_umcd_config "$conf" "$TEST_TMP/root" "[device d0]" "${dev_lines[@]}"

start_umcd "$conf"
dev="$UMCD_ROOT/dev/d0"
expect_eq "$(stat -c %s "$dev")" "134217728" "dev/d0 size"

job=(--name=verify --filename="$dev" --allow_file_create=0 --fallocate=none
     --ioengine=libaio --direct=1 --iodepth=16 --numjobs=2
     --size="$per_job" --offset_increment="$per_job"
     --rw=randwrite --bssplit=4k/50:64k/30:1m/20
     --verify=crc32c --verify_fatal=1 --verify_dump=0)
per_job_bytes=$(( ${per_job%M} * 1024 * 1024 ))

# expect_verified NAME: fio NAME read back (verified) both jobs' regions.
expect_verified() {
  local read
  read=$(fio_json "$TEST_TMP/$1.json" 'sorted(j["read"]["io_bytes"] for j in d["jobs"])')
  expect_eq "$read" "[$per_job_bytes, $per_job_bytes]" "bytes verified by fio $1"
}

info "$backend: random writes with crc32c headers, 2 jobs x $per_job, then verify"
run_fio write "${job[@]}" --do_verify=1
written=$(fio_json "$TEST_TMP/write.json" 'sorted(j["write"]["io_bytes"] for j in d["jobs"])')
expect_eq "$written" "[$per_job_bytes, $per_job_bytes]" "bytes written by fio"
expect_verified write

if [ "$backend" != ram ]; then
  info "restart umcd; a verify-only pass must find every block intact"
  stop_umcd "$UMCD_PID" "$UMCD_ROOT"
  start_umcd "$conf"
fi
run_fio reverify "${job[@]}" --verify_only
expect_verified reverify

info "clobber the first 4 KiB of each job's region: the verifier must notice"
for off in 0 "$per_job_bytes"; do
  dd if=/dev/zero of="$dev" bs=4096 count=1 seek=$((off / 4096)) oflag=direct conv=notrunc status=none
done
if fio --output-format=json --output="$TEST_TMP/clobbered.json" "${job[@]}" --verify_only \
     >"$TEST_TMP/clobbered.err" 2>&1; then
  fail "fio verified a device with zeroed blocks: the check has no teeth"
fi
grep -q "verify: bad magic header" "$TEST_TMP/clobbered.err" "$TEST_TMP/clobbered.json" ||
  { cat "$TEST_TMP/clobbered.err"; fail "fio failed, but not with a verification error"; }

if [ "$backend" = tcmu ]; then
  info "tcmu: mkfs.ext4 + e2fsck on the qcow2-backed device, then qemu-img check"
  mkfs.ext4 -q -F "$dev"
  e2fsck -fn "$dev" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck on the tcmu device"; }
  stop_umcd "$UMCD_PID" "$UMCD_ROOT"
  qemu-img check -q "$img" || fail "qemu-img check after stop"
  start_umcd "$conf"
  e2fsck -fn "$UMCD_ROOT/dev/d0" >"$TEST_TMP/fsck2" 2>&1 ||
    { cat "$TEST_TMP/fsck2"; fail "e2fsck on the tcmu device after a restart"; }
fi

info "stop umcd: no sanitizer reports (leaks are reported at exit)"
stop_umcd "$UMCD_PID" "$UMCD_ROOT"
expect_no_sanitizer_reports
