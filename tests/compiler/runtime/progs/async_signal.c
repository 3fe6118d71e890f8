// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asynchronous signals land anywhere in instrumented code, including inside
 * the hooks.  Every interruption must still leave a balanced, ordered trace.
 * Prints the number of handler runs; the test requires a few.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

#include "progs.h"

volatile int sink;
static volatile sig_atomic_t ticks;

NOINLINE void count_tick(void)
{
	ticks++;
}

static NOINLINE void on_alarm(int sig)
{
	if (sig == SIGALRM)
		count_tick();
}

NOINLINE int work(int i)
{
	if (i & 1)
		return i * 3;
	sink = i;
	return i;
}

int main(void)
{
	/* ITIMER_REAL runs on a high-resolution timer: 100 us is 100 us. */
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	long sum = 0;

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < 800000 && ticks < 20; i++)
		sum += work(i);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	sink = (int)sum;
	printf("%d\n", (int)ticks);
	return 0;
}
