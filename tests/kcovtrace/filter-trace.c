// SPDX-License-Identifier: GPL-2.0-only
/*
 * filter-trace IN OUT [--trim] [--max-depth N] [--system-map MAP]
 *		[--suppress GLOB]...
 *
 * Writes the trace IN to OUT, each stream's records through the library's
 * record filter (what record writes where the kernel cannot filter), for
 * tests/kcovtrace/run to compare its replay with replay --depth and
 * --collapse of IN: two implementations of one rule, checking each other.
 * With --trim, each stream loses its records up to where its depth is at
 * its lowest (record's cut of a ptrace stop's end, record-cut.c): the depth
 * the filter counts from the stream's start (as the kernel's counts from
 * KCOV_ENABLE, never below 0) and the decoder's (from the stream's
 * outermost frame, entered before it began or not) agree from there on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace.h"
#include "record-cut.h"

static void __attribute__((noreturn)) fail(const char *what, int err)
{
	fprintf(stderr, "filter-trace: %s: %s\n", what, kct_strerror(err));
	exit(1);
}

int main(int argc, char **argv)
{
	KCT_OPTS(kct_filter_opts, fo, .pc_fill = KCT_PC_FILL_KERNEL);
	KCT_OPTS(kct_trace_info, info);
	KCT_OPTS(kct_trace_writer_opts, wo);
	struct kct_symbolizer *sym = NULL;
	struct kct_range *ranges = NULL;
	struct kct_trace_writer *w;
	struct kct_trace *trace;
	bool trim = false;
	int err;

	if (argc < 3) {
		fputs("usage: filter-trace IN OUT [--trim] [--max-depth N] [--system-map MAP] "
		      "[--suppress GLOB]...\n", stderr);
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--trim")) {
			trim = true;
		} else if (!strcmp(argv[i], "--max-depth") && i + 1 < argc) {
			fo.max_depth = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--system-map") && i + 1 < argc) {
			if ((err = kct_symbolizer_new(&sym)) ||
			    (err = kct_symbolizer_add_system_map(sym, argv[++i])))
				fail(argv[i], err);
		} else if (!strcmp(argv[i], "--suppress") && i + 1 < argc && sym) {
			err = kct_symbolizer_glob_ranges(sym, argv[++i], &ranges, &fo.nr_ranges);
			if (err <= 0)
				fail(argv[i], err ? err : -ENOENT);
		} else {
			fprintf(stderr, "filter-trace: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}
	fo.ranges = ranges;
	if ((err = kct_trace_open(argv[1], &trace)))
		fail(argv[1], err);
	kct_trace_get_info(trace, &info);
	wo.mode = info.mode;
	wo.buffer_words = info.buffer_words;
	wo.pc_fill = info.pc_fill;
	wo.kernel_release = info.kernel_release;
	if ((err = kct_trace_writer_open(argv[2], &wo, &w)))
		fail(argv[2], err);
	for (uint32_t i = 0; i < info.nr_streams; i++) {
		KCT_OPTS(kct_stream_info, si);
		KCT_OPTS(kct_stream_opts, so);
		struct kct_filter *f = NULL;
		uint64_t *rec, start = 0;
		int64_t n;
		struct cut c;

		kct_trace_stream(trace, i, &si);
		rec = malloc((si.records + 1) * sizeof(*rec));
		if (!rec)
			fail("records", -ENOMEM);
		n = kct_trace_read_records(trace, i, 0, rec, si.records);
		if (n < 0)
			fail(argv[1], (int)n);
		if (trim && cut_scan(rec, n, &c))
			start = c.start;
		if ((fo.max_depth || fo.nr_ranges) && (err = kct_filter_new(&fo, &f)))
			fail("the filter", err);
		if (f)
			n = start + kct_filter_records(f, rec + start, n - start, rec + start);
		kct_filter_free(f);
		so = (struct kct_stream_opts){
			.sz = sizeof(so), .kind = si.kind,
			.flags = si.flags & (KCT_STREAM_F_OVERFLOW | KCT_STREAM_F_ARGS),
			.seq = si.seq, .pid = si.pid, .tid = si.tid, .ppid = si.ppid,
			.mode = si.mode, .syscall = si.syscall, .lost = si.lost,
			.remote_handle = si.remote_handle, .comm = si.comm,
		};
		memcpy(so.args, si.args, sizeof(so.args));
		if ((err = kct_trace_writer_add(w, &so, rec + start, n - start)))
			fail(argv[2], err);
		free(rec);
	}
	if ((err = kct_trace_writer_commit(w)))
		fail(argv[2], err);
	kct_trace_close(trace);
	kct_symbolizer_free(sym);
	free(ranges);
	return 0;
}
