// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcovtrace-tool.h"

struct kct_trace *open_trace(const char *path)
{
	KCT_OPTS(kct_trace_info, info);
	KCT_OPTS(kct_stream_info, last);
	struct kct_trace *trace;
	int err = kct_trace_open(path, &trace);

	if (err)
		die("%s: %s", path, kct_strerror(err));
	kct_trace_get_info(trace, &info);
	if (!(info.flags & KCT_TRACE_F_TRUNCATED))
		return trace;
	if (info.nr_streams)
		kct_trace_stream(trace, info.nr_streams - 1, &last);
	if (last.flags & KCT_STREAM_F_TRUNCATED)
		warn("%s: truncated trace (%llu of %llu bytes): reading %u of its %u streams, "
		     "the last cut after %llu of its %llu records", path,
		     (unsigned long long)info.bytes_present, (unsigned long long)info.bytes_expected,
		     info.nr_streams, info.nr_streams_written, (unsigned long long)last.records,
		     (unsigned long long)last.records_written);
	else
		warn("%s: truncated trace (%llu of %llu bytes): reading %u of its %u streams", path,
		     (unsigned long long)info.bytes_present, (unsigned long long)info.bytes_expected,
		     info.nr_streams, info.nr_streams_written);
	return trace;
}

const char *stream_kind_name(uint32_t kind)
{
	switch (kind) {
	case KCT_STREAM_KIND_TASK:
		return "task";
	case KCT_STREAM_KIND_EXEC:
		return "exec";
	case KCT_STREAM_KIND_SYSCALL:
		return "syscall";
	case KCT_STREAM_KIND_REMOTE:
		return "remote";
	default:
		return "stream";
	}
}

const char *kcov_mode_name(uint32_t mode)
{
	switch (mode) {
	case KCT_MODE_TRACE_PC_EXT:
		return "KCOV_TRACE_PC_EXT";
	case KCT_MODE_TRACE_PC:
		return "KCOV_TRACE_PC";
	case KCT_MODE_TRACE_CMP:
		return "KCOV_TRACE_CMP";
	default:
		return "?";
	}
}

/* Appends to buf, of which *n bytes are used; never past size. */
static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n >= size)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	*n += k > 0 ? (size_t)k : 0;
}

const char *task_title(const struct kct_stream_info *sh, char *buf, size_t size)
{
	const char *comm = sh->comm[0] ? ", comm " : "";
	size_t n = 0;

	if (sh->tid)
		append(buf, size, &n, "task %d (pid %d%s%s)", sh->tid, sh->pid, comm, sh->comm);
	else if (sh->pid)
		append(buf, size, &n, "pid %d%s%s", sh->pid, comm, sh->comm);
	else
		append(buf, size, &n, "no known task");
	return buf;
}

/* A string argument as strace shows it: quoted, escaped, "..." after the
 * quote where it was cut. */
static void append_string(char *buf, size_t size, size_t *n, const char *s, bool cut)
{
	append(buf, size, n, "\"");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			append(buf, size, n, "\\%c", c);
		else if (c == '\n')
			append(buf, size, n, "\\n");
		else if (c == '\t')
			append(buf, size, n, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			append(buf, size, n, "\\x%02x", c);
		else
			append(buf, size, n, "%c", c);
	}
	append(buf, size, n, cut ? "\"..." : "\"");
}

const char *stream_title(const struct kct_trace *trace, uint32_t i,
			 const struct kct_stream_info *sh, char *buf, size_t size)
{
	const char *name = syscall_name(sh->syscall);
	char task[64];
	size_t n = 0;

	append(buf, size, &n, "stream %u", i);
	if (sh->kind == KCT_STREAM_KIND_EXEC || sh->kind == KCT_STREAM_KIND_SYSCALL ||
	    (sh->kind != KCT_STREAM_KIND_TASK && sh->kind != KCT_STREAM_KIND_REMOTE &&
	     sh->syscall != KCT_STREAM_NO_SYSCALL)) {
		append(buf, size, &n, ": %s ", sh->kind == KCT_STREAM_KIND_EXEC ? "exec" : "syscall");
		if (name)
			append(buf, size, &n, "%s (%d)", name, sh->syscall);
		else
			append(buf, size, &n, "%d", sh->syscall);
		for (int a = 0; (sh->flags & KCT_STREAM_F_ARGS) && a < 6; a++) {
			bool cut;
			const char *s = kct_trace_stream_string(trace, i, a, &cut);

			append(buf, size, &n, a ? ", " : " args ");
			if (s)
				append_string(buf, size, &n, s, cut);
			else
				append(buf, size, &n, "0x%llx", (unsigned long long)sh->args[a]);
		}
	} else if (sh->kind == KCT_STREAM_KIND_REMOTE) {
		append(buf, size, &n, ": remote section, handle 0x%llx",
		       (unsigned long long)sh->remote_handle);
	}
	/* Traces of other writers may not say whose a stream is. */
	if (sh->tid || sh->pid)
		append(buf, size, &n, ": %s", task_title(sh, task, sizeof(task)));
	return buf;
}

struct kct_decoder *open_stream(struct kct_trace *trace, uint32_t stream,
				const char *path)
{
	struct kct_decoder *dec;
	int err = kct_trace_decoder(trace, stream, &dec);

	if (err)
		die("%s: %s", path, kct_strerror(err));
	return dec;
}

/*
 * The functions a task's records end in when it exits: do_exit(), called by
 * do_group_exit() for exit_group(), by get_signal() (from
 * arch_do_signal_or_restart()) for a fatal signal.  The exit_group() and
 * exit() syscalls themselves never return, so no hook marks them.
 */
static bool exit_path(uint64_t pc)
{
	static const char *const names[] = {
		"do_exit", "do_group_exit", "get_signal", "arch_do_signal_or_restart",
	};
	KCT_OPTS(kct_symbol, s);

	if (!pc || kct_symbolize(symstate.sym, pc, &s))
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s.name_len == strlen(names[i]) && !memcmp(s.name, names[i], s.name_len))
			return true;
	return false;
}

/*
 * The frames the decoder completes at the end of the stream, the last run
 * of KCT_EVENT_F_UNFINISHED exits, are its task's way out if the outermost
 * of them is of exit_path(): then r->unbalanced->exit_path counts them.  A
 * run that any other event follows was a saturated EESUM record's.
 */
static void find_exit_path(struct event_reader *r)
{
	int i = r->nr;

	/* The batch's last run of such exits, from its end back: any other
	 * event before it ends the runs before (nearly every batch ends
	 * with another event, and this loop then with none). */
	while (i > 0 && r->batch[i - 1].type == KCT_EVENT_EXIT &&
	       (r->batch[i - 1].flags & KCT_EVENT_F_UNFINISHED))
		i--;
	if (i > 0) {
		r->unfinished = 0;
		r->unbalanced->exit_path = 0;
	}
	for (; i < r->nr; i++) {
		const struct kct_event *ev = &r->batch[i];

		r->unfinished++;
		if (!ev->depth && exit_path(ev->entry_pc))
			r->unbalanced->exit_path = r->unfinished;
	}
}

bool event_reader_fill(struct event_reader *r)
{
	KCT_OPTS(kct_decoder_stats, st);

	r->nr = kct_decoder_next_batch(r->dec, r->batch, sizeof(r->batch[0]), 256);
	r->at = 0;
	if (r->nr <= 0) {
		if (r->nr < 0)
			die("decoding: %s", kct_strerror(r->nr));
		r->nr = 0;
		return false;
	}
	if (symstate.sym) {
		if (!symstate.skip_exits)
			check_exits(r->batch, r->nr);
		find_exit_path(r);
	}
	/* The decoder counts such a record before its event comes: look for
	 * the event only while some are still to come. */
	kct_decoder_get_stats(r->dec, &st);
	for (int i = 0; i < r->nr && st.saturated != r->saturated; i++) {
		const struct kct_event *ev = &r->batch[i];
		struct unbalanced *u = r->unbalanced;

		if (ev->type != KCT_EVENT_EESUM || !(ev->flags & KCT_EVENT_F_SATURATED))
			continue;
		r->saturated++;
		if (!u->count++) {
			u->index = ev->index;
			u->stream = r->stream;
			u->malformed = eesum_malformed(ev);
		}
	}
	return true;
}

void warn_unbalanced(const char *path, const struct unbalanced *u)
{
	const char *what = u->malformed ? "malformed" : "saturated";

	if (u->count == 1)
		warn("%s: stream %u cannot be balanced across a %s EESUM record at index %llu; "
		     "the call tree restarts after it", path, u->stream, what,
		     (unsigned long long)u->index);
	else if (u->count)
		warn("%s: stream %u cannot be balanced across a %s EESUM record at index %llu, "
		     "nor across %llu more such records; the call tree restarts after each",
		     path, u->stream, what, (unsigned long long)u->index,
		     (unsigned long long)(u->count - 1));
}
