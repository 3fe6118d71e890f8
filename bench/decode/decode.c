// SPDX-License-Identifier: GPL-2.0-only
/*
 * decode: how fast libkcovtrace decodes a trace and rebuilds its call tree
 * (every event with its depth and frame), and in how much memory; with a
 * System.map, also looks up the function of every event's PC, the library's
 * part of a symbolized tree (kcovtrace replay adds its output).
 *
 *   decode TRACE [ROUNDS [SYSTEM_MAP]]
 *
 * Prints records, best seconds of ROUNDS, records per second, peak RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "kcovtrace.h"

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 3, err;
	double best = 1e30;
	uint64_t records = 0, check = 0;
	struct kct_symbolizer *sym = NULL;
	struct rusage ru;

	if (argc > 3 && ((err = kct_symbolizer_new(&sym)) ||
			 (err = kct_symbolizer_add_system_map(sym, argv[3]))))
		return fprintf(stderr, "decode: %s: %s\n", argv[3], kct_strerror(err)), 1;

	for (int r = 0; r < rounds; r++) {
		struct kct_trace_info info = { .sz = sizeof(info) };
		struct kct_trace *t;
		struct kct_decoder *d;
		static struct kct_event evs[256];
		struct timespec a, b;
		int got;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if ((err = kct_trace_open(argv[1], &t)))
			return fprintf(stderr, "decode: %s: %s\n", argv[1], kct_strerror(err)), 1;
		records = 0;
		kct_trace_get_info(t, &info);
		for (uint32_t s = 0; s < info.nr_streams; s++) {
			if ((err = kct_trace_decoder(t, s, &d)))
				return fprintf(stderr, "decode: %s\n", kct_strerror(err)), 1;
			while ((got = kct_decoder_next_batch(d, evs, sizeof(evs[0]), 256)) > 0) {
				for (int i = 0; i < got; i++)
					check += evs[i].depth ^ evs[i].entry_pc;
				/* Every event's, as a caller without a cache of
				 * its own would. */
				for (int i = 0; sym && i < got; i++) {
					struct kct_symbol s = { .sz = sizeof(s) };

					if (!kct_symbolize(sym, evs[i].pc, &s))
						check += s.name_len;
				}
			}
			{
				struct kct_decoder_stats st = { .sz = sizeof(st) };

				kct_decoder_get_stats(d, &st);
				records += st.records;
			}
			kct_decoder_free(d);
		}
		kct_trace_close(t);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (b.tv_sec - a.tv_sec + (b.tv_nsec - a.tv_nsec) / 1e9 < best)
			best = b.tv_sec - a.tv_sec + (b.tv_nsec - a.tv_nsec) / 1e9;
	}
	kct_symbolizer_free(sym);
	getrusage(RUSAGE_SELF, &ru);
	printf("%llu records %.3f s %.1f Mrec/s %ld MB (check %llx)\n", (unsigned long long)records,
	       best, records / best / 1e6, ru.ru_maxrss / 1024, (unsigned long long)(check & 0xf));
	return 0;
}
