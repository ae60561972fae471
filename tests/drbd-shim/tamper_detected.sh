#!/bin/bash
# verify-unmodified.sh must fail when a compiled hosted file differs from
# Debian's by a single byte, and name that file.
#   tamper_detected.sh VERIFY TARBALL MANIFEST HOSTED_DIR COMPILED_LIST
set -uo pipefail
verify=$1 tarball=$2 manifest=$3 hosted=$4 list=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$hosted" "$work/hosted"
victim=$(grep '\.c$' "$list" | head -1)
printf ' ' >> "$work/hosted/$victim"
# A stray extra file (e.g. a patched header dropped next to them) must be refused too.
echo '#define X' > "$work/hosted/include/linux/extra.h"
out=$(bash "$verify" "$tarball" "$manifest" "$work/hosted" "$list" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then echo "FAIL: a modified tree was accepted"; echo "$out"; exit 1; fi
if ! grep -q "$victim differs from the tarball" <<<"$out"; then
  echo "FAIL: the report does not name $victim:"; echo "$out"; exit 1
fi
if ! grep -q "stray file include/linux/extra.h" <<<"$out"; then
  echo "FAIL: the report does not name the stray file:"; echo "$out"; exit 1
fi
echo "OK: modification and stray file were both detected"
