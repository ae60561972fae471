#!/usr/bin/env bash
# Several DRBD nodes on one host: two umcd daemons with their own node_name,
# fs_root and state_dir, and one drbd.conf whose resource has an `on` section
# for each (127.0.0.1, distinct ports and minors).  Nobody sets __DRBD_NODE__
# by hand: the preload takes the node name from the umcd serving UMC_FS_ROOT
# (proc/umcd/node), so `tools/umc drbdadm` picks that node's `on` section,
# and drbd-utils' host state (lock, .lkbd, registrations) lands in that
# node's state_dir, not in /var/lock, /var/lib/drbd or /var/run/drbd.  The
# two nodes connect and replicate (a write on alpha's Primary is on beta's
# disk when it completes; the initial sync finishes; beta, promoted, reads
# alpha's data); beta's usermode helpers (before/after-resync-target) get
# __DRBD_NODE__=umc-t-beta from umcd and their drbdadm finds beta's section.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_requirements
requires test -x "$(dirname "$0")/../../tools/umc"
UMC_TOOL=$(cd "$(dirname "$0")/../../tools" && pwd)/umc
unset __DRBD_NODE__
on_exit '[ "$rc" -eq 0 ] || drbd_keep_logs'

res=umc_t_two
alloc_minor minor_a
alloc_minor minor_b
claim_drbd_minor_all $minor_a
claim_drbd_minor_all $minor_b
claim_drbd_resource $res
alloc_port port_a
alloc_port port_b
conf="$TEST_TMP/drbd.conf"
root_a="$TEST_TMP/alpha" state_a="$TEST_TMP/alpha-state"
root_b="$TEST_TMP/beta" state_b="$TEST_TMP/beta-state"
node_a=umc-t-alpha node_b=umc-t-beta

# adm ROOT ARGS: drbdadm as an administrator runs it for the node at ROOT.
adm() {
  local root=$1; shift
  UMC_FS_ROOT=$root UMC_PRELOAD_LIB=$PRELOAD_LIB timeout "$DRBD_CMD_TIMEOUT" "$UMC_TOOL" drbdadm -c "$conf" "$@" \
    </dev/null
}
setup_84() {
  local root=$1; shift
  UMC_FS_ROOT=$root UMC_PRELOAD_LIB=$PRELOAD_LIB timeout "$DRBD_CMD_TIMEOUT" "$UMC_TOOL" drbdsetup "$@" </dev/null
}
# state_is ROOT WHAT EXPECTED
state_is() { [ "$(adm "$1" "$2" "$res" 2>/dev/null)" = "$3" ]; }
wait_state() {
  wait_for_quiet 60 state_is "$1" "$2" "$3" ||
    fail "timed out waiting for '$2 $res' = '$3' on $1; it says '$(adm "$1" "$2" "$res" 2>&1)'"
}

info "without a umcd at ROOT the preload names no node"
mkdir -p "$root_a"
expect_fail with_shim "$root_a" printenv __DRBD_NODE__

start_node() {  # NAME ROOT STATE LOG
  write_umcd_config "$TEST_TMP/$1.conf" "$2" "node_name = $1" "state_dir = $3" \
    "[device d0]" "backend = ram" "size = 16M"
  start_umcd "$TEST_TMP/$1.conf" "$4"
}
start_node $node_a "$root_a" "$state_a" "$TEST_TMP/umcd-alpha.log"
pid_a=$UMCD_PID
expect_eq "$UMCD_STATE_DIR" "$state_a" "alpha's state_dir"
start_node $node_b "$root_b" "$state_b" "$TEST_TMP/umcd-beta.log"
pid_b=$UMCD_PID

info "proc/umcd/node names each node; umcd prepared its state dir"
expect_eq "$(cat "$root_a/proc/umcd/node")" "node_name $node_a
state_dir $state_a" "alpha's proc/umcd/node"
expect_eq "$(cat "$root_b/proc/umcd/node")" "node_name $node_b
state_dir $state_b" "beta's proc/umcd/node"
UMC_FS_ROOT=$root_b "$UMC_TOOL" status | grep -qx "node_name $node_b" || fail "tools/umc status does not name beta"
for d in lib run lock; do [ -d "$state_a/$d" ] && [ -d "$state_b/$d" ] || fail "no $d/ in a state dir"; done

info "a third umcd on alpha's state dir is refused"
write_umcd_config "$TEST_TMP/third.conf" "$TEST_TMP/third" "node_name = third" "state_dir = $state_a"
mkdir -p "$TEST_TMP/third"
run_capture third "$UMCD" -c "$TEST_TMP/third.conf" -f --log-file "$TEST_TMP/umcd-third.log"
expect_rc third 1
expect_text third "state_dir $state_a is in use by another umcd (pid $pid_a)"
! is_mounted "$TEST_TMP/third" || fail "the refused umcd left its tree mounted"

info "the preload sets __DRBD_NODE__ from the node; one set by the caller wins"
expect_eq "$(with_shim "$root_a" printenv __DRBD_NODE__)" $node_a "__DRBD_NODE__ under alpha's root"
expect_eq "$(with_shim "$root_b" printenv __DRBD_NODE__)" $node_b "__DRBD_NODE__ under beta's root"
expect_eq "$(with_shim "$root_a" env __DRBD_NODE__=other printenv __DRBD_NODE__)" other "a caller's __DRBD_NODE__"

cat >"$conf" <<EOF
global { usage-count no; }
resource $res {
  net { protocol C; }
  on $node_a {
    device /dev/drbd$minor_a minor $minor_a;
    disk $root_a/dev/d0;
    meta-disk internal;
    address 127.0.0.1:$port_a;
  }
  on $node_b {
    device /dev/drbd$minor_b minor $minor_b;
    disk $root_b/dev/d0;
    meta-disk internal;
    address 127.0.0.1:$port_b;
  }
}
EOF

info "each node's drbdadm picks its own 'on' section"
expect_eq "$(adm "$root_a" sh-minor $res)" $minor_a "sh-minor on alpha"
expect_eq "$(adm "$root_b" sh-minor $res)" $minor_b "sh-minor on beta"
expect_eq "$(adm "$root_a" sh-ll-dev $res)" "$root_a/dev/d0" "sh-ll-dev on alpha"
expect_eq "$(adm "$root_b" sh-ll-dev $res)" "$root_b/dev/d0" "sh-ll-dev on beta"

info "create-md and up on both"
for root in "$root_a" "$root_b"; do
  must create_md adm "$root" create-md $res
  expect_text create_md "New drbd meta data block successfully created."
done
# down_quiet ROOT: for cleanup; only while that node's umcd still serves.
down_quiet() { [ ! -e "$1/proc/drbd" ] || DRBD_CMD_TIMEOUT=30 adm "$1" down $res >/dev/null 2>&1 || true; }
on_exit "down_quiet '$root_a'"
must up_a adm "$root_a" up $res
on_exit "down_quiet '$root_b'"
must up_b adm "$root_b" up $res

info "drbdsetup show: each node runs its own section"
# show_hosts ROOT: "this-host-address remote-host-address minor"
show_hosts() {
  setup_84 "$1" show $res | awk '
    /_this_host/ { s = "this" } /_remote_host/ { s = "remote" }
    /address/ { a[s] = $3 } /device/ && /minor/ { m = $NF }
    END { gsub(";", "", a["this"]); gsub(";", "", a["remote"]); gsub(";", "", m); print a["this"], a["remote"], m }'
}
expect_eq "$(show_hosts "$root_a")" "127.0.0.1:$port_a 127.0.0.1:$port_b $minor_a" "alpha's drbdsetup show"
expect_eq "$(show_hosts "$root_b")" "127.0.0.1:$port_b 127.0.0.1:$port_a $minor_b" "beta's drbdsetup show"

info "the tools' host state is in each node's state dir, nowhere else"
for f in "$state_a/lock/drbd-147-$minor_a" "$state_a/lib/drbd-minor-$minor_a.lkbd" \
         "$state_b/lock/drbd-147-$minor_b" "$state_b/lib/drbd-minor-$minor_b.lkbd"; do
  [ -f "$f" ] || fail "no $f"
done
expect_eq "$(readlink "$state_a/run/drbd-minor-$minor_a.conf")" "$conf" "alpha's minor registration"
expect_eq "$(readlink "$state_a/run/drbd-resource-$res.conf")" "$conf" "alpha's resource registration"
expect_eq "$(readlink "$state_b/run/drbd-minor-$minor_b.conf")" "$conf" "beta's minor registration"
expect_eq "$(readlink "$state_b/run/drbd-resource-$res.conf")" "$conf" "beta's resource registration"
for m in $minor_b; do [ ! -e "$state_a/lock/drbd-147-$m" ] && [ ! -e "$state_a/lib/drbd-minor-$m.lkbd" ] ||
  fail "beta's minor in alpha's state dir"; done
[ ! -e "$state_b/lock/drbd-147-$minor_a" ] || fail "alpha's lock in beta's state dir"
for m in $minor_a $minor_b; do
  for f in "/var/lock/drbd-147-$m" "/var/lib/drbd/drbd-minor-$m.lkbd" "/var/run/drbd/drbd-minor-$m.conf"; do
    [ ! -e "$f" ] && [ ! -L "$f" ] || fail "$f on the host"
  done
done
[ ! -e "/var/run/drbd/drbd-resource-$res.conf" ] && [ ! -L "/var/run/drbd/drbd-resource-$res.conf" ] ||
  fail "the resource is registered on the host"

info "a usermode helper of beta gets __DRBD_NODE__ from umcd"
helper="$TEST_TMP/helper.sh"
record="$TEST_TMP/helper.record"
cat >"$helper" <<SH
#!/bin/sh
# /proc/\$\$/environ is what umcd passed, before any preload constructor.
{
  echo "argv: \$*"
  echo "spawned with: \$(tr '\\0' '\\n' </proc/\$\$/environ | grep '^__DRBD_NODE__=')"
  echo "sh-minor: \$(/sbin/drbdadm -c '$conf' sh-minor \$2 2>>'$record.err')"
} >>"$record" 2>&1
exit 0
SH
chmod +x "$helper"
echo "$helper" >"$root_b/sys/module/drbd/parameters/usermode_helper"

info "the nodes connect"
wait_state "$root_a" cstate Connected
wait_state "$root_b" cstate Connected
expect_eq "$(adm "$root_a" dstate $res)" "Inconsistent/Inconsistent" "alpha's dstate"

info "alpha becomes Primary; beta becomes SyncTarget (running before-resync-target)"
must pri_a adm "$root_a" primary --force $res
wait_for 30 "beta's before-resync-target helper" grep -q "^sh-minor: " "$record"
cat "$record"
# first KEY: KEY's line of the helper's first run (a resync that finishes adds
# after-resync-target's).
first() { sed -n "s/^$1: //p" "$record" | head -n 1; }
expect_eq "$(first argv)" "before-resync-target minor-$minor_b" "beta's helper argv"
expect_eq "$(first "spawned with")" "__DRBD_NODE__=$node_b" "beta's helper environment"
expect_eq "$(first sh-minor)" $minor_b "drbdadm in beta's helper: beta's section"

info "a write on alpha's Primary reaches beta's disk (protocol C: before it completes)"
head -c 1M /dev/urandom >"$TEST_TMP/data"
dd if="$TEST_TMP/data" of="$root_a/dev/drbd$minor_a" bs=1M oflag=direct status=none ||
  fail "writing alpha's dev/drbd$minor_a"
# Internal meta-data is at the end: the data area starts at offset 0 of d0.
cmp -n 1048576 "$TEST_TMP/data" "$root_b/dev/d0" || fail "beta's disk lacks what alpha wrote"
cmp -n 1048576 "$TEST_TMP/data" "$root_a/dev/d0" || fail "alpha's disk lacks what it wrote"

info "the initial sync completes; beta's after-resync-target helper runs the same way"
wait_state "$root_b" dstate UpToDate/UpToDate
wait_state "$root_a" dstate UpToDate/UpToDate
wait_for 30 "beta's after-resync-target helper" sh -c "[ \$(grep -c '^sh-minor: ' '$record') -ge 2 ]"
cat "$record"
expect_eq "$(sed -n 's/^argv: //p' "$record" | tail -n 1)" "after-resync-target minor-$minor_b" "beta's last helper"
! grep -v -x -e "spawned with: __DRBD_NODE__=$node_b" -e "sh-minor: $minor_b" -e "argv: .*" "$record" ||
  fail "a helper run saw another node"

info "hand-over: alpha Secondary, beta Primary reads what alpha wrote"
must sec_a adm "$root_a" secondary $res
must pri_b adm "$root_b" primary $res
cmp -n 1048576 "$TEST_TMP/data" "$root_b/dev/drbd$minor_b" || fail "beta's Primary does not read alpha's data"
must sec_b adm "$root_b" secondary $res

info "down on both: the registrations go, the daemons stop cleanly"
must down_a adm "$root_a" down $res
must down_b adm "$root_b" down $res
[ ! -L "$state_a/run/drbd-minor-$minor_a.conf" ] && [ ! -L "$state_b/run/drbd-resource-$res.conf" ] ||
  fail "a registration survived down"
stop_umcd "$pid_a" "$root_a"
stop_umcd "$pid_b" "$root_b"
for m in $minor_a $minor_b; do
  [ ! -e "/var/lock/drbd-147-$m" ] && [ ! -e "/var/lib/drbd/drbd-minor-$m.lkbd" ] || fail "minor $m state on the host"
done
