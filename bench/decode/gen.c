// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen: a synthetic extended-mode trace shaped like a kernel's, and the
 * System.map of its functions.
 *
 *   gen RECORDS TRACE MAP
 *
 * 40,000 functions of 64 to 2,048 bytes from 0xffffffff81000000, as in a
 * vmlinux.  The walk follows what a real lab trace (kcovtrace record of
 * busybox find, 438k records) shows: 19% entries, 19% exits, 62% blocks,
 * a mean depth near 10, calls mostly to a hot set of 2,000 functions, and
 * eight block sites per function; plus an EESUM record every 5,000 records
 * (a switch away that returned from the current function and called another).
 * Deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kcovtrace.h"
#include "rnd.h"

#define FUNCS 40000
#define HOT 2000
#define MAX_DEPTH 40


int main(int argc, char **argv)
{
	static uint64_t start[FUNCS], size[FUNCS], buf[1 << 16];
	struct kct_trace_writer_opts wopts = {
		.sz = sizeof(wopts),
		.mode = KCT_MODE_TRACE_PC_EXT,
		.buffer_words = 1ULL << 31,
		.pc_fill = KCT_PC_FILL_KERNEL,
		.kernel_release = "synthetic",
	};
	struct kct_stream_opts sopts = {
		.sz = sizeof(sopts),
		.kind = KCT_STREAM_KIND_TASK,
		.mode = KCT_MODE_TRACE_PC_EXT,
		.comm = "synthetic",
	};
	uint64_t n, addr = 0xffffffff81000000ULL, written = 0;
	int stack[MAX_DEPTH + 1], depth = 0, err;
	struct kct_trace_writer *w;
	FILE *map;

	if (argc != 4)
		return fprintf(stderr, "usage: gen RECORDS TRACE MAP\n"), 2;
	n = strtoull(argv[1], NULL, 0);
	map = fopen(argv[3], "w");
	if (!map)
		return perror(argv[3]), 1;
	for (int i = 0; i < FUNCS; i++) {
		start[i] = addr;
		size[i] = 64 + rnd() % 1985;
		fprintf(map, "%016llx T fn_%05d\n", (unsigned long long)addr, i);
		addr += (size[i] + 15) & ~15ULL;
	}
	fclose(map);

	/* One stream, written as it is made. */
	{
		size_t len = 0;

		err = kct_trace_writer_open(argv[2], &wopts, &w);
		if (!err)
			err = kct_trace_writer_begin_stream(w, &sopts);
		while (!err && written < n) {
			uint64_t r = rnd(), rec;
			int f_ = depth ? stack[depth - 1] : (int)(rnd() % FUNCS);

			if (written % 5000 == 4999) {
				/* Pops the current frame, if any, and pushes one. */
				rec = depth ? KCT_EESUM_RECORD(0, -1) : KCT_EESUM_RECORD(1, 0);
				if (depth)
					depth--;
				stack[depth++] = (int)(rnd() % FUNCS);
			} else if ((r % 100 < (depth < 10 ? 21u : 17u) && depth < MAX_DEPTH) || !depth) {
				/* A call, nine in ten to the hot set. */
				int g = (int)(rnd() % 10 ? rnd() % HOT : rnd() % FUNCS);

				stack[depth++] = g;
				rec = KCT_RECORD_TYPE_ENTRY | ((start[g] + 5) & KCT_RECORD_IP_MASK);
			} else if (r % 100 < 39) {
				depth--;
				rec = KCT_RECORD_TYPE_EXIT | ((start[f_] + size[f_] - 5) & KCT_RECORD_IP_MASK);
			} else {
				rec = KCT_RECORD_TYPE_NORMAL |
				      ((start[f_] + (rnd() % 8) * size[f_] / 8 + 4) & KCT_RECORD_IP_MASK);
			}
			buf[len++] = rec;
			written++;
			if (len == sizeof(buf) / sizeof(buf[0]) || written == n) {
				err = kct_trace_writer_append(w, buf, len);
				len = 0;
			}
		}
		if (!err)
			err = kct_trace_writer_commit(w);
		else
			kct_trace_writer_abort(w);
		if (err)
			return fprintf(stderr, "gen: %s: %s\n", argv[2], kct_strerror(err)), 1;
	}
	return 0;
}
