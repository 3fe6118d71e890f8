// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace report: per function, how often it was called and how many
 * records its calls hold, with and without those of its callees.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace-tool.h"

static const char report_usage[] =
"usage: kcovtrace report [options] FILE\n"
"\n"
"For each function of the trace: calls, records inside its calls with those\n"
"of what it calls (inclusive; a recursive call counts once) and without\n"
"(exclusive: its own ENTER, BB and EXIT records).  Sorted by inclusive\n"
"records, largest first.\n"
"\n"
"  -s, --sort KEY     incl (default), excl, calls or name\n"
"  -n, --limit N      show the first N functions only\n"
SYMBOL_HELP
"  -h, --help         this text\n";

struct fn_stats {
	uint64_t key;		/* function start, or entry pc without symbols */
	const char *name;
	size_t name_len;
	uint64_t calls, incl, excl;
	uint32_t active;	/* frames of it open now */
};

/* Functions, in the order first seen, and a hash index over their keys: the
 * frame stack holds indexes, which stay valid as the tables grow. */
struct fn_table {
	struct fn_stats *v;
	size_t nr, cap;
	uint32_t *slots;	/* index + 1, 0 for empty */
	size_t nslots;		/* a power of two, at least twice nr */
};

static size_t fn_hash(uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 24);
}

static uint32_t fn_get(struct fn_table *t, const struct pc_name *n)
{
	size_t i;

	if ((t->nr + 1) * 2 > t->nslots) {
		free(t->slots);
		t->nslots = t->nslots ? t->nslots * 2 : 1024;
		t->slots = calloc(t->nslots, sizeof(*t->slots));
		if (!t->slots)
			die("out of memory");
		for (size_t j = 0; j < t->nr; j++) {
			for (i = fn_hash(t->v[j].key) & (t->nslots - 1); t->slots[i];
			     i = (i + 1) & (t->nslots - 1))
				;
			t->slots[i] = (uint32_t)j + 1;
		}
	}
	for (i = fn_hash(n->addr) & (t->nslots - 1); t->slots[i]; i = (i + 1) & (t->nslots - 1))
		if (t->v[t->slots[i] - 1].key == n->addr)
			return t->slots[i] - 1;
	if (t->nr == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		if (!t->v)
			die("out of memory");
	}
	t->v[t->nr] = (struct fn_stats){ .key = n->addr, .name = n->name ? n->name : "",
					 .name_len = n->len };
	t->slots[i] = (uint32_t)++t->nr;
	return (uint32_t)(t->nr - 1);
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
			  struct fn_table *t, uint64_t *records, struct unbalanced *unbalanced)
{
	struct frame *stack = NULL;
	size_t cap = 0;
	struct pc_name n;
	static struct event_reader events;
	const struct kct_event *evp;

	event_reader_init(&events, dec, stream, unbalanced);
	while ((evp = next_event(&events))) {
		struct kct_event ev = *evp;
		bool real = !(ev.flags & KCT_EVENT_F_SYNTHETIC);
		struct fn_stats *fn;

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
			pc_name(sym, ev.pc, &n);
			stack[ev.depth].fn = fn_get(t, &n); /* may move t->v */
			fn = &t->v[stack[ev.depth].fn];
			fn->calls++;
			fn->excl += real;
			fn->active++;
			stack[ev.depth].start = *records - real;
			break;
		case KCT_EVENT_BLOCK:
			if (!ev.depth)
				break;
			if (stack[ev.depth - 1].fn != NO_FN)
				t->v[stack[ev.depth - 1].fn].excl++;
			else
				stack[ev.depth - 1].pending++;
			break;
		case KCT_EVENT_EXIT:
			if (stack[ev.depth].fn == NO_FN) {
				if (!ev.pc)
					break;
				uint32_t i;

				pc_name(sym, ev.pc, &n);
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

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sort", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		SYMBOL_LONGOPTS,
		{ 0 }
	};
	struct symbol_opts symopts = { 0 };
	struct unbalanced unbalanced = { 0 };
	struct fn_table t = { 0 };
	struct kct_symbolizer *sym;
	struct kct_trace *trace;
	struct fn_stats *sorted;
	unsigned long limit = ~0UL;
	uint64_t records = 0;
	size_t nr = 0;
	int c;

	sort_key = 'i';
	while ((c = getopt_long(argc, argv, "s:n:h", longopts, NULL)) != -1) {
		if (symbol_option(&symopts, c, optarg))
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
			limit = parse_ulong(optarg, "--limit");
			break;
		case 'h':
			fputs(report_usage, stdout);
			return 0;
		default:
			fputs(report_usage, stderr);
			return 2;
		}
	}
	if (optind != argc - 1)
		usage_die("report: expected one trace file (see kcovtrace report --help)");
	trace = open_trace(argv[optind]);
	sym = open_symbolizer(&symopts, trace, argv[optind]);
	for (uint32_t i = 0; i < trace_nr_streams(trace); i++) {
		struct kct_decoder *dec = open_stream(trace, i, argv[optind]);

		report_stream(dec, i, sym, &t, &records, &unbalanced);
		kct_decoder_free(dec);
	}
	sorted = malloc((t.nr ? t.nr : 1) * sizeof(*sorted));
	if (!sorted)
		die("out of memory");
	for (size_t i = 0; i < t.nr; i++)
		sorted[nr++] = t.v[i];
	qsort(sorted, nr, sizeof(*sorted), cmp_stats);
	printf("%10s %12s %12s  %s\n", "calls", "incl", "excl", "function");
	for (size_t i = 0; i < nr && i < limit; i++) {
		printf("%10llu %12llu %12llu  ", (unsigned long long)sorted[i].calls,
		       (unsigned long long)sorted[i].incl, (unsigned long long)sorted[i].excl);
		if (sorted[i].name_len)
			printf("%.*s\n", (int)sorted[i].name_len, sorted[i].name);
		else
			printf("0x%llx\n", (unsigned long long)sorted[i].key);
	}
	printf("%10s %12llu %12s  (records in the trace)\n", "", (unsigned long long)records, "");
	if (fflush(stdout))
		die("write error");
	warn_unbalanced(argv[optind], &unbalanced);
	free(sorted);
	free(t.v);
	free(t.slots);
	close_symbolizer(sym);
	kct_trace_close(trace);
	return 0;
}
