#!/bin/bash
# Proves that what the build compiled is byte-for-byte Debian's file.
#
#   verify-unmodified.sh TARBALL MANIFEST HOSTED_DIR COMPILED_LIST
#
# COMPILED_LIST names (relative to HOSTED_DIR) every hosted file that was fed
# to the compiler.  For each one, the copy in the build tree must hash the
# same as the tarball's member AND as the manifest entry.  The hosted tree
# must also hold nothing the manifest does not name (no stray "fixed" header
# shadowing another).  Exit status 0 only if all of that holds.
set -euo pipefail
tarball=$1 manifest=$2 hosted=$3 compiled_list=$4
top=linux-source-6.1
fail=0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

grep -v '^#' "$manifest" | awk '{print $2}' > "$work/manifest-files"
mapfile -t compiled < <(grep -v '^$' "$compiled_list")
[ ${#compiled[@]} -gt 0 ] || { echo "FAIL: the compiled list is empty" >&2; exit 1; }

# Fresh copies straight from the tarball (one decompression for all files).
sed "s|^|$top/|" "$work/manifest-files" > "$work/members"
tar -xJf "$tarball" -C "$work" -T "$work/members"

for f in "${compiled[@]}"; do
  if ! grep -qxF "$f" "$work/manifest-files"; then
    echo "FAIL: $f was compiled as hosted code but is not in the manifest"; fail=1; continue
  fi
  [ -f "$hosted/$f" ] || { echo "FAIL: $f missing from the build tree"; fail=1; continue; }
  built=$(sha256sum < "$hosted/$f" | cut -d' ' -f1)
  original=$(sha256sum < "$work/$top/$f" | cut -d' ' -f1)
  recorded=$(grep -v '^#' "$manifest" | awk -v f="$f" '$2==f {print $1}')
  if [ "$built" != "$original" ]; then echo "FAIL: $f differs from the tarball"; fail=1; fi
  if [ "$built" != "$recorded" ]; then echo "FAIL: $f differs from the manifest"; fail=1; fi
done

while read -r f; do
  f=${f#./}
  grep -qxF "$f" "$work/manifest-files" || { echo "FAIL: stray file $f in the hosted tree"; fail=1; }
done < <(cd "$hosted" && find . -type f)

[ $fail = 0 ] && echo "OK: ${#compiled[@]} compiled hosted files are identical to $(basename "$tarball") and $(basename "$manifest")"
exit $fail
