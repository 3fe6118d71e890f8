// SPDX-License-Identifier: GPL-2.0-only
/*
 * opentrace: how long kct_trace_open() takes on a trace of many streams, as
 * kcovtrace record --syscalls all writes for a busy program, and how many
 * pread() calls it makes for them.
 *
 *   opentrace STREAMS RECORDS TRACE [ROUNDS]
 *
 * Writes TRACE with the library's writer: STREAMS syscall streams of 2 to
 * 2 * RECORDS - 2 records each (RECORDS on average; deterministic), an entry,
 * blocks and an exit.  Then opens and closes it ROUNDS times (default 5),
 * from the page cache, and prints the best time and the pread() calls of
 * one open.  Linked with -Wl,--wrap=pread to count them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "kcovtrace.h"
#include "rnd.h"

static unsigned long long preads;

ssize_t __real_pread(int fd, void *buf, size_t len, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off);

ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off)
{
	preads++;
	return __real_pread(fd, buf, len, off);
}


static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct kct_trace_writer_opts wopts = {
		.sz = sizeof(wopts),
		.mode = KCT_MODE_TRACE_PC_EXT,
		.buffer_words = 1ULL << 20,
		.pc_fill = KCT_PC_FILL_KERNEL,
		.kernel_release = "synthetic",
	};
	struct kct_stream_opts sopts = {
		.sz = sizeof(sopts),
		.kind = KCT_STREAM_KIND_SYSCALL,
		.mode = KCT_MODE_TRACE_PC_EXT,
		.pid = 100,
		.comm = "busy",
	};
	struct kct_trace_info info = { .sz = sizeof(info) };
	uint64_t streams, mean, *recs, total = 0;
	unsigned long long open_preads = 0;
	int rounds = argc > 4 ? atoi(argv[4]) : 5, err;
	struct kct_trace_writer *w;
	double best = 1e30;

	if (argc < 4 || argc > 5)
		return fprintf(stderr, "usage: opentrace STREAMS RECORDS TRACE [ROUNDS]\n"), 2;
	streams = strtoull(argv[1], NULL, 10);
	mean = strtoull(argv[2], NULL, 10);
	if (mean < 2 || rounds < 1)
		return fprintf(stderr, "opentrace: RECORDS at least 2, ROUNDS at least 1\n"), 2;
	recs = malloc(2 * mean * sizeof(*recs));
	if (!recs)
		return perror("opentrace"), 1;
	for (uint64_t i = 0; i < 2 * mean; i++)
		recs[i] = KCT_RECORD_TYPE_NORMAL | ((0xffffffff81001000ULL + 16 * i) & KCT_RECORD_IP_MASK);
	recs[0] = KCT_RECORD_TYPE_ENTRY | (0xffffffff81000005ULL & KCT_RECORD_IP_MASK);

	err = kct_trace_writer_open(argv[3], &wopts, &w);
	if (err)
		return fprintf(stderr, "opentrace: %s: %s\n", argv[3], kct_strerror(err)), 1;
	for (uint64_t i = 0; !err && i < streams; i++) {
		uint64_t n = 2 + rnd() % (2 * mean - 3);

		/* The entry's exit ends the stream; the blocks before it
		 * are its body. */
		recs[n - 1] = KCT_RECORD_TYPE_EXIT | (0xffffffff81000ffbULL & KCT_RECORD_IP_MASK);
		sopts.seq = i;
		sopts.tid = 100 + (int32_t)(i % 64);
		sopts.syscall = (int32_t)(i % 300);
		err = kct_trace_writer_add(w, &sopts, recs, n);
		/* A block again, for the next stream if it is longer. */
		recs[n - 1] = KCT_RECORD_TYPE_NORMAL |
			      ((0xffffffff81001000ULL + 16 * (n - 1)) & KCT_RECORD_IP_MASK);
		total += n;
	}
	if (!err)
		err = kct_trace_writer_commit(w);
	else
		kct_trace_writer_abort(w);
	free(recs);
	if (err)
		return fprintf(stderr, "opentrace: %s: %s\n", argv[3], kct_strerror(err)), 1;

	for (int r = 0; r < rounds; r++) {
		unsigned long long before = preads;
		struct kct_trace *t;
		double a = now(), b;

		err = kct_trace_open(argv[3], &t);
		b = now() - a;
		if (err)
			return fprintf(stderr, "opentrace: %s: %s\n", argv[3], kct_strerror(err)), 1;
		open_preads = preads - before;
		kct_trace_info(t, &info);
		kct_trace_close(t);
		if (info.nr_streams != streams || info.records != total)
			return fprintf(stderr, "opentrace: %s: %u streams of %llu records read back\n",
				       argv[3], info.nr_streams, (unsigned long long)info.records), 1;
		if (b < best)
			best = b;
	}
	printf("%llu streams %llu records %.3f s %llu preads\n", (unsigned long long)streams,
	       (unsigned long long)total, best, open_preads);
	return 0;
}
