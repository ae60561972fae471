#!/usr/bin/env bash
# Bad configurations: a clear error naming the problem, a nonzero exit, and
# nothing created, truncated or mounted.
. "$(dirname "$0")/lib.sh"
requires_root
root="$TEST_TMP/root"
conf="$TEST_TMP/umcd.conf"

# run_bad EXPECTED-TEXT CONFIG-LINES...: umcd must refuse with EXPECTED-TEXT.
run_bad() {
  local text=$1; shift
  write_umcd_config "$conf" "$root" "$@"
  if "$UMCD" -c "$conf" -f >"$TEST_TMP/out" 2>&1; then fail "umcd accepted: $*"; fi
  grep -qF -- "$text" "$TEST_TMP/out" || { cat "$TEST_TMP/out"; fail "message lacks '$text'"; }
  ! is_mounted "$root" || fail "left a mount behind"
}

info "missing backing file (no create option): nothing is created"
run_bad "missing.img" "[device d0]" "backend = uring" "path = $TEST_TMP/missing.img"
[ ! -e "$TEST_TMP/missing.img" ] || fail "a missing backing file was created"

info "bad size"
run_bad "size" "[device d0]" "backend = ram" "size = 12 parsecs"

info "unknown backend"
run_bad "unknown backend 'floppy'" "[device d0]" "backend = floppy"

info "duplicate device name"
run_bad "device 'd0' is defined twice" "[device d0]" "backend = ram" "size = 1M" "[device d0]" "backend = ram" "size = 1M"

info "unknown backend option"
run_bad "colour" "[device d0]" "backend = ram" "size = 1M" "colour = red"

info "an existing file is not truncated when a later device fails"
keep="$TEST_TMP/keep.img"
head -c 1M /dev/urandom >"$keep"
sum=$(sha256sum <"$keep")
run_bad "floppy" "[device a]" "backend = uring" "path = $keep" "[device b]" "backend = floppy"
expect_eq "$(sha256sum <"$keep")" "$sum" "existing backing file changed"

info "node_name and state_dir are checked, by --check too"
run_bad "node_name 'al pha' is not a valid node name" "node_name = al pha"
run_bad "state_dir must be an absolute path" "state_dir = relative/state"
run_bad "state_dir must be a plain path" "state_dir = $TEST_TMP/../state"
run_bad "state_dir $root/state must not be inside fs_root $root" "state_dir = $root/state"
for bad in "node_name = -x" "state_dir = /"; do
  write_umcd_config "$conf" "$root" "$bad"
  expect_fail "$UMCD" -c "$conf" --check
done
write_umcd_config "$conf" "$root" "node_name = umc-check" "state_dir = $TEST_TMP/check-state"
expect_output_contains "node_name umc-check, state_dir $TEST_TMP/check-state" "$UMCD" -c "$conf" --check
write_umcd_config "$conf" "$root" "node_name = umc-check"
expect_output_contains "state_dir $root.state" "$UMCD" -c "$conf" --check
sed -i '/^state_dir/d' "$conf"
expect_output_contains "node_name umc-check, state_dir /var/lib/umc/umc-check" "$UMCD" -c "$conf" --check
[ ! -e "$TEST_TMP/check-state" ] || fail "--check created the state dir"

info "a state_dir that cannot be created: nothing stays mounted"
: >"$TEST_TMP/a-file"
run_bad "cannot create $TEST_TMP/a-file/state" "state_dir = $TEST_TMP/a-file/state"

info "missing config file named on the command line"
expect_output_contains "cannot read" "$UMCD" -c "$TEST_TMP/nope.conf" -f

info "a busy mount point is refused, and the first daemon keeps serving"
write_umcd_config "$conf" "$root" "[device d0]" "backend = ram" "size = 1M"
start_umcd "$conf"
expect_output_contains "busy" "$UMCD" -c "$conf" -f
expect_eq "$(stat -c %s "$root/dev/d0")" "1048576" "first daemon's device"
