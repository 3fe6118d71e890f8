/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guest's benchmarks (kcov_bench, kcov_filter_bench) measure alike:
 * the clock, the calls they make in batches between resets of the buffer,
 * and the guest instructions per call, which the QEMU plugin insn_count
 * counts between markers (lab/guest/insn_marker.h) in a run of its own:
 *
 *   PROGRAM --count [CALLS [ROUNDS]]        under lab/count-insns: the
 *       calls between markers, each interval announced on stdout
 *   PROGRAM --insns FILE [CALLS [ROUNDS]]   the timed run, with the
 *       instructions per call that lab/count-insns printed, in FILE
 */
#ifndef LAB_BENCH_H
#define LAB_BENCH_H

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "insn_marker.h"

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

/* A 1-byte read() from pipefd, which fill_pipe() keeps ahead. */
static inline void call_read(void)
{
	char c;

	if (read(pipefd[0], &c, 1) != 1)
		abort();
}

/* Before a batch of reads, the pipe gets one byte per read. */
static inline void fill_pipe(int calls)
{
	if (write(pipefd[1], pipebuf, calls) != calls)
		abort();
}

static inline void call_open(void)
{
	int fd = openat(AT_FDCWD, "/init", O_RDONLY);

	if (fd < 0)
		abort();
	close(fd);
}

struct workload {
	const char *name;	/* as printed */
	const char *key;	/* in the labels of instruction counts */
	void (*call)(void);
	void (*prepare)(int calls);	/* before a batch of CALLS calls */
	int batch;		/* calls between resets of the buffer */
	int share;		/* a round makes CALLS / share calls */
	int counted;		/* calls in an interval of the instruction count */
};

/* getppid(), a 1-byte pipe read(), openat()+close() of a fixed file. */
#define BENCH_SYSCALLS                                                      \
	{ "getppid", "getppid", call_getppid, NULL, BENCH_BATCH, 1, 64 },   \
	{ "pipe read", "read", call_read, fill_pipe, BENCH_BATCH, 1, 64 },  \
	{ "openat+close", "openat", call_open, NULL, 64, 5, 8 }

/*
 * Instruction counts: INSN_REPEATS intervals of a workload's `counted`
 * calls, of which lab/count-insns keeps the fewest instructions.  Short
 * intervals, so that some have no timer interrupt in them.
 */
#define INSN_REPEATS 16

static int bench_counting;	/* --count */

static struct {
	char label[64];
	double insns;
} bench_insns[256];
static int bench_nr_insns;

/* The label of an instruction count: its parts joined by '/'. */
static inline void bench_label(char *buf, size_t size, const char *a, const char *b,
			       const char *c)
{
	snprintf(buf, size, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
}

/* --count: the intervals of LABEL, each announced after its end.  COVER,
 * the kcov buffer or NULL, is reset before each, outside the interval. */
static inline void bench_count(const char *label, const struct workload *w,
			       unsigned long *cover)
{
	for (int r = 0; r < INSN_REPEATS; r++) {
		if (w->prepare)
			w->prepare(w->counted);
		if (cover)
			__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
		INSN_MARK(0);
		for (int i = 0; i < w->counted; i++)
			w->call();
		INSN_MARK(1);
		printf("insn-interval %s %d\n", label, w->counted);
	}
	fflush(stdout);
}

/* Instructions per call of LABEL from --insns FILE, or NAN. */
static inline double bench_insns_of(const char *label)
{
	for (int i = 0; i < bench_nr_insns; i++)
		if (!strcmp(bench_insns[i].label, label))
			return bench_insns[i].insns;
	return NAN;
}

/* [--count | --insns FILE] [CALLS [ROUNDS]]: the options, in place; the
 * index of CALLS in argv.  Exits with a one-line error on bad input. */
static inline int bench_options(int argc, char **argv)
{
	int i = 1;
	FILE *f;

	if (i < argc && !strcmp(argv[i], "--count")) {
		bench_counting = 1;
		i++;
	} else if (i < argc && !strcmp(argv[i], "--insns")) {
		if (i + 1 >= argc || !(f = fopen(argv[i + 1], "r"))) {
			fprintf(stderr, "%s: --insns wants a readable file\n", argv[0]);
			exit(2);
		}
		while (bench_nr_insns < (int)(sizeof(bench_insns) / sizeof(bench_insns[0])) &&
		       fscanf(f, "%63s %lf", bench_insns[bench_nr_insns].label,
			      &bench_insns[bench_nr_insns].insns) == 2)
			bench_nr_insns++;
		if (!feof(f) && bench_nr_insns < (int)(sizeof(bench_insns) / sizeof(bench_insns[0]))) {
			fprintf(stderr, "%s: %s: not lines of LABEL INSNS-PER-CALL\n", argv[0], argv[i + 1]);
			exit(2);
		}
		fclose(f);
		i += 2;
	}
	for (int j = i; j < argc; j++)
		if (j > i + 1 || argv[j][0] < '1' || argv[j][0] > '9' ||
		    strspn(argv[j], "0123456789") != strlen(argv[j])) {
			fprintf(stderr, "%s: bad argument '%s' (usage: %s [--count | --insns FILE] "
				"[CALLS [ROUNDS]])\n", argv[0], argv[j], argv[0]);
			exit(2);
		}
	return i;
}

/* A number for a table, "-" where there is none. */
static inline const char *bench_fmt(char *buf, size_t size, double v, int decimals)
{
	if (isnan(v) || isinf(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.*f", decimals, v);
	return buf;
}

#endif
