// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace dump: a trace in the formats other tools read, each a table of
 * operations (struct dump_ops) that the one loop over the selected streams
 * and their events calls.
 *
 *   raw      one record per line: index, type, PC (and symbol), or an
 *            EESUM record's delta and mindelta
 *   folded   "caller;callee;... count" stacks for flame graph tools, each
 *            record counting once for the stack it was recorded in; a
 *            stack deeper than FOLDED_MAX_FRAMES keeps its outermost and
 *            innermost frames
 *   chrome   Chrome trace-event JSON (Perfetto, chrome://tracing): a slice
 *            per call, a track per task, ordered by record index, since
 *            records carry no time
 *   pcs      the unique PCs of ENTER and BB records, one per line, sorted,
 *            as coverage tools that take kcov PC lists expect
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
#include "output.h"
#include "select.h"
#include "symbols.h"
#include "terminal.h"

static const char dump_usage[] =
"usage: kcovtrace dump [options] --format FORMAT [FILE]\n"
"\n"
"Write the trace in FILE to standard output as:\n"
"  raw     one record per line: stream, index, type, PC, symbol; for an\n"
"          EESUM record, delta=D mindelta=M (and saturated or malformed\n"
"          where the call tree restarts); KCOV_TRACE_MEMORY_ACCESS's\n"
"          fields too: ENTER call_site=, ACCESS addr= size= flags= time=\n"
"          (value= with the VALUE flag), WAIT bit= timed_out=, WAKE bit=\n"
"  folded  stacks with record counts, for flamegraph.pl and similar; a\n"
"          stack deeper than 128 frames as its outermost 64 and innermost 63\n"
"          around a frame [N frames elided], with a warning\n"
"  chrome  Chrome trace-event JSON, for Perfetto (ui.perfetto.dev); a track\n"
"          per task, named by comm and tid, one per remote section; time\n"
"          is the record index, counted on across a task's streams\n"
"  pcs     unique PCs of ENTER and BB records, sorted, one per line\n"
"\n"
"Nothing to write is said on stderr, and the exit status is 1.\n"
"\n"
"  -f, --format FORMAT\n"
"  --comm             folded: each stack starts with its task, comm-tid\n"
SELECT_HELP
SYMBOL_HELP
TERMINAL_HELP
"  -h, --help         this text\n";

/*
 * A folded line holds at most FOLDED_MAX_FRAMES frames: of a deeper stack,
 * the outermost FOLDED_OUTER and the innermost FOLDED_INNER, with a frame
 * "[N frames elided]" between them.  Written whole, a trace of calls nested
 * N deep has N lines of up to N frames: a million levels make terabytes.
 * Bounded, the output grows with the trace, not with its square: a line
 * per distinct stack, which takes an ENTER record to make, and at most 128
 * names a line.  Kernel stacks are far shallower (perf keeps 127 frames).
 */
#define FOLDED_MAX_FRAMES	128
#define FOLDED_OUTER		64
/* The rest of the line, less the frame that counts the elided ones. */
#define FOLDED_INNER		(FOLDED_MAX_FRAMES - FOLDED_OUTER - 1)

/* A stack of folded: a node (parent, function) of a tree. */
struct node {
	uint32_t parent;	/* index + 1, 0 for the root */
	uint32_t depth;		/* frames from the root, this one included */
	uint32_t head;		/* index + 1 of the frame at depth FOLDED_OUTER,
				 * or of this one if not that deep */
	const char *name;	/* NULL: show fn */
	size_t len;
	uint64_t fn;		/* function start, or pc */
};

struct dump {
	const char *path;		/* the trace file, for warnings */
	struct kct_symbolizer *sym;
	struct out *o;
	uint32_t stream;		/* the stream being read */
	const struct kct_stream_info *sh;
	struct pc_name n;		/* scratch */
	/* pcs: the set of PCs. */
	struct hashmap pcs;
	/* folded: nodes keyed by (function, parent); node i + 1 is entry i,
	 * nodes[i] and counts[i] (records in that stack). */
	bool comm;			/* --comm: a node per task at the root */
	struct hashmap node_map;
	struct node *nodes;
	uint64_t *counts;
	size_t nodes_cap;
	uint32_t root;			/* the stream's task node, or 0 */
	uint32_t *stack;		/* stack[d + 1]: the node at depth d */
	size_t stack_cap;
	char **task_names;		/* folded --comm's node names, to free */
	size_t nr_task_names;
	uint64_t cut;			/* stacks too deep to write whole */
	uint32_t deepest;		/* the deepest of them, in frames */
	/* chrome: tracks keyed by (pid, tid), their next free time; the
	 * tracks and processes named (value 1), each with its first event. */
	struct hashmap tracks, processes, named;
	bool begun, first_json;
	bool track_named;		/* the stream's track */
	uint64_t ts_base;		/* of the stream's events on its track */
	uint64_t pid, tid;		/* the stream's track */
	uint64_t shown;			/* events written or counted */
};

struct dump_ops {
	const char *name;
	const char *what;		/* what it shows, for reading_status() */
	/* A stream starts; d->stream and d->sh say which. */
	void (*stream)(struct dump *d);
	/* ev's depth counts from the -F frame; whether ev is written or
	 * counted. */
	bool (*event)(struct dump *d, const struct kct_event *ev);
	void (*end)(struct dump *d);
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* ---- raw ---- */

static bool raw_event(struct dump *d, const struct kct_event *ev)
{
	static const char *const type_name[] = {
		[KCT_EVENT_ENTER] = "ENTER", [KCT_EVENT_BLOCK] = "BB",
		[KCT_EVENT_EXIT] = "EXIT", [KCT_EVENT_EESUM] = "EESUM",
		[KCT_EVENT_ACCESS] = "ACCESS", [KCT_EVENT_WAIT] = "WAIT",
		[KCT_EVENT_WAKE] = "WAKE",
	};
	struct out *o = d->o;

	if (ev->flags & KCT_EVENT_F_SYNTHETIC)
		return false;
	out_dec(o, d->stream);
	out_char(o, ' ');
	out_dec(o, ev->index);
	out_char(o, ' ');
	out_str(o, type_name[ev->type]);
	if (ev->type == KCT_EVENT_EESUM) {
		out_char(o, ' ');
		out_eesum(o, ev);
		if (ev->flags & KCT_EVENT_F_SATURATED) {
			out_char(o, ' ');
			out_str(o, eesum_problem(ev));
		}
	} else if (ev->type == KCT_EVENT_WAIT || ev->type == KCT_EVENT_WAKE) {
		/* No PC: the sync bit, and whether the wait timed out. */
		out_str(o, " bit=");
		out_dec(o, ev->bit);
		if (ev->type == KCT_EVENT_WAIT)
			out_str(o, ev->timed_out ? " timed_out=1" : " timed_out=0");
	} else {
		pc_name(d->sym, ev->pc, &d->n);
		out_char(o, ' ');
		out_hex(o, ev->pc);
		if (d->n.name) {
			out_char(o, ' ');
			out_pc(o, &d->n, ev->pc);
		}
	}
	/* KCOV_TRACE_MEMORY_ACCESS: every field of the record. */
	if (ev->type == KCT_EVENT_ENTER && ev->call_site) {
		out_str(o, " call_site=");
		out_hex(o, ev->call_site);
	} else if (ev->type == KCT_EVENT_ACCESS) {
		out_str(o, " addr=");
		out_hex(o, ev->addr);
		out_str(o, " size=");
		out_dec(o, ev->size);
		out_str(o, " flags=");
		out_hex(o, ev->access);
		out_str(o, " time=");
		out_dec(o, ev->time);
		if (ev->access & KCT_ACCESS_F_VALUE) {
			out_str(o, " value=");
			out_hex(o, ev->value);
		}
	}
	out_char(o, '\n');
	return true;
}

/* ---- pcs ---- */

static bool pcs_event(struct dump *d, const struct kct_event *ev)
{
	if (ev->flags & KCT_EVENT_F_SYNTHETIC ||
	    (ev->type != KCT_EVENT_ENTER && ev->type != KCT_EVENT_BLOCK))
		return false;
	hashmap_get(&d->pcs, ev->pc, 0, NULL);
	return true;
}

static void pcs_end(struct dump *d)
{
	uint64_t *v = malloc((d->pcs.nr ? d->pcs.nr : 1) * sizeof(*v));

	if (!v)
		die("out of memory");
	for (size_t i = 0; i < d->pcs.nr; i++)
		v[i] = d->pcs.entries[i].key[0];
	qsort(v, d->pcs.nr, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < d->pcs.nr; i++) {
		out_hex(d->o, v[i]);
		out_char(d->o, '\n');
	}
	free(v);
	hashmap_free(&d->pcs);
}

/* ---- folded: a stack is interned as a node, so a record costs a look-up,
 * not a string; the strings are built once per distinct stack at the end.
 * ---- */

/* The parent word of the key of a task's node, which no node index is. */
#define TASK_NODE UINT64_MAX

static uint32_t node_get(struct dump *d, uint64_t k0, uint64_t parent, const char *name,
			 size_t len)
{
	const struct node *up;
	bool added;
	size_t i = hashmap_index(&d->node_map, hashmap_get(&d->node_map, k0, parent, &added));

	if (!added)
		return (uint32_t)i + 1;
	if (i == d->nodes_cap) {
		d->nodes_cap = d->node_map.cap;
		d->nodes = realloc(d->nodes, d->nodes_cap * sizeof(*d->nodes));
		d->counts = realloc(d->counts, d->nodes_cap * sizeof(*d->counts));
		if (!d->nodes || !d->counts)
			die("out of memory");
	}
	/* A task's node and an outermost frame have none above them. */
	up = parent && parent != TASK_NODE ? &d->nodes[parent - 1] : NULL;
	d->nodes[i] = (struct node){ .parent = up ? (uint32_t)parent : 0,
				     .depth = up ? up->depth + 1 : 1,
				     .name = name, .len = len, .fn = k0 };
	/* Past FOLDED_OUTER, the parent's head is ours. */
	d->nodes[i].head = d->nodes[i].depth > FOLDED_OUTER ? up->head : (uint32_t)i + 1;
	d->counts[i] = 0;
	return (uint32_t)i + 1;
}

static void folded_stream(struct dump *d)
{
	const struct kct_stream_info *sh = d->sh;
	char name[KCT_COMM_LEN + 32], *copy;
	/* A task by its tid, a stream of no known task by its number. */
	uint64_t key = sh->tid ? (uint64_t)(uint32_t)sh->tid : (uint64_t)d->stream << 32;
	int len;

	if (!d->comm)
		return;
	if (sh->tid)
		len = snprintf(name, sizeof(name), "%s-%d", sh->comm[0] ? sh->comm : "task",
			       sh->tid);
	else
		len = snprintf(name, sizeof(name), "stream-%u", d->stream);
	if (hashmap_find(&d->node_map, key, TASK_NODE)) {
		d->root = node_get(d, key, TASK_NODE, NULL, 0);
		return;
	}
	d->task_names = realloc(d->task_names, (d->nr_task_names + 1) * sizeof(*d->task_names));
	copy = strdup(name);
	if (!d->task_names || !copy)
		die("out of memory");
	d->task_names[d->nr_task_names++] = copy;
	d->root = node_get(d, key, TASK_NODE, copy, (size_t)len);
}

static bool folded_event(struct dump *d, const struct kct_event *ev)
{
	bool synthetic = ev->flags & KCT_EVENT_F_SYNTHETIC;

	if (ev->depth + 1 >= d->stack_cap) {
		d->stack_cap = d->stack_cap ? d->stack_cap * 2 : 64;
		d->stack = realloc(d->stack, d->stack_cap * sizeof(*d->stack));
		if (!d->stack)
			die("out of memory");
	}
	if (ev->type == KCT_EVENT_ENTER) {
		frame_name(d->sym, ev->pc, &d->n);
		d->stack[ev->depth + 1] = node_get(d, d->n.addr,
						   ev->depth ? d->stack[ev->depth] : d->root,
						   d->n.name, d->n.len);
		if (!synthetic)
			d->counts[d->stack[ev->depth + 1] - 1]++;
		return !synthetic;
	} else if (!synthetic && ev->type == KCT_EVENT_EXIT) {
		d->counts[d->stack[ev->depth + 1] - 1]++;
		return true;
	} else if (!synthetic && ev->type == KCT_EVENT_BLOCK && ev->depth) {
		d->counts[d->stack[ev->depth] - 1]++;
		return true;
	}
	return false;
}

/* The nr frames that end with node, outermost first, without recursion:
 * nodes know their parents, not their children, so they are gathered
 * from node up, then written down. */
static void print_frames(struct out *o, const struct node *nodes, uint32_t node, uint32_t nr)
{
	uint32_t path[FOLDED_MAX_FRAMES];

	for (uint32_t i = nr; i--; node = nodes[node - 1].parent)
		path[i] = node;
	for (uint32_t i = 0; i < nr; i++) {
		const struct node *nd = &nodes[path[i] - 1];

		if (i)
			out_char(o, ';');
		if (nd->name)
			out_mem(o, nd->name, nd->len);
		else
			out_hex(o, nd->fn);
	}
}

/* node's stack; true if it was too deep to write every frame. */
static bool print_stack(struct out *o, const struct node *nodes, uint32_t node)
{
	const struct node *nd = &nodes[node - 1];

	if (nd->depth <= FOLDED_MAX_FRAMES) {
		print_frames(o, nodes, node, nd->depth);
		return false;
	}
	/* head spares the walk up the elided frames: the lines of a stack N
	 * deep would take N^2 steps. */
	print_frames(o, nodes, nd->head, FOLDED_OUTER);
	out_str(o, ";[");
	out_dec(o, nd->depth - FOLDED_OUTER - FOLDED_INNER);
	out_str(o, " frames elided];");
	print_frames(o, nodes, node, FOLDED_INNER);
	return true;
}

static void folded_end(struct dump *d)
{
	/* In the order the stacks were first seen. */
	for (size_t i = 0; i < d->node_map.nr; i++) {
		if (!d->counts[i])
			continue;
		if (print_stack(d->o, d->nodes, (uint32_t)i + 1)) {
			d->cut++;
			if (d->nodes[i].depth > d->deepest)
				d->deepest = d->nodes[i].depth;
		}
		out_char(d->o, ' ');
		out_dec(d->o, d->counts[i]);
		out_char(d->o, '\n');
	}
	for (size_t i = 0; i < d->nr_task_names; i++)
		free(d->task_names[i]);
	free(d->task_names);
	free(d->nodes);
	free(d->counts);
	free(d->stack);
	hashmap_free(&d->node_map);
}

/* ---- chrome ---- */

/* Remote sections' tracks: tids above any the kernel gives (at most 2^22). */
#define REMOTE_TID_BASE (1 << 30)

/* s as a JSON string; comms may hold any byte but NUL. */
static void json_str(struct out *o, const char *s)
{
	out_char(o, '"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\') {
			out_char(o, '\\');
			out_char(o, c);
		} else if (c < 0x20) {
			out_str(o, "\\u00");
			out_char(o, "0123456789abcdef"[c >> 4]);
			out_char(o, "0123456789abcdef"[c & 15]);
		} else {
			out_char(o, c);
		}
	}
	out_char(o, '"');
}

/* With the first event: nothing is written of a trace with none. */
static void chrome_begin(struct dump *d)
{
	out_str(d->o, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time\":\"record index\"},"
		      "\"traceEvents\":[");
	d->first_json = true;
	d->begun = true;
}

static void chrome_next(struct dump *d)
{
	out_str(d->o, d->first_json ? "\n" : ",\n");
	d->first_json = false;
}

/* A "ph":"M" event naming the stream's thread, or its process. */
static void chrome_name(struct dump *d, bool thread, const char *name)
{
	chrome_next(d);
	out_str(d->o, thread ? "{\"name\":\"thread_name\"" : "{\"name\":\"process_name\"");
	out_str(d->o, ",\"ph\":\"M\",\"pid\":");
	out_dec(d->o, d->pid);
	if (thread) {
		out_str(d->o, ",\"tid\":");
		out_dec(d->o, d->tid);
	}
	out_str(d->o, ",\"args\":{\"name\":");
	json_str(d->o, name);
	out_str(d->o, "}}");
}

/*
 * The stream's track: its task's (pid, tid); a remote section's own, in
 * its task's process; for a stream of no known task, tid stream + 1 in
 * pid 1.  A task's streams follow one another on its track, those with no
 * event written too.
 */
static void chrome_stream(struct dump *d)
{
	const struct kct_stream_info *sh = d->sh;
	struct hashmap_entry *track;

	if (sh->kind == KCT_STREAM_KIND_REMOTE) {
		d->pid = sh->pid ? sh->pid : 1;
		d->tid = REMOTE_TID_BASE + (uint64_t)d->stream;
	} else if (sh->tid) {
		d->pid = sh->pid ? sh->pid : sh->tid;
		d->tid = sh->tid;
	} else {
		d->pid = 1;
		d->tid = (uint64_t)d->stream + 1;
	}
	/* Its events' times run from 0 to its record count (that of the
	 * frames still open at its end): the next stream starts after. */
	track = hashmap_get(&d->tracks, d->pid, d->tid, NULL);
	d->ts_base = track->value;
	track->value += d->sh->records + 1;
	d->track_named = false;
}

/* The stream's track and process are named where first used: with the
 * first event written on them. */
static void chrome_track_name(struct dump *d)
{
	const struct kct_stream_info *sh = d->sh;
	char name[KCT_COMM_LEN + 64];
	bool added;

	d->track_named = true;
	hashmap_get(&d->processes, d->pid, 0, &added);
	if (added) {
		if (sh->pid && sh->comm[0])
			snprintf(name, sizeof(name), "%s (pid %d)", sh->comm, sh->pid);
		else if (sh->pid)
			snprintf(name, sizeof(name), "pid %d", sh->pid);
		else
			snprintf(name, sizeof(name), "no known process");
		chrome_name(d, false, name);
	}
	hashmap_get(&d->named, d->pid, d->tid, &added);
	if (added) {
		if (sh->kind == KCT_STREAM_KIND_REMOTE)
			snprintf(name, sizeof(name), "remote 0x%llx (stream %u)",
				 (unsigned long long)sh->remote_handle, d->stream);
		else if (sh->tid)
			snprintf(name, sizeof(name), "%s-%d", sh->comm[0] ? sh->comm : "task",
				 sh->tid);
		else
			snprintf(name, sizeof(name), "stream %u", d->stream);
		chrome_name(d, true, name);
	}
}

static void json_name(struct out *o, const struct pc_name *n, uint64_t pc)
{
	/* Kernel symbols need no escaping: [A-Za-z0-9_.$] only. */
	out_char(o, '"');
	if (n->name)
		out_mem(o, n->name, n->len);
	else
		out_hex(o, pc);
	out_char(o, '"');
}

static bool chrome_event(struct dump *d, const struct kct_event *ev)
{
	struct out *o = d->o;

	/* Calls only: no blocks, no memory accesses, waits or wakes. */
	if (ev->type != KCT_EVENT_ENTER && ev->type != KCT_EVENT_EXIT &&
	    ev->type != KCT_EVENT_EESUM)
		return false;
	if (!d->begun)
		chrome_begin(d);
	if (!d->track_named)
		chrome_track_name(d);
	chrome_next(d);
	if (ev->type == KCT_EVENT_EESUM) {
		out_str(o, "{\"name\":\"EESUM ");
		out_eesum(o, ev);
		if (ev->flags & KCT_EVENT_F_SATURATED) {
			out_str(o, " (");
			out_str(o, eesum_problem(ev));
			out_str(o, ": the call tree restarts)");
		}
		out_str(o, "\",\"ph\":\"i\",\"s\":\"t\"");
	} else {
		frame_name(d->sym, ev->pc, &d->n);
		out_str(o, "{\"name\":");
		json_name(o, &d->n, ev->pc);
		out_str(o, ev->type == KCT_EVENT_ENTER ? ",\"ph\":\"B\"" : ",\"ph\":\"E\"");
	}
	out_str(o, ",\"ts\":");
	out_dec(o, d->ts_base + ev->index);
	out_str(o, ",\"pid\":");
	out_dec(o, d->pid);
	out_str(o, ",\"tid\":");
	out_dec(o, d->tid);
	out_char(o, '}');
	return true;
}

static void chrome_end(struct dump *d)
{
	if (d->begun)
		out_str(d->o, "\n]}\n");
	hashmap_free(&d->tracks);
	hashmap_free(&d->processes);
	hashmap_free(&d->named);
}

static const struct dump_ops formats[] = {
	{ .name = "raw", .what = "records", .event = raw_event },
	{ .name = "folded", .what = "calls", .stream = folded_stream, .event = folded_event,
	  .end = folded_end },
	{ .name = "chrome", .what = "calls", .stream = chrome_stream, .event = chrome_event,
	  .end = chrome_end },
	{ .name = "pcs", .what = "entry or block records", .event = pcs_event, .end = pcs_end },
};

static void dump_stream(struct dump *d, const struct dump_ops *ops, struct kct_decoder *dec,
			const struct selection *sel, struct unbalanced *unbalanced)
{
	struct frame_filter filter;
	static struct event_reader events;
	const struct kct_event *evp;

	if (ops->stream)
		ops->stream(d);
	frame_filter_init(&filter, sel);
	event_reader_init(&events, dec, d->stream, unbalanced);
	while ((evp = next_event(&events))) {
		struct kct_event ev = *evp;

		if (ev.type == KCT_EVENT_ENTER && filter.active)
			frame_name(d->sym, ev.pc, &d->n);
		/* From here on, depth counts from the -F frame. */
		if (frame_filter_pass(&filter, &ev, &d->n, &ev.depth))
			d->shown += ops->event(d, &ev);
	}
}

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "comm", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		SELECT_LONGOPTS,
		SYMBOL_LONGOPTS,
		TERMINAL_LONGOPTS,
		{ 0 }
	};
	struct symbol_opts symopts = { 0 };
	KCT_OPTS(kct_stream_info, sh);
	const struct dump_ops *ops = NULL;
	struct dump d = { .first_json = true };
	struct selection sel;
	struct reading rd;
	int c, status;

	selection_init(&sel);
	while ((c = getopt_long(argc, argv, SELECT_SHORTOPTS "f:h", longopts, NULL)) != -1) {
		if (symbol_option(&symopts, c, optarg) || select_option(&sel, c, optarg) ||
		    terminal_option(c, optarg))
			continue;
		switch (c) {
		case 'f':
			ops = NULL;
			for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
				if (!strcmp(optarg, formats[i].name))
					ops = &formats[i];
			if (!ops)
				usage_die("dump: unknown format '%s' (raw, folded, chrome, pcs)",
					  optarg);
			break;
		case 'c':
			d.comm = true;
			break;
		case 'h':
			fputs(dump_usage, stdout);
			return 0;
		default:
			return short_usage(dump_usage);
		}
	}
	if (!ops)
		usage_die("dump: --format is required (raw, folded, chrome, pcs)");
	d.o = calloc(1, sizeof(*d.o));
	if (!d.o)
		die("out of memory");
	d.o->f = stdout;
	if (d.comm && ops->event != folded_event)
		usage_die("dump: --comm is for --format folded");
	d.path = trace_arg(argc, argv, "dump");
	terminal_start();
	reading_open(&rd, d.path, &sel);
	/* A PC list has no names: no symbols, nor a hint that they are missing. */
	d.sym = ops->event == pcs_event ? NULL : open_symbolizer(&symopts, rd.trace, d.path);
	/* raw and pcs give what classic coverage has. */
	if (reading_classic(&rd) && (ops->event == folded_event || ops->event == chrome_event))
		warn_classic_coverage(&rd);
	d.sh = &sh;
	while (reading_next(&rd, &d.stream, &sh)) {
		struct kct_decoder *dec = reading_decoder(&rd, d.stream);

		dump_stream(&d, ops, dec, &sel, &rd.unbalanced);
		reading_done(&rd, dec);
	}
	if (ops->end)
		ops->end(&d);
	out_flush(d.o);
	if (fflush(stdout))
		die("write error");
	/* After the output, as the decoder's warnings: every count is whole,
	 * but frames are missing from the lines. */
	if (d.cut)
		warn("%s: %llu stack%s deeper than %d frames (the deepest: %u): %s the "
		     "outermost %d and innermost %d, the frames between elided",
		     d.path, (unsigned long long)d.cut, d.cut == 1 ? " is" : "s are",
		     FOLDED_MAX_FRAMES, d.deepest, d.cut == 1 ? "its line keeps" : "their lines keep",
		     FOLDED_OUTER, FOLDED_INNER);
	reading_close(&rd);
	close_symbolizer(d.sym);
	status = reading_status(&rd, "dump", d.shown, ops->what);
	selection_free(&sel);
	free(d.o);
	return status;
}
