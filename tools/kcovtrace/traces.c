// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>

#include "kcovtrace.h"
#include "messages.h"
#include "syscalls.h"
#include "traces.h"

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
	case KCT_MODE_TRACE_MEMORY_ACCESS:
		return "KCOV_TRACE_MEMORY_ACCESS";
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
