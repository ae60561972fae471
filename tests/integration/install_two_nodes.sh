#!/usr/bin/env bash
# Two installed umcd nodes on one host (different node_name, fs_root,
# state_dir; topology_lib.sh), driven only through the installed drbdadm in a
# clean environment with UMC_FS_ROOT: each node's drbdadm finds its own `on`
# section (the preload takes __DRBD_NODE__ from the umcd it talks to), the
# nodes connect, sync after primary --force, and go down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
. "$(dirname "$0")/topology_lib.sh"
. "$(dirname "$0")/install_lib.sh"
unset __DRBD_NODE__
topo_init 2 "umc_t_inst2_$$"
installed_node "$TEST_TMP/dest"

# topology_lib's adm, as an administrator types it on an installed node.
adm() {
  local i=$1; shift
  as_admin "${NODE_ROOT[i]}" drbdadm -c "$TOPO_CONF" "$@"
}

topo_start_node 0 d0=ram:size=32M
topo_start_node 1 d0=ram:size=32M
for i in 0 1; do
  [ "$(readlink "/proc/${NODE_PID[i]}/exe")" = "$INST_SBIN/umcd" ] || fail "node $i's umcd is not the installed one"
done
topo_write_res 'net { protocol C; }'

info "each node's drbdadm picks its own section"
expect_eq "$(adm 0 sh-minor "$TOPO_RES")" "${NODE_MINOR[0]}" "sh-minor on node 0"
expect_eq "$(adm 1 sh-minor "$TOPO_RES")" "${NODE_MINOR[1]}" "sh-minor on node 1"

info "create-md, up; the nodes connect"
topo_up
topo_wait 0 cstate Connected
topo_wait 1 cstate Connected

info "primary --force on node 0: node 1 syncs"
topo_must 0 pri primary --force "$TOPO_RES"
topo_wait 1 dstate UpToDate/UpToDate
topo_wait 0 dstate UpToDate/UpToDate
head -c 1M /dev/urandom >"$TEST_TMP/data"
dd if="$TEST_TMP/data" of="$(node_dev 0)" bs=1M oflag=direct status=none || fail "write on node 0"
cmp -n 1048576 "$TEST_TMP/data" "${NODE_ROOT[1]}/dev/d0" || fail "node 1's disk lacks node 0's write"

info "down on both"
topo_must 0 sec secondary "$TOPO_RES"
topo_all down down "$TOPO_RES"
