// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for what libkcovtrace reads from untrusted files: the
 * record decoder, trace files and raw buffers, and kallsyms/System.map text.
 * The first byte picks the parser; the rest is the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kcovtrace.h"

static char path[64];
static int fd = -1;

/* Inputs reach the file parsers through a memfd. */
static const char *as_file(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("fuzz", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	return path;
}

/*
 * Whatever the records, the events nest: each ENTER one level deeper, each
 * EXIT back, an EESUM that cannot be balanced at depth 0 with every frame
 * closed.  A stream decoded to its end closes every frame and has one event
 * per record of a known type, plus one per frame made up: of an unknown
 * caller, unfinished, or reported by an EESUM record.
 */
static void drain(struct kct_decoder *dec)
{
	uint64_t events = 0, synthetic = 0, suppressed = 0, reported = 0, eesums = 0, saturated = 0;
	struct kct_decoder_stats st = { .sz = sizeof(st) };
	struct kct_event ev;
	int64_t depth = 0;
	int err;

	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0) {
		events++;
		synthetic += !!(ev.flags & KCT_EVENT_F_SYNTHETIC);
		suppressed += !!(ev.flags & KCT_EVENT_F_SUPPRESSED);
		switch (ev.type) {
		case KCT_EVENT_ENTER:
			if (ev.depth != depth++)
				abort();
			break;
		case KCT_EVENT_EXIT:
			if (ev.depth != --depth)
				abort();
			break;
		case KCT_EVENT_BLOCK:
			if (ev.depth != depth)
				abort();
			break;
		case KCT_EVENT_EESUM:
			eesums++;
			if (ev.flags & KCT_EVENT_F_SATURATED) {
				saturated++;
				if (depth || ev.depth)
					abort();
			} else {
				if (ev.depth != depth || ev.mindelta > 0 || ev.delta < ev.mindelta)
					abort();
				reported += (uint64_t)(ev.delta - 2 * ev.mindelta);
			}
			break;
		default:
			abort();
		}
	}
	kct_decoder_stats(dec, &st);
	if (!err && (depth || events - synthetic != st.records - st.unknown ||
		     synthetic != st.orphan_exits + st.unfinished + reported ||
		     suppressed != reported || eesums != st.eesums || saturated != st.saturated))
		abort();
	kct_decoder_free(dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kct_decoder_opts opts = { .sz = sizeof(opts), .max_depth = 512 };
	struct kct_decoder *dec;
	struct kct_trace *trace;
	struct kct_symbolizer *sym;
	struct kct_symbol s = { .sz = sizeof(s) };

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0: { /* records in memory */
		size_t n = (size - 1) / 8;
		uint64_t *recs = malloc(n * 8 + 1);

		memcpy(recs, data + 1, n * 8);
		if (!kct_decoder_new_mem(recs, n, &opts, &dec))
			drain(dec);
		free(recs);
		break;
	}
	case 1: /* a trace file or raw buffer */
		if (!kct_trace_open(as_file(data + 1, size - 1), &trace)) {
			const struct kct_trace_info *info = kct_trace_info(trace);

			for (uint32_t i = 0; i < info->nr_streams && i < 64; i++)
				if (!kct_trace_decoder(trace, i, &dec))
					drain(dec);
			kct_trace_close(trace);
		}
		break;
	case 2: /* kallsyms, then the same as a System.map */
		if (kct_symbolizer_new(&sym))
			abort();
		kct_symbolizer_add_kallsyms(sym, as_file(data + 1, size - 1));
		kct_symbolizer_add_system_map(sym, as_file(data + 1, size - 1));
		for (uint64_t pc = 0; pc < 4; pc++)
			kct_symbolize(sym, 0xffffffff81000000ULL + pc * 0x1000, &s);
		kct_symbolize(sym, ~0ULL, &s);
		kct_symbolizer_free(sym);
		break;
	}
	return 0;
}
