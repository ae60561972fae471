#!/usr/bin/env bash
# A background umcd lets go of whoever started it: the command returns once
# the tree is served, and the daemon keeps none of the starter's stdio (an
# ssh session, or a pipe like ctest's, would otherwise wait for the daemon
# to exit).  stdin and stdout are /dev/null; stderr is the log file, so
# stray output still lands next to the log.
. "$(dirname "$0")/lib.sh"
requires_root
requires test -e /dev/fuse

root="$TEST_TMP/root"
write_umcd_config "$TEST_TMP/umcd.conf" "$root" "[device d0]" "backend = ram" "size = 16M"
log="$TEST_TMP/umcd.log"
pidfile="$TEST_TMP/umcd.pid"
# Stopped at exit even when the check below fails with the daemon running.
on_exit "[ -s '$pidfile' ] && reap_umcd \$(cat '$pidfile') '$root'"
# The starter reads umcd's stdout and stderr through a pipe: `cat` ends only
# when every writer has closed it, so this returns only if the daemon let go.
timeout 30 sh -c "'$UMCD' -c '$TEST_TMP/umcd.conf' --log-file '$log' --pidfile '$pidfile' 2>&1 | cat" ||
  fail "the starter's pipe stayed open (exit $?)"
pid=$(cat "$pidfile")
kill -0 "$pid" || fail "umcd is not running"
is_mounted "$root" || fail "$root is not served"
expect_eq "$(readlink "/proc/$pid/fd/0")" /dev/null "umcd's stdin"
expect_eq "$(readlink "/proc/$pid/fd/1")" /dev/null "umcd's stdout"
expect_eq "$(readlink "/proc/$pid/fd/2")" "$(realpath "$log")" "umcd's stderr"
