// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen-tasks: small traces of several tasks, written with libkcovtrace's
 * writer, for tests/kcovtrace/run to derive its expectations from by hand.
 *
 *   gen-tasks tasks FILE     the streams below, of the functions of
 *                            tasks.map (which run writes)
 *   gen-tasks classic FILE   one KCOV_TRACE_PC stream of block PCs
 *   gen-tasks unknown FILE   one stream of frames no record names
 *   gen-tasks full FILE      six streams, the first five overflowed
 *   gen-tasks full-trace FILE  a trace that overflowed, no stream said
 *   gen-tasks lost FILE      an exec whose buffer filled up: two streams
 *   gen-tasks joined FILE    the same exec as one stream that overflowed
 *                            (as kcovtrace 1.2 wrote it)
 *   gen-tasks whole FILE     the same records, nothing lost said
 *   gen-tasks strings FILE   two openat calls with the paths they opened,
 *                            one with a quote and a newline, one too long
 *
 * Functions: a at 0xffffffff81000000, b at ...100, c at ...200, d at ...300.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace.h"

#define A 0xffffffff81000000ULL
#define B 0xffffffff81000100ULL
#define C 0xffffffff81000200ULL
#define D 0xffffffff81000300ULL
#define ENTER(f) KCT_RECORD(KCT_RECORD_KIND_ENTRY, (f) + 0x10)
#define EXIT(f) KCT_RECORD(KCT_RECORD_KIND_EXIT, (f) + 0x20)
#define BB(f) KCT_RECORD(KCT_RECORD_KIND_NORMAL, (f) + 0x30)

static void check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "gen-tasks: %s: %s\n", what, kct_strerror(err));
		exit(1);
	}
}

static void add(struct kct_trace_writer *w, struct kct_stream_opts o, const uint64_t *recs,
		uint64_t n)
{
	o.sz = sizeof(o);
	check(kct_trace_writer_add(w, &o, recs, n), "adding a stream");
}

static void tasks(struct kct_trace_writer *w)
{
	/* 0: task 10 of process 10, sh: a calls b. */
	static const uint64_t s0[] = { ENTER(A), BB(A), ENTER(B), EXIT(B), EXIT(A) };
	/* 1: a read of its thread 12, worker: c. */
	static const uint64_t s1[] = { ENTER(C), BB(C), EXIT(C) };
	/* 2: the exec of task 10: b calls c. */
	static const uint64_t s2[] = { ENTER(B), ENTER(C), EXIT(C), EXIT(B) };
	/* 3: task 12: a calls c; a BB of a between. */
	static const uint64_t s3[] = { ENTER(A), ENTER(C), EXIT(C), BB(A), EXIT(A) };
	/* 4: a remote section of task 12: d. */
	static const uint64_t s4[] = { ENTER(D), BB(D), EXIT(D) };
	/*
	 * 5: task 20, child of 10, whose buffer filled up (7 records lost):
	 * b entered before the stream began, a record of a reserved type
	 * (0x3), a, then c still running at the end.
	 */
	static const uint64_t s5[] = { BB(B), EXIT(B), KCT_RECORD(0x3, A), ENTER(A), EXIT(A),
				       ENTER(C) };

	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_TASK, .seq = 0, .pid = 10,
					 .tid = 10, .ppid = 1, .mode = KCT_MODE_TRACE_PC_EXT,
					 .comm = "sh" }, s0, 5);
	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_SYSCALL, .seq = 1, .pid = 10,
					 .tid = 12, .ppid = 1, .mode = KCT_MODE_TRACE_PC_EXT,
					 .syscall = 0, .flags = KCT_STREAM_F_ARGS,
					 .args = { 3, 0x7ffc0000, 4096 }, .comm = "worker" },
	    s1, 3);
	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_EXEC, .seq = 2, .pid = 10,
					 .tid = 10, .ppid = 1, .mode = KCT_MODE_TRACE_PC_EXT,
					 .syscall = 59, .comm = "sh" }, s2, 4);
	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_TASK, .seq = 3, .pid = 10,
					 .tid = 12, .ppid = 1, .mode = KCT_MODE_TRACE_PC_EXT,
					 .comm = "worker" }, s3, 5);
	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_REMOTE, .seq = 4, .pid = 10,
					 .tid = 12, .mode = KCT_MODE_TRACE_PC_EXT,
					 .remote_handle = 0x44, .comm = "worker" }, s4, 3);
	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_TASK, .seq = 5, .pid = 20,
					 .tid = 20, .ppid = 10, .mode = KCT_MODE_TRACE_PC_EXT,
					 .flags = KCT_STREAM_F_OVERFLOW, .lost = 7,
					 .comm = "child" }, s5, 6);
}

static void classic(struct kct_trace_writer *w)
{
	/* Classic records are bare PCs: three of a, one of b. */
	static const uint64_t s0[] = { A + 0x10, A + 0x30, B + 0x10, A + 0x10 };

	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_TASK, .pid = 10, .tid = 10,
					 .mode = KCT_MODE_TRACE_PC, .comm = "sh" }, s0, 4);
}

static void unknown(struct kct_trace_writer *w)
{
	/*
	 * An EESUM record pops a frame entered before the stream began; b;
	 * one pushes a frame that c's exit names; one pushes a frame and one
	 * pops it.
	 */
	static const uint64_t s0[] = { KCT_EESUM_RECORD(-1, -1), ENTER(B), EXIT(B),
				       KCT_EESUM_RECORD(1, 0), BB(C), EXIT(C),
				       KCT_EESUM_RECORD(1, 0), KCT_EESUM_RECORD(-1, -1) };

	add(w, (struct kct_stream_opts){ .kind = KCT_STREAM_KIND_TASK, .pid = 10, .tid = 10,
					 .mode = KCT_MODE_TRACE_PC_EXT, .comm = "sh" }, s0, 8);
}

static void full(struct kct_trace_writer *w, bool say_streams)
{
	static const uint64_t s0[] = { ENTER(A), EXIT(A) };

	/* Streams 0, 2 and 4 lost an unknown number of records, 1 and 3
	 * lost 3 + i. */
	for (int i = 0; i < 6; i++)
		add(w, (struct kct_stream_opts){
			.kind = KCT_STREAM_KIND_TASK, .pid = 10, .tid = 10 + i,
			.mode = KCT_MODE_TRACE_PC_EXT,
			.flags = say_streams && i < 5 ? KCT_STREAM_F_OVERFLOW : 0,
			.lost = say_streams && i < 5 ? (i % 2 ? 3ULL + i : KCT_LOST_UNKNOWN) : 0 },
		    s0, 2);
}

/*
 * The exec of task 10: a calls b, where the buffer fills up; records are
 * lost (c entered in b), then c, b and a return.  lost: as two streams,
 * the second after the loss; joined (how earlier writers wrote it): one
 * stream, whose c exits the frame of b and b that of a; whole: the same
 * one stream, written as if nothing were lost.
 */
static void exec_streams(struct kct_trace_writer *w, int how)
{
	static const uint64_t s[] = { ENTER(A), ENTER(B), BB(B), EXIT(C), EXIT(B), EXIT(A) };
	struct kct_stream_opts o = { .kind = KCT_STREAM_KIND_EXEC, .pid = 10, .tid = 10,
				     .ppid = 1, .mode = KCT_MODE_TRACE_PC_EXT, .syscall = 59,
				     .comm = "sh" };

	if (how == 0) {
		o.flags = KCT_STREAM_F_OVERFLOW;
		add(w, o, s, 3);
		o.seq = 1;
		o.flags = KCT_STREAM_F_RESUMED;
		add(w, o, s + 3, 3);
		return;
	}
	o.flags = how == 1 ? KCT_STREAM_F_OVERFLOW : 0;
	add(w, o, s, 6);
}

static void strings(struct kct_trace_writer *w)
{
	static const uint64_t s[] = { ENTER(A), EXIT(A) };
	char longer[300];
	struct kct_stream_opts o = { .kind = KCT_STREAM_KIND_SYSCALL, .pid = 10, .tid = 10,
				     .mode = KCT_MODE_TRACE_PC_EXT, .syscall = 257,
				     .flags = KCT_STREAM_F_ARGS,
				     .args = { 0xffffff9c, 0x7ffc0000, 0x80000 }, .comm = "sh" };

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	o.arg_strings[1] = "/tmp/a \"b\"\n\x01";
	add(w, o, s, 2);
	o.seq = 1;
	o.arg_strings[1] = longer;
	add(w, o, s, 2);
}

int main(int argc, char **argv)
{
	KCT_OPTS(kct_trace_writer_opts, opts, .buffer_words = 1024,
		 .pc_fill = KCT_PC_FILL_KERNEL);
	struct kct_trace_writer *w;

	static const char *const scenarios[] = { "tasks", "classic", "unknown", "full",
						 "full-trace", "lost", "joined", "whole", "strings" };
	size_t k;

	for (k = 0; argc == 3 && k < sizeof(scenarios) / sizeof(scenarios[0]); k++)
		if (!strcmp(argv[1], scenarios[k]))
			break;
	if (argc != 3 || k == sizeof(scenarios) / sizeof(scenarios[0])) {
		fputs("usage: gen-tasks tasks|classic|unknown|full|full-trace|lost|joined|whole|"
		      "strings FILE\n", stderr);
		return 2;
	}
	opts.mode = k == 1 ? KCT_MODE_TRACE_PC : KCT_MODE_TRACE_PC_EXT;
	/* full-trace: the trace says a buffer filled up, none of its streams
	 * does (as a writer that does not know which). */
	opts.flags = k == 4 ? KCT_TRACE_F_OVERFLOW : 0;
	check(kct_trace_writer_open(argv[2], &opts, &w), argv[2]);
	if (k == 0)
		tasks(w);
	else if (k == 1)
		classic(w);
	else if (k == 2)
		unknown(w);
	else if (k <= 4)
		full(w, k == 3);
	else if (k <= 7)
		exec_streams(w, k - 5);
	else
		strings(w);
	check(kct_trace_writer_commit(w), argv[2]);
	return 0;
}
