#!/usr/bin/env bash
# Background mode changes to "/": relative names on the command line still
# mean the current directory, and backend paths in the config the config
# file's directory.
. "$(dirname "$0")/lib.sh"
requires_root
conf_dir="$TEST_TMP/etc"
run_dir="$TEST_TMP/run"
mkdir -p "$conf_dir" "$run_dir"
truncate -s 8M "$conf_dir/umc-relpath-disk.img"
root="$TEST_TMP/root"
printf '[umcd]\nfs_root = %s\nstate_dir = %s\n[device d0]\nbackend = uring\npath = umc-relpath-disk.img\n' \
  "$root" "$TEST_TMP/state" >"$conf_dir/umcd.conf"

(cd "$run_dir" && "$UMCD" -c ../etc/umcd.conf --pidfile umc-relpath.pid --log-file umc-relpath.log) ||
  fail "umcd refused relative paths"
[ -f "$run_dir/umc-relpath.pid" ] || fail "pidfile not in the current directory"
pid=$(cat "$run_dir/umc-relpath.pid")
on_exit "stop_umcd $pid '$root'"
[ -e "$run_dir/umc-relpath.log" ] || fail "log not in the current directory"
expect_eq "$(stat -c %s "$root/dev/d0")" 8388608 "device backed by etc/umc-relpath-disk.img"
printf 'relative' | dd of="$root/dev/d0" bs=512 conv=notrunc,sync oflag=direct status=none
stop_umcd "$pid" "$root"
expect_file_contains "$run_dir/umc-relpath.log" "serving dev/d0" "log lacks the serving line"
expect_eq "$(head -c 8 "$conf_dir/umc-relpath-disk.img")" relative "data in etc/umc-relpath-disk.img"
[ ! -e /umc-relpath.pid ] && [ ! -e /umc-relpath.log ] && [ ! -e /umc-relpath-disk.img ] || fail "a relative path landed in /"
