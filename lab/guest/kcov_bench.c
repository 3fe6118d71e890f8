// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_bench: the cost of kcov per syscall, in one run: getppid() and a
 * 1-byte read() from a pipe, with kcov off, in KCOV_TRACE_PC and in
 * KCOV_TRACE_PC_EXT.  Prints ns per call (best of ROUNDS), records per call,
 * and the ratios.  Under TCG the absolute times are inflated; the ratios are
 * what to compare.
 *
 *   kcov_bench [CALLS [ROUNDS]]
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
#define BATCH BENCH_BATCH

enum { OFF, PC, EXT, MODES };
static const char *const mode_name[] = { "off", "KCOV_TRACE_PC", "KCOV_TRACE_PC_EXT" };
static const unsigned long mode_arg[] = { 0, KCOV_TRACE_PC, KCOV_TRACE_PC_EXT };

static unsigned long *cover;

struct result {
	double ns;
	double records;
};

static struct result measure(void (*call)(void), void (*prepare)(void), long calls,
			     int rounds, bool traced)
{
	struct result r = { 1e18, 0 };

	for (int round = 0; round < rounds; round++) {
		uint64_t total = 0, records = 0;

		for (long done = 0; done < calls; done += BATCH) {
			uint64_t t;

			if (prepare)
				prepare();
			if (traced)
				__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
			t = now_ns();
			for (int i = 0; i < BATCH; i++)
				call();
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
	long calls = argc > 1 ? atol(argv[1]) : 100000;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	struct result getppid_r[MODES], read_r[MODES];
	int fd;

	calls = (calls + BATCH - 1) / BATCH * BATCH;
	if (pipe(pipefd))
		return perror("pipe"), 1;
	fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, WORDS))
		return perror("kcov"), 1;
	cover = mmap(NULL, WORDS * sizeof(unsigned long), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED)
		return perror("mmap"), 1;

	for (int m = OFF; m < MODES; m++) {
		if (m != OFF && ioctl(fd, KCOV_ENABLE, mode_arg[m])) {
			fprintf(stderr, "kcov_bench: KCOV_ENABLE(%s): %s\n", mode_name[m], strerror(errno));
			return 1;
		}
		getppid_r[m] = measure(call_getppid, NULL, calls, rounds, m != OFF);
		read_r[m] = measure(call_read, fill_pipe, calls, rounds, m != OFF);
		if (m != OFF)
			ioctl(fd, KCOV_DISABLE, 0);
	}

	printf("kcov cost per syscall, %ld calls, best of %d rounds\n", calls, rounds);
	printf("%-20s %14s %14s %14s %14s\n", "mode", "getppid ns", "records/call",
	       "read ns", "records/call");
	for (int m = OFF; m < MODES; m++)
		printf("%-20s %14.0f %14.1f %14.0f %14.1f\n", mode_name[m], getppid_r[m].ns,
		       getppid_r[m].records, read_r[m].ns, read_r[m].records);
	printf("%-20s %14.2f %14s %14.2f\n", "ratio PC/off", getppid_r[PC].ns / getppid_r[OFF].ns,
	       "", read_r[PC].ns / read_r[OFF].ns);
	printf("%-20s %14.2f %14s %14.2f\n", "ratio EXT/off", getppid_r[EXT].ns / getppid_r[OFF].ns,
	       "", read_r[EXT].ns / read_r[OFF].ns);
	printf("%-20s %14.2f %14.2f %14.2f %14.2f\n", "ratio EXT/PC",
	       getppid_r[EXT].ns / getppid_r[PC].ns, getppid_r[EXT].records / getppid_r[PC].records,
	       read_r[EXT].ns / read_r[PC].ns, read_r[EXT].records / read_r[PC].records);
	return 0;
}
