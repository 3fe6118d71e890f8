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
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcovtrace.h"

#define CHUNK_RECORDS	8192
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define DEFAULT_MAX_DEPTH (1u << 20)

enum pending {
	PENDING_NONE,
	PENDING_UNKNOWN_CALLERS, /* frames open before the stream began */
	PENDING_RESYNC,		/* frames a resync record closed and opened */
	PENDING_UNFINISHED,	/* frames still open at its end */
	PENDING_DONE,
};

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

	/* Entry PC of each open frame, outermost first. */
	uint64_t *stack;
	uint32_t depth, stack_cap;

	/* PCs that name the frames open before the stream began, outermost
	 * first, and how many of them are still to be announced. */
	uint64_t *unknown_pcs;
	uint32_t nr_unknown, unknown_done;

	enum pending pending;
	uint32_t resync_pops, resync_pushes;
	uint64_t resync_index;
	int err;
	struct kct_decoder_stats st;
};

static int stack_reserve(uint64_t **stack, uint32_t *cap, uint32_t need, uint32_t max)
{
	uint64_t *grown;
	uint32_t ncap;

	if (need <= *cap)
		return 0;
	if (need > max)
		return -E2BIG;
	ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap = ncap > max / 2 ? max : ncap * 2;
	if (ncap > max)
		ncap = max;
	grown = realloc(*stack, (size_t)ncap * sizeof(**stack));
	if (!grown)
		return -ENOMEM;
	*stack = grown;
	*cap = ncap;
	return 0;
}

/* Makes record index pos readable; returns 0, 1 at the end, or -errno. */
static int window_load(struct kct_decoder *dec, uint64_t pos)
{
	uint64_t n;
	size_t want, got = 0;

	if (pos >= dec->count)
		return 1;
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

static inline bool resync_saturated(uint64_t rec)
{
	return KCT_RESYNC_EXITED(rec) == KCT_RESYNC_MAX || KCT_RESYNC_ENTERED(rec) == KCT_RESYNC_MAX;
}

/*
 * First pass: the lowest depth the stream reaches relative to its start, and
 * the PC of the exit that first reaches each level below zero.
 */
static int find_unknown_callers(struct kct_decoder *dec)
{
	int64_t depth = 0, low = 0;
	uint32_t cap = 0;
	uint64_t pos = 0;
	int err;

	while ((err = window_load(dec, pos)) == 0) {
		for (; pos < dec->win_end; pos++) {
			uint64_t rec = dec->win[pos - dec->win_start];

			switch (rec & KCT_RECORD_TYPE_MASK) {
			case KCT_RECORD_TYPE_ENTRY:
				depth++;
				break;
			case KCT_RECORD_TYPE_EXIT:
				if (--depth < low) {
					low = depth;
					err = stack_reserve(&dec->unknown_pcs, &cap, (uint32_t)-low,
							    dec->max_depth);
					if (err)
						return err;
					dec->unknown_pcs[-low - 1] = record_pc(dec, rec);
				}
				break;
			case KCT_RECORD_TYPE_RESYNC:
				if (resync_saturated(rec))
					break;
				/* Frames it closes below the start are of
				 * unknown function. */
				for (uint64_t n = KCT_RESYNC_EXITED(rec); n; n--) {
					if (--depth < low) {
						low = depth;
						err = stack_reserve(&dec->unknown_pcs, &cap,
								    (uint32_t)-low, dec->max_depth);
						if (err)
							return err;
						dec->unknown_pcs[-low - 1] = 0;
					}
				}
				depth += KCT_RESYNC_ENTERED(rec);
				break;
			}
		}
	}
	if (err < 0)
		return err;
	/* unknown_pcs[] is innermost first; the events go outermost first. */
	dec->nr_unknown = (uint32_t)-low;
	for (uint32_t i = 0; i < dec->nr_unknown / 2; i++) {
		uint64_t t = dec->unknown_pcs[i];

		dec->unknown_pcs[i] = dec->unknown_pcs[dec->nr_unknown - 1 - i];
		dec->unknown_pcs[dec->nr_unknown - 1 - i] = t;
	}
	dec->st.orphan_exits = dec->nr_unknown;
	dec->pending = dec->nr_unknown ? PENDING_UNKNOWN_CALLERS : PENDING_NONE;
	return 0;
}

static int decoder_new(const uint64_t *mem, int fd, uint64_t offset, uint64_t count,
		       const struct kct_decoder_opts *opts, struct kct_decoder **out)
{
	struct kct_decoder *dec;
	int err;

	*out = NULL;
	if (opts && opts->sz < sizeof(size_t))
		return -EINVAL;
	dec = calloc(1, sizeof(*dec));
	if (!dec)
		return -ENOMEM;
	dec->mem = mem;
	dec->fd = fd;
	dec->offset = offset;
	dec->count = count;
	dec->max_depth = DEFAULT_MAX_DEPTH;
	if (opts && opts->sz >= offsetof(struct kct_decoder_opts, pc_fill) + sizeof(opts->pc_fill))
		dec->pc_fill = opts->pc_fill;
	if (opts && opts->sz >= offsetof(struct kct_decoder_opts, max_depth) + sizeof(opts->max_depth) &&
	    opts->max_depth)
		dec->max_depth = opts->max_depth;
	if (!mem) {
		dec->buf = malloc(CHUNK_RECORDS * sizeof(uint64_t));
		if (!dec->buf) {
			free(dec);
			return -ENOMEM;
		}
	}
	err = find_unknown_callers(dec);
	if (!err)
		err = stack_reserve(&dec->stack, &dec->stack_cap, dec->nr_unknown,
				    dec->max_depth);
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
	return decoder_new(records ? records : (const uint64_t *)"", -1, 0, count, opts, out);
}

int kct_decoder_new_fd(int fd, uint64_t offset, uint64_t count,
		       const struct kct_decoder_opts *opts, struct kct_decoder **out)
{
	if (!out || fd < 0)
		return -EINVAL;
	return decoder_new(NULL, fd, offset, count, opts, out);
}

static int emit_pending(struct kct_decoder *dec, struct kct_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (dec->pending == PENDING_UNKNOWN_CALLERS) {
		uint64_t pc = dec->unknown_pcs[dec->unknown_done];

		ev->type = KCT_EVENT_ENTER;
		ev->flags = KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_UNKNOWN_CALLER;
		ev->depth = dec->depth;
		ev->pc = pc;
		dec->stack[dec->depth++] = 0;
		if (++dec->unknown_done == dec->nr_unknown)
			dec->pending = PENDING_NONE;
		if (dec->depth > dec->st.max_depth)
			dec->st.max_depth = dec->depth;
		return 1;
	}
	if (dec->pending == PENDING_RESYNC) {
		ev->index = dec->resync_index;
		ev->flags = KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_SUPPRESSED;
		if (dec->resync_pops) {
			/* The first pass made these frames, as for exits. */
			dec->resync_pops--;
			ev->type = KCT_EVENT_EXIT;
			ev->depth = --dec->depth;
			ev->pc = ev->entry_pc = dec->stack[dec->depth];
			return 1;
		}
		if (dec->resync_pushes) {
			int err;

			if (dec->depth == dec->stack_cap) {
				err = stack_reserve(&dec->stack, &dec->stack_cap, dec->depth + 1,
						    dec->max_depth);
				if (err)
					return dec->err = err;
			}
			dec->resync_pushes--;
			ev->type = KCT_EVENT_ENTER;
			ev->depth = dec->depth;
			dec->stack[dec->depth++] = 0;
			if (dec->depth > dec->st.max_depth)
				dec->st.max_depth = dec->depth;
			return 1;
		}
		dec->pending = PENDING_NONE;
		return 0;
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

int kct_decoder_next(struct kct_decoder *dec, struct kct_event *ev)
{
	uint64_t rec, pc;
	int err;

	if (dec->err)
		return dec->err;
	for (;;) {
		if (unlikely(dec->pending != PENDING_NONE)) {
			err = emit_pending(dec, ev);
			if (err || dec->pending != PENDING_NONE)
				return err;
		}
		if (dec->pos == dec->win_end) {
			err = window_load(dec, dec->pos);
			if (err < 0)
				return dec->err = err;
			if (err > 0) {
				dec->pending = PENDING_UNFINISHED;
				continue;
			}
		}
		rec = dec->win[dec->pos - dec->win_start];
		pc = record_pc(dec, rec);
		ev->index = dec->pos++;
		dec->st.records++;
		switch (rec & KCT_RECORD_TYPE_MASK) {
		case KCT_RECORD_TYPE_NORMAL:
			dec->st.blocks++;
			ev->type = KCT_EVENT_BLOCK;
			ev->flags = 0;
			ev->depth = dec->depth;
			ev->pc = pc;
			ev->entry_pc = dec->depth ? dec->stack[dec->depth - 1] : 0;
			return 1;
		case KCT_RECORD_TYPE_ENTRY:
			if (dec->depth == dec->stack_cap) {
				err = stack_reserve(&dec->stack, &dec->stack_cap, dec->depth + 1,
						    dec->max_depth);
				if (err)
					return dec->err = err;
			}
			dec->st.enters++;
			ev->type = KCT_EVENT_ENTER;
			ev->flags = 0;
			ev->depth = dec->depth;
			ev->pc = ev->entry_pc = pc;
			dec->stack[dec->depth++] = pc;
			if (dec->depth > dec->st.max_depth)
				dec->st.max_depth = dec->depth;
			return 1;
		case KCT_RECORD_TYPE_EXIT:
			/* The first pass made a frame for every exit, unless the
			 * file changed between the passes. */
			if (!dec->depth)
				return dec->err = -EIO;
			dec->st.exits++;
			ev->type = KCT_EVENT_EXIT;
			ev->flags = 0;
			ev->depth = --dec->depth;
			ev->pc = pc;
			ev->entry_pc = dec->stack[dec->depth];
			return 1;
		case KCT_RECORD_TYPE_RESYNC:
			dec->st.resyncs++;
			ev->type = KCT_EVENT_RESYNC;
			ev->flags = 0;
			ev->depth = dec->depth;
			ev->pc = ev->entry_pc = 0;
			ev->exited = KCT_RESYNC_EXITED(rec);
			ev->entered = KCT_RESYNC_ENTERED(rec);
			/* Counts that saturated are unknown: apply neither, in
			 * both passes alike. */
			if (resync_saturated(rec)) {
				ev->flags = KCT_EVENT_F_SATURATED;
				dec->st.saturated++;
				return 1;
			}
			if (ev->exited > dec->depth)
				return dec->err = -EIO; /* the file changed */
			dec->resync_pops = ev->exited;
			dec->resync_pushes = ev->entered;
			dec->resync_index = ev->index;
			if (ev->exited || ev->entered)
				dec->pending = PENDING_RESYNC;
			return 1;
		default:
			dec->st.unknown++;
			break;
		}
	}
}

void kct_decoder_stats(const struct kct_decoder *dec, struct kct_decoder_stats *stats)
{
	*stats = dec->st;
}

void kct_decoder_free(struct kct_decoder *dec)
{
	if (!dec)
		return;
	free(dec->buf);
	free(dec->stack);
	free(dec->unknown_pcs);
	free(dec);
}
