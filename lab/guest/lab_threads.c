// SPDX-License-Identifier: GPL-2.0-only
/*
 * lab_threads: many threads at once, for kcovtrace record's limits.
 * Starts N threads (default 1000), each of which makes a syscall of its
 * own (getppid()) and then waits at a barrier until all N are there, so
 * that all of them live at the same time; then joins them.
 *
 *   lab_threads [N]
 *
 * Output: "threads N".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_barrier_t barrier;

static void *thread(void *arg)
{
	(void)arg;
	getppid();
	pthread_barrier_wait(&barrier);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	pthread_attr_t attr;
	pthread_t *tids;
	int err;

	if (n < 1 || n > 100000 || argc > 2)
		return fprintf(stderr, "usage: lab_threads [N, 1 to 100000]\n"), 2;
	tids = calloc(n, sizeof(*tids));
	if (!tids)
		return perror("calloc"), 1;
	/* The main thread waits too: N + 1 at the barrier. */
	pthread_barrier_init(&barrier, NULL, n + 1);
	pthread_attr_init(&attr);
	/* Small stacks: N of the default 8 MiB is more than the guest has
	 * room for in its address space's bookkeeping. */
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (long i = 0; i < n; i++) {
		err = pthread_create(&tids[i], &attr, thread, NULL);
		if (err)
			return fprintf(stderr, "lab_threads: thread %ld: error %d\n", i, err), 1;
	}
	pthread_barrier_wait(&barrier);
	for (long i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	printf("threads %ld\n", n);
	return 0;
}
