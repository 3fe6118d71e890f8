// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace info: what a trace holds, as uftrace info says it: what it was
 * recorded with and on, then a line per stream, then totals.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace-tool.h"
#include "kcovtrace.h"
#include "messages.h"
#include "options.h"
#include "syscalls.h"
#include "terminal.h"
#include "traces.h"

static const char info_usage[] =
"usage: kcovtrace info [FILE]\n"
"\n"
"Describe the trace in FILE: its format version, the kernel it was recorded\n"
"on (release and identity), the kcov mode asked for, the buffer size, its\n"
"flags, the filter it was recorded with (record --max-depth, --suppress)\n"
"and its notes; then one line per stream (number, kind, pid, tid, ppid,\n"
"comm, kcov mode, syscall, records, overflow and records lost); then the\n"
"totals: tasks (the distinct tids of the streams, as record counts them),\n"
"streams and records.  Of a KCOV_TRACE_MEMORY_ACCESS trace, whose records\n"
"are of one or more 64-bit words (its record counts count words), the\n"
"memory accesses (reads, writes, read-modify-writes, atomic ones, slab\n"
"frees), waits and wakes its streams hold, decoded.\n"
"\n"
TERMINAL_HELP
"  -h, --help         this text\n";

/* record --max-depth and --suppress, from the notes record wrote of them
 * (listed with the others too): nothing for a trace recorded without. */
static void print_filter(const struct kct_trace *trace)
{
	const char *depth = kct_trace_note(trace, "filter.max_depth");
	const char *suppress = kct_trace_note(trace, "filter.suppress");
	const char *ranges = kct_trace_note(trace, "filter.ranges");
	const char *by = kct_trace_note(trace, "filter.by");
	const char *sep = "";

	if (!depth && !suppress && !by)
		return;
	printf("# %-18s: ", "filter");
	if (depth) {
		printf("max depth %s", depth);
		sep = ", ";
	}
	if (suppress) {
		printf("%ssuppressed %s", sep, suppress);
		if (ranges)
			printf(" (%s ranges)", ranges);
		sep = ", ";
	}
	if (by && !strcmp(by, "kernel"))
		printf("%sby the kernel (KCOV_FILTER)", sep);
	else if (by && !strcmp(by, "userspace"))
		printf("%sby kcovtrace (the kernel had no KCOV_FILTER)", sep);
	else if (by)
		printf("%sby %s", sep, by);
	putchar('\n');
}

static void print_header(const char *path, const struct kct_trace *trace,
			 const struct kct_trace_info *info)
{
	const char *sep;

	printf("# %-18s: %s\n", "trace", path);
	if (info->raw)
		printf("# %-18s: raw kcov buffer (no header)\n", "file format");
	else
		printf("# %-18s: version %u\n", "file format", info->version);
	printf("# %-18s: %s\n", "kernel release",
	       info->kernel_release[0] ? info->kernel_release : "unknown");
	printf("# %-18s: ", "kernel identity");
	if (info->kernel_id_kind == KCT_KERNEL_ID_NONE || !info->kernel_id_len) {
		fputs("unknown", stdout);
	} else {
		fputs(info->kernel_id_kind == KCT_KERNEL_ID_SYMBOLS ? "symbols " :
		      info->kernel_id_kind == KCT_KERNEL_ID_BUILD_ID ? "build-id " : "other ",
		      stdout);
		for (uint32_t i = 0; i < info->kernel_id_len; i++)
			printf("%02x", info->kernel_id[i]);
	}
	putchar('\n');
	printf("# %-18s: %s%s\n", "kcov mode", kcov_mode_name(info->mode),
	       info->mode == KCT_MODE_TRACE_MEMORY_ACCESS ? " (memory)" : "");
	printf("# %-18s: %llu words\n", "buffer size", (unsigned long long)info->buffer_words);
	printf("# %-18s: ", "flags");
	if (!(info->flags & (KCT_TRACE_F_OVERFLOW | KCT_TRACE_F_USER | KCT_TRACE_F_INTERRUPTED |
			     KCT_TRACE_F_TRUNCATED)))
		fputs("none", stdout);
	/* Each flag set, separated by ", ". */
	sep = "";
	if (info->flags & KCT_TRACE_F_OVERFLOW) {
		fputs("overflow (a buffer filled up)", stdout);
		sep = ", ";
	}
	if (info->flags & KCT_TRACE_F_USER) {
		printf("%suser (userspace PCs)", sep);
		sep = ", ";
	}
	if (info->flags & KCT_TRACE_F_INTERRUPTED) {
		printf("%sinterrupted (the recording was stopped before the command ended)", sep);
		sep = ", ";
	}
	if (info->flags & KCT_TRACE_F_TRUNCATED)
		printf("%struncated (%llu of %llu bytes, %u of %u streams, %llu of %llu records)",
		       sep, (unsigned long long)info->bytes_present,
		       (unsigned long long)info->bytes_expected, info->nr_streams,
		       info->nr_streams_written, (unsigned long long)info->records,
		       (unsigned long long)info->records_written);
	putchar('\n');
	print_filter(trace);
	if (!info->nr_notes)
		printf("# %-18s: none\n", "notes");
	for (uint32_t i = 0; i < info->nr_notes; i++) {
		const char *key, *value;

		if (!kct_trace_note_at(trace, i, &key, &value))
			printf("# %-18s: %s=%s\n", "note", key, value);
	}
}

static void print_stream(uint32_t i, const struct kct_stream_info *sh, int mode_w)
{
	const char *call = sh->syscall == KCT_STREAM_NO_SYSCALL ? "-" : syscall_name(sh->syscall);
	char syscall[32], records[48], lost[24];
	/* Where its records were lost: after its last (the buffer filled
	 * up), before its first (it goes on from one that did), or both. */
	static const char *const overflow[] = { "no", "yes", "before", "before,yes" };

	if (call)
		snprintf(syscall, sizeof(syscall), "%s", call);
	else
		snprintf(syscall, sizeof(syscall), "%d", sh->syscall);
	/* A stream the file ends in: what is there of what was written. */
	if (sh->flags & KCT_STREAM_F_TRUNCATED)
		snprintf(records, sizeof(records), "%llu/%llu", (unsigned long long)sh->records,
			 (unsigned long long)sh->records_written);
	else
		snprintf(records, sizeof(records), "%llu", (unsigned long long)sh->records);
	if (sh->lost == KCT_LOST_UNKNOWN)
		snprintf(lost, sizeof(lost), "unknown");
	else
		snprintf(lost, sizeof(lost), "%llu", (unsigned long long)sh->lost);
	printf("  %6u %-7s %7d %7d %7d %-16s %-*s %-16s %10s %-8s %s\n", i,
	       stream_kind_name(sh->kind), sh->pid, sh->tid, sh->ppid, sh->comm[0] ? sh->comm : "-",
	       mode_w, kcov_mode_name(sh->mode), syscall, records,
	       overflow[(sh->flags & KCT_STREAM_F_OVERFLOW ? 1 : 0) +
			(sh->flags & KCT_STREAM_F_RESUMED ? 2 : 0)], lost);
}

/* The memory accesses, waits and wakes of a KCOV_TRACE_MEMORY_ACCESS
 * trace's streams. */
struct memory_counts {
	uint64_t accesses, reads, writes, rmws, atomics, frees, values;
	uint64_t waits, timed_out, wakes, partial;
};

static void count_memory(struct kct_trace *trace, const char *path, uint32_t i,
			 struct memory_counts *m)
{
	struct kct_decoder *dec = open_stream(trace, i, path);
	KCT_OPTS(kct_decoder_stats, st);
	struct kct_event ev[256];
	int n;

	while ((n = kct_decoder_next_batch(dec, ev, sizeof(ev[0]), 256)) > 0) {
		for (int k = 0; k < n; k++) {
			if (ev[k].type == KCT_EVENT_WAIT) {
				m->waits++;
				m->timed_out += ev[k].timed_out;
			} else if (ev[k].type == KCT_EVENT_WAKE) {
				m->wakes++;
			} else if (ev[k].type == KCT_EVENT_ACCESS) {
				uint32_t f = ev[k].access;

				m->accesses++;
				m->frees += !!(f & KCT_ACCESS_F_FREE);
				m->rmws += !(f & KCT_ACCESS_F_FREE) && (f & KCT_ACCESS_F_RMW);
				m->writes += !(f & (KCT_ACCESS_F_FREE | KCT_ACCESS_F_RMW)) &&
					     (f & KCT_ACCESS_F_WRITE);
				m->reads += !(f & (KCT_ACCESS_F_FREE | KCT_ACCESS_F_RMW |
						   KCT_ACCESS_F_WRITE));
				m->atomics += !!(f & KCT_ACCESS_F_ATOMIC);
				m->values += !!(f & KCT_ACCESS_F_VALUE);
			}
		}
	}
	if (n < 0)
		die("%s: stream %u: decoding: %s", path, i, kct_strerror(n));
	kct_decoder_get_stats(dec, &st);
	m->partial += st.partial;
	kct_decoder_free(dec);
}

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		TERMINAL_LONGOPTS,
		{ 0 }
	};
	KCT_OPTS(kct_trace_info, info);
	struct kct_trace *trace;
	const char *path;
	struct task_count tasks = TASK_COUNT_INIT;
	struct memory_counts mem = { 0 };
	uint64_t records = 0;
	int mode_w;
	bool memory = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (terminal_option(c, optarg))
			continue;
		switch (c) {
		case 'h':
			fputs(info_usage, stdout);
			return 0;
		default:
			return short_usage(info_usage);
		}
	}
	path = trace_arg(argc, argv, "info");
	terminal_start();
	trace = open_trace(path);
	kct_trace_get_info(trace, &info);
	print_header(path, trace, &info);
	/* The mode column, as wide as the longest name: KCOV_TRACE_PC_EXT's
	 * but in a memory access trace. */
	mode_w = info.mode == KCT_MODE_TRACE_MEMORY_ACCESS ? 24 : 17;
	/* A table of no stream: no heading. */
	if (info.nr_streams)
		printf("#\n# %6s %-7s %7s %7s %7s %-16s %-*s %-16s %10s %-8s %s\n", "stream",
		       "kind", "pid", "tid", "ppid", "comm", mode_w, "mode", "syscall", "records",
		       "overflow", "lost");
	for (uint32_t i = 0; i < info.nr_streams; i++) {
		KCT_OPTS(kct_stream_info, sh);

		kct_trace_stream(trace, i, &sh);
		print_stream(i, &sh, mode_w);
		records += sh.records;
		task_count_add(&tasks, sh.tid);
		if (sh.mode == KCT_MODE_TRACE_MEMORY_ACCESS) {
			memory = true;
			count_memory(trace, path, i, &mem);
		}
	}
	printf("#\n# %-18s: %llu\n# %-18s: %u\n# %-18s: %llu%s\n", "tasks",
	       (unsigned long long)task_count_nr(&tasks), "streams", info.nr_streams, "records",
	       (unsigned long long)records, memory ? " (words)" : "");
	if (memory) {
		printf("# %-18s: %llu (%llu reads, %llu writes, %llu read-modify-writes, "
		       "%llu frees; %llu atomic, %llu with their value)\n", "memory accesses",
		       (unsigned long long)mem.accesses, (unsigned long long)mem.reads,
		       (unsigned long long)mem.writes, (unsigned long long)mem.rmws,
		       (unsigned long long)mem.frees, (unsigned long long)mem.atomics,
		       (unsigned long long)mem.values);
		printf("# %-18s: %llu (%llu timed out)\n# %-18s: %llu\n", "waits",
		       (unsigned long long)mem.waits, (unsigned long long)mem.timed_out, "wakes",
		       (unsigned long long)mem.wakes);
		if (mem.partial)
			printf("# %-18s: %llu (cut off where a buffer ended, dropped)\n",
			       "partial records", (unsigned long long)mem.partial);
	}
	if (fflush(stdout))
		die("write error");
	task_count_free(&tasks);
	kct_trace_close(trace);
	return 0;
}
