# SPDX-License-Identifier: GPL-2.0-only
# Shared by the suites that run a document's commands as written
# (tests/using/run: docs/using.md; tests/readme/run: README.md).
#
# doc_parse DOC TAG DIR PLACE...: split DOC's fenced blocks.
#   - each ```sh block goes to DIR/N.sh (N from 1), its place in place[N]:
#     "host", or the PLACE named by a line `<!-- TAG: PLACE -->` right
#     before it (skip is always allowed: the block does not run); its first
#     line in DOC in line[N];
#   - a ```text block is sample output: it goes to DIR/N.text, N being the
#     sh block before it;
#   - any other fence, an unknown PLACE, or an annotation not followed by a
#     block is an error, in parse_errors.
# Sets nblocks, place, line and parse_errors.
doc_parse() {
	local doc=$1 tag=$2 dir=$3 n=0 lineno=0 l pending='' pending_line=0 in_fence='' lang
	shift 3
	local places=" skip $* "
	place=() line=() parse_errors=()
	mkdir -p "$dir"
	while IFS= read -r l || [ -n "$l" ]; do
		lineno=$((lineno + 1))
		if [ -n "$in_fence" ]; then
			if [ "$l" = '```' ]; then
				in_fence=
			elif [ "$in_fence" = sh ]; then
				printf '%s\n' "$l" >>"$dir/$n.sh"
			elif [ "$in_fence" = text ] && [ "$n" -gt 0 ]; then
				printf '%s\n' "$l" >>"$dir/$n.text"
			fi
			continue
		fi
		case "$l" in
		"<!-- $tag: "*' -->')
			pending=${l#"<!-- $tag: "}
			pending=${pending%' -->'}
			pending_line=$lineno
			case "$places" in *" $pending "*) ;;
			*) parse_errors+=("line $lineno: unknown annotation '$pending' (${places# })") ;;
			esac
			continue ;;
		'```'*)
			lang=${l#'```'}
			case "$lang" in
			sh)
				n=$((n + 1))
				: >"$dir/$n.sh"
				place[n]=${pending:-host}
				line[n]=$((lineno + 1))
				in_fence='sh' ;;
			text)
				[ -z "$pending" ] ||
					parse_errors+=("line $pending_line: '$pending' before a text block")
				in_fence=text ;;
			*)
				parse_errors+=("line $lineno: fence '$l': commands go in \`\`\`sh, output in \`\`\`text")
				in_fence=other ;;
			esac
			pending=
			continue ;;
		'') continue ;;
		esac
		[ -z "$pending" ] ||
			parse_errors+=("line $pending_line: '$pending' is not followed by a code block")
		pending=
	done <"$doc"
	[ -z "$in_fence" ] || parse_errors+=("a code block is not closed")
	nblocks=$n
}

# doc_first_line FILE: a block's first line, for a test's name: without a
# trailing comment, and with '#' escaped (in a TAP line it starts a
# directive).
doc_first_line() {
	sed -n '/[^ ]/{s/^ *//;s/[[:space:]]\+#[[:space:]].*$//;s/#/\\#/g;p;q}' "$1"
}
