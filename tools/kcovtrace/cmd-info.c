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
"streams and records.\n"
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
	printf("# %-18s: %s\n", "kcov mode", kcov_mode_name(info->mode));
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

static void print_stream(uint32_t i, const struct kct_stream_info *sh)
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
	printf("  %6u %-7s %7d %7d %7d %-16s %-17s %-16s %10s %-8s %s\n", i,
	       stream_kind_name(sh->kind), sh->pid, sh->tid, sh->ppid, sh->comm[0] ? sh->comm : "-",
	       kcov_mode_name(sh->mode), syscall, records,
	       overflow[(sh->flags & KCT_STREAM_F_OVERFLOW ? 1 : 0) +
			(sh->flags & KCT_STREAM_F_RESUMED ? 2 : 0)], lost);
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
	uint64_t records = 0;
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
	/* A table of no stream: no heading. */
	if (info.nr_streams)
		printf("#\n# %6s %-7s %7s %7s %7s %-16s %-17s %-16s %10s %-8s %s\n", "stream",
		       "kind", "pid", "tid", "ppid", "comm", "mode", "syscall", "records",
		       "overflow", "lost");
	for (uint32_t i = 0; i < info.nr_streams; i++) {
		KCT_OPTS(kct_stream_info, sh);

		kct_trace_stream(trace, i, &sh);
		print_stream(i, &sh);
		records += sh.records;
		task_count_add(&tasks, sh.tid);
	}
	printf("#\n# %-18s: %llu\n# %-18s: %u\n# %-18s: %llu\n", "tasks",
	       (unsigned long long)task_count_nr(&tasks), "streams", info.nr_streams, "records",
	       (unsigned long long)records);
	if (fflush(stdout))
		die("write error");
	task_count_free(&tasks);
	kct_trace_close(trace);
	return 0;
}
