# SPDX-License-Identifier: GPL-2.0-only
# Shared by the lab scripts.

O=$(mkdir -p "${O:-$top/build}" && cd "${O:-$top/build}" && pwd)
LLVM_MAJOR=${LLVM_MAJOR:-22}
GCC_MAJOR=${GCC_MAJOR:-12}
LINUX_TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
PRISTINE_TAG=v6.12-debian

# lab_git ARGS...: git through scripts/git, independent of the user's git
# configuration and identity.
lab_git() {
	"$top/scripts/git" "$@"
}

lab_log() {
	echo "lab: $*" >&2
}

lab_die() {
	echo "lab: $*" >&2
	exit 1
}

# lab_need_cmd CMD...: a one-line error naming what is missing.
lab_need_cmd() {
	local c missing=
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
	done
	[ -z "$missing" ] || lab_die "missing:$missing (run scripts/deps kernel lab compiler)"
}
