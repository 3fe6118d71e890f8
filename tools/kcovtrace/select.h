/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What replay, report and dump show: streams (--stream, --tid, --pid,
 * --kind) and frames (-F, -N, --collapse), and the reading of those streams
 * (select.c).
 */
#ifndef KCOVTRACE_SELECT_H
#define KCOVTRACE_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include "events.h"
#include "hashmap.h"
#include "kcovtrace.h"
#include "symbols.h"

enum {
	OPT_STREAM = 0x200,
	OPT_TID,
	OPT_PID,
	OPT_KIND,
	OPT_COLLAPSE,
};

#define SELECT_SHORTOPTS "F:N:"

#define SELECT_LONGOPTS							\
	{ "stream", required_argument, NULL, OPT_STREAM },		\
	{ "tid", required_argument, NULL, OPT_TID },			\
	{ "pid", required_argument, NULL, OPT_PID },			\
	{ "kind", required_argument, NULL, OPT_KIND },			\
	{ "filter", required_argument, NULL, 'F' },			\
	{ "exclude", required_argument, NULL, 'N' },			\
	{ "collapse", required_argument, NULL, OPT_COLLAPSE }

#define SELECT_HELP							\
"  --stream N         only stream N (numbered from 0 in the order they\n"	\
"                     started)\n"	\
"  --tid N            only the streams of task N\n"			\
"  --pid N            only the streams of the tasks of process N\n"	\
"  --kind LIST        only streams of these kinds: task, exec, syscall,\n"	\
"                     remote (comma-separated); --kind task leaves the\n"	\
"                     execs out\n"						\
"  -F, --filter GLOB  only calls of matching functions and what they\n"	\
"                     call (repeatable); depth counts from there\n"	\
"  -N, --exclude GLOB without calls of matching functions and what they\n"	\
"                     call (repeatable), e.g. -N '*spin_*lock*' -N 'rcu_*'\n"	\
COLLAPSE_HELP
#define COLLAPSE_HELP							\
"  --collapse GLOB    the entry and exit of calls of matching functions,\n"	\
"                     not what they execute or call (repeatable): what\n"	\
"                     record --suppress GLOB records\n"

struct globs {
	const char **v;
	int n;
	/* Whether each function matched, by its start and name: value 1 no,
	 * 2 yes (0: not yet asked).  Made with the first pattern. */
	struct hashmap *matched;
};

/* Whether the function n is of matches one of g's patterns. */
bool globs_match(const struct globs *g, const struct pc_name *n);

struct selection {
	long stream, tid, pid;	/* -1: any */
	uint32_t kinds;		/* 1 << KCT_STREAM_KIND_*, 0: any */
	struct globs filter, exclude, collapse;
	/* The options given that leave things out, in their order, as a
	 * message names them ("--tid 12 -F do_sys_*"); NULL: none. */
	char *given;
	size_t given_len;
};

void selection_init(struct selection *s);
/* Takes a getopt result; returns false if it is not a selection option. */
bool select_option(struct selection *s, int c, const char *arg);
/* Adds a command's own option that leaves things out (replay --depth N) to
 * what the selection's message names; arg NULL for an option without. */
void selection_given(struct selection *s, const char *opt, const char *arg);
void selection_free(struct selection *s);

/*
 * The frames -F, -N and --collapse select in a stream, event by event:
 * those of a function -F matches and what it calls, but not those of a
 * function -N matches and what it calls, nor what a function --collapse
 * matches executes and calls.
 */
struct frame_filter {
	const struct selection *sel;
	bool active;		/* -F, -N or --collapse given */
	long shown_from;	/* depth of the -F frame we are in, -1: none */
	long hidden_from;	/* depth of the -N frame we are in, -1: none */
	long collapsed_from;	/* depth of the --collapse frame we are in,
				   -1: none */
};
static inline void frame_filter_init(struct frame_filter *f, const struct selection *sel)
{
	f->sel = sel;
	f->active = sel->filter.n || sel->exclude.n || sel->collapse.n;
	f->shown_from = sel->filter.n ? -1 : 0;
	f->hidden_from = -1;
	f->collapsed_from = -1;
}
/*
 * An EESUM event at depth d as a filter that shows the first levels frames
 * sees it (record --max-depth and --suppress, replay --depth and
 * --collapse): with v(x) = min(x, levels), the frames shown at its start,
 * lowest point and end; with reopen, the frames below its lowest point are
 * shown again if it went under levels (the frame that hid them returned
 * there, and the frames it pushes are of no known function).  Rewrites ev
 * to describe the frames shown, at the depth shown, as lib/filter.c rewrites
 * the record; false if it changes none of them (no EESUM record then).
 */
bool eesum_visible(struct kct_event *ev, long d, long levels, bool reopen);
/*
 * Whether ev is shown, and *depth its depth counted from the -F frame it is
 * in; an EESUM event that leaves a --collapse call is rewritten to the
 * frames shown.  enter is the function of an ENTER event (read only then).
 * Every event of the stream goes through here, shown or not, for the filter
 * to see the frames open and close.
 */
static inline bool frame_filter_pass(struct frame_filter *f, struct kct_event *ev,
				     const struct pc_name *enter, uint32_t *depth)
{
	const struct selection *s = f->sel;
	long d = ev->depth;
	bool shown;

	*depth = ev->depth;
	if (!f->active)
		return true;
	if (ev->type == KCT_EVENT_ENTER) {
		if (f->hidden_from < 0 && s->exclude.n && globs_match(&s->exclude, enter))
			f->hidden_from = d;
		if (f->shown_from < 0 && globs_match(&s->filter, enter))
			f->shown_from = d;
		/* Calls whose entry record the stream holds, as a kernel
		 * suppresses the calls it sees entered. */
		if (f->collapsed_from < 0 && s->collapse.n &&
		    !(ev->flags & KCT_EVENT_F_SYNTHETIC) && globs_match(&s->collapse, enter))
			f->collapsed_from = d;
	}
	/* Inside a collapsed call, whose own entry and exit are at its depth. */
	if (f->collapsed_from >= 0 && d > f->collapsed_from) {
		if (ev->type != KCT_EVENT_EESUM || (ev->flags & KCT_EVENT_F_SATURATED) ||
		    !eesum_visible(ev, d, f->collapsed_from + 1, true))
			return false;
		d = ev->depth;
		*depth = ev->depth;
	}
	shown = f->hidden_from < 0 && f->shown_from >= 0 && d >= f->shown_from;
	if (shown)
		*depth = (uint32_t)(d - f->shown_from);
	/* Leaving the frame that started hiding or showing. */
	if (ev->type == KCT_EVENT_EXIT) {
		if (f->hidden_from == d)
			f->hidden_from = -1;
		if (s->filter.n && f->shown_from == d)
			f->shown_from = -1;
		if (f->collapsed_from == d)
			f->collapsed_from = -1;
	}
	return shown;
}

/*
 * The selected streams of a trace, read one after the other; what the
 * reading finds wrong is told once per trace, after the output, by
 * reading_close().
 */
struct reading {
	const char *path;
	struct kct_trace *trace;
	struct kct_trace_info info;
	const struct selection *sel;
	uint32_t nr_selected;
	uint64_t selected_records;	/* of the streams reading_next() gave */
	uint32_t next;		/* the stream reading_next() looks at first */
	uint32_t decoding;	/* the stream of the last decoder */
	uint32_t decoding_flags;	/* and its KCT_STREAM_F_* */
	struct unbalanced unbalanced;
	/* Streams whose buffer filled up: how many, the first ones, what
	 * they lost (or KCT_LOST_UNKNOWN). */
	uint32_t streams_overflowed;	/* of the whole trace */
	uint32_t nr_overflowed;
	uint32_t overflowed[4];
	uint64_t lost[4];
	/* What the decoders counted: records of unknown type (and in how
	 * many streams, the first), frames they completed (and in how many
	 * streams). */
	uint64_t unknown_records;
	uint32_t unknown, unknown_stream;
	/* KCOV_TRACE_MEMORY_ACCESS records cut off where a buffer ended,
	 * dropped (in how many streams, the first). */
	uint32_t partial, partial_stream;
	uint64_t orphan_exits, unfinished;
	uint32_t repaired_streams;
};

/* Opens the trace at path; dies with a one-line error if sel selects no
 * stream of it. */
void reading_open(struct reading *r, const char *path, const struct selection *sel);
/* The next selected stream, its number and info; false after the last. */
bool reading_next(struct reading *r, uint32_t *i, struct kct_stream_info *sh);
/* A decoder of stream i; reading_done() takes its counts and frees it. */
struct kct_decoder *reading_decoder(struct reading *r, uint32_t i);
void reading_done(struct reading *r, struct kct_decoder *dec);
/* Warns of what the streams read had wrong, a line each: EESUM records
 * that cannot be balanced, buffers that filled up, records of unknown
 * type, frames the decoder completed; closes the trace. */
void reading_close(struct reading *r);
/*
 * A command's exit status, after its output and reading_close(): 0 if it
 * showed anything (shown, what it counts of its output, not 0); else 1,
 * after a line on stderr that says why there is nothing: the trace holds
 * no streams, or the options given matched nothing in it (and whether the
 * streams they select hold no records), or, without options, it holds no
 * records, or none of what the command shows (what: "calls").
 */
int reading_status(const struct reading *r, const char *verb, uint64_t shown, const char *what);
/* Whether the trace holds classic KCOV_TRACE_PC coverage, no call tree. */
static inline bool reading_classic(const struct reading *r)
{
	return r->info.mode == KCT_MODE_TRACE_PC;
}
/* Says in one line what classic coverage can and cannot give. */
void warn_classic_coverage(const struct reading *r);

#endif
