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
  local lib=${UMC_PRELOAD_LIB:-$UMC_TOP/build/release/tools/preload/libumc-preload.so} bin
  case $tool in
    drbdadm)   bin=/sbin/drbdadm ;;            # reads the mapped /proc/drbd, execs drbdadm-84
    drbdsetup) bin=/lib/drbd/drbdsetup-84 ;;   # the 8.4 one directly: no v9 fallback when umcd is down
    drbdmeta)  bin=/sbin/drbdmeta ;;
  esac
  [ -x "$bin" ] || umc_die "$bin is missing: apt-get install drbd-utils"
  [ -f "$lib" ] || umc_die "$lib is missing: run 'tools/umc setup'"
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
