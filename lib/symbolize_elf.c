// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The ELF source of the symbolizer, through libdwfl: function symbols of
 * vmlinux or of a user program, at their link-time addresses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "internal.h"
#include "symbolize.h"

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};


/*
 * Compilation units by address.  libdw finds a unit through .debug_aranges,
 * which clang does not emit by default, so the ranges of every unit are
 * read once into a sorted table instead.
 */
struct cu_range {
	uint64_t lo, hi;	/* [lo, hi) at link-time addresses */
	Dwarf_Die cu;
	Dwarf_Addr bias;
};

/*
 * The source locations found for each PC, kept: a trace runs through the
 * same hook sites again and again, and one look-up (dwarf_getscopes()
 * walks the unit's DIEs) takes tens of microseconds, so kcovtrace replay
 * --elf of a 300,000-record user trace took 23 s where --no-lines takes
 * 0.02 s.  An open-addressing table of PCs, each with its locations in a
 * pool: the locations of up to SOURCE_CACHE_MAX functions, as many as any
 * caller up to that max gets (a caller asking for more is not cached); or
 * none, -ENOENT, cached too.
 */
#define SOURCE_CACHE_MAX 16

struct source_slot {
	uint64_t pc;		/* 0: a free slot (PC 0 is never cached) */
	int32_t n;		/* what elf_source() returned */
	uint32_t first;		/* its locations: pool[first .. first + n) */
};

struct source_cache {
	struct source_slot *slots;	/* mask + 1 of them */
	size_t mask, used;
	struct kct_source *pool;
	size_t pool_nr, pool_cap;
};

struct elf_state {
	Dwfl *dwfl;
	struct cu_range *ranges;
	size_t nr, cap;
	bool indexed;
	struct source_cache cache;
};

static int cmp_range(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

static void index_cus(struct elf_state *st)
{
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;

	st->indexed = true;
	while ((cu = dwfl_nextcu(st->dwfl, cu, &bias))) {
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;

		while ((off = dwarf_ranges(cu, off, &base, &lo, &hi)) > 0) {
			if (lo >= hi)
				continue;
			if (st->nr == st->cap) {
				size_t cap = st->cap ? st->cap * 2 : 256;
				struct cu_range *g = realloc(st->ranges, cap * sizeof(*g));

				if (!g)
					return;
				st->ranges = g;
				st->cap = cap;
			}
			st->ranges[st->nr++] = (struct cu_range){ lo + bias, hi + bias, *cu, bias };
		}
	}
	/* None (no DWARF) is a NULL table, which qsort() may not be given. */
	if (st->nr)
		qsort(st->ranges, st->nr, sizeof(*st->ranges), cmp_range);
}

static const struct cu_range *find_cu(struct elf_state *st, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!st->indexed)
		index_cus(st);
	hi = st->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->ranges[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Ranges of different units do not overlap; look back a little in
	 * case a unit's ranges nest. */
	for (size_t i = lo; i > 0 && lo - i < 8; i--)
		if (addr >= st->ranges[i - 1].lo && addr < st->ranges[i - 1].hi)
			return &st->ranges[i - 1];
	return NULL;
}

static void cache_clear(struct source_cache *c)
{
	free(c->slots);
	free(c->pool);
	memset(c, 0, sizeof(*c));
}

/* pc's slot: its own, or the free one where it would go. */
static struct source_slot *cache_slot(const struct source_cache *c, uint64_t pc)
{
	/* Fibonacci hashing: PCs of nearby hook sites spread over the table. */
	size_t i = (size_t)((pc * 0x9e3779b97f4a7c15ULL) >> 32) & c->mask;

	while (c->slots[i].pc && c->slots[i].pc != pc)
		i = (i + 1) & c->mask;
	return &c->slots[i];
}

/* Room for one more PC, and n more locations; false without memory (the
 * look-up is then not cached). */
static bool cache_reserve(struct source_cache *c, int n)
{
	if ((c->used + 1) * 2 > c->mask + 1 || !c->slots) {
		/* At most half full: grow, and put every PC in its new
		 * place. */
		size_t size = c->slots ? (c->mask + 1) * 2 : 1024;
		struct source_cache grown = *c;

		grown.slots = calloc(size, sizeof(*grown.slots));
		if (!grown.slots)
			return false;
		grown.mask = size - 1;
		for (size_t i = 0; c->slots && i <= c->mask; i++)
			if (c->slots[i].pc)
				*cache_slot(&grown, c->slots[i].pc) = c->slots[i];
		free(c->slots);
		*c = grown;
	}
	if (n > 0 && c->pool_nr + n > c->pool_cap) {
		size_t cap = c->pool_cap ? c->pool_cap * 2 : 1024;
		struct kct_source *grown;

		while (cap < c->pool_nr + n)
			cap *= 2;
		grown = realloc(c->pool, cap * sizeof(*grown));
		if (!grown)
			return false;
		c->pool = grown;
		c->pool_cap = cap;
	}
	return true;
}

static void free_elf(struct kct_symbolizer *sym)
{
	struct elf_state *st = sym->elf;

	dwfl_end(st->dwfl);
	cache_clear(&st->cache);
	free(st->ranges);
	free(st);
	sym->elf = NULL;
}

/*
 * A build whose directory its DWARF names "." (-fdebug-prefix-map=DIR=.,
 * so that the names do not depend on where the trees were) has libdw join
 * "." and the file's own name: "./fs/readdir.c", or "././fs/readdir.c"
 * where the compiler was given the path it mapped.  The file is
 * fs/readdir.c.
 */
static const char *tidy_path(const char *path)
{
	while (path && path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

/*
 * Record PCs are return addresses: the hook call before them is what ran, so
 * its line, one byte back, is the one to report.
 */
static int look_up_source(struct kct_symbolizer *sym, uint64_t pc, struct kct_source *out,
			  int max)
{
	struct elf_state *st = sym->elf;
	const struct cu_range *r = find_cu(st, pc - 1);
	Dwarf_Die cu, *scopes = NULL;
	Dwarf_Addr addr;
	Dwarf_Line *line;
	int n = 0, nscopes;

	if (!r)
		return -ENOENT;
	cu = r->cu;
	addr = pc - 1 - r->bias;
	memset(&out[0], 0, sizeof(out[0]));
	line = dwarf_getsrc_die(&cu, addr);
	if (line) {
		int lineno = 0, col = 0;

		out[0].file = tidy_path(dwarf_linesrc(line, NULL, NULL));
		dwarf_lineno(line, &lineno);
		dwarf_linecol(line, &col);
		out[0].line = lineno;
		out[0].column = col;
	}
	/*
	 * Scopes run from the innermost out.  Each inlined subroutine is
	 * where out[n] is, and its call site is where out[n + 1], the
	 * function it was inlined into, called it.
	 */
	nscopes = dwarf_getscopes(&cu, addr, &scopes);
	if (nscopes > 0) {
		/* dwarf_getscopes() follows an inline to where it is defined;
		 * the DIE tree around the innermost scope is where it is used. */
		Dwarf_Die *chain = NULL;
		int nchain = dwarf_getscopes_die(&scopes[0], &chain);

		free(scopes);
		scopes = chain;
		nscopes = nchain;
	}
	for (int i = 0; i < nscopes && n < max; i++) {
		Dwarf_Die *die = &scopes[i];
		int tag = dwarf_tag(die);
		Dwarf_Attribute attr;
		Dwarf_Word v;

		if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine)
			continue;
		out[n].function = dwarf_diename(die);
		if (tag == DW_TAG_subprogram || n + 1 >= max) {
			n++;
			break;
		}
		memset(&out[n + 1], 0, sizeof(out[n + 1]));
		if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &v) == 0)
			out[n + 1].line = v;
		if (dwarf_formudata(dwarf_attr(die, DW_AT_call_column, &attr), &v) == 0)
			out[n + 1].column = v;
		if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &v) == 0) {
			Dwarf_Files *files;
			size_t nfiles;

			if (dwarf_getsrcfiles(&cu, &files, &nfiles) == 0 && v < nfiles)
				out[n + 1].file = tidy_path(dwarf_filesrc(files, v, NULL, NULL));
		}
		n++;
	}
	free(scopes);
	if (!n && out[0].file)
		n = 1; /* a line without scopes */
	return n ? n : -ENOENT;
}

/*
 * The locations of pc, from the cache where they are.  The first max of a
 * look-up's locations are those a look-up of max finds (it stops at the
 * max-th function, whose own location the one before gave), so the
 * cache's SOURCE_CACHE_MAX serve any max up to it.
 */
static int elf_source(struct kct_symbolizer *sym, uint64_t pc, struct kct_source *out, int max)
{
	struct source_cache *c = &((struct elf_state *)sym->elf)->cache;
	struct kct_source found[SOURCE_CACHE_MAX];
	struct source_slot *slot;
	int n;

	if (!pc || max > SOURCE_CACHE_MAX)
		return look_up_source(sym, pc, out, max);
	if (c->slots) {
		slot = cache_slot(c, pc);
		if (slot->pc) {
			n = slot->n < max ? slot->n : max;
			if (n > 0)
				memcpy(out, c->pool + slot->first, n * sizeof(*out));
			return slot->n > 0 ? n : slot->n;
		}
	}
	n = look_up_source(sym, pc, found, SOURCE_CACHE_MAX);
	if (cache_reserve(c, n)) {
		slot = cache_slot(c, pc);
		*slot = (struct source_slot){ .pc = pc, .n = n, .first = (uint32_t)c->pool_nr };
		c->used++;
		if (n > 0) {
			memcpy(c->pool + c->pool_nr, found, n * sizeof(*found));
			c->pool_nr += n;
		}
	}
	if (n > max)
		n = max;
	if (n > 0)
		memcpy(out, found, n * sizeof(*out));
	return n;
}

int kct_symbolizer_add_elf(struct kct_symbolizer *sym, const char *path)
{
	struct elf_state *st = sym->elf;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	int fd, n, err = 0;

	if (!st) {
		st = calloc(1, sizeof(*st));
		if (!st)
			return -ENOMEM;
		st->dwfl = dwfl_begin(&offline_callbacks);
		if (!st->dwfl) {
			free(st);
			return -ENOMEM;
		}
		sym->elf = st;
		sym->free_elf = free_elf;
		sym->elf_source = elf_source;
	}
	st->indexed = false;	/* a new module: index again when asked */
	st->nr = 0;
	cache_clear(&st->cache);	/* and a PC's locations may be in it */
	dwfl = st->dwfl;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dwfl_report_begin_add(dwfl);
	/* Base 0 with p_vaddr added: the module sits at its link-time
	 * addresses, which is what the records hold.  dwfl owns fd now. */
	mod = dwfl_report_elf(dwfl, path, path, fd, 0, true);
	dwfl_report_end(dwfl, NULL, NULL);
	if (!mod) {
		pr_warn("%s: %s\n", path, dwfl_errmsg(-1));
		close(fd);
		return -KCT_ERR_ELF;
	}
	n = dwfl_module_getsymtab(mod);
	if (n <= 0) {
		pr_warn("%s: no symbol table\n", path);
		return -KCT_ERR_ELF;
	}
	for (int i = 1; i < n && !err; i++) {
		GElf_Sym s;
		GElf_Addr addr;
		GElf_Word shndx;
		GElf_Shdr shdr;
		Elf_Scn *scn;
		Elf *elf;
		const char *name = dwfl_module_getsym_info(mod, i, &s, &addr, &shndx, &elf, NULL);
		int type = GELF_ST_TYPE(s.st_info);

		if (!name || !*name || shndx == SHN_UNDEF || shndx == SHN_ABS)
			continue;
		/* Objects, with their sizes, for kct_symbolize_data(). */
		if (type == STT_OBJECT && s.st_size) {
			err = symbolizer_add_symbol(sym, &sym->data, addr, s.st_size, name,
						    strlen(name), 0, SYM_PRIO_END + 1 +
						    (GELF_ST_BIND(s.st_info) != STB_LOCAL));
			sym->data_final = false;
			continue;
		}
		if (type != STT_FUNC && type != STT_NOTYPE)
			continue;
		scn = elf ? elf_getscn(elf, shndx) : NULL;
		if (!scn || !gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_EXECINSTR))
			continue;
		if (!strcmp(name, "_text"))
			sym->link_text = addr;
		/* Prefer functions to labels, global names to local aliases. */
		err = symbolizer_add_symbol(sym, &sym->link, addr, s.st_size, name, strlen(name), 0,
					    SYM_PRIO_END + 1 + (type == STT_FUNC) * 2 +
					    (GELF_ST_BIND(s.st_info) != STB_LOCAL));
	}
	return err;
}
