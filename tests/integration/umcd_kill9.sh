#!/usr/bin/env bash
# Crash consistency: a writer appends 4 KiB records to a file on ext4 (mount
# -o loop on dev/d0, uring backend) with fsync(2) after each and logs every
# acknowledged record outside the mount.  umcd is killed with SIGKILL once
# enough records are acknowledged (seen in that log).  Then:
#   - the writer gets an error (the dead device is not silently "working"),
#   - the FUSE mount goes away by itself (auto_unmount) and the ext4 mount and
#     its loop device are torn down by the test,
#   - after a restart the journal is replayed by mounting and unmounting (a
#     crashed ext4 has needs_recovery set; `e2fsck -n` cannot replay, and
#     `e2fsck -y` would also silently repair real damage, which must not be
#     hidden), and then `e2fsck -fn` must find nothing to fix,
#   - every record acknowledged before the kill is present and intact.
. "$(dirname "$0")/lib.sh"
requires_root
requires mkfs.ext4 -V
collect_sanitizer_reports

img="$TEST_TMP/disk.img"
truncate -s 128M "$img"
conf="$TEST_TMP/umcd.conf"
write_umcd_config "$conf" "$TEST_TMP/root" "[device d0]" "backend = uring" "path = $img"
start_umcd "$conf"
pid1=$UMCD_PID
dev="$UMCD_ROOT/dev/d0"
mkfs.ext4 -q -F -E nodiscard "$dev"
mnt="$TEST_TMP/mnt"
mount_loop "$dev" "$mnt"
loop=$(loop_of "$mnt")
[ -b "$loop" ] || fail "no loop device under $mnt"

cat >"$TEST_TMP/records.py" <<'PY'
# records.py write FILE ACKLOG | check FILE ACKLOG
import hashlib, os, sys
SIZE = 4096
def record(seq):
    head = b"REC %09d\n" % seq
    body = hashlib.sha256(head).digest() * (SIZE // 32)
    return head + body[:SIZE - len(head)]
mode, path, acklog = sys.argv[1:4]
if mode == "write":
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    with open(acklog, "a", buffering=1) as ack:
        seq = 0
        while True:
            rec = record(seq)
            if os.write(fd, rec) != SIZE:
                sys.exit("short write")
            os.fsync(fd)
            ack.write("%d\n" % seq)
            seq += 1
else:
    acked = [int(l) for l in open(acklog).read().split("\n")[:-1]]
    assert acked == list(range(len(acked))), "ack log is not 0..n-1"
    data = open(path, "rb").read()
    for seq in acked:
        if data[seq * SIZE:(seq + 1) * SIZE] != record(seq):
            sys.exit("record %d (acknowledged) is missing or damaged; file has %d bytes"
                     % (seq, len(data)))
    print("%d acknowledged records intact; the file holds %d records"
          % (len(acked), len(data) // SIZE))
PY

info "writer: 4 KiB records with fsync each, acknowledged in a log outside the mount"
ack="$TEST_TMP/acked"
: >"$ack"
python3 "$TEST_TMP/records.py" write "$mnt/records" "$ack" 2>"$TEST_TMP/writer.err" &
writer=$!
on_exit "kill -KILL $writer; wait $writer"
wait_for 60 "200 acknowledged records" sh -c "[ \$(wc -l <'$ack') -ge 200 ]"

info "kill -9 umcd after $(wc -l <"$ack") acknowledged records"
kill_umcd "$pid1" "$UMCD_ROOT"
wait_for 30 "the writer to notice the dead device" sh -c "! kill -0 $writer"
rc=0
wait "$writer" || rc=$?
[ "$rc" -ne 0 ] || fail "the writer ended without an error"
info "writer stopped with: $(tail -n 1 "$TEST_TMP/writer.err")"
info "$(wc -l <"$ack") records were acknowledged in all"

info "tear down the ext4 mount and its loop device"
umount "$mnt" 2>"$TEST_TMP/umount.err" || umount -l "$mnt"
wait_for 10 "$loop to be released" sh -c "! losetup '$loop'"
! is_mounted "$mnt" || fail "$mnt still mounted"

info "restart umcd; replay the journal by mount + umount; e2fsck -fn must be clean"
start_umcd "$conf"
if dumpe2fs -h "$dev" 2>/dev/null | grep -q "^Filesystem features:.*needs_recovery"; then
  info "the crashed ext4 has needs_recovery set (expected: it was mounted when umcd died)"
else
  info "note: the journal needed no recovery"
fi
mount_loop "$dev" "$mnt"
umount "$mnt"
e2fsck -fn "$dev" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn after journal replay"; }

info "every acknowledged record is present and intact"
mount_loop "$dev" "$mnt" ro
python3 "$TEST_TMP/records.py" check "$mnt/records" "$ack" || fail "acknowledged data lost"
umount "$mnt"

info "stop umcd: no sanitizer reports (leaks are reported at exit)"
stop_umcd "$UMCD_PID" "$UMCD_ROOT"
expect_no_sanitizer_reports
