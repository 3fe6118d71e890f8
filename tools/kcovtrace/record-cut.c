// SPDX-License-Identifier: GPL-2.0-only
/*
 * What kcovtrace record makes of the records of followed tasks (record-cut.h).
 *
 * kcovtrace only ever reads or resets a task's buffer while the task is in
 * a ptrace stop, deep in the kernel: in ptrace_stop(), called from the code
 * that reports the event.  So the records it finds after a reset start with
 * the end of that stop, the exits of frames entered before the reset
 * (ptrace_stop(), ptrace_notify(), get_signal() ...), down to the depth at
 * which the task returns to user mode; and the records it takes at a stop
 * end with the entries into that stop, still open.  Neither is the task's
 * own work.  The scan below finds the first: the depth of the records,
 * relative to where the buffer starts, sinks to its lowest when the task
 * has left the stop (nothing the task does from user mode later returns
 * from a frame it did not enter; an EESUM record never reports a depth
 * below the frame it was written in), so the stop's end is everything up
 * to the first record after which the depth is at its lowest.  What the
 * task does from there on starts at that depth, and frames entered there
 * are top-level frames: syscalls, page faults from user mode, the exec in
 * progress at an exec stop.
 *
 * Task streams: a followed task's records from its first stop to its exit,
 * without the first stop's end.  At an exec stop, the outermost frame open
 * at the end is the exec: the records before it are the task's stream until
 * then, the exec's start is kept, and the end of the exec stop found in the
 * records taken at the task's next exec or exit (the exits of the frames
 * open at the stop, the rest of the exec, down to the return to user mode)
 * completes it.  So the exec stream runs from the entry of __x64_sys_execve
 * to its exit, balanced, and the task's work after the exec stands alone.
 * A task stream ends where do_exit() disables kcov, with the frames of the
 * exit still open (do_group_exit(), do_exit(), or get_signal() and below
 * for a task killed by a signal): the task never returns from them.
 *
 * Where record filters in userspace what the kernel would not (KCOV_FILTER
 * refused), the cuts see the task's records through the filter: every
 * record the task writes goes through it once, in order, before the buffer
 * is reset, so that the filter counts depths from KCOV_ENABLE as the kernel
 * would, and the cuts then find what they would find in a buffer the kernel
 * filtered.  (With --syscalls, the buffer is reset at every stop where no
 * call is pending, so that it does not fill up between the calls asked for
 * and cost the filter its count.)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record-cut.h"

/* ---- cutting ---- */

/*
 * Applies record rec to the depth *d: its lowest point goes to *low.
 * false for an EESUM record that cannot be balanced.
 */
static inline bool step(uint64_t rec, int64_t *d, int64_t *low)
{
	switch (KCT_RECORD_KIND(rec)) {
	case KCT_RECORD_KIND_ENTRY:
		*low = *d;
		++*d;
		return true;
	case KCT_RECORD_KIND_EXIT:
		*low = --*d;
		return true;
	case KCT_RECORD_KIND_EESUM:
		if (kct_eesum_unbalanceable(rec))
			return false;
		*low = *d + KCT_EESUM_MINDELTA(rec);
		*d += KCT_EESUM_DELTA(rec);
		return true;
	default:
		*low = *d;
		return true;
	}
}

static bool is_frame_record(uint64_t rec)
{
	return KCT_RECORD_KIND(rec) == KCT_RECORD_KIND_ENTRY ||
	       KCT_RECORD_KIND(rec) == KCT_RECORD_KIND_EXIT;
}

const struct framing framing_words = { KCT_MODE_TRACE_PC_EXT, 0 };

/*
 * Words of the record at rec[i], of fr's framing (kct_record_words()): 0
 * for a type the mode does not have, or a record the end of the buffer
 * cuts off.  Every cut is between records: the loops below step by this.
 */
static inline uint64_t rec_len(const uint64_t *rec, uint64_t i, uint64_t count,
			       const struct framing *fr)
{
	uint32_t len = kct_record_words(rec[i], fr->mode, fr->memory_words);

	return len <= count - i ? len : 0;
}

/*
 * start and open as cut_scan(); false if the records cannot be cut.  Of a
 * buffer whose records cannot all be framed (a record of a type its mode
 * does not have), nothing is cut; a record the end cuts off is left where
 * it is, after the last whole one.
 */
static bool scan(const uint64_t *rec, uint64_t count, const struct framing *fr, struct cut *c)
{
	int64_t d = 0, low, lowest = 0, top = -1;
	bool frames = false;
	uint64_t i, len, end;

	c->start = 0;
	c->open = count;
	for (i = 0; i < count; i += len) {
		len = rec_len(rec, i, count, fr);
		if (!len) {
			if (kct_record_words(rec[i], fr->mode, fr->memory_words))
				break;	/* cut off at the end */
			return false;
		}
		if (!step(rec[i], &d, &low))
			return false;
		if (low < lowest)
			lowest = low;
		frames |= is_frame_record(rec[i]);
	}
	end = i;	/* the end of the last whole record */
	if (!frames)
		return false;
	if (lowest < 0) {
		for (d = 0, i = 0; i < end; i += len) {
			len = rec_len(rec, i, count, fr);
			step(rec[i], &d, &low);
			if (d == lowest)
				break;
		}
		/* Never back at its lowest after a record: where the stop
		 * ends is not known. */
		if (i == end)
			return false;
		c->start = i + len;
	}
	for (d = 0, i = c->start; i < end; i += len) {
		int64_t before = d;

		len = rec_len(rec, i, count, fr);
		step(rec[i], &d, &low);
		if (before == 0 && d > 0)
			top = (int64_t)i;
	}
	if (d > 0 && top >= 0)
		c->open = (uint64_t)top;
	return true;
}

bool cut_scan_framed(const uint64_t *rec, uint64_t count, const struct framing *fr, struct cut *c)
{
	return scan(rec, count, fr, c);
}

bool cut_scan(const uint64_t *rec, uint64_t count, struct cut *c)
{
	return scan(rec, count, &framing_words, c);
}

/*
 * A --syscalls stream holds the records from the syscall-entry stop to the
 * syscall-exit stop: the end of the entry stop (exits, see above), then at
 * the lowest depth the syscall's frame (__x64_sys_NAME, or the first
 * instrumented function under it, or several frames where the entry point
 * is not instrumented), perhaps next to frames of the entry and exit work
 * (seccomp, audit, syscall tracepoints) and of interrupts' exit work (7.3
 * rearms deferred hrtimers on the way out of an interrupt, in the task's
 * context: __hrtimer_rearm_deferred() is a top-level frame wherever the
 * interrupt hit the task between its frames), and last the entries into
 * the exit stop (ptrace_notify() and below), still open.  The syscall's
 * frame is, when symbols say (is_syscall), the first top-level frame whose
 * function is a syscall's entry point.  Else the structure alone cannot
 * tell which top-level frame is the syscall's (an interrupt's exit work
 * can be larger than a whole call of getsid()), and the stream keeps them
 * all: from the first top-level frame to the end of the last one that
 * returned, if the call returned (the frames still open at the end are
 * the exit stop's); to the end, if it did not (exit(), exit_group(), a
 * fatal signal: the stream ends when the task is gone, in the frames of
 * its exit; or a full buffer).  Verified on the lab kernel with --syscalls
 * all: every stream then starts at a syscall's entry frame, or at an
 * interrupt's exit work before it, and decodes balanced, but for exit()
 * and exit_group().
 */
bool cut_syscall_framed(const uint64_t *rec, uint64_t count, const struct framing *fr,
			syscall_pc_fn is_syscall, void *ctx, bool returned, uint64_t *from,
			uint64_t *to)
{
	uint64_t first = count, last_end = 0, len;
	int64_t d = 0, low;
	struct cut c;

	if (!scan(rec, count, fr, &c))
		return false;
	for (uint64_t i = c.start; i < count; i += len) {
		int64_t before = d;

		len = rec_len(rec, i, count, fr);
		if (!len)
			break;	/* scan() framed them all: one cut off */
		step(rec[i], &d, &low);
		/* (Not at a frame pushed by an EESUM record.) */
		if (before == 0 && d > 0 && KCT_RECORD_KIND(rec[i]) == KCT_RECORD_KIND_ENTRY) {
			if (first == count)
				first = i;
			if (is_syscall &&
			    is_syscall(ctx, (rec[i] & KCT_RECORD_IP_MASK) | KCT_PC_FILL_KERNEL) > 0) {
				/* Named: the syscall, returned or not. */
				*from = i;
				for (d = 1, i += len; i < count && d > 0; i += len) {
					len = rec_len(rec, i, count, fr);
					if (!len) {
						i = count;
						break;
					}
					step(rec[i], &d, &low);
				}
				*to = i;
				return true;
			}
		}
		if (before > 0 && d == 0 && first < count)
			last_end = i + len;
	}
	if (first == count)
		return false;
	*from = first;
	if (!returned)
		*to = count;
	else
		*to = last_end > first ? last_end : first;	/* none returned: empty */
	return true;
}

bool cut_syscall(const uint64_t *rec, uint64_t count, syscall_pc_fn is_syscall, void *ctx,
		 bool returned, uint64_t *from, uint64_t *to)
{
	return cut_syscall_framed(rec, count, &framing_words, is_syscall, ctx, returned, from, to);
}

uint64_t cut_sections_framed(const uint64_t *rec, uint64_t count, const struct framing *fr,
			     void (*fn)(void *ctx, uint64_t from, uint64_t to), void *ctx)
{
	uint64_t begin = 0, n = 0, len;
	int64_t d = 0, low;
	struct cut c;

	/* Each section starts at depth 0: nothing to cut at the start. */
	if (!scan(rec, count, fr, &c) || c.start) {
		if (count)
			fn(ctx, 0, count);
		return count ? 1 : 0;
	}
	for (uint64_t i = 0; i < count; i += len) {
		int64_t before = d;

		len = rec_len(rec, i, count, fr);
		if (!len) {
			/* The last record, cut off: its section's, if open. */
			if (d > 0)
				break;
			return n;
		}
		step(rec[i], &d, &low);
		if (before == 0 && d > 0)
			begin = i;
		if (before > 0 && d == 0) {
			fn(ctx, begin, i + len);
			n++;
		}
	}
	if (d > 0) {
		fn(ctx, begin, count);
		n++;
	}
	return n;
}

uint64_t cut_sections(const uint64_t *rec, uint64_t count,
		      void (*fn)(void *ctx, uint64_t from, uint64_t to), void *ctx)
{
	return cut_sections_framed(rec, count, &framing_words, fn, ctx);
}

/* ---- the streams of a followed task ---- */

struct task_state {
	uint64_t since;		/* the clock when the buffer was last reset */
	uint64_t *exec;		/* the exec stream's records up to its stop */
	uint64_t exec_len;
	uint64_t exec_since;	/* the clock at the exec's stop */
	int exec_nr;		/* its syscall, or -1: none pending */
	bool exec_overflow;
	int syscall;		/* --syscalls: the call in progress, or -1 */
	uint64_t args[6];
	char *strings[6];	/* what they point to, where they are paths */
	/* The userspace filter, or NULL; the buffer's records it took, and
	 * what it kept of them. */
	struct kct_filter *filter;
	uint64_t fed;
	uint64_t *kept;
	uint64_t nr_kept, kept_cap;
};

/*
 * The task's records since its buffer was last reset, as the cuts see
 * them: the buffer's, or what the filter keeps of them.  NULL when out of
 * memory.
 */
static const uint64_t *task_records(struct task_state *st, const struct follow_task *t,
				    uint64_t *count)
{
	const uint64_t *rec = kct_session_records(t->kcov);
	uint64_t n = kct_session_count(t->kcov);

	if (!st->filter) {
		*count = n;
		return rec;
	}
	/* The count only grows until kcovtrace resets it. */
	if (n > st->fed) {
		if (st->nr_kept + (n - st->fed) > st->kept_cap) {
			uint64_t cap = st->nr_kept + (n - st->fed) + 4096;
			uint64_t *v = realloc(st->kept, cap * sizeof(*v));

			if (!v)
				return NULL;
			st->kept = v;
			st->kept_cap = cap;
		}
		/* The filter's only error is for arguments it never gets. */
		st->nr_kept += kct_filter_records(st->filter, rec + st->fed, n - st->fed,
						  st->kept + st->nr_kept);
		st->fed = n;
	}
	*count = st->nr_kept;
	return st->kept;
}

/* A new stream begins: the filter takes what is left first. */
static int task_reset(const struct streams *s, struct task_state *st, const struct follow_task *t)
{
	uint64_t n;

	if (st->filter && !task_records(st, t, &n))
		return -1;
	kct_session_reset(t->kcov);
	st->fed = st->nr_kept = 0;
	st->since = s->clock;
	return 0;
}

static void task_meta(struct stream_meta *m, const struct follow_task *t, uint32_t kind,
		      const char *comm, uint64_t start)
{
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->kind = kind;
	m->pid = t->pid;
	m->tid = t->tid;
	m->ppid = t->ppid;
	memcpy(m->comm, comm, sizeof(m->comm));
	m->comm[sizeof(m->comm) - 1] = '\0';
	m->syscall = -1;
	m->mode = t->mode;
	m->memory_words = t->memory_words;
}

static bool buffer_full(const struct follow_task *t)
{
	return kct_session_full(t->kcov);
}

static int append(struct task_state *st, const uint64_t *rec, uint64_t count)
{
	uint64_t *v;

	if (!count)
		return 0;
	v = realloc(st->exec, (st->exec_len + count) * sizeof(*v));
	if (!v)
		return -1;
	memcpy(v + st->exec_len, rec, count * sizeof(*v));
	st->exec = v;
	st->exec_len += count;
	return 0;
}

/*
 * The task's records since its last stop of interest, at another one: the
 * end of a pending exec stream, then its stream until now; at an exec stop
 * (exec_nr >= 0), the start of the exec is kept pending.
 */
static int take(struct streams *s, const struct follow_event *ev, int exec_nr)
{
	const struct follow_task *t = ev->task;
	struct task_state *st = t->data;
	uint64_t count, end;
	const uint64_t *rec = task_records(st, t, &count);
	const struct framing fr = { t->mode, t->memory_words };
	bool full = buffer_full(t);
	struct stream_meta m;
	struct cut c;
	bool frames;

	if (!rec)
		return -1;
	frames = cut_scan_framed(rec, count, &fr, &c);

	if (st->exec_nr >= 0) {
		task_meta(&m, t, KCT_STREAM_KIND_EXEC, t->comm, st->exec_since);
		m.syscall = st->exec_nr;
		if (st->exec_overflow) {
			/*
			 * The buffer filled up before the exec's stop: what
			 * the exec did from then to the stop is lost, and its
			 * end here must not be joined to its start as if
			 * nothing were missing.  Its start is a stream of its
			 * own, and its end another, which says the loss.
			 */
			m.overflow = true;
			if (st->exec_len)
				s->emit(s->ctx, &m, st->exec, st->exec_len);
			st->exec_len = 0;
			m.resumed = true;
			m.start = st->since;
		}
		if (append(st, rec, c.start))
			return -1;
		/* The exec never got back to user mode in this buffer. */
		m.overflow = full && c.start == 0 && count;
		if (st->exec_len)
			s->emit(s->ctx, &m, st->exec, st->exec_len);
		free(st->exec);
		st->exec = NULL;
		st->exec_len = 0;
		st->exec_nr = -1;
	}
	end = count;
	if (exec_nr >= 0) {
		/*
		 * The command's own exec: what came before it is kcovtrace's
		 * child's, on its way from its first stop to its execve()
		 * (in classic mode, there are no frames to cut it by).
		 */
		if (t->main && t->execs == 1) {
			c.start = frames ? c.open : 0;
			end = c.start;
		} else if (!full) {
			end = c.open;
		}
	}
	task_meta(&m, t, KCT_STREAM_KIND_TASK, exec_nr >= 0 ? ev->old_comm : t->comm, st->since);
	if (exec_nr >= 0)
		m.tid = ev->old_tid;
	m.overflow = full && end == count;
	if (end > c.start)
		s->emit(s->ctx, &m, rec + c.start, end - c.start);
	if (exec_nr >= 0) {
		st->exec_nr = exec_nr;
		/* It began in the records since the last reset, after
		 * what the task did before it: its stop is a closer mark of
		 * when, among the other tasks' events. */
		st->exec_since = s->clock;
		st->exec_overflow = full;
		if (append(st, rec + end, count - end))
			return -1;
	}
	return 0;
}

/*
 * At a syscall's entry stop, the strings its arguments point to, where
 * they are paths, as strace shows them: read from the task's memory, up
 * to a byte more than a trace keeps (so that the writer knows to say it
 * cut one).  Through /proc/TID/mem, which the tracer of a stopped task may
 * read, rather than process_vm_readv(), which a kernel without
 * CONFIG_CROSS_MEMORY_ATTACH (the lab's) lacks; it reads up to the first
 * page that is not mapped.  A string that cannot be read (a bad pointer)
 * is none.
 */
static void read_strings(const struct streams *s, struct task_state *st,
			 const struct follow_task *t, int nr, const uint64_t *args)
{
	uint32_t which = s->string_args ? s->string_args(nr) : 0;
	char path[64];
	int fd = -1;

	for (int n = 0; n < 6; n++) {
		free(st->strings[n]);
		st->strings[n] = NULL;
	}
	if (!which)
		return;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)t->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	for (int n = 0; fd >= 0 && n < 6; n++) {
		char buf[KCT_ARG_STRING_MAX + 2];
		ssize_t got;

		if (!(which >> n & 1) || !args[n] || args[n] > INT64_MAX)
			continue;
		got = pread(fd, buf, sizeof(buf) - 1, (off_t)args[n]);
		if (got <= 0)
			continue;
		buf[got] = '\0';
		st->strings[n] = strdup(buf);
	}
	if (fd >= 0)
		close(fd);
}

static bool wanted(const struct streams *s, int nr)
{
	return s->all_syscalls || (nr >= 0 && nr < s->nr_wanted && s->wanted[nr]);
}

static int emit_syscall(struct streams *s, const struct follow_task *t, struct task_state *st,
			bool returned)
{
	uint64_t count, from = 0, to;
	const uint64_t *rec = task_records(st, t, &count);
	const struct framing fr = { t->mode, t->memory_words };
	struct stream_meta m;

	if (!rec)
		return -1;
	to = count;
	/* At the exit stop, the call returned, unless the buffer filled up
	 * before it did; at the task's exit, it never will. */
	cut_syscall_framed(rec, count, &fr, s->is_syscall, s->is_syscall_ctx,
			   returned && !buffer_full(t), &from, &to);
	task_meta(&m, t, KCT_STREAM_KIND_SYSCALL, t->comm, st->since);
	m.syscall = st->syscall;
	memcpy(m.args, st->args, sizeof(m.args));
	memcpy(m.strings, st->strings, sizeof(m.strings));
	m.overflow = buffer_full(t) && to == count;
	if (st->syscall < s->nr_wanted)
		s->matched[st->syscall]++;
	s->emit(s->ctx, &m, rec + from, to - from);
	st->syscall = -1;
	return 0;
}

int streams_event(struct streams *s, const struct follow_event *ev)
{
	struct follow_task *t = ev->task;
	struct task_state *st = t->data;
	int err = 0;

	s->clock++;
	switch (ev->type) {
	case FOLLOW_NEW:
		st = calloc(1, sizeof(*st));
		if (!st)
			return -1;
		st->since = s->clock;
		st->exec_nr = -1;
		st->syscall = -1;
		t->data = st;
		if (s->filter && t->filter_err && kct_filter_new(s->filter, &st->filter))
			return -1;
		break;
	case FOLLOW_EXEC:
		if (!s->syscalls)
			err = take(s, ev, ev->nr);
		if (!err && (!s->syscalls || st->syscall < 0))
			err = task_reset(s, st, t);
		break;
	case FOLLOW_SYSCALL_ENTRY:
		st->syscall = -1;
		/* Before the command's exec, the syscalls are kcovtrace's; a
		 * call not asked for is nobody's either. */
		if ((!t->main || t->execs) && wanted(s, ev->nr)) {
			st->syscall = ev->nr;
			memcpy(st->args, ev->args, sizeof(st->args));
			read_strings(s, st, t, ev->nr, ev->args);
		}
		err = task_reset(s, st, t);
		break;
	case FOLLOW_SYSCALL_EXIT:
		if (st->syscall >= 0)
			err = emit_syscall(s, t, st, true);
		if (!err)
			err = task_reset(s, st, t);
		break;
	case FOLLOW_EXIT:
		if (!s->syscalls)
			err = take(s, ev, -1);
		else if (st->syscall >= 0)
			err = emit_syscall(s, t, st, false);
		free(st->exec);
		free(st->kept);
		for (int n = 0; n < 6; n++)
			free(st->strings[n]);
		kct_filter_free(st->filter);
		free(st);
		t->data = NULL;
		break;
	case FOLLOW_UNTRACED:
		/* No stream: it never had a buffer. */
		break;
	}
	return err;
}
