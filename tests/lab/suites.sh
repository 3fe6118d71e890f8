# SPDX-License-Identifier: GPL-2.0-only
# The checks of the series that tests/lab/run and tests/lab/race run on
# their kernels: sourced after tests/lib.sh, with krun (lab/run on the
# caller's kernel) defined.

# objtool_clean VARIANT LOG: objtool checks what the hooks call with user
# access enabled (SMAP): a warning of it in a lab kernel's build log LOG is
# a bug of the series.
objtool_clean() {
	local out
	if [ ! -r "$2" ]; then
		tap_not_ok "the $1 kernel's build log is there" "$2"
	elif out=$(grep "objtool" "$2" | grep -vE '^  [A-Z0-9_]+ '); then
		tap_not_ok "objtool finds nothing in the $1 kernel" "$out"
	else
		tap_ok "objtool finds nothing in the $1 kernel"
	fi
}

# kunit_results NAME SUITE RC OUT [MAY_SKIP]: the TAP lines of SUITE's
# KUnit results OUT, which a guest that exited with RC printed; the cases
# in MAY_SKIP (" a b ") may skip, any other skip fails.
kunit_results() {
	local name=$1 suite=$2 rc=$3 out=$4 may_skip=${5-} line case n=0
	while IFS= read -r line; do
		case "$line" in
		"    ok "*"# SKIP"*)
			case=${line#    ok [0-9]* }
			case=${case%% *}
			if [[ "$may_skip" == *" $case "* ]]; then
				tap_ok "$name: $case skips, as a module's must"
			else
				tap_not_ok "$name: ${line#    ok [0-9]* } (skipped)" "$out"
			fi
			n=$((n + 1)) ;;
		"    ok "*) tap_ok "$name: ${line#    ok [0-9]* }"; n=$((n + 1)) ;;
		"    not ok "*) tap_not_ok "$name: ${line#    not ok [0-9]* }" "$out"; n=$((n + 1)) ;;
		esac
	done <<<"$out"
	if [ "$rc" -eq 0 ] && [ $n -gt 0 ] && grep -q "^ok [0-9]* $suite\$" <<<"$out"; then
		tap_ok "$name: the suite passed ($n cases)"
	else
		tap_not_ok "$name: the suite ran and passed" "exit $rc" "$out"
	fi
}

# kunit_suite NAME [--suite SUITE] [--module KO] LAB-RUN-ARGS...: the KUnit
# results of SUITE (kcov_ext_records by default), a TAP line per case; with
# --module, the suite is the module KO, loaded first, and the cases that
# filter its own functions must skip (KCOV_FILTER takes the kernel's text,
# not a module's); any other skip fails.
kunit_suite() {
	local name=$1 out rc load= may_skip= suite=kcov_ext_records
	shift
	if [ "${1-}" = --suite ]; then
		suite=$2
		shift 2
	fi
	if [ "${1-}" = --module ]; then
		load="insmod /lab/${2##*/} &&"
		may_skip=" test_filter_suppress test_filter_classic test_filter_window test_filter_ranges "
		set -- --add "$2" "${@:3}"
	fi
	out=$(krun "$@" -- sh -c "$load cat /sys/kernel/debug/kunit/$suite/results" 2>&1)
	rc=$?
	kunit_results "$name" "$suite" "$rc" "$out" "$may_skip"
}

# kunit_suites VARIANT SUITE...: the KUnit results of each SUITE, as
# kunit_suite gives them ("KUnit SUITE (VARIANT)"), from one boot.
kunit_suites() {
	local variant=$1 out rc suite cmd=
	shift
	for suite in "$@"; do
		cmd="$cmd echo '#### $suite'; cat /sys/kernel/debug/kunit/$suite/results || exit 1;"
	done
	out=$(krun -- sh -c "$cmd" 2>&1)
	rc=$?
	for suite in "$@"; do
		kunit_results "KUnit $suite ($variant)" "$suite" "$rc" \
			"$(awk -v s="#### $suite" '$0 == s { on = 1; next } /^#### / { on = 0 } on' <<<"$out")"
	done
}

# selftest NAME PROGRAM RUNS SKIPS LAB-RUN-ARGS...: one of the series'
# selftests (tools/testing/selftests/kcov) in the guest, a TAP line per
# case; RUNS cases must pass and SKIPS be skipped (what the kernel's
# configuration has).
selftest() {
	local name=$1 prog=$2 runs=$3 skips=$4 out rc line p=0 s=0
	shift 4
	out=$(krun "$@" -- sh -c "KCOV_SYSTEM_MAP=/lab/System.map $prog" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok "*"# SKIP"*) s=$((s + 1)) ;;
		"ok "*) p=$((p + 1)); tap_ok "$name: ${line#ok [0-9]* }" ;;
		"not ok "*) tap_not_ok "$name: ${line#not ok [0-9]* }" "$(grep -E 'Expected|FAIL' <<<"$out")" ;;
		esac
	done <<<"$out"
	if [ $rc -eq 0 ] && [ $p -eq "$runs" ] && [ $s -eq "$skips" ]; then
		tap_ok "$name: $p passed, $s skipped, as this kernel should"
	else
		tap_not_ok "$name: $runs passed and $skips skipped" "exit $rc, $p passed, $s skipped" \
			"$(tail -n 20 <<<"$out")"
	fi
}
