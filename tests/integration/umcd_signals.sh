#!/usr/bin/env bash
# Stopping umcd: SIGINT and SIGTERM each make it unmount, flush every
# device and exit 0.  "Flushed" is checked from outside: data written with
# plain buffered writes (no fsync, nothing after it) to dev/d0 on a uring
# device with direct=0 (so every write lands in the host's page cache) is in
# the backing file after the stop, and none of the file's pages is still
# dirty: POSIX_FADV_DONTNEED drops only clean pages, so afterwards fincore must
# report zero resident pages (it reports them all when the final flush is
# missing).  `umc status` lists the device while umcd runs and exits 3 with a
# message once nothing serves the root.  (SIGHUP reloads the config since
# umcd runs as a systemd unit: umcd_notify_reload.sh.)
. "$(dirname "$0")/lib.sh"
requires_root
requires fincore --version
collect_sanitizer_reports
UMC_CLI="$(cd "$(dirname "$0")/../.." && pwd)/tools/umc"
root="$TEST_TMP/root"

# drop_clean_pages FILE: ask the kernel to drop FILE's clean cached pages.
drop_clean_pages() {
  python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
os.close(fd)' "$1"
}
resident_pages() { fincore -n -b -o PAGES "$1" | tr -d ' '; }

head -c 16M /dev/urandom >"$TEST_TMP/data"
want=$(sha256sum <"$TEST_TMP/data")

for sig in INT TERM; do
  img="$TEST_TMP/disk.$sig.img"
  truncate -s 64M "$img"
  conf="$TEST_TMP/umcd.$sig.conf"
  write_umcd_config "$conf" "$root" "[device d0]" "backend = uring" "path = $img" "direct = 0"
  start_umcd_fg "$conf"
  pid=$UMCD_PID

  info "SIG$sig: umc status lists the device while umcd $pid runs"
  UMC_FS_ROOT=$root "$UMC_CLI" status >"$TEST_TMP/status" 2>&1 ||
    { cat "$TEST_TMP/status"; fail "umc status failed while umcd runs"; }
  grep -q "^umcd pid $pid, root $root" "$TEST_TMP/status" || fail "umc status header: $(cat "$TEST_TMP/status")"
  grep -Eq "^d0 +uring +64\.0 MiB +path=$img,direct=0$" "$TEST_TMP/status" ||
    fail "umc status lacks d0: $(cat "$TEST_TMP/status")"

  info "SIG$sig: buffered writes of 16 MiB to dev/d0, then SIG$sig"
  dd if="$TEST_TMP/data" of="$root/dev/d0" bs=64K conv=notrunc status=none
  kill -"$sig" "$pid"
  rc=0
  wait "$pid" || rc=$?
  expect_eq "$rc" 0 "umcd exit status after SIG$sig"
  expect_no_sanitizer_reports
  ! is_mounted "$root" || fail "umcd left $root mounted after SIG$sig"
  case $sig in INT) name=Interrupt ;; TERM) name=Terminated ;; esac
  grep -q "stopping on $name" "$TEST_TMP/umcd.log" || fail "the log does not say umcd stopped on SIG$sig"

  info "SIG$sig: the backing file holds the data, and none of it is left dirty"
  drop_clean_pages "$img"
  pages=$(resident_pages "$img")
  expect_eq "$pages" 0 "pages of the image still cached (dirty) after the stop"
  expect_eq "$(head -c 16M "$img" | sha256sum)" "$want" "backing file contents after SIG$sig"

  info "SIG$sig: umc status exits 3 with a message once nothing serves $root"
  rc=0
  UMC_FS_ROOT=$root "$UMC_CLI" status >"$TEST_TMP/status" 2>&1 || rc=$?
  expect_eq "$rc" 3 "umc status exit code without a daemon"
  grep -q "no umcd serves $root" "$TEST_TMP/status" || fail "umc status message: $(cat "$TEST_TMP/status")"
done
