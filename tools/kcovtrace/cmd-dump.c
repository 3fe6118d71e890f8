// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace dump: a trace in the formats other tools read.
 *
 *   raw      one record per line: index, type, PC (and symbol), or an
 *            EESUM record's delta and mindelta
 *   folded   "caller;callee;... count" stacks for flame graph tools, each
 *            record counting once for the stack it was recorded in
 *   chrome   Chrome trace-event JSON (Perfetto, chrome://tracing): a slice
 *            per call, ordered by record index, since records carry no time
 *   pcs      the unique PCs of ENTER and BB records, one per line, sorted,
 *            as coverage tools that take kcov PC lists expect
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace-tool.h"

static const char dump_usage[] =
"usage: kcovtrace dump [options] --format FORMAT FILE\n"
"\n"
"Write the trace in FILE to standard output as:\n"
"  raw     one record per line: stream, index, type, PC, symbol; for an\n"
"          EESUM record, delta=D mindelta=M (and saturated or malformed\n"
"          where the call tree restarts)\n"
"  folded  stacks with record counts, for flamegraph.pl and similar\n"
"  chrome  Chrome trace-event JSON, for Perfetto (ui.perfetto.dev);\n"
"          time is the record index, one thread per stream\n"
"  pcs     unique PCs of ENTER and BB records, sorted, one per line\n"
"\n"
"  -f, --format FORMAT\n"
SYMBOL_HELP
"  -h, --help         this text\n";

enum format { RAW, FOLDED, CHROME, PCS };

/* A growable set of 64-bit keys with counts (open addressing). */
struct counter {
	uint64_t *keys, *counts;
	size_t nr, cap;
};

static void counter_add(struct counter *c, uint64_t key, uint64_t n)
{
	size_t i;

	if (c->nr * 2 >= c->cap) {
		struct counter g = { .cap = c->cap ? c->cap * 2 : 4096 };

		g.keys = calloc(g.cap, sizeof(*g.keys));
		g.counts = calloc(g.cap, sizeof(*g.counts));
		if (!g.keys || !g.counts)
			die("out of memory");
		for (size_t j = 0; j < c->cap; j++) {
			if (!c->counts[j])
				continue;
			for (i = (c->keys[j] * 0x9e3779b97f4a7c15ULL) >> 32 & (g.cap - 1); g.counts[i];
			     i = (i + 1) & (g.cap - 1))
				;
			g.keys[i] = c->keys[j];
			g.counts[i] = c->counts[j];
		}
		g.nr = c->nr;
		free(c->keys);
		free(c->counts);
		*c = g;
	}
	for (i = (key * 0x9e3779b97f4a7c15ULL) >> 32 & (c->cap - 1); c->counts[i];
	     i = (i + 1) & (c->cap - 1))
		if (c->keys[i] == key) {
			c->counts[i] += n;
			return;
		}
	c->keys[i] = key;
	c->counts[i] = n;
	c->nr++;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Folded stacks: a stack is interned as a node (parent, function) in a
 * table, so a record costs a look-up, not a string; the strings are built
 * once per distinct stack at the end.
 */
struct node {
	uint32_t parent;	/* index + 1, 0 for the root */
	uint64_t fn;		/* function start, or pc */
	const char *name;
	size_t len;
};

struct folded {
	struct node *nodes;
	size_t nr, cap;
	uint32_t *slots;	/* hash of (parent, fn) -> node index + 1 */
	size_t nslots;		/* a power of two, at least twice nr */
	struct counter samples;	/* node index + 1 -> records */
};

static size_t node_hash(uint32_t parent, uint64_t fn)
{
	return (size_t)(((fn ^ (uint64_t)parent << 40) * 0x9e3779b97f4a7c15ULL) >> 20);
}

static void node_slot(struct folded *f, uint32_t index)
{
	const struct node *nd = &f->nodes[index - 1];
	size_t i = node_hash(nd->parent, nd->fn) & (f->nslots - 1);

	while (f->slots[i])
		i = (i + 1) & (f->nslots - 1);
	f->slots[i] = index;
}

static uint32_t node_get(struct folded *f, uint32_t parent, const struct pc_name *n)
{
	size_t i;

	if (f->nr * 2 >= f->nslots) {
		free(f->slots);
		f->nslots = f->nslots ? f->nslots * 2 : 4096;
		f->slots = calloc(f->nslots, sizeof(*f->slots));
		if (!f->slots)
			die("out of memory");
		for (size_t j = 1; j <= f->nr; j++)
			node_slot(f, (uint32_t)j);
	}
	for (i = node_hash(parent, n->addr) & (f->nslots - 1); f->slots[i];
	     i = (i + 1) & (f->nslots - 1)) {
		const struct node *nd = &f->nodes[f->slots[i] - 1];

		if (nd->parent == parent && nd->fn == n->addr)
			return f->slots[i];
	}
	if (f->nr == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		f->nodes = realloc(f->nodes, f->cap * sizeof(*f->nodes));
		if (!f->nodes)
			die("out of memory");
	}
	f->nodes[f->nr++] = (struct node){ parent, n->addr, n->name, n->len };
	f->slots[i] = (uint32_t)f->nr;
	return (uint32_t)f->nr;
}

static void print_stack(struct out *o, const struct folded *f, uint32_t node)
{
	const struct node *nd = &f->nodes[node - 1];

	if (nd->parent) {
		print_stack(o, f, nd->parent);
		out_char(o, ';');
	}
	if (nd->name)
		out_mem(o, nd->name, nd->len);
	else
		out_hex(o, nd->fn);
}

static void dump_folded(struct folded *f, struct out *o)
{
	uint64_t *order = malloc((f->samples.nr ? f->samples.nr : 1) * sizeof(*order));
	size_t n = 0;

	if (!order)
		die("out of memory");
	for (size_t i = 0; i < f->samples.cap; i++)
		if (f->samples.counts[i])
			order[n++] = f->samples.keys[i];
	qsort(order, n, sizeof(*order), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		uint64_t count = 0;

		for (size_t j = (order[i] * 0x9e3779b97f4a7c15ULL) >> 32 & (f->samples.cap - 1);
		     f->samples.counts[j]; j = (j + 1) & (f->samples.cap - 1))
			if (f->samples.keys[j] == order[i]) {
				count = f->samples.counts[j];
				break;
			}
		print_stack(o, f, (uint32_t)order[i]);
		out_char(o, ' ');
		out_dec(o, count);
		out_char(o, '\n');
	}
	free(order);
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

static void dump_stream(struct kct_decoder *dec, uint32_t stream, enum format fmt,
			struct kct_symbolizer *sym, struct out *o, struct counter *pcs,
			struct folded *f, bool *first_json, struct unbalanced *unbalanced)
{
	static const char *const type_name[] = {
		[KCT_EVENT_ENTER] = "ENTER", [KCT_EVENT_BLOCK] = "BB",
		[KCT_EVENT_EXIT] = "EXIT", [KCT_EVENT_EESUM] = "EESUM",
	};
	uint32_t *stack = NULL;
	size_t cap = 0;
	struct pc_name n;
	static struct event_reader events;
	const struct kct_event *evp;

	event_reader_init(&events, dec, stream, unbalanced);
	while ((evp = next_event(&events))) {
		struct kct_event ev = *evp;
		bool synthetic = ev.flags & KCT_EVENT_F_SYNTHETIC;

		switch (fmt) {
		case RAW:
			if (synthetic)
				break;
			out_dec(o, stream);
			out_char(o, ' ');
			out_dec(o, ev.index);
			out_char(o, ' ');
			out_str(o, type_name[ev.type]);
			if (ev.type == KCT_EVENT_EESUM) {
				out_char(o, ' ');
				out_eesum(o, &ev);
				if (ev.flags & KCT_EVENT_F_SATURATED) {
					out_char(o, ' ');
					out_str(o, eesum_problem(&ev));
				}
			} else {
				pc_name(sym, ev.pc, &n);
				out_char(o, ' ');
				out_hex(o, ev.pc);
				if (n.name) {
					out_char(o, ' ');
					out_pc(o, &n, ev.pc);
				}
			}
			out_char(o, '\n');
			break;
		case PCS:
			if (!synthetic && (ev.type == KCT_EVENT_ENTER || ev.type == KCT_EVENT_BLOCK))
				counter_add(pcs, ev.pc, 1);
			break;
		case FOLDED:
			if (ev.depth + 1 >= cap) {
				cap = cap ? cap * 2 : 64;
				stack = realloc(stack, cap * sizeof(*stack));
				if (!stack)
					die("out of memory");
			}
			if (ev.type == KCT_EVENT_ENTER) {
				pc_name(sym, ev.pc, &n);
				if (!ev.pc)
					n.name = "[suppressed]", n.len = strlen(n.name);
				stack[ev.depth + 1] = node_get(f, ev.depth ? stack[ev.depth] : 0, &n);
				if (!synthetic)
					counter_add(&f->samples, stack[ev.depth + 1], 1);
			} else if (!synthetic && ev.type == KCT_EVENT_EXIT) {
				counter_add(&f->samples, stack[ev.depth + 1], 1);
			} else if (!synthetic && ev.type == KCT_EVENT_BLOCK && ev.depth) {
				counter_add(&f->samples, stack[ev.depth], 1);
			}
			break;
		case CHROME:
			if (ev.type == KCT_EVENT_BLOCK)
				break;
			out_str(o, *first_json ? "\n" : ",\n");
			*first_json = false;
			if (ev.type == KCT_EVENT_EESUM) {
				out_str(o, "{\"name\":\"EESUM ");
				out_eesum(o, &ev);
				if (ev.flags & KCT_EVENT_F_SATURATED) {
					out_str(o, " (");
					out_str(o, eesum_problem(&ev));
					out_str(o, ": the call tree restarts)");
				}
				out_str(o, "\",\"ph\":\"i\",\"s\":\"t\"");
			} else {
				pc_name(sym, ev.pc, &n);
				out_str(o, "{\"name\":");
				json_name(o, &n, ev.pc);
				out_str(o, ev.type == KCT_EVENT_ENTER ? ",\"ph\":\"B\"" : ",\"ph\":\"E\"");
			}
			out_str(o, ",\"ts\":");
			out_dec(o, ev.index);
			out_str(o, ",\"pid\":1,\"tid\":");
			out_dec(o, stream + 1);
			out_char(o, '}');
			break;
		}
	}
	free(stack);
}

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		SYMBOL_LONGOPTS,
		{ 0 }
	};
	struct symbol_opts symopts = { 0 };
	struct unbalanced unbalanced = { 0 };
	struct out *o = calloc(1, sizeof(*o));
	struct counter pcs = { 0 };
	struct folded f = { 0 };
	struct kct_symbolizer *sym;
	struct kct_trace *trace;
	bool first_json = true;
	int fmt = -1, c;

	if (!o)
		die("out of memory");
	o->f = stdout;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		if (symbol_option(&symopts, c, optarg))
			continue;
		switch (c) {
		case 'f':
			fmt = !strcmp(optarg, "raw") ? RAW : !strcmp(optarg, "folded") ? FOLDED :
			      !strcmp(optarg, "chrome") ? CHROME : !strcmp(optarg, "pcs") ? PCS : -2;
			if (fmt == -2)
				usage_die("dump: unknown format '%s' (raw, folded, chrome, pcs)",
					  optarg);
			break;
		case 'h':
			fputs(dump_usage, stdout);
			return 0;
		default:
			fputs(dump_usage, stderr);
			return 2;
		}
	}
	if (fmt < 0)
		usage_die("dump: --format is required (raw, folded, chrome, pcs)");
	if (optind != argc - 1)
		usage_die("dump: expected one trace file (see kcovtrace dump --help)");
	trace = open_trace(argv[optind]);
	/* A PC list has no names: no symbols, nor a hint that they are missing. */
	sym = fmt == PCS ? NULL : open_symbolizer(&symopts, trace, argv[optind]);
	if (fmt == CHROME)
		out_str(o, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time\":\"record index\"},"
			   "\"traceEvents\":[");
	for (uint32_t i = 0; i < trace_nr_streams(trace); i++) {
		struct kct_decoder *dec = open_stream(trace, i, argv[optind]);

		dump_stream(dec, i, fmt, sym, o, &pcs, &f, &first_json, &unbalanced);
		kct_decoder_free(dec);
	}
	if (fmt == CHROME) {
		out_str(o, "\n]}\n");
	} else if (fmt == PCS) {
		uint64_t *v = malloc((pcs.nr ? pcs.nr : 1) * sizeof(*v));
		size_t n = 0;

		if (!v)
			die("out of memory");
		for (size_t i = 0; i < pcs.cap; i++)
			if (pcs.counts[i])
				v[n++] = pcs.keys[i];
		qsort(v, n, sizeof(*v), cmp_u64);
		for (size_t i = 0; i < n; i++) {
			out_hex(o, v[i]);
			out_char(o, '\n');
		}
		free(v);
	} else if (fmt == FOLDED) {
		dump_folded(&f, o);
	}
	out_flush(o);
	if (fflush(stdout))
		die("write error");
	warn_unbalanced(argv[optind], &unbalanced);
	close_symbolizer(sym);
	kct_trace_close(trace);
	return 0;
}
