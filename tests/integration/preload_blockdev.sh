#!/usr/bin/env bash
# The block-device illusion: with libumc-preload.so, umcd's FUSE nodes look
# like block devices to unmodified programs.  stat(1) and blockdev(8) (an
# independent BLK* ioctl user) see a block special file of the right size, and
# Debian's drbdmeta creates and dumps v08 meta-data on them WITHOUT --force -
# which it refuses ("is not a block device!") when the shim is absent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
requires_root
requires test -x /sbin/drbdmeta
requires blockdev --version

alloc_minor minor_int
alloc_minor minor_ext
claim_drbd_minor $minor_int
claim_drbd_minor $minor_ext

conf="$TEST_TMP/umcd.conf"
write_umcd_config "$conf" "$TEST_TMP/root" \
  "[device d0]" "backend = ram" "size = 64M" \
  "[device md0]" "backend = ram" "size = 16M" \
  "[device d1]" "backend = ram" "size = 32M"
start_umcd "$conf"
root=$UMCD_ROOT d0="$UMCD_ROOT/dev/d0" md0="$UMCD_ROOT/dev/md0" d1="$UMCD_ROOT/dev/d1"

info "without UMC_FS_ROOT the shim is inert"
expect_eq "$(LD_PRELOAD="$PRELOAD_LIB" stat -c %F "$d0")" "regular file" "inert stat type"
expect_fail env LD_PRELOAD="$PRELOAD_LIB" blockdev --getsize64 "$d0"
expect_output_contains "is not a block device" env LD_PRELOAD="$PRELOAD_LIB" drbdmeta $minor_int v08 "$d0" internal dump-md

info "stat and blockdev see a block device"
expect_eq "$(with_shim "$root" stat -c '%F %s' "$d0")" "block special file 0" "stat of dev/d0"
expect_eq "$(with_shim "$root" blockdev --getsize64 "$d0")" "67108864" "BLKGETSIZE64"
expect_eq "$(with_shim "$root" blockdev --getsz "$d0")" "131072" "BLKGETSIZE (sectors)"
expect_eq "$(with_shim "$root" blockdev --getss "$d0")" "512" "BLKSSZGET"
expect_eq "$(with_shim "$root" blockdev --getro "$d0")" "0" "BLKROGET"
# Another root spelling (unresolved, trailing slash) reaches the same nodes.
expect_eq "$(with_shim "$TEST_TMP/./root/" stat -c %F "$TEST_TMP/./root/dev/d0")" "block special file" "root spelling"
# stat(1) uses statx; a shell redirection + fstat path is covered by drbdmeta below.
major_minor=$(with_shim "$root" stat -c '%t:%T' "$d0")
expect_eq "$major_minor" "$(with_shim "$root" stat -c '%t:%T' "$d0")" "stable device number"
[ "$major_minor" != "$(with_shim "$root" stat -c '%t:%T' "$md0")" ] || fail "d0 and md0 share a device number"
# The dev/ directory and files elsewhere are left alone.
expect_eq "$(with_shim "$root" stat -c %F "$root/dev")" "directory" "dev/ stays a directory"

info "BLKZEROOUT and BLKDISCARD reach umcd"
printf 'not zero' | dd of="$d1" bs=512 seek=8 conv=notrunc status=none
python3 - "$PRELOAD_LIB" "$root" "$d1" <<'PY' || fail "BLKZEROOUT/BLKDISCARD through the shim"
import ctypes, os, struct, sys
# ctypes calls libc's ioctl through the dynamic linker, so LD_PRELOAD applies;
# this process was started without it, so load the shim first, globally.
lib, root, dev = sys.argv[1:]
os.environ["UMC_FS_ROOT"] = root
shim = ctypes.CDLL(lib, mode=ctypes.RTLD_GLOBAL, use_errno=True)
fd = shim.open(dev.encode(), os.O_RDWR)
assert fd >= 0, "open"
BLKDISCARD, BLKZEROOUT = 0x1277, 0x127f
rng = (ctypes.c_uint64 * 2)(4096, 4096)
assert shim.ioctl(fd, BLKZEROOUT, rng) == 0, "BLKZEROOUT"
bad = (ctypes.c_uint64 * 2)(100, 512)
assert shim.ioctl(fd, BLKZEROOUT, bad) == -1 and ctypes.get_errno() == 22, "unaligned BLKZEROOUT: EINVAL"
past = (ctypes.c_uint64 * 2)(32 << 20, 512)
assert shim.ioctl(fd, BLKDISCARD, past) == -1 and ctypes.get_errno() == 22, "BLKDISCARD past the end: EINVAL"
rng2 = (ctypes.c_uint64 * 2)(8192, 8192)
assert shim.ioctl(fd, BLKDISCARD, rng2) == 0, "BLKDISCARD"
os.close(fd)
with open(dev, "rb") as f:
    f.seek(4096)
    assert f.read(4096) == bytes(4096), "zeroed range is not zero"
PY

info "drbdmeta create-md / dump-md with internal meta-data, no --force"
with_shim "$root" drbdmeta $minor_int v08 "$d0" internal create-md </dev/null >"$TEST_TMP/create.out" 2>&1 ||
  { cat "$TEST_TMP/create.out"; fail "drbdmeta create-md (internal)"; }
expect_file_contains "$TEST_TMP/create.out" "New drbd meta data block successfully created" "create-md did not say so"
with_shim "$root" drbdmeta $minor_int v08 "$d0" internal dump-md </dev/null >"$TEST_TMP/dump.out" 2>&1 ||
  { cat "$TEST_TMP/dump.out"; fail "drbdmeta dump-md (internal)"; }
for want in 'version "v08";' 'la-size-sect 0;' 'uuid {' 'bm-byte-per-bit 4096;' \
            '# md_offset 67104768' '# md_size_sect 80'; do
  expect_file_contains "$TEST_TMP/dump.out" "$want" "dump-md lacks '$want'"
done
info "without a tty drbdmeta will not overwrite; --force answers only that question"
expect_output_contains "stdin not a TTY" with_shim "$root" drbdmeta $minor_int v08 "$d0" internal create-md </dev/null
with_shim "$root" drbdmeta --force $minor_int v08 "$d0" internal create-md </dev/null >/dev/null 2>&1 ||
  fail "drbdmeta --force create-md over existing meta-data"

info "external meta-data on a second device"
with_shim "$root" drbdmeta $minor_ext v08 "$md0" 0 create-md </dev/null >"$TEST_TMP/ext.out" 2>&1 ||
  { cat "$TEST_TMP/ext.out"; fail "drbdmeta create-md (external)"; }
with_shim "$root" drbdmeta $minor_ext v08 "$md0" 0 dump-md </dev/null >"$TEST_TMP/extdump.out" 2>&1 ||
  { cat "$TEST_TMP/extdump.out"; fail "drbdmeta dump-md (external)"; }
expect_file_contains "$TEST_TMP/extdump.out" 'version "v08";' "external dump-md lacks the version"
expect_file_contains "$TEST_TMP/extdump.out" '# md_offset 0' "external md not at offset 0"

info "without the shim drbdmeta refuses the same node"
expect_output_contains "is not a block device" drbdmeta $minor_int v08 "$d0" internal dump-md
