/* SPDX-License-Identifier: GPL-2.0-only */
/* A stream's events, read from its decoder (events.c). */
#ifndef KCOVTRACE_EVENTS_H
#define KCOVTRACE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "kcovtrace.h"

/*
 * EESUM records across which a trace's streams cannot be balanced (saturated
 * or malformed; the call tree restarts after each), for one warning per
 * trace.
 */
struct unbalanced {
	uint64_t count;
	uint64_t index;		/* the first one's record index */
	uint32_t stream;	/* and stream */
	bool malformed;		/* it is malformed, not saturated */
	/* Of the stream being read, the frames still open at its end that
	 * are its task's way out (do_exit() and its callers, which never
	 * return): no repair, what every exited task's stream ends with. */
	uint64_t exit_path;
};

/* After reading every stream of the trace at path: warns once if any. */
void warn_unbalanced(const char *path, const struct unbalanced *u);

/* Whether an EESUM event flagged KCT_EVENT_F_SATURATED stems from a
 * malformed record rather than a saturated one. */
static inline bool eesum_malformed(const struct kct_event *ev)
{
	return ev->mindelta > 0 || ev->delta < ev->mindelta;
}

/* What is wrong with an EESUM event flagged KCT_EVENT_F_SATURATED. */
static inline const char *eesum_problem(const struct kct_event *ev)
{
	return eesum_malformed(ev) ? "malformed" : "saturated";
}

/*
 * A stream's events one at a time, taken from the decoder in batches (its
 * fast way).  Inline, so the loop of every command stays free of calls;
 * a decoding error ends the command with a one-line message.  EESUM records
 * that cannot be balanced are tallied in *unbalanced.
 */
struct event_reader {
	struct kct_decoder *dec;
	struct unbalanced *unbalanced;
	uint32_t stream;
	uint64_t saturated;	/* unbalanceable EESUM events seen */
	uint64_t unfinished;	/* the run of frames the decoder completes */
	int nr, at;
	struct kct_event batch[256];
};

static inline void event_reader_init(struct event_reader *r, struct kct_decoder *dec,
				     uint32_t stream, struct unbalanced *unbalanced)
{
	r->dec = dec;
	r->unbalanced = unbalanced;
	r->stream = stream;
	r->saturated = 0;
	r->unfinished = 0;
	unbalanced->exit_path = 0;
	r->nr = r->at = 0;
}

/* The next batch; false at the end of the stream. */
bool event_reader_fill(struct event_reader *r);

/* The next event, NULL at the end; the caller may rewrite it (an EESUM
 * event to the frames it shows). */
static inline struct kct_event *next_event(struct event_reader *r)
{
	if (r->at == r->nr && !event_reader_fill(r))
		return NULL;
	return &r->batch[r->at++];
}

#endif
