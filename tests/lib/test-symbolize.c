// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the symbolizer: System.map and kallsyms look-ups, the KASLR
 * offset of kallsyms, module names, hidden addresses, and DWARF lines and
 * inlined frames of this very program; globs to function ranges; and of
 * the kernel identity taken from the same symbol lists.
 */
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcovtrace.h"

static int tests, failures;

#define CHECK(cond, ...) do {					\
	tests++;						\
	if (cond) {						\
		printf("ok %d - ", tests);			\
	} else {						\
		failures++;					\
		printf("not ok %d - ", tests);			\
	}							\
	printf(__VA_ARGS__);					\
	putchar('\n');						\
} while (0)

static char paths[32][32];
static int nr_paths;

static char *write_tmp(const char *text)
{
	char *path = paths[nr_paths++];
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
	struct kct_symbol s = { .sz = sizeof(s) };

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
	struct kct_symbol s = { .sz = sizeof(s) };

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_system_map(sym, map), "System.map loads");
	CHECK(!strcmp(name_of(sym, 0xffffffff81000100), "alpha"), "a function's first byte");
	CHECK(!strcmp(name_of(sym, 0xffffffff810001ff), "alpha"), "a function's last byte");
	CHECK(!strcmp(name_of(sym, 0xffffffff81000250), "beta"),
	      "of two names at one address, the global one");
	CHECK(!strcmp(name_of(sym, 0xffffffff81000350), "beta"), "data symbols do not end functions");
	CHECK(kct_symbolize(sym, 0xffffffff80000000, &s) == -ENOENT, "below the first symbol: ENOENT");
	CHECK(!kct_symbolize(sym, 0xffffffff81000210, &s) && s.addr == 0xffffffff81000200 &&
	      !s.module, "start address and no module");
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
	struct kct_symbol s = { .sz = sizeof(s) };

	kct_symbolizer_new(&sym);
	CHECK(!kct_symbolizer_add_kallsyms(sym, kallsyms), "kallsyms loads");
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
	CHECK(kct_symbolizer_add_kallsyms(sym, hidden) == -EPERM,
	      "addresses hidden by kptr_restrict: EPERM");
	CHECK(kct_symbolizer_add_system_map(sym, write_tmp("garbage\n")) == -EBADMSG,
	      "a file that is not a symbol list: EBADMSG");
	CHECK(kct_symbolizer_add_system_map(sym, "/no/such/map") == -ENOENT, "a missing file: ENOENT");
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
	/* rcu_read_lock and its alias rcu_alias [0x200, 0x300) (rcu_data is
	 * not text), rcu_note [0x400, 0x480); rcu_mod is a module's, rcu_init
	 * init text, after _etext. */
	n = kct_symbolizer_glob_ranges(sym, "rcu_*", &r, &nr);
	CHECK(n == 3 && nr == 2 && r[0].start == 0xffffffff81000100 &&
	      r[0].end == 0xffffffff81000300 && r[1].start == 0xffffffff81000400 &&
	      r[1].end == 0xffffffff81000480,
	      "a second glob's ranges merged with the first's; no module or init functions");
	n = kct_symbolizer_glob_ranges(sym, "rcu_alias", &r, &nr);
	CHECK(n == 1 && nr == 2 && r[0].end == 0xffffffff81000300,
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

static void test_dwarf(void)
{
	struct kct_symbolizer *sym;
	struct kct_source src[4];
	uint64_t start, pc;
	struct kct_symbol s = { .sz = sizeof(s) };
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
		      !big.newer, "a symbol into a newer caller's struct: its field zeroed");
	}
	CHECK(kct_symbolize_source(sym, 0x10, src, sizeof(src[0]), 4) == -ENOENT, "no line for an address without code");
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
	uint8_t map[32], kallsyms[32], other[32], moved[32];
	const char *hidden = write_tmp("0000000000000000 T _text\n0000000000000000 t alpha\n");

	CHECK(id_of("ffffffff81000000 T _text\n"
		    "ffffffff81000100 T do_one\n"
		    "ffffffff81000200 t helper\n"
		    "ffffffff81000200 T alias\n"
		    "ffffffff82000000 D some_data\n", map) && !memcmp(map, known, sizeof(known)),
	      "kernel identity of a System.map: the known SHA-256 of its text symbols");
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
	CHECK(kct_kernel_id_symbols(hidden, map, sizeof(map)) == -EPERM,
	      "kernel identity: addresses hidden by kptr_restrict: EPERM");
	CHECK(kct_kernel_id_symbols(write_tmp("ffffffff81000100 T do_one\n"), map, sizeof(map)) ==
	      -ENOENT, "kernel identity: no _text: ENOENT");
	CHECK(kct_kernel_id_symbols(write_tmp("garbage\n"), map, sizeof(map)) == -EBADMSG,
	      "kernel identity: not a symbol list: EBADMSG");
	CHECK(kct_kernel_id_symbols(hidden, map, 16) == -EINVAL,
	      "kernel identity: too small a buffer: EINVAL");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_system_map();
	test_kallsyms();
	test_glob_ranges();
	test_dwarf();
	test_kernel_id();
	for (int i = 0; i < nr_paths; i++)
		unlink(paths[i]);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
