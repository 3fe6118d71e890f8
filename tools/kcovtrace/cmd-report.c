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

struct fn_table {
	struct fn_stats *v;
	size_t nr, cap;		/* open addressing, cap a power of two */
};

static struct fn_stats *fn_get(struct fn_table *t, const struct pc_name *n)
{
	size_t i;

	if (t->nr * 2 >= t->cap) {
		struct fn_table grown = { .cap = t->cap ? t->cap * 2 : 1024 };

		grown.v = calloc(grown.cap, sizeof(*grown.v));
		if (!grown.v)
			die("out of memory");
		for (size_t j = 0; j < t->cap; j++) {
			if (!t->v[j].name && !t->v[j].key)
				continue;
			for (i = (t->v[j].key * 0x9e3779b97f4a7c15ULL) >> 40 & (grown.cap - 1);
			     grown.v[i].name || grown.v[i].key; i = (i + 1) & (grown.cap - 1))
				;
			grown.v[i] = t->v[j];
		}
		grown.nr = t->nr;
		free(t->v);
		*t = grown;
	}
	for (i = (n->addr * 0x9e3779b97f4a7c15ULL) >> 40 & (t->cap - 1);
	     t->v[i].name || t->v[i].key; i = (i + 1) & (t->cap - 1))
		if (t->v[i].key == n->addr)
			return &t->v[i];
	t->v[i].key = n->addr;
	t->v[i].name = n->name ? n->name : "";
	t->v[i].name_len = n->len;
	t->nr++;
	return &t->v[i];
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

struct frame {
	struct fn_stats *fn;	/* NULL: not known yet */
	uint64_t start;		/* records seen when it was entered */
	uint64_t pending;	/* its own records while fn is unknown */
};

static void report_stream(struct kct_decoder *dec, struct kct_symbolizer *sym,
			  struct fn_table *t, uint64_t *records)
{
	struct frame *stack = NULL;
	size_t cap = 0;
	struct pc_name n;
	int err;

	static struct kct_event batch[256];
	int got;

	/* Events come in batches, the decoder's fast way; one event a turn. */
	while ((got = kct_decoder_next_batch(dec, batch, 256)) > 0)
	for (int at = 0; at < got; at++) {
		struct kct_event ev = batch[at];

		bool real = !(ev.flags & KCT_EVENT_F_SYNTHETIC);
		struct fn_stats *fn;

		if (ev.type == KCT_EVENT_RESYNC) {
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
			/* Frames a resync opened have no known function until
			 * their exit record names it. */
			if (!ev.pc) {
				stack[ev.depth].fn = NULL;
				stack[ev.depth].start = *records;
				stack[ev.depth].pending = 0;
				break;
			}
			pc_name(sym, ev.pc, &n);
			fn = fn_get(t, &n);
			fn->calls++;
			fn->excl += real;
			fn->active++;
			stack[ev.depth].fn = fn;
			stack[ev.depth].start = *records - real;
			break;
		case KCT_EVENT_BLOCK:
			if (ev.depth && stack[ev.depth - 1].fn)
				stack[ev.depth - 1].fn->excl++;
			else if (ev.depth)
				stack[ev.depth - 1].pending++;
			break;
		case KCT_EVENT_EXIT:
			fn = stack[ev.depth].fn;
			if (!fn && ev.pc) {
				pc_name(sym, ev.pc, &n);
				fn = fn_get(t, &n);
				fn->calls++;
				fn->excl += stack[ev.depth].pending;
				fn->active++;
			}
			if (!fn)
				break;
			fn->excl += real;
			/* An outer call of the same function counts these. */
			if (--fn->active == 0)
				fn->incl += *records - stack[ev.depth].start;
			break;
		default:
			break;
		}
	}
	err = got;
	if (err < 0)
		die("decoding: %s", kct_strerror(err));
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
	struct fn_table t = { 0 };
	struct kct_symbolizer *sym;
	struct kct_trace *trace;
	struct fn_stats *sorted;
	unsigned long limit = ~0UL;
	uint64_t records = 0;
	size_t nr = 0;
	int c, err;

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
				die("report: --sort takes incl, excl, calls or name, not '%s'", optarg);
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
		die("report: expected one trace file (see kcovtrace report --help)");
	trace = open_trace(argv[optind]);
	sym = open_symbolizer(&symopts);
	for (uint32_t i = 0; i < kct_trace_info(trace)->nr_streams; i++) {
		struct kct_decoder *dec;

		err = kct_trace_decoder(trace, i, &dec);
		if (err)
			die("%s: %s", argv[optind], kct_strerror(err));
		report_stream(dec, sym, &t, &records);
		kct_decoder_free(dec);
	}
	sorted = malloc((t.nr ? t.nr : 1) * sizeof(*sorted));
	if (!sorted)
		die("out of memory");
	for (size_t i = 0; i < t.cap; i++)
		if (t.v[i].name || t.v[i].key)
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
	free(sorted);
	free(t.v);
	kct_symbolizer_free(sym);
	kct_trace_close(trace);
	return 0;
}
