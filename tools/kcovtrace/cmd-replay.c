// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace replay: the call tree of a trace, one record per line, in the
 * format of the KCOV_TRACE_PC_EXT example: ENTER, BB and EXIT indented by
 * call depth, an EESUM line where kcov summed up an untraced stretch; in a
 * KCOV_TRACE_MEMORY_ACCESS trace, a line per memory access, wait and wake
 * too, as leaves of the frame they happened in.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "kcovtrace-tool.h"
#include "kcovtrace.h"
#include "messages.h"
#include "options.h"
#include "output.h"
#include "select.h"
#include "symbols.h"
#include "terminal.h"
#include "traces.h"

static const char replay_usage[] =
"usage: kcovtrace replay [options] [FILE]\n"
"\n"
"Print the call tree recorded in FILE (a kcovtrace trace, or a raw kcov\n"
"buffer: the count, then the records): ENTER, BB and EXIT records indented\n"
"by call depth, and an EESUM line (delta, mindelta) where kcov summed up\n"
"the calls and returns of a stretch it did not trace (a context switch).\n"
"Frames open before the trace began ([unknown caller]) or still open at\n"
"its end are marked; after an EESUM record that cannot be balanced the\n"
"tree starts again.  Each stream comes under a heading naming it and its\n"
"task, unless --stream picks one; a stream with no line to show has none.\n"
"Nothing to show at all is said on stderr, and the exit status is 1.\n"
"\n"
"A KCOV_TRACE_MEMORY_ACCESS trace shows each memory access as a line in\n"
"its function's frame: R (read), W (write) or M (read-modify-write), A\n"
"after it for an atomic access, F for a slab free; the data address, the\n"
"size in bytes, \"= VALUE\" where the kernel recorded the value, and the\n"
"variable the address is in where the symbols have it.  A wait on a sync\n"
"bit is \"wait bit N\" (\"timed out\" if it did), a wake \"wake bit N\".\n"
"\n"
"  --depth N          show N levels of calls (N >= 1), 1 the outermost, and\n"
"                     the blocks of level N: what record --max-depth N\n"
"                     records\n"
"  --no-blocks        hide BB records, show calls only\n"
"  --no-lines         no file:line even where DWARF has it\n"
"  --call-sites       KCOV_TRACE_MEMORY_ACCESS: each ENTER says where it was\n"
"                     called from (from FUNCTION+OFFSET)\n"
SELECT_HELP
SYMBOL_HELP
TERMINAL_HELP
"  -h, --help         this text\n";

/*
 * The function of an open frame's entry, found at its ENTER: the blocks
 * and the exit of the frame are named from it where their PC is in its
 * range (as pc_name() takes a PC in the range of the last function it
 * found), not looked up again after every call the frame makes.
 */
struct frame_fn {
	uint64_t entry_pc;	/* 0: none */
	uint64_t size;
	struct pc_name n;	/* of entry_pc's code (not a .cold part's
				   frame: pc_name()'s) */
};

struct replay {
	struct kct_symbolizer *sym;
	struct frame_fn *frames;	/* by depth */
	size_t frames_cap;
	struct out out;
	struct selection sel;
	unsigned long max_depth;
	bool blocks, lines, call_sites;
	const char *heading;	/* the stream's, until its first line */
	uint64_t shown;		/* lines of records */
};

/* Before a line of the stream: its heading, if it has one not yet out. */
static inline void replay_line(struct replay *r)
{
	if (r->heading) {
		if (r->shown)
			out_char(&r->out, '\n');
		out_str(&r->out, color(COLOR_HEADING));
		out_str(&r->out, "# ");
		out_str(&r->out, r->heading);
		out_str(&r->out, color(COLOR_RESET));
		out_char(&r->out, '\n');
		r->heading = NULL;
	}
	r->shown++;
}

/* What the tree says of a line, [in brackets], after two spaces. */
static void mark(struct replay *r, const char *text, const char *more)
{
	out_str(&r->out, "  ");
	out_str(&r->out, color(COLOR_MARK));
	out_str(&r->out, text);
	out_str(&r->out, more);
	out_str(&r->out, color(COLOR_RESET));
}

/* The frame at depth d was entered at pc, of the function pc_name() found
 * last. */
static void frame_entered(struct replay *r, uint32_t d, uint64_t pc)
{
	if (d >= r->frames_cap) {
		size_t cap = r->frames_cap ? r->frames_cap * 2 : 256;

		while (cap <= d)
			cap *= 2;
		r->frames = realloc(r->frames, cap * sizeof(*r->frames));
		if (!r->frames)
			die("out of memory");
		memset(r->frames + r->frames_cap, 0, (cap - r->frames_cap) * sizeof(*r->frames));
		r->frames_cap = cap;
	}
	r->frames[d] = (struct frame_fn){ pc, pc_name_cache.size, pc_name_cache.last };
}

/* pc_name() of a block's or an exit's PC in the frame at depth d: the
 * frame's function if the PC is in it, with the look-up counted as
 * pc_name() counts it. */
static inline void name_in_frame(struct replay *r, const struct kct_event *ev, uint32_t d,
				 struct pc_name *n)
{
	const struct frame_fn *f = d < r->frames_cap ? &r->frames[d] : NULL;

	if (f && ev->pc && ev->entry_pc && f->entry_pc == ev->entry_pc &&
	    ev->pc - f->n.addr < f->size) {
		pc_name_cache.lookups++;
		*n = f->n;
		return;
	}
	pc_name(r->sym, ev->pc, n);
}

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
	struct frame_filter filter;
	struct pc_name n;
	static struct event_reader events;
	struct kct_event *ev;

	frame_filter_init(&filter, &r->sel);
	event_reader_init(&events, dec, stream, unbalanced);
	/* The events in place: only an EESUM event is rewritten, to the
	 * frames shown, and then read no more at its decoder's depth. */
	while ((ev = next_event(&events))) {
		const char *what;
		uint32_t depth;

		/* An ENTER's record is at the function's start; a frame
		 * entered before the trace is named after its function, which
		 * its first record may be in a .cold part of. */
		if (ev->type == KCT_EVENT_ENTER) {
			frame_name(r->sym, ev->pc, &n);
			if (ev->pc && n.name)
				frame_entered(r, ev->depth, ev->pc);
		}
		if (!frame_filter_pass(&filter, ev, &n, &depth))
			continue;
		/*
		 * Calls at depths 0 to max_depth - 1: max_depth levels, with
		 * the blocks of the last (at max_depth), as the kernel's
		 * depth limit keeps them; an EESUM line for the levels shown.
		 */
		if (ev->type == KCT_EVENT_EESUM && r->max_depth != ~0UL &&
		    !(ev->flags & KCT_EVENT_F_SATURATED)) {
			if (!eesum_visible(ev, depth, (long)r->max_depth, false))
				continue;
			depth = ev->depth;
		} else if (depth > r->max_depth ||
			   (depth == r->max_depth && (ev->type == KCT_EVENT_ENTER ||
						      ev->type == KCT_EVENT_EXIT))) {
			/* The leaves of the last level shown (blocks,
			 * accesses, waits, wakes) are shown, as its blocks. */
			continue;
		}

		switch (ev->type) {
		case KCT_EVENT_ENTER:
			what = "ENTER ";
			break;
		case KCT_EVENT_EXIT:
			what = "EXIT  ";
			/* The decoder's depth of its frame. */
			name_in_frame(r, ev, ev->depth, &n);
			break;
		case KCT_EVENT_BLOCK:
			if (!r->blocks)
				continue;
			what = "BB    ";
			/* A block at depth 0 is in no frame. */
			if (ev->depth)
				name_in_frame(r, ev, ev->depth - 1, &n);
			else
				pc_name(r->sym, ev->pc, &n);
			break;
		case KCT_EVENT_EESUM:
			replay_line(r);
			out_spaces(&r->out, 2 * depth);
			out_str(&r->out, "EESUM ");
			out_eesum(&r->out, ev);
			if (ev->flags & KCT_EVENT_F_SATURATED) {
				char problem[64];

				snprintf(problem, sizeof(problem), "[%s", eesum_problem(ev));
				mark(r, problem, ": the call tree restarts]");
			} else {
				/* kcov writes one only where the task was
				 * switched out and back in, and ran code it
				 * did not record: the tree has a gap here. */
				mark(r, "[switched out]", "");
			}
			out_char(&r->out, '\n');
			continue;
		case KCT_EVENT_ACCESS:
			replay_line(r);
			out_spaces(&r->out, 2 * depth);
			out_access(&r->out, r->sym, ev);
			/* Where in the function, where DWARF says. */
			if (r->lines) {
				if (ev->depth)
					name_in_frame(r, ev, ev->depth - 1, &n);
				else
					pc_name(r->sym, ev->pc, &n);
				print_source(r, ev->pc, &n);
			}
			out_char(&r->out, '\n');
			continue;
		case KCT_EVENT_WAIT:
		case KCT_EVENT_WAKE:
			replay_line(r);
			out_spaces(&r->out, 2 * depth);
			out_str(&r->out, ev->type == KCT_EVENT_WAIT ? "wait bit " : "wake bit ");
			out_dec(&r->out, ev->bit);
			if (ev->timed_out)
				out_str(&r->out, " timed out");
			out_char(&r->out, '\n');
			continue;
		default:
			continue;
		}
		/* The EESUM line stands for the frames its record pops and
		 * pushes. */
		if (ev->flags & KCT_EVENT_F_SUPPRESSED)
			continue;
		replay_line(r);
		out_spaces(&r->out, 2 * depth);
		out_str(&r->out, what);
		/* A frame entered before the trace began or the call tree
		 * restarted: its function, if a record names it, and the mark. */
		if (ev->flags & KCT_EVENT_F_UNKNOWN_CALLER) {
			if (n.name && ev->pc)
				out_mem(&r->out, n.name, n.len);
			else if (ev->pc)
				out_hex(&r->out, ev->pc);
			/* No function to set it apart from: no spaces. */
			if (ev->pc)
				mark(r, UNKNOWN_FRAME, "");
			else
				out_str(&r->out, UNKNOWN_FRAME);
			out_char(&r->out, '\n');
			continue;
		}
		out_pc(&r->out, &n, ev->pc);
		/* KCOV_TRACE_MEMORY_ACCESS: the caller's return address. */
		if (r->call_sites && ev->type == KCT_EVENT_ENTER && ev->call_site) {
			struct pc_name from;

			pc_name(r->sym, ev->call_site, &from);
			out_str(&r->out, "  from ");
			out_pc(&r->out, &from, ev->call_site);
			/* The frame's function again, for its exit's look-up. */
			frame_name(r->sym, ev->pc, &n);
		}
		if (ev->flags & KCT_EVENT_F_UNFINISHED)
			mark(r, ev->index < records ? "[still running where the call tree restarts]" :
				"[still running when the trace ended]", "");
		else
			print_source(r, ev->pc, &n);
		out_char(&r->out, '\n');
	}
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "depth", required_argument, NULL, 'd' },
		{ "no-blocks", no_argument, NULL, 'B' },
		{ "no-lines", no_argument, NULL, 'L' },
		{ "call-sites", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		SELECT_LONGOPTS,
		SYMBOL_LONGOPTS,
		TERMINAL_LONGOPTS,
		{ 0 }
	};
	struct replay r = { .max_depth = ~0UL, .blocks = true, .lines = true, .out.f = stdout };
	struct symbol_opts symopts = { 0 };
	KCT_OPTS(kct_stream_info, sh);
	const char *path;
	struct reading rd;
	uint32_t i;
	int c, status;

	selection_init(&r.sel);
	while ((c = getopt_long(argc, argv, SELECT_SHORTOPTS "h", longopts, NULL)) != -1) {
		if (symbol_option(&symopts, c, optarg) || select_option(&r.sel, c, optarg) ||
		    terminal_option(c, optarg))
			continue;
		switch (c) {
		case 'd':
			r.max_depth = parse_ulong(optarg, "--depth");
			if (!r.max_depth) {
				fputs("kcovtrace: replay: --depth takes 1 or more levels\n", stderr);
				return 2;
			}
			selection_given(&r.sel, "--depth", optarg);
			break;
		case 'B':
			r.blocks = false;
			selection_given(&r.sel, "--no-blocks", NULL);
			break;
		case 'L':
			r.lines = false;
			symopts.no_lines = true;
			break;
		case 'C':
			r.call_sites = true;
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return 0;
		default:
			return short_usage(replay_usage);
		}
	}

	path = trace_arg(argc, argv, "replay");
	terminal_start();
	reading_open(&rd, path, &r.sel);
	r.sym = open_symbolizer(&symopts, rd.trace, path);
	/* Only an ELF file has lines: no call per line to learn there are
	 * none. */
	r.lines = r.lines && symopts.elf;
	if (reading_classic(&rd))
		warn_classic_coverage(&rd);
	while (reading_next(&rd, &i, &sh)) {
		struct kct_decoder *dec;
		char title[STREAM_TITLE_MAX + 40];

		/* Out with the stream's first line, if it has one. */
		r.heading = NULL;
		if (rd.info.nr_streams > 1 && r.sel.stream < 0) {
			stream_title(rd.trace, i, &sh, title, STREAM_TITLE_MAX);
			/* Where records were lost: before it, after it. */
			if (sh.flags & KCT_STREAM_F_RESUMED)
				strcat(title, ", after lost records");
			if (sh.flags & KCT_STREAM_F_OVERFLOW)
				strcat(title, ", buffer full");
			r.heading = title;
		}
		dec = reading_decoder(&rd, i);
		replay_stream(&r, dec, i, sh.records, &rd.unbalanced);
		reading_done(&rd, dec);
	}
	r.heading = NULL;
	out_flush(&r.out);
	if (fflush(stdout))
		die("write error");
	reading_close(&rd);
	close_symbolizer(r.sym);
	free(r.frames);
	status = reading_status(&rd, "replay", r.shown, "records");
	selection_free(&r.sel);
	return status;
}
