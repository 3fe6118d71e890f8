# SPDX-License-Identifier: GPL-2.0-only
# Shared by the lab scripts.

O=$(mkdir -p "${O:-$top/build}" && cd "${O:-$top/build}" && pwd)
LLVM_MAJOR=${LLVM_MAJOR:-22}
GCC_MAJOR=${GCC_MAJOR:-12}
# The series' home is Linux 7.3 (kernel/patches); its backport to the 6.12
# LTS (kernel/backports/6.12) builds the variants named lts, lts-noext, ...
LAB_BASE=7.3
LAB_LTS_BASE=6.12
lab_tarball=${LINUX_TARBALL:-} lab_tarball_lts=${LINUX_TARBALL_LTS:-}

# lab_use_base BASE: set what lab/build and the tests work on for the kernel
# release BASE (7.3 or 6.12): LINUX_TARBALL (Debian's linux-source-BASE;
# LINUX_TARBALL, or LINUX_TARBALL_LTS for 6.12, overrides it), PRISTINE_TAG,
# the source tree src ($O/kernel/src, or src-6.12), src_series (the series
# alone, a worktree of src), patch_dir and lab_patch_dir.
lab_use_base() {
	base=$1
	case "$base" in
	"$LAB_BASE")
		LINUX_TARBALL=${lab_tarball:-/usr/src/linux-source-$base.tar.xz}
		patch_dir=$top/kernel/patches lab_patch_dir=$top/kernel/lab-patches
		src=$O/kernel/src ;;
	"$LAB_LTS_BASE")
		LINUX_TARBALL=${lab_tarball_lts:-/usr/src/linux-source-$base.tar.xz}
		patch_dir=$top/kernel/backports/$base/patches
		lab_patch_dir=$top/kernel/backports/$base/lab-patches
		src=$O/kernel/src-$base ;;
	*) lab_die "no kernel base '$base' (the lab has $LAB_BASE and $LAB_LTS_BASE)" ;;
	esac
	PRISTINE_TAG=v$base-debian
	src_series=$src-series
}

# lab_variant_base VARIANT: the kernel release a variant builds: the LTS
# for a variant with the part lts (lts, lts-noext, ...), else 7.3.
lab_variant_base() {
	case "-$1-" in
	*-lts-*) echo "$LAB_LTS_BASE" ;;
	*) echo "$LAB_BASE" ;;
	esac
}

# lab_patch_lists: series_patches, the series ($patch_dir; its cover
# letter has no diff for git am), and lab_patches, the lab's own patches on
# top ($lab_patch_dir, never posted), in the order git am takes them.
lab_patch_lists() {
	local p
	series_patches=() lab_patches=()
	for p in "$patch_dir"/*.patch; do
		case "$p" in */0000-cover-letter.patch) ;; *) series_patches+=("$p") ;; esac
	done
	for p in "$lab_patch_dir"/*.patch; do
		[ ! -e "$p" ] || lab_patches+=("$p")
	done
}

# lab_series_id: what lab/build has applied when $src/.git/kcov-ext-series
# says it; which patches are the lab's is part of it.
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
