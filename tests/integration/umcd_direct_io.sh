#!/usr/bin/env bash
# O_DIRECT stays direct: 1 MiB O_DIRECT writes to dev/<name> reach uring/aio
# (and fault over uring) devices in buffers they can issue with O_DIRECT, so
# the backing file's pages never enter the host page cache (fincore: 0).
# libfuse hands large writes over in a buffer that is only 16-byte aligned;
# umcd asks fuse_nodes for 4 KiB-aligned buffers for these backends, without
# which every such write went through the page cache.  The same writes to
# devices with direct=0 do leave cached pages: the control showing the probe
# sees the page cache.  The data is verified (crc32c) on every device.
. "$(dirname "$0")/lib.sh"
requires_root
requires fio --version
requires fincore --version
collect_sanitizer_reports

conf="$TEST_TMP/umcd.conf"
lines=()
for d in uring aio fault uring_buffered aio_buffered; do
  truncate -s 64M "$TEST_TMP/$d.img"
  case $d in
    uring|aio)  lines+=("[device $d]" "backend = $d" "path = $TEST_TMP/$d.img") ;;
    fault)      lines+=("[device $d]" "backend = fault" "inner = uring" "path = $TEST_TMP/$d.img") ;;
    *_buffered) lines+=("[device $d]" "backend = ${d%_buffered}" "path = $TEST_TMP/$d.img" "direct = 0") ;;
  esac
done
write_umcd_config "$conf" "$TEST_TMP/root" "${lines[@]}"
start_umcd "$conf"

for d in uring aio fault uring_buffered aio_buffered; do
  run_fio "$d" --name="$d" --filename="$UMCD_ROOT/dev/$d" --allow_file_create=0 --fallocate=none \
    --ioengine=libaio --direct=1 --iodepth=8 --bs=1M --rw=write --size=64M \
    --verify=crc32c --do_verify=1 --verify_fatal=1
  pages=$(fincore -n -b -o PAGES "$TEST_TMP/$d.img" | tr -d ' ')
  info "$d: $(fio_json "$TEST_TMP/$d.json" '"%.0f MiB/s" % (d["jobs"][0]["write"]["bw"] / 1024)'), $pages page(s) of the backing file cached"
  case $d in
    *_buffered) [ "$pages" -gt 0 ] || fail "$d: direct=0 left no page cached: the probe does not work" ;;
    *) expect_eq "$pages" 0 "$d: pages of the backing file in the page cache after O_DIRECT writes" ;;
  esac
done

info "stop umcd: no sanitizer reports (leaks are reported at exit)"
stop_umcd "$UMCD_PID" "$UMCD_ROOT"
expect_no_sanitizer_reports
