// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_filter_bench: what KCOV_FILTER saves and costs, in one run.  For
 * getppid(), a 1-byte pipe read(), an openat() and close() of a fixed file,
 * and a walk of /proc/self (find), in KCOV_TRACE_PC and KCOV_TRACE_PC_EXT:
 * records, ns (best of ROUNDS) and guest instructions (from a run of its
 * own under the instruction counter, bench.h) per call without a filter,
 * with the lock and RCU helpers suppressed (--suppress '*spin_*lock*'
 * --suppress 'rcu_*', as kcovtrace record resolves them through
 * /proc/kallsyms; the lab's kernel does not instrument them, so what they
 * cost is the filter's own work), with instrumented helpers suppressed
 * (helper_globs) and with max_depth 3.  Each round is timed whole.  Under
 * TCG the absolute times are inflated; the ratios are what to compare.
 *
 *   kcov_filter_bench [--count | --insns FILE] [CALLS [ROUNDS]]
 *
 * CALLS (default 100000) getppid() and read() calls a round, a fifth as
 * many openat()+close(), a five-hundredth as many walks.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/kcov.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kcovtrace.h"
#include "bench.h"

#define WORDS (1 << 21)

static const char *const lock_globs[] = { "*spin_*lock*", "rcu_*", NULL };
/*
 * Helpers that these calls run and the lab's kernel instruments, of the
 * kinds syzkaller's issue 5521 calls parasitic: string formatting, and the
 * reference counts and copies of the path walk.
 */
static const char *const helper_globs[] = {
	"*printf", "format_decode", "number", "put_dec*", "num_to_str", "dput", "mntput",
	"strncpy_from_user", "make_vfs[ug]id", NULL
};

enum { NONE, LOCKS, HELPERS, DEPTH3, FILTERS };
static const char *const filter_name[] = {
	"no filter", "locks, RCU suppressed", "helpers suppressed", "max_depth 3"
};
static const char *const filter_key[] = { "none", "locks", "helpers", "depth3" };

enum { PC, EXT, MODES };
static const char *const mode_name[] = { "KCOV_TRACE_PC", "KCOV_TRACE_PC_EXT" };
static const char *const mode_key[] = { "PC", "EXT" };
static const unsigned long mode_arg[] = { KCOV_TRACE_PC, KCOV_TRACE_PC_EXT };

static unsigned long *cover;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)type;
	(void)ftw;
	return 0;
}

static void call_find(void)
{
	nftw("/proc/self", walk_one, 16, FTW_PHYS);
}

static const struct workload workloads[] = {
	BENCH_SYSCALLS,
	{ "find /proc/self", "find", call_find, NULL, 1, 500, 1 },
};

#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

struct result {
	double ns;
	double records;
	double insns;
	bool overflow;
};

/* A round's time includes the resets and the pipe's refills, which are
 * the same with and without a filter. */
static struct result measure(const struct workload *w, long calls, int rounds)
{
	struct result r = { 1e18, 0, NAN, false };

	calls = calls / w->share;
	calls = (calls + w->batch - 1) / w->batch * w->batch;
	for (int round = 0; round < rounds; round++) {
		uint64_t t = now_ns(), records = 0;

		for (long done = 0; done < calls; done += w->batch) {
			uint64_t n;

			if (w->prepare)
				w->prepare(w->batch);
			__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
			for (int i = 0; i < w->batch; i++)
				w->call();
			n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
			r.overflow |= n >= WORDS - 1;
			records += n;
		}
		t = now_ns() - t;
		if ((double)t / calls < r.ns)
			r.ns = (double)t / calls;
		r.records = (double)records / calls;
	}
	return r;
}

/* The functions that globs name, as kcovtrace record --suppress finds them. */
static struct kcov_filter *suppress_filter(const char *const *globs)
{
	struct kct_symbolizer *sym;
	struct kct_range *r = NULL;
	struct kcov_filter *f;
	uint32_t nr = 0;

	if (kct_symbolizer_new(&sym) || kct_symbolizer_add_kallsyms(sym, "/proc/kallsyms"))
		return NULL;
	for (size_t i = 0; globs[i]; i++)
		if (kct_symbolizer_glob_ranges(sym, globs[i], &r, &nr) < 0)
			return NULL;
	kct_symbolizer_free(sym);
	f = calloc(1, sizeof(*f) + nr * sizeof(f->ranges[0]));
	if (!f)
		return NULL;
	f->num_ranges = nr;
	for (uint32_t i = 0; i < nr; i++) {
		f->ranges[i].start = r[i].start;
		f->ranges[i].end = r[i].end;
	}
	free(r);
	return f;
}

int main(int argc, char **argv)
{
	int arg = bench_options(argc, argv);
	long calls = arg < argc ? atol(argv[arg]) : 100000;
	int rounds = arg + 1 < argc ? atoi(argv[arg + 1]) : 3;
	static struct result res[FILTERS][MODES][NR_WORKLOADS];
	char label[64], a[32], b[32];
	struct kcov_filter depth3 = { .max_depth = 3 };
	struct kcov_filter *locks = suppress_filter(lock_globs);
	struct kcov_filter *helpers = suppress_filter(helper_globs);

	if (!locks || !helpers)
		return fprintf(stderr, "kcov_filter_bench: no ranges for the globs\n"), 1;
	if (pipe(pipefd))
		return perror("pipe"), 1;
	fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
	/* A filter stays with its kcov instance: one instance per filter. */
	for (int f = NONE; f < FILTERS; f++) {
		int fd = open("/sys/kernel/debug/kcov", O_RDWR);

		if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, WORDS))
			return perror("kcov"), 1;
		if ((f == LOCKS && ioctl(fd, KCOV_FILTER, locks)) ||
		    (f == HELPERS && ioctl(fd, KCOV_FILTER, helpers)) ||
		    (f == DEPTH3 && ioctl(fd, KCOV_FILTER, &depth3)))
			return perror("KCOV_FILTER"), 1;
		cover = mmap(NULL, WORDS * sizeof(unsigned long), PROT_READ | PROT_WRITE,
			     MAP_SHARED, fd, 0);
		if (cover == MAP_FAILED)
			return perror("mmap"), 1;
		for (int m = PC; m < MODES; m++) {
			if (ioctl(fd, KCOV_ENABLE, mode_arg[m]))
				return fprintf(stderr, "kcov_filter_bench: KCOV_ENABLE(%s): %s\n",
					       mode_name[m], strerror(errno)), 1;
			for (size_t w = 0; w < NR_WORKLOADS; w++) {
				bench_label(label, sizeof(label), filter_key[f], mode_key[m],
					    workloads[w].key);
				if (bench_counting) {
					bench_count(label, &workloads[w], cover);
					continue;
				}
				res[f][m][w] = measure(&workloads[w], calls, rounds);
				res[f][m][w].insns = bench_insns_of(label);
			}
			ioctl(fd, KCOV_DISABLE, 0);
		}
		munmap(cover, WORDS * sizeof(unsigned long));
		close(fd);
	}

	if (bench_counting) {
		free(locks);
		free(helpers);
		return 0;
	}
	printf("KCOV_FILTER: %ld calls a round (openat: %ld, find: %ld), best of %d rounds; "
	       "suppressed ranges: %u (locks), %u (helpers);\ninstructions: the fewest of %d runs "
	       "of 64 calls (openat: 8, find: 1), one vCPU\n", calls, calls / 5, calls / 500,
	       rounds, locks->num_ranges, helpers->num_ranges, INSN_REPEATS);
	for (int m = PC; m < MODES; m++) {
		printf("\n%s\n%-16s %-22s %12s %6s %10s %6s %10s %6s\n", mode_name[m], "call",
		       "filter", "records/call", "ratio", "ns/call", "ratio", "insns/call", "ratio");
		for (size_t w = 0; w < NR_WORKLOADS; w++)
			for (int f = NONE; f < FILTERS; f++) {
				const struct result *r = &res[f][m][w], *base = &res[NONE][m][w];

				printf("%-16s %-22s %12.1f %6.2f %10.0f %6.2f %10s %6s%s\n",
				       f == NONE ? workloads[w].name : "", filter_name[f], r->records,
				       r->records / base->records, r->ns, r->ns / base->ns,
				       bench_fmt(a, sizeof(a), r->insns, 0),
				       bench_fmt(b, sizeof(b), r->insns / base->insns, 2),
				       r->overflow ? "  (buffer overflowed)" : "");
			}
	}
	free(locks);
	free(helpers);
	return 0;
}
