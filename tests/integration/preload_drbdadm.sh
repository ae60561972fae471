#!/usr/bin/env bash
# The whole drbdadm control flow through libumc-preload.so: `drbdadm up` and
# `drbdadm down` of a resource, run by Debian's unmodified drbdadm, which
# dispatches to drbdadm-84, which runs drbdsetup-84 and drbdmeta - each a new
# process with its own redirected netlink socket.  The "kernel" is
# preload_fake_genl.py answering every doit with NO_ERROR (umcd has no DRBD
# yet); the backing disk is a file under a plain-directory UMC_FS_ROOT, which
# the shim shows as a block device like a umcd node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
requires_root
requires test -x /sbin/drbdadm
requires python3 --version

res=umc_preload_r
alloc_minor minor
claim_drbd_minor $minor
for f in "/var/run/drbd/drbd-minor-$minor.conf" "/var/run/drbd/drbd-resource-$res.conf"; do
  [ ! -e "$f" ] || fail "$f exists: minor $minor or resource $res is in use on this host"
  on_exit "rm -f '$f'"
done

root="$TEST_TMP/root"
mkdir -p "$root/proc" "$root/dev"
echo 'version: 8.4.11 (api:1/proto:86-101)' >"$root/proc/drbd"
truncate -s 64M "$root/dev/disk"
conf="$TEST_TMP/drbd.conf"
cat >"$conf" <<CONF
global { usage-count no; }
resource $res {
  device /dev/drbd$minor;
  disk $root/dev/disk;
  meta-disk internal;
  on $(uname -n) { address 127.0.0.1:7789; }
  on umc-preload-peer { address 127.0.0.1:7790; }
}
CONF
start_fake_genl "$root" --family drbd --doit ok

info "drbdmeta create-md on the node (a block device through the shim)"
with_shim "$root" drbdmeta $minor v08 "$root/dev/disk" internal create-md </dev/null >"$TEST_TMP/md.out" 2>&1 ||
  { cat "$TEST_TMP/md.out"; fail "create-md"; }

info "drbdadm up: new-resource, new-minor, apply-al, attach, connect"
: >"$GENL_LOG"
with_shim "$root" timeout 120 drbdadm -c "$conf" -v up $res >"$TEST_TMP/up.out" 2>&1 ||
  { cat "$TEST_TMP/up.out" "$GENL_LOG"; fail "drbdadm up"; }
for step in "drbdsetup-84 new-resource $res" "drbdsetup-84 new-minor $res $minor 0" \
            "drbdmeta $minor v08 $root/dev/disk internal apply-al" \
            "drbdsetup-84 attach $minor $root/dev/disk $root/dev/disk internal" \
            "drbdsetup-84 connect $res ipv4:127.0.0.1:7789 ipv4:127.0.0.1:7790"; do
  expect_file_line "$TEST_TMP/up.out" "$step" "drbdadm up did not run '$step'"
done
# The genl commands in order: NEW_RESOURCE 7, NEW_MINOR 5, GET_STATUS 2 (apply-al's
# dstate probe), ATTACH 12, CONNECT 10 - each after its own GETFAMILY.
expect_eq "$(sed -n 's/^request type=28 flags=0x1 cmd=\([0-9]*\) minor=\([0-9]*\) .*/\1:\2/p' "$GENL_LOG" | tr '\n' ' ')" \
  "7:4294967295 5:$minor 2:$minor 12:$minor 10:4294967295 " "genl commands of drbdadm up"
expect_eq "$(grep -c '^getfamily name=drbd ' "$GENL_LOG")" "5" "one GETFAMILY per drbdsetup run"

info "drbdadm down: GET_STATUS dump, then DOWN"
: >"$GENL_LOG"
with_shim "$root" timeout 120 drbdadm -c "$conf" down $res >"$TEST_TMP/down.out" 2>&1 ||
  { cat "$TEST_TMP/down.out" "$GENL_LOG"; fail "drbdadm down"; }
grep -q '^request type=28 flags=0x301 cmd=2 ' "$GENL_LOG" || { cat "$GENL_LOG"; fail "down did not dump GET_STATUS"; }
grep -q '^request type=28 flags=0x1 cmd=27 ' "$GENL_LOG" || { cat "$GENL_LOG"; fail "down did not send DOWN"; }
