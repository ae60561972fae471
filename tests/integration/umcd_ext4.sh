#!/usr/bin/env bash
# A real filesystem on a umcd device: mkfs.ext4 on dev/<name>, mount -o loop,
# copy a real tree, umount, e2fsck clean; restart the daemon and the data is
# still there with equal checksums.  Run once per file backend.
. "$(dirname "$0")/lib.sh"
requires_root
requires mkfs.ext4 -V
backend=${1:-uring}

img="$TEST_TMP/disk.img"
truncate -s 256M "$img"
conf="$TEST_TMP/umcd.conf"
write_umcd_config "$conf" "$TEST_TMP/root" "[device d0]" "backend = $backend" "path = $img"

info "start umcd ($backend) and make ext4 on dev/d0"
start_umcd "$conf"
pid1=$UMCD_PID
dev="$UMCD_ROOT/dev/d0"
expect_eq "$(stat -c %s "$dev")" "268435456" "dev/d0 size"
mkfs.ext4 -q -F -E nodiscard "$dev"

info "mount via loop, copy /usr/include/linux, record checksums"
mnt="$TEST_TMP/mnt"
mount_loop "$dev" "$mnt"
cp -a /usr/include/linux "$mnt/"
(cd "$mnt" && find linux -type f -print0 | sort -z | xargs -0 sha256sum) >"$TEST_TMP/sums"
[ "$(wc -l <"$TEST_TMP/sums")" -gt 100 ] || fail "copied tree is too small"
umount "$mnt"
e2fsck -fn "$dev" >"$TEST_TMP/fsck1" 2>&1 || { cat "$TEST_TMP/fsck1"; fail "e2fsck after copy"; }

info "restart the daemon; the data must survive"
stop_umcd "$pid1" "$UMCD_ROOT"
start_umcd "$conf"
e2fsck -fn "$dev" >"$TEST_TMP/fsck2" 2>&1 || { cat "$TEST_TMP/fsck2"; fail "e2fsck after restart"; }
mount_loop "$dev" "$mnt" ro
(cd "$mnt" && sha256sum --quiet --strict -c "$TEST_TMP/sums") || fail "checksums differ after restart"
umount "$mnt"
