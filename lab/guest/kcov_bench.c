// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_bench: the cost of kcov per syscall, in one run: getppid(), a 1-byte
 * read() from a pipe and openat()+close() of a fixed file, with kcov off, in
 * KCOV_TRACE_PC and in KCOV_TRACE_PC_EXT, and in KCOV_TRACE_MEMORY_ACCESS
 * where the kernel has it (the race variant, whose "off" is KASAN alone;
 * its records per call are words, of records of several words).  Prints
 * ns per call (best of
 * ROUNDS), guest instructions per call (from a run of its own under the
 * instruction counter, bench.h), records per call, and the ratios.  Under
 * TCG the absolute times are inflated; the ratios are what to compare.
 *
 *   kcov_bench [--count | --insns FILE] [CALLS [ROUNDS]]
 *
 * CALLS (default 100000) getppid() and read() calls a round, a fifth as
 * many openat()+close().
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define WORDS (1 << 20)

enum { OFF, PC, EXT, MEM, MODES };
static const char *const mode_name[] = {
	"off", "KCOV_TRACE_PC", "KCOV_TRACE_PC_EXT", "KCOV_TRACE_MEMORY_ACCESS",
};
static const char *const mode_key[] = { "off", "PC", "EXT", "MEM" };
static const unsigned long mode_arg[] = {
	0, KCOV_TRACE_PC, KCOV_TRACE_PC_EXT, KCOV_TRACE_MEMORY_ACCESS,
};

static const struct workload workloads[] = { BENCH_SYSCALLS };
#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static unsigned long *cover;

struct result {
	double ns;
	double records;
	double insns;
};

/*
 * The batches' calls are timed, not their preparation or the resets.  A
 * batch's records must fit in the area: the memory mode's are a batch of
 * a 64th of the others'.
 */
static struct result measure(const struct workload *w, long calls, int rounds, bool traced,
			     int batch)
{
	struct result r = { 1e18, 0, NAN };

	calls = calls / w->share;
	calls = (calls + w->batch - 1) / w->batch * w->batch;
	for (int round = 0; round < rounds; round++) {
		uint64_t total = 0, records = 0;

		for (long done = 0; done < calls; done += batch) {
			uint64_t t;

			if (w->prepare)
				w->prepare(batch);
			if (traced)
				__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
			t = now_ns();
			for (int i = 0; i < batch; i++)
				w->call();
			total += now_ns() - t;
			if (traced)
				records += __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
		}
		if ((double)total / calls < r.ns)
			r.ns = (double)total / calls;
		r.records = (double)records / calls;
	}
	return r;
}

int main(int argc, char **argv)
{
	int arg = bench_options(argc, argv);
	long calls = arg < argc ? atol(argv[arg]) : 100000;
	int rounds = arg + 1 < argc ? atoi(argv[arg + 1]) : 3;
	static struct result res[MODES][NR_WORKLOADS];
	char label[64], a[32], b[32], c[32];
	int fd, modes = MEM, batch;

	calls = (calls + BENCH_BATCH - 1) / BENCH_BATCH * BENCH_BATCH;
	if (pipe(pipefd))
		return perror("pipe"), 1;
	fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, WORDS))
		return perror("kcov"), 1;
	cover = mmap(NULL, WORDS * sizeof(unsigned long), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED)
		return perror("mmap"), 1;
	if (ioctl(fd, KCOV_GET_MEMORY_RECORD_SIZE, 0) > 0)
		modes = MODES;

	for (int m = OFF; m < modes; m++) {
		if (m != OFF && ioctl(fd, KCOV_ENABLE, mode_arg[m])) {
			fprintf(stderr, "kcov_bench: KCOV_ENABLE(%s): %s\n", mode_name[m], strerror(errno));
			return 1;
		}
		for (size_t w = 0; w < NR_WORKLOADS; w++) {
			bench_label(label, sizeof(label), mode_key[m], workloads[w].key, NULL);
			if (bench_counting) {
				bench_count(label, &workloads[w], m != OFF ? cover : NULL);
				continue;
			}
			batch = workloads[w].batch;
			if (m == MEM && batch >= 64)
				batch /= 64;
			res[m][w] = measure(&workloads[w], calls, rounds, m != OFF, batch);
			res[m][w].insns = bench_insns_of(label);
			/* A batch's records must fit, or they are too few. */
			if (res[m][w].records * batch >= WORDS / 2)
				fprintf(stderr, "kcov_bench: %s: %.0f words per call fill the area\n",
					label, res[m][w].records);
		}
		if (m != OFF)
			ioctl(fd, KCOV_DISABLE, 0);
	}
	if (bench_counting)
		return 0;

	printf("kcov cost per syscall: %ld calls a round (openat+close: %ld), best of %d rounds;\n"
	       "instructions: the fewest of %d runs of 64 calls (openat+close: 8), one vCPU\n",
	       calls, calls / 5, rounds, INSN_REPEATS);
	printf("%-14s %-20s %12s %12s %14s\n", "call", "mode", "ns/call", "insns/call",
	       "records/call");
	for (size_t w = 0; w < NR_WORKLOADS; w++)
		for (int m = OFF; m < modes; m++)
			printf("%-14s %-20s %12.0f %12s %14.1f\n", m == OFF ? workloads[w].name : "",
			       mode_name[m], res[m][w].ns, bench_fmt(a, sizeof(a), res[m][w].insns, 0),
			       res[m][w].records);

	static const struct { const char *name; int num, den; } ratios[] = {
		{ "PC/off", PC, OFF }, { "EXT/off", EXT, OFF }, { "EXT/PC", EXT, PC },
		{ "MEM/off", MEM, OFF }, { "MEM/EXT", MEM, EXT },
	};
	printf("\n%-14s %-20s %12s %12s %14s\n", "call", "ratio", "time", "insns", "records");
	for (size_t w = 0; w < NR_WORKLOADS; w++)
		for (size_t i = 0; i < sizeof(ratios) / sizeof(ratios[0]); i++) {
			if (ratios[i].num >= modes)
				continue;
			const struct result *n = &res[ratios[i].num][w], *d = &res[ratios[i].den][w];

			printf("%-14s %-20s %12s %12s %14s\n", i == 0 ? workloads[w].name : "",
			       ratios[i].name, bench_fmt(a, sizeof(a), n->ns / d->ns, 2),
			       bench_fmt(b, sizeof(b), n->insns / d->insns, 2),
			       ratios[i].den == OFF ? "" :
			       bench_fmt(c, sizeof(c), n->records / d->records, 2));
		}
	return 0;
}
