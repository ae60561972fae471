#!/usr/bin/env bash
# Crash consistency of a Primary: ext4 on dev/drbdN (uring file backing,
# internal meta-data), a writer appends 4 KiB records with fsync(2) each and
# logs every acknowledged record outside the mount; umcd is killed with
# SIGKILL while writes are in flight.  Then:
#   - the writer gets an error, the mounts go away (auto_unmount + teardown),
#   - after a restart `drbdadm up` replays the activity log (apply-al) and
#     attaches; the disk comes back UpToDate/DUnknown and the node Secondary,
#   - `drbdadm primary` (no --force), the ext4 journal is replayed by mount +
#     umount, `e2fsck -fn` finds nothing to fix,
#   - every record acknowledged before the kill is present and intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init 210 umc_t_kill9
requires mkfs.ext4 -V
backend_available uring || { echo "SKIP: $TEST_NAME needs umcd's uring backend"; exit 77; }

img="$TEST_TMP/d0.img"
truncate -s 128M "$img"
start_drbd_node "$TEST_TMP/root" "d0=uring:path=$img"
pid1=$UMCD_PID
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
node=$(drbd_node_path)
must pri drbdadm_umc primary --force "$DRBD_RES"
mkfs.ext4 -q -F -E nodiscard "$node" || fail "mkfs.ext4 on $node"
mnt="$TEST_TMP/mnt"
mount_loop "$node" "$mnt"
loop=$(loop_of "$mnt")

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
            if os.write(fd, record(seq)) != SIZE:
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

info "writer: 4 KiB records, fsync each, acknowledged in a log outside the mount"
ack="$TEST_TMP/acked"
: >"$ack"
python3 "$TEST_TMP/records.py" write "$mnt/records" "$ack" 2>"$TEST_TMP/writer.err" &
writer=$!
on_exit "kill -KILL $writer; wait $writer"
wait_for 60 "200 acknowledged records" sh -c "[ \$(wc -l <'$ack') -ge 200 ]"

info "kill -9 umcd (Primary, writes in flight) after $(wc -l <"$ack") acknowledged records"
kill_umcd "$pid1" "$DRBD_ROOT"
wait_for 30 "the writer to notice the dead device" sh -c "! kill -0 $writer"
rc=0
wait "$writer" || rc=$?
[ "$rc" -ne 0 ] || fail "the writer ended without an error"
info "writer stopped with: $(tail -n 1 "$TEST_TMP/writer.err")"
info "$(wc -l <"$ack") records were acknowledged in all"
umount "$mnt" 2>/dev/null || umount -l "$mnt"
wait_for 10 "$loop to be released" sh -c "! losetup '$loop'"

info "restart umcd; drbdadm up runs apply-al and attaches"
restart_drbd_node
drbd_up
expect_drbd_state role "Secondary/Unknown"
expect_drbd_state dstate "UpToDate/DUnknown"
must pri2 drbdadm_umc primary "$DRBD_RES"

info "replay the ext4 journal (mount + umount); e2fsck -fn must be clean"
mount_loop "$node" "$mnt"
umount "$mnt"
e2fsck -fn "$node" >"$TEST_TMP/fsck" 2>&1 || { cat "$TEST_TMP/fsck"; fail "e2fsck -fn after journal replay"; }

info "every acknowledged record is present and intact"
mount_loop "$node" "$mnt" ro
python3 "$TEST_TMP/records.py" check "$mnt/records" "$ack" || fail "acknowledged data lost"
umount "$mnt"
must sec drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
umcd_alive
