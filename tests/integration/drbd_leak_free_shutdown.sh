#!/usr/bin/env bash
# An orderly stop of a umcd that hosted DRBD frees everything umc allocated:
# after I/O, a backend fault that makes DRBD detach (on-io-error detach) and
# run its pri-on-incon-degr helper, a re-attach and more I/O, the leak report
# umcd's event engine writes at exit names nothing of umc's.
#
# The one block allowed is DRBD's own: drbd_adm_attach (drbd_nl.c) stores a
# new resync plan with `device->rs_plan_s = new_plan;` without freeing the
# previous one, and only drbd_destroy_device frees the last, so every
# re-attach of a minor leaks one fifo_alloc (drbd_worker.c) block, in the
# kernel as here (docs/drbd-operator-guide.md, "Memory at exit").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/preload_lib.sh"
. "$(dirname "$0")/drbd_lib.sh"
drbd_test_init umc_t_leak
requires backend_available uring

img="$TEST_TMP/d0.img"
ctl="$TEST_TMP/d0.ctl"
start_drbd_node "$TEST_TMP/root" "d0=fault:inner=uring:control=$ctl:path=$img:create=yes:size=64M"
write_drbd_res "$DRBD_ROOT/dev/d0" internal 'disk { on-io-error detach; }'

# fault_state GENERATION: the fault device applied the control file.
fault_applied() { grep -qx "generation=$1" "$ctl.state" && grep -qx "status=ok" "$ctl.state"; }
set_fault() {
  printf 'generation=%s\n%s\n' "$1" "${2:-}" >"$ctl.tmp" && mv "$ctl.tmp" "$ctl"
  wait_for 10 "fault generation $1 to apply" fault_applied "$1"
}

helper="$TEST_TMP/helper.sh"
record="$TEST_TMP/helper.record"
printf '#!/bin/sh\necho "$*" >>"%s"\nexit 0\n' "$record" >"$helper"
chmod +x "$helper"
echo "$helper" >"$DRBD_ROOT/sys/module/drbd/parameters/usermode_helper"

drbd_create_md
drbd_up
wait_drbd_state cstate WFConnection
must primary drbdadm_umc primary --force "$DRBD_RES"
node=$(drbd_node_path)

info "I/O through DRBD"
dd if=/dev/urandom of="$TEST_TMP/data" bs=1M count=4 status=none
dd if="$TEST_TMP/data" of="$node" bs=1M oflag=direct conv=fsync status=none || fail "write to $node"
cmp -n $((4 << 20)) "$TEST_TMP/data" "$node" || fail "read back from $node"

info "a write error: DRBD detaches and runs pri-on-incon-degr"
set_fault 1 "error=write"
dd if="$TEST_TMP/data" of="$node" bs=1M count=1 seek=8 oflag=direct conv=fsync status=none 2>/dev/null || true
wait_drbd_state dstate "Diskless/DUnknown"
wait_for 30 "the pri-on-incon-degr helper" grep -qx "pri-on-incon-degr minor-$DRBD_MINOR" "$record"

info "re-attach, more I/O"
set_fault 2
must attach drbdadm_umc attach "$DRBD_RES"
wait_for 30 "the disk to be back" sh -c "[ \"\$(cat '$DRBD_ROOT/proc/drbd' | grep -c 'ds:Diskless')\" = 0 ]"
dd if="$TEST_TMP/data" of="$node" bs=1M oflag=direct conv=fsync status=none || fail "write after re-attach"
cmp -n $((4 << 20)) "$TEST_TMP/data" "$node" || fail "read back after re-attach"

must secondary drbdadm_umc secondary "$DRBD_RES"
must down drbdadm_umc down "$DRBD_RES"
stop_umcd "$UMCD_PID" "$DRBD_ROOT"

log="$TEST_TMP/umcd.log"
expect_file_contains "$log" "runtime down" "DRBD's runtime did not go down"
info "leak report: $(grep -c 'leak report' "$log") line(s)"
grep 'leak report' "$log" || true
# Every leak-report line must be DRBD's fifo_alloc, at most one block per
# re-attach (one here), and the total must be what those lines list.
python3 - "$log" <<'PY' || { cp "$log" "$UMC_BUILD/Testing/$TEST_NAME.umcd.log" 2>/dev/null; fail "umcd leaked memory umc owns (log kept in Testing/)"; }
import re, sys
# The caller is "FILE:LINE" of the hosted source: it must be
# drivers/block/drbd/drbd_worker.c, and that line fifo_alloc's kzalloc.
def is_fifo_alloc(caller):
    m = re.fullmatch(r"(/.*/drivers/block/drbd/drbd_worker\.c):(\d+)", caller)
    if not m:
        return False
    try:
        lines = open(m.group(1)).read().splitlines()
        return "fb = kzalloc(struct_size(fb, values, fifo_size)" in lines[int(m.group(2)) - 1]
    except (OSError, IndexError):
        return False

total = listed = fifo = 0
bad = []
for line in open(sys.argv[1]):
    if "leak report:" not in line:
        continue
    m = re.search(r"leak report: (\d+) blocks, \d+ bytes still allocated", line)
    if m:
        total += int(m.group(1))
        continue
    m = re.search(r"leak report: #\d+ (.*): (\d+) blocks, \d+ bytes", line)
    if m:
        listed += int(m.group(2))
        if is_fifo_alloc(m.group(1)):
            fifo += int(m.group(2))
        else:
            bad.append(line.strip())
        continue
    bad.append(line.strip())  # "... and N more callers", or anything else
for b in bad:
    print("not DRBD's:", b)
if fifo > 1:
    print("more fifo_alloc blocks than re-attaches:", fifo)
if total != listed:
    print("leak report total", total, "!= listed", listed)
sys.exit(1 if bad or fifo > 1 or total != listed else 0)
PY
