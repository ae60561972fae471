#!/usr/bin/env bash
# Bad configurations: a clear error naming the problem, a nonzero exit, and
# nothing created, truncated or mounted.
. "$(dirname "$0")/lib.sh"
requires_root
root="$TEST_TMP/root"
conf="$TEST_TMP/umcd.conf"

# run_bad EXPECTED-TEXT CONFIG-LINES...: umcd must refuse with EXPECTED-TEXT,
# and `umcd --check` must refuse the same file with the same text first.  The
# FUSE root does not exist beforehand and must not exist afterwards.
run_bad() {
  local text=$1; shift
  write_umcd_config "$conf" "$root" "$@"
  [ ! -e "$root" ] || fail "$root exists before the test"
  if "$UMCD" --check -c "$conf" >"$TEST_TMP/check" 2>&1; then
    cat "$TEST_TMP/check"; fail "umcd --check accepted: $*"
  fi
  expect_file_contains "$TEST_TMP/check" "$text" "--check's message lacks '$text'"
  if "$UMCD" -c "$conf" -f >"$TEST_TMP/out" 2>&1; then fail "umcd accepted: $*"; fi
  expect_file_contains "$TEST_TMP/out" "$text" "message lacks '$text'"
  ! is_mounted "$root" || fail "left a mount behind"
  [ ! -e "$root" ] || fail "a refused start left $root behind"
}

info "missing backing file (no create option): nothing is created"
run_bad "$TEST_TMP/missing.img: no such file (create=1 with size= creates it)" \
  "[device d0]" "backend = uring" "path = $TEST_TMP/missing.img"
[ ! -e "$TEST_TMP/missing.img" ] || fail "a missing backing file was created"

info "bad size"
run_bad "device 'd0' (line 5, backend ram): bad size size=12 parsecs" "[device d0]" "backend = ram" "size = 12 parsecs"
run_bad "bad size size=12 parsecs" "[device d0]" "backend = uring" "path = $TEST_TMP/new/d0.img" "create = yes" \
  "size = 12 parsecs"
[ ! -e "$TEST_TMP/new" ] || fail "a refused device created its directory"

info "a later device's refusal creates nothing for an earlier one"
run_bad "device 'd1' (line 10, backend ram): ram: unknown option 'colour'" \
  "[device d0]" "backend = uring" "path = $TEST_TMP/new/d0.img" "create = yes" "size = 1M" \
  "[device d1]" "backend = ram" "size = 1M" "colour = red"
[ ! -e "$TEST_TMP/new" ] || fail "a refused start created $TEST_TMP/new"

info "unknown backend"
run_bad "unknown backend 'floppy'" "[device d0]" "backend = floppy"

info "duplicate device name"
run_bad "device 'd0' is defined twice" "[device d0]" "backend = ram" "size = 1M" "[device d0]" "backend = ram" "size = 1M"

info "unknown backend option"
run_bad "ram: unknown option 'colour' (accepted: size)" "[device d0]" "backend = ram" "size = 1M" "colour = red"
run_bad "uring: unknown option 'colour'" "[device d0]" "backend = uring" "path = $TEST_TMP/x.img" "colour = red"

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

info "create = yes makes the backing file's missing directories (the operator's guide's config)"
img="$TEST_TMP/srv/umc/d0.img"
write_umcd_config "$conf" "$root" "[device d0]" "backend = uring" "path = $img" "create = yes" "size = 1M"
"$UMCD" --check -c "$conf" >"$TEST_TMP/check" 2>&1 || { cat "$TEST_TMP/check"; fail "umcd --check refused a good config"; }
expect_file_contains "$TEST_TMP/check" "ok, 1 device(s), fs_root $root" "--check did not say ok"
[ ! -e "$TEST_TMP/srv" ] && [ ! -e "$root" ] || fail "umcd --check created something"
start_umcd "$conf"
expect_eq "$(stat -c %s "$root/dev/d0")" "1048576" "served device"
expect_eq "$(stat -c %s "$img")" "1048576" "backing file"
stop_umcd "$UMCD_PID" "$root"
rm -rf "$TEST_TMP/srv"


info "a busy mount point is refused, and the first daemon keeps serving"
write_umcd_config "$conf" "$root" "[device d0]" "backend = ram" "size = 1M"
start_umcd "$conf"
expect_fail "$UMCD" --check -c "$conf"
expect_output_contains "is busy: already a mount there" "$UMCD" --check -c "$conf"
expect_output_contains "busy" "$UMCD" -c "$conf" -f
expect_eq "$(stat -c %s "$root/dev/d0")" "1048576" "first daemon's device"
