#!/usr/bin/env bash
# Data through a DRBD minor's FUSE node, checked end to end.  DRBD only gets
# bios the kernel would build (umc_disk_submit refuses memory that is not
# 512-byte aligned with EINVAL), and fuse_nodes hands it write payloads in
# the page-aligned buffers they were received into, without a copy: if that
# alignment ever broke, the writes below would fail.
#   1. fio, libaio O_DIRECT at iodepth 16, 2 jobs, random writes of 4 KiB to
#      1 MiB (copied and in-place paths) with crc32c headers, read back;
#   2. fio, 4 synchronous writers (psync, buffered fd: FUSE direct_io still
#      sends them as they are) that run in parallel on one file
#      (FOPEN_PARALLEL_DIRECT_WRITES), verified the same way;
#   3. writes at unaligned offsets and sizes from misaligned memory
#      (read-modify-write in fuse_nodes) against a shadow copy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_fiover
requires fio --version

start_drbd_node "$TEST_TMP/root" d0=ram:size=160M
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
must pri drbdadm_umc primary --force "$DRBD_RES"
expect_drbd_state role "Primary/Unknown"
node=$(drbd_node_path)

per_job=64M
per_job_bytes=$((64 << 20))
common=(--filename="$node" --allow_file_create=0 --fallocate=none --size="$per_job"
        --offset_increment="$per_job" --verify=crc32c --verify_fatal=1 --verify_dump=0
        --verify_state_save=0)

info "libaio O_DIRECT, 2 jobs x $per_job, random writes 4 KiB .. 1 MiB, verified"
run_fio aio --name=aio "${common[@]}" --ioengine=libaio --direct=1 --iodepth=16 --numjobs=2 \
  --rw=randwrite --bssplit=4k/40:64k/20:132k/20:1m/20 --do_verify=1
read=$(fio_json "$TEST_TMP/aio.json" 'sorted(j["read"]["io_bytes"] for j in d["jobs"])')
expect_eq "$read" "[$per_job_bytes, $per_job_bytes]" "bytes verified after libaio writes"

info "4 synchronous writers on one file, buffered fd, verified"
run_fio sync --name=sync "${common[@]}" --size=32M --offset_increment=32M --ioengine=psync --direct=0 \
  --numjobs=4 --rw=randwrite --bssplit=4k/50:256k/50 --do_verify=1
read=$(fio_json "$TEST_TMP/sync.json" 'sum(j["read"]["io_bytes"] for j in d["jobs"])')
expect_eq "$read" "$((4 * (32 << 20)))" "bytes verified after synchronous writes"

info "unaligned offsets and sizes from misaligned memory, against a shadow copy"
python3 - "$node" <<'PY' || fail "unaligned writes did not read back exactly"
import mmap, os, random, sys
fd = os.open(sys.argv[1], os.O_RDWR)
region = 4 << 20
os.pwrite(fd, bytes(region), 0)
shadow = bytearray(region)
rng = random.Random(231)
buf = mmap.mmap(-1, 400 << 10)  # page-aligned; slices at odd offsets are not
for i in range(200):
    n = rng.randrange(1, 300 << 10)
    off = rng.randrange(0, region - n)
    data = rng.randbytes(n)
    skew = 1 + i % 7
    buf[skew:skew + n] = data
    if os.pwrite(fd, memoryview(buf)[skew:skew + n], off) != n:
        sys.exit(f"short write {i}")
    shadow[off:off + n] = data
back = os.pread(fd, region, 0)
os.close(fd)
if back != bytes(shadow):
    first = next(i for i in range(region) if back[i] != shadow[i])
    sys.exit(f"first difference at byte {first}")
PY

umcd_alive
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
