// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the record filter (kct_filter_*), the userspace half of
 * KCOV_FILTER, on synthetic streams: each case gives records in the notation
 * of test-decode.c (E1 entry, X1 exit, B1 block, ?1 a record of reserved
 * type 0x5, D1/-2 an EESUM record of delta 1, mindelta -2; PCs in hex) and
 * the records the kernel's rule keeps, derived by hand from the rule of
 * kcov-filter-uapi.h (the derivation is in each case's comment: d the depth
 * after the record's step, s the suppressed depth).  Suppressed functions
 * are [0x100, 0x200) and [0x300, 0x400) unless a case says otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace.h"
#include "testlib.h"

static const struct kct_range two_ranges[] = { { 0x100, 0x200 }, { 0x300, 0x400 } };

static void format_records(const uint64_t *recs, size_t n, char *buf, size_t size)
{
	static const char kinds[16] = { 'E', 'X', 'D', '?', '?', '?', '?', '?', '?', '?', '?', '?',
					'?', '?', '?', 'B' };
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		unsigned int k = KCT_RECORD_KIND(recs[i]);

		if (k == KCT_RECORD_KIND_EESUM)
			len += snprintf(buf + len, size - len, "%sD%d/%d", i ? " " : "",
					KCT_EESUM_DELTA(recs[i]), KCT_EESUM_MINDELTA(recs[i]));
		else
			len += snprintf(buf + len, size - len, "%s%c%llx", i ? " " : "", kinds[k],
					(unsigned long long)(recs[i] & KCT_RECORD_IP_MASK));
	}
}

/* Filters in, whole, with max_depth and ranges, and compares with want. */
static void check(const char *name, uint32_t max_depth, const struct kct_range *ranges,
		  uint32_t nr, const char *in, const char *want)
{
	KCT_OPTS(kct_filter_opts, opts, .max_depth = max_depth,
		 .ranges = ranges, .nr_ranges = nr);
	uint64_t recs[256], out[256];
	char got[4096];
	struct kct_filter *f;
	size_t n = parse_records(in, recs);
	int64_t kept;

	if (kct_filter_new(&opts, &f)) {
		CHECK(0, "%s: kct_filter_new", name);
		return;
	}
	kept = kct_filter_records(f, recs, n, out);
	kct_filter_free(f);
	format_records(out, kept < 0 ? 0 : (size_t)kept, got, sizeof(got));
	CHECK(!strcmp(got, want), "%s", name);
	if (strcmp(got, want))
		printf("# in:   %s\n# want: %s\n# got:  %s\n", in, want, got);
}

static void test_rule(void)
{
	/* max_depth 1: X10 at d 0 kept, d stays 0; B11 d 0; E20 d 1; B21;
	 * E30 d 2 > 1 hidden, B31 too; X32 of depth 2 hidden, d 1; X22 of
	 * depth 1 kept, d 0; X12 of depth 0 kept, d stays 0; B13 d 0. */
	check("depth clamps at 0: exits of frames open before the stream kept", 1, NULL, 0,
	      "X10 B11 E20 B21 E30 B31 X32 X22 X12 B13", "X10 B11 E20 B21 X22 X12 B13");
	/* max_depth 2: E10 d 1, E20 d 2 kept, E30 d 3 and what it does
	 * hidden, X20 of depth 2 kept. */
	check("max_depth 2", 2, NULL, 0, "E10 E20 E30 B31 X31 B21 X21 B11 X11",
	      "E10 E20 B21 X21 B11 X11");
	/* E10 d 1; E100 d 2 suppressed, s 2, kept (d <= s); B101 d 2 not
	 * < s hidden; E20 d 3, B21, X22 hidden; B102 hidden; X103 of depth
	 * 2 = s kept, s 0; B12, X13 at d 1. */
	check("a suppressed function's entry and exit stay, what it executes and calls not", 0,
	      two_ranges, 2, "E10 B11 E100 B101 E20 B21 X22 B102 X103 B12 X13",
	      "E10 B11 E100 X103 B12 X13");
	/* E100 s 1; E300 d 2 > s hidden though suppressed itself; E150 too;
	 * X101 of depth 1 kept, s 0; then E300 d 1 is the outermost: s 1,
	 * kept, its block hidden, its exit kept. */
	check("nested suppressed functions: the outermost one counts", 0, two_ranges, 2,
	      "E100 E300 B301 X302 E150 X151 X101 E300 B301 X302", "E100 X101 E300 X302");
	/* E100 s 1; its recursive E100 d 2 > s hidden, X100 of depth 2 hidden
	 * and does not clear s; the last X100 of depth 1 does. */
	check("a suppressed function calling itself", 0, two_ranges, 2,
	      "E100 E100 X100 X100 B10", "E100 X100 B10");
	/* ?101 is a PC record like a block. */
	check("records of other types count as blocks", 0, two_ranges, 2, "E10 ?11 E100 ?101 X101",
	      "E10 ?11 E100 X101");
	/* max_depth 2 and suppression: E100 d 2 s 2 kept, B101 and E20 hidden
	 * (d not < s, d 3 > 2), X102 clears s; E30 d 2 kept, E40 d 3 > 2
	 * hidden with B41 and X42; X31, X11 kept. */
	check("max_depth and suppression together", 2, two_ranges, 2,
	      "E10 E100 B101 E20 X21 X102 E30 E40 B41 X42 X31 X11",
	      "E10 E100 X102 E30 X31 X11");
	/* max_depth 1: E100 at d 2 sets s 2 but is hidden by the depth; its
	 * hidden exit clears s; B12 at d 1 kept. */
	check("a suppressed function below max_depth", 1, two_ranges, 2, "E10 E100 X101 B12 X11",
	      "E10 B12 X11");
}

static void test_eesum(void)
{
	/* max_depth 2: at D2/-1 d 2, v0 2; the window pops 1 (d 1, vmin 1)
	 * and pushes 3 (d 4, v1 2): D0/-1.  B30 at d 4, X31 (d 4 -> 3),
	 * X32 (3 -> 2) hidden; X11 of depth 2 kept. */
	check("EESUM rewritten to the visible frames", 2, NULL, 0, "E10 E20 D2/-1 B30 X31 X32 X11",
	      "E10 E20 D0/-1 X11");
	/* max_depth 1: at D1/-1 d 2, v0 1; low 1, vmin 1; d 3, v1 1: (0,0),
	 * dropped.  X21 (3), X22 (2) hidden, X12 of depth 1 kept. */
	check("EESUM of no visible change dropped", 1, NULL, 0, "E10 E20 D1/-1 X21 X22 X12",
	      "E10 X12");
	/* E100 s 2; E20 d 3 hidden; D0/-1 at d 3: v0 min(3, s 2) 2; low 2,
	 * s 2 not > 2 stays, vmin 2; d 3, v1 2: dropped.  B21, X22 hidden;
	 * X101 of depth 2 = s kept. */
	check("EESUM inside a suppressed function dropped", 0, two_ranges, 2,
	      "E10 E100 E20 D0/-1 B21 X22 X101 X11", "E10 E100 X101 X11");
	/* E100 s 1, B101 hidden; D1/-1 at d 1: v0 1; low 0 < s: the window
	 * left the suppressed function, s 0, vmin 0; pushes 2, d 2, v1 2:
	 * D1/-1.  B20 at d 2 and X21 kept. */
	check("EESUM that leaves a suppressed function clears it", 0, two_ranges, 2,
	      "E100 B101 D1/-1 B20 X21", "E100 D1/-1 B20 X21");
	/* No suppression from an EESUM's pushed frames: D2/0 at d 0 pushes 2
	 * of unknown functions (d 2, v 2); B150 is a block of whatever they
	 * are, kept, whatever its PC. */
	check("frames an EESUM pushes are never suppressed", 0, two_ranges, 2, "D2/0 B150 X151",
	      "D2/0 B150 X151");
	/* max_depth 3: D1/-2 at d 0 pops frames open before the stream, at
	 * depth 0 as the kernel counts: low 0, vmin 0; pushes 3, v1 3:
	 * D3/0. */
	check("EESUM that pops below the stream's start: depth 0", 3, NULL, 0, "D1/-2 B10",
	      "D3/0 B10");
	/* max_depth 1: a saturated EESUM stays, and the depth counts from 0
	 * after it: X30 of depth 0 and B31 kept. */
	check("EESUM that cannot be balanced stays; depth 0 after it", 1, NULL, 0,
	      "E10 E20 D32767/0 X30 B31", "E10 D32767/0 X30 B31");
}

static void test_pc_fill(void)
{
	const struct kct_range kernel = { 0xffffffff81000100ULL, 0xffffffff81000200ULL };
	KCT_OPTS(kct_filter_opts, opts, .ranges = &kernel, .nr_ranges = 1,
		 .pc_fill = KCT_PC_FILL_KERNEL);
	uint64_t recs[] = { KCT_RECORD(KCT_RECORD_KIND_ENTRY, 0xffffffff81000180ULL),
			    KCT_RECORD(KCT_RECORD_KIND_NORMAL, 0xffffffff81000188ULL) };
	struct kct_filter *f;

	CHECK(!kct_filter_new(&opts, &f) && kct_filter_records(f, recs, 2, recs) == 1,
	      "ranges of kernel addresses match records' PCs with pc_fill");
	kct_filter_free(f);
}

static int new_err(uint32_t max_depth, const struct kct_range *r, uint32_t nr)
{
	KCT_OPTS(kct_filter_opts, opts, .max_depth = max_depth, .ranges = r,
		 .nr_ranges = nr);
	struct kct_filter *f = NULL;
	int err = kct_filter_new(&opts, &f);

	kct_filter_free(f);
	return err;
}

static void test_validation(void)
{
	static struct kct_range many[KCT_FILTER_MAX_RANGES + 1];
	const struct kct_range unsorted[] = { { 0x300, 0x400 }, { 0x100, 0x200 } };
	const struct kct_range overlapping[] = { { 0x100, 0x201 }, { 0x200, 0x300 } };
	const struct kct_range empty[] = { { 0x100, 0x100 } };
	const struct kct_range adjacent[] = { { 0x100, 0x200 }, { 0x200, 0x300 } };
	struct {
		struct kct_filter_opts opts;
		uint64_t future;
	} bigger = { { .sz = sizeof(bigger), .max_depth = 1 }, 1 };
	struct kct_filter *f;

	for (uint32_t i = 0; i < KCT_FILTER_MAX_RANGES + 1; i++)
		many[i] = (struct kct_range){ 0x1000 + 2 * i, 0x1001 + 2 * i };
	CHECK(new_err(0, NULL, 0) == -EINVAL, "no filter at all: EINVAL");
	CHECK(new_err(0, unsorted, 2) == -EINVAL, "unsorted ranges: EINVAL");
	CHECK(new_err(0, overlapping, 2) == -EINVAL, "overlapping ranges: EINVAL");
	CHECK(new_err(0, empty, 1) == -EINVAL, "an empty range: EINVAL");
	CHECK(new_err(0, NULL, 1) == -EINVAL, "ranges missing: EINVAL");
	CHECK(new_err(0, many, KCT_FILTER_MAX_RANGES + 1) == -E2BIG, "too many ranges: E2BIG");
	CHECK(new_err(0, many, KCT_FILTER_MAX_RANGES) == 0, "KCT_FILTER_MAX_RANGES ranges: fine");
	CHECK(new_err(0, adjacent, 2) == 0, "adjacent ranges: fine");
	CHECK(new_err(4, NULL, 0) == 0, "a depth limit alone: fine");
	CHECK(kct_filter_new(&bigger.opts, &f) == -EINVAL && !f,
	      "a newer caller's field the library does not know: EINVAL");
	CHECK(kct_filter_new(NULL, &f) == -EINVAL, "NULL opts: no filter, EINVAL");
}

/* xorshift: repeatable random streams. */
static uint64_t rnd_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void test_chunks(void)
{
	enum { N = 20000 };
	static uint64_t in[N], whole[N], chunked[N], inplace[N];
	bool same = true;

	for (int round = 0; round < 8; round++) {
		KCT_OPTS(kct_filter_opts, opts, .max_depth = round % 4, .ranges = two_ranges,
			 .nr_ranges = round % 3 ? 2 : 0);
		struct kct_filter *a, *b, *c;
		int64_t nw = 0, nc = 0, ni = 0;

		if (!opts.max_depth && !opts.nr_ranges)
			opts.max_depth = 3;
		for (int i = 0; i < N; i++) {
			uint64_t r = rnd(), pc = r % 0x500;

			switch (r >> 40 & 15) {
			case 0 ... 4:
				in[i] = KCT_RECORD(KCT_RECORD_KIND_ENTRY, pc);
				break;
			case 5 ... 9:
				in[i] = KCT_RECORD(KCT_RECORD_KIND_EXIT, pc);
				break;
			case 10:
				in[i] = KCT_EESUM_RECORD((int)(r >> 20 & 7) - 3,
							 -(int)(r >> 24 & 3));
				break;
			default:
				in[i] = KCT_RECORD(KCT_RECORD_KIND_NORMAL, pc);
				break;
			}
		}
		if (kct_filter_new(&opts, &a) || kct_filter_new(&opts, &b) ||
		    kct_filter_new(&opts, &c))
			abort();
		nw = kct_filter_records(a, in, N, whole);
		for (int at = 0; at < N;) {
			int len = (int)(rnd() % 7);	/* empty chunks too */

			if (len > N - at)
				len = N - at;
			nc += kct_filter_records(b, in + at, len, chunked + nc);
			at += len;
		}
		memcpy(inplace, in, sizeof(in));
		ni = kct_filter_records(c, inplace, N, inplace);
		same &= nw == nc && nw == ni && !memcmp(whole, chunked, nw * 8) &&
			!memcmp(whole, inplace, nw * 8);
		kct_filter_free(a);
		kct_filter_free(b);
		kct_filter_free(c);
	}
	CHECK(same, "chunked input (1-6 records, empty chunks) and in place equal whole input");
}

/* Mode 3's records of several words: refused, never cut in two. */
static void test_memory_mode(void)
{
	struct kct_filter *f = NULL;
	KCT_OPTS(kct_filter_opts, m3, .max_depth = 1, .mode = KCT_MODE_TRACE_MEMORY_ACCESS);
	KCT_OPTS(kct_filter_opts, m2, .max_depth = 1, .mode = KCT_MODE_TRACE_PC_EXT);
	KCT_OPTS(kct_filter_opts, m5, .max_depth = 1, .mode = 5);

	CHECK(kct_filter_new(&m3, &f) == -EOPNOTSUPP && !f,
	      "memory mode: the userspace filter refuses KCOV_TRACE_MEMORY_ACCESS (EOPNOTSUPP)");
	CHECK(kct_filter_new(&m5, &f) == -EINVAL && !f, "an unknown mode (5): EINVAL");
	CHECK(!kct_filter_new(&m2, &f) && f, "KCOV_TRACE_PC_EXT, said: filtered as before");
	kct_filter_free(f);
}

int main(void)
{
	test_rule();
	test_eesum();
	test_pc_fill();
	test_validation();
	test_chunks();
	test_memory_mode();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
