#!/usr/bin/env bash
# DRBD's module parameters and /proc/drbd, as the host's drbd.ko shows them
# (drivers/block/drbd/drbd_main.c of the hosted 6.1 source, without
# CONFIG_DRBD_FAULT_INJECTION):
#   sys/module/drbd/parameters/ has disable_sendpage (0644, N), minor_count
#   (0444, 32), proc_details (0644, 0), usermode_helper (0644); allow_oos has
#   permission 0 and is not in sysfs.  Writable ones take a write, read-only
#   ones refuse it with EACCES.  The preload maps /sys/module/drbd and
#   /proc/drbd for the tools, and drbdadm dispatches to its 8.4 part.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_modparm

start_drbd_node "$TEST_TMP/root" d0=ram:size=64M
params="$DRBD_ROOT/sys/module/drbd/parameters"
[ -d "$params" ] || fail "no $params"

info "the parameter files, their modes and values"
expect_eq "$(cd "$params" && ls | tr '\n' ' ')" "disable_sendpage minor_count proc_details usermode_helper " \
  "files in sys/module/drbd/parameters"
expect_eq "$(stat -c %a "$params/minor_count")" "444" "mode of minor_count"
for p in disable_sendpage proc_details usermode_helper; do
  expect_eq "$(stat -c %a "$params/$p")" "644" "mode of $p"
done
expect_eq "$(cat "$params/minor_count")" "32" "minor_count"
expect_eq "$(cat "$params/disable_sendpage")" "N" "disable_sendpage"
expect_eq "$(cat "$params/proc_details")" "0" "proc_details"
helper=$(cat "$params/usermode_helper")
case $helper in /*) info "usermode_helper = $helper" ;; *) fail "usermode_helper is not an absolute path: '$helper'" ;; esac
[ "$helper" = /sbin/drbdadm ] || info "note: usermode_helper differs from the kernel's default /sbin/drbdadm"

info "writes: proc_details takes one, minor_count refuses with EACCES"
echo 1 >"$params/proc_details" || fail "write to proc_details"
expect_eq "$(cat "$params/proc_details")" "1" "proc_details after a write"
echo 0 >"$params/proc_details"
expect_eq "$(errno_of_open "$params/minor_count" w)" "EACCES" "open(O_WRONLY) of minor_count"
expect_eq "$(cat "$params/minor_count")" "32" "minor_count after the refused write"

info "through the preload: /sys/module/drbd and /proc/drbd are umcd's"
expect_eq "$(with_shim "$DRBD_ROOT" cat /sys/module/drbd/parameters/minor_count)" "32" "minor_count via the shim"
expect_eq "$(with_shim "$DRBD_ROOT" head -n 1 /proc/drbd)" "version: 8.4.11 (api:1/proto:86-101)" "/proc/drbd via the shim"
must version with_shim "$DRBD_ROOT" "$DRBDADM" --version
expect_line version "DRBD_KERNEL_VERSION_CODE=0x08040b"
expect_line version "DRBDADM_API_VERSION=1"

info "a minor shows up in /proc/drbd with the kernel's layout"
write_drbd_res "$DRBD_ROOT/dev/d0" internal
drbd_create_md
drbd_up
expect_eq "$(drbd_proc_line)" "$DRBD_MINOR: cs:WFConnection ro:Secondary/Unknown ds:Inconsistent/DUnknown C r----s" \
  "proc/drbd line"
grep -Eq "^    ns:0 nr:0 dw:0 dr:[0-9]+ al:[0-9]+ bm:[0-9]+ lo:0 pe:0 ua:0 ap:0 ep:1 wo:[fdn] oos:[0-9]+$" "$DRBD_ROOT/proc/drbd" ||
  { cat "$DRBD_ROOT/proc/drbd"; fail "no statistics line in the kernel's layout"; }
must down drbdadm_umc down "$DRBD_RES"
umcd_alive
