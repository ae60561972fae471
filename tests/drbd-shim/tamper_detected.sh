#!/bin/bash
# verify-unmodified.sh must fail when a compiled hosted file differs from
# Debian's by a single byte, and name that file.
#   tamper_detected.sh VERIFY TARBALL MANIFEST HOSTED_DIR COMPILED_LIST
. "$(dirname "$0")/../integration/lib.sh"
verify=$1 tarball=$2 manifest=$3 hosted=$4 list=$5
work=$TEST_TMP
cp -a "$hosted" "$work/hosted"
victim=$(grep '\.c$' "$list" | head -1)
printf ' ' >> "$work/hosted/$victim"
# A stray extra file (e.g. a patched header dropped next to them) must be refused too.
echo '#define X' > "$work/hosted/include/linux/extra.h"
expect_fail bash "$verify" "$tarball" "$manifest" "$work/hosted" "$list"
expect_text expect_fail "$victim differs from the tarball"
expect_text expect_fail "stray file include/linux/extra.h"
info "modification and stray file were both detected"
