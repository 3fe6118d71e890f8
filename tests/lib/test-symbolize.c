// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the symbolizer: System.map and kallsyms look-ups, the KASLR
 * offset of kallsyms, module names, hidden addresses, and DWARF lines and
 * inlined frames of this very program; globs to function ranges; and of
 * the kernel identity taken from the same symbol lists.
 */
#include <errno.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcovtrace.h"
#include "testlib.h"

static char paths[64][32];
static int nr_paths;

static char *write_tmp(const char *text)
{
	char *path;

	if (nr_paths == (int)(sizeof(paths) / sizeof(paths[0])))
		abort();
	path = paths[nr_paths++];
	int fd;

	strcpy(path, "/tmp/kct-sym-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

static const char *name_of(struct kct_symbolizer *sym, uint64_t pc)
{
	KCT_OPTS(kct_symbol, s);

	return kct_symbolize(sym, pc, &s) ? "(none)" : s.name;
}

static void test_system_map(void)
{
	struct kct_symbolizer *sym;
	const char *map = write_tmp("ffffffff81000000 T _text\n"
				    "ffffffff81000100 t alpha\n"
				    "ffffffff81000200 T beta\n"
				    "ffffffff81000200 t beta_alias\n"
				    "ffffffff81000300 D some_data\n"
				    "ffffffff81000400 T gamma\n");
	KCT_OPTS(kct_symbol, s);
	uint64_t start, end;

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_system_map(sym, map), "System.map loads");
	CHECK(!strcmp(name_of(sym, 0xffffffff81000100), "alpha"), "a function's first byte");
	CHECK(!strcmp(name_of(sym, 0xffffffff810001ff), "alpha"), "a function's last byte");
	CHECK(!strcmp(name_of(sym, 0xffffffff81000250), "beta"),
	      "of two names at one address, the global one");
	CHECK(kct_symbolize(sym, 0xffffffff81000350, &s) == -ENOENT,
	      "a data symbol ends the function before it (lists have no sizes)");
	CHECK(kct_symbolize(sym, 0xffffffff80000000, &s) == -ENOENT, "below the first symbol: ENOENT");
	CHECK(!kct_symbolize(sym, 0xffffffff81000210, &s) && s.addr == 0xffffffff81000200 &&
	      !s.module, "start address and no module");
	/* gamma, the last, ends 0x100 on, as alpha, beta and _text do. */
	CHECK(!strcmp(name_of(sym, 0xffffffff810004ff), "gamma") &&
	      kct_symbolize(sym, 0xffffffff81000500, &s) == -ENOENT &&
	      kct_symbolize(sym, 0xffffffffa0000000, &s) == -ENOENT,
	      "the last function ends after the largest other's size: no PC above is its");
	CHECK(!kct_symbolizer_span(sym, &start, &end) && start == 0xffffffff81000000 &&
	      end == 0xffffffff81000500, "the span: from _text to the last function's end");
	CHECK(kct_symbolizer_module_symbols(sym) == 0, "a System.map: no module's symbols");
	kct_symbolizer_free(sym);
	kct_symbolizer_new(&sym);
	CHECK(kct_symbolizer_span(sym, &start, &end) == -ENOENT, "no symbols, no span: ENOENT");
	kct_symbolizer_free(sym);
}

static void test_kallsyms(void)
{
	/* The kernel ran at _text = 0xffffffff9a000000: 0x19000000 of KASLR. */
	const char *kallsyms = write_tmp("ffffffff9a000000 T _text\n"
					 "ffffffff9a000100 t alpha\n"
					 "ffffffff9a000200 T beta\n"
					 "ffffffffc0001000 t mod_fn\t[mymod]\n"
					 "ffffffffc0001100 t mod_other\t[mymod]\n");
	const char *map = write_tmp("ffffffff80000000 T _text\nffffffff80000100 t alpha\n");
	const char *hidden = write_tmp("0000000000000000 T _text\n0000000000000000 t alpha\n");
	struct kct_symbolizer *sym;
	KCT_OPTS(kct_symbol, s);

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_kallsyms(sym, kallsyms) && kct_symbolizer_module_symbols(sym) == 2,
	      "kallsyms loads, its two text symbols of a module counted");
	CHECK(!strcmp(name_of(sym, 0xffffffff81000150), "alpha"),
	      "a link-time PC names the function kallsyms shows at its run-time address");
	CHECK(!kct_symbolize(sym, 0xffffffffa7001010, &s) && !strcmp(s.name, "mod_fn") &&
	      s.module && !strcmp(s.module, "mymod"),
	      "module functions move by the same offset and keep their module");
	kct_symbolizer_free(sym);

	/* With a link-time source, the offset is measured against it. */
	kct_symbolizer_new(&sym);
	kct_symbolizer_add_system_map(sym, map);
	kct_symbolizer_add_kallsyms(sym, kallsyms);
	CHECK(!strcmp(name_of(sym, 0xffffffff80000150), "alpha"),
	      "the KASLR offset is taken against a System.map's _text");
	kct_symbolizer_free(sym);

	kct_symbolizer_new(&sym);
	CHECK(kct_symbolizer_add_kallsyms(sym, hidden) == -KCT_ERR_HIDDEN,
	      "addresses hidden by kptr_restrict: KCT_ERR_HIDDEN");
	CHECK(kct_symbolizer_add_system_map(sym, write_tmp("garbage\n")) == -KCT_ERR_SYMFILE,
	      "a file that is not a symbol list: KCT_ERR_SYMFILE");
	CHECK(kct_symbolizer_add_system_map(sym, write_tmp("")) == -KCT_ERR_NOSYMS &&
	      kct_symbolizer_add_system_map(sym, write_tmp("ffffffff82000000 D data\n")) ==
	      -KCT_ERR_NOSYMS,
	      "a symbol list of no function (empty, or data only): KCT_ERR_NOSYMS, not ENOENT");
	CHECK(kct_symbolizer_add_elf(sym, write_tmp("ffffffff81000000 T f\n")) == -KCT_ERR_ELF,
	      "a text file as an ELF file: KCT_ERR_ELF");
	CHECK(kct_symbolizer_add_system_map(sym, "/no/such/map") == -ENOENT, "a missing file: ENOENT");
	CHECK(kct_symbolizer_add_system_map(sym, write_tmp("1ffffffff81000000 T wide\n")) ==
	      -KCT_ERR_SYMFILE, "an address of 17 hex digits, beyond 64 bits: KCT_ERR_SYMFILE");
	CHECK(kct_symbolizer_add_system_map(sym, write_tmp("0xffffffff81000000 T hex\n")) ==
	      -KCT_ERR_SYMFILE &&
	      kct_symbolizer_add_system_map(sym, write_tmp(" ffffffff81000000 T sp\n")) ==
	      -KCT_ERR_SYMFILE,
	      "an address with 0x or a space before it, as no symbol list has: KCT_ERR_SYMFILE");
	kct_symbolizer_free(sym);

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_system_map(sym, write_tmp("FFFFFFFF81000A00 T upper\n"
							    "ffffffff81000b00 T lower\n")) &&
	      !strcmp(name_of(sym, 0xffffffff81000a10), "upper") &&
	      !strcmp(name_of(sym, 0xffffffff81000b10), "lower"),
	      "addresses in upper-case hex digits as in lower");
	kct_symbolizer_free(sym);
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Where function i of the n sorted addrs ends, in check_lookups()'s list:
 * halfway to the next one where a data symbol lies there. */
static uint64_t end_of(const uint64_t *addrs, int n, int i)
{
	if (i + 1 < n && i % 5 == 1 && addrs[i + 1] - addrs[i] >= 2)
		return addrs[i] + (addrs[i + 1] - addrs[i]) / 2;
	return i + 1 < n ? addrs[i + 1] : 0;
}

/*
 * Function n of the n sorted addrs by a binary search of its own, against
 * the symbolizer, for PCs at, around and between every symbol's start, ~0
 * and random ones.  The System.map lists them shuffled if asked, with a local
 * alias at some (the global name wins) and data symbols halfway to the next
 * function after some, which end the function before them.  The last
 * function ends after the size of the largest other one (one byte if it is
 * alone).
 */
static void check_lookups(const char *what, const uint64_t *addrs, int n, bool shuffle)
{
	struct kct_symbolizer *sym;
	char *text = malloc((size_t)n * 3 * 40 + 1), *p = text;
	int *order = malloc(n * sizeof(*order)), wrong = 0, probes = 0;
	uint64_t first_wrong = 0, largest = 0;

	if (!text || !order)
		abort();
	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int i = n - 1; shuffle && i > 0; i--) {
		int j = (int)(rnd() % (i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (int k = 0; k < n; k++) {
		int i = order[k];

		if (i % 7 == 3)
			p += sprintf(p, "%016llx t a%d\n", (unsigned long long)addrs[i], i);
		p += sprintf(p, "%016llx T f%d\n", (unsigned long long)addrs[i], i);
		if (end_of(addrs, n, i) && end_of(addrs, n, i) != addrs[i + 1])
			p += sprintf(p, "%016llx D d%d\n", (unsigned long long)end_of(addrs, n, i), i);
	}
	for (int i = 0; i + 1 < n; i++)
		if (end_of(addrs, n, i) - addrs[i] > largest)
			largest = end_of(addrs, n, i) - addrs[i];
	kct_symbolizer_new(&sym);
	if (kct_symbolizer_add_system_map(sym, write_tmp(text)))
		abort();
	for (int i = 0; i < n + 4000; i++) {
		uint64_t base = i < n ? addrs[i] : i == n ? ~0ULL : rnd();
		uint64_t mid = i + 1 < n ? base + (addrs[i + 1] - base) / 2 :
					   base + (rnd() & 0xffff);
		uint64_t pcs[] = { base, base + 1, base - 1, mid, base - (rnd() & 0xffff) };

		for (size_t k = 0; k < sizeof(pcs) / sizeof(pcs[0]); k++) {
			uint64_t pc = pcs[k];
			KCT_OPTS(kct_symbol, s);
			int lo = 0, hi = n, err = kct_symbolize(sym, pc, &s);
			uint64_t size;
			char want[16];

			/* lo: how many symbols start at or below pc. */
			while (lo < hi) {
				int mid = (lo + hi) / 2;

				if (addrs[mid] <= pc)
					lo = mid + 1;
				else
					hi = mid;
			}
			snprintf(want, sizeof(want), "f%d", lo - 1);
			probes++;
			size = !lo ? 0 : lo < n ? end_of(addrs, n, lo - 1) - addrs[lo - 1] :
				     largest ? largest : 1;
			if (lo && pc - addrs[lo - 1] < size ?
			    err || s.name_len != strlen(want) || memcmp(s.name, want, s.name_len) ||
			    s.addr != addrs[lo - 1] || s.size != size :
			    err != -ENOENT) {
				if (!wrong++)
					first_wrong = pc;
			}
		}
	}
	CHECK(!wrong, "%s: %d symbols, %d look-ups as a binary search finds them (%d wrong, the "
	      "first at 0x%llx)", what, n, probes, wrong, (unsigned long long)first_wrong);
	kct_symbolizer_free(sym);
	free(order);
	free(text);
}

/* Tables shaped to reach every way of the look-up. */
static void test_lookups(void)
{
	static uint64_t a[6000];
	int n = 0;

	/* A kernel's functions: 16 to 2,048 bytes, a few buckets each. */
	a[0] = 0xffffffff81000000ULL;
	for (n = 1; n < 5000; n++)
		a[n] = a[n - 1] + 16 + rnd() % 2033;
	check_lookups("functions of 16 to 2,048 bytes, listed shuffled", a, n, true);

	/* Dense runs of tiny functions, sparse ones, and a gigabyte apart
	 * a module's: buckets that many symbols start in, many none. */
	for (n = 1; n < 5000; n++)
		a[n] = a[n - 1] + (n == 2500 ? 1ULL << 30 : n % 1000 < 500 ? 1 + rnd() % 8 :
				   1 + rnd() % 65536);
	check_lookups("dense and sparse runs, a gigabyte apart", a, n, false);

	/* The whole address space: user space from 0x1000 up to the last
	 * page, where a PC below the first symbol lands in the last bucket
	 * once the subtraction wraps around; PCs of ~0 included. */
	n = 0;
	for (uint64_t addr = 0x1000; n < 64; n++, addr += (rnd() % (1ULL << 58)) & ~0xfffULL)
		a[n] = addr;
	a[n++] = 0xfffffffffffff000ULL;
	check_lookups("symbols spread over the whole address space", a, n, true);
	a[n++] = 0xffffffffffffffffULL;
	check_lookups("the same and a symbol at ~0", a, n, true);
	check_lookups("one symbol", a + 10, 1, false);
}

static uint64_t frame_of(struct kct_symbolizer *sym, uint64_t pc)
{
	KCT_OPTS(kct_symbol, s);

	return kct_symbolize(sym, pc, &s) ? 0 : s.frame_addr;
}

/*
 * GCC's hot/cold partitioning: the unlikely code of foo goes to foo.cold
 * (foo.cold.N in older GCCs), a symbol of its own but the same frame as
 * foo's, which frame_addr names.
 */
static void test_cold_parts(void)
{
	const char *map = write_tmp("0000000000001000 T foo\n"
				    "0000000000001000 t foo_alias\n"
				    "0000000000001100 T bar.part.0\n"
				    "0000000000001200 t baz\n"
				    "0000000000001300 t dup\n"
				    "0000000000001400 t dup\n"
				    "0000000000001500 t plain\n"
				    "0000000000002000 t foo.cold\n"
				    "0000000000002040 t bar.part.0.cold\n"
				    "0000000000002080 t orphan.cold\n"
				    "00000000000020c0 t baz.cold.17\n"
				    "0000000000002100 t dup.cold\n"
				    "0000000000002140 t bar.cold\n"
				    "0000000000002180 t plain.coldish\n"
				    "0000000000003000 T _etext\n");
	const char *kallsyms = write_tmp("ffffffff9a000000 T _text\n"
					 "ffffffff9a000100 t mod_fn\n"
					 "ffffffffc0001000 t mod_fn\t[mymod]\n"
					 "ffffffffc0001100 t other\t[mymod]\n"
					 "ffffffffc0002000 t mod_fn.cold\t[mymod]\n"
					 "ffffffffc0002040 t lonely\t[mymod]\n");
	struct kct_symbolizer *sym;
	KCT_OPTS(kct_symbol, s);
	struct {
		struct kct_symbol s;
		uint64_t beyond;
	} old;

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_system_map(sym, map), "a System.map with .cold parts loads");
	CHECK(frame_of(sym, 0x1010) == 0x1000 && frame_of(sym, 0x1110) == 0x1100 &&
	      frame_of(sym, 0x1510) == 0x1500,
	      "a function that is not a .cold part: frame_addr is its own addr");
	CHECK(!kct_symbolize(sym, 0x2005, &s) && !strcmp(s.name, "foo.cold") && s.addr == 0x2000 &&
	      s.size == 0x40 && s.frame_addr == 0x1000,
	      "foo.cold: named as it is, its frame foo's (whose name a local alias shares)");
	CHECK(frame_of(sym, 0x2045) == 0x1100, "bar.part.0.cold: the frame of bar.part.0");
	CHECK(frame_of(sym, 0x2145) == 0x2140,
	      "bar.cold without a function bar (only bar.part.0): its own frame");
	CHECK(frame_of(sym, 0x20c5) == 0x1200, "baz.cold.17 (older GCCs' numbering): baz's frame");
	CHECK(frame_of(sym, 0x2085) == 0x2080, "orphan.cold without a parent: its own frame");
	CHECK(frame_of(sym, 0x2105) == 0x2100,
	      "dup.cold of two functions dup: no telling which, its own frame");
	CHECK(frame_of(sym, 0x2185) == 0x2180, "plain.coldish is no .cold part");
	/* A caller built before frame_addr: filled up to its size, no
	 * further. */
	memset(&old, 0xa5, sizeof(old));
	old.s.sz = offsetof(struct kct_symbol, frame_addr);
	CHECK(!kct_symbolize(sym, 0x2005, &old.s) && !strcmp(old.s.name, "foo.cold") &&
	      old.s.addr == 0x2000 && old.s.size == 0x40 &&
	      old.s.frame_addr == 0xa5a5a5a5a5a5a5a5ULL && old.beyond == 0xa5a5a5a5a5a5a5a5ULL,
	      "a caller's struct without frame_addr: filled up to its sz, nothing past it");
	kct_symbolizer_free(sym);

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_kallsyms(sym, kallsyms), "kallsyms with a module's .cold part loads");
	CHECK(!kct_symbolize(sym, 0xffffffffa7002010, &s) && !strcmp(s.name, "mod_fn.cold") &&
	      s.module && !strcmp(s.module, "mymod") && s.frame_addr == 0xffffffffa7001000,
	      "a module's .cold part: the frame of its module's function, at link time");
	kct_symbolizer_free(sym);
}

/* Globs to ranges: by hand from the listing, KASLR offset 0x19000000. */
static void test_glob_ranges(void)
{
	const char *kallsyms = write_tmp("ffffffff9a000000 T _text\n"
					 "ffffffff9a000100 t _raw_spin_lock\n"
					 "ffffffff9a000180 T _raw_spin_lock_irqsave\n"
					 "ffffffff9a000200 T rcu_read_lock\n"
					 "ffffffff9a000200 t rcu_alias\n"
					 "ffffffff9a000280 D rcu_data\n"
					 "ffffffff9a000300 T do_sys_open\n"
					 "ffffffff9a000400 T rcu_note\n"
					 "ffffffff9a000480 T _etext\n"
					 "ffffffff9a000500 T _sinittext\n"
					 "ffffffff9a000500 T rcu_init\n"
					 "ffffffff9a000580 T _einittext\n"
					 "ffffffffc0001000 t rcu_mod\t[mymod]\n"
					 "ffffffffc0001100 t mod_other\t[mymod]\n");
	const char *map = write_tmp("ffffffff81000000 T _text\nffffffff81000100 t alpha\n");
	struct kct_symbolizer *sym;
	struct kct_range *r = NULL;
	uint32_t nr = 0;
	int n;

	kct_symbolizer_new(&sym);
	kct_symbolizer_add_kallsyms(sym, kallsyms);
	n = kct_symbolizer_glob_ranges(sym, "*spin_*lock*", &r, &nr);
	CHECK(n == 2 && nr == 1 && r[0].start == 0xffffffff81000100 &&
	      r[0].end == 0xffffffff81000200,
	      "two functions side by side: one range, at link-time addresses");
	/* rcu_read_lock and its alias rcu_alias [0x200, 0x280) (rcu_data ends
	 * it), rcu_note [0x400, 0x480); rcu_mod is a module's, rcu_init init
	 * text, after _etext. */
	n = kct_symbolizer_glob_ranges(sym, "rcu_*", &r, &nr);
	CHECK(n == 3 && nr == 2 && r[0].start == 0xffffffff81000100 &&
	      r[0].end == 0xffffffff81000280 && r[1].start == 0xffffffff81000400 &&
	      r[1].end == 0xffffffff81000480,
	      "a second glob's ranges merged with the first's; no module or init functions");
	n = kct_symbolizer_glob_ranges(sym, "rcu_alias", &r, &nr);
	CHECK(n == 1 && nr == 2 && r[0].end == 0xffffffff81000280,
	      "an alias matches, with the range of its address");
	n = kct_symbolizer_glob_ranges(sym, "no_such_*", &r, &nr);
	CHECK(n == 0 && nr == 2, "a glob that matches nothing: 0, ranges unchanged");
	free(r);
	kct_symbolizer_free(sym);

	kct_symbolizer_new(&sym);
	kct_symbolizer_add_system_map(sym, map);
	r = NULL;
	nr = 0;
	CHECK(kct_symbolizer_glob_ranges(sym, "alpha", &r, &nr) == 0 && !r,
	      "the last function of a source without sizes: size unknown, left out");
	kct_symbolizer_free(sym);
}

static uintptr_t bias;

static int main_bias(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	bias = info->dlpi_addr;
	return 1;
}

static volatile int sink;

static inline __attribute__((always_inline)) void inlined_helper(void)
{
	sink = 1;	/* INLINED_LINE */
}

__attribute__((noinline)) void outer_function(void)
{
	inlined_helper();
	sink = 2;
}

/* The line of the first line of text in this file that contains marker. */
static unsigned int line_of(const char *marker)
{
	FILE *f = fopen(__FILE__, "r");
	char line[512];
	unsigned int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, marker) && !strstr(line, "line_of(")) {
			fclose(f);
			return n;
		}
	}
	if (f)
		fclose(f);
	return 0;
}

/* Whether a and b (n entries each) name the same locations. */
static bool same_sources(const struct kct_source *a, const struct kct_source *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i].function != b[i].function || a[i].file != b[i].file ||
		    a[i].line != b[i].line || a[i].column != b[i].column)
			return false;
	return true;
}

/*
 * The symbolizer keeps what it found for each PC: every PC of
 * outer_function (size bytes from start) and a PC without code, asked with
 * max 1, 2 and 4, twice, get what a look-up of more than the cache keeps
 * (max 64, not cached) finds first: the same locations, cut at max.
 */
static void test_source_cache(struct kct_symbolizer *sym, uint64_t start, uint64_t size)
{
	static const int maxes[] = { 4, 1, 2, 4, 2, 1 };
	struct kct_source full[64], src[4];
	int wrong = 0, asked = 0;

	for (uint64_t pc = start; pc <= start + size + 1; pc++) {
		uint64_t p = pc == start + size + 1 ? 0x10 : pc;
		int n = kct_symbolize_source(sym, p, full, sizeof(full[0]), 64);

		for (size_t m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
			int k = kct_symbolize_source(sym, p, src, sizeof(src[0]), maxes[m]);
			int want = n < 0 ? n : n < maxes[m] ? n : maxes[m];

			asked++;
			if (k != want || (k > 0 && !same_sources(src, full, k)))
				wrong++;
		}
	}
	CHECK(!wrong && asked > 6 * 8,
	      "DWARF: each PC's locations asked again, with another max: as found, cut at max "
	      "(%d of %d wrong)", wrong, asked);
}

static void test_dwarf(void)
{
	struct kct_symbolizer *sym;
	struct kct_source src[4];
	uint64_t start, pc;
	KCT_OPTS(kct_symbol, s);
	int n, found = 0;

	dl_iterate_phdr(main_bias, NULL);
	start = (uint64_t)(uintptr_t)outer_function - bias;
	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_elf(sym, "/proc/self/exe"), "this program's ELF and DWARF load");
	CHECK(!kct_symbolize(sym, start + 4, &s) && !strcmp(s.name, "outer_function") && s.addr == start,
	      "its symbol table names outer_function");
	/* Somewhere in outer_function is the inlined helper's store. */
	for (pc = start + 1; pc < start + s.size + 1 && !found; pc++) {
		n = kct_symbolize_source(sym, pc, src, sizeof(src[0]), 4);
		if (n >= 2 && src[0].function && !strcmp(src[0].function, "inlined_helper") &&
		    src[0].line == line_of("INLINED_LINE") && src[1].function &&
		    !strcmp(src[1].function, "outer_function") &&
		    src[1].line == line_of("\tinlined_helper();") &&
		    strstr(src[0].file, "test-symbolize.c"))
			found = 1;
	}
	CHECK(found, "DWARF: the inlined helper's line, and the line in outer_function that it was inlined at");
	/* Built with its directory mapped to "." (as the lab's kernels are):
	 * the files as the tree names them, not "./tests/...". */
	CHECK(found && src[0].file && !strcmp(src[0].file, "tests/lib/test-symbolize.c") &&
	      src[1].file && !strcmp(src[1].file, "tests/lib/test-symbolize.c"),
	      "DWARF: files of a build directory mapped to \".\" are named without \"./\"");
	/* A newer caller's larger entries: the same locations, its own field
	 * zeroed. */
	if (found) {
		struct {
			struct kct_source src;
			uint64_t newer;
		} big[4];

		memset(big, 0xa5, sizeof(big));
		n = kct_symbolize_source(sym, pc - 1, &big[0].src, sizeof(big[0]), 4);
		CHECK(n >= 2 && big[0].src.function == src[0].function && big[0].src.line == src[0].line &&
		      big[1].src.function == src[1].function && big[1].src.line == src[1].line &&
		      !big[0].newer && !big[1].newer,
		      "DWARF: entries of a newer caller's size, its field zeroed");
		CHECK(kct_symbolize_source(sym, pc - 1, src, sizeof(src[0]) - 8, 4) == -EINVAL,
		      "DWARF: entries smaller than the first version's are refused");
	}
	{
		struct {
			struct kct_symbol s;
			uint64_t newer;
		} big;

		memset(&big, 0xa5, sizeof(big));
		big.s.sz = sizeof(big);
		CHECK(!kct_symbolize(sym, start + 4, &big.s) && !strcmp(big.s.name, "outer_function") &&
		      !big.newer && big.s.sz == sizeof(struct kct_symbol),
		      "a symbol into a newer caller's struct: its field zeroed, sz the library's");
	}
	CHECK(kct_symbolize_source(sym, 0x10, src, sizeof(src[0]), 4) == -ENOENT, "no line for an address without code");
	test_source_cache(sym, start, s.size);
	kct_symbolizer_free(sym);
}

static bool id_of(const char *text, uint8_t id[KCT_KERNEL_ID_SYMBOLS_LEN])
{
	return kct_kernel_id_symbols(write_tmp(text), id, KCT_KERNEL_ID_SYMBOLS_LEN) ==
	       KCT_KERNEL_ID_SYMBOLS_LEN;
}

/*
 * The kernel's identity from its text symbols: the same for its System.map
 * and for its kallsyms at any KASLR offset, modules loaded or not, whatever
 * the order of the lines and the data symbols; another for a kernel whose
 * text differs.  A SHA-256 of "%016llx NAME\0" for each (offset from _text,
 * name), sorted: the known answer is Python's hashlib.sha256() of the
 * same bytes.
 */
static void test_kernel_id(void)
{
	static const uint8_t known[] = {
		0x84, 0xe4, 0x92, 0x73, 0x32, 0x4d, 0x17, 0xc3, 0xc3, 0x4c, 0x22, 0x09, 0x1f,
		0x4d, 0xcd, 0xe7, 0xe7, 0xee, 0x82, 0x42, 0x12, 0x22, 0xa8, 0x88, 0xe6, 0xbe,
		0x21, 0x01, 0x56, 0xfe, 0x87, 0x38,
	};
	uint8_t map[32], sorted[32], kallsyms[32], other[32], moved[32];
	const char *hidden = write_tmp("0000000000000000 T _text\n0000000000000000 t alpha\n");

	CHECK(id_of("ffffffff81000000 T _text\n"
		    "ffffffff81000100 T do_one\n"
		    "ffffffff81000200 t helper\n"
		    "ffffffff81000200 T alias\n"
		    "ffffffff82000000 D some_data\n", map) && !memcmp(map, known, sizeof(known)),
	      "kernel identity of a System.map: the known SHA-256 of its text symbols");
	CHECK(id_of("ffffffff81000000 T _text\n"
		    "ffffffff81000100 T do_one\n"
		    "ffffffff81000200 T alias\n"
		    "ffffffff81000200 t helper\n"
		    "ffffffff82000000 D some_data\n", sorted) && !memcmp(sorted, known, sizeof(known)),
	      "the same with its text symbols in the order of the digest: the same SHA-256");
	CHECK(id_of("ffffffff9e000200 T alias\n"
		    "ffffffff9e000000 T _text\n"
		    "ffffffff9e000100 T do_one\n"
		    "ffffffff9f000040 d other_data\n"
		    "ffffffffc0001000 t mod_fn\t[mymod]\n"
		    "ffffffff9e000200 t helper\n", kallsyms) && !memcmp(map, kallsyms, sizeof(map)),
	      "the same from its kallsyms, KASLR-shifted, modules loaded, lines reordered");
	CHECK(id_of("ffffffff81000000 T _text\n"
		    "ffffffff81000100 T do_one\n"
		    "ffffffff81000200 t helper2\n"
		    "ffffffff81000200 T alias\n", other) && memcmp(map, other, sizeof(map)),
	      "another kernel (a function renamed): another identity");
	CHECK(id_of("ffffffff81000000 T _text\n"
		    "ffffffff81000108 T do_one\n"
		    "ffffffff81000200 t helper\n"
		    "ffffffff81000200 T alias\n", moved) && memcmp(map, moved, sizeof(map)),
	      "another kernel (a function moved): another identity");
	CHECK(kct_kernel_id_symbols(hidden, map, sizeof(map)) == -KCT_ERR_HIDDEN,
	      "kernel identity: addresses hidden by kptr_restrict: KCT_ERR_HIDDEN");
	CHECK(kct_kernel_id_symbols(write_tmp("ffffffff81000100 T do_one\n"), map, sizeof(map)) ==
	      -KCT_ERR_NO_TEXT, "kernel identity: no _text: KCT_ERR_NO_TEXT");
	CHECK(kct_kernel_id_symbols("/no/such/map", map, sizeof(map)) == -ENOENT,
	      "kernel identity: a missing file: ENOENT");
	CHECK(kct_kernel_id_symbols(write_tmp("garbage\n"), map, sizeof(map)) == -KCT_ERR_SYMFILE,
	      "kernel identity: not a symbol list: KCT_ERR_SYMFILE");
	CHECK(kct_kernel_id_symbols(write_tmp("ffffffff81000000 T _text\n"
					      "1ffffffff81000100 T wide\n"), map, sizeof(map)) ==
	      -KCT_ERR_SYMFILE, "kernel identity: an address beyond 64 bits: KCT_ERR_SYMFILE");
	CHECK(kct_kernel_id_symbols(hidden, map, 16) == -EINVAL,
	      "kernel identity: too small a buffer: EINVAL");
}

static char printed[4][256];
static int nr_printed;

static int print_to_array(enum kct_print_level level, const char *fmt, va_list ap)
{
	if (level == KCT_PRINT_WARN && nr_printed < 4)
		vsnprintf(printed[nr_printed++], sizeof(printed[0]), fmt, ap);
	return 0;
}

/* The print callback (issue 19, item 20): a symbol list's bad line is
 * named, file and line, as a compiler names them. */
static void test_print(void)
{
	const char *bad = write_tmp("ffffffff81000000 T _text\n"
				    "ffffffff81000100 T do_one\n"
				    "this is no symbol\n");
	char want[128];
	struct kct_symbolizer *sym;
	uint8_t id[KCT_KERNEL_ID_MAX];
	kct_print_fn_t old;

	CHECK(kct_set_print(print_to_array) == NULL, "kct_set_print: no callback by default");
	snprintf(want, sizeof(want), "%s:3: not a symbol list line: ADDR TYPE NAME [MODULE] expected\n",
		 bad);
	kct_symbolizer_new(&sym);
	CHECK(kct_symbolizer_add_system_map(sym, bad) == -KCT_ERR_SYMFILE && nr_printed == 1 &&
	      !strcmp(printed[0], want),
	      "a System.map's bad line: a warning names its file and line (\"%.*s\")",
	      (int)strcspn(printed[0], "\n"), printed[0]);
	kct_symbolizer_free(sym);
	nr_printed = 0;
	CHECK(kct_kernel_id_symbols(bad, id, sizeof(id)) == -KCT_ERR_SYMFILE && nr_printed == 1 &&
	      !strcmp(printed[0], want), "the kernel identity of it: the same warning");
	old = kct_set_print(NULL);
	nr_printed = 0;
	kct_symbolizer_new(&sym);
	CHECK(old == print_to_array && kct_symbolizer_add_system_map(sym, bad) == -KCT_ERR_SYMFILE &&
	      !nr_printed, "kct_set_print(NULL): the old callback returned, nothing printed");
	kct_symbolizer_free(sym);
}

/* Data symbols: of lists, sized up to the next; of an ELF file, its
 * objects with their sizes. */
static volatile long data_probe[4];

static void test_data(void)
{
	struct kct_symbolizer *sym;
	const char *map = write_tmp("ffffffff81000000 T _text\n"
				    "ffffffff81000100 t alpha\n"
				    "ffffffff82000000 D jiffies_like\n"
				    "ffffffff82000040 d kcov_lab_state\n"
				    "ffffffff82000040 D kcov_lab_alias\n"
				    "ffffffff82000100 b some_bss\n"
				    "ffffffff82000200 R last_rodata\n"
				    "ffffffffa0000000 d mod_data\t[mod]\n");
	KCT_OPTS(kct_symbol, s);
	uint64_t start;

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_system_map(sym, map), "data: System.map loads");
	CHECK(!kct_symbolize_data(sym, 0xffffffff82000050, &s) &&
	      !strcmp(s.name, "kcov_lab_alias") && s.addr == 0xffffffff82000040 && s.size == 0xc0,
	      "data: an address in a variable: the global alias, up to the next variable");
	CHECK(!kct_symbolize_data(sym, 0xffffffff82000100, &s) && !strcmp(s.name, "some_bss"),
	      "data: bss, its first byte");
	CHECK(kct_symbolize_data(sym, 0xffffffff82000208, &s) == -ENOENT,
	      "data: past the last variable of a list: none (no size to go by)");
	CHECK(kct_symbolize_data(sym, 0xffff888003a1c010ULL, &s) == -ENOENT,
	      "data: a heap address, below every variable: none");
	CHECK(kct_symbolize_data(sym, 0xffffffffa0000000ULL, &s) == -ENOENT,
	      "data: a module's variables are not taken");
	CHECK(kct_symbolize(sym, 0xffffffff82000050, &s) == -ENOENT,
	      "data: kct_symbolize() still names functions only");
	kct_symbolizer_free(sym);

	/* No data symbols at all (a list of functions only; UBSan saw the
	 * empty table sorted through a NULL pointer). */
	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_system_map(sym, write_tmp("ffffffff81000000 T _text\n")) &&
	      kct_symbolize_data(sym, 0xffffffff81000000ULL, &s) == -ENOENT,
	      "data: a source of no data symbols: none, ENOENT");
	kct_symbolizer_free(sym);

	kct_symbolizer_new(&sym);
	dl_iterate_phdr(main_bias, NULL);
	start = (uint64_t)(uintptr_t)&data_probe[0] - bias;
	CHECK(!kct_symbolizer_add_elf(sym, "/proc/self/exe") &&
	      !kct_symbolize_data(sym, start + 2 * sizeof(long), &s) &&
	      !strcmp(s.name, "data_probe") && s.addr == start && s.size >= sizeof(data_probe),
	      "data: an ELF file's object, with its size (ASan's redzone may add to it)");
	CHECK(kct_symbolize_data(sym, start + sizeof(data_probe) + 4096 * 64, &s) != 0 ||
	      strcmp(s.name, "data_probe"), "data: past an object's size, not it");
	kct_symbolizer_free(sym);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_system_map();
	test_kallsyms();
	test_lookups();
	test_cold_parts();
	test_glob_ranges();
	test_dwarf();
	test_kernel_id();
	test_print();
	test_data();
	for (int i = 0; i < nr_paths; i++)
		unlink(paths[i]);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
