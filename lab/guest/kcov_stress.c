// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_stress: do the extended records of a traced syscall stay balanced
 * across context switches?
 *
 *   kcov_stress [--ops N] [--max-depth D] [--expect-raw-violations] [--bench]
 *               [--save-unbalanced FILE]
 *
 * Threads ping-pong over a futex and over a pipe, call sched_yield() and
 * nanosleep(), and take page faults, while a CPU hog keeps the vCPUs busy so
 * that the scheduler preempts them.  Each traced operation resets cover[0]
 * before and reads it after, and its stream is decoded twice: with EESUM
 * records applied (as userspace must), and with them dropped, which is the
 * stream a kernel without depth accounting writes, since accounting changes
 * nothing else.  A violation is a stream that exits a frame it never entered
 * or leaves one open, or one with an EESUM record that cannot be balanced.
 *
 * Fails if any stream with EESUM records applied is unbalanced, and, with
 * --expect-raw-violations (for a kernel whose scheduler is instrumented), if
 * no stream without them is.  N counts syscalls; page faults come on top.
 *
 * --max-depth D records D levels of calls only (KCOV_FILTER): the filtered
 * streams, EESUM records of the frames shown included, must balance too.
 *
 * --save-unbalanced FILE writes the first stream that is unbalanced with EESUM
 * records applied to FILE, as a kcov buffer (its count, then its records),
 * for kcovtrace to replay.
 *
 * --bench runs the workload in KCOV_TRACE_PC and then in KCOV_TRACE_PC_EXT
 * and prints time and records per operation, and the ratios.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/kcov.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kcovtrace.h"

#define WORDS (1 << 16)

static atomic_long ops_left;
static atomic_bool stop;
static atomic_long total_ops, total_faults, total_records, total_eesums, violations,
	raw_violations, total_switches, failed_ops, total_ns;
static unsigned long trace_mode = KCOV_TRACE_PC_EXT;
/* The benchmark leaves the streams unchecked: checking would slow the
 * partners that the ping-pong operations wait for. */
static bool check_streams = true;
static unsigned int max_depth;	/* KCOV_FILTER's, 0: none */
static const char *save_unbalanced;
static atomic_flag saved = ATOMIC_FLAG_INIT;

struct worker {
	const char *name;
	void (*op)(struct worker *w);
	bool is_fault;
	int fd;
	unsigned long *cover;
	uint64_t *scratch;
	/* ping-pong partners */
	atomic_int *futex_word;
	int my_turn;
	int pipe_in, pipe_out;
	char *pages;
};

static bool balanced(const uint64_t *recs, unsigned long n)
{
	struct kct_decoder_opts opts = { .sz = sizeof(opts), .pc_fill = KCT_PC_FILL_KERNEL };
	struct kct_decoder_stats st = { .sz = sizeof(st) };
	struct kct_decoder *dec;
	struct kct_event ev;
	int err;

	if (kct_decoder_new_mem(recs, n, &opts, &dec))
		return false;
	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0)
		;
	kct_decoder_stats(dec, &st);
	kct_decoder_free(dec);
	return !err && !st.orphan_exits && !st.unfinished && !st.saturated;
}

/* The kcov buffer's count and its n records, as they were. */
static void save_stream(const unsigned long *cover, unsigned long n)
{
	FILE *f = fopen(save_unbalanced, "w");
	uint64_t count = n;

	if (!f || fwrite(&count, sizeof(count), 1, f) != 1 ||
	    fwrite(cover + 1, sizeof(*cover), n, f) != n || fclose(f)) {
		fprintf(stderr, "kcov_stress: cannot write %s: %s\n", save_unbalanced,
			strerror(errno));
		exit(1);
	}
}

static void traced(struct worker *w, void (*fn)(struct worker *w))
{
	unsigned long n, kept = 0, eesums = 0;
	const uint64_t *recs = (const uint64_t *)w->cover + 1;

	struct timespec t0, t1;

	__atomic_store_n(&w->cover[0], 0, __ATOMIC_RELAXED);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fn(w);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	n = __atomic_load_n(&w->cover[0], __ATOMIC_RELAXED);
	atomic_fetch_add(&total_ns, (t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec);
	if (n >= WORDS - 1) {
		atomic_fetch_add(&failed_ops, 1); /* overflowed: not a clean stream */
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		if (KCT_RECORD_KIND(recs[i]) == KCT_RECORD_KIND_EESUM)
			eesums++;
		else
			w->scratch[kept++] = recs[i];
	}
	atomic_fetch_add(w->is_fault ? &total_faults : &total_ops, 1);
	atomic_fetch_add(&total_records, n);
	atomic_fetch_add(&total_eesums, eesums);
	/* Classic streams have no frames to balance. */
	if (trace_mode != KCOV_TRACE_PC_EXT || !check_streams)
		return;
	if (!balanced(recs, n)) {
		atomic_fetch_add(&violations, 1);
		if (save_unbalanced && !atomic_flag_test_and_set(&saved))
			save_stream(w->cover, n);
	}
	if (!balanced(w->scratch, kept))
		atomic_fetch_add(&raw_violations, 1);
}

/* The futex word once either partner stopped: nobody's turn, nobody waits. */
#define FUTEX_STOPPED 2

static void futex_pingpong(struct worker *w)
{
	/* Wait for our turn, then hand it over. */
	while (atomic_load(w->futex_word) != w->my_turn && !atomic_load(&stop))
		syscall(SYS_futex, w->futex_word, FUTEX_WAIT_PRIVATE, !w->my_turn, NULL, NULL, 0);
	if (atomic_load(w->futex_word) == FUTEX_STOPPED)
		return;
	atomic_store(w->futex_word, !w->my_turn);
	syscall(SYS_futex, w->futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* The partner closes its end when it stops: EOF then is no failure. */
static void pipe_pingpong(struct worker *w)
{
	char c = 0;

	if (w->my_turn && write(w->pipe_out, &c, 1) != 1)
		atomic_fetch_add(&failed_ops, 1);
	if (read(w->pipe_in, &c, 1) != 1 && !atomic_load(&stop))
		atomic_fetch_add(&failed_ops, 1);
	if (!w->my_turn && write(w->pipe_out, &c, 1) != 1 && !atomic_load(&stop))
		atomic_fetch_add(&failed_ops, 1);
}

static void do_yield(struct worker *w)
{
	(void)w;
	sched_yield();
}

static void do_nanosleep(struct worker *w)
{
	struct timespec ts = { 0, 20000 };

	(void)w;
	nanosleep(&ts, NULL);
}

/* Touch a fresh page: the fault is the traced operation. */
static void do_fault(struct worker *w)
{
	static __thread unsigned long next;
	long page = sysconf(_SC_PAGESIZE);

	if (next == 256) {
		madvise(w->pages, 256 * page, MADV_DONTNEED);
		next = 0;
	}
	((volatile char *)w->pages)[next++ * page] = 1;
}

/* Between faults, untraced: faults are cheap and would crowd out the rest. */
static void pace_faults(struct worker *w)
{
	struct timespec ts = { 0, 50000 };

	if (w->is_fault)
		nanosleep(&ts, NULL);
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	struct rusage ru;

	w->fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (w->fd < 0 || ioctl(w->fd, KCOV_INIT_TRACE, WORDS))
		return perror("kcov"), NULL;
	w->cover = mmap(NULL, WORDS * sizeof(unsigned long), PROT_READ | PROT_WRITE, MAP_SHARED,
			w->fd, 0);
	w->scratch = malloc(WORDS * sizeof(uint64_t));
	if (w->cover == MAP_FAILED || !w->scratch)
		return perror("mmap"), NULL;
	if (max_depth) {
		struct kcov_filter f = { .max_depth = max_depth };

		if (ioctl(w->fd, KCOV_FILTER, &f))
			return perror("KCOV_FILTER"), NULL;
	}
	if (ioctl(w->fd, KCOV_ENABLE, trace_mode))
		return perror("KCOV_ENABLE"), NULL;
	while (!atomic_load(&stop)) {
		traced(w, w->op);
		pace_faults(w);
		if (!w->is_fault && atomic_fetch_sub(&ops_left, 1) <= 1)
			atomic_store(&stop, true);
	}
	ioctl(w->fd, KCOV_DISABLE, 0);
	getrusage(RUSAGE_THREAD, &ru);
	atomic_fetch_add(&total_switches, ru.ru_nvcsw + ru.ru_nivcsw);
	/*
	 * Release a partner that may wait for a turn that will not come.  Not
	 * by handing it the turn: it may have seen the word before our last
	 * hand-over and be about to wait for it to change back, which a
	 * second hand-over would do.  Once stopped, the word stays so.
	 */
	if (w->futex_word) {
		atomic_store(w->futex_word, FUTEX_STOPPED);
		syscall(SYS_futex, w->futex_word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	}
	if (w->pipe_out >= 0)
		close(w->pipe_out);
	return NULL;
}

static void *hog(void *arg)
{
	volatile unsigned long x = 0;

	(void)arg;
	while (!atomic_load(&stop))
		x++;
	return NULL;
}

struct phase {
	double seconds, op_ns;
	long ops, faults, records, eesums, switches, violations, raw_violations, failed;
};

static void run_phase(long ops, unsigned long mode, struct phase *ph)
{
	static atomic_int futex_word;
	struct timespec t0, t1;
	struct worker w[7];
	pthread_t th[8];
	int ab[2], ba[2], nw = 0;

	trace_mode = mode;
	atomic_store(&ops_left, ops);
	atomic_store(&stop, false);
	atomic_store(&futex_word, 0);
	atomic_store(&total_ops, 0);
	atomic_store(&total_faults, 0);
	atomic_store(&total_records, 0);
	atomic_store(&total_eesums, 0);
	atomic_store(&violations, 0);
	atomic_store(&raw_violations, 0);
	atomic_store(&total_switches, 0);
	atomic_store(&failed_ops, 0);
	atomic_store(&total_ns, 0);
	if (pipe(ab) || pipe(ba)) {
		perror("pipe");
		exit(1);
	}
	memset(w, 0, sizeof(w));
	w[nw++] = (struct worker){ "futex A", futex_pingpong, .futex_word = &futex_word,
				   .my_turn = 0, .pipe_in = -1, .pipe_out = -1 };
	w[nw++] = (struct worker){ "futex B", futex_pingpong, .futex_word = &futex_word,
				   .my_turn = 1, .pipe_in = -1, .pipe_out = -1 };
	w[nw++] = (struct worker){ "pipe A", pipe_pingpong, .my_turn = 1, .pipe_in = ba[0],
				   .pipe_out = ab[1] };
	w[nw++] = (struct worker){ "pipe B", pipe_pingpong, .my_turn = 0, .pipe_in = ab[0],
				   .pipe_out = ba[1] };
	w[nw++] = (struct worker){ "yield", do_yield, .pipe_in = -1, .pipe_out = -1 };
	w[nw++] = (struct worker){ "nanosleep", do_nanosleep, .pipe_in = -1, .pipe_out = -1 };
	w[nw++] = (struct worker){ "faults", do_fault, .is_fault = true, .pipe_in = -1, .pipe_out = -1 };
	w[nw - 1].pages = mmap(NULL, 256 * sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&th[nw], NULL, hog, NULL);
	for (int i = 0; i < nw; i++)
		pthread_create(&th[i], NULL, run_worker, &w[i]);
	for (int i = 0; i < nw; i++)
		pthread_join(th[i], NULL);
	pthread_join(th[nw], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	munmap(w[nw - 1].pages, 256 * sysconf(_SC_PAGESIZE));
	close(ab[0]);
	close(ba[0]);
	ph->seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ph->ops = atomic_load(&total_ops);
	ph->faults = atomic_load(&total_faults);
	ph->records = atomic_load(&total_records);
	ph->eesums = atomic_load(&total_eesums);
	ph->switches = atomic_load(&total_switches);
	ph->violations = atomic_load(&violations);
	ph->raw_violations = atomic_load(&raw_violations);
	ph->failed = atomic_load(&failed_ops);
	ph->op_ns = (double)atomic_load(&total_ns) / (ph->ops + ph->faults ? ph->ops + ph->faults : 1);
}

static void print_phase(const char *mode, const struct phase *p)
{
	printf("kcov_stress %s: %ld traced syscalls and %ld page faults in %.1f s, %ld records, "
	       "%ld EESUM records, %ld context switches (%.1f EESUM records per 1000), "
	       "%ld unbalanced with EESUM applied, %ld unbalanced without, %ld failed\n",
	       mode, p->ops, p->faults, p->seconds, p->records, p->eesums, p->switches,
	       p->switches ? 1000.0 * p->eesums / p->switches : 0.0, p->violations,
	       p->raw_violations, p->failed);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ops", required_argument, NULL, 'n' },
		{ "expect-raw-violations", no_argument, NULL, 'r' },
		{ "bench", no_argument, NULL, 'b' },
		{ "max-depth", required_argument, NULL, 'd' },
		{ "save-unbalanced", required_argument, NULL, 's' },
		{ 0 }
	};
	bool expect_raw = false, bench = false;
	struct phase ext, pc;
	long ops = 100000;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'n')
			ops = atol(optarg);
		else if (c == 'r')
			expect_raw = true;
		else if (c == 'b')
			bench = true;
		else if (c == 'd')
			max_depth = atoi(optarg);
		else if (c == 's')
			save_unbalanced = optarg;
		else
			return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (bench) {
		double per_pc, per_ext;

		check_streams = false;
		run_phase(ops, KCOV_TRACE_PC, &pc);
		print_phase("KCOV_TRACE_PC", &pc);
		run_phase(ops, KCOV_TRACE_PC_EXT, &ext);
		print_phase("KCOV_TRACE_PC_EXT", &ext);
		/* Time in the traced operations only, not in checking them. */
		per_pc = pc.op_ns;
		per_ext = ext.op_ns;
		printf("%-28s %14s %14s %10s\n", "", "KCOV_TRACE_PC", "KCOV_TRACE_PC_EXT", "EXT/PC");
		printf("%-28s %14.0f %14.0f %10.2f\n", "ns per operation", per_pc, per_ext,
		       per_ext / per_pc);
		printf("%-28s %14.1f %14.1f %10.2f\n", "records per operation",
		       (double)pc.records / (pc.ops + pc.faults),
		       (double)ext.records / (ext.ops + ext.faults),
		       ((double)ext.records / (ext.ops + ext.faults)) /
		       ((double)pc.records / (pc.ops + pc.faults)));
		printf("%-28s %14s %14.1f\n", "EESUMs per 1000 switches", "-",
		       ext.switches ? 1000.0 * ext.eesums / ext.switches : 0.0);
		return ext.violations ? 1 : 0;
	}
	run_phase(ops, KCOV_TRACE_PC_EXT, &ext);
	print_phase("KCOV_TRACE_PC_EXT", &ext);
	if (ext.ops < ops || ext.violations)
		return 1;
	if (expect_raw && !ext.raw_violations)
		return 1;
	return 0;
}
