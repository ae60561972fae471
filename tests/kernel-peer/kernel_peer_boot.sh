#!/usr/bin/env bash
# The harness itself: Debian's kernel boots under qemu with its drbd.ko
# 8.4.11 loaded, the command channel (ttyS1) runs scripts and returns their
# output and exit status, the guest and a umcd node reach each other over the
# namespace's bridge, and the channel keeps working while that link is cut.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/preload_lib.sh"
. "$(dirname "$0")/../integration/drbd_lib.sh"
. "$(dirname "$0")/../integration/topology_lib.sh"
. "$(dirname "$0")/kernel_peer_lib.sh"

kp_init umc_kp_boot
kp_boot

# The channel: output, exit status, stderr, a multi-line script.
expect_eq "$(guest 'echo a; echo b >&2')" "$(printf 'a\nb')" "output of a guest command"
rc=0; guest 'exit 7' || rc=$?
expect_eq "$rc" 7 "exit status of a guest command"
expect_eq "$(guest 'x=0
for i in 1 2 3; do x=$((x + i)); done
echo $x')" 6 "a multi-line guest script"
printf 'line one\nline "two" $HOME `x`\n' >"$TEST_TMP/f"
guest_put "$TEST_TMP/f" /tmp/f
expect_eq "$(guest md5sum /tmp/f | cut -d' ' -f1)" "$(md5sum <"$TEST_TMP/f" | cut -d' ' -f1)" "a file copied in"

# The kernel's own DRBD.
v=$(guest head -n 1 /proc/drbd)
case $v in "version: 8.4.11"*) info "guest: $v" ;; *) fail "guest /proc/drbd: $v" ;; esac
expect_eq "$(guest hostname)" "${NODE_NAME[1]}" "the guest's host name (its on section)"
guest test -b /dev/vda || fail "no /dev/vda in the guest"

# The wire: both ways, then cut (the channel still answers), then back.
on_node 0 busybox ping -c 1 -W 5 "$KP_GUEST_IP" >/dev/null || fail "host -> guest ping"
guest ping -c 1 -W 5 "$KP_HOST_IP" >/dev/null || fail "guest -> host ping"
kp_link_down
expect_fail on_node 0 busybox ping -c 1 -W 1 "$KP_GUEST_IP"
expect_eq "$(guest echo still-here)" still-here "the channel with the link cut"
kp_link_up
wait_for 20 "the link back" on_node 0 busybox ping -c 1 -W 1 "$KP_GUEST_IP"
