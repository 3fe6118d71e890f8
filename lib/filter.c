// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The record filter: what KCOV_FILTER (a depth limit, suppressed functions)
 * keeps of a stream, applied in userspace to a stream the kernel did not
 * filter, record for record as the kernel's rule says (kcov.h, KCOV_FILTER):
 *
 *   d, the depth: an ENTRY makes it d + 1 before its record; an EXIT record
 *     is of depth d, then d - 1, never below 0.
 *   s: the depth of the outermost suppressed frame, 0 if none; an ENTRY at
 *     depth d into a suppressed function with s == 0 sets s = d, the EXIT at
 *     depth s clears it.
 *   An ENTRY or EXIT at depth d is kept iff (!max_depth || d <= max_depth) &&
 *     (!s || d <= s); any other PC record iff (!max_depth || d <= max_depth)
 *     && (!s || d < s).
 *   An EESUM record (a window the kernel did not record) is rewritten to
 *     describe the visible frames only, v(d, s) = min(d, max_depth, s), 0s
 *     standing for no limit: delta = v1 - v0 and mindelta = vmin - v0, v0 at
 *     the window's start, v1 at its end, vmin the visible part of the frames
 *     it never left; dropped when both are 0.
 *
 * The visible depth v(d, s) is what a decoder of the filtered records sees:
 * a kept ENTRY takes it one up, a kept EXIT one down, and a hidden record
 * leaves it as it is, so the rewritten EESUM records keep the filtered
 * stream balanced wherever the input was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct kct_filter {
	uint64_t depth;		/* d */
	uint64_t suppressed;	/* s */
	uint64_t max_depth;	/* UINT64_MAX for no limit */
	uint64_t pc_fill;
	uint32_t nr_ranges;
	struct kct_range ranges[];
};

/* Whether pc is in one of the (sorted, disjoint) ranges. */
static bool in_ranges(const struct kct_filter *f, uint64_t pc)
{
	uint32_t lo = 0, hi = f->nr_ranges;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (pc < f->ranges[mid].start)
			hi = mid;
		else if (pc >= f->ranges[mid].end)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

int filter_opts_check(const struct kct_filter_opts *opts)
{
	const struct kct_range *ranges;
	uint32_t nr;

	if (!OPTS_VALID(opts, struct kct_filter_opts, mode))
		return -EINVAL;
	ranges = OPTS_GET(opts, ranges, NULL);
	nr = OPTS_GET(opts, nr_ranges, 0);
	/* The kernel's checks, in its order: a filter that filters nothing,
	 * too many ranges, ranges that are not sorted and disjoint. */
	if ((!OPTS_GET(opts, max_depth, 0) && !nr) || (nr && !ranges))
		return -EINVAL;
	if (nr > KCT_FILTER_MAX_RANGES)
		return -E2BIG;
	for (uint32_t i = 0; i < nr; i++)
		if (ranges[i].start >= ranges[i].end ||
		    (i && ranges[i].start < ranges[i - 1].end))
			return -EINVAL;
	return 0;
}

int kct_filter_new(const struct kct_filter_opts *opts, struct kct_filter **out)
{
	const struct kct_range *ranges;
	struct kct_filter *f;
	uint32_t nr, max_depth, mode;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	err = filter_opts_check(opts);
	if (err)
		return err;
	/* A record a word: a filter that dropped the words of a record of
	 * several would leave the rest to be read as records. */
	mode = OPTS_GET(opts, mode, KCT_MODE_TRACE_PC);
	if (mode == KCT_MODE_TRACE_MEMORY_ACCESS)
		return -EOPNOTSUPP;
	if (mode != KCT_MODE_TRACE_PC && mode != KCT_MODE_TRACE_PC_EXT)
		return -EINVAL;
	max_depth = OPTS_GET(opts, max_depth, 0);
	ranges = OPTS_GET(opts, ranges, NULL);
	nr = OPTS_GET(opts, nr_ranges, 0);
	f = calloc(1, sizeof(*f) + (size_t)nr * sizeof(f->ranges[0]));
	if (!f)
		return -ENOMEM;
	f->max_depth = max_depth ? max_depth : UINT64_MAX;
	f->pc_fill = OPTS_GET(opts, pc_fill, 0);
	f->nr_ranges = nr;
	if (nr)
		memcpy(f->ranges, ranges, (size_t)nr * sizeof(f->ranges[0]));
	*out = f;
	return 0;
}

/* The visible depth: v(d, s). */
static uint64_t visible(const struct kct_filter *f, uint64_t d, uint64_t s)
{
	uint64_t v = d < f->max_depth ? d : f->max_depth;

	return s && s < v ? s : v;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * An EESUM record that can be balanced, at depth d: its window pops
 * -mindelta frames (never below depth 0, as the kernel counts), which clears
 * s if they include the suppressed frame, then pushes delta - mindelta
 * frames.  The pushed frames are of functions nobody saw the entry of, and
 * are never suppressed: here a userspace filter can differ from the
 * kernel's, which sees those entries and hides what a suppressed one does.
 * Returns the record to write, 0 for none.
 */
static uint64_t filter_eesum(struct kct_filter *f, uint64_t rec)
{
	int64_t mindelta = KCT_EESUM_MINDELTA(rec), delta = KCT_EESUM_DELTA(rec);
	uint64_t v0 = visible(f, f->depth, f->suppressed), vmin, v1;
	uint64_t pops = (uint64_t)-mindelta, low;

	low = pops < f->depth ? f->depth - pops : 0;
	/* The EXIT at depth s is among the window's if s > low. */
	if (f->suppressed > low)
		f->suppressed = 0;
	vmin = visible(f, low, f->suppressed);
	f->depth = low + (uint64_t)(delta - mindelta);
	v1 = visible(f, f->depth, f->suppressed);
	if (v1 == v0 && vmin == v0)
		return 0;
	/* The fields saturate as the kernel's do: then the stream cannot be
	 * balanced across the record, as a decoder will say. */
	return KCT_EESUM_RECORD(clamp((int64_t)(v1 - v0), KCT_EESUM_CLAMP_MIN, KCT_EESUM_CLAMP_MAX),
				clamp((int64_t)(vmin - v0), KCT_EESUM_CLAMP_MIN, 0));
}

int64_t kct_filter_records(struct kct_filter *f, const uint64_t *in, uint64_t n, uint64_t *out)
{
	uint64_t kept = 0;

	if (!f || (n && (!in || !out)))
		return -EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t rec = in[i], d = f->depth, s = f->suppressed;
		bool keep;

		switch (KCT_RECORD_KIND(rec)) {
		case KCT_RECORD_KIND_ENTRY:
			f->depth = ++d;
			if (!s && f->nr_ranges &&
			    in_ranges(f, (rec & KCT_RECORD_IP_MASK) | f->pc_fill))
				f->suppressed = s = d;
			keep = d <= f->max_depth && (!s || d <= s);
			break;
		case KCT_RECORD_KIND_EXIT:
			keep = d <= f->max_depth && (!s || d <= s);
			if (d == s)
				f->suppressed = 0;
			/* Frames open before the stream return at depth 0. */
			f->depth = d ? d - 1 : 0;
			break;
		case KCT_RECORD_KIND_EESUM:
			if (kct_eesum_unbalanceable(rec)) {
				/*
				 * Nothing is known of the depth after it: the
				 * record stays, and the depths count again
				 * from 0 after it, as a decoder's do (a
				 * kernel that filters knows them, and writes
				 * a record of the visible frames instead).
				 */
				f->depth = f->suppressed = 0;
				keep = true;
				break;
			}
			rec = filter_eesum(f, rec);
			keep = rec != 0;
			break;
		default:	/* a basic block, or a PC record of another type */
			keep = d <= f->max_depth && (!s || d < s);
			break;
		}
		/* kept <= i: in and out may be the same array. */
		if (keep)
			out[kept++] = rec;
	}
	return (int64_t)kept;
}

void kct_filter_free(struct kct_filter *f)
{
	free(f);
}
