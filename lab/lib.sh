# SPDX-License-Identifier: GPL-2.0-only
# Shared by the lab scripts.

O=$(mkdir -p "${O:-$top/build}" && cd "${O:-$top/build}" && pwd)
LLVM_MAJOR=${LLVM_MAJOR:-22}
GCC_MAJOR=${GCC_MAJOR:-12}
LINUX_TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
PRISTINE_TAG=v6.12-debian

# lab_patch_lists: series_patches, the series (kernel/patches; its cover
# letter has no diff for git am), and lab_patches, the lab's own patches on
# top (kernel/lab-patches, never posted), in the order git am takes them.
lab_patch_lists() {
	local p
	series_patches=() lab_patches=()
	for p in "$top"/kernel/patches/*.patch; do
		case "$p" in */0000-cover-letter.patch) ;; *) series_patches+=("$p") ;; esac
	done
	for p in "$top"/kernel/lab-patches/*.patch; do
		[ ! -e "$p" ] || lab_patches+=("$p")
	done
}

# lab_series_id: what lab/build has applied when $O/kernel/src/.git/
# kcov-ext-series says it; which patches are the lab's is part of it.
lab_series_id() {
	{ cat "${series_patches[@]}"; echo "-- lab patches --"; cat /dev/null "${lab_patches[@]}"; } |
		sha256sum | cut -c1-16
}

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
