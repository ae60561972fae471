#!/usr/bin/env bash
# Every link in our Markdown stays inside the repository and names something
# that exists: [text](path) and [text](path#anchor) must resolve to a file or
# folder under the top directory, and an anchor to a heading of that file.
# Paths outside the repository must not be cited as text either (a folder
# next to the checkout, an absolute /work/... path): a reader of the
# repository alone cannot follow them.
#
# Usage: tests/tools/docs_links.sh [TOP]   (default: the repository this is in)
set -u
top=$(cd "${1:-$(dirname "$0")/../..}" && pwd) || exit 2
cd "$top" || exit 2

problems=0
problem() { echo "$1"; problems=$((problems + 1)); }

# GitHub's anchor for a heading: lower case, punctuation dropped, blanks to '-'.
anchors() {
	sed -n 's/^#\{1,6\} \{1,\}//p' "$1" | tr '[:upper:]' '[:lower:]' |
		sed 's/[^[:alnum:] _-]//g; s/ /-/g'
}

while IFS= read -r md; do
	dir=$(dirname "$md")
	while IFS= read -r link; do
		target=${link%%#*}
		anchor=${link#"$target"}
		anchor=${anchor#\#}
		case $target in http://* | https://* | mailto:*) continue ;; esac
		file=$md
		if [ -n "$target" ]; then
			file=$(realpath -m "$dir/$target")
			case $file in "$top" | "$top"/*) ;; *)
				problem "$md: link leaves the repository: $link"
				continue
				;;
			esac
			[ -e "$file" ] || { problem "$md: no such file: $link"; continue; }
		fi
		if [ -n "$anchor" ] && [ -f "$file" ] && ! anchors "$file" | grep -qxF -- "$anchor"; then
			problem "$md: no heading for #$anchor in $link"
		fi
	done < <(grep -o '\]([^) ]*)' "$md" | sed 's/^](//; s/)$//')
	while IFS=: read -r n text; do
		problem "$md:$n: cites a path outside the repository: $text"
	done < <(grep -n '\.\./shared/\|/work/\|\bshared/research/\|\bshared/design/' "$md")
done < <(git ls-files --cached --others --exclude-standard '*.md' 2>/dev/null ||
	find . -name '*.md' -not -path './.git/*' -not -path './build/*' | sed 's|^\./||')

[ "$problems" -eq 0 ] || { echo "$problems problem(s)"; exit 1; }
echo "links ok"
