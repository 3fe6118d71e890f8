// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The symbolizer: PC to function.  Every source (System.map, /proc/kallsyms,
 * ELF symbol tables in symbolize_elf.c) is reduced to one sorted table of
 * link-time function ranges, so a look-up is a binary search whatever the
 * source.
 *
 * KCOV records hold link-time PCs: kcov subtracts the KASLR offset from every
 * PC, module PCs included.  /proc/kallsyms shows run-time addresses, so its
 * symbols are moved back by that offset: kallsyms' _text minus the _text of a
 * link-time source when there is one, else minus the x86-64 default link
 * address of _text.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "symbolize.h"

/* The frame's index took room the entry had: look-ups read no more. */
_Static_assert(sizeof(struct sym_entry) == 32, "a symbol table entry grew");

/* __START_KERNEL_map + CONFIG_PHYSICAL_START, both at their defaults. */
#define X86_64_DEFAULT_TEXT 0xffffffff81000000ULL

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
	*out = sym;
	return 0;
}

void kct_symbolizer_free(struct kct_symbolizer *sym)
{
	if (!sym)
		return;
	/* Through a pointer, so that static links without ELF support do not
	 * pull in libdw. */
	if (sym->free_elf)
		sym->free_elf(sym);
	free(sym->link.syms);
	free(sym->runtime.syms);
	free(sym->data.syms);
	free(sym->table.syms);
	free(sym->bucket_first);
	free(sym->strings);
	free(sym);
}

int symbolizer_add_string(struct kct_symbolizer *sym, const char *s, size_t len, uint32_t *off)
{
	if (sym->str_len + len + 1 > sym->str_cap) {
		size_t cap = sym->str_cap * 2;
		char *grown;

		while (cap < sym->str_len + len + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -EOVERFLOW;
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

static int table_push(struct sym_table *t, const struct sym_entry *e)
{
	if (t->nr == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct sym_entry *grown = realloc(t->syms, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		t->syms = grown;
		t->cap = cap;
	}
	t->syms[t->nr++] = *e;
	return 0;
}

int symbolizer_add_symbol(struct kct_symbolizer *sym, struct sym_table *t, uint64_t addr,
			  uint64_t size, const char *name, size_t name_len, uint32_t module,
			  uint8_t prio)
{
	struct sym_entry e = { .addr = addr, .size = size, .module = module, .prio = prio,
			       .name_len = name_len > UINT16_MAX ? UINT16_MAX : (uint16_t)name_len };
	int err = symbolizer_add_string(sym, name, name_len, &e.name);

	if (err)
		return err;
	sym->final = false;
	return table_push(t, &e);
}

/* Whether a list's symbol of this type is an address that ends the text
 * before it: data of any kind, not absolute values (A, a), which may be
 * anything. */
static bool ends_text(char type)
{
	return type && strchr("bBdDgGrRsSvV", type);
}

/*
 * "ADDR TYPE NAME [MODULE]" lines, as nm, System.map and /proc/kallsyms
 * write them.  Keeps text symbols (t, T, and weak W, w), and an end mark
 * (SYM_PRIO_END) where data follows text: the list has no sizes, so a
 * function ends where the next symbol begins, and the last one before a
 * gap (the end of .text, of a module) would else reach over it.
 */
static int load_symbol_list(struct kct_symbolizer *sym, const char *path, bool runtime)
{
	struct sym_table *t = runtime ? &sym->runtime : &sym->link;
	uint64_t *text = runtime ? &sym->runtime_text : &sym->link_text;
	char *line = NULL;
	size_t cap = 0, loaded = 0, nonzero = 0, lineno = 0;
	uint32_t module = 0, module_key = 0;
	char module_name[128] = "";
	bool after_text = false;
	ssize_t len;
	FILE *f;
	int err = 0;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while ((len = getline(&line, &cap, f)) > 0) {
		struct symbol_line sl;
		const char *mod;

		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		err = parse_symbol_line(line, &sl);
		if (err) {
			err = symbol_line_bad(path, lineno);
			break;
		}
		nonzero += sl.addr != 0;
		if (sl.name_len == 5 && !memcmp(sl.name, "_text", 5))
			*text = sl.addr;
		/* Data (and read-only data, bss): for kct_symbolize_data(),
		 * at the list's own addresses. */
		if (sl.addr && strchr("bBdDrR", sl.type) && !strchr(sl.name + sl.name_len, '[')) {
			err = symbolizer_add_symbol(sym, &sym->data, sl.addr, 0, sl.name,
						    sl.name_len, 0, SYM_PRIO_END + 1 +
						    (sl.type >= 'A' && sl.type <= 'Z'));
			if (err)
				break;
			sym->data_final = false;
		}
		if (sl.type != 't' && sl.type != 'T' && sl.type != 'w' && sl.type != 'W') {
			/* Lists come sorted by address: one mark after each
			 * run of text is enough. */
			if (after_text && sl.addr && ends_text(sl.type)) {
				err = symbolizer_add_symbol(sym, t, sl.addr, 0, "", 0, 0,
							    SYM_PRIO_END);
				if (err)
					break;
				after_text = false;
			}
			continue;
		}
		after_text = true;
		mod = sl.name + sl.name_len;
		mod += strspn(mod, " \t");
		if (*mod == '[') {
			size_t mlen = strcspn(mod + 1, "]");

			sym->module_symbols++;
			/* Lines come grouped by module: intern each name once. */
			if (mlen >= sizeof(module_name) || mlen != strlen(module_name) ||
			    memcmp(module_name, mod + 1, mlen)) {
				snprintf(module_name, sizeof(module_name), "%.*s", (int)mlen, mod + 1);
				err = symbolizer_add_string(sym, mod + 1, mlen, &module_key);
				if (err)
					break;
			}
			module = module_key;
		} else {
			module = 0;
		}
		err = symbolizer_add_symbol(sym, t, sl.addr, 0, sl.name, sl.name_len, module,
					    SYM_PRIO_END + 1 + (sl.type == 'T' || sl.type == 'W'));
		if (err)
			break;
		loaded++;
	}
	free(line);
	fclose(f);
	if (err)
		return err;
	if (runtime && lineno && !nonzero)
		return -KCT_ERR_HIDDEN; /* kptr_restrict hides the addresses */
	return loaded ? 0 : -KCT_ERR_NOSYMS;
}

uint64_t kct_symbolizer_module_symbols(const struct kct_symbolizer *sym)
{
	return sym->module_symbols;
}

int kct_symbolizer_add_system_map(struct kct_symbolizer *sym, const char *path)
{
	return load_symbol_list(sym, path, false);
}

int kct_symbolizer_add_kallsyms(struct kct_symbolizer *sym, const char *path)
{
	return load_symbol_list(sym, path, true);
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym_entry *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Best alias first, so that dedup keeps it. */
	return (int)y->prio - (int)x->prio;
}

/* What kallsyms' addresses are moved back by: the KASLR offset. */
static uint64_t runtime_shift(const struct kct_symbolizer *sym)
{
	uint64_t link = sym->link_text ? sym->link_text : X86_64_DEFAULT_TEXT;

	if (!sym->runtime.nr || !sym->runtime_text)
		return 0;
	return sym->runtime_text - link;
}

/* The buckets of the finalized table (see struct kct_symbolizer). */
static int make_buckets(struct kct_symbolizer *sym)
{
	const struct sym_entry *syms = sym->table.syms;
	size_t nr = sym->table.nr, b, i = 0;
	unsigned int shift = 0;
	uint64_t span;

	free(sym->bucket_first);
	sym->bucket_first = NULL;
	sym->nr_buckets = 0;
	if (!nr)
		return 0;
	span = syms[nr - 1].addr - syms[0].addr;
	/* The finest buckets of which there are at most BUCKETS_PER_SYMBOL
	 * per symbol.  It stops by shift 63: span >> 63 is at most 1. */
	while ((span >> shift) >= BUCKETS_PER_SYMBOL * nr)
		shift++;
	sym->bucket_shift = shift;
	sym->nr_buckets = (span >> shift) + 1;
	sym->bucket_first = malloc((sym->nr_buckets + 1) * sizeof(*sym->bucket_first));
	if (!sym->bucket_first)
		return -ENOMEM;
	/* b << shift <= span: no bucket start wraps around. */
	for (b = 0; b < sym->nr_buckets; b++) {
		uint64_t start = syms[0].addr + ((uint64_t)b << shift);

		while (i < nr && syms[i].addr < start)
			i++;
		sym->bucket_first[b] = (uint32_t)i;
	}
	sym->bucket_first[sym->nr_buckets] = (uint32_t)nr;
	return 0;
}

/*
 * Whether name (len bytes) is that of a GCC .cold part, "STEM.cold" or
 * "STEM.cold.N" (older GCCs): the unlikely code of function STEM, placed
 * apart (-freorder-blocks-and-partition) but run in STEM's frame.  Then
 * *stem is STEM's length.
 */
static bool cold_part(const char *name, size_t len, size_t *stem)
{
	/* Most names have no dot: one memrchr() tells. */
	const char *dot = memrchr(name, '.', len);
	size_t end;

	if (!dot)
		return false;
	end = (size_t)(dot - name);
	if (len - end == 5 && !memcmp(dot, ".cold", 5)) {
		end = len;
	} else {
		/* .cold.N: only digits after the last dot. */
		if (end == len - 1)
			return false;
		for (size_t i = end + 1; i < len; i++)
			if (name[i] < '0' || name[i] > '9')
				return false;
	}
	/* A stem of one character at least. */
	if (end < 6 || memcmp(name + end - 5, ".cold", 5))
		return false;
	*stem = end - 5;
	return true;
}

static inline int lookup(const struct kct_symbolizer *sym, uint64_t pc);

/* A stem the .cold parts name, and the function of that name (in that
 * module) found in the sources. */
struct stem_slot {
	const char *name;	/* NULL: a free slot */
	size_t len;
	const char *module;	/* "" for none */
	uint64_t parent;	/* its link-time address, if found */
	bool found, ambiguous;	/* several of that name, at different
				   addresses */
};

static uint64_t hash_name(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

/* The slot of (name, module) in the table of mask + 1 slots; with add, a
 * free one is taken for it, else NULL if it has none. */
static struct stem_slot *stem_slot(struct stem_slot *slots, size_t mask, const char *name,
				   size_t len, const char *module, bool add)
{
	for (size_t i = hash_name(name, len) & mask;; i = (i + 1) & mask) {
		struct stem_slot *slot = &slots[i];

		if (!slot->name) {
			if (!add)
				return NULL;
			*slot = (struct stem_slot){ .name = name, .len = len, .module = module };
			return slot;
		}
		if (slot->len == len && !memcmp(slot->name, name, len) &&
		    !strcmp(slot->module, module))
			return slot;
	}
}

/*
 * The frame of every symbol of the finalized table: its own, but for a
 * .cold part, whose frame is that of the function it was split from, found
 * by name (in the sources, where every alias still is) in the same module:
 * unless no such function or several at different addresses.  One pass
 * over the sources when a table has .cold parts, none otherwise; look-ups
 * then read the frame's index from the entry.
 */
static int resolve_frames(struct kct_symbolizer *sym)
{
	const struct sym_table *sources[] = { &sym->link, &sym->runtime };
	struct sym_table *t = &sym->table;
	struct stem_slot *slots;
	size_t nr_cold = 0, mask, stem;

	for (size_t i = 0; i < t->nr; i++) {
		t->syms[i].frame = (uint32_t)i;
		nr_cold += cold_part(sym->strings + t->syms[i].name, t->syms[i].name_len, &stem);
	}
	if (!nr_cold)
		return 0;
	/* At most half full. */
	for (mask = 1; mask < 2 * nr_cold; mask <<= 1)
		;
	slots = calloc(mask, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	mask--;
	for (size_t i = 0; i < t->nr; i++) {
		const struct sym_entry *e = &t->syms[i];

		if (cold_part(sym->strings + e->name, e->name_len, &stem))
			stem_slot(slots, mask, sym->strings + e->name, stem,
				  sym->strings + e->module, true);
	}
	for (size_t k = 0; k < 2; k++) {
		uint64_t shift = k ? runtime_shift(sym) : 0;

		for (size_t i = 0; i < sources[k]->nr; i++) {
			const struct sym_entry *e = &sources[k]->syms[i];
			struct stem_slot *slot = stem_slot(slots, mask, sym->strings + e->name,
							   e->name_len, sym->strings + e->module,
							   false);

			if (!slot)
				continue;
			if (slot->found && slot->parent != e->addr - shift)
				slot->ambiguous = true;
			slot->parent = e->addr - shift;
			slot->found = true;
		}
	}
	for (size_t i = 0; i < t->nr; i++) {
		struct sym_entry *e = &t->syms[i];
		const struct stem_slot *slot;
		int index;

		if (!cold_part(sym->strings + e->name, e->name_len, &stem))
			continue;
		slot = stem_slot(slots, mask, sym->strings + e->name, stem,
				 sym->strings + e->module, false);
		if (!slot->found || slot->ambiguous)
			continue;
		index = lookup(sym, slot->parent);
		if (index >= 0 && t->syms[index].addr == slot->parent)
			e->frame = (uint32_t)index;
	}
	free(slots);
	return 0;
}

/* Once, at the first look-up after symbols were added: out of the way of
 * the look-ups' code. */
static int __attribute__((noinline, cold)) finalize(struct kct_symbolizer *sym)
{
	struct sym_table *t = &sym->table;
	uint64_t shift = runtime_shift(sym), largest = 0;
	size_t out = 0;

	free(t->syms);
	t->nr = sym->link.nr + sym->runtime.nr;
	/* Two entries past the end, which a look-up may read (see lookup()). */
	t->cap = t->nr + 2;
	t->syms = malloc(t->cap * sizeof(*t->syms));
	if (!t->syms)
		return -ENOMEM;
	if (sym->link.nr)
		memcpy(t->syms, sym->link.syms, sym->link.nr * sizeof(*t->syms));
	for (size_t i = 0; i < sym->runtime.nr; i++) {
		t->syms[sym->link.nr + i] = sym->runtime.syms[i];
		t->syms[sym->link.nr + i].addr -= shift;
	}
	/* System.map and kallsyms come sorted by address: a pass to see
	 * costs less than a sort of the sorted.  Their aliases come in any
	 * order, which the pass below sees to. */
	for (size_t i = 1; i < t->nr; i++) {
		if (t->syms[i - 1].addr > t->syms[i].addr) {
			qsort(t->syms, t->nr, sizeof(*t->syms), cmp_sym);
			break;
		}
	}
	for (size_t i = 0; i < t->nr; i++) {
		struct sym_entry *kept = out ? &t->syms[out - 1] : NULL;

		if (kept && kept->addr == t->syms[i].addr) {
			/* An alias: the first of the best names stays, with
			 * its size, or else an alias's. */
			uint64_t size = kept->size ? kept->size : t->syms[i].size;

			if (t->syms[i].prio > kept->prio)
				*kept = t->syms[i];
			if (!kept->size)
				kept->size = size;
			continue;
		}
		t->syms[out++] = t->syms[i];
	}
	t->nr = out;
	/* A symbol without a size ends where the next one (or end mark)
	 * starts; then the marks go. */
	for (size_t i = 0; i + 1 < t->nr; i++)
		if (!t->syms[i].size)
			t->syms[i].size = t->syms[i + 1].addr - t->syms[i].addr;
	for (size_t i = out = 0; i < t->nr; i++) {
		if (t->syms[i].prio == SYM_PRIO_END)
			continue;
		largest = t->syms[i].size > largest ? t->syms[i].size : largest;
		t->syms[out++] = t->syms[i];
	}
	t->nr = out;
	/* Nothing after the last symbol of a list without sizes says where
	 * it ends: no further than the largest function known (PCs above a
	 * cut-short list are then unknown, not that function's). */
	sym->last_guessed = t->nr && !t->syms[t->nr - 1].size;
	if (sym->last_guessed)
		t->syms[t->nr - 1].size = largest ? largest : 1;
	/* Past the end, two that start after every PC but ~0. */
	memset(t->syms + t->nr, 0, 2 * sizeof(*t->syms));
	t->syms[t->nr].addr = t->syms[t->nr + 1].addr = UINT64_MAX;
	if (make_buckets(sym) || resolve_frames(sym))
		return -ENOMEM;
	sym->final = true;
	return 0;
}

/* How many of the symbols syms[lo..hi) start at or below pc (their
 * addresses ascend). */
static size_t count_le(const struct sym_entry *syms, size_t lo, size_t hi, uint64_t pc)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (syms[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The index of pc's symbol in the table, or -1. */
static inline int lookup(const struct kct_symbolizer *sym, uint64_t pc)
{
	const struct sym_entry *syms = sym->table.syms, *e;
	uint64_t b = (pc - syms[0].addr) >> sym->bucket_shift;
	size_t lo, hi, n;

	/* Below the first symbol, no symbol (b wrapped around, and may have
	 * landed in a bucket); past the last bucket, the last symbol or none.
	 * An empty table has no buckets. */
	if (unlikely(pc < syms[0].addr || b >= sym->nr_buckets)) {
		if (!sym->table.nr || pc < syms[0].addr)
			return -1;
		n = sym->table.nr;
	} else {
		/* n counts the symbols that start at or below pc: the lo
		 * that start below bucket b, and those of the hi - lo that
		 * start in it up to pc.  n >= 1, as syms[0] starts at or
		 * below pc. */
		lo = sym->bucket_first[b];
		hi = sym->bucket_first[b + 1];
		if (likely(hi - lo <= 2)) {
			/* Without a branch to mispredict.  syms[lo + 1]
			 * exists (the two entries past the end), and the
			 * entries from hi on start after pc (the next bucket,
			 * or UINT64_MAX past the end), so they add nothing;
			 * but for a pc of ~0, which the cut at hi is for. */
			n = lo + (syms[lo].addr <= pc) + (syms[lo + 1].addr <= pc);
			n = n < hi ? n : hi;
		} else {
			n = count_le(syms, lo, hi, pc);
		}
	}
	e = &syms[n - 1];
	if (e->size && pc - e->addr >= e->size)
		return -1;
	return (int)(n - 1);
}

/* The symbol for a caller of another version of struct kct_symbol. */
static int __attribute__((noinline)) symbol_other_size(const struct kct_symbolizer *sym,
						       const struct sym_entry *e,
						       struct kct_symbol *out)
{
	struct kct_symbol found = {
		.sz = sizeof(found),
		.name = sym->strings + e->name,
		.name_len = e->name_len,
		.module = e->module ? sym->strings + e->module : NULL,
		.addr = e->addr,
		.size = e->size,
		.frame_addr = sym->table.syms[e->frame].addr,
	};

	return fill_out(out, &found, sizeof(found));
}

int kct_symbolize(struct kct_symbolizer *sym, uint64_t pc, struct kct_symbol *out)
{
	const struct sym_entry *e;
	int index, err;

	if (unlikely(!sym->final)) {
		err = finalize(sym);
		if (err)
			return err;
	}
	index = lookup(sym, pc);
	if (index < 0)
		return -ENOENT;
	e = &sym->table.syms[index];
	/* A caller of this library's size, the common case, filled in place:
	 * replay looks up a symbol at most records. */
	if (unlikely(out->sz != sizeof(*out)))
		return symbol_other_size(sym, e, out);
	out->name = sym->strings + e->name;
	out->name_len = e->name_len;
	out->module = e->module ? sym->strings + e->module : NULL;
	out->addr = e->addr;
	out->size = e->size;
	/* Its own frame, but for a .cold part: no second entry to read. */
	out->frame_addr = likely(e->frame == (uint32_t)index) ? e->addr :
							      sym->table.syms[e->frame].addr;
	return 0;
}

/*
 * The data table, sorted, one symbol an address (the best alias), each
 * sized: from its source (ELF), else up to the next data symbol, the last
 * one of a list then covering nothing.  A list's data symbols have no
 * sizes: an address between two of them is given to the first, which a
 * heap address below the kernel's image or above its data never is.
 */
static int finalize_data(struct kct_symbolizer *sym)
{
	struct sym_table *t = &sym->data;
	size_t n = 0;

	if (t->nr)
		qsort(t->syms, t->nr, sizeof(*t->syms), cmp_sym);
	for (size_t i = 0; i < t->nr; i++)
		if (!n || t->syms[i].addr != t->syms[n - 1].addr)
			t->syms[n++] = t->syms[i];
	t->nr = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t room = i + 1 < n ? t->syms[i + 1].addr - t->syms[i].addr : 0;

		if (!t->syms[i].size || t->syms[i].size > room)
			t->syms[i].size = i + 1 < n ? room : t->syms[i].size;
	}
	sym->data_final = true;
	return 0;
}

int kct_symbolize_data(struct kct_symbolizer *sym, uint64_t addr, struct kct_symbol *out)
{
	const struct sym_table *t = &sym->data;
	const struct sym_entry *e;
	size_t lo = 0, hi;
	struct kct_symbol s = { .sz = sizeof(s) };

	if (!sym->data_final)
		finalize_data(sym);
	/* The last symbol that starts at or below addr. */
	hi = t->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	e = &t->syms[lo - 1];
	if (addr - e->addr >= e->size)
		return -ENOENT;
	s.name = sym->strings + e->name;
	s.name_len = e->name_len;
	s.addr = s.frame_addr = e->addr;
	s.size = e->size;
	return fill_out(out, &s, sizeof(s));
}

int kct_symbolizer_span(struct kct_symbolizer *sym, uint64_t *start, uint64_t *end)
{
	const struct sym_table *t = &sym->table;
	int err;

	if (!sym->final) {
		err = finalize(sym);
		if (err)
			return err;
	}
	if (!t->nr)
		return -ENOENT;
	*start = t->syms[0].addr;
	*end = t->syms[t->nr - 1].addr + t->syms[t->nr - 1].size;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct kct_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* Sorts the n ranges and merges those that overlap or touch; returns how
 * many are left. */
static uint32_t ranges_merge(struct kct_range *r, size_t n)
{
	uint32_t out = 0;

	qsort(r, n, sizeof(*r), cmp_range);
	for (size_t i = 0; i < n; i++) {
		if (out && r[i].start <= r[out - 1].end) {
			if (r[i].end > r[out - 1].end)
				r[out - 1].end = r[i].end;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

/*
 * The kernel's own text, [_stext (or _text), _etext), at link-time
 * addresses: where KCOV_FILTER takes ranges.  false where the sources do
 * not say, as for a user program.
 */
static bool core_text(const struct kct_symbolizer *sym, uint64_t *lo, uint64_t *hi)
{
	const struct sym_table *sources[] = { &sym->link, &sym->runtime };
	uint64_t text = 0, stext = 0, etext = 0;

	for (size_t k = 0; k < 2; k++) {
		uint64_t shift = k ? runtime_shift(sym) : 0;

		for (size_t i = 0; i < sources[k]->nr; i++) {
			const struct sym_entry *e = &sources[k]->syms[i];
			const char *name = sym->strings + e->name;

			if (e->module)
				continue;
			if (!strcmp(name, "_text"))
				text = e->addr - shift;
			else if (!strcmp(name, "_stext"))
				stext = e->addr - shift;
			else if (!strcmp(name, "_etext"))
				etext = e->addr - shift;
		}
	}
	*lo = stext ? stext : text;
	*hi = etext;
	return *lo && *hi > *lo;
}

int kct_symbolizer_glob_ranges(struct kct_symbolizer *sym, const char *glob,
			       struct kct_range **ranges, uint32_t *nr)
{
	const struct sym_table *sources[] = { &sym->link, &sym->runtime };
	struct kct_range *r = NULL;
	size_t n = *nr, cap = 0;
	uint64_t text_lo, text_hi;
	int matched = 0, err;

	if (!glob || (*nr && !*ranges))
		return -EINVAL;
	if (!sym->final) {
		err = finalize(sym);
		if (err)
			return err;
	}
	/*
	 * Names are matched in the sources, where every alias of an address
	 * still is (the merged table keeps one name per address); the range
	 * is that of the merged table's symbol at the alias's link-time
	 * address, whose size the table knows.
	 */
	/* Init text, for one, is outside: freed after boot, it never runs
	 * where a task records, and KCOV_FILTER refuses it. */
	if (!core_text(sym, &text_lo, &text_hi)) {
		text_lo = 0;
		text_hi = UINT64_MAX;
	}
	for (size_t k = 0; k < 2; k++) {
		uint64_t shift = k ? runtime_shift(sym) : 0;

		for (size_t i = 0; i < sources[k]->nr; i++) {
			const struct sym_entry *e = &sources[k]->syms[i];
			const struct sym_entry *t;
			int index;

			if (e->module || fnmatch(glob, sym->strings + e->name, 0))
				continue;
			index = lookup(sym, e->addr - shift);
			if (index < 0)
				continue;
			t = &sym->table.syms[index];
			if (!t->size || (sym->last_guessed && index + 1 == (int)sym->table.nr) ||
			    t->addr != e->addr - shift || t->addr < text_lo ||
			    t->addr + t->size > text_hi)
				continue;
			if (!r) {
				/* The caller's ranges, then the new ones. */
				cap = n + 16;
				r = malloc(cap * sizeof(*r));
				if (!r)
					return -ENOMEM;
				if (n)
					memcpy(r, *ranges, n * sizeof(*r));
			} else if (n == cap) {
				struct kct_range *grown = realloc(r, cap * 2 * sizeof(*r));

				if (!grown) {
					free(r);
					return -ENOMEM;
				}
				r = grown;
				cap *= 2;
			}
			r[n++] = (struct kct_range){ t->addr, t->addr + t->size };
			matched++;
		}
	}
	if (!matched)
		return 0;
	free(*ranges);
	*nr = ranges_merge(r, n);
	*ranges = r;
	return matched;
}

/* Source locations for another version's entries: found here, then
 * copied over. */
static int __attribute__((noinline)) source_other_size(struct kct_symbolizer *sym, uint64_t pc,
						       struct kct_source *out, size_t out_sz,
						       int max)
{
	struct kct_source tmp[64];
	int n;

	if (out_sz < offsetofend(struct kct_source, column) || out_sz % sizeof(void *))
		return -EINVAL;
	n = sym->elf_source(sym, pc, tmp, max < 64 ? max : 64);
	for (int i = 0; i < n; i++)
		fill_elem((char *)out + (size_t)i * out_sz, out_sz, &tmp[i], sizeof(tmp[i]));
	return n;
}

int kct_symbolize_source(struct kct_symbolizer *sym, uint64_t pc, struct kct_source *out,
			 size_t out_sz, int max)
{
	if (max <= 0)
		return -EINVAL;
	if (!sym->elf_source)
		return -ENOENT;
	if (out_sz == sizeof(*out))
		return sym->elf_source(sym, pc, out, max);
	return source_other_size(sym, pc, out, out_sz, max);
}
