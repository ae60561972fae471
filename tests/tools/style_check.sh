#!/usr/bin/env bash
# Our own C and C++ follow .clang-format: every tracked .c/.h/.cpp/.hpp file
# under the project's layers must come out of clang-format unchanged (files
# whose folder disables formatting, umc/kernel/include, are skipped by
# clang-format itself).  Prints each file that differs and how to fix it.
#
# Usage: tests/tools/style_check.sh [TOP]   (default: the repository this is in)
set -u
top=$(cd "${1:-$(dirname "$0")/../..}" && pwd) || exit 2
cd "$top" || exit 2
command -v clang-format >/dev/null || { echo "clang-format not installed (tools/umc setup installs it)"; exit 2; }

files=$(git ls-files --cached --others --exclude-standard -- \
	'mte/*' 'umc/*' 'bio_backends/*' 'fuse_nodes/*' 'drbd-shim/*' 'tools/*' 'tests/*' 2>/dev/null |
	grep -E '\.(c|h|cpp|hpp)$') || files=$(find mte umc bio_backends fuse_nodes drbd-shim tools tests \
	-name '*.[ch]' -o -name '*.[ch]pp' 2>/dev/null)
bad=0
for f in $files; do
	[ -f "$f" ] || continue
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f"
		bad=$((bad + 1))
	fi
done
if [ "$bad" -ne 0 ]; then
	echo "$bad file(s) differ from .clang-format: run clang-format -i on them"
	exit 1
fi
echo "style ok ($(echo "$files" | wc -w) files)"
