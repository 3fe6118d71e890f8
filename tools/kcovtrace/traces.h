/* SPDX-License-Identifier: GPL-2.0-only */
/* Traces and their streams: opening, counting, titles (traces.c). */
#ifndef KCOVTRACE_TRACES_H
#define KCOVTRACE_TRACES_H

#include <stddef.h>
#include <stdint.h>

#include "hashmap.h"
#include "kcovtrace.h"

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

#endif
