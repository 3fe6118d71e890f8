// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace report: per function, how often it was called and how many
 * records its calls hold, with and without those of its callees.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "hashmap.h"
#include "kcovtrace-tool.h"
#include "kcovtrace.h"
#include "messages.h"
#include "options.h"
#include "select.h"
#include "symbols.h"
#include "terminal.h"
#include "traces.h"

static const char report_usage[] =
"usage: kcovtrace report [options] [FILE]\n"
"\n"
"For each function of the trace: calls, records inside its calls with those\n"
"of what it calls (inclusive; a recursive call counts once) and without\n"
"(exclusive: its own ENTER, BB and EXIT records).  Sorted by inclusive\n"
"records, largest first.\n"
"\n"
"  -s, --sort KEY     incl (default), excl, calls or name\n"
"  -n, --limit N      show the first N functions only\n"
"  --per-task         a table per task (by tid), under a heading, instead\n"
"                     of one for all the streams read; none for a task\n"
"                     with nothing selected\n"
SELECT_HELP
SYMBOL_HELP
TERMINAL_HELP
"  -h, --help         this text\n";

struct fn_stats {
	uint64_t key;		/* function start, or entry pc without symbols */
	const char *name;
	size_t name_len;
	uint64_t calls, incl, excl;
	uint32_t active;	/* frames of it open now */
};

/*
 * An ENTER's PC, its function's name and its index in the table: the entry
 * records of a trace are at the few PCs of its functions' entry hooks, and
 * one slot, picked by the PC's hash, spares the look-up of the name and
 * then of the function in the map, two reads each in tables larger than
 * the caches.  Only PCs with a name are kept.
 */
#define ENTER_CACHE_BITS 12

struct enter_slot {
	uint64_t pc;		/* 0: empty */
	struct pc_name n;
	uint32_t fn;
};

/* Functions, in the order first seen: fn index i is entry i of map, keyed
 * by the function's start.  The frame stack holds indexes, which stay valid
 * as the tables grow. */
struct fn_table {
	struct fn_stats *v;
	size_t cap;
	struct hashmap map;
	struct enter_slot *enters;	/* 1 << ENTER_CACHE_BITS */
};

static uint32_t fn_get(struct fn_table *t, const struct pc_name *n)
{
	bool added;
	size_t i = hashmap_index(&t->map, hashmap_get(&t->map, n->addr, 0, &added));

	if (added) {
		if (i == t->cap) {
			t->cap = t->map.cap;
			t->v = realloc(t->v, t->cap * sizeof(*t->v));
			if (!t->v)
				die("out of memory");
		}
		t->v[i] = (struct fn_stats){ .key = n->addr, .name = n->name ? n->name : "",
					     .name_len = n->len };
	}
	return (uint32_t)i;
}

static int sort_key;

static int cmp_stats(const void *a, const void *b)
{
	const struct fn_stats *x = a, *y = b;
	uint64_t vx = sort_key == 'e' ? x->excl : sort_key == 'c' ? x->calls : x->incl;
	uint64_t vy = sort_key == 'e' ? y->excl : sort_key == 'c' ? y->calls : y->incl;

	if (sort_key == 'n') {
		int c = strcmp(x->name, y->name);

		return c ? c : (x->key > y->key) - (x->key < y->key);
	}
	if (vx != vy)
		return vx < vy ? 1 : -1;
	return (x->key > y->key) - (x->key < y->key);
}

#define NO_FN UINT32_MAX

struct frame {
	uint32_t fn;		/* index into the table, NO_FN: not known yet */
	uint64_t start;		/* records seen when it was entered */
	uint64_t pending;	/* its own records while fn is unknown */
};

static void report_stream(struct kct_decoder *dec, uint32_t stream, struct kct_symbolizer *sym,
			  const struct selection *sel, bool classic, struct fn_table *t,
			  uint64_t *records, struct unbalanced *unbalanced)
{
	struct frame_filter filter;
	struct frame *stack = NULL;
	size_t cap = 0;
	struct pc_name n;
	static struct event_reader events;
	const struct kct_event *evp;

	frame_filter_init(&filter, sel);
	event_reader_init(&events, dec, stream, unbalanced);
	while ((evp = next_event(&events))) {
		struct kct_event ev = *evp;
		bool real = !(ev.flags & KCT_EVENT_F_SYNTHETIC);
		struct enter_slot *slot = NULL;
		struct fn_stats *fn;

		if (ev.type == KCT_EVENT_ENTER) {
			/* Fibonacci hashing: the top bits mix every bit of
			 * the PC. */
			slot = &t->enters[(ev.pc * 0x9e3779b97f4a7c15ULL) >> (64 - ENTER_CACHE_BITS)];
			if (ev.pc && slot->pc == ev.pc) {
				/* What frame_name() gives, and counts. */
				n = slot->n;
				pc_name_cache.lookups++;
			} else {
				frame_name(sym, ev.pc, &n);
				slot = n.name ? slot : NULL;
				if (slot)
					slot->pc = 0;
			}
		}
		/* From here on, depth counts from the -F frame. */
		if (!frame_filter_pass(&filter, &ev, &n, &ev.depth))
			continue;
		if (ev.type == KCT_EVENT_EESUM) {
			(*records)++;
			continue;
		}
		if (ev.depth >= cap) {
			cap = cap ? cap * 2 : 64;
			stack = realloc(stack, cap * sizeof(*stack));
			if (!stack)
				die("out of memory");
		}
		*records += real;
		switch (ev.type) {
		case KCT_EVENT_ENTER:
			/* Frames an EESUM record pushed have no known function
			 * until their exit record names it. */
			if (!ev.pc) {
				stack[ev.depth].fn = NO_FN;
				stack[ev.depth].start = *records;
				stack[ev.depth].pending = 0;
				break;
			}
			if (!slot || !slot->pc) {
				stack[ev.depth].fn = fn_get(t, &n); /* may move t->v */
				if (slot)
					*slot = (struct enter_slot){ ev.pc, n, stack[ev.depth].fn };
			} else {
				stack[ev.depth].fn = slot->fn;
			}
			fn = &t->v[stack[ev.depth].fn];
			fn->calls++;
			fn->excl += real;
			fn->active++;
			stack[ev.depth].start = *records - real;
			break;
		/* KCOV_TRACE_MEMORY_ACCESS: records of their frame's
		 * function, as its blocks (never classic). */
		case KCT_EVENT_ACCESS:
		case KCT_EVENT_WAIT:
		case KCT_EVENT_WAKE:
		case KCT_EVENT_BLOCK:
			/* Classic coverage: blocks outside any frame, counted
			 * for their function, with no calls. */
			if (!ev.depth && classic) {
				uint32_t i;

				frame_name(sym, ev.pc, &n);
				i = fn_get(t, &n); /* may move t->v */
				fn = &t->v[i];
				fn->incl++;
				fn->excl++;
			}
			if (!ev.depth)
				break;
			if (stack[ev.depth - 1].fn != NO_FN)
				t->v[stack[ev.depth - 1].fn].excl++;
			else
				stack[ev.depth - 1].pending++;
			break;
		case KCT_EVENT_EXIT:
			if (stack[ev.depth].fn == NO_FN) {
				uint32_t i;

				/* Of pc 0 if an EESUM record pops it: counted
				 * as UNKNOWN_FRAME. */
				frame_name(sym, ev.pc, &n);
				i = fn_get(t, &n); /* may move t->v */
				fn = &t->v[i];
				fn->calls++;
				fn->excl += stack[ev.depth].pending;
				fn->active++;
			} else {
				fn = &t->v[stack[ev.depth].fn];
			}
			fn->excl += real;
			/* An outer call of the same function counts these. */
			if (--fn->active == 0)
				fn->incl += *records - stack[ev.depth].start;
			break;
		default:
			break;
		}
	}
	free(stack);
}

/* A stream to read, and whose it is. */
struct report_stream {
	uint32_t stream;
	struct kct_stream_info sh;
};

/* By task, then in file order. */
static int cmp_task(const void *a, const void *b)
{
	const struct report_stream *x = a, *y = b;

	if (x->sh.tid != y->sh.tid)
		return x->sh.tid < y->sh.tid ? -1 : 1;
	return (x->stream > y->stream) - (x->stream < y->stream);
}

/*
 * The table of streams v[0..n), its total line saying what they are, under
 * heading (a line, or NULL) and after a blank line if *shown; nothing if
 * they hold no record selected.  Counts the tables in *shown.
 */
static void report_table(struct reading *rd, struct kct_symbolizer *sym,
			 const struct report_stream *v, size_t n, unsigned long limit,
			 const char *heading, const char *what, uint64_t *shown)
{
	struct fn_table t = { .map = HASHMAP_INIT };
	struct fn_stats *sorted;
	uint64_t records = 0;

	t.enters = calloc(1u << ENTER_CACHE_BITS, sizeof(*t.enters));
	if (!t.enters)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		struct kct_decoder *dec = reading_decoder(rd, v[i].stream);

		report_stream(dec, v[i].stream, sym, rd->sel, reading_classic(rd), &t, &records,
			      &rd->unbalanced);
		reading_done(rd, dec);
	}
	free(t.enters);
	if (!records && !t.map.nr) {
		free(t.v);
		hashmap_free(&t.map);
		return;
	}
	if (heading)
		printf("%s# %s\n", *shown ? "\n" : "", heading);
	(*shown)++;
	sorted = malloc((t.map.nr ? t.map.nr : 1) * sizeof(*sorted));
	if (!sorted)
		die("out of memory");
	if (t.map.nr)
		memcpy(sorted, t.v, t.map.nr * sizeof(*sorted));
	qsort(sorted, t.map.nr, sizeof(*sorted), cmp_stats);
	printf("%10s %12s %12s  %s\n", "calls", "incl", "excl", "function");
	for (size_t i = 0; i < t.map.nr && i < limit; i++) {
		printf("%10llu %12llu %12llu  ", (unsigned long long)sorted[i].calls,
		       (unsigned long long)sorted[i].incl, (unsigned long long)sorted[i].excl);
		if (sorted[i].name_len)
			printf("%.*s\n", (int)sorted[i].name_len, sorted[i].name);
		else
			printf("0x%llx\n", (unsigned long long)sorted[i].key);
	}
	printf("%10s %12llu %12s  (records %s)\n", "", (unsigned long long)records, "", what);
	free(sorted);
	free(t.v);
	hashmap_free(&t.map);
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sort", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		{ "per-task", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		SELECT_LONGOPTS,
		SYMBOL_LONGOPTS,
		TERMINAL_LONGOPTS,
		{ 0 }
	};
	struct symbol_opts symopts = { 0 };
	struct selection sel;
	const char *path;
	struct reading rd;
	struct report_stream *v;
	struct kct_symbolizer *sym;
	unsigned long limit = ~0UL;
	bool per_task = false;
	uint64_t shown = 0;
	size_t n = 0;
	int c, status;

	sort_key = 'i';
	selection_init(&sel);
	while ((c = getopt_long(argc, argv, SELECT_SHORTOPTS "s:n:h", longopts, NULL)) != -1) {
		if (symbol_option(&symopts, c, optarg) || select_option(&sel, c, optarg) ||
		    terminal_option(c, optarg))
			continue;
		switch (c) {
		case 's':
			if (!strcmp(optarg, "incl") || !strcmp(optarg, "excl") ||
			    !strcmp(optarg, "calls") || !strcmp(optarg, "name"))
				sort_key = optarg[0] == 'n' ? 'n' : optarg[0] == 'c' ? 'c' : optarg[1] == 'x' ? 'e' : 'i';
			else
				usage_die("report: --sort takes incl, excl, calls or name, not '%s'",
					  optarg);
			break;
		case 'n':
			limit = parse_ulong(optarg, typed_option(argv, "-n", "--limit"));
			break;
		case 't':
			per_task = true;
			break;
		case 'h':
			fputs(report_usage, stdout);
			return 0;
		default:
			return short_usage(report_usage);
		}
	}
	path = trace_arg(argc, argv, "report");
	terminal_start();
	reading_open(&rd, path, &sel);
	sym = open_symbolizer(&symopts, rd.trace, path);
	if (reading_classic(&rd))
		warn_classic_coverage(&rd);
	/* One more, for the look past the last stream. */
	v = malloc((rd.nr_selected + 1) * sizeof(*v));
	if (!v)
		die("out of memory");
	for (;;) {
		v[n].sh.sz = sizeof(v[n].sh);
		if (!reading_next(&rd, &v[n].stream, &v[n].sh))
			break;
		n++;
	}
	if (!per_task) {
		report_table(&rd, sym, v, n, limit, NULL,
			     rd.nr_selected < rd.info.nr_streams || sel.filter.n || sel.exclude.n ?
			     "selected" : "in the trace", &shown);
	} else {
		qsort(v, n, sizeof(*v), cmp_task);
		for (size_t first = 0, end; first < n; first = end) {
			char title[STREAM_TITLE_MAX];

			for (end = first + 1; end < n && v[end].sh.tid == v[first].sh.tid; end++)
				;
			report_table(&rd, sym, v + first, end - first, limit,
				     task_title(&v[first].sh, title, sizeof(title)), "of the task",
				     &shown);
		}
	}
	if (fflush(stdout))
		die("write error");
	reading_close(&rd);
	free(v);
	close_symbolizer(sym);
	status = reading_status(&rd, "report", shown, "records");
	selection_free(&sel);
	return status;
}
