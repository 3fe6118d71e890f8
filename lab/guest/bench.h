/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guest's benchmarks (kcov_bench, kcov_filter_bench) time alike:
 * the clock, and the calls they make in batches of BENCH_BATCH between
 * resets of the buffer.
 */
#ifndef LAB_BENCH_H
#define LAB_BENCH_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BENCH_BATCH 4096

static int pipefd[2];
static char pipebuf[BENCH_BATCH];

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static inline void call_getppid(void)
{
	syscall(SYS_getppid);
}

/* A 1-byte read() from pipefd, which fill_pipe() keeps a batch ahead. */
static inline void call_read(void)
{
	char c;

	if (read(pipefd[0], &c, 1) != 1)
		abort();
}

/* Before each batch of reads, the pipe gets one byte per read. */
static inline void fill_pipe(void)
{
	if (write(pipefd[1], pipebuf, sizeof(pipebuf)) != sizeof(pipebuf))
		abort();
}

#endif
