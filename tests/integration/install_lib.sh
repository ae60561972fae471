# shellcheck shell=bash
# Helpers of the install_*.sh tests: umc installed with `tools/umc install`
# into a DESTDIR (or a throwaway prefix) under $TEST_TMP, and used from there
# the way an administrator does: `env -i PATH=<prefix>/sbin:...` and
# UMC_FS_ROOT, no tools/umc, no LD_PRELOAD by hand.  Source after lib.sh.
# The install tests share build/<preset>/install_manifest.txt, so ctest runs
# them one at a time (RESOURCE_LOCK umc_install).

UMC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
UMC_CLI="$UMC_TOP/tools/umc"
INSTALL_PRESET=$(basename "$UMC_BUILD")
[ "$UMC_BUILD" -ef "$UMC_TOP/build/$INSTALL_PRESET" ] ||
  skip "installs with tools/umc, which builds in $UMC_TOP/build/<preset>"

# umc_install DEST PREFIX: `DESTDIR=DEST tools/umc install --prefix PREFIX`
# (DEST may be empty); output in $TEST_TMP/install.out.
umc_install() {
  DESTDIR=$1 "$UMC_CLI" install --preset "$INSTALL_PRESET" --prefix "$2" >"$TEST_TMP/install.out" 2>&1 ||
    { cat "$TEST_TMP/install.out" >&2; fail "tools/umc install --prefix $2 (DESTDIR=$1) failed"; }
}
# umc_uninstall: `tools/umc uninstall` of the last install.
umc_uninstall() {
  "$UMC_CLI" uninstall --preset "$INSTALL_PRESET" >"$TEST_TMP/uninstall.out" 2>&1 ||
    { cat "$TEST_TMP/uninstall.out" >&2; fail "tools/umc uninstall failed"; }
}

# installed_node DEST: install into DEST with prefix /usr/local (uninstalled
# at exit), and point the helpers at it: UMCD (start_umcd and friends run the
# installed daemon), INST_SBIN, INST_PATH (a root's PATH with it first).
installed_node() {
  umc_install "$1" /usr/local
  on_exit "'$UMC_CLI' uninstall --preset '$INSTALL_PRESET'"
  INST_SBIN="$1/usr/local/sbin"
  INST_PATH="$INST_SBIN:/usr/sbin:/usr/bin:/sbin:/bin"
  UMCD="$INST_SBIN/umcd"
}

# as_admin ROOT CMD...: CMD in a clean environment with the installed tools
# first in PATH and UMC_FS_ROOT=ROOT (no UMC_FS_ROOT when ROOT is empty);
# stdin /dev/null, bounded by DRBD_CMD_TIMEOUT (default 60 s).
as_admin() {
  local root=$1; shift
  env -i PATH="$INST_PATH" ${root:+UMC_FS_ROOT="$root"} timeout "${DRBD_CMD_TIMEOUT:-60}" "$@" </dev/null
}

# file_list DIR: every path under DIR (relative), sorted.
file_list() { (cd "$1" && find . -mindepth 1 | sort); }
