/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What kcovtrace record makes of the records of followed tasks: a stream
 * per task (split at each exec, the exec a stream of its own), per traced
 * syscall, or per remote section, each cut to the frames it is about.
 */
#ifndef KCOVTRACE_RECORD_CUT_H
#define KCOVTRACE_RECORD_CUT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "follow.h"

/* All record knows of a stream: what trace format v3 holds per stream. */
struct stream_meta {
	uint32_t kind;		/* KCT_STREAM_KIND_* */
	pid_t pid, tid, ppid;	/* 0 for remote sections */
	char comm[16];		/* as of the task's last exec (an exec
				   stream: the new program's) */
	int syscall;		/* EXEC, SYSCALL: its number; else -1 */
	uint64_t args[6];	/* SYSCALL: its arguments */
	const char *strings[6];	/* SYSCALL: the strings they point to, as
				   read at its entry, or NULL */
	uint32_t mode;		/* KCT_MODE_* the buffer was in */
	uint32_t memory_words;	/* KCT_MODE_TRACE_MEMORY_ACCESS: words of a
				   MEMORY record; else 0 */
	bool overflow;		/* the buffer filled up: records were lost,
				   how many the kernel does not say */
	bool resumed;		/* records were lost before its first: it
				   goes on from the task's stream before */
	uint64_t remote_handle;	/* REMOTE: the handle, 0 if not known */
	uint64_t start;		/* when its first record was written, as
				   streams.clock counts (ties: in the order
				   emitted): the trace's seq */
};

/* ---- cutting ---- */

/*
 * A buffer's records as frames: cut_scan() finds where the records that
 * come after a ptrace stop start being the task's own (start), and, of
 * what follows, the entry of the outermost frame still open at the end
 * (open; count if none).  false, and nothing cut (start 0, open count),
 * without entry and exit records (classic mode) or across an EESUM record
 * that cannot be balanced.
 */
struct cut {
	uint64_t start;
	uint64_t open;
};

bool cut_scan(const uint64_t *rec, uint64_t count, struct cut *c);

/*
 * How a buffer's records are framed, as kct_record_words() takes it: a
 * record a word but in KCT_MODE_TRACE_MEMORY_ACCESS.  The _framed cuts
 * cut between records only; the others take a record a word
 * (framing_words).  A buffer with a record of a type its mode does not
 * have is not cut; a record its end cuts off stays at its end.
 */
struct framing {
	uint32_t mode;
	uint32_t memory_words;
};
extern const struct framing framing_words;

bool cut_scan_framed(const uint64_t *rec, uint64_t count, const struct framing *fr,
		     struct cut *c);

/* Whether the function at the (link-time) PC is a syscall's entry point;
 * see cut_syscall(). */
typedef int (*syscall_pc_fn)(void *ctx, uint64_t pc);

/*
 * The syscall's own frame in the records of a --syscalls stream, [*from,
 * *to), or without symbols every top-level frame between the stops:
 * returned says whether the records end at the syscall-exit stop (else
 * the task exited in the call, or the buffer filled up).  See record-cut.c
 * for the rule.  false if there is none to cut to.
 */
bool cut_syscall(const uint64_t *rec, uint64_t count, syscall_pc_fn is_syscall, void *ctx,
		 bool returned, uint64_t *from, uint64_t *to);
bool cut_syscall_framed(const uint64_t *rec, uint64_t count, const struct framing *fr,
			syscall_pc_fn is_syscall, void *ctx, bool returned, uint64_t *from,
			uint64_t *to);

/* The top-level frames of a remote buffer, one per section: calls fn for
 * each [from, to).  Returns how many. */
uint64_t cut_sections(const uint64_t *rec, uint64_t count,
		      void (*fn)(void *ctx, uint64_t from, uint64_t to), void *ctx);
uint64_t cut_sections_framed(const uint64_t *rec, uint64_t count, const struct framing *fr,
			     void (*fn)(void *ctx, uint64_t from, uint64_t to), void *ctx);

/* ---- the streams of a followed task ---- */

typedef void (*emit_fn)(void *ctx, const struct stream_meta *m, const uint64_t *rec, uint64_t count);

struct streams {
	emit_fn emit;
	void *ctx;
	bool syscalls;		/* --syscalls: syscall streams only */
	const bool *wanted;	/* by number, nr_wanted of them */
	int nr_wanted;
	bool all_syscalls;
	uint64_t *matched;	/* by number: calls written */
	syscall_pc_fn is_syscall;
	void *is_syscall_ctx;
	/* Bit n: the syscall's argument n points to a string, to read at its
	 * entry (NULL: none is read). */
	uint32_t (*string_args)(int nr);
	/* record --max-depth, --suppress: the filter to apply in userspace
	 * to the records of tasks whose kernel did not take KCOV_FILTER
	 * (filter_err), or NULL */
	const struct kct_filter_opts *filter;
	/* Counts the events: a stream starts at the one that reset the
	 * buffer its first record went into. */
	uint64_t clock;
};

/* One follow event: the task's streams so far go out through emit. */
int streams_event(struct streams *s, const struct follow_event *ev);

#endif
