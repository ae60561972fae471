#!/usr/bin/env bash
# Fetch Debian's kernel and build the kernel peer's initramfs into the cache
# (kp_image.sh), printing what a boot uses.  CI may run it before the tests;
# every kernel-peer test also does this itself (a cache hit is free).
set -euo pipefail
. "$(dirname "$0")/kp_image.sh"
kp_image_prepare
echo "kernel    $KP_KVER"
echo "vmlinuz   $KP_VMLINUZ"
echo "initramfs $KP_INITRAMFS"
