/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The race verbs' analysis of two threads' KCOV_TRACE_MEMORY_ACCESS
 * streams (race-interfere.c): each thread's accesses with the delay
 * injection stack that names them, the interference set of the two
 * threads, and stacks as text.  Pure functions of records, for the host's
 * unit tests (tests/kcovtrace/test-race.c).
 */
#ifndef KCOVTRACE_RACE_INTERFERE_H
#define KCOVTRACE_RACE_INTERFERE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcovtrace.h"

/*
 * One element of a delay injection stack, laid out as the kernel's struct
 * kcov_di_stack_elem: a call's entry PC (or, last, an access's PC), and its
 * ordinal among its parent frame's calls to that PC (among the innermost
 * frame's accesses at that PC), from 0.
 */
struct race_elem {
	uint64_t ip;
	uint64_t ord;
};

/* The kernel's KCOV_DI_MAX_ELEMS: a longer stack cannot be set. */
#define RACE_MAX_ELEMS 128

/* A frame of a thread's call tree; frame 0 is the root, where the thread
 * runs in userspace. */
struct race_frame {
	uint64_t ip;		/* the entry's PC; 0 where the stream does not
				   name it (a frame an EESUM record opened, one
				   open before the stream began): a stack
				   through it matches nothing */
	uint64_t ord;
	uint32_t parent;
	uint32_t depth;		/* the root's is 0 */
};

struct race_access {
	uint64_t pc;		/* canonical, KCT_PC_FILL_KERNEL set */
	uint64_t ord;		/* among its frame's accesses at pc */
	uint64_t addr;
	uint64_t time;
	uint64_t index;		/* word offset of its record */
	uint32_t size;
	uint32_t access;	/* KCT_ACCESS_F_* */
	uint32_t frame;
};

/* One thread's stream, decoded. */
struct race_trace {
	struct race_frame *frames;
	size_t nr_frames, cap_frames;
	struct race_access *acc;
	size_t nr_acc, cap_acc;
	uint64_t waits, timed_out, wakes;
	bool lost;		/* the stream could not be balanced somewhere:
				   the frames after it are unnamed */
};

/*
 * Decodes count records of mode KCT_MODE_TRACE_MEMORY_ACCESS (MEMORY
 * records of memory_words words) into t, which it initializes.  0, or the
 * decoder's negative error (t is freed then).
 */
int race_trace_build(struct race_trace *t, const uint64_t *records, uint64_t count,
		     uint32_t memory_words);
/* The same from a decoder of such a stream. */
int race_trace_decode(struct race_trace *t, struct kct_decoder *dec);
void race_trace_free(struct race_trace *t);

/* Whether an access is a store: a write, a read-modify-write, a free. */
static inline bool race_is_write(uint32_t access)
{
	return access & (KCT_ACCESS_F_WRITE | KCT_ACCESS_F_RMW | KCT_ACCESS_F_FREE);
}

/*
 * The delay injection stack of access i into out (at most max elements):
 * the frames from the outermost in, then the access.  Returns the number
 * of elements; 0 if a frame on the way is unnamed (no stack can reach the
 * access), -E2BIG if it has more than max elements.
 */
int race_di_stack(const struct race_trace *t, size_t i, struct race_elem *out, size_t max);

/* Byte ranges [start, end], end included, sorted and disjoint. */
struct race_range {
	uint64_t start, end;
};

struct race_ranges {
	struct race_range *r;
	size_t nr, cap;
};

/* Adds [start, end] (unsorted: call race_ranges_merge() after adding). */
void race_ranges_add(struct race_ranges *s, uint64_t start, uint64_t end);
/* Sorts the ranges and merges those that overlap or touch. */
void race_ranges_merge(struct race_ranges *s);
/* The bytes in both a and b (each merged) into out (emptied first). */
void race_ranges_intersect(const struct race_ranges *a, const struct race_ranges *b,
			   struct race_ranges *out);
/* Whether [start, end] overlaps a range of s (merged). */
bool race_ranges_overlap(const struct race_ranges *s, uint64_t start, uint64_t end);
void race_ranges_free(struct race_ranges *s);

/*
 * The interference set of two threads, as MAccConc's: for thread i, the
 * bytes it accesses that the other writes (on_any[i]) and the bytes it
 * writes that the other accesses (on_write[i]); all: every such byte of
 * either thread, merged.  Accesses of no bytes count for nothing.
 */
struct race_interference {
	struct race_ranges any[2], writes[2];	/* each thread's bytes */
	struct race_ranges on_any[2], on_write[2];
	struct race_ranges all;
};

void race_interference_build(struct race_interference *in, const struct race_trace *t0,
			     const struct race_trace *t1);
void race_interference_free(struct race_interference *in);
/* Whether access a of thread i interferes with the other thread: a
 * candidate for reordering. */
bool race_interferes(const struct race_interference *in, int i, const struct race_access *a);

/*
 * Stacks as text, for the command line: "IP:ORD,IP:ORD,...", each IP in
 * hex (0x optional) with its top byte (the parser sets it where it is 0),
 * each ORD in decimal.  race_stack_format() returns the length it wanted
 * (as snprintf()); race_stack_parse() the number of elements, or -EINVAL.
 */
int race_stack_format(const struct race_elem *e, size_t n, char *buf, size_t size);
int race_stack_parse(const char *s, struct race_elem *out, size_t max);

#endif
