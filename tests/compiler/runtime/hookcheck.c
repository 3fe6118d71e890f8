// SPDX-License-Identifier: GPL-2.0-only
/*
 * hookcheck PROG TRACE: checks that a hookrec trace of PROG is balanced and
 * ordered, then prints its call tree as function names, one per line,
 * indented by depth, for the test to compare with the tree the program's
 * source implies.
 *
 * Balanced: no exit without an entry, no frame left open.  Ordered: every
 * frame starts with its entry record, and each block and exit record lies in
 * the function whose entry opened the current frame (or, for a function
 * inlined into it, in that frame's function).  GCC's "foo.cold", the
 * unlikely part of foo() that it moves away, runs in foo()'s frame: the
 * symbolizer's frame_addr says so.
 *
 *   --allow-unbalanced   report imbalance in the summary instead of failing
 *   --no-blocks          fail if the trace has basic-block records
 *   --summary            print counts after the tree
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace.h"

static const char *prog;

static void fail(const struct kct_event *ev, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "hookcheck: %s: record %llu: ", prog, (unsigned long long)ev->index);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(1);
}

/* The symbol of pc, and in *frame the start of the function whose frame
 * its code runs in. */
static const char *function_of(struct kct_symbolizer *sym, uint64_t pc, uint64_t *frame)
{
	struct kct_symbol s = { .sz = sizeof(s) };

	if (kct_symbolize(sym, pc, &s))
		return NULL;
	*frame = s.frame_addr;
	return s.name;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "allow-unbalanced", no_argument, NULL, 'u' },
		{ "no-blocks", no_argument, NULL, 'b' },
		{ "summary", no_argument, NULL, 's' },
		{ 0 }
	};
	bool allow_unbalanced = false, no_blocks = false, summary = false;
	struct kct_decoder_stats st = { .sz = sizeof(st) };
	struct kct_symbolizer *sym;
	struct kct_decoder *dec;
	struct kct_trace *trace;
	struct kct_event ev;
	uint64_t *frame_fn = NULL;
	size_t cap = 0;
	int c, err;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			allow_unbalanced = true;
			break;
		case 'b':
			no_blocks = true;
			break;
		case 's':
			summary = true;
			break;
		default:
			return 2;
		}
	}
	if (optind + 2 != argc) {
		fprintf(stderr, "usage: hookcheck [--allow-unbalanced] [--no-blocks] [--summary] PROG TRACE\n");
		return 2;
	}
	prog = argv[optind];
	if ((err = kct_trace_open(argv[optind + 1], &trace)) ||
	    (err = kct_trace_decoder(trace, 0, &dec))) {
		fprintf(stderr, "hookcheck: %s: %s\n", argv[optind + 1], kct_strerror(err));
		return 1;
	}
	if ((err = kct_symbolizer_new(&sym)) || (err = kct_symbolizer_add_elf(sym, prog))) {
		fprintf(stderr, "hookcheck: %s: %s\n", prog, kct_strerror(err));
		return 1;
	}

	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0) {
		uint64_t fn = 0;
		const char *name = function_of(sym, ev.pc, &fn);
		char pcs[32];

		snprintf(pcs, sizeof(pcs), "0x%llx", (unsigned long long)ev.pc);
		if (!name && !(ev.flags & KCT_EVENT_F_SYNTHETIC))
			fail(&ev, "pc %s%s is in no function", pcs, "");
		if (ev.depth + 1 > cap) {
			cap = cap ? cap * 2 : 64;
			frame_fn = realloc(frame_fn, cap * sizeof(*frame_fn));
			if (!frame_fn)
				return 1;
		}
		switch (ev.type) {
		case KCT_EVENT_ENTER:
			frame_fn[ev.depth] = fn;
			printf("%*s%s%s\n", (int)ev.depth * 2, "", name ? name : "?",
			       ev.flags & KCT_EVENT_F_UNKNOWN_CALLER ? " [entered before trace]" : "");
			break;
		case KCT_EVENT_BLOCK:
			if (no_blocks)
				fail(&ev, "unexpected basic-block record at %s in %s", pcs, name);
			if (ev.depth && fn != frame_fn[ev.depth - 1])
				fail(&ev, "block at %s in %s is outside the current frame's function",
				     pcs, name);
			break;
		case KCT_EVENT_EXIT:
			if (!(ev.flags & KCT_EVENT_F_SYNTHETIC) && fn != frame_fn[ev.depth])
				fail(&ev, "exit at %s in %s closes a frame of another function",
				     pcs, name);
			break;
		default:
			break;
		}
	}
	if (err < 0) {
		fprintf(stderr, "hookcheck: decoding: %s\n", kct_strerror(err));
		return 1;
	}
	kct_decoder_get_stats(dec, &st);
	if (summary || (!allow_unbalanced && (st.orphan_exits || st.unfinished)))
		fprintf(summary ? stdout : stderr,
			"records=%llu enters=%llu exits=%llu blocks=%llu unknown=%llu "
			"orphan_exits=%llu unfinished=%llu\n",
			(unsigned long long)st.records, (unsigned long long)st.enters,
			(unsigned long long)st.exits, (unsigned long long)st.blocks,
			(unsigned long long)st.unknown, (unsigned long long)st.orphan_exits,
			(unsigned long long)st.unfinished);
	if (!allow_unbalanced && (st.orphan_exits || st.unfinished || st.unknown)) {
		fprintf(stderr, "hookcheck: %s: trace is not balanced\n", prog);
		return 1;
	}
	free(frame_fn);
	kct_decoder_free(dec);
	kct_symbolizer_free(sym);
	kct_trace_close(trace);
	return 0;
}
