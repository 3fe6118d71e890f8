// SPDX-License-Identifier: GPL-2.0-only
/*
 * What replay, report and dump show of a trace: the streams selected by
 * --stream, --tid and --pid, the frames selected by -F and -N, and the
 * reading of those streams with what it finds wrong said once per trace.
 */
#include <fnmatch.h>
#include <stdlib.h>

#include "kcovtrace-tool.h"

static void globs_add(struct globs *g, const char *pattern)
{
	g->v = realloc(g->v, (g->n + 1) * sizeof(*g->v));
	if (!g->v)
		die("out of memory");
	g->v[g->n++] = pattern;
}

bool globs_match(const struct globs *g, const struct pc_name *n)
{
	char name[512];

	if (!n->name)
		return false;
	snprintf(name, sizeof(name), "%.*s", (int)n->len, n->name);
	for (int i = 0; i < g->n; i++)
		if (!fnmatch(g->v[i], name, 0))
			return true;
	return false;
}

void selection_init(struct selection *s)
{
	*s = (struct selection){ .stream = -1, .tid = -1, .pid = -1 };
}

bool select_option(struct selection *s, int c, const char *arg)
{
	switch (c) {
	case OPT_STREAM:
		s->stream = parse_ulong(arg, "--stream");
		return true;
	case OPT_TID:
		s->tid = parse_ulong(arg, "--tid");
		return true;
	case OPT_PID:
		s->pid = parse_ulong(arg, "--pid");
		return true;
	case 'F':
		globs_add(&s->filter, arg);
		return true;
	case 'N':
		globs_add(&s->exclude, arg);
		return true;
	}
	return false;
}

void selection_free(struct selection *s)
{
	free(s->filter.v);
	free(s->exclude.v);
}

static bool stream_selected(const struct selection *s, uint32_t i,
			    const struct kct_stream_info *sh)
{
	return (s->stream < 0 || s->stream == i) && (s->tid < 0 || s->tid == sh->tid) &&
	       (s->pid < 0 || s->pid == sh->pid);
}

void reading_open(struct reading *r, const char *path, const struct selection *sel)
{
	struct kct_stream_info sh = { .sz = sizeof(sh) };
	uint32_t selected = 0;

	*r = (struct reading){ .path = path, .sel = sel, .info.sz = sizeof(r->info) };
	r->trace = open_trace(path);
	kct_trace_info(r->trace, &r->info);
	if (sel->stream >= (long)r->info.nr_streams)
		die("%s has %u streams (numbered from 0), no stream %ld", path,
		    r->info.nr_streams, sel->stream);
	for (uint32_t i = 0; i < r->info.nr_streams; i++) {
		kct_trace_stream(r->trace, i, &sh);
		selected += stream_selected(sel, i, &sh);
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
			snprintf(what + n, sizeof(what) - n, " of process %ld", sel->pid);
		die("%s: no stream%s", path, what);
	}
	r->nr_selected = selected;
}

void reading_rewind(struct reading *r)
{
	r->next = 0;
}

bool reading_next(struct reading *r, uint32_t *i, struct kct_stream_info *sh)
{
	while (r->next < r->info.nr_streams) {
		*i = r->next++;
		kct_trace_stream(r->trace, *i, sh);
		if (stream_selected(r->sel, *i, sh))
			return true;
	}
	return false;
}

struct kct_decoder *reading_decoder(struct reading *r, uint32_t i)
{
	return open_stream(r->trace, i, r->path);
}

void reading_done(struct reading *r, struct kct_decoder *dec)
{
	kct_decoder_free(dec);
}

void reading_close(struct reading *r)
{
	warn_unbalanced(r->path, &r->unbalanced);
	kct_trace_close(r->trace);
}
