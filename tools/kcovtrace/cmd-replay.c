// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace replay: the call tree of a trace, one record per line, in the
 * format of the KCOV_TRACE_PC_EXT example: ENTER, BB and EXIT indented by
 * call depth, an EESUM line where kcov summed up an untraced stretch.
 */
#include <fnmatch.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace-tool.h"

static const char replay_usage[] =
"usage: kcovtrace replay [options] FILE\n"
"\n"
"Print the call tree recorded in FILE (a kcovtrace trace, or a raw kcov\n"
"buffer: the count, then the records): ENTER, BB and EXIT records indented\n"
"by call depth, and an EESUM line (delta, mindelta) where kcov summed up\n"
"the calls and returns of a stretch it did not trace (a context switch).\n"
"Frames open before the trace began or still open at its end are marked;\n"
"after an EESUM record that cannot be balanced the tree starts again.\n"
"\n"
"  --depth N          hide records nested deeper than N calls\n"
"  -F, --filter GLOB  show only calls of matching functions and what they\n"
"                     call (repeatable); depth counts from there\n"
"  -N, --exclude GLOB hide calls of matching functions and what they call\n"
"                     (repeatable), e.g. -N '*spin_*lock*' -N 'rcu_*'\n"
"  --no-blocks        hide BB records, show calls only\n"
"  --no-lines         no file:line even where DWARF has it\n"
"  --stream N         only stream N (default: all, each under a heading)\n"
SYMBOL_HELP
"  -h, --help         this text\n";

struct globs {
	const char **v;
	int n;
};

static void globs_add(struct globs *g, const char *pattern)
{
	g->v = realloc(g->v, (g->n + 1) * sizeof(*g->v));
	if (!g->v)
		die("out of memory");
	g->v[g->n++] = pattern;
}

static bool globs_match(const struct globs *g, const struct pc_name *n)
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

struct replay {
	struct kct_symbolizer *sym;
	struct out out;
	struct globs filter, exclude;
	unsigned long max_depth;
	bool blocks, lines;
};

static void print_source(struct replay *r, uint64_t pc, const struct pc_name *n)
{
	struct kct_source src[8];
	int k = r->lines && r->sym ? kct_symbolize_source(r->sym, pc, src, sizeof(src[0]), 8) : -1;

	if (k <= 0 || !src[0].file)
		return;
	out_str(&r->out, "  ");
	out_str(&r->out, src[0].file);
	out_char(&r->out, ':');
	out_dec(&r->out, src[0].line);
	/* Code of an inlined function: say which. */
	if (k > 1 && src[0].function &&
	    (!n->name || strlen(src[0].function) != n->len ||
	     memcmp(src[0].function, n->name, n->len))) {
		out_str(&r->out, " (inlined ");
		out_str(&r->out, src[0].function);
		out_char(&r->out, ')');
	}
}

static void replay_stream(struct replay *r, struct kct_decoder *dec, uint32_t stream,
			  uint64_t records, struct unbalanced *unbalanced)
{
	/* Depth of the filter frame we are in (-1: none), of an excluded one. */
	long shown_from = r->filter.n ? -1 : 0, hidden_from = -1;
	struct pc_name n;
	static struct event_reader events;
	const struct kct_event *evp;

	event_reader_init(&events, dec, stream, unbalanced);
	while ((evp = next_event(&events))) {
		struct kct_event ev = *evp;
		const char *what;
		long depth = ev.depth;

		if (ev.type == KCT_EVENT_ENTER) {
			pc_name(r->sym, ev.pc, &n);
			if (hidden_from < 0 && r->exclude.n && globs_match(&r->exclude, &n))
				hidden_from = depth;
			if (shown_from < 0 && globs_match(&r->filter, &n))
				shown_from = depth;
		}
		if (hidden_from >= 0 || shown_from < 0 || depth < shown_from)
			goto next;
		depth -= shown_from;
		if ((unsigned long)depth > r->max_depth)
			goto next;

		switch (ev.type) {
		case KCT_EVENT_ENTER:
			what = "ENTER ";
			break;
		case KCT_EVENT_EXIT:
			what = "EXIT  ";
			pc_name(r->sym, ev.pc, &n);
			break;
		case KCT_EVENT_BLOCK:
			if (!r->blocks)
				goto next;
			what = "BB    ";
			pc_name(r->sym, ev.pc, &n);
			break;
		case KCT_EVENT_EESUM:
			out_spaces(&r->out, 2 * depth);
			out_str(&r->out, "EESUM ");
			out_eesum(&r->out, &ev);
			if (ev.flags & KCT_EVENT_F_SATURATED) {
				out_str(&r->out, "  [");
				out_str(&r->out, eesum_problem(&ev));
				out_str(&r->out, ": the call tree restarts]");
			}
			out_char(&r->out, '\n');
			goto next;
		default:
			goto next;
		}
		/* The EESUM line stands for the frames its record pops and
		 * pushes. */
		if (ev.flags & KCT_EVENT_F_SUPPRESSED)
			goto next;
		out_spaces(&r->out, 2 * depth);
		out_str(&r->out, what);
		if (ev.flags & KCT_EVENT_F_UNKNOWN_CALLER) {
			if (n.name)
				out_mem(&r->out, n.name, n.len);
			else
				out_char(&r->out, '?');
			/* The first tree starts at record 0, a restarted one
			 * after its EESUM record. */
			out_str(&r->out, ev.index ? "  [entered before the call tree restarted]\n" :
				"  [entered before the trace began]\n");
			goto next;
		}
		out_pc(&r->out, &n, ev.pc);
		if (ev.flags & KCT_EVENT_F_UNFINISHED)
			out_str(&r->out, ev.index < records ?
				"  [still running where the call tree restarts]" :
				"  [still running when the trace ended]");
		else
			print_source(r, ev.pc, &n);
		out_char(&r->out, '\n');
next:
		/* Leaving the frame that started hiding or showing. */
		if (ev.type == KCT_EVENT_EXIT) {
			if (hidden_from == (long)ev.depth)
				hidden_from = -1;
			if (r->filter.n && shown_from == (long)ev.depth)
				shown_from = -1;
		}
	}
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "depth", required_argument, NULL, 'd' },
		{ "filter", required_argument, NULL, 'F' },
		{ "exclude", required_argument, NULL, 'N' },
		{ "no-blocks", no_argument, NULL, 'B' },
		{ "no-lines", no_argument, NULL, 'L' },
		{ "stream", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		SYMBOL_LONGOPTS,
		{ 0 }
	};
	struct replay r = { .max_depth = ~0UL, .blocks = true, .lines = true, .out.f = stdout };
	struct symbol_opts symopts = { 0 };
	struct unbalanced unbalanced = { 0 };
	struct kct_trace_info info = { .sz = sizeof(info) };
	long only_stream = -1;
	struct kct_trace *trace;
	int c;

	while ((c = getopt_long(argc, argv, "F:N:h", longopts, NULL)) != -1) {
		if (symbol_option(&symopts, c, optarg))
			continue;
		switch (c) {
		case 'd':
			r.max_depth = parse_ulong(optarg, "--depth");
			break;
		case 'F':
			globs_add(&r.filter, optarg);
			break;
		case 'N':
			globs_add(&r.exclude, optarg);
			break;
		case 'B':
			r.blocks = false;
			break;
		case 'L':
			r.lines = false;
			break;
		case 's':
			only_stream = parse_ulong(optarg, "--stream");
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return 0;
		default:
			fputs(replay_usage, stderr);
			return 2;
		}
	}
	if (optind != argc - 1)
		usage_die("replay: expected one trace file (see kcovtrace replay --help)");

	trace = open_trace(argv[optind]);
	kct_trace_info(trace, &info);
	if (only_stream >= (long)info.nr_streams)
		die("replay: %s has %u streams", argv[optind], info.nr_streams);
	r.sym = open_symbolizer(&symopts, trace, argv[optind]);
	if (info.mode == KCT_MODE_TRACE_PC)
		warn("%s holds classic KCOV_TRACE_PC coverage: blocks only, no call tree",
		     argv[optind]);
	for (uint32_t i = 0; i < info.nr_streams; i++) {
		struct kct_stream_info sh = { .sz = sizeof(sh) };
		struct kct_decoder *dec;
		char title[128];

		if (only_stream >= 0 && i != only_stream)
			continue;
		kct_trace_stream(trace, i, &sh);
		if (info.nr_streams > 1 && only_stream < 0) {
			out_str(&r.out, i ? "\n# " : "# ");
			out_str(&r.out, stream_title(&sh, title, sizeof(title)));
			out_str(&r.out, sh.flags & KCT_STREAM_F_OVERFLOW ? ", buffer full\n" : "\n");
		}
		dec = open_stream(trace, i, argv[optind]);
		replay_stream(&r, dec, i, sh.records, &unbalanced);
		kct_decoder_free(dec);
	}
	out_flush(&r.out);
	if (fflush(stdout))
		die("write error");
	warn_unbalanced(argv[optind], &unbalanced);
	close_symbolizer(r.sym);
	kct_trace_close(trace);
	free(r.filter.v);
	free(r.exclude.v);
	return 0;
}
