// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace graph: the call graph under a function, every call of it in the
 * selected streams merged into one tree (as uftrace graph): each node a
 * function called from its parent, with how many times and how many records
 * those calls hold, those of what they call included.
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

static const char graph_usage[] =
"usage: kcovtrace graph [options] [FILE [FUNC]]\n"
"\n"
"Print the call graph under FUNC: every call of FUNC in the trace merged\n"
"into one tree of what it calls, each callee with its number of calls and\n"
"the records those calls hold, their callees' included.  A recursive call\n"
"of FUNC shows in the tree of the outer call.  Without FUNC, the graph of\n"
"everything, from the outermost calls of each stream.  FUNC is a function's\n"
"name, or its address (0x...) without symbols.  No call to show (FUNC never\n"
"called) is said on stderr, and the exit status is 1.\n"
"\n"
SELECT_HELP
SYMBOL_HELP
TERMINAL_HELP
"  -h, --help         this text\n";

#define NO_NODE UINT32_MAX

struct node {
	uint64_t key;		/* function start, pc without a symbol, 0: unknown */
	const char *name;	/* NULL: no symbol */
	size_t len;
	uint64_t calls, records;
	uint32_t child, next;	/* first child, next sibling: NO_NODE for none */
	uint32_t parent;	/* node 0 for the outermost calls */
};

struct merge {
	uint32_t dst, src;
};

struct graph {
	struct kct_symbolizer *sym;
	const char *func;	/* NULL: from the roots */
	struct node *v;
	uint32_t nr, cap;
	uint64_t func_calls;
	uint64_t calls;		/* of every node, for the streams they are in */
	struct merge *todo;	/* node_merge()'s pairs to merge */
	size_t todo_cap;
};

static uint32_t node_new(struct graph *g, const struct pc_name *n)
{
	if (g->nr == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
		if (!g->v)
			die("out of memory");
	}
	g->v[g->nr] = (struct node){ .key = n->addr, .name = n->name, .len = n->len,
				     .child = NO_NODE, .next = NO_NODE };
	return g->nr++;
}

/* The child of parent for the function n, made if new, in the order
 * first called. */
static uint32_t node_child(struct graph *g, uint32_t parent, const struct pc_name *n)
{
	uint32_t *link = &g->v[parent].child, i;

	for (; *link != NO_NODE; link = &g->v[*link].next)
		if (g->v[*link].key == n->addr)
			return *link;
	i = node_new(g, n);	/* may move g->v: link is looked up again */
	for (link = &g->v[parent].child; *link != NO_NODE; link = &g->v[*link].next)
		;
	*link = i;
	g->v[i].parent = parent;
	return i;
}

static bool is_func(const struct graph *g, const struct pc_name *n)
{
	char *end;
	uint64_t addr;

	if (n->name)
		return strlen(g->func) == n->len && !memcmp(g->func, n->name, n->len);
	addr = strtoull(g->func, &end, 16);
	return end != g->func && !*end && addr == n->addr;
}

struct frame {
	uint32_t node;
	uint32_t parent;	/* of a frame whose function is not known yet */
	uint64_t start;		/* records counted before its ENTER */
};

/*
 * Adds the counts and subtree of node src to those of node dst.  Without
 * recursion, with a list of the pairs still to merge: a trace's calls may
 * nest a million deep.
 */
static void node_merge(struct graph *g, uint32_t dst, uint32_t src)
{
	size_t nr = 0;

	g->todo[nr++] = (struct merge){ dst, src };
	while (nr) {
		struct merge m = g->todo[--nr];

		g->v[m.dst].calls += g->v[m.src].calls;
		g->v[m.dst].records += g->v[m.src].records;
		for (uint32_t c = g->v[m.src].child; c != NO_NODE; c = g->v[c].next) {
			struct pc_name n = { .name = g->v[c].name, .len = g->v[c].len,
					     .addr = g->v[c].key };
			uint32_t d = node_child(g, m.dst, &n);

			if (nr == g->todo_cap) {
				g->todo_cap *= 2;
				g->todo = realloc(g->todo, g->todo_cap * sizeof(*g->todo));
				if (!g->todo)
					die("out of memory");
			}
			g->todo[nr++] = (struct merge){ d, c };
		}
	}
}

static void graph_stream(struct graph *g, struct kct_decoder *dec, uint32_t stream,
			 const struct selection *sel, struct unbalanced *unbalanced)
{
	/* Depth of the outermost open call of FUNC (or of the roots), -1
	 * while there is none. */
	long base = g->func ? -1 : 0;
	struct frame *stack = NULL;
	size_t cap = 0;
	uint64_t records = 0;
	static struct event_reader events;
	struct frame_filter filter;
	struct kct_event evc, *ev = &evc;
	const struct kct_event *evp;
	struct pc_name n;

	frame_filter_init(&filter, sel);
	event_reader_init(&events, dec, stream, unbalanced);
	while ((evp = next_event(&events))) {
		long rd;

		evc = *evp;
		/* Frames an EESUM record pushed have no known function. */
		if (ev->type == KCT_EVENT_ENTER && ev->pc)
			frame_name(g->sym, ev->pc, &n);
		else if (ev->type == KCT_EVENT_ENTER)
			n = (struct pc_name){ 0 };
		/* --collapse: what a collapsed call runs is not its records;
		 * -F: depths count from the calls it keeps. */
		if (!frame_filter_pass(&filter, ev, &n, &ev->depth))
			continue;
		/* Records as the file has them: an EESUM record is one, the
		 * frames it opens and closes none. */
		records += ev->type == KCT_EVENT_EESUM || !(ev->flags & KCT_EVENT_F_SYNTHETIC);
		if (ev->type != KCT_EVENT_ENTER && ev->type != KCT_EVENT_EXIT)
			continue;
		if (base < 0 && ev->type == KCT_EVENT_ENTER && ev->pc && is_func(g, &n))
			base = ev->depth;
		rd = (long)ev->depth - base;
		if (base < 0 || rd < 0)
			continue;
		if (ev->type == KCT_EVENT_ENTER) {
			uint32_t parent = rd ? stack[rd - 1].node : 0, node;

			/* A frame of no known function (an EESUM record pushed
			 * it) gets a node of its own, linked nowhere, until its
			 * exit record names the function. */
			if (ev->pc)
				node = node_child(g, parent, &n);
			else
				node = node_new(g, &n);
			if ((size_t)rd >= cap) {
				cap = cap ? cap * 2 : 64;
				stack = realloc(stack, cap * sizeof(*stack));
				if (!stack)
					die("out of memory");
			}
			g->v[node].calls++;
			g->calls++;
			stack[rd] = (struct frame){ .node = node, .parent = ev->pc ? NO_NODE : parent,
						    .start = records - !(ev->flags & KCT_EVENT_F_SYNTHETIC) };
			g->func_calls += g->func && !rd;
			continue;
		}
		g->v[stack[rd].node].records += records - stack[rd].start;
		if (stack[rd].parent != NO_NODE) {
			/* Named by its exit record, if an EESUM record did not
			 * pop it: merged into its parent's child of that name. */
			if (ev->pc && !(ev->flags & KCT_EVENT_F_SYNTHETIC))
				frame_name(g->sym, ev->pc, &n);
			else
				n = (struct pc_name){ 0 };
			node_merge(g, node_child(g, stack[rd].parent, &n), stack[rd].node);
		}
		/* Out of FUNC's outermost call: look for the next. */
		if (g->func && !rd)
			base = -1;
	}
	free(stack);
}

/* The tree, depth first; without recursion, as node_merge(). */
static void print_graph(struct graph *g, struct out *o)
{
	uint32_t i = g->v[0].child;
	size_t depth = 0;

	while (i != NO_NODE) {
		const struct node *nd = &g->v[i];
		char buf[48];

		snprintf(buf, sizeof(buf), "%10llu %8llu  ", (unsigned long long)nd->records,
			 (unsigned long long)nd->calls);
		out_str(o, buf);
		out_spaces(o, 2 * depth);
		if (nd->name)
			out_mem(o, nd->name, nd->len);
		else if (nd->key)
			out_hex(o, nd->key);
		else
			out_str(o, UNKNOWN_FRAME);
		out_char(o, '\n');
		if (nd->child != NO_NODE) {
			i = nd->child;
			depth++;
			continue;
		}
		/* Up to the nearest node with a next sibling; done at node 0. */
		while (i && g->v[i].next == NO_NODE) {
			i = g->v[i].parent;
			depth--;
		}
		i = i ? g->v[i].next : NO_NODE;
	}
}

int cmd_graph(int argc, char **argv)
{
	/* replay's stream and frame selection: -F and -N choose the calls
	 * FUNC's graph (or the whole one) is made of. */
	static const struct option longopts[] = {
		SELECT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		SYMBOL_LONGOPTS,
		TERMINAL_LONGOPTS,
		{ 0 }
	};
	struct graph g = { 0 };
	struct symbol_opts symopts = { 0 };
	KCT_OPTS(kct_stream_info, sh);
	struct out o = { .f = stdout };
	struct pc_name root = { 0 };
	struct selection sel;
	struct reading rd;
	const char *path;
	uint32_t i, streams = 0;
	int c, status;

	selection_init(&sel);
	while ((c = getopt_long(argc, argv, SELECT_SHORTOPTS "h", longopts, NULL)) != -1) {
		if (symbol_option(&symopts, c, optarg) || select_option(&sel, c, optarg) ||
		    terminal_option(c, optarg))
			continue;
		switch (c) {
		case 'h':
			fputs(graph_usage, stdout);
			return 0;
		default:
			return short_usage(graph_usage);
		}
	}
	if (optind < argc - 2)
		usage_die("graph: expected a trace file (none for %s) and at most one "
			  "function (see kcovtrace graph --help)", DEFAULT_TRACE);
	path = optind < argc ? argv[optind] : DEFAULT_TRACE;
	g.func = optind + 1 < argc ? argv[optind + 1] : NULL;
	terminal_start();
	reading_open(&rd, path, &sel);
	g.sym = open_symbolizer(&symopts, rd.trace, path);
	if (reading_classic(&rd))
		warn_classic_coverage(&rd);
	node_new(&g, &root);	/* node 0: above the roots, or FUNC's caller */
	g.todo_cap = 64;
	g.todo = malloc(g.todo_cap * sizeof(*g.todo));
	if (!g.todo)
		die("out of memory");
	while (reading_next(&rd, &i, &sh)) {
		struct kct_decoder *dec = reading_decoder(&rd, i);
		uint64_t func_calls = g.func_calls, calls = g.calls;

		graph_stream(&g, dec, i, &sel, &rd.unbalanced);
		reading_done(&rd, dec);
		/* The streams the graph is of: those with a call of FUNC, or
		 * (without FUNC) with a call at all. */
		streams += g.func ? g.func_calls > func_calls : g.calls > calls;
	}
	if (g.func && !g.func_calls)
		die("graph: %s: no call of %s%s", path, g.func,
		    g.sym ? "" : " (without symbols, FUNC is an address)");
	/* Without FUNC, a graph of no call: no heading. */
	if (g.v[0].child != NO_NODE) {
		if (g.func)
			printf("# call graph of %s: %llu %s", g.func,
			       (unsigned long long)g.func_calls, plural(g.func_calls, "call", "calls"));
		else
			fputs("# call graph", stdout);
		if (sel.stream >= 0)
			printf(", stream %ld\n", sel.stream);
		else
			printf(", %s%u %s\n", g.func ? "in " : "", streams,
			       plural(streams, "stream", "streams"));
		printf("# %8s %8s  %s\n", "records", "calls", "function");
		print_graph(&g, &o);
		out_flush(&o);
	}
	if (fflush(stdout))
		die("write error");
	reading_close(&rd);
	close_symbolizer(g.sym);
	status = reading_status(&rd, "graph", g.v[0].child != NO_NODE, "calls");
	selection_free(&sel);
	free(g.v);
	free(g.todo);
	return status;
}
