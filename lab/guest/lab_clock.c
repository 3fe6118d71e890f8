// SPDX-License-Identifier: GPL-2.0-only
/*
 * lab_clock: the guest's clock, as the benchmarks read it.  Prints the
 * resolution that clock_getres(CLOCK_MONOTONIC) claims, and, over READS
 * consecutive clock_gettime(CLOCK_MONOTONIC) calls, how many steps the
 * clock took and the smallest one.  A clock that runs on jiffies steps by
 * a tick (4 ms at HZ=250); a real clocksource (TSC, HPET, ACPI PM timer)
 * by far less than a microsecond's worth of its own counts.
 *
 *   lab_clock [READS]        (default 100000)
 *
 * Output: "getres NS" and "reads READS steps N smallest-step NS".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + ts->tv_nsec;
}

int main(int argc, char **argv)
{
	long reads = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t prev, steps = 0, smallest = UINT64_MAX;
	struct timespec ts;

	if (reads < 2 || argc > 2)
		return fprintf(stderr, "usage: lab_clock [READS >= 2]\n"), 2;
	if (clock_getres(CLOCK_MONOTONIC, &ts))
		return perror("clock_getres"), 1;
	printf("getres %llu\n", (unsigned long long)ns(&ts));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	prev = ns(&ts);
	for (long i = 1; i < reads; i++) {
		uint64_t t;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		t = ns(&ts);
		if (t != prev) {
			steps++;
			if (t - prev < smallest)
				smallest = t - prev;
		}
		prev = t;
	}
	printf("reads %ld steps %llu smallest-step %llu\n", reads, (unsigned long long)steps,
	       steps ? (unsigned long long)smallest : 0ull);
	return 0;
}
