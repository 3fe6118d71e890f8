// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The symbolizer: PC to function.  Every source (ELF symbol tables through
 * libdwfl, and later kallsyms and System.map) is reduced to one sorted table
 * of link-time function ranges, so a look-up is a binary search whatever the
 * source.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elfutils/libdwfl.h>

#include "kcovtrace.h"

struct sym_entry {
	uint64_t addr;
	uint64_t size;		/* 0: up to the next symbol */
	uint32_t name;		/* offset into strings */
	uint32_t module;	/* offset into strings, 0 for none */
	uint8_t prio;		/* which alias names an address: higher wins */
};

struct kct_symbolizer {
	struct sym_entry *syms;
	size_t nr, cap;
	char *strings;
	size_t str_len, str_cap;
	bool sorted;
	Dwfl *dwfl;
};

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

int kct_symbolizer_new(struct kct_symbolizer **out)
{
	struct kct_symbolizer *sym = calloc(1, sizeof(*sym));

	*out = NULL;
	if (!sym)
		return -ENOMEM;
	/* Offset 0 is the empty string: "no module". */
	sym->strings = malloc(4096);
	if (!sym->strings) {
		free(sym);
		return -ENOMEM;
	}
	sym->strings[0] = '\0';
	sym->str_len = 1;
	sym->str_cap = 4096;
	sym->sorted = true;
	*out = sym;
	return 0;
}

void kct_symbolizer_free(struct kct_symbolizer *sym)
{
	if (!sym)
		return;
	if (sym->dwfl)
		dwfl_end(sym->dwfl);
	free(sym->syms);
	free(sym->strings);
	free(sym);
}

static int add_string(struct kct_symbolizer *sym, const char *s, size_t len, uint32_t *off)
{
	if (sym->str_len + len + 1 > sym->str_cap) {
		size_t cap = sym->str_cap * 2;
		char *grown;

		while (cap < sym->str_len + len + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -E2BIG;
		grown = realloc(sym->strings, cap);
		if (!grown)
			return -ENOMEM;
		sym->strings = grown;
		sym->str_cap = cap;
	}
	memcpy(sym->strings + sym->str_len, s, len);
	sym->strings[sym->str_len + len] = '\0';
	*off = (uint32_t)sym->str_len;
	sym->str_len += len + 1;
	return 0;
}

static int add_symbol(struct kct_symbolizer *sym, uint64_t addr, uint64_t size,
		      const char *name, uint32_t module, uint8_t prio)
{
	struct sym_entry *e;
	int err;

	if (sym->nr == sym->cap) {
		size_t cap = sym->cap ? sym->cap * 2 : 1024;
		struct sym_entry *grown = realloc(sym->syms, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		sym->syms = grown;
		sym->cap = cap;
	}
	e = &sym->syms[sym->nr];
	err = add_string(sym, name, strlen(name), &e->name);
	if (err)
		return err;
	e->addr = addr;
	e->size = size;
	e->module = module;
	e->prio = prio;
	sym->nr++;
	sym->sorted = false;
	return 0;
}

int kct_symbolizer_add_elf(struct kct_symbolizer *sym, const char *path)
{
	Dwfl_Module *mod;
	int fd, n, err = 0;

	if (!sym->dwfl) {
		sym->dwfl = dwfl_begin(&offline_callbacks);
		if (!sym->dwfl)
			return -ENOMEM;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dwfl_report_begin_add(sym->dwfl);
	/* Base 0 with p_vaddr added: the module sits at its link-time
	 * addresses, which is what the records hold. */
	mod = dwfl_report_elf(sym->dwfl, path, path, fd, 0, true);
	dwfl_report_end(sym->dwfl, NULL, NULL);
	if (!mod) {
		close(fd);
		return -ENOEXEC;
	}
	n = dwfl_module_getsymtab(mod);
	if (n < 0)
		return -ENOEXEC;
	for (int i = 1; i < n && !err; i++) {
		GElf_Sym s;
		GElf_Addr addr;
		Elf *elf;
		GElf_Word shndx;
		GElf_Shdr shdr;
		Elf_Scn *scn;
		const char *name = dwfl_module_getsym_info(mod, i, &s, &addr, &shndx, &elf, NULL);
		int type = GELF_ST_TYPE(s.st_info);

		if (!name || !*name || shndx == SHN_UNDEF || shndx == SHN_ABS)
			continue;
		if (type != STT_FUNC && type != STT_NOTYPE)
			continue;
		scn = elf ? elf_getscn(elf, shndx) : NULL;
		if (!scn || !gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_EXECINSTR))
			continue;
		/* Prefer functions to labels, global names to local aliases. */
		err = add_symbol(sym, addr, s.st_size, name, 0,
				 (type == STT_FUNC) * 2 + (GELF_ST_BIND(s.st_info) != STB_LOCAL));
	}
	return err;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym_entry *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Best alias first, so that dedup keeps it. */
	return (int)y->prio - (int)x->prio;
}

static void sort_symbols(struct kct_symbolizer *sym)
{
	size_t out = 0;

	qsort(sym->syms, sym->nr, sizeof(*sym->syms), cmp_sym);
	for (size_t i = 0; i < sym->nr; i++) {
		if (out && sym->syms[out - 1].addr == sym->syms[i].addr) {
			if (!sym->syms[out - 1].size)
				sym->syms[out - 1].size = sym->syms[i].size;
			continue;
		}
		sym->syms[out++] = sym->syms[i];
	}
	sym->nr = out;
	sym->sorted = true;
}

int kct_symbolize(struct kct_symbolizer *sym, uint64_t pc, struct kct_symbol *out)
{
	size_t lo = 0, hi;
	const struct sym_entry *e;

	if (!sym->sorted)
		sort_symbols(sym);
	hi = sym->nr;
	/* Last entry with addr <= pc. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sym->syms[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	e = &sym->syms[lo - 1];
	if (e->size && pc - e->addr >= e->size)
		return -ENOENT;
	out->name = sym->strings + e->name;
	out->module = e->module ? sym->strings + e->module : NULL;
	out->addr = e->addr;
	out->size = e->size;
	return 0;
}
