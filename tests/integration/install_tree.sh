#!/usr/bin/env bash
# `tools/umc install` and `uninstall`: into a DESTDIR with prefix /usr/local
# (the config in /etc/umc) and into a throwaway prefix (everything under it).
# The tree has umcd, libumc-preload.so, umc, the drbdadm/drbdsetup/drbdmeta
# wrappers, the systemd unit (naming the installed umcd; systemd-analyze
# verify passes), the man pages (man renders them without a warning) and the
# example config, which is never overwritten.  Without UMC_FS_ROOT each
# wrapper is Debian's tool: same output and exit status, argv[0] included.
# The installed umc knows it is installed.  Uninstall leaves the file list as
# it was (a config changed since the install stays).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/install_lib.sh"
requires test -x /sbin/drbdadm
requires test -x /lib/drbd/drbdsetup-84
requires systemd-analyze --version
requires man --version

dest="$TEST_TMP/dest"
mkdir -p "$dest"
echo keep >"$dest/pre-existing"
before=$(file_list "$dest")

info "DESTDIR install, prefix /usr/local"
umc_install "$dest" /usr/local
# At exit (after a failure): the last install's record goes with its files.
on_exit "'$UMC_CLI' uninstall --preset '$INSTALL_PRESET'"
p="$dest/usr/local"
for f in sbin/umcd sbin/umc sbin/drbdadm sbin/drbdsetup sbin/drbdmeta; do
  [ -x "$p/$f" ] || fail "no executable $p/$f"
done
for f in lib/umc/libumc-preload.so lib/umc/common.sh lib/systemd/system/umcd@.service \
         share/man/man8/umcd.8 share/man/man8/umc.8 share/man/man5/umcd.conf.5 share/doc/umc/umcd.conf.example; do
  [ -f "$p/$f" ] || fail "no $p/$f"
done
cmp "$dest/etc/umc/umcd.conf" "$UMC_TOP/tools/dist/umcd.conf.example" || fail "/etc/umc/umcd.conf is not the example"
grep -qx 'ExecStart=/usr/local/sbin/umcd -f -c /etc/umc/%i.conf' "$p/lib/systemd/system/umcd@.service" ||
  fail "the unit does not run the installed umcd: $(grep ExecStart "$p/lib/systemd/system/umcd@.service")"
"$p/sbin/umcd" --check -c "$dest/etc/umc/umcd.conf" >"$TEST_TMP/check.out" 2>&1 ||
  { cat "$TEST_TMP/check.out"; fail "the example config does not pass umcd --check"; }

info "the wrappers without UMC_FS_ROOT are Debian's tools"
conf="$TEST_TMP/drbd.conf"
cat >"$conf" <<EOC
global { usage-count no; }
resource umc_t_inst { device /dev/drbd9 minor 9; disk /dev/null; meta-disk internal;
  on $(uname -n) { address 127.0.0.1:7789; } on umc-other { address 127.0.0.1:7790; } }
EOC
INST_PATH="$p/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
DEB_PATH="/usr/sbin:/usr/bin:/sbin:/bin"
# same_as_debian ARGS...: stdout, stderr and exit status of `ARGS` equal with
# the installed wrappers first in PATH and with Debian's PATH alone.
same_as_debian() {
  local ours theirs rc_o=0 rc_t=0
  ours=$(env -i PATH="$INST_PATH" "$@" 2>&1 </dev/null) || rc_o=$?
  theirs=$(env -i PATH="$DEB_PATH" "$@" 2>&1 </dev/null) || rc_t=$?
  case $1 in
    drbdadm|drbdsetup|drbdmeta)
      [ "$(env -i PATH="$INST_PATH" sh -c "command -v $1")" = "$p/sbin/$1" ] || fail "$1 is not the wrapper in PATH" ;;
  esac
  expect_eq "$ours" "$theirs" "output of '$*' through the wrapper"
  expect_eq "$rc_o" "$rc_t" "exit status of '$*' through the wrapper"
}
same_as_debian drbdadm --version
same_as_debian drbdadm -c "$conf" dump umc_t_inst
same_as_debian drbdadm -c "$conf" sh-minor umc_t_inst
same_as_debian drbdadm -c "$conf" dump no_such_resource
same_as_debian drbdadm
same_as_debian drbdsetup --version
same_as_debian drbdsetup
same_as_debian drbdmeta
# argv[0] as given: a program that prints it stands in for Debian's binary.
same_as_debian bash -c 'exec -a umc-argv0-probe drbdadm 2>&1'
expect_output_contains "USAGE: umc-argv0-probe COMMAND" env -i PATH="$INST_PATH" bash -c 'exec -a umc-argv0-probe drbdadm'

info "with UMC_FS_ROOT but no umcd: drbdsetup is the 8.4 one under the preload"
mkdir -p "$TEST_TMP/nowhere"
run=$(env -i PATH="$INST_PATH" UMC_FS_ROOT="$TEST_TMP/nowhere" drbdsetup status 2>&1 </dev/null) && fail "drbdsetup status without umcd succeeded"
case $run in *"Could not stat /proc/drbd"*|*"cannot reach umcd"*) ;; *) fail "drbdsetup without umcd: $run" ;; esac

info "the installed umc knows it is installed"
out=$(env -i PATH="$INST_PATH" umc --help)
case $out in *"umc status"*) ;; *) fail "installed umc --help: $out" ;; esac
case $out in *"umc setup"*) fail "installed umc offers setup: $out" ;; esac
expect_output_contains "needs a checkout" env -i PATH="$INST_PATH" umc setup
rc=0; env -i PATH="$INST_PATH" UMC_FS_ROOT="$TEST_TMP/nowhere" umc status >/dev/null 2>&1 || rc=$?
expect_eq "$rc" 3 "installed umc status without umcd"

info "a second install keeps a changed /etc/umc/umcd.conf"
echo "# changed by the administrator" >>"$dest/etc/umc/umcd.conf"
umc_install "$dest" /usr/local
expect_file_contains "$dest/etc/umc/umcd.conf" "changed by the administrator" "install overwrote /etc/umc/umcd.conf"

info "uninstall removes all it installed; the changed config stays"
umc_uninstall
expect_eq "$(file_list "$dest")" "$(printf '%s\n' "$before" ./etc ./etc/umc ./etc/umc/umcd.conf | sort)" \
  "files left after uninstall"
rm -r "$dest/etc"

info "install again, uninstall: nothing left"
umc_install "$dest" /usr/local
umc_uninstall
expect_eq "$(file_list "$dest")" "$before" "files left after uninstall"

info "throwaway prefix: config in <prefix>/etc/umc, the unit verifies, the man pages render"
prefix="$TEST_TMP/prefix"
mkdir -p "$prefix"
umc_install "" "$prefix"
[ -f "$prefix/etc/umc/umcd.conf" ] || fail "no $prefix/etc/umc/umcd.conf"
unit="$prefix/lib/systemd/system/umcd@.service"
grep -qx "ExecStart=$prefix/sbin/umcd -f -c $prefix/etc/umc/%i.conf" "$unit" || fail "unit ExecStart: $(grep ExecStart "$unit")"
expect_file_line "$unit" 'Type=notify' "the unit is not Type=notify"
grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit" || fail "the unit has no ExecReload"
mkdir -p "$TEST_TMP/units"
cp "$unit" "$TEST_TMP/units/umcd@umcd.service"
# Documentation= is checked too: man must find the installed pages.
MANPATH="$prefix/share/man" systemd-analyze verify "$TEST_TMP/units/umcd@umcd.service" >"$TEST_TMP/verify.out" 2>&1 ||
  { cat "$TEST_TMP/verify.out"; fail "systemd-analyze verify"; }
[ ! -s "$TEST_TMP/verify.out" ] || { cat "$TEST_TMP/verify.out"; fail "systemd-analyze verify complains"; }
for page in man8/umcd.8 man5/umcd.conf.5 man8/umc.8; do
  warn=$(MANWIDTH=80 man -l --warnings -E UTF-8 "$prefix/share/man/$page" 2>&1 >/dev/null)
  [ -z "$warn" ] || fail "man -l $page warns: $warn"
  MANWIDTH=80 man -l -E UTF-8 "$prefix/share/man/$page" 2>/dev/null | grep -q NAME || fail "$page renders no NAME"
done
umc_uninstall
expect_eq "$(file_list "$prefix")" "" "files left in the prefix after uninstall"
