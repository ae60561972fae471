# shellcheck shell=bash
# The kernel peer's boot files: Debian's own kernel (the running ABI's
# linux-image-*, with its drbd.ko 8.4.11) and an initramfs of busybox-static,
# the modules DRBD needs, Debian's drbd-utils and mke2fs.  Plain bash, no test
# harness: sourced by kernel_peer_lib.sh and by kp_prepare.sh.
#
#   kp_image_prepare    # sets KP_KVER, KP_VMLINUZ, KP_INITRAMFS
#
# Both are cached under $UMC_KP_CACHE (default /var/cache/umc/kernel-peer):
#   kernel-<package>_<version>/   vmlinuz, config, lib/modules/<kver>/ with only
#                                 the modules below (and depmod's files)
#   initramfs-<kver>-<hash>.cpio.gz  hash over this file, the kernel directory
#                                 and every host binary put in
# A cache hit costs nothing; a miss fetches with `apt-get download` (the .deb
# is removed once unpacked) and builds in a few seconds.  An flock on
# $UMC_KP_CACHE/.lock serialises parallel preparers.
#
# UMC_KP_KERNEL=linux-image-X overrides the package (default: what
# linux-image-amd64 depends on, i.e. the running Debian ABI); without a
# reachable package list the newest cached kernel is used.

UMC_KP_CACHE=${UMC_KP_CACHE:-/var/cache/umc/kernel-peer}
KP_IMAGE_SRC=${BASH_SOURCE[0]}

# Modules the guest loads, named as modprobe knows them; each with its
# dependencies in `modprobe --show-depends` order.
KP_MODULES=(virtio_pci virtio_net virtio_blk crc32c_generic libcrc32c lru_cache drbd ext4)

# Host programs copied into the initramfs at the same path, with their
# libraries (ldd); busybox provides everything else.
KP_PROGRAMS=(/sbin/drbdadm /lib/drbd/drbdadm-84 /lib/drbd/drbdsetup-84 /sbin/drbdmeta /sbin/mke2fs /sbin/e2fsck)
KP_FILES=(/etc/mke2fs.conf)

kp_log() { echo "# kernel-peer: $*" >&2; }

# kp_kernel_package: the linux-image-* package to use (empty if unknown).
kp_kernel_package() {
  if [ -n "${UMC_KP_KERNEL:-}" ]; then echo "$UMC_KP_KERNEL"; return; fi
  apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}

# kp_newest_cached: the most recently completed cached kernel directory.
kp_newest_cached() {
  local f
  f=$(ls -1dt "$UMC_KP_CACHE"/kernel-*/.complete 2>/dev/null | head -n 1)
  [ -n "$f" ] && dirname "$f"
}

# kp_kernel_download PKG VER DIR: fetch, unpack and prune into DIR.
kp_kernel_download() {
  local pkg=$1 ver=$2 dir=$3 tmp
  kp_log "fetching $pkg $ver"
  tmp=$(mktemp -d "$UMC_KP_CACHE/.fetch.XXXXXX")
  if ! (cd "$tmp" && apt-get download "$pkg=$ver" >download.log 2>&1); then
    cat "$tmp/download.log" >&2; rm -rf "$tmp"; kp_log "apt-get download $pkg=$ver failed"; return 1
  fi
  dpkg -x "$tmp"/*.deb "$tmp/x" || { rm -rf "$tmp"; kp_log "dpkg -x failed"; return 1; }
  kp_kernel_prune "$tmp/x" "$tmp/k" || { rm -rf "$tmp"; return 1; }
  rm -rf "$dir" && mv "$tmp/k" "$dir" && touch "$dir/.complete"
  rm -rf "$tmp"
}

# kp_candidate PKG: the version apt would install (empty if none).
kp_candidate() {
  local v
  v=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
  [ "$v" = "(none)" ] || echo "$v"
}

# kp_kernel_fetch: set KP_KDIR (a complete cached kernel directory) and
# KP_KVER, fetching and unpacking when missing.  Package lists that are
# stale (the archive moved on: 404) are refreshed once; without any, or if
# the fetch fails, the newest cached kernel is used.
kp_kernel_fetch() {
  local pkg ver
  pkg=$(kp_kernel_package)
  [ -z "$pkg" ] || ver=$(kp_candidate "$pkg")
  KP_KDIR=
  if [ -n "$pkg" ] && [ -n "${ver:-}" ]; then
    KP_KDIR="$UMC_KP_CACHE/kernel-${pkg}_${ver//:/%}"
    if [ ! -e "$KP_KDIR/.complete" ] && ! kp_kernel_download "$pkg" "$ver" "$KP_KDIR"; then
      KP_KDIR=
      kp_log "refreshing the package lists (apt-get update) and trying again"
      if apt-get update -qq >/dev/null 2>&1; then
        pkg=$(kp_kernel_package)
        ver=$(kp_candidate "$pkg")
        KP_KDIR="$UMC_KP_CACHE/kernel-${pkg}_${ver//:/%}"
        [ -e "$KP_KDIR/.complete" ] || kp_kernel_download "$pkg" "$ver" "$KP_KDIR" || KP_KDIR=
      fi
    fi
  fi
  if [ -z "$KP_KDIR" ]; then
    KP_KDIR=$(kp_newest_cached) ||
      { kp_log "no kernel package to fetch (apt-cache depends linux-image-amd64) and none cached"; return 1; }
    kp_log "using the cached $(basename "$KP_KDIR")"
  fi
  KP_KVER=$(cat "$KP_KDIR/kver")
}

# kp_kernel_prune SRC DST: from an unpacked linux-image (SRC) keep vmlinuz,
# config and KP_MODULES with their dependencies, in DST; write DST/load-order
# (module paths relative to lib/modules/<kver>, dependencies first).
kp_kernel_prune() {
  local src=$1 dst=$2 kver m path
  kver=$(basename "$(ls -d "$src"/lib/modules/*/ | head -n 1)")
  [ -n "$kver" ] && [ -f "$src/boot/vmlinuz-$kver" ] || { kp_log "no kernel in the package"; return 1; }
  # The .deb ships no modules.dep.
  depmod -b "$src" "$kver" || { kp_log "depmod failed"; return 1; }
  mkdir -p "$dst/lib/modules/$kver"
  cp "$src/boot/vmlinuz-$kver" "$dst/vmlinuz"
  cp "$src/boot/config-$kver" "$dst/config"
  echo "$kver" >"$dst/kver"
  : >"$dst/load-order"
  for m in "${KP_MODULES[@]}"; do
    modprobe -d "$src" -S "$kver" --show-depends "$m" >"$dst/deps" 2>&1 ||
      { cat "$dst/deps" >&2; kp_log "modprobe --show-depends $m failed"; return 1; }
    while read -r _ path _; do
      path=${path#"$src/lib/modules/$kver/"}
      grep -qxF "$path" "$dst/load-order" && continue
      mkdir -p "$dst/lib/modules/$kver/$(dirname "$path")"
      cp "$src/lib/modules/$kver/$path" "$dst/lib/modules/$kver/$path"
      echo "$path" >>"$dst/load-order"
    done < <(grep '^insmod ' "$dst/deps")
  done
  rm -f "$dst/deps"
}

# kp_libs PROGRAM...: the shared libraries (and loader) the programs need.
kp_libs() {
  ldd "$@" 2>/dev/null | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u
}

# kp_initramfs_build: set KP_INITRAMFS, building it unless cached.
kp_initramfs_build() {
  local busybox f h stage
  busybox=$(command -v busybox) || { kp_log "busybox missing (busybox-static)"; return 1; }
  ! ldd "$busybox" >/dev/null 2>&1 || { kp_log "$busybox is not static (install busybox-static)"; return 1; }
  for f in "${KP_PROGRAMS[@]}"; do [ -x "$f" ] || { kp_log "$f missing (drbd-utils, e2fsprogs)"; return 1; }; done
  h=$({ cat "$KP_IMAGE_SRC" "$KP_KDIR/load-order" "$KP_KDIR/kver"
        sha256sum "$busybox" "${KP_PROGRAMS[@]}" "${KP_FILES[@]}" $(kp_libs "${KP_PROGRAMS[@]}"); } |
      sha256sum | cut -c1-16)
  KP_INITRAMFS="$UMC_KP_CACHE/initramfs-$KP_KVER-$h.cpio.gz"
  [ -s "$KP_INITRAMFS" ] && return 0
  kp_log "building $(basename "$KP_INITRAMFS")"
  stage=$(mktemp -d "$UMC_KP_CACHE/.stage.XXXXXX")
  (
    set -e
    cd "$stage"
    mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc dev proc sys tmp mnt run var/lib/drbd var/lock lib/modules
    ln -s ../run var/run
    cp "$busybox" bin/busybox
    busybox --list-full | while read -r a; do [ -e "$a" ] || ln -s /bin/busybox "$a"; done
    for f in "${KP_PROGRAMS[@]}" "${KP_FILES[@]}" $(kp_libs "${KP_PROGRAMS[@]}"); do
      mkdir -p ".$(dirname "$f")"
      rm -f ".$f"
      cp -L "$f" ".$f"
    done
    ln -sf mke2fs sbin/mkfs.ext4
    cp -a "$KP_KDIR/lib/modules/$KP_KVER" lib/modules/
    sed "s|^|/lib/modules/$KP_KVER/|" "$KP_KDIR/load-order" >etc/modules-load-order
    mknod -m 600 dev/console c 5 1
    kp_guest_init >init
    kp_guest_cmdloop >bin/umc-cmdloop
    chmod 755 init bin/umc-cmdloop
    find . -mindepth 1 | sort | cpio -o -H newc --quiet | gzip -1 >"$KP_INITRAMFS.tmp"
  ) || { rm -rf "$stage"; kp_log "initramfs build failed"; return 1; }
  mv "$KP_INITRAMFS.tmp" "$KP_INITRAMFS"
  rm -rf "$stage"
  # Older builds (other inputs) not used for a day, and kernels the archive
  # moved past a month ago, go.
  find "$UMC_KP_CACHE" -maxdepth 1 -name 'initramfs-*.cpio.gz' ! -path "$KP_INITRAMFS" -mtime +1 -delete 2>/dev/null
  find "$UMC_KP_CACHE" -maxdepth 1 -name 'kernel-*' ! -path "$KP_KDIR" -mtime +30 -exec rm -rf {} + 2>/dev/null
  return 0
}

# The guest's /init: mounts, modules, host name and address from the kernel
# command line (umc.host=NAME umc.ip=ADDR/LEN), then the command loop on
# ttyS1.  The console (ttyS0) says UMC-GUEST-READY when the loop starts.
kp_guest_init() {
  cat <<'EOF'
#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin:/lib/drbd
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /run/drbd /run/lock
for m in $(cat /etc/modules-load-order); do
  insmod "$m" || echo "UMC-GUEST: insmod $m failed"
done
for a in $(cat /proc/cmdline); do
  case $a in
    umc.host=*) hostname "${a#umc.host=}" ;;
    umc.ip=*) ip=${a#umc.ip=} ;;
  esac
done
ip link set lo up
ip link set eth0 up
[ -n "$ip" ] && ip addr add "$ip" dev eth0
# DRBD's info messages go to the console (the host's console log) too.
echo 7 >/proc/sys/kernel/printk
echo "UMC-GUEST-READY $(hostname) $(cut -d' ' -f1 /proc/uptime)"
exec /bin/umc-cmdloop
EOF
}

# The command loop: reads "UMC-CMD ID BASE64" lines on ttyS1, runs the
# decoded script with sh, answers "UMC-BEGIN ID\n" OUTPUT "UMC-END ID RC\n".
# Anything else on the line is ignored (a half line from before the loop ran).
kp_guest_cmdloop() {
  cat <<'EOF'
#!/bin/sh
tty=/dev/ttyS1
stty -F $tty raw -echo -echoe -echok -echoctl -echoke 2>/dev/null
exec <$tty >$tty 2>&1
cd /
while read -r tag id b64; do
  [ "$tag" = UMC-CMD ] || continue
  echo "$b64" | base64 -d >/tmp/.cmd 2>/dev/null || { echo "UMC-BEGIN $id"; echo "UMC-END $id 126"; continue; }
  sh /tmp/.cmd </dev/null >/tmp/.out 2>&1
  rc=$?
  echo "UMC-BEGIN $id"
  cat /tmp/.out
  echo "UMC-END $id $rc"
done
EOF
}

# kp_image_prepare: everything needed to boot (see the top of this file).
kp_image_prepare() {
  mkdir -p "$UMC_KP_CACHE" || return 1
  exec {_kp_lock}>"$UMC_KP_CACHE/.lock"
  flock "$_kp_lock"
  local rc=0
  kp_kernel_fetch && kp_initramfs_build || rc=1
  flock -u "$_kp_lock"
  exec {_kp_lock}>&-
  [ $rc -eq 0 ] || return 1
  KP_VMLINUZ="$KP_KDIR/vmlinuz"
}
