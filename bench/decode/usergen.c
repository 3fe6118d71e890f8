// SPDX-License-Identifier: GPL-2.0-only
/*
 * usergen: a synthetic trace of a user program, whose PCs are in the
 * functions of a real ELF file with DWARF, for kcovtrace replay --elf to
 * name and to find the file:line of.
 *
 *   usergen RECORDS FUNCS TRACE
 *
 * FUNCS: the program's functions, as nm -S --defined-only prints them
 * ("ADDR SIZE TYPE NAME"; text symbols of 32 bytes or more are taken).  The
 * walk is bench/decode/gen's: 19% entries, 19% exits, 62% blocks, calls
 * mostly to a hot set (a tenth of the functions), eight block sites per
 * function, as a program built with kcov-cc has a fixed set of hook sites.
 * One stream; deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace.h"
#include "rnd.h"

#define MAX_FUNCS 100000
#define MAX_DEPTH 40


int main(int argc, char **argv)
{
	static uint64_t start[MAX_FUNCS], size[MAX_FUNCS], buf[1 << 16];
	struct kct_trace_writer_opts wopts = {
		.sz = sizeof(wopts),
		.mode = KCT_MODE_TRACE_PC_EXT,
		.flags = KCT_TRACE_F_USER,
		.buffer_words = 1ULL << 31,
	};
	struct kct_stream_opts sopts = {
		.sz = sizeof(sopts),
		.kind = KCT_STREAM_KIND_TASK,
		.mode = KCT_MODE_TRACE_PC_EXT,
		.pid = 100,
		.tid = 100,
		.comm = "usergen",
	};
	unsigned long long a, s;
	int stack[MAX_DEPTH + 1], depth = 0, nfuncs = 0, hot, err;
	uint64_t n, written = 0;
	size_t len = 0;
	struct kct_trace_writer *w = NULL;
	char line[4096], type;
	FILE *f;

	if (argc != 4)
		return fprintf(stderr, "usage: usergen RECORDS FUNCS TRACE\n"), 2;
	n = strtoull(argv[1], NULL, 0);
	f = fopen(argv[2], "r");
	if (!f)
		return perror(argv[2]), 1;
	while (nfuncs < MAX_FUNCS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %llx %c", &a, &s, &type) == 3 &&
		    (type == 't' || type == 'T') && s >= 32) {
			start[nfuncs] = a;
			size[nfuncs++] = s;
		}
	fclose(f);
	if (!nfuncs)
		return fprintf(stderr, "usergen: %s: no text symbols of 32 bytes or more\n",
			       argv[2]), 1;
	hot = nfuncs / 10 ? nfuncs / 10 : 1;

	err = kct_trace_writer_open(argv[3], &wopts, &w);
	if (!err)
		err = kct_trace_writer_begin_stream(w, &sopts);
	while (!err && written < n) {
		uint64_t r = rnd(), rec;
		int cur = depth ? stack[depth - 1] : (int)(rnd() % nfuncs);

		if ((r % 100 < (depth < 10 ? 21u : 17u) && depth < MAX_DEPTH) || !depth) {
			/* A call, nine in ten to the hot set. */
			int g = (int)(rnd() % 10 ? rnd() % hot : rnd() % nfuncs);

			stack[depth++] = g;
			rec = KCT_RECORD_TYPE_ENTRY | ((start[g] + 5) & KCT_RECORD_IP_MASK);
		} else if (r % 100 < 39) {
			depth--;
			rec = KCT_RECORD_TYPE_EXIT |
			      ((start[cur] + size[cur] - 5) & KCT_RECORD_IP_MASK);
		} else {
			rec = KCT_RECORD_TYPE_NORMAL |
			      ((start[cur] + (rnd() % 8) * size[cur] / 8 + 4) & KCT_RECORD_IP_MASK);
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
	else if (w)
		kct_trace_writer_abort(w);
	if (err)
		return fprintf(stderr, "usergen: %s: %s\n", argv[3], kct_strerror(err)), 1;
	return 0;
}
