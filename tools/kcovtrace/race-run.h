/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running a race test case (race-run.c): its two threads, each on a kcov
 * instance of its own in KCOV_TRACE_MEMORY_ACCESS, in a child process, one
 * after the other, side by side, or in an order forced by delay injection;
 * what came of it (the test case's outcome, the kernel's reports) and the
 * two traces.
 */
#ifndef KCOVTRACE_RACE_RUN_H
#define KCOVTRACE_RACE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcovtrace.h"
#include "race-interfere.h"

/*
 * A test case: a shared object with test_setup(), test_thread1(),
 * test_thread2() and test_end() (MAccConc's), and optionally
 * int test_outcome(char *buf, size_t len), kcovtrace's: what the run came
 * to, as a string.
 */
struct race_case {
	const char *path;	/* as given */
	void *dl;
	void (*setup)(void);
	void (*thread[2])(void);
	void (*end)(void);
	int (*outcome)(char *buf, size_t len);
};

/* Loads path (a .so, or a .c file it compiles with cc first); dies with a
 * one-line error. */
void race_case_load(struct race_case *c, const char *path);

enum race_order {
	RACE_SEQUENTIAL,	/* thread 1, then thread 2 */
	RACE_CONCURRENT,	/* both at once, no order forced */
	RACE_ABA,		/* thread 1 stops before an access, thread 2 runs */
	RACE_BAB,		/* the same with the roles swapped */
};

const char *race_order_name(enum race_order o);

#define RACE_OUTCOME_MAX 1024

struct race_result {
	enum race_order order;
	uint64_t count[2];	/* words of each thread's records */
	int32_t tid[2];
	int32_t pid;
	bool full[2];		/* a buffer filled up */
	int status;		/* the child's wait status */
	char test[RACE_OUTCOME_MAX];	/* test_outcome()'s string, "" */
	char kernel[RACE_OUTCOME_MAX];	/* the first kernel report line, "" */
	unsigned int kernel_lines;	/* report lines the run made */
	char error[256];	/* why the run failed, "" if it did not */
	struct race_trace trace[2];	/* decoded */
};

struct race_runner_opts {
	uint64_t buffer_words;	/* each instance's (0: 1M words) */
	bool need_di;		/* dies on a kernel without KCOV_SET_DI */
	uint64_t spin_limit;	/* the stopped thread's (0: the default) */
	unsigned int timeout;	/* seconds a run may take (0: 60) */
};

#define RACE_SPIN_LIMIT_DEFAULT 100000000ULL

struct race_runner;

/* Opens two kcov instances; dies with a one-line error on a kernel
 * without KCOV_TRACE_MEMORY_ACCESS (or, with need_di, delay injection). */
struct race_runner *race_runner_open(const struct race_runner_opts *opts);
void race_runner_close(struct race_runner *r);
uint32_t race_runner_memory_words(const struct race_runner *r);
/* The records of thread i's last run (res->count[i] words). */
const uint64_t *race_runner_records(const struct race_runner *r, int i);

/*
 * Runs c once in order o (for RACE_ABA and RACE_BAB, with the stopped
 * thread's stack of n elements) into *res, its traces decoded.  Returns 0,
 * or -1 with res->error set where the run itself failed.
 */
int race_run(struct race_runner *r, const struct race_case *c, enum race_order o,
	     const struct race_elem *stack, size_t n, struct race_result *res);
void race_result_free(struct race_result *res);

/* The run's outcome as one string ("test: ...; kernel: ..."), "" if none. */
const char *race_outcome(const struct race_result *res, char *buf, size_t size);

/*
 * Writes the run's two traces to path: one trace file, stream 0 thread 1's
 * and stream 1 thread 2's, with notes of the test case, the order and the
 * stack.  Dies with a one-line error.
 */
void race_write_trace(const struct race_runner *r, const struct race_result *res,
		      const char *path, const char *testcase, const char *stack);

#endif
