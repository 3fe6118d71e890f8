// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_ext_test: the in-guest TAP suite of the KCOV_TRACE_PC_EXT series.
 *
 *   kcov_ext_test [--no-ext] [--system-map FILE] [--module KO]
 *
 * --no-ext runs the checks for a kernel built without CONFIG_KCOV_EXT_RECORDS
 * instead.  --module loads the lab's module (lab/module), whose remote
 * sections the remote tests collect.  Symbols come from FILE (default /lab/System.map, which lab/run
 * copies in).  Every check that the kernel did not misbehave in the kernel
 * log (WARNING, BUG, KASAN) is lab/run's: it fails the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kcov.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kcovtrace.h"

#ifndef KCOV_RECORD_IP_MASK
#error "<linux/kcov.h> lacks KCOV_TRACE_PC_EXT: build against the patched headers"
#endif
#define ENOTSUPP 524

#define BIG_WORDS (1 << 18)

static int tests, failures;
/* The mode of the tests that run on both kernels. */
static unsigned long trace_mode = KCOV_TRACE_PC_EXT;
static struct kct_symbolizer *symbols;
static uint64_t text_start, text_end, text_link;

static void report(bool pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures += !pass;
	fflush(stdout);
}

static void skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - ", ++tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- a kcov handle ---- */

struct kcov {
	int fd;
	unsigned long *cover;
	unsigned long words;
};

static int kcov_open(struct kcov *k, unsigned long words)
{
	k->fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (k->fd < 0)
		return -errno;
	k->words = words;
	if (ioctl(k->fd, KCOV_INIT_TRACE, words))
		return -errno;
	k->cover = mmap(NULL, words * sizeof(unsigned long), PROT_READ | PROT_WRITE,
			MAP_SHARED, k->fd, 0);
	if (k->cover == MAP_FAILED)
		return -errno;
	return 0;
}

static void kcov_close(struct kcov *k)
{
	if (k->cover && k->cover != MAP_FAILED)
		munmap(k->cover, k->words * sizeof(unsigned long));
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	k->cover = NULL;
}

static int kcov_enable(struct kcov *k, unsigned long mode)
{
	return ioctl(k->fd, KCOV_ENABLE, mode) ? -errno : 0;
}

static int kcov_disable(struct kcov *k)
{
	return ioctl(k->fd, KCOV_DISABLE, 0) ? -errno : 0;
}

static void do_getppid(void *arg)
{
	long n = arg ? (long)arg : 1;

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void do_getpid(void *arg)
{
	long n = arg ? (long)arg : 1;

	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
}

static void do_nanosleep(void *arg)
{
	struct timespec ts = { 0, 1000000 };

	(void)arg;
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
}

/* Runs fn between a reset and a read of the buffer, as the seed's example
 * does; returns the number of records. */
static unsigned long collect(struct kcov *k, void (*fn)(void *), void *arg)
{
	__atomic_store_n(&k->cover[0], 0, __ATOMIC_RELAXED);
	fn(arg);
	return __atomic_load_n(&k->cover[0], __ATOMIC_RELAXED);
}

/* ---- checking a stream ---- */

struct stream_check {
	unsigned long records;
	struct kct_decoder_stats st;
	bool in_text;		/* every PC in [_stext, _etext) */
	bool symbolized;	/* every PC is in a function */
	bool frames_right;	/* blocks and exits lie in their frame's function */
	char bad[256];		/* the first problem */
	/* Entered functions, each once; the symbolizer's name pointers are
	 * stable, so a pointer identifies a function. */
	const char *names[4096];
	unsigned int nr_names;
};

static void add_name(struct stream_check *c, const char *name)
{
	for (unsigned int i = 0; i < c->nr_names; i++)
		if (c->names[i] == name)
			return;
	if (c->nr_names < sizeof(c->names) / sizeof(c->names[0]))
		c->names[c->nr_names++] = name;
}

static void check_stream(const unsigned long *recs, unsigned long n, struct stream_check *c)
{
	struct kct_decoder_opts opts = { .sz = sizeof(opts), .pc_fill = KCT_PC_FILL_KERNEL };
	const char *frame_fn[512];
	struct kct_decoder *dec;
	struct kct_event ev;
	int err;

	memset(c, 0, sizeof(*c));
	c->records = n;
	c->in_text = c->symbolized = c->frames_right = true;
	if (kct_decoder_new_mem((const uint64_t *)recs, n, &opts, &dec)) {
		snprintf(c->bad, sizeof(c->bad), "decoder failed");
		c->symbolized = false;
		return;
	}
	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0) {
		struct kct_symbol s = { .sz = sizeof(s) };
		/* Synthetic events and EESUM records carry no PC. */
		bool synthetic = ev.flags & KCT_EVENT_F_SYNTHETIC || ev.type == KCT_EVENT_EESUM;
		const char *fn = NULL;

		if (!synthetic && (ev.pc < text_start || ev.pc >= text_end)) {
			if (c->in_text)
				snprintf(c->bad, sizeof(c->bad), "record %llu: pc %#llx outside kernel text",
					 (unsigned long long)ev.index, (unsigned long long)ev.pc);
			c->in_text = false;
		}
		if (!kct_symbolize(symbols, ev.pc, &s))
			fn = s.name;
		else if (!synthetic)
			c->symbolized = false;
		if (ev.depth >= 512)
			continue;
		switch (ev.type) {
		case KCT_EVENT_ENTER:
			frame_fn[ev.depth] = fn;
			if (fn)
				add_name(c, fn);
			break;
		case KCT_EVENT_BLOCK:
		case KCT_EVENT_EXIT: {
			unsigned int d = ev.type == KCT_EVENT_BLOCK ? ev.depth - 1 : ev.depth;

			if (ev.type == KCT_EVENT_BLOCK && !ev.depth)
				break;
			if (!synthetic && fn && frame_fn[d] && strcmp(fn, frame_fn[d])) {
				if (c->frames_right)
					snprintf(c->bad, sizeof(c->bad),
						 "record %llu: %s %s in the frame of %s",
						 (unsigned long long)ev.index,
						 ev.type == KCT_EVENT_BLOCK ? "block" : "exit", fn,
						 frame_fn[d]);
				c->frames_right = false;
			}
			break;
		}
		default:
			break;
		}
	}
	c->st.sz = sizeof(c->st);
	kct_decoder_stats(dec, &c->st);
	kct_decoder_free(dec);
}

static bool balanced(const struct stream_check *c)
{
	return !c->st.orphan_exits && !c->st.unfinished && !c->st.unknown && !c->st.saturated;
}

static bool entered(const struct stream_check *c, const char *needle)
{
	for (unsigned int i = 0; i < c->nr_names; i++)
		if (strstr(c->names[i], needle))
			return true;
	return false;
}

/* ---- the tests ---- */

static void test_ext_syscall(const char *what, void (*fn)(void *), const char *needle)
{
	struct stream_check c;
	struct kcov k;
	unsigned long n;
	int err = kcov_open(&k, BIG_WORDS);

	if (!err)
		err = kcov_enable(&k, KCOV_TRACE_PC_EXT);
	if (err) {
		report(false, "%s: KCOV_TRACE_PC_EXT: %s", what, strerror(-err));
		kcov_close(&k);
		return;
	}
	fn(NULL); /* fault in whatever the first call needs */
	n = collect(&k, fn, NULL);
	kcov_disable(&k);
	check_stream(k.cover + 1, n, &c);
	report(n > 0 && c.st.enters > 0 && c.st.exits > 0 && c.st.blocks > 0,
	       "%s: ENTER, BB and EXIT records (%lu records: %llu enter, %llu bb, %llu exit)",
	       what, n, (unsigned long long)c.st.enters, (unsigned long long)c.st.blocks,
	       (unsigned long long)c.st.exits);
	report(balanced(&c), "%s: well nested (%llu exits without entry, %llu frames left open, "
	       "%llu EESUM records that cannot be balanced)", what,
	       (unsigned long long)c.st.orphan_exits, (unsigned long long)c.st.unfinished,
	       (unsigned long long)c.st.saturated);
	report(c.in_text && c.symbolized, "%s: every PC lies in kernel text and symbolizes%s%s",
	       what, c.bad[0] && !c.in_text ? ": " : "", !c.in_text ? c.bad : "");
	report(c.frames_right, "%s: blocks and exits lie in the function of their frame%s%s",
	       what, c.frames_right ? "" : ": ", c.frames_right ? "" : c.bad);
	report(entered(&c, needle), "%s: a frame of a *%s* function", what, needle);
	if (!entered(&c, needle))
		for (unsigned int i = 0; i < c.nr_names && i < 40; i++)
			diag("entered: %s", c.names[i]);
	kcov_close(&k);
}

/* Run-time _text from /proc/kallsyms minus link-time _text from System.map. */
static uint64_t kaslr_offset(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long a;
	char type, name[256];
	uint64_t offset = 0;

	while (f && fscanf(f, "%llx %c %255s%*[^\n]", &a, &type, name) == 3)
		if (!strcmp(name, "_text")) {
			offset = a - text_link;
			break;
		}
	if (f)
		fclose(f);
	return offset;
}

/* kallsyms (run-time addresses) and System.map (link-time) agree. */
static void test_kaslr(void)
{
	struct kct_symbolizer *ks;
	struct kct_symbol a = { .sz = sizeof(a) }, b = { .sz = sizeof(b) };
	struct kcov k;
	unsigned long n, same = 0;
	int err;

	if (kct_symbolizer_new(&ks) || (err = kct_symbolizer_add_kallsyms(ks, "/proc/kallsyms"))) {
		report(false, "KASLR: /proc/kallsyms unreadable");
		return;
	}
	if (kct_symbolize(ks, text_start, &a) || kct_symbolize(symbols, text_start, &b)) {
		report(false, "KASLR: _stext does not symbolize");
		kct_symbolizer_free(ks);
		return;
	}
	if (kaslr_offset() == 0) {
		skip("the kernel chose no KASLR offset this boot", "KASLR: kallsyms and System.map agree");
		kct_symbolizer_free(ks);
		return;
	}
	if (kcov_open(&k, BIG_WORDS) || kcov_enable(&k, KCOV_TRACE_PC_EXT)) {
		report(false, "KASLR: kcov unavailable");
		kct_symbolizer_free(ks);
		return;
	}
	do_nanosleep(NULL);
	n = collect(&k, do_nanosleep, NULL);
	kcov_disable(&k);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t pc = (k.cover[i + 1] & KCT_RECORD_IP_MASK) | KCT_PC_FILL_KERNEL;

		if (!kct_symbolize(ks, pc, &a) && !kct_symbolize(symbols, pc, &b) &&
		    !strcmp(a.name, b.name) && a.addr == b.addr)
			same++;
	}
	report(n && same == n,
	       "KASLR (offset %#llx): through /proc/kallsyms, all %lu records name the same function as through System.map (%lu agree)",
	       (unsigned long long)kaslr_offset(), n, same);
	kcov_close(&k);
	kct_symbolizer_free(ks);
}

static unsigned long record_pc(unsigned long rec)
{
	return rec | ~KCOV_RECORD_IP_MASK;
}

/* The classic stream of a call equals its extended stream without the exit
 * records and without the flags: classic mode is as before, and the entry
 * block is still recorded once. */
static void test_classic_matches_ext(void)
{
	static unsigned long ext[4096], cls[4096];
	unsigned long n_ext = 0, n_cls = 0, n_ref;
	bool flags_clear = true, match = false;
	struct kcov k;

	if (kcov_open(&k, BIG_WORDS)) {
		report(false, "classic mode: kcov unavailable");
		return;
	}
	for (int attempt = 0; attempt < 5 && !match; attempt++) {
		unsigned long n;

		kcov_enable(&k, KCOV_TRACE_PC_EXT);
		do_getppid(NULL);
		n = collect(&k, do_getppid, NULL);
		kcov_disable(&k);
		n_ext = 0;
		for (unsigned long i = 0; i < n && n_ext < 4096; i++)
			if ((k.cover[i + 1] & KCOV_RECORDFLAG_TYPEMASK) != KCOV_RECORDFLAG_TYPE_EXIT)
				ext[n_ext++] = record_pc(k.cover[i + 1]);

		kcov_enable(&k, KCOV_TRACE_PC);
		do_getppid(NULL);
		n = collect(&k, do_getppid, NULL);
		kcov_disable(&k);
		n_cls = n < 4096 ? n : 4096;
		for (unsigned long i = 0; i < n_cls; i++) {
			cls[i] = k.cover[i + 1];
			if ((cls[i] >> 56) != 0xff)
				flags_clear = false;
		}
		match = n_cls == n_ext && n_ext && !memcmp(cls, ext, n_ext * sizeof(ext[0]));
	}
	n_ref = n_ext;
	report(flags_clear, "classic mode: records are plain kernel PCs, no flag bits");
	report(match, "classic mode: the stream equals the extended one without exits and flags (%lu vs %lu records)",
	       n_cls, n_ref);
	kcov_close(&k);
}

/* ---- KCOV_FILTER ---- */

#define FILTER_WORDS 8192

struct filter {
	struct kcov_filter f;
	struct kcov_filter_range r[2];
};

static int kcov_filter(struct kcov *k, const struct filter *f)
{
	return ioctl(k->fd, KCOV_FILTER, f) ? -errno : 0;
}

static bool in_ranges(const struct filter *f, unsigned long pc)
{
	for (unsigned int i = 0; i < f->f.num_ranges; i++)
		if (pc >= f->r[i].start && pc < f->r[i].end)
			return true;
	return false;
}

/*
 * KCOV_FILTER's rule, as Documentation/dev-tools/kcov.rst states it, applied
 * to an unfiltered extended stream that starts at depth 0: what the kernel
 * must record with filter f, in the extended mode or (classic) as classic
 * records.
 */
static unsigned long filter_ref(const unsigned long *in, unsigned long n, const struct filter *f,
				bool classic, unsigned long *out)
{
	unsigned long max = f->f.max_depth ? f->f.max_depth : ~0UL, d = 0, hide = 0, m = 0;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long rec = in[i], type = rec & KCOV_RECORDFLAG_TYPEMASK;
		bool keep;

		switch (type) {
		case KCOV_RECORDFLAG_TYPE_ENTRY:
			d++;
			if (!hide && d <= max && in_ranges(f, record_pc(rec)))
				hide = d;
			keep = d <= max && (!hide || d <= hide);
			break;
		case KCOV_RECORDFLAG_TYPE_EXIT:
			keep = d <= max && (!hide || d <= hide) && !classic;
			if (d == hide)
				hide = 0;
			if (d)
				d--;
			break;
		case KCOV_RECORDFLAG_TYPE_EESUM:
			/* Not on the lab's kernel, whose scheduler is not
			 * instrumented; KUnit tests these.  No match. */
			return ~0UL;
		default:
			keep = d <= max && (!hide || d < hide);
			break;
		}
		if (keep)
			out[m++] = classic ? record_pc(rec) : rec;
	}
	return m;
}

static int filter_pipe[2];

static void do_pipe(void *arg)
{
	char c = 'x';

	(void)arg;
	if (write(filter_pipe[1], &c, 1) != 1 || read(filter_pipe[0], &c, 1) != 1)
		diag("pipe: %s", strerror(errno));
}

static void do_open(void *arg)
{
	int fd = open("/lab/System.map", O_RDONLY);

	(void)arg;
	if (fd >= 0)
		close(fd);
}

/* A page fault: a fresh anonymous page written, each time. */
static void do_fault(void *arg)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p != MAP_FAILED) {
		*(volatile char *)p = 1;
		munmap(p, 4096);
	}
}

static const struct {
	const char *name;
	void (*fn)(void *);
} filter_calls[] = {
	{ "getppid()", do_getppid },
	{ "a pipe write and read", do_pipe },
	{ "open and close", do_open },
	{ "a page fault", do_fault },
};

static void (*filter_fn)(void *);

/* Records of a warmed-up filter_fn, with the filter f if not NULL. */
static unsigned long filter_run(struct kcov *k, const struct filter *f, unsigned long mode,
				unsigned long *out)
{
	unsigned long n;

	if (f && kcov_filter(k, f))
		return 0;
	if (kcov_enable(k, mode))
		return 0;
	filter_fn(NULL);
	n = collect(k, filter_fn, NULL);
	kcov_disable(k);
	if (n > FILTER_WORDS)
		return 0;
	memcpy(out, k->cover + 1, n * sizeof(*out));
	return n;
}

/*
 * The kernel's filter equals the rule applied to an unfiltered stream of the
 * same call: an attempt counts where the rule gives the same records for
 * the two unfiltered runs around the filtered one (what it hides may vary:
 * a page fault on the full kernel takes other paths deep down from run to
 * run), and the filtered run must give exactly those.
 */
static void filter_oracle(struct kcov *k, struct filter *f, bool classic, const char *what)
{
	static unsigned long a[FILTER_WORDS], b[FILTER_WORDS], got[FILTER_WORDS], want[FILTER_WORDS];
	static unsigned long want_b[FILTER_WORDS];
	unsigned long na = 0, nb, ng = 0, nw = 0, nwb;
	int attempt, stable = 0;

	for (attempt = 0; attempt < 10; attempt++) {
		na = filter_run(k, NULL, KCOV_TRACE_PC_EXT, a);
		ng = filter_run(k, f, classic ? KCOV_TRACE_PC : KCOV_TRACE_PC_EXT, got);
		/* Unfiltered again: KCOV_FILTER has no "off", a new fd has. */
		kcov_close(k);
		if (kcov_open(k, BIG_WORDS))
			break;
		nb = filter_run(k, NULL, KCOV_TRACE_PC_EXT, b);
		if (!na || !nb)
			continue;
		nw = filter_ref(a, na, f, classic, want);
		nwb = filter_ref(b, nb, f, classic, want_b);
		if (nw == ~0UL || nw != nwb || memcmp(want, want_b, nw * sizeof(*want)))
			continue;
		stable++;
		if (ng == nw && !memcmp(got, want, nw * sizeof(*got)))
			break;
	}
	report(attempt < 10, "KCOV_FILTER %s: the kernel's records are the rule applied to an "
	       "unfiltered run (%lu of %lu records; %d stable attempts)", what, ng, na, stable);
	if (attempt == 10)
		for (unsigned long i = 0; i < (ng > nw ? ng : nw) && i < 400; i++)
			diag("%4lu  got %016lx  want %016lx%s", i, i < ng ? got[i] : 0,
			     i < nw ? want[i] : 0,
			     i < ng && i < nw && got[i] == want[i] ? "" : "  <--");
}

static void test_filter_call(const char *call)
{
	static unsigned long a[FILTER_WORDS];
	struct kct_symbol sym = { .sz = sizeof(sym) };
	struct filter f;
	struct kcov k;
	unsigned long n, d = 0, callee = 0;
	char what[128];

	if (kcov_open(&k, BIG_WORDS)) {
		report(false, "KCOV_FILTER: kcov unavailable");
		return;
	}
	for (unsigned int depth = 1; depth <= 4; depth *= 2) {
		memset(&f, 0, sizeof(f));
		f.f.max_depth = depth;
		snprintf(what, sizeof(what), "%s, max_depth %u", call, depth);
		filter_oracle(&k, &f, false, what);
	}
	/* Suppress the first function called at depth 2. */
	n = filter_run(&k, NULL, KCOV_TRACE_PC_EXT, a);
	for (unsigned long i = 0; i < n && !callee; i++) {
		unsigned long type = a[i] & KCOV_RECORDFLAG_TYPEMASK;

		if (type == KCOV_RECORDFLAG_TYPE_ENTRY && ++d == 2)
			callee = record_pc(a[i]);
		else if (type == KCOV_RECORDFLAG_TYPE_EXIT && d)
			d--;
	}
	if (!callee || kct_symbolize(symbols, callee, &sym) || !sym.size) {
		report(false, "KCOV_FILTER: %s calls no function (%lu records)", call, n);
		kcov_close(&k);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.f.num_ranges = 1;
	f.r[0].start = sym.addr;
	f.r[0].end = sym.addr + sym.size;
	snprintf(what, sizeof(what), "%s, suppressing %s", call, sym.name);
	filter_oracle(&k, &f, false, what);
	snprintf(what, sizeof(what), "%s, suppressing %s, classic mode", call, sym.name);
	filter_oracle(&k, &f, true, what);
	f.f.max_depth = 3;
	snprintf(what, sizeof(what), "%s, max_depth 3 and suppressing %s", call, sym.name);
	filter_oracle(&k, &f, false, what);
	kcov_close(&k);
}

static void test_filter(void)
{
	if (pipe(filter_pipe)) {
		report(false, "KCOV_FILTER: pipe: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < sizeof(filter_calls) / sizeof(filter_calls[0]); i++) {
		filter_fn = filter_calls[i].fn;
		test_filter_call(filter_calls[i].name);
	}
	close(filter_pipe[0]);
	close(filter_pipe[1]);
}

/* Bad input gets an errno and changes nothing. */
static void test_filter_errors(void)
{
	struct kct_symbol sym = { .sz = sizeof(sym) };
	struct filter f, good = { .f.max_depth = 1 };
	struct kcov_filter *big;
	struct kcov k;
	unsigned long n;
	int err;

	if (kct_symbolize(symbols, text_start, &sym)) {
		report(false, "KCOV_FILTER errors: no symbol at _stext");
		return;
	}
	k.fd = open("/sys/kernel/debug/kcov", O_RDWR);
	k.cover = NULL;
	report(kcov_filter(&k, &good) == -EINVAL, "KCOV_FILTER before KCOV_INIT_TRACE: EINVAL");
	kcov_close(&k);
	if (kcov_open(&k, BIG_WORDS)) {
		report(false, "KCOV_FILTER errors: kcov unavailable");
		return;
	}
	report(!kcov_filter(&k, &good), "KCOV_FILTER with max_depth 1 is taken");
#define BAD(want, desc, ...) do {						\
		f = (struct filter){ __VA_ARGS__ };				\
		err = kcov_filter(&k, &f);					\
		report(err == (want), "KCOV_FILTER %s: %s (got %d)", desc, #want, err); \
	} while (0)
	BAD(-EINVAL, "with flags", .f.max_depth = 1, .f.flags = 1);
	BAD(-EINVAL, "with pad", .f.max_depth = 1, .f.pad = 1);
	BAD(-EINVAL, "with an empty range", .f.num_ranges = 1,
	    .r[0] = { sym.addr, sym.addr });
	BAD(-EINVAL, "with ranges unsorted", .f.num_ranges = 2,
	    .r[0] = { sym.addr + 0x20, sym.addr + 0x30 }, .r[1] = { sym.addr, sym.addr + 0x10 });
	BAD(-EINVAL, "with ranges overlapping", .f.num_ranges = 2,
	    .r[0] = { sym.addr, sym.addr + 0x20 }, .r[1] = { sym.addr + 0x10, sym.addr + 0x30 });
	BAD(-EINVAL, "with a range outside kernel text", .f.num_ranges = 1,
	    .r[0] = { 0x1000, 0x2000 });
	BAD(-EINVAL, "with a range that ends past kernel text", .f.num_ranges = 1,
	    .r[0] = { text_end - 0x10, text_end + 0x10 });
#undef BAD
	err = ioctl(k.fd, KCOV_FILTER, (void *)8) ? -errno : 0;
	report(err == -EFAULT, "KCOV_FILTER of an unreadable argument: EFAULT (got %d)", err);
	big = calloc(1, sizeof(*big) + (KCOV_FILTER_MAX_RANGES + 1) * sizeof(big->ranges[0]));
	big->num_ranges = KCOV_FILTER_MAX_RANGES + 1;
	err = ioctl(k.fd, KCOV_FILTER, big) ? -errno : 0;
	report(err == -E2BIG, "KCOV_FILTER with more than KCOV_FILTER_MAX_RANGES ranges: E2BIG (got %d)", err);
	free(big);
	/* After all that, max_depth 1 still holds: getppid() shows one frame. */
	err = kcov_enable(&k, KCOV_TRACE_PC_EXT);
	n = err ? 0 : collect(&k, do_getppid, NULL);
	/* getppid() calls a function, which max_depth 1 leaves out: no frame
	 * is entered inside another. */
	{
		unsigned long enters = 0, depth = 0, deepest = 0;

		for (unsigned long i = 0; i < n; i++) {
			unsigned long type = k.cover[i + 1] & KCOV_RECORDFLAG_TYPEMASK;

			if (type == KCOV_RECORDFLAG_TYPE_ENTRY) {
				enters++;
				if (++depth > deepest)
					deepest = depth;
			} else if (type == KCOV_RECORDFLAG_TYPE_EXIT && depth) {
				depth--;
			}
		}
		report(!err && enters && deepest == 1, "failed KCOV_FILTER calls leave the filter as it "
		       "was (getppid(): %lu entries, %lu deep, in %lu records)", enters, deepest, n);
	}
	err = kcov_filter(&k, &good);
	report(err == -EBUSY, "KCOV_FILTER while enabled: EBUSY (got %d)", err);
	kcov_disable(&k);
	err = kcov_enable(&k, KCOV_TRACE_CMP);
	report(err == -EINVAL, "KCOV_ENABLE of KCOV_TRACE_CMP with a filter: EINVAL (got %d)", err);
	if (!err)
		kcov_disable(&k);
	{
		struct kcov_remote_arg arg = { .trace_mode = KCOV_TRACE_PC_EXT, .area_size = 512,
					       .common_handle = kcov_remote_handle(KCOV_SUBSYSTEM_COMMON, 0x4242) };

		err = ioctl(k.fd, KCOV_REMOTE_ENABLE, &arg) ? -errno : 0;
		report(err == -EINVAL, "KCOV_REMOTE_ENABLE of a filtered instance: EINVAL (got %d)", err);
		if (!err)
			kcov_disable(&k);
	}
	/* max_depth 0 and no ranges clear the filter: comparisons again, and
	 * getppid() as deep as it goes. */
	f = (struct filter){ .f.max_depth = 0 };
	err = kcov_filter(&k, &f);
	report(!err, "KCOV_FILTER without depth or ranges clears the filter (got %d)", err);
	err = kcov_enable(&k, KCOV_TRACE_CMP);
	report(!err, "KCOV_ENABLE of KCOV_TRACE_CMP once the filter is cleared (got %d)", err);
	if (!err)
		kcov_disable(&k);
	err = kcov_enable(&k, KCOV_TRACE_PC_EXT);
	n = err ? 0 : collect(&k, do_getppid, NULL);
	{
		unsigned long depth = 0, deepest = 0;

		for (unsigned long i = 0; i < n; i++) {
			unsigned long type = k.cover[i + 1] & KCOV_RECORDFLAG_TYPEMASK;

			if (type == KCOV_RECORDFLAG_TYPE_ENTRY && ++depth > deepest)
				deepest = depth;
			else if (type == KCOV_RECORDFLAG_TYPE_EXIT && depth)
				depth--;
		}
		report(!err && deepest > 1, "cleared, the filter lets getppid() nest again (%lu deep, in %lu records)",
		       deepest, n);
	}
	if (!err)
		kcov_disable(&k);
	kcov_close(&k);
}

/*
 * KCOV_TRACE_MEMORY_ACCESS (3): a kernel that knows the mode answers
 * KCOV_GET_MEMORY_RECORD_SIZE (with EOPNOTSUPP where the option is off, and
 * then refuses the mode with ENOTSUPP); to an older one, the ioctl is
 * unknown (ENOTTY) and so is the mode (EINVAL).
 */
static int memory_mode_answer(const struct kcov *k)
{
	if (ioctl(k->fd, KCOV_GET_MEMORY_RECORD_SIZE, 0) >= 0)
		return 0;
	return errno == EOPNOTSUPP ? -ENOTSUPP : -EINVAL;
}

static void test_unknown_mode(void)
{
	static const unsigned long modes[] = { 3, 4, 100, 0xdead, ~0UL };
	struct kcov k;
	bool all = true;

	if (kcov_open(&k, BIG_WORDS)) {
		report(false, "unknown mode: kcov unavailable");
		return;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		int want = modes[i] == 3 ? memory_mode_answer(&k) : -EINVAL;
		int err = kcov_enable(&k, modes[i]);

		if (!err)
			kcov_disable(&k);
		if (err != want) {
			diag("KCOV_ENABLE(%#lx) = %d, not %d", modes[i], err, want);
			all = false;
		}
	}
	report(all, "KCOV_ENABLE with an unknown mode fails with EINVAL, mode 3 as the kernel "
		    "knows it");
	kcov_close(&k);
}

static void test_no_ext(void)
{
	struct kcov k;
	unsigned long n;
	int err;

	if (kcov_open(&k, BIG_WORDS)) {
		report(false, "no ext: kcov unavailable");
		return;
	}
	err = kcov_enable(&k, KCOV_TRACE_PC_EXT);
	report(err == -ENOTSUPP, "without CONFIG_KCOV_EXT_RECORDS, KCOV_TRACE_PC_EXT fails with ENOTSUPP (got %d)", err);
	if (!err)
		kcov_disable(&k);
	err = kcov_enable(&k, KCOV_TRACE_PC);
	n = err ? 0 : collect(&k, do_getppid, NULL);
	if (!err)
		kcov_disable(&k);
	report(!err && n > 0, "without CONFIG_KCOV_EXT_RECORDS, KCOV_TRACE_PC still works (%lu records)", n);
	kcov_close(&k);
}

static void test_filter_no_ext(void)
{
	struct kcov_filter f = { .max_depth = 1 };
	struct kcov k;
	int err;

	if (kcov_open(&k, BIG_WORDS)) {
		report(false, "no ext: kcov unavailable");
		return;
	}
	err = ioctl(k.fd, KCOV_FILTER, &f) ? -errno : 0;
	report(err == -EOPNOTSUPP, "without CONFIG_KCOV_EXT_RECORDS, KCOV_FILTER fails with EOPNOTSUPP (got %d)", err);
	kcov_close(&k);
}

static void test_remote(bool ext)
{
	struct {
		struct kcov_remote_arg arg;
		__u64 handle[1];
	} r = { .arg = { .trace_mode = KCOV_TRACE_PC_EXT, .area_size = 1 << 16, .num_handles = 0,
			 .common_handle = kcov_remote_handle(KCOV_SUBSYSTEM_COMMON, 0x4b43) } };
	int fd = open("/sys/kernel/debug/kcov", O_RDWR), err;

	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, 1 << 16)) {
		report(false, "remote: kcov unavailable");
		return;
	}
	err = ioctl(fd, KCOV_REMOTE_ENABLE, &r) ? -errno : 0;
	if (ext)
		report(!err, "KCOV_REMOTE_ENABLE accepts KCOV_TRACE_PC_EXT (%d)", err);
	else
		report(err == -ENOTSUPP, "without the option, KCOV_REMOTE_ENABLE refuses KCOV_TRACE_PC_EXT with ENOTSUPP (%d)", err);
	if (!err)
		err = ioctl(fd, KCOV_DISABLE, 0) ? -errno : 0;
	if (ext)
		report(!err, "remote collection in the extended mode disables cleanly (%d)", err);
	close(fd);
}

/*
 * Remote sections through KCOV_REMOTE_ENABLE, run by the lab's module
 * (lab/module/kcov_lab.c): in a kernel thread with the common handle, and in
 * a softirq with a USB handle.  Each section must be one balanced frame of
 * the module's function that ran it, found by walking the buffer with the
 * UAPI's own definitions.
 */
#define LAB_REMOTE "/sys/kernel/debug/kcov_lab/remote"
#define LAB_SOFTIRQ_INSTANCE 0x1ab

struct sections {
	/* fillers: EESUM records between sections that change nothing, which
	 * fill the words a dropped section left. */
	unsigned long records, frames, eesums, fillers, lowest_below_zero;
	/* Sections whose entry and exit records both carry kcov_remote_start(). */
	unsigned long marked;
	long depth;
	char first_fn[8][64];	/* the function of each section's first block */
	bool ends_with_eesum[8];
	/* Frames of functions not the module's: an interrupt's work on its
	 * way out (7.3 rearms deferred hrtimers there), which may fill the
	 * section's area on its own. */
	bool foreign[8];
};

/* Whether rec's PC is the first byte of kcov_remote_start(). */
static bool section_record(struct kct_symbolizer *ks, unsigned long rec)
{
	struct kct_symbol s = { .sz = sizeof(s) };
	unsigned long pc = (rec & KCOV_RECORD_IP_MASK) | KCT_PC_FILL_KERNEL;

	return !kct_symbolize(ks, pc, &s) && s.addr == pc && !strcmp(s.name, "kcov_remote_start");
}

static void walk_sections(struct kct_symbolizer *ks, const unsigned long *recs, unsigned long n,
			  struct sections *w)
{
	bool first_block = false, marked = false;

	memset(w, 0, sizeof(*w));
	w->records = n;
	for (unsigned long i = 0; i < n; i++) {
		unsigned long rec = recs[i];
		struct kct_symbol s = { .sz = sizeof(s) };

		switch (rec & KCOV_RECORDFLAG_TYPEMASK) {
		case KCOV_RECORDFLAG_TYPE_ENTRY:
			if (!w->depth) {
				marked = section_record(ks, rec);
				first_block = true;
			} else if (w->frames < 8 &&
				   (kct_symbolize(ks, (rec & KCOV_RECORD_IP_MASK) | KCT_PC_FILL_KERNEL,
						  &s) || strncmp(s.name, "kcov_lab_", 9))) {
				w->foreign[w->frames] = true;
			}
			w->depth++;
			break;
		case KCOV_RECORDFLAG_TYPE_EXIT:
			if (--w->depth == 0) {
				if (w->frames < 8)
					w->ends_with_eesum[w->frames] = i &&
						(recs[i - 1] & KCOV_RECORDFLAG_TYPEMASK) ==
						KCOV_RECORDFLAG_TYPE_EESUM;
				w->marked += marked && section_record(ks, rec);
				w->frames++;
			}
			break;
		case KCOV_RECORDFLAG_TYPE_NORMAL:
			if (first_block && w->frames < 8 &&
			    !kct_symbolize(ks, rec | KCT_PC_FILL_KERNEL, &s))
				snprintf(w->first_fn[w->frames], 64, "%s", s.name);
			first_block = false;
			break;
		case KCOV_RECORDFLAG_TYPE_EESUM:
			if (!w->depth && rec == KCOV_RECORDFLAG_TYPE_EESUM) {
				w->fillers++;
				break;
			}
			w->eesums++;
			w->depth += KCOV_EESUM_MINDELTA(rec);
			if (w->depth < 1)
				w->lowest_below_zero++;
			w->depth += KCOV_EESUM_DELTA(rec) - KCOV_EESUM_MINDELTA(rec);
			break;
		}
		if (w->depth < 0)
			w->lowest_below_zero++;
	}
}

static int lab_write(const char *path, const char *what)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, what, strlen(what)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* KCOV_REMOTE_ENABLE in the extended mode for the module's handles. */
static int remote_enable(struct kcov *k, unsigned long words, unsigned int area_size)
{
	struct {
		struct kcov_remote_arg arg;
		__u64 handle[1];
	} r = { .arg = { .trace_mode = KCOV_TRACE_PC_EXT, .area_size = area_size,
			 .num_handles = 1,
			 .common_handle = kcov_remote_handle(KCOV_SUBSYSTEM_COMMON, 0x4c41) },
		.handle = { kcov_remote_handle(KCOV_SUBSYSTEM_USB, LAB_SOFTIRQ_INSTANCE) } };
	int err = kcov_open(k, words);

	if (!err && ioctl(k->fd, KCOV_REMOTE_ENABLE, &r))
		err = -errno;
	return err;
}

static void test_remote_sections(void)
{
	struct kct_symbolizer *ks = NULL;
	struct sections w;
	struct kcov k;
	unsigned long n, excused;
	int err;

	if (kct_symbolizer_new(&ks) || kct_symbolizer_add_kallsyms(ks, "/proc/kallsyms")) {
		report(false, "remote sections: /proc/kallsyms unreadable");
		kct_symbolizer_free(ks);
		return;
	}
	/* A 16-word area per task section: a chain of 40 frames loses records. */
	err = remote_enable(&k, BIG_WORDS, 16);
	if (!err)
		err = lab_write(LAB_REMOTE, "task 40 3");
	if (!err)
		err = lab_write(LAB_REMOTE, "softirq 5 2");
	if (!err)
		err = lab_write(LAB_REMOTE, "task 3 1");
	n = err ? 0 : __atomic_load_n(&k.cover[0], __ATOMIC_RELAXED);
	kcov_disable(&k);
	if (err) {
		report(false, "remote sections: the lab module ran none (%s)", strerror(-err));
		kcov_close(&k);
		kct_symbolizer_free(ks);
		return;
	}
	walk_sections(ks, k.cover + 1, n, &w);
	report(w.frames == 6 && w.depth == 0 && !w.lowest_below_zero,
	       "remote sections: 6 sections, each one balanced frame (%lu frames, depth %ld at the end, %lu times below a section's start, %lu records)",
	       w.frames, w.depth, w.lowest_below_zero, n);
	report(w.marked == 6,
	       "remote sections: each frame's entry and exit carry kcov_remote_start() (%lu of %lu)",
	       w.marked, w.frames);
	report(!strcmp(w.first_fn[0], "kcov_lab_thread") && !strcmp(w.first_fn[3], "kcov_lab_softirq") &&
	       !strcmp(w.first_fn[5], "kcov_lab_thread"),
	       "remote sections: each begins with a block of the module's function that started it (%s, %s, %s)",
	       w.first_fn[0], w.first_fn[3], w.first_fn[5]);
	/* A small section that an interrupt's work filled is excused. */
	excused = 0;
	for (int i = 3; i < 6; i++)
		excused += w.ends_with_eesum[i] && w.foreign[i];
	report(w.ends_with_eesum[0] && w.ends_with_eesum[1] && w.ends_with_eesum[2] &&
	       (!w.ends_with_eesum[3] || w.foreign[3]) && (!w.ends_with_eesum[4] || w.foreign[4]) &&
	       (!w.ends_with_eesum[5] || w.foreign[5]) && w.eesums == 3 + excused,
	       "remote sections: the three that overflowed their 16-word area end with an EESUM record, the others are whole (%lu EESUM records; %lu small sections filled by an interrupt's work)",
	       w.eesums, excused);
	kcov_close(&k);

	/* A one-page buffer: the first deep section is cut, the rest dropped. */
	err = remote_enable(&k, 512, 1 << 12);
	if (!err)
		err = lab_write(LAB_REMOTE, "task 200 3");
	if (err) {
		report(false, "remote sections: a buffer that fills up: %s", strerror(-err));
	} else {
		n = __atomic_load_n(&k.cover[0], __ATOMIC_RELAXED);
		kcov_disable(&k);
		walk_sections(ks, k.cover + 1, n < 511 ? n : 511, &w);
		/* The cut section takes 508 to 511 words, the fillers the rest. */
		report(n == 511 && w.frames == 1 && w.marked == 1 && w.depth == 0 &&
		       w.fillers <= 3 && !w.lowest_below_zero && w.ends_with_eesum[0],
		       "remote sections: a buffer that fills up holds a cut section, closed by an EESUM record, and reads as full (%lu records, %lu frames, depth %ld, %lu filler EESUM records)",
		       n, w.frames, w.depth, w.fillers);
	}
	kcov_close(&k);
	kct_symbolizer_free(ks);
}

/* Loads the lab's module (finit_module, as insmod). */
static int load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		err = -errno;
	close(fd);
	return err;
}

/* A buffer that fills up holds a clean prefix of the stream. */
static void test_overflow(void)
{
	enum { SMALL = 512, CANARY = 0x5a5a5a5a5a5a5a5a };
	static unsigned long ref[4096];
	unsigned long n_ref, n_small = 0, n, n_after, last_written = 0;
	struct kcov big, small;
	bool prefix = false, canary_kept = true;

	if (kcov_open(&big, BIG_WORDS) || kcov_open(&small, SMALL)) {
		report(false, "overflow: kcov unavailable");
		return;
	}
	for (int attempt = 0; attempt < 5 && !prefix; attempt++) {
		kcov_enable(&big, KCOV_TRACE_PC_EXT);
		do_getppid((void *)200);
		n = collect(&big, do_getppid, (void *)200);
		kcov_disable(&big);
		n_ref = n < 4096 ? n : 4096;
		memcpy(ref, big.cover + 1, n_ref * sizeof(ref[0]));

		kcov_enable(&small, KCOV_TRACE_PC_EXT);
		do_getppid((void *)200);
		n_small = collect(&small, do_getppid, (void *)200);
		kcov_disable(&small);
		prefix = n_ref > SMALL && n_small == SMALL - 1 &&
			 !memcmp(small.cover + 1, ref, n_small * sizeof(ref[0]));
	}
	report(prefix, "overflow: a %d-word buffer holds the first %d records of the stream, no more (%lu)",
	       SMALL, SMALL - 1, n_small);

	/*
	 * Nothing lands past the count either.  The buffer is full (count at
	 * its end) while kcov is enabled, so that the ioctl's own way back to
	 * userspace records nothing.  The task can still record while it scans
	 * the buffer: an interrupt's way back to userspace may run
	 * instrumented code in the task's context (on the full kernel built
	 * with GCC, which keeps fpregs_assert_state_consistent() and the like
	 * out of line, the count moved by 10 records during one scan).  A
	 * word is written past the count only if the count, read after the
	 * scan, does not cover it.
	 */
	for (unsigned long i = 1; i < BIG_WORDS; i++)
		big.cover[i] = CANARY;
	big.cover[0] = BIG_WORDS - 1;
	kcov_enable(&big, KCOV_TRACE_PC_EXT);
	n = collect(&big, do_getppid, (void *)3);
	for (unsigned long i = n + 1; i < BIG_WORDS; i++)
		if (big.cover[i] != CANARY)
			last_written = i;
	n_after = __atomic_load_n(&big.cover[0], __ATOMIC_RELAXED);
	canary_kept = last_written <= n_after;
	kcov_disable(&big);
	report(n > 0 && canary_kept,
	       "no word after the last record is written (%lu records; %lu after the scan, last word written %lu)",
	       n, n_after, last_written);
	kcov_close(&big);
	kcov_close(&small);
}

/* Garbage in cover[0] stops recording; it never writes out of bounds. */
static void test_garbage_count(void)
{
	const unsigned long words = 4096;
	/*
	 * ~0UL is left out: the next position wraps to 0, so kcov writes the
	 * record into cover[0] itself, which is inside the buffer and was so
	 * before this series.
	 */
	const unsigned long values[] = { words - 1, words, words + 1, 1UL << 40, ~0UL - 1,
					 1UL << 63 };
	unsigned long modes[] = { KCOV_TRACE_PC_EXT, KCOV_TRACE_PC, KCOV_TRACE_CMP };
	bool held = true, recovered = true;
	struct kcov k;

	if (kcov_open(&k, words)) {
		report(false, "garbage count: kcov unavailable");
		return;
	}
	for (size_t m = 0; m < 3; m++) {
		if (kcov_enable(&k, modes[m]))
			continue;
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			unsigned long got;

			__atomic_store_n(&k.cover[0], values[i], __ATOMIC_RELAXED);
			do_nanosleep(NULL);
			got = __atomic_load_n(&k.cover[0], __ATOMIC_RELAXED);
			if (got != values[i]) {
				diag("mode %lu: count %#lx became %#lx", modes[m], values[i], got);
				held = false;
			}
		}
		__atomic_store_n(&k.cover[0], ~0UL, __ATOMIC_RELAXED);
		do_nanosleep(NULL);
		if (!collect(&k, do_nanosleep, NULL))
			recovered = false;
		kcov_disable(&k);
	}
	report(held, "a count at or past the buffer's end stops recording (extended, classic, comparisons)");
	report(recovered, "recording resumes once the count is reset");
	kcov_close(&k);
}

struct racer {
	unsigned long *cover;
	unsigned long words;
	volatile bool stop;
};

static void *race_count(void *arg)
{
	struct racer *r = arg;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	while (!r->stop) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		__atomic_store_n(&r->cover[0], (x & 1) ? x % (r->words * 2) : x, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Another thread writes cover[0] while this one is in syscalls. */
static void test_reset_race(void)
{
	struct racer r;
	pthread_t th;
	struct kcov k;
	long calls = 0;
	time_t end;

	if (kcov_open(&k, 4096) || kcov_enable(&k, trace_mode)) {
		report(false, "racing resets: kcov unavailable");
		return;
	}
	r.cover = k.cover;
	r.words = k.words;
	r.stop = false;
	pthread_create(&th, NULL, race_count, &r);
	end = time(NULL) + 2;
	while (time(NULL) < end) {
		do_getppid((void *)50);
		do_nanosleep(NULL);
		calls += 51;
	}
	r.stop = true;
	pthread_join(th, NULL);
	report(kcov_disable(&k) == 0, "%ld syscalls while another thread scribbles on cover[0]", calls);
	kcov_close(&k);
}

static int run_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void child_munmap(void)
{
	struct kcov k;

	if (kcov_open(&k, 4096) || kcov_enable(&k, trace_mode))
		_exit(2);
	munmap(k.cover, k.words * sizeof(unsigned long));
	k.cover = NULL;
	do_getppid((void *)100);
	do_nanosleep(NULL);
	if (kcov_disable(&k))
		_exit(3);
	close(k.fd);
}

static void child_close(void)
{
	struct kcov k;

	if (kcov_open(&k, 4096) || kcov_enable(&k, trace_mode))
		_exit(2);
	close(k.fd);
	do_getppid((void *)100);
	do_nanosleep(NULL);
	/* Still enabled through the task: exit must tear it down. */
}

static void test_unmap_close(void)
{
	int rc = run_child(child_munmap);

	report(rc == 0, "munmap while enabled, then syscalls and KCOV_DISABLE (child exit %d)", rc);
	rc = run_child(child_close);
	report(rc == 0, "close while enabled, then syscalls and exit (child exit %d)", rc);
}

static void test_enable_loop(void)
{
	unsigned long modes[] = { trace_mode, KCOV_TRACE_PC, KCOV_TRACE_CMP };
	int failed_calls = 0;
	struct kcov k;

	if (kcov_open(&k, 4096)) {
		report(false, "enable loop: kcov unavailable");
		return;
	}
	for (int i = 0; i < 3000; i++) {
		if (kcov_enable(&k, modes[i % 3]))
			failed_calls++;
		do_getppid(NULL);
		if (kcov_disable(&k))
			failed_calls++;
	}
	report(!failed_calls, "3000 enable/disable cycles across the three modes (%d failures)",
	       failed_calls);
	kcov_close(&k);
}

/* A traced task forks and execs: the child's records are not ours, and the
 * exec'd image keeps recording into the buffer until it exits. */
static void test_fork_exec(void)
{
	struct stream_check c;
	struct kcov k;
	unsigned long n;
	int status;
	pid_t pid;

	if (kcov_open(&k, BIG_WORDS)) {
		report(false, "fork/exec: kcov unavailable");
		return;
	}
	pid = fork();
	if (pid == 0) {
		if (kcov_enable(&k, KCOV_TRACE_PC_EXT))
			_exit(2);
		__atomic_store_n(&k.cover[0], 0, __ATOMIC_RELAXED);
		execl("/bin/busybox", "true", NULL);
		_exit(3);
	}
	waitpid(pid, &status, 0);
	n = __atomic_load_n(&k.cover[0], __ATOMIC_RELAXED);
	check_stream(k.cover + 1, n < k.words ? n : k.words - 1, &c);
	report(WIFEXITED(status) && !WEXITSTATUS(status) && n > 0,
	       "a traced task execs and exits (status %#x, %lu records)", status, n);
	report(entered(&c, "exit") && entered(&c, "exec"),
	       "its records cover the exec and the exit (%s, %s)",
	       entered(&c, "exec") ? "exec seen" : "no exec", entered(&c, "exit") ? "exit seen" : "no exit");
	report(c.in_text && c.symbolized && c.frames_right && !c.st.orphan_exits,
	       "the exec'd task's stream is well formed%s%s", c.bad[0] ? ": " : "", c.bad);

	/* Its children are not traced: kcov is per task. */
	if (!kcov_enable(&k, KCOV_TRACE_PC_EXT)) {
		pid = fork();
		if (pid == 0) {
			do_getpid((void *)1000);
			_exit(0);
		}
		__atomic_store_n(&k.cover[0], 0, __ATOMIC_RELAXED);
		waitpid(pid, &status, 0);
		n = __atomic_load_n(&k.cover[0], __ATOMIC_RELAXED);
		kcov_disable(&k);
		check_stream(k.cover + 1, n, &c);
		report(!entered(&c, "sys_getpid"), "a forked child's syscalls do not reach the parent's buffer");
	}
	kcov_close(&k);
}

struct thread_trace {
	void (*fn)(void *);
	struct stream_check check;
	int err;
};

static void *traced_thread(void *arg)
{
	struct thread_trace *t = arg;
	struct kcov k;
	unsigned long n;

	t->err = kcov_open(&k, BIG_WORDS);
	if (!t->err)
		t->err = kcov_enable(&k, KCOV_TRACE_PC_EXT);
	if (t->err)
		return NULL;
	t->fn((void *)1);
	n = collect(&k, t->fn, (void *)200);
	kcov_disable(&k);
	check_stream(k.cover + 1, n, &t->check);
	kcov_close(&k);
	return NULL;
}

static void test_two_threads(void)
{
	struct thread_trace a = { .fn = do_getppid }, b = { .fn = do_getpid };
	pthread_t ta, tb;

	pthread_create(&ta, NULL, traced_thread, &a);
	pthread_create(&tb, NULL, traced_thread, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	report(!a.err && !b.err && entered(&a.check, "getppid") && !entered(&a.check, "sys_getpid") &&
	       entered(&b.check, "sys_getpid") && !entered(&b.check, "getppid") &&
	       balanced(&a.check) && balanced(&b.check),
	       "two threads with their own handles record only their own syscalls");
}

static void test_cmp(void)
{
	struct kcov k;
	unsigned long n, bad = 0;
	uint64_t *cover;

	if (kcov_open(&k, BIG_WORDS) || kcov_enable(&k, KCOV_TRACE_CMP)) {
		report(false, "KCOV_TRACE_CMP: unavailable");
		return;
	}
	cover = (uint64_t *)k.cover;
	do_nanosleep(NULL);
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	do_nanosleep(NULL);
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	kcov_disable(&k);
	for (unsigned long i = 0; i < n && 1 + 4 * i + 3 < k.words; i++) {
		uint64_t type = cover[1 + 4 * i], ip = cover[1 + 4 * i + 3];

		if (type > (KCOV_CMP_CONST | KCOV_CMP_SIZE(3)) || ip < text_start || ip >= text_end)
			bad++;
	}
	report(n > 0 && !bad, "KCOV_TRACE_CMP still works (%lu comparisons, %lu malformed)", n, bad);
	kcov_close(&k);
}

static int load_symbols(const char *map)
{
	struct kct_symbol s = { .sz = sizeof(s) };
	int err;

	if ((err = kct_symbolizer_new(&symbols)) ||
	    (err = kct_symbolizer_add_system_map(symbols, map))) {
		fprintf(stderr, "kcov_ext_test: %s: %s\n", map, kct_strerror(err));
		return -1;
	}
	/* Text bounds from the map itself. */
	FILE *f = fopen(map, "r");
	char line[512];

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[256];

		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3)
			continue;
		if (!strcmp(name, "_stext"))
			text_start = a;
		else if (!strcmp(name, "_text"))
			text_link = a;
		else if (!strcmp(name, "_etext"))
			text_end = a;
	}
	if (f)
		fclose(f);
	if (!text_start || !text_end || kct_symbolize(symbols, text_start, &s)) {
		fprintf(stderr, "kcov_ext_test: %s: no _stext/_etext\n", map);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-ext", no_argument, NULL, 'n' },
		{ "system-map", required_argument, NULL, 'm' },
		{ "module", required_argument, NULL, 'k' },
		{ 0 }
	};
	const char *map = "/lab/System.map", *module = NULL;
	bool ext = true;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'n') {
			ext = false;
			trace_mode = KCOV_TRACE_PC;
		} else if (c == 'm') {
			map = optarg;
		} else if (c == 'k') {
			module = optarg;
		} else {
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (load_symbols(map))
		return 1;

	if (ext) {
		test_ext_syscall("getppid()", do_getppid, "getppid");
		test_ext_syscall("clock_nanosleep()", do_nanosleep, "nanosleep");
		test_kaslr();
		test_classic_matches_ext();
		test_remote(true);
		if (module) {
			int err = load_module(module);

			if (err)
				report(false, "remote sections: cannot load %s: %s", module, strerror(-err));
			else
				test_remote_sections();
		} else {
			skip("no --module", "remote sections through the lab's module");
		}
		test_overflow();
		test_fork_exec();
		test_two_threads();
		test_filter();
		test_filter_errors();
	} else {
		test_no_ext();
		test_filter_no_ext();
		test_remote(false);
	}
	test_unknown_mode();
	test_garbage_count();
	test_reset_race();
	test_unmap_close();
	test_enable_loop();
	test_cmp();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
