# Shared functions of tools/umc.  Sourced, never run.

umc_log() { printf '\033[1m[umc]\033[0m %s\n' "$*"; }
umc_die() { printf 'umc: %s\n' "$*" >&2; exit 1; }

# Install what tools/debian-packages.txt lists and the machine lacks.  Quiet
# when nothing is missing; needs root only when something is.
umc_install_packages() {
  local wanted missing=()
  wanted=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$UMC_TOP/tools/debian-packages.txt" | awk '{print $1}')
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || umc_die "missing packages (${missing[*]}); run as root or install them"
  umc_log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configure (once) and build one preset into build/<preset>.
umc_build() {
  local preset=$1 dir="$UMC_TOP/build/$1" werror=OFF
  [ "${CI:-}" = true ] && werror=ON
  if [ ! -f "$dir/build.ninja" ]; then
    umc_log "configuring $preset"
    cmake --preset "$preset" -S "$UMC_TOP" -DUMC_WERROR=$werror >/dev/null
  fi
  umc_log "building $preset"
  if ! cmake --build "$dir" -j "$(nproc)" >"$dir/build.log" 2>&1; then
    grep -v '^\[[0-9]*/[0-9]*\]' "$dir/build.log" | tail -n 80 >&2
    umc_die "build of $preset failed (full log: $dir/build.log)"
  fi
}

# The whole suite in one preset, then the unit tests under the sanitizers.
umc_run_tests() {
  local preset=$1; shift
  local rc=0
  umc_build "$preset"
  umc_log "testing $preset"
  ctest --test-dir "$UMC_TOP/build/$preset" -j "$(nproc)" --output-on-failure "$@" || rc=1
  if [ "$preset" = release ] && [ "${UMC_TEST_SANITIZERS:-1}" != 0 ]; then
    for san in asan tsan; do
      umc_build "$san"
      umc_log "unit tests under $san"
      ctest --test-dir "$UMC_TOP/build/$san" -j "$(nproc)" -L unit --output-on-failure "$@" || rc=1
    done
  fi
  [ $rc -eq 0 ] && umc_log "all suites passed" || umc_log "FAILED"
  return $rc
}

# What the umcd serving $UMC_FS_ROOT (default /UMCfuse) says about itself.
umc_status() {
  local root=${UMC_FS_ROOT:-/UMCfuse}
  if ! findmnt -n "$root" >/dev/null 2>&1; then
    echo "umc: no umcd serves $root (set UMC_FS_ROOT for another instance)" >&2
    return 3
  fi
  cat "$root/proc/umcd/devices"
  # node_name and state_dir (umcd since node names); older daemons lack it.
  [ ! -r "$root/proc/umcd/node" ] || cat "$root/proc/umcd/node"
}

# tools/umc drbdadm|drbdsetup|drbdmeta ARGS: Debian's unmodified drbd-utils
# driving the umcd that serves $UMC_FS_ROOT (default /UMCfuse), through
# libumc-preload.so (docs/preload.md).
umc_drbd_tool() {
  local tool=$1; shift
  local lib=${UMC_PRELOAD_LIB:-} bin
  if [ -z "$lib" ]; then
    if [ "${UMC_INSTALLED:-0}" = 1 ]; then lib=$UMC_LIBDIR/libumc-preload.so
    else lib=$UMC_TOP/build/release/tools/preload/libumc-preload.so; fi
  fi
  case $tool in
    drbdadm)   bin=/sbin/drbdadm ;;            # reads the mapped /proc/drbd, execs drbdadm-84
    drbdsetup) bin=/lib/drbd/drbdsetup-84 ;;   # the 8.4 one directly: no v9 fallback when umcd is down
    drbdmeta)  bin=/sbin/drbdmeta ;;
  esac
  [ -x "$bin" ] || umc_die "$bin is missing: apt-get install drbd-utils"
  [ -f "$lib" ] || umc_die "$lib is missing: run 'tools/umc setup' (or install umc)"
  LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}" UMC_FS_ROOT="${UMC_FS_ROOT:-/UMCfuse}" exec "$bin" "$@"
}

# tools/umc grow DEVICE SIZE: truncate(2) of a FUSE device node to a larger
# size grows the device (its backend extends, the kernel side sees the new
# size; drbdadm resize then grows DRBD).  By path, without opening it: a
# backing disk DRBD holds refuses writers (docs/drbd-operator-guide.md).
umc_grow() {
  [ $# -eq 2 ] || umc_die "usage: tools/umc grow DEVICE SIZE (e.g. /UMCfuse/dev/d0 64G)"
  local bytes
  bytes=$(numfmt --from=iec "${2%B}") || umc_die "grow: bad size '$2'"
  perl -e 'truncate($ARGV[0], $ARGV[1]) or die "grow $ARGV[0]: $!\n"' "$1" "$bytes"
}

# tools/umc install [--prefix P]: build, then `cmake --install` into P
# (default /usr/local) under $DESTDIR.  CMake records every installed file
# in build/<preset>/install_manifest.txt (without DESTDIR); install_files.txt
# keeps them with it (cpack and other installs overwrite the manifest), and
# install_dirs.txt the directories the install creates (found by staging it
# once in a temporary DESTDIR), so that uninstall removes exactly these.
umc_install() {
  local preset=$1; shift
  local prefix=/usr/local dir="$UMC_TOP/build/$preset" dest=${DESTDIR:-} stage d
  while [ $# -gt 0 ]; do
    case $1 in
      --prefix) [ $# -ge 2 ] || umc_die "install: --prefix needs a directory"; prefix=$2; shift 2 ;;
      --prefix=*) prefix=${1#*=}; shift ;;
      *) umc_die "install: unknown argument '$1' (usage: tools/umc install [--prefix DIR])" ;;
    esac
  done
  case $prefix in /*) ;; *) umc_die "install: --prefix must be an absolute path" ;; esac
  prefix=${prefix%/}; prefix=${prefix:-/}
  umc_build "$preset"
  stage=$(mktemp -d /tmp/umc-install-stage.XXXXXX)
  if ! DESTDIR=$stage cmake --install "$dir" --prefix "$prefix" >"$dir/install.log" 2>&1; then
    rm -rf "$stage"; cat "$dir/install.log" >&2; umc_die "install into a staging directory failed"
  fi
  # A reinstall over an earlier one keeps the directories that one created.
  { cat "$dir/install_dirs.txt" 2>/dev/null || true
    (cd "$stage" && find . -mindepth 1 -type d | sed 's/^\.//') | while IFS= read -r d; do
      [ -d "$dest$d" ] || printf '%s\n' "$dest$d"
    done; } | sort -u >"$dir/install_dirs.txt.new"
  mv "$dir/install_dirs.txt.new" "$dir/install_dirs.txt"
  rm -rf "$stage"
  umc_log "installing into ${dest:+DESTDIR=$dest }$prefix"
  cmake --install "$dir" --prefix "$prefix" >"$dir/install.log" 2>&1 ||
    { cat "$dir/install.log" >&2; umc_die "install failed"; }
  grep -v '^-- Up-to-date' "$dir/install.log" || true
  sed -e '/^$/d' -e "s|^|$dest|" "$dir/install_manifest.txt" >"$dir/install_files.txt"
  umc_log "installed; '$0 uninstall' removes it (build/$preset/install_files.txt)"
  if [ -z "$dest" ] && [ "$(command -v drbdadm)" != "$prefix/sbin/drbdadm" ]; then
    umc_log "note: $prefix/sbin is not ahead of /sbin in PATH: drbdadm there is $(command -v drbdadm || echo none)"
  fi
}

# tools/umc uninstall: remove what the last install's manifest listed (with
# its DESTDIR: install_files.txt), then the directories it created, if
# empty.  A config file changed since it was installed stays.
umc_uninstall() {
  local dir="$UMC_TOP/build/$1" f d
  local files="$dir/install_files.txt"
  [ -f "$files" ] || umc_die "nothing to uninstall: no $files (from 'tools/umc install')"
  while IFS= read -r f || [ -n "$f" ]; do
    [ -n "$f" ] || continue
    if [ "${f##*/}" = umcd.conf ] && [ -f "$f" ] && ! cmp -s "$f" "$UMC_TOP/tools/dist/umcd.conf.example"; then
      umc_log "keeping $f: changed since it was installed"
      continue
    fi
    rm -f -- "$f"
  done <"$files"
  if [ -f "$dir/install_dirs.txt" ]; then
    tac "$dir/install_dirs.txt" | while IFS= read -r d; do rmdir -- "$d" 2>/dev/null || true; done
  fi
  rm -f "$files" "$dir/install_dirs.txt"
  umc_log "uninstalled"
}

# tools/umc package: the Debian package (CPack, cmake/UmcPackage.cmake) in
# build/<preset>/package/.
umc_package() {
  local dir="$UMC_TOP/build/$1"
  (cd "$dir" && cpack --config CPackConfig.cmake -B "$dir/package" >"$dir/package.log" 2>&1) ||
    { cat "$dir/package.log" >&2; umc_die "cpack failed"; }
  umc_log "package: $(ls "$dir"/package/umc_*.deb)"
}
