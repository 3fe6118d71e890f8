// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace race: run a race test case's two threads on the memory access
 * mode, find where they interfere, and force orders there with the
 * kernel's delay injection (docs/races.md).  Sub-verbs:
 *   run      one sequential run: traces and the interference set;
 *   explore  every candidate access forced A-B-A (and B-A-B), each run
 *            classified, findings with the command that repeats them;
 *   force    one such order, the reproducer;
 *   show     the interference view of two threads' traces.
 * The running is race-run.c's, the analysis race-interfere.c's.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kcovtrace-tool.h"
#include "kcovtrace.h"
#include "messages.h"
#include "options.h"
#include "output.h"
#include "race-interfere.h"
#include "race-run.h"
#include "symbols.h"
#include "traces.h"

static const char race_usage[] =
"usage: kcovtrace race run TESTCASE [-o DIR] [--repeat N]\n"
"       kcovtrace race explore TESTCASE [-o DIR] [--order aba|bab|both]\n"
"                              [--spin-limit N] [--runs N]\n"
"       kcovtrace race force TESTCASE (--aba|--bab) STACK [-o DIR] [--runs N]\n"
"       kcovtrace race show [--stacks] TRACE [TRACE]\n"
"\n"
"Run a race test case's two threads, each traced in KCOV_TRACE_MEMORY_ACCESS,\n"
"and force the order of their accesses with the kernel's delay injection\n"
"(KCOV_SET_DI).  TESTCASE is a shared object exporting test_setup(),\n"
"test_thread1(), test_thread2() and test_end(), and optionally\n"
"int test_outcome(char *buf, size_t len), a string saying what the run came\n"
"to; or a .c file, compiled with cc -shared -fPIC -O2 first.\n"
"\n"
"  run      thread 1, then thread 2: both traces to DIR/sequential.kct and\n"
"           where they interfere (the bytes one accesses that the other\n"
"           writes), each side's accesses there; --repeat N then runs the\n"
"           two threads side by side N times, no order forced, and counts\n"
"           the runs whose outcome differs from the sequential run's\n"
"  explore  the sequential run, then for each candidate access (one in the\n"
"           interference set) of thread 1, A-B-A: thread 1 stops before it\n"
"           while thread 2 runs whole; of thread 2, B-A-B.  Each run is\n"
"           injection-failed (the access never came), timeout (the wait\n"
"           gave up), reordered, or reordered with a different outcome (the\n"
"           test's string, the kernel's first KASAN, WARNING, BUG, general\n"
"           protection or Oops line): a finding, whose traces go to DIR and\n"
"           whose reproduce line forces the same order again\n"
"  force    one order: --aba STACK stops thread 1 at the access STACK names,\n"
"           --bab STACK thread 2; STACK is IP:ORD,... as explore prints it\n"
"  show     the two threads' call trees (streams 0 and 1 of one trace, or\n"
"           stream 0 of two), cut to the accesses where they interfere\n"
"\n"
"  -o, --output DIR   where traces go (default race.out)\n"
"  --order ORDER      explore: aba, bab or both (default both)\n"
"  --spin-limit N     how many times a stopped thread checks its flag before\n"
"                     it gives up (default 100000000; the kernel gives up\n"
"                     after one second anyway)\n"
"  --runs N           explore, force: force each order N times (default 1)\n"
"  --repeat N         run: N more runs side by side, nothing forced\n"
"  --buffer WORDS     each thread's kcov buffer (default 1048576 words)\n"
"  --stacks           show: each access's STACK, for force\n"
SYMBOL_HELP
"  -h, --help         this text\n";

struct race_opts {
	const char *testcase;
	const char *dir;
	enum race_order force_order;
	const char *force_stack;
	bool aba, bab;
	unsigned long runs, repeat;
	uint64_t spin_limit, buffer_words;
	bool stacks;
	struct symbol_opts sym;
};

/* ---- printing ---- */

static struct out out;
static struct kct_symbolizer *sym;

static void out_name(uint64_t pc)
{
	struct pc_name n;

	pc_name(sym, pc, &n);
	out_pc(&out, &n, pc);
}

static void out_one_access(const struct race_access *a)
{
	struct kct_event ev = {
		.type = KCT_EVENT_ACCESS, .pc = a->pc, .addr = a->addr, .size = a->size,
		.access = a->access & ~KCT_ACCESS_F_VALUE,
	};

	out_access(&out, sym, &ev);
	out_str(&out, "  at ");
	out_name(a->pc);
}

/* The stack of access i of t, as force takes it ("" if none can name it). */
static int stack_of(const struct race_trace *t, size_t i, struct race_elem *e, char *buf,
		    size_t size)
{
	int n = race_di_stack(t, i, e, RACE_MAX_ELEMS);

	buf[0] = '\0';
	if (n > 0)
		race_stack_format(e, (size_t)n, buf, size);
	return n;
}

/* "func+0x0#0 > func2+0x0#1 > func3+0x4a#0": a stack for humans. */
static void out_stack_names(const struct race_elem *e, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (k)
			out_str(&out, " > ");
		out_name(e[k].ip);
		out_char(&out, '#');
		out_dec(&out, e[k].ord);
	}
}

/* Up to this many accesses of a thread per range. */
#define RANGE_ACCESSES 6

static void print_interference(const struct race_trace t[2], const struct race_interference *in)
{
	size_t cand[2] = { 0, 0 };

	for (int i = 0; i < 2; i++)
		for (size_t k = 0; k < t[i].nr_acc; k++)
			cand[i] += race_interferes(in, i, &t[i].acc[k]);
	out_str(&out, "interference: ");
	out_dec(&out, in->all.nr);
	out_str(&out, plural(in->all.nr, " range", " ranges"));
	out_str(&out, "; candidates: ");
	out_dec(&out, cand[0]);
	out_str(&out, plural(cand[0], " access", " accesses"));
	out_str(&out, " of thread 1, ");
	out_dec(&out, cand[1]);
	out_str(&out, " of thread 2\n");
	for (size_t r = 0; r < in->all.nr; r++) {
		const struct race_range *rg = &in->all.r[r];
		KCT_OPTS(kct_symbol, s);
		bool writes[2];

		for (int i = 0; i < 2; i++)
			writes[i] = race_ranges_overlap(&in->writes[i], rg->start, rg->end);
		out_str(&out, "range ");
		out_hex(&out, rg->start);
		out_char(&out, '-');
		out_hex(&out, rg->end);
		out_str(&out, " (");
		out_dec(&out, rg->end - rg->start + 1);
		out_str(&out, plural(rg->end - rg->start + 1, " byte", " bytes"));
		if (sym && !kct_symbolize_data(sym, rg->start, &s)) {
			out_str(&out, ", ");
			out_mem(&out, s.name, s.name_len);
			out_char(&out, '+');
			out_hex(&out, rg->start - s.addr);
		}
		out_str(&out, "): ");
		out_str(&out, writes[0] && writes[1] ? "both threads write" :
			      writes[0] ? "thread 1 writes" : "thread 2 writes");
		out_char(&out, '\n');
		for (int i = 0; i < 2; i++) {
			size_t shown = 0, more = 0;

			for (size_t k = 0; k < t[i].nr_acc; k++) {
				const struct race_access *a = &t[i].acc[k];
				uint64_t end = a->addr + (a->size ? a->size - 1 : 0);

				if (!a->size || end < rg->start || a->addr > rg->end)
					continue;
				if (shown++ >= RANGE_ACCESSES) {
					more++;
					continue;
				}
				out_str(&out, "  thread ");
				out_dec(&out, (uint64_t)i + 1);
				out_str(&out, ": ");
				out_one_access(a);
				out_char(&out, '\n');
			}
			if (more) {
				out_str(&out, "  thread ");
				out_dec(&out, (uint64_t)i + 1);
				out_str(&out, ": ... and ");
				out_dec(&out, more);
				out_str(&out, " more\n");
			}
		}
	}
	out_flush(&out);
}

/* ---- running ---- */

static void make_dir(const char *dir)
{
	if (mkdir(dir, 0777) && errno != EEXIST)
		die("race: %s: %s", dir, strerror(errno));
}

static char *path_in(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		die("out of memory");
	return p;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The sequential run: its traces in DIR/sequential.kct, the symbolizer
 * for them, its outcome. */
static void sequential(struct race_runner *r, const struct race_case *c, const struct race_opts *o,
		       struct race_result *seq,
		       char *outcome, size_t size, bool verbose)
{
	char *path = path_in(o->dir, "sequential.kct");
	struct kct_trace *trace;

	if (race_run(r, c, RACE_SEQUENTIAL, NULL, 0, seq))
		die("race: the sequential run: %s", seq->error);
	race_write_trace(r, seq, path, o->testcase, NULL);
	/* Symbols as the readers find them for this trace. */
	trace = open_trace(path);
	sym = open_symbolizer(&o->sym, trace, path);
	kct_trace_close(trace);
	race_outcome(seq, outcome, size);
	if (verbose) {
		printf("sequential run: thread 1 %" PRIu64 " accesses, thread 2 %" PRIu64
		       " accesses; outcome: %s; traces: %s\n", (uint64_t)seq->trace[0].nr_acc,
		       (uint64_t)seq->trace[1].nr_acc, *outcome ? outcome : "none", path);
		for (int i = 0; i < 2; i++)
			if (seq->full[i])
				warn("race: thread %d's kcov buffer filled up: its trace is cut short "
				     "(--buffer)", i + 1);
	}
	free(path);
}

enum verdict { V_FAILED, V_TIMEOUT, V_REORDERED, V_DIFFERENT, V_ERROR, V_NR };

static const char *const verdict_names[V_NR] = {
	"injection-failed", "timeout", "reordered", "reordered, different outcome", "error",
};

static enum verdict classify(const struct race_result *res, const char *seq_outcome, char *outcome,
			     size_t size)
{
	const struct race_trace *t = &res->trace[res->order == RACE_ABA ? 0 : 1];

	race_outcome(res, outcome, size);
	if (!t->waits)
		return V_FAILED;
	if (t->timed_out)
		return V_TIMEOUT;
	return strcmp(outcome, seq_outcome) ? V_DIFFERENT : V_REORDERED;
}

struct tally {
	uint64_t n[V_NR];
	uint64_t runs, findings;
	double seconds;
};

/*
 * Forces order o at stack e (n elements), runs times; prints a line per
 * run, and for a finding its traces and reproduce line.  label names the
 * run ("aba 3/12").
 */
static void force_runs(struct race_runner *r, const struct race_case *c, const struct race_opts *o,
		       enum race_order ord, const struct race_elem *e, size_t n, const char *label,
		       const char *seq_outcome, struct tally *tally)
{
	char stack[RACE_MAX_ELEMS * 40], outcome[RACE_OUTCOME_MAX * 2 + 64];

	race_stack_format(e, n, stack, sizeof(stack));
	for (unsigned long k = 0; k < o->runs; k++) {
		struct race_result res;
		enum verdict v;
		double t0 = now();

		if (race_run(r, c, ord, e, n, &res)) {
			v = V_ERROR;
			snprintf(outcome, sizeof(outcome), "%s", res.error);
		} else {
			v = classify(&res, seq_outcome, outcome, sizeof(outcome));
		}
		tally->seconds += now() - t0;
		tally->runs++;
		tally->n[v]++;
		out_char(&out, '[');
		out_str(&out, label);
		if (o->runs > 1) {
			out_str(&out, " run ");
			out_dec(&out, k + 1);
		}
		out_str(&out, "] ");
		out_str(&out, verdict_names[v]);
		out_str(&out, ": ");
		out_name(e[n - 1].ip);
		out_char(&out, '#');
		out_dec(&out, e[n - 1].ord);
		if (*outcome && v != V_REORDERED) {
			out_str(&out, ": ");
			out_str(&out, outcome);
		}
		out_char(&out, '\n');
		if (v == V_DIFFERENT) {
			char name[64], *path;

			tally->findings++;
			snprintf(name, sizeof(name), "finding-%" PRIu64 ".kct", tally->findings);
			path = path_in(o->dir, name);
			race_write_trace(r, &res, path, o->testcase, stack);
			out_str(&out, "  finding ");
			out_dec(&out, tally->findings);
			out_str(&out, ": traces in ");
			out_str(&out, path);
			out_str(&out, "\n  stack: ");
			out_stack_names(e, n);
			out_str(&out, "\n  reproduce: kcovtrace race force ");
			out_str(&out, o->testcase);
			out_str(&out, ord == RACE_ABA ? " --aba '" : " --bab '");
			out_str(&out, stack);
			out_str(&out, "'\n");
			free(path);
		}
		out_flush(&out);
		if (v != V_ERROR)
			race_result_free(&res);
	}
}

static void print_tally(const char *verb, const struct tally *t)
{
	printf("%s: %" PRIu64 " %s in %.1f s (%.2f s per run): injection-failed %" PRIu64
	       ", timeout %" PRIu64 ", reordered %" PRIu64 ", reordered with a different outcome %"
	       PRIu64 ", errors %" PRIu64 "; %" PRIu64 " %s\n", verb, t->runs,
	       plural(t->runs, "run", "runs"), t->seconds, t->runs ? t->seconds / t->runs : 0.0,
	       t->n[V_FAILED], t->n[V_TIMEOUT], t->n[V_REORDERED], t->n[V_DIFFERENT], t->n[V_ERROR],
	       t->findings, plural(t->findings, "finding", "findings"));
}

static struct race_runner *open_runner(const struct race_opts *o, bool need_di)
{
	struct race_runner_opts ro = {
		.buffer_words = o->buffer_words,
		.need_di = need_di,
		.spin_limit = o->spin_limit,
	};

	struct race_runner *r = race_runner_open(&ro);

	make_dir(o->dir);
	return r;
}

static int race_cmd_run(const struct race_opts *o)
{
	struct race_case c;
	struct race_runner *r;
	struct race_result seq;
	struct race_interference in;
	char seq_outcome[RACE_OUTCOME_MAX * 2 + 64], outcome[sizeof(seq_outcome)];
	uint64_t different = 0, reports = 0;
	double t0;

	race_case_load(&c, o->testcase);
	r = open_runner(o, false);
	sequential(r, &c, o, &seq, seq_outcome, sizeof(seq_outcome), true);
	race_interference_build(&in, &seq.trace[0], &seq.trace[1]);
	print_interference(seq.trace, &in);
	race_interference_free(&in);
	race_result_free(&seq);
	t0 = now();
	for (unsigned long k = 0; k < o->repeat; k++) {
		struct race_result res;

		if (race_run(r, &c, RACE_CONCURRENT, NULL, 0, &res))
			die("race: run %lu side by side: %s", k + 1, res.error);
		race_outcome(&res, outcome, sizeof(outcome));
		reports += res.kernel_lines != 0;
		if (strcmp(outcome, seq_outcome)) {
			if (!different++)
				printf("side by side, run %lu: a different outcome: %s\n", k + 1, outcome);
		}
		race_result_free(&res);
	}
	if (o->repeat)
		printf("side by side: %lu %s in %.1f s, %" PRIu64 " with a different outcome, %" PRIu64
		       " with a kernel report\n", o->repeat, plural(o->repeat, "run", "runs"),
		       now() - t0, different, reports);
	race_runner_close(r);
	close_symbolizer(sym);
	return 0;
}

static int race_cmd_explore(const struct race_opts *o)
{
	struct race_case c;
	struct race_runner *r;
	struct race_result seq;
	struct race_interference in;
	char seq_outcome[RACE_OUTCOME_MAX * 2 + 64];
	static struct race_elem e[RACE_MAX_ELEMS];
	struct tally tally;

	memset(&tally, 0, sizeof(tally));
	race_case_load(&c, o->testcase);
	r = open_runner(o, true);
	sequential(r, &c, o, &seq, seq_outcome, sizeof(seq_outcome), true);
	race_interference_build(&in, &seq.trace[0], &seq.trace[1]);
	print_interference(seq.trace, &in);
	for (int i = 0; i < 2; i++) {
		enum race_order ord = i ? RACE_BAB : RACE_ABA;
		size_t nr = 0, k = 0, unnamed = 0, deep = 0;

		if (!(i ? o->bab : o->aba))
			continue;
		for (size_t a = 0; a < seq.trace[i].nr_acc; a++)
			nr += race_interferes(&in, i, &seq.trace[i].acc[a]);
		for (size_t a = 0; a < seq.trace[i].nr_acc; a++) {
			char label[64];
			int n;

			if (!race_interferes(&in, i, &seq.trace[i].acc[a]))
				continue;
			k++;
			n = race_di_stack(&seq.trace[i], a, e, RACE_MAX_ELEMS);
			if (n <= 0) {
				/* A frame the stream does not name (an
				 * EESUM record's): no stack reaches it; or
				 * deeper than a stack the kernel takes. */
				unnamed += n == 0;
				deep += n < 0;
				continue;
			}
			snprintf(label, sizeof(label), "%s %zu/%zu", race_order_name(ord), k, nr);
			force_runs(r, &c, o, ord, e, (size_t)n, label, seq_outcome, &tally);
		}
		if (unnamed)
			printf("%s: %zu %s in frames no stack can name (opened by EESUM records): "
			       "not forced\n", race_order_name(ord), unnamed,
			       plural(unnamed, "candidate", "candidates"));
		if (deep)
			printf("%s: %zu %s deeper than a stack can be (%d elements): not forced\n",
			       race_order_name(ord), deep, plural(deep, "candidate", "candidates"),
			       RACE_MAX_ELEMS);
	}
	print_tally("explore", &tally);
	race_interference_free(&in);
	race_result_free(&seq);
	race_runner_close(r);
	close_symbolizer(sym);
	return 0;
}

static int race_cmd_force(const struct race_opts *o)
{
	static struct race_elem e[RACE_MAX_ELEMS];
	struct race_case c;
	struct race_runner *r;
	struct race_result seq;
	char seq_outcome[RACE_OUTCOME_MAX * 2 + 64];
	struct tally tally;
	int n = race_stack_parse(o->force_stack, e, RACE_MAX_ELEMS);

	memset(&tally, 0, sizeof(tally));
	if (n < 0)
		usage_die("race: force: %s: not a stack (IP:ORD,IP:ORD,..., as explore prints it)%s",
			  o->force_stack, n == -E2BIG ? ": more than 128 elements" : "");
	race_case_load(&c, o->testcase);
	r = open_runner(o, true);
	sequential(r, &c, o, &seq, seq_outcome, sizeof(seq_outcome), false);
	printf("sequential run: outcome: %s\n", *seq_outcome ? seq_outcome : "none");
	race_result_free(&seq);
	force_runs(r, &c, o, o->force_order, e, (size_t)n, race_order_name(o->force_order),
		   seq_outcome, &tally);
	print_tally("force", &tally);
	race_runner_close(r);
	close_symbolizer(sym);
	return 0;
}

/* ---- show ---- */

/*
 * Thread i's call tree, cut to its accesses that interfere: the frames
 * that lead to each, outermost first, as replay indents them, then the
 * access, "at" its function; each frame once while it stays open.
 */
static void show_thread(const struct race_trace *t, int i, const struct race_interference *in,
			bool stacks)
{
	uint32_t *shown = calloc(t->nr_frames + 1, sizeof(*shown)), nshown = 0;
	uint32_t *path = calloc(t->nr_frames + 1, sizeof(*path));
	static struct race_elem e[RACE_MAX_ELEMS];
	char buf[RACE_MAX_ELEMS * 40];

	if (!shown || !path)
		die("out of memory");
	for (size_t k = 0; k < t->nr_acc; k++) {
		const struct race_access *a = &t->acc[k];
		uint32_t depth = 0, f;

		if (!race_interferes(in, i, a))
			continue;
		/* The frames from the outermost in (the root left out). */
		for (f = a->frame; t->frames[f].depth; f = t->frames[f].parent)
			path[depth++] = f;
		for (uint32_t l = 0; l < depth; l++) {
			uint32_t fr = path[depth - 1 - l];

			if (l < nshown && shown[l] == fr)
				continue;
			nshown = l + 1;
			shown[l] = fr;
			out_spaces(&out, 2 * l);
			out_str(&out, "ENTER ");
			out_name(t->frames[fr].ip);
			out_char(&out, '\n');
		}
		nshown = depth;
		out_spaces(&out, 2 * depth);
		out_one_access(a);
		if (stacks) {
			int n = stack_of(t, k, e, buf, sizeof(buf));

			out_str(&out, n > 0 ? "  stack " : "  (no stack names it)");
			out_str(&out, buf);
		}
		out_char(&out, '\n');
	}
	free(shown);
	free(path);
}

static int race_cmd_show(const struct race_opts *o, int argc, char **argv)
{
	struct kct_trace *traces[2] = { NULL, NULL };
	struct race_trace t[2];
	struct race_interference in;
	const char *paths[2];

	if (argc < 1 || argc > 2)
		usage_die("race: show takes one trace of two streams, or two traces");
	for (int i = 0; i < argc; i++) {
		KCT_OPTS(kct_trace_info, info);

		paths[i] = argv[i];
		traces[i] = open_trace(argv[i]);
		kct_trace_get_info(traces[i], &info);
		if (argc == 1 && info.nr_streams != 2)
			die("race: show: %s has %u %s, not the two of a race run (or give two traces)",
			    argv[i], info.nr_streams, plural(info.nr_streams, "stream", "streams"));
		if (argc == 2 && info.nr_streams < 1)
			die("race: show: %s has no stream", argv[i]);
	}
	for (int i = 0; i < 2; i++) {
		struct kct_trace *tr = traces[argc == 2 ? i : 0];
		const char *p = paths[argc == 2 ? i : 0];
		uint32_t s = argc == 2 ? 0 : (uint32_t)i;
		KCT_OPTS(kct_stream_info, sh);
		struct kct_decoder *dec;
		int err;

		kct_trace_stream(tr, s, &sh);
		if (sh.mode != KCT_MODE_TRACE_MEMORY_ACCESS)
			die("race: show: %s: stream %u is not of KCOV_TRACE_MEMORY_ACCESS (record "
			    "--mode memory, or race run)", p, s);
		dec = open_stream(tr, s, p);
		err = race_trace_decode(&t[i], dec);
		kct_decoder_free(dec);
		if (err)
			die("race: show: %s: stream %u: %s", p, s, kct_strerror(err));
	}
	sym = open_symbolizer(&o->sym, traces[0], paths[0]);
	race_interference_build(&in, &t[0], &t[1]);
	print_interference(t, &in);
	for (int i = 0; i < 2; i++) {
		out_str(&out, "\n# thread ");
		out_dec(&out, (uint64_t)i + 1);
		out_str(&out, ": its accesses where the threads interfere\n");
		show_thread(&t[i], i, &in, o->stacks);
	}
	out_flush(&out);
	if (fflush(stdout))
		die("write error");
	race_interference_free(&in);
	for (int i = 0; i < 2; i++) {
		race_trace_free(&t[i]);
		if (traces[i])
			kct_trace_close(traces[i]);
	}
	close_symbolizer(sym);
	return 0;
}

int cmd_race(int argc, char **argv)
{
	enum { OPT_ORDER = 0x300, OPT_SPIN, OPT_RUNS, OPT_REPEAT, OPT_ABA, OPT_BAB, OPT_BUFFER,
	       OPT_STACKS };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "order", required_argument, NULL, OPT_ORDER },
		{ "spin-limit", required_argument, NULL, OPT_SPIN },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "aba", required_argument, NULL, OPT_ABA },
		{ "bab", required_argument, NULL, OPT_BAB },
		{ "buffer", required_argument, NULL, OPT_BUFFER },
		{ "stacks", no_argument, NULL, OPT_STACKS },
		{ "help", no_argument, NULL, 'h' },
		SYMBOL_LONGOPTS,
		{ 0 }
	};
	struct race_opts o = { .dir = "race.out", .aba = true, .bab = true, .runs = 1 };
	const char *sub;
	bool order_given = false;
	int c;

	out.f = stdout;
	if (argc < 2) {
		fputs(race_usage, stderr);
		return 2;
	}
	sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		fputs(race_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "run") && strcmp(sub, "explore") && strcmp(sub, "force") && strcmp(sub, "show"))
		usage_die("race: unknown sub-command '%s' (run, explore, force or show)", sub);
	/* getopt() past the sub-command; options may come after the test case. */
	argv[1] = argv[0];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (symbol_option(&o.sym, c, optarg))
			continue;
		switch (c) {
		case 'o':
			o.dir = optarg;
			break;
		case OPT_ORDER:
			order_given = true;
			if (!strcmp(optarg, "aba"))
				o.bab = false;
			else if (!strcmp(optarg, "bab"))
				o.aba = false;
			else if (strcmp(optarg, "both"))
				usage_die("race: --order: aba, bab or both, not '%s'", optarg);
			break;
		case OPT_SPIN:
			o.spin_limit = parse_ulong(optarg, "--spin-limit");
			if (!o.spin_limit)
				usage_die("race: --spin-limit takes 1 or more");
			break;
		case OPT_RUNS:
			o.runs = parse_ulong_max(optarg, "--runs", 1000000);
			if (!o.runs)
				usage_die("race: --runs takes 1 or more");
			break;
		case OPT_REPEAT:
			o.repeat = parse_ulong_max(optarg, "--repeat", 1000000);
			break;
		case OPT_ABA:
		case OPT_BAB:
			if (o.force_stack)
				usage_die("race: force takes one of --aba and --bab, once");
			o.force_stack = optarg;
			o.force_order = c == OPT_ABA ? RACE_ABA : RACE_BAB;
			break;
		case OPT_BUFFER:
			o.buffer_words = parse_ulong_max(optarg, "--buffer", 1UL << 31);
			if (o.buffer_words < 512 || o.buffer_words % 512)
				usage_die("race: --buffer: whole pages of words (a multiple of 512), "
					  "not %s", optarg);
			break;
		case OPT_STACKS:
			o.stacks = true;
			break;
		case 'h':
			fputs(race_usage, stdout);
			return 0;
		default:
			return short_usage(race_usage);
		}
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(sub, "show")) {
		if (o.force_stack || order_given || o.repeat || o.runs != 1 || o.spin_limit)
			usage_die("race: show takes --stacks and symbol options only");
		return race_cmd_show(&o, argc, argv);
	}
	if (argc != 1)
		usage_die("race: %s takes one test case (a .so, or a .c file)%s", sub,
			  argc ? ", no more" : "");
	o.testcase = argv[0];
	if (!strcmp(sub, "force") ? !o.force_stack : !!o.force_stack)
		usage_die(!strcmp(sub, "force") ? "race: force needs --aba STACK or --bab STACK" :
			  "race: --aba and --bab are for force");
	if (order_given && strcmp(sub, "explore"))
		usage_die("race: --order is for explore");
	if (o.repeat && strcmp(sub, "run"))
		usage_die("race: --repeat is for run");
	if (o.runs != 1 && !strcmp(sub, "run"))
		usage_die("race: --runs is for explore and force (run has --repeat)");
	if (!strcmp(sub, "run"))
		return race_cmd_run(&o);
	if (!strcmp(sub, "explore"))
		return race_cmd_explore(&o);
	return race_cmd_force(&o);
}
