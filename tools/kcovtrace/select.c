// SPDX-License-Identifier: GPL-2.0-only
/*
 * What replay, report and dump show of a trace: the streams selected by
 * --stream, --tid and --pid, the frames selected by -F, -N and --collapse,
 * and the reading of those streams with what it finds wrong said once per
 * trace.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>

#include "events.h"
#include "hashmap.h"
#include "kcovtrace.h"
#include "messages.h"
#include "options.h"
#include "select.h"
#include "symbols.h"
#include "traces.h"

static void globs_add(struct globs *g, const char *pattern)
{
	g->v = realloc(g->v, (g->n + 1) * sizeof(*g->v));
	if (!g->v)
		die("out of memory");
	g->v[g->n++] = pattern;
	if (!g->matched && !(g->matched = calloc(1, sizeof(*g->matched))))
		die("out of memory");
}

static void globs_free(struct globs *g)
{
	free(g->v);
	if (g->matched)
		hashmap_free(g->matched);
	free(g->matched);
}

/*
 * The patterns are matched once per function, not at every ENTER (a
 * snprintf() and an fnmatch() per pattern each time): by the function's
 * start and its name's address, one name per start in the symbolizer,
 * and the function's first answer kept.
 */
bool globs_match(const struct globs *g, const struct pc_name *n)
{
	struct hashmap_entry *e;
	char name[512];
	bool added;

	if (!n->name || !g->n)
		return false;
	e = hashmap_get(g->matched, n->addr, (uint64_t)(uintptr_t)n->name, &added);
	if (!added)
		return e->value == 2;
	snprintf(name, sizeof(name), "%.*s", (int)n->len, n->name);
	e->value = 1;
	for (int i = 0; i < g->n; i++)
		if (!fnmatch(g->v[i], name, 0)) {
			e->value = 2;
			break;
		}
	return e->value == 2;
}

/* "task,exec": the kinds as a mask of 1 << KCT_STREAM_KIND_*. */
static uint32_t parse_kinds(const char *arg)
{
	static const uint32_t kinds[] = {
		KCT_STREAM_KIND_TASK, KCT_STREAM_KIND_EXEC, KCT_STREAM_KIND_SYSCALL,
		KCT_STREAM_KIND_REMOTE,
	};
	uint32_t mask = 0;
	const char *p = arg;

	do {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strlen(stream_kind_name(kinds[i])) == len &&
			    !strncmp(stream_kind_name(kinds[i]), p, len))
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0]))
			usage_die("--kind: unknown stream kind '%.*s' (task, exec, syscall, remote)",
				  (int)len, p);
		mask |= 1u << kinds[i];
		p += len;
	} while (*p++ == ',');
	return mask;
}

void selection_init(struct selection *s)
{
	*s = (struct selection){ .stream = -1, .tid = -1, .pid = -1 };
}

void selection_given(struct selection *s, const char *opt, const char *arg)
{
	size_t len = strlen(opt) + (arg ? 1 + strlen(arg) : 0);

	s->given = realloc(s->given, s->given_len + len + 2);
	if (!s->given)
		die("out of memory");
	s->given_len += sprintf(s->given + s->given_len, "%s%s%s%s", s->given_len ? " " : "", opt,
				arg ? " " : "", arg ? arg : "");
}

bool select_option(struct selection *s, int c, const char *arg)
{
	switch (c) {
	case OPT_STREAM:
		/* Not -1, which is "any stream". */
		s->stream = parse_ulong_max(arg, "--stream", UINT32_MAX);
		selection_given(s, "--stream", arg);
		return true;
	case OPT_TID:
		s->tid = parse_ulong_max(arg, "--tid", INT32_MAX);
		selection_given(s, "--tid", arg);
		return true;
	case OPT_PID:
		s->pid = parse_ulong_max(arg, "--pid", INT32_MAX);
		selection_given(s, "--pid", arg);
		return true;
	case OPT_KIND:
		s->kinds |= parse_kinds(arg);
		selection_given(s, "--kind", arg);
		return true;
	case 'F':
		globs_add(&s->filter, arg);
		selection_given(s, "-F", arg);
		return true;
	case 'N':
		globs_add(&s->exclude, arg);
		selection_given(s, "-N", arg);
		return true;
	case OPT_COLLAPSE:
		globs_add(&s->collapse, arg);
		selection_given(s, "--collapse", arg);
		return true;
	}
	return false;
}

void selection_free(struct selection *s)
{
	globs_free(&s->filter);
	globs_free(&s->exclude);
	globs_free(&s->collapse);
	free(s->given);
}

bool eesum_visible(struct kct_event *ev, long d, long levels, bool reopen)
{
	long low = d + ev->mindelta, end = d + ev->delta;
	long v0 = d < levels ? d : levels, vmin = low < levels ? low : levels;
	long v1 = end < levels || (reopen && low < levels) ? end : levels;

	if (v0 == vmin && v0 == v1)
		return false;
	ev->depth = (uint32_t)v0;
	ev->delta = (int32_t)(v1 - v0);
	ev->mindelta = (int32_t)(vmin - v0);
	return true;
}

static bool stream_selected(const struct selection *s, uint32_t i,
			    const struct kct_stream_info *sh)
{
	return (s->stream < 0 || s->stream == i) && (s->tid < 0 || s->tid == sh->tid) &&
	       (s->pid < 0 || s->pid == sh->pid) &&
	       (!s->kinds || (sh->kind < 32 && (s->kinds >> sh->kind & 1)));
}

void reading_open(struct reading *r, const char *path, const struct selection *sel)
{
	KCT_OPTS(kct_stream_info, sh);
	uint32_t selected = 0;

	*r = (struct reading){ .path = path, .sel = sel, .info.sz = sizeof(r->info) };
	r->trace = open_trace(path);
	kct_trace_get_info(r->trace, &r->info);
	if (sel->stream >= (long)r->info.nr_streams)
		die("%s has %u streams (numbered from 0), no stream %ld", path,
		    r->info.nr_streams, sel->stream);
	for (uint32_t i = 0; i < r->info.nr_streams; i++) {
		kct_trace_stream(r->trace, i, &sh);
		selected += stream_selected(sel, i, &sh);
		r->streams_overflowed += !!(sh.flags & KCT_STREAM_F_OVERFLOW);
	}
	/* A --tid or --pid of no stream: say so rather than print nothing. */
	if (!selected && r->info.nr_streams) {
		char what[96] = "";
		size_t n = 0;

		if (sel->stream >= 0)
			n += snprintf(what + n, sizeof(what) - n, " %ld", sel->stream);
		if (sel->tid >= 0)
			n += snprintf(what + n, sizeof(what) - n, " of task %ld", sel->tid);
		if (sel->pid >= 0)
			n += snprintf(what + n, sizeof(what) - n, " of process %ld", sel->pid);
		if (sel->kinds)
			snprintf(what + n, sizeof(what) - n, " of the kinds asked for");
		die("%s: no stream%s", path, what);
	}
	r->nr_selected = selected;
}

bool reading_next(struct reading *r, uint32_t *i, struct kct_stream_info *sh)
{
	while (r->next < r->info.nr_streams) {
		*i = r->next++;
		kct_trace_stream(r->trace, *i, sh);
		if (!stream_selected(r->sel, *i, sh))
			continue;
		r->selected_records += sh->records;
		if (sh->flags & KCT_STREAM_F_OVERFLOW) {
			if (r->nr_overflowed < sizeof(r->overflowed) / sizeof(r->overflowed[0])) {
				r->overflowed[r->nr_overflowed] = *i;
				r->lost[r->nr_overflowed] = sh->lost;
			}
			r->nr_overflowed++;
		}
		return true;
	}
	return false;
}

struct kct_decoder *reading_decoder(struct reading *r, uint32_t i)
{
	struct kct_stream_info sh = { .sz = sizeof(sh) };

	kct_trace_stream(r->trace, i, &sh);
	r->decoding = i;
	r->decoding_flags = sh.flags;
	/* Where records were lost, an exit may close a frame whose entry
	 * was lost (a trace of an older kcovtrace joined an exec's two
	 * halves across a loss): that says nothing of the symbols. */
	check_exits_in_stream(!(sh.flags & (KCT_STREAM_F_OVERFLOW | KCT_STREAM_F_RESUMED)));
	return open_stream(r->trace, i, r->path);
}

void reading_done(struct reading *r, struct kct_decoder *dec)
{
	KCT_OPTS(kct_decoder_stats, st);

	kct_decoder_get_stats(dec, &st);
	if (st.unknown && !r->unknown++)
		r->unknown_stream = r->decoding;
	r->unknown_records += st.unknown;
	if (st.partial && !r->partial++)
		r->partial_stream = r->decoding;
	/* A task that exited never returns from its way out: not a repair. */
	if (r->unbalanced.exit_path <= st.unfinished)
		st.unfinished -= r->unbalanced.exit_path;
	r->unbalanced.exit_path = 0;
	/* Nor are frames open where the buffer filled up, or closed after
	 * records were lost: the warning of the loss says why. */
	if (r->decoding_flags & KCT_STREAM_F_OVERFLOW)
		st.unfinished = 0;
	if (r->decoding_flags & KCT_STREAM_F_RESUMED)
		st.orphan_exits = 0;
	r->repaired_streams += st.orphan_exits || st.unfinished;
	r->orphan_exits += st.orphan_exits;
	r->unfinished += st.unfinished;
	kct_decoder_free(dec);
}

void warn_classic_coverage(const struct reading *r)
{
	warn("%s holds classic KCOV_TRACE_PC coverage: its PCs and records per function "
	     "(dump --format pcs, report), but no calls and no call tree", r->path);
}

void reading_close(struct reading *r)
{
	warn_unbalanced(r->path, &r->unbalanced);
	if (r->nr_overflowed) {
		char list[256];
		size_t n = 0, shown = r->nr_overflowed;

		if (shown > sizeof(r->overflowed) / sizeof(r->overflowed[0]))
			shown = sizeof(r->overflowed) / sizeof(r->overflowed[0]);
		for (size_t k = 0; k < shown && n < sizeof(list); k++) {
			if (r->lost[k] == KCT_LOST_UNKNOWN)
				n += snprintf(list + n, sizeof(list) - n, "%sstream %u (how many lost: unknown)",
					      k ? ", " : "", r->overflowed[k]);
			else
				n += snprintf(list + n, sizeof(list) - n, "%sstream %u (%llu lost)",
					      k ? ", " : "", r->overflowed[k],
					      (unsigned long long)r->lost[k]);
		}
		if (r->nr_overflowed > shown && n < sizeof(list))
			snprintf(list + n, sizeof(list) - n, ", and %llu more",
				 (unsigned long long)(r->nr_overflowed - shown));
		warn("%s: the kcov buffer of %u %s filled up, and records were lost: %s", r->path,
		     r->nr_overflowed, plural(r->nr_overflowed, "stream", "streams"), list);
	} else if ((r->info.flags & KCT_TRACE_F_OVERFLOW) && !r->streams_overflowed) {
		/* A writer that does not say which stream. */
		warn("%s: a kcov buffer filled up while recording, and records were lost", r->path);
	}
	if (r->unknown)
		warn("%s: %llu %s of unknown type skipped, in %u %s (the first: stream %u)", r->path,
		     (unsigned long long)r->unknown_records,
		     plural(r->unknown_records, "record", "records"), r->unknown,
		     plural(r->unknown, "stream", "streams"), r->unknown_stream);
	if (r->partial)
		warn("%s: a memory access record cut off where the kcov buffer ended was dropped, "
		     "in %u %s (the first: stream %u)", r->path, r->partial,
		     plural(r->partial, "stream", "streams"), r->partial_stream);
	if (r->repaired_streams) {
		char before[64] = "", open[96] = "";

		/* Only the kinds there are. */
		if (r->orphan_exits)
			snprintf(before, sizeof(before), "%llu entered before %s stream began%s",
				 (unsigned long long)r->orphan_exits,
				 plural(r->orphan_exits, "its", "their"), r->unfinished ? ", " : "");
		if (r->unfinished)
			snprintf(open, sizeof(open),
				 "%llu still open at %s end or where the call tree restarts",
				 (unsigned long long)r->unfinished, plural(r->unfinished, "its", "their"));
		warn("%s: the decoder completed %llu %s in %u %s: %s%s", r->path,
		     (unsigned long long)(r->orphan_exits + r->unfinished),
		     plural(r->orphan_exits + r->unfinished, "frame", "frames"),
		     r->repaired_streams, plural(r->repaired_streams, "stream", "streams"),
		     before, open);
	}
	if (r->info.flags & KCT_TRACE_F_INTERRUPTED)
		warn("%s: the recording was stopped before its command ended: the streams of the "
		     "tasks still running then end where kcovtrace killed them", r->path);
	kct_trace_close(r->trace);
}

int reading_status(const struct reading *r, const char *verb, uint64_t shown, const char *what)
{
	const char *in_them;

	if (shown)
		return 0;
	if (!r->info.nr_streams) {
		fprintf(stderr, "kcovtrace: %s: %s holds no streams\n", verb, r->path);
		return 1;
	}
	if (!r->sel->given) {
		fprintf(stderr, "kcovtrace: %s: %s holds no %s\n", verb, r->path,
			r->selected_records ? what : "records");
		return 1;
	}
	/* Said apart: the streams selected are empty, nothing was filtered. */
	if (r->selected_records)
		in_them = "";
	else if (r->nr_selected == r->info.nr_streams)
		in_them = plural(r->nr_selected, " (its stream holds no records)",
				 " (its streams hold no records)");
	else
		in_them = plural(r->nr_selected, " (the stream selected holds no records)",
				 " (the streams selected hold no records)");
	fprintf(stderr, "kcovtrace: %s: %s matched nothing in %s%s\n", verb, r->sel->given, r->path,
		in_them);
	return 1;
}
