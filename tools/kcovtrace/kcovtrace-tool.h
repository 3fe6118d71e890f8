/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the kcovtrace commands: one file per command, as in uftrace. */
#ifndef KCOVTRACE_TOOL_H
#define KCOVTRACE_TOOL_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hashmap.h"
#include "kcovtrace.h"

#include "messages.h"
#include "options.h"

#include "terminal.h"

#include "symbols.h"

#include "output.h"

/* ---- traces ---- */

/* Opens a trace file or raw buffer; dies with a one-line error, and warns
 * (one line) of a trace cut short, whose intact part it reads. */
struct kct_trace *open_trace(const char *path);
/*
 * The tasks of a trace, as every command counts them (record's summary,
 * info's totals): the distinct tids of its streams, those of no records
 * too.  A stream of no known task (tid 0: a raw kcov buffer, a remote
 * section) is of none; a task that left no stream (record --syscalls of
 * calls it never made) is not one of the trace's.
 */
struct task_count {
	struct hashmap tids;
};

#define TASK_COUNT_INIT { HASHMAP_INIT }

static inline void task_count_add(struct task_count *c, int32_t tid)
{
	if (tid)
		hashmap_get(&c->tids, (uint32_t)tid, 0, NULL);
}

static inline uint64_t task_count_nr(const struct task_count *c)
{
	return c->tids.nr;
}

static inline void task_count_free(struct task_count *c)
{
	hashmap_free(&c->tids);
}

/* The kind's name: "task", "exec", "syscall", "remote" or "stream". */
const char *stream_kind_name(uint32_t kind);
/* A kcov mode's name, "KCOV_TRACE_PC_EXT" and the like, "?" if unknown. */
const char *kcov_mode_name(uint32_t mode);
/*
 * The heading of stream i, for commands that print several: its number,
 * what it is of (nothing more for a task's whole run) and whose it is, where
 * known, e.g. "stream 4: syscall read (0) args 0x3, 0x7ffc0000, 0x1000, 0x0,
 * 0x0, 0x0: task 12 (pid 10, comm sh)"; an argument that points to a path
 * as the path, quoted (args 0xffffff9c, "/etc/passwd", ...).  Cut short if
 * size is too small.
 */
#define STREAM_TITLE_MAX 2048
/* Whose stream sh is: "task 12 (pid 10, comm sh)", "pid 10", or "no known
 * task". */
const char *task_title(const struct kct_stream_info *sh, char *buf, size_t size);
const char *stream_title(const struct kct_trace *trace, uint32_t i,
			 const struct kct_stream_info *sh, char *buf, size_t size);
/* The decoder of a trace's stream; dies with a one-line error. */
struct kct_decoder *open_stream(struct kct_trace *trace, uint32_t stream,
				const char *path);

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

static inline const struct kct_event *next_event(struct event_reader *r)
{
	if (r->at == r->nr && !event_reader_fill(r))
		return NULL;
	return &r->batch[r->at++];
}

#include "select.h"

#include "syscalls.h"

/* record's work, for record and live: options and command from argv, the
 * trace to call->output if set (-o is refused then), else to -o's file.
 * Returns the command's exit status; exits on errors. */
struct record_call {
	const char *verb;	/* "record", "live": for messages */
	const char *usage;	/* printed for --help and bad options */
	const char *output;	/* NULL: -o's, or kcov.trace */
};

/*
 * What record_run() returns is a shell's status: the command's exit
 * status, or 128 plus the signal that killed it (or that stopped the
 * recording).  For the latter it also sets exit_signal, which main() raises
 * once the command's work is done, so that kcovtrace's caller sees the
 * same death a shell reports (see main.c).
 */
int record_run(const struct record_call *call, int argc, char **argv);
extern int exit_signal;

int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_live(int argc, char **argv);

#endif
