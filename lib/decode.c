// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The record stream decoder: turns KCOV records into enter/block/exit events
 * with their nesting depth.
 *
 * A coverage buffer rarely starts at the outermost frame: userspace resets
 * cover[0] somewhere inside a syscall, so the stream may exit frames it never
 * entered.  To print those frames at the right depth without holding the
 * trace in memory, the decoder reads the stream twice: a first pass finds how
 * far below its starting depth the stream goes (and which functions those
 * exits belong to), the second pass emits events with the right depths.
 * Memory is bounded by the call depth, never by the trace length.
 *
 * An EESUM record sums up the entries and exits of a stretch the kernel did
 * not trace: both passes apply it, popping -mindelta frames and pushing
 * delta - mindelta.  Across an EESUM record that cannot be balanced
 * (saturated or malformed) nothing is known of the depth, so the decoder
 * does not guess: the second pass closes the frames open there and starts a
 * new tree at depth 0 after the record, and the first pass, which stops at
 * such a record, runs again from there to find the new tree's frames of
 * unknown callers.  Each record is still read twice.
 *
 * Both passes are written for speed, since traces run to hundreds of
 * millions of records: the common records (block, entry, exit) take no
 * branch that depends on their type, and everything else (EESUM records,
 * unknown types, a full frame stack, a file that changed) leaves the fast
 * loop for a slow path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/*
 * A file is read with pread(), a chunk of records at a time into a buffer
 * that the L2 cache holds, and not mapped: a mapped page past the end of a
 * file that shrank raises SIGBUS, which kills the caller, where pread()
 * returns short and the decoder -EIO.  Checking the file's size before
 * mapping would leave a race with the truncation, and catching SIGBUS
 * would take a signal of the whole process over from a library.  The copy
 * costs the bare decode loop about a tenth more time on a trace larger
 * than the caches (bench/decode/decode), kcovtrace replay no more than the
 * noise, and memory stays flat at the chunk's 512 KB.
 */
#define CHUNK_RECORDS	65536
#define DEFAULT_MAX_DEPTH (1u << 20)

enum pending {
	PENDING_NONE,
	PENDING_UNKNOWN_CALLERS, /* frames open before the stream (or tree) began */
	PENDING_EESUM,		/* frames an EESUM record popped and pushed */
	PENDING_RESTART,	/* frames open at an EESUM record that cannot be
				   balanced, then the record's event */
	PENDING_UNFINISHED,	/* frames still open at its end */
	PENDING_DONE,
};

/*
 * The fast loop's state: the depth in the low 32 bits, the entries in the
 * high 32 (a loop takes fewer than 2^32 records), stepped by record type.
 * The types it does not take step the depth beyond any frame stack
 * (max_depth is at most MAX_DEPTH_LIMIT), so that one comparison leaves
 * the loop for them.
 */
#define STEP_ENTER	((1ull << 32) + 1)
#define STEP_EXIT	((uint64_t)-1)
#define STEP_SLOW	(1ull << 31)
#define MAX_DEPTH_LIMIT	(1u << 30)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"	/* all slow, then the fast ones */
static const uint64_t depth_step[16] = {
	[0 ... 15] = STEP_SLOW,
	[KCT_RECORD_KIND_ENTRY] = STEP_ENTER,
	[KCT_RECORD_KIND_EXIT] = STEP_EXIT,
	[KCT_RECORD_KIND_NORMAL] = 0,
};
#pragma GCC diagnostic pop
/*
 * All ones for an entry, else 0: the fast loop's select of an event's
 * entry_pc, by a mask loaded rather than computed from the record type,
 * which clang 22 does not turn into a branch on the type, as it does a ?:.
 */
static const uint64_t enter_mask[16] = { [KCT_RECORD_KIND_ENTRY] = ~0ull };

/*
 * The fast loop writes the first 16 bytes of an event as two 64-bit words,
 * each a 32-bit field and the 32 bits after it, zero: flags after type, the
 * padding after depth (zero, so that two events of the same record compare
 * equal with memcmp(), as gcc's compound literal left it).
 */
_Static_assert(offsetof(struct kct_event, flags) == offsetof(struct kct_event, type) + 4 &&
	       offsetof(struct kct_event, index) == offsetof(struct kct_event, depth) + 8,
	       "a 32-bit field and 32 zero bits in each of an event's first two words");

/* v in the 32 bits at p and zero in the 32 after them, in one store. */
static inline void store32_zero32(void *p, uint32_t v)
{
	uint64_t word = v;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	word <<= 32;
#endif
	memcpy(p, &word, sizeof(word));
}

/* An event's type from the step of its record: +1, 0 or -1. */
_Static_assert(KCT_EVENT_ENTER == KCT_EVENT_BLOCK - 1 && KCT_EVENT_EXIT == KCT_EVENT_BLOCK + 1,
	       "event types in the order of their depth steps");

struct kct_decoder {
	/* Input: either mem, or fd read in chunks into buf. */
	const uint64_t *mem;
	int fd;
	uint64_t offset;
	uint64_t count;
	uint64_t *buf;

	/* Window of records currently readable: records [win_start, win_end). */
	const uint64_t *win;
	uint64_t win_start, win_end;
	uint64_t pos;

	uint64_t pc_fill;
	uint32_t max_depth;
	/* KCT_MODE_TRACE_MEMORY_ACCESS: records of several words, decoded
	 * one at a time (decode_framed()), memory_words those of a MEMORY
	 * record; else 0. */
	bool framed;
	uint32_t memory_words;

	/*
	 * Entry PC of each open frame, outermost first.  stack[-1] exists and
	 * is 0, so that a block at depth 0 finds "its frame" without a
	 * branch; stack[cap] exists too: the fast loop writes every record's
	 * PC one above the top frame, where an entry pushes it, and a record
	 * at depth cap (a block or an exit: the stack is full) writes it
	 * there.
	 */
	uint64_t *stack;
	uint32_t depth, stack_cap;

	/* PCs that name the frames open before the stream (or the tree after
	 * an unbalanceable EESUM) began, outermost first, how many of them
	 * are still to be announced, and the index their events carry. */
	uint64_t *unknown_pcs;
	uint32_t nr_unknown, unknown_done, unknown_cap;
	uint64_t unknown_index;

	enum pending pending;
	uint32_t eesum_pops, eesum_pushes;
	uint64_t eesum_index, eesum_rec;
	int err;
	struct kct_decoder_stats st;
};

/* Grows the frame stack to hold need frames, keeping its two guards. */
static int stack_grow(struct kct_decoder *dec, uint32_t need)
{
	uint64_t *base = dec->stack ? dec->stack - 1 : NULL, *grown;
	uint32_t cap;

	if (need <= dec->stack_cap)
		return 0;
	if (need > dec->max_depth)
		return -KCT_ERR_DEPTH;
	cap = dec->stack_cap ? dec->stack_cap : 64;
	while (cap < need)
		cap = cap > dec->max_depth / 2 ? dec->max_depth : cap * 2;
	if (cap > dec->max_depth)
		cap = dec->max_depth;
	grown = realloc(base, ((size_t)cap + 2) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	if (!base)
		grown[0] = 0;
	dec->stack = grown + 1;
	dec->stack_cap = cap;
	return 0;
}

static int unknown_grow(struct kct_decoder *dec, uint32_t need)
{
	uint64_t *grown;
	uint32_t cap;

	if (need <= dec->unknown_cap)
		return 0;
	if (need > dec->max_depth)
		return -KCT_ERR_DEPTH;
	cap = dec->unknown_cap ? dec->unknown_cap * 2 : 64;
	if (cap < need)
		cap = need;
	grown = realloc(dec->unknown_pcs, (size_t)cap * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	dec->unknown_pcs = grown;
	dec->unknown_cap = cap;
	return 0;
}

/* Makes record index pos readable; returns 0, 1 at the end, or -errno. */
static int window_load(struct kct_decoder *dec, uint64_t pos)
{
	uint64_t n;
	size_t want, got = 0;

	if (pos >= dec->count)
		return 1;
	/* Already there: a tree that restarts mid-window rereads nothing. */
	if (pos >= dec->win_start && pos < dec->win_end)
		return 0;
	if (dec->mem) {
		dec->win = dec->mem;
		dec->win_start = 0;
		dec->win_end = dec->count;
		return 0;
	}
	n = dec->count - pos;
	if (n > CHUNK_RECORDS)
		n = CHUNK_RECORDS;
	want = n * sizeof(uint64_t);
	while (got < want) {
		ssize_t r = pread(dec->fd, (char *)dec->buf + got, want - got,
				  dec->offset + pos * sizeof(uint64_t) + got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO; /* the file shrank under us */
		got += r;
	}
	dec->win = dec->buf;
	dec->win_start = pos;
	dec->win_end = pos + n;
	return 0;
}

static inline uint64_t record_pc(const struct kct_decoder *dec, uint64_t rec)
{
	return (rec & KCT_RECORD_IP_MASK) | dec->pc_fill;
}

/* First pass, one level lower: the exit (or EESUM record) at pc closed it. */
static int note_lower(struct kct_decoder *dec, int64_t depth, uint64_t pc)
{
	int err = unknown_grow(dec, (uint32_t)-depth);

	if (!err)
		dec->unknown_pcs[-depth - 1] = pc;
	return err;
}

/*
 * The first pass's part of an EESUM record that can be balanced: the frames
 * it pops below the lowest depth so far are of unknown function.
 */
static int first_pass_eesum(struct kct_decoder *dec, uint64_t rec, int64_t *depth, int64_t *low)
{
	int err;

	*depth += KCT_EESUM_MINDELTA(rec);
	if (*depth < *low && -*depth > dec->max_depth)
		return -KCT_ERR_DEPTH;
	for (; *low > *depth; (*low)--)
		if ((err = note_lower(dec, *low - 1, 0)))
			return err;
	*depth += KCT_EESUM_DELTA(rec) - KCT_EESUM_MINDELTA(rec);
	return 0;
}

/*
 * Makes words [pos, pos + len) readable at once, within the stream: a
 * record of several words may straddle two chunks of a file.
 */
static int window_load_span(struct kct_decoder *dec, uint64_t pos, uint32_t len)
{
	if (pos >= dec->win_start && pos + len <= dec->win_end)
		return 0;
	/* Not there whole: a chunk that starts at it (CHUNK_RECORDS is far
	 * above any record's size). */
	dec->win_start = dec->win_end = 0;
	return window_load(dec, pos);
}

/*
 * The first pass of a framed stream: as find_unknown_callers(), a record
 * (not a word) at a time.  It stops where the records can no longer be
 * framed (an unknown type, a record the end cuts off), and leaves the
 * error, if any, to the second pass, which gives the events before it.
 */
static int find_unknown_callers_framed(struct kct_decoder *dec, uint64_t pos, int64_t *lowp,
				       int64_t stop_low)
{
	int64_t depth = 0, low = 0;
	int err;

	while ((err = window_load_span(dec, pos, 1)) == 0) {
		uint64_t rec = dec->win[pos - dec->win_start];
		unsigned int t = KCT_RECORD_KIND(rec);
		uint32_t len = kct_record_words(rec, KCT_MODE_TRACE_MEMORY_ACCESS,
						dec->memory_words);

		if (!len || len > dec->count - pos)
			break;
		pos += len;
		if (t == KCT_RECORD_KIND_ENTRY) {
			depth++;
		} else if (t == KCT_RECORD_KIND_EXIT) {
			if (--depth < low) {
				low = depth;
				if ((err = note_lower(dec, depth, record_pc(dec, rec))))
					return err;
			}
		} else if (t == KCT_RECORD_KIND_EESUM) {
			if (kct_eesum_unbalanceable(rec))
				break;
			if ((err = first_pass_eesum(dec, rec, &depth, &low)))
				return err;
		}
		if (low <= stop_low)
			break;
	}
	if (err < 0)
		return err;
	*lowp = low;
	return 0;
}

/*
 * First pass over one tree: the records from start up to the next EESUM
 * record that cannot be balanced, or the end.  Finds the lowest depth they
 * reach relative to start, and the PC of the exit that first reaches each
 * level below zero (0 where an EESUM record pops it).  Stops at depth
 * stop_low, where a trace's header says the tree goes no lower (INT64_MIN:
 * nothing said).
 */
static int find_unknown_callers(struct kct_decoder *dec, uint64_t start, int64_t stop_low)
{
	int64_t depth = 0, low = 0;
	uint64_t pos = start;
	int err;

	if (dec->framed) {
		err = find_unknown_callers_framed(dec, start, &low, stop_low);
		if (err)
			return err;
		goto done;
	}
	while ((err = window_load(dec, pos)) == 0) {
		const uint64_t *w = dec->win - dec->win_start;

		for (; pos < dec->win_end; pos++) {
			uint64_t rec = w[pos];
			unsigned int t = KCT_RECORD_KIND(rec);

			depth += (t == KCT_RECORD_KIND_ENTRY) - (t == KCT_RECORD_KIND_EXIT);
			if (likely(depth >= low && t != KCT_RECORD_KIND_EESUM))
				continue;
			if (t == KCT_RECORD_KIND_EESUM) {
				/* The tree ends here; the second pass starts
				 * the next one. */
				if (kct_eesum_unbalanceable(rec))
					goto done;
				if ((err = first_pass_eesum(dec, rec, &depth, &low)))
					return err;
				if (low <= stop_low)
					goto done;
				continue;
			}
			low = depth;
			err = note_lower(dec, depth, record_pc(dec, rec));
			if (err)
				return err;
			if (low <= stop_low)
				goto done;
		}
	}
	if (err < 0)
		return err;
done:
	/* unknown_pcs[] is innermost first; the events go outermost first. */
	dec->nr_unknown = (uint32_t)-low;
	for (uint32_t i = 0; i < dec->nr_unknown / 2; i++) {
		uint64_t t = dec->unknown_pcs[i];

		dec->unknown_pcs[i] = dec->unknown_pcs[dec->nr_unknown - 1 - i];
		dec->unknown_pcs[dec->nr_unknown - 1 - i] = t;
	}
	dec->unknown_done = 0;
	dec->unknown_index = start;
	dec->st.orphan_exits += dec->nr_unknown;
	dec->pending = dec->nr_unknown ? PENDING_UNKNOWN_CALLERS : PENDING_NONE;
	return 0;
}

static int decoder_new(const uint64_t *mem, int fd, uint64_t offset, uint64_t count,
		       const struct kct_decoder_opts *opts, uint64_t unknown_callers,
		       struct kct_decoder **out)
{
	struct kct_decoder *dec;
	int err;
	uint32_t mode = OPTS_GET(opts, mode, KCT_MODE_TRACE_PC);
	uint32_t memory_words = OPTS_GET(opts, memory_record_words, 0);

	*out = NULL;
	if (!OPTS_VALID(opts, struct kct_decoder_opts, memory_record_words))
		return -EINVAL;
	if (mode == KCT_MODE_TRACE_CMP)
		return -EOPNOTSUPP;	/* comparisons, not PCs */
	if (mode > KCT_MODE_TRACE_MEMORY_ACCESS)
		return -EINVAL;
	if (!memory_words)
		memory_words = KCT_MEMORY_RECORD_WORDS;
	if (memory_words < KCT_MEMORY_RECORD_WORDS || memory_words > KCT_MEMORY_RECORD_WORDS_MAX)
		return -EINVAL;
	dec = calloc(1, sizeof(*dec));
	if (!dec)
		return -ENOMEM;
	dec->mem = mem;
	dec->fd = fd;
	dec->offset = offset;
	dec->count = count;
	dec->st.sz = sizeof(dec->st);
	dec->pc_fill = OPTS_GET(opts, pc_fill, 0);
	dec->max_depth = OPTS_GET(opts, max_depth, 0);
	dec->framed = mode == KCT_MODE_TRACE_MEMORY_ACCESS;
	dec->memory_words = memory_words;
	if (!dec->max_depth)
		dec->max_depth = DEFAULT_MAX_DEPTH;
	if (dec->max_depth > MAX_DEPTH_LIMIT)
		dec->max_depth = MAX_DEPTH_LIMIT;
	if (!mem) {
		/* A chunk, or the whole stream if it is shorter. */
		dec->buf = malloc((count && count < CHUNK_RECORDS ? count : CHUNK_RECORDS) *
				  sizeof(uint64_t));
		if (!dec->buf) {
			free(dec);
			return -ENOMEM;
		}
	}
	/*
	 * The header said the first tree exits no frame it did not enter: no
	 * first pass (its state is that of a pass that found none).  Else the
	 * pass, up to the depth the header says, if it says one.
	 */
	if (unknown_callers == 1)
		err = 0;
	else
		err = find_unknown_callers(dec, 0, unknown_callers && unknown_callers - 1 <= INT64_MAX ?
					   -(int64_t)(unknown_callers - 1) : INT64_MIN);
	if (!err)
		err = stack_grow(dec, dec->nr_unknown + 1);
	if (err) {
		kct_decoder_free(dec);
		return err;
	}
	dec->win_start = dec->win_end = 0;
	*out = dec;
	return 0;
}

int kct_decoder_new_mem(const uint64_t *records, uint64_t count,
			const struct kct_decoder_opts *opts, struct kct_decoder **out)
{
	if (!out || (!records && count))
		return -EINVAL;
	/* A non-NULL mem marks memory mode even for an empty stream. */
	return decoder_new(records ? records : (const uint64_t *)"", -1, 0, count, opts, 0, out);
}

int kct_decoder_new_fd(int fd, uint64_t offset, uint64_t count,
		       const struct kct_decoder_opts *opts, struct kct_decoder **out)
{
	if (!out || fd < 0)
		return -EINVAL;
	return decoder_new(NULL, fd, offset, count, opts, 0, out);
}

int decoder_new_fd_hinted(int fd, uint64_t offset, uint64_t count,
			  const struct kct_decoder_opts *opts, uint64_t unknown_callers,
			  struct kct_decoder **out)
{
	if (!out || fd < 0)
		return -EINVAL;
	return decoder_new(NULL, fd, offset, count, opts, unknown_callers, out);
}

static void push_frame(struct kct_decoder *dec, uint64_t pc)
{
	dec->stack[dec->depth++] = pc;
	if (dec->depth > dec->st.max_depth)
		dec->st.max_depth = dec->depth;
}

/* Returns 1 with an event, 0 when nothing is pending any more, or -errno. */
static int emit_pending(struct kct_decoder *dec, struct kct_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (dec->pending == PENDING_UNKNOWN_CALLERS) {
		ev->type = KCT_EVENT_ENTER;
		ev->flags = KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_UNKNOWN_CALLER;
		ev->depth = dec->depth;
		ev->index = dec->unknown_index;
		ev->pc = dec->unknown_pcs[dec->unknown_done];
		push_frame(dec, 0);
		if (++dec->unknown_done == dec->nr_unknown)
			dec->pending = PENDING_NONE;
		return 1;
	}
	if (dec->pending == PENDING_EESUM) {
		ev->index = dec->eesum_index;
		ev->flags = KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_SUPPRESSED;
		if (dec->eesum_pops) {
			/* The first pass made these frames, as for exits. */
			dec->eesum_pops--;
			ev->type = KCT_EVENT_EXIT;
			ev->depth = --dec->depth;
			ev->pc = ev->entry_pc = dec->stack[dec->depth];
			return 1;
		}
		if (dec->eesum_pushes) {
			int err = stack_grow(dec, dec->depth + 1);

			if (err)
				return err;
			dec->eesum_pushes--;
			ev->type = KCT_EVENT_ENTER;
			ev->depth = dec->depth;
			push_frame(dec, 0);
			return 1;
		}
		dec->pending = PENDING_NONE;
		return 0;
	}
	if (dec->pending == PENDING_RESTART) {
		int err;

		if (dec->depth) {
			ev->type = KCT_EVENT_EXIT;
			ev->flags = KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_UNFINISHED;
			ev->depth = --dec->depth;
			ev->index = dec->eesum_index;
			ev->pc = ev->entry_pc = dec->stack[dec->depth];
			dec->st.unfinished++;
			return 1;
		}
		/* The next tree, as at the start of a stream.  If the first
		 * pass moved the window on, the second loads its own again. */
		err = find_unknown_callers(dec, dec->pos, INT64_MIN);
		if (!err)
			err = stack_grow(dec, dec->nr_unknown + 1);
		if (err)
			return err;
		if (dec->pos < dec->win_start || dec->pos >= dec->win_end)
			dec->win_start = dec->win_end = dec->pos;
		ev->type = KCT_EVENT_EESUM;
		ev->flags = KCT_EVENT_F_SATURATED;
		ev->index = dec->eesum_index;
		ev->delta = KCT_EESUM_DELTA(dec->eesum_rec);
		ev->mindelta = KCT_EESUM_MINDELTA(dec->eesum_rec);
		return 1;
	}
	if (dec->pending == PENDING_UNFINISHED) {
		if (!dec->depth) {
			dec->pending = PENDING_DONE;
			return 0;
		}
		ev->type = KCT_EVENT_EXIT;
		ev->flags = KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_UNFINISHED;
		ev->depth = --dec->depth;
		ev->index = dec->count;
		ev->pc = ev->entry_pc = dec->stack[dec->depth];
		dec->st.unfinished++;
		return 1;
	}
	return 0;
}

/*
 * The record at dec->pos that the fast loop would not take: an EESUM record,
 * an unknown type, an entry with the frame stack full, or an exit with no
 * frame (the file changed between the passes).  Returns 1 with an event,
 * 0 after skipping the record or leaving its events pending, or -errno.
 */
static int slow_record(struct kct_decoder *dec, struct kct_event *ev)
{
	uint64_t rec = dec->win[dec->pos - dec->win_start];
	unsigned int t = KCT_RECORD_KIND(rec);
	int err;

	memset(ev, 0, sizeof(*ev));
	ev->index = dec->pos;
	if (t == KCT_RECORD_KIND_ENTRY) {
		err = stack_grow(dec, dec->depth + 1);
		if (err)
			return err;
		/* The fast loop takes it now. */
		return 0;
	}
	dec->pos++;
	dec->st.records++;
	if (t == KCT_RECORD_KIND_EXIT)
		return -EIO;
	if (t != KCT_RECORD_KIND_EESUM) {
		dec->st.unknown++;
		return 0;
	}
	dec->st.eesums++;
	dec->eesum_index = ev->index;
	if (kct_eesum_unbalanceable(rec)) {
		/* The depth after it is unknown: no guess, a new tree. */
		dec->st.saturated++;
		dec->eesum_rec = rec;
		dec->pending = PENDING_RESTART;
		return 0;
	}
	ev->type = KCT_EVENT_EESUM;
	ev->depth = dec->depth;
	ev->delta = KCT_EESUM_DELTA(rec);
	ev->mindelta = KCT_EESUM_MINDELTA(rec);
	if ((uint32_t)-ev->mindelta > dec->depth)
		return -EIO; /* the file changed */
	dec->eesum_pops = (uint32_t)-ev->mindelta;
	dec->eesum_pushes = (uint32_t)(ev->delta - ev->mindelta);
	if (dec->eesum_pops || dec->eesum_pushes)
		dec->pending = PENDING_EESUM;
	return 1;
}

/*
 * The record at dec->pos of a framed stream (KCT_MODE_TRACE_MEMORY_ACCESS),
 * its words in the window.  Returns 1 with an event, 0 after a record with
 * no event of its own (an EESUM record's are pending then) or the end, or
 * -errno.
 */
static int framed_record(struct kct_decoder *dec, struct kct_event *ev)
{
	const uint64_t *w;
	uint64_t rec, pos = dec->pos;
	unsigned int t;
	uint32_t len;
	int err = window_load_span(dec, pos, 1);

	if (err)
		return err < 0 ? err : 0;
	rec = dec->win[pos - dec->win_start];
	t = KCT_RECORD_KIND(rec);
	len = kct_record_words(rec, KCT_MODE_TRACE_MEMORY_ACCESS, dec->memory_words);
	if (!len)
		return -KCT_ERR_RECORD;
	if (len > dec->count - pos) {
		/* Cut off by the end of the buffer, which filled up: dropped,
		 * never read as something else. */
		dec->st.partial++;
		dec->st.partial_words += dec->count - pos;
		dec->pos = dec->count;
		return 0;
	}
	if (t == KCT_RECORD_KIND_EESUM)
		return slow_record(dec, ev);
	err = window_load_span(dec, pos, len);
	if (err)
		return err < 0 ? err : -EIO;
	w = dec->win + (pos - dec->win_start);
	memset(ev, 0, sizeof(*ev));
	ev->index = pos;
	ev->pc = record_pc(dec, rec);
	ev->depth = dec->depth;
	/* The frame of a leaf (stack[-1] is 0: none). */
	ev->entry_pc = dec->stack[(int64_t)dec->depth - 1];
	switch (t) {
	case KCT_RECORD_KIND_ENTRY:
		err = stack_grow(dec, dec->depth + 1);
		if (err)
			return err;
		ev->type = KCT_EVENT_ENTER;
		ev->entry_pc = ev->pc;
		ev->call_site = w[1];
		push_frame(dec, ev->pc);
		dec->st.enters++;
		break;
	case KCT_RECORD_KIND_EXIT:
		/* The first pass made a frame for every exit: the file
		 * changed. */
		if (!dec->depth)
			return -EIO;
		ev->type = KCT_EVENT_EXIT;
		ev->depth = --dec->depth;
		ev->entry_pc = dec->stack[dec->depth];
		dec->st.exits++;
		break;
	case KCT_RECORD_KIND_NORMAL:
		ev->type = KCT_EVENT_BLOCK;
		dec->st.blocks++;
		break;
	case KCT_RECORD_KIND_MEMORY:
		ev->type = KCT_EVENT_ACCESS;
		ev->addr = w[1];
		ev->size = KCT_ACCESS_SIZE(w[2]);
		ev->access = KCT_ACCESS_FLAGS(w[2]);
		ev->time = w[3];
		ev->value = ev->access & KCT_ACCESS_F_VALUE ? w[4] : 0;
		dec->st.accesses++;
		break;
	case KCT_RECORD_KIND_WAIT:
		ev->type = KCT_EVENT_WAIT;
		ev->pc = 0;
		ev->bit = KCT_SYNC_BIT(rec);
		ev->timed_out = !!(rec & KCT_WAIT_TIMEOUT);
		dec->st.waits++;
		break;
	default: /* KCT_RECORD_KIND_WAKE */
		ev->type = KCT_EVENT_WAKE;
		ev->pc = 0;
		ev->bit = KCT_SYNC_BIT(rec);
		dec->st.wakes++;
		break;
	}
	dec->pos = pos + len;
	dec->st.records++;
	if (dec->depth > dec->st.max_depth)
		dec->st.max_depth = dec->depth;
	return 1;
}

/* decode_batch() of a framed stream: a record at a time, no fast loop (the
 * kernel writes a few records of this mode for every one of the others). */
static int decode_framed(struct kct_decoder *dec, struct kct_event *evs, unsigned int max)
{
	unsigned int n = 0;
	int err;

	while (n < max) {
		if (dec->pending != PENDING_NONE) {
			err = emit_pending(dec, &evs[n]);
			if (err < 0)
				goto fail;
			n += err;
			if (dec->pending == PENDING_DONE)
				break;
			continue;
		}
		if (dec->pos >= dec->count) {
			dec->pending = PENDING_UNFINISHED;
			continue;
		}
		err = framed_record(dec, &evs[n]);
		if (err < 0)
			goto fail;
		n += err;
	}
	return n;
fail:
	dec->err = err;
	return n ? (int)n : err;
}

/* The events of kct_decoder_next_batch(), of this library's size. */
static int decode_batch(struct kct_decoder *dec, struct kct_event *evs, unsigned int max)
{
	unsigned int n = 0;
	int err;

	if (dec->err)
		return dec->err;
	if (unlikely(dec->framed))
		return decode_framed(dec, evs, max);
	while (n < max) {
		const uint64_t *w;
		struct kct_event *ev;
		uint64_t *stack, pos, end, fill;
		uint32_t depth, cap, max_depth, start_depth;
		uint64_t state, enters, exits, blocks;

		if (unlikely(dec->pending != PENDING_NONE)) {
			err = emit_pending(dec, &evs[n]);
			if (err < 0)
				goto fail;
			if (err) {
				n++;
				continue;
			}
			if (dec->pending == PENDING_DONE)
				break;
			continue;
		}
		if (dec->pos == dec->win_end) {
			err = window_load(dec, dec->pos);
			if (err < 0)
				goto fail;
			if (err > 0) {
				dec->pending = PENDING_UNFINISHED;
				continue;
			}
		}

		/* The fast loop, on locals the compiler can keep in registers. */
		w = dec->win - dec->win_start;
		pos = dec->pos;
		end = dec->win_end;
		if (end - pos > max - n)
			end = pos + (max - n);
		ev = &evs[n];
		stack = dec->stack;
		cap = dec->stack_cap;
		max_depth = dec->st.max_depth;
		fill = dec->pc_fill;
		start_depth = dec->depth;
		state = dec->depth;
		for (; pos < end; pos++, ev++) {
			uint64_t rec = w[pos], pc = (rec & KCT_RECORD_IP_MASK) | fill;
			unsigned int t = KCT_RECORD_KIND(rec);
			uint64_t next = state + depth_step[t];
			uint32_t depth = (uint32_t)state, next_depth = (uint32_t)next;
			uint64_t enter = enter_mask[t];
			/* The frame a block or an exit belongs to (stack[-1]
			 * is 0: no frame). */
			uint64_t frame = stack[(int64_t)depth - 1];

			/* One branch, almost never taken: a record of another
			 * type, an entry with the stack full, an exit at
			 * depth 0 (which wraps around) all go above cap. */
			if (unlikely(next_depth > cap))
				break;
			/*
			 * Whole, the fields of other event types 0, every
			 * byte (the caller's array may be uninitialized), in
			 * as few stores as the fields allow: nine with the
			 * stack's.  gcc made ten of a compound literal of the
			 * 80-byte event: 16-byte zero stores under the 32-bit
			 * fields and entry_pc too, then the fields over them.
			 */
			store32_zero32(&ev->type, KCT_EVENT_BLOCK - (int32_t)(next_depth - depth));
			/* An exit's event is at the depth after the record,
			 * the others' at the one before: after, less one for
			 * an entry. */
			store32_zero32(&ev->depth, next_depth + (uint32_t)enter);
			ev->index = pos;
			ev->pc = pc;
			/* A select, not a branch on the record type. */
			ev->entry_pc = frame ^ ((frame ^ pc) & enter);
			/* delta, mindelta and the 1.4 fields: a memset() gcc
			 * makes two 16-byte stores and an 8-byte one of. */
			memset(&ev->delta, 0, sizeof(*ev) - offsetof(struct kct_event, delta));
			/*
			 * An entry pushes its PC.  The other records write
			 * theirs to the same place, one above the top frame,
			 * where no frame is (at depth cap, the spare
			 * stack[cap]): no select of the address, and no
			 * read-modify-write of the top frame, which would
			 * chain the iterations through memory.
			 */
			stack[depth] = pc;
			state = next;
			max_depth = next_depth > max_depth ? next_depth : max_depth;
		}
		/* Exits follow from entries and the change in depth. */
		depth = (uint32_t)state;
		enters = state >> 32;
		exits = enters - ((int64_t)depth - start_depth);
		blocks = (pos - dec->pos) - enters - exits;
		n += pos - dec->pos;
		dec->st.records += pos - dec->pos;
		dec->st.enters += enters;
		dec->st.exits += exits;
		dec->st.blocks += blocks;
		dec->st.max_depth = max_depth;
		dec->depth = depth;
		dec->pos = pos;
		if (pos < end) {
			err = slow_record(dec, &evs[n]);
			if (err < 0)
				goto fail;
			n += err;
		}
	}
	return n;
fail:
	dec->err = err;
	return n ? (int)n : err;
}

/* The smallest event a caller can have: the first version's. */
#define EVENT_MIN_SZ	offsetofend(struct kct_event, mindelta)

int kct_decoder_next_batch(struct kct_decoder *dec, struct kct_event *evs, size_t ev_sz,
			   unsigned int max)
{
	struct kct_event tmp[64];
	unsigned int done = 0;

	if (likely(ev_sz == sizeof(*evs)))
		return decode_batch(dec, evs, max);
	/* Another version's events: decoded here, then copied over. */
	if (ev_sz < EVENT_MIN_SZ || ev_sz % sizeof(uint64_t))
		return -EINVAL;
	while (done < max) {
		unsigned int want = max - done < 64 ? max - done : 64;
		int got = decode_batch(dec, tmp, want);

		if (got <= 0)
			return done ? (int)done : got;
		for (int i = 0; i < got; i++)
			fill_elem((char *)evs + (size_t)(done + i) * ev_sz, ev_sz, &tmp[i],
				  sizeof(tmp[i]));
		done += got;
		if ((unsigned int)got < want)
			break;
	}
	return done;
}

int kct_decoder_next(struct kct_decoder *dec, struct kct_event *ev, size_t ev_sz)
{
	return kct_decoder_next_batch(dec, ev, ev_sz, 1);
}

int kct_decoder_get_stats(const struct kct_decoder *dec, struct kct_decoder_stats *stats)
{
	return fill_out(stats, &dec->st, sizeof(dec->st));
}

/* The old name, LIBKCOVTRACE_1's. */
int kct_decoder_stats(const struct kct_decoder *dec, struct kct_decoder_stats *stats)
{
	return kct_decoder_get_stats(dec, stats);
}

void kct_decoder_free(struct kct_decoder *dec)
{
	if (!dec)
		return;
	free(dec->buf);
	free(dec->stack ? dec->stack - 1 : NULL);
	free(dec->unknown_pcs);
	free(dec);
}
