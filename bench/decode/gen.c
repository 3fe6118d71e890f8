// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen: a synthetic extended-mode trace shaped like a kernel's, and the
 * System.map of its functions.
 *
 *   gen RECORDS TRACE MAP
 *
 * 40,000 functions of 64 to 2,048 bytes from 0xffffffff81000000, as in a
 * vmlinux; a walk that enters a function (25%), runs a block (50%) or
 * returns (25%), kept between depth 0 and 40, a resync record now and then.
 * Deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kcovtrace.h"

#define FUNCS 40000
#define MAX_DEPTH 40

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(int argc, char **argv)
{
	static uint64_t start[FUNCS], size[FUNCS], buf[1 << 16];
	struct kct_trace_header h = { .mode = KCT_MODE_TRACE_PC_EXT, .buffer_size = 1ULL << 31,
				      .pc_fill = KCT_PC_FILL_KERNEL, .kernel_release = "synthetic" };
	struct kct_stream_header sh = { .syscall = KCT_STREAM_NO_SYSCALL };
	struct kct_trace_writer *w;
	uint64_t n, addr = 0xffffffff81000000ULL, written = 0;
	int stack[MAX_DEPTH + 1], depth = 0, err;
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

	/* One stream; the writer wants it in one piece, so stream the
	 * records through a temporary and hand them over in chunks. */
	sh.records = n;
	err = kct_trace_writer_open(argv[2], &h, &w);
	if (err)
		return fprintf(stderr, "gen: %s: %s\n", argv[2], kct_strerror(err)), 1;
	{
		FILE *tmp = tmpfile();
		size_t len = 0;

		while (written < n) {
			uint64_t r = rnd(), rec;
			int f = depth ? stack[depth - 1] : (int)(rnd() % FUNCS);

			if (written % 5000 == 4999) {
				rec = KCT_RECORD_TYPE_RESYNC | 1ULL << 28 | (depth ? 1 : 0);
				if (depth)
					depth--;
				stack[depth++] = (int)(rnd() % FUNCS);
			} else if ((r % 4 == 0 && depth < MAX_DEPTH) || !depth) {
				int g = (int)(rnd() % FUNCS);

				stack[depth++] = g;
				rec = KCT_RECORD_TYPE_ENTRY | ((start[g] + 5) & KCT_RECORD_IP_MASK);
			} else if (r % 4 == 1) {
				depth--;
				rec = KCT_RECORD_TYPE_EXIT | ((start[f] + size[f] - 5) & KCT_RECORD_IP_MASK);
			} else {
				rec = KCT_RECORD_TYPE_NORMAL | ((start[f] + rnd() % size[f]) & KCT_RECORD_IP_MASK);
			}
			buf[len++] = rec;
			written++;
			if (len == sizeof(buf) / sizeof(buf[0]) || written == n) {
				if (fwrite(buf, 8, len, tmp) != len)
					return perror("tmpfile"), 1;
				len = 0;
			}
		}
		/* The writer takes one stream at a time: map it back in. */
		fflush(tmp);
		{
			uint64_t *all = malloc(n * 8 ? n * 8 : 8);

			rewind(tmp);
			if (!all || fread(all, 8, n, tmp) != n)
				return perror("gen"), 1;
			err = kct_trace_writer_add(w, &sh, all);
			free(all);
		}
		fclose(tmp);
	}
	if (err || (err = kct_trace_writer_commit(w)))
		return fprintf(stderr, "gen: %s: %s\n", argv[2], kct_strerror(err)), 1;
	return 0;
}
