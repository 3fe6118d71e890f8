/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Symbolizer internals shared by its sources (text symbol lists, ELF). */
#ifndef KCT_SYMBOLIZE_H
#define KCT_SYMBOLIZE_H

#include "kcovtrace.h"

struct sym_entry {
	uint64_t addr;
	uint64_t size;		/* 0: up to the next symbol (until finalized) */
	uint32_t name;		/* offset into strings */
	uint32_t module;	/* offset into strings, 0 for none */
	uint16_t name_len;
	uint8_t prio;		/* which alias names an address: higher wins;
				   SYM_PRIO_END for an end mark (below) */
	uint32_t frame;		/* finalized table: the index of the symbol
				   whose frame this one's code runs in (its
				   own but for a .cold part); in the room the
				   fields above leave */
};

struct sym_table {
	struct sym_entry *syms;
	size_t nr, cap;
};

/* Fine enough that most buckets see one or no symbol start. */
#define BUCKETS_PER_SYMBOL 4

struct kct_symbolizer {
	/* Link-time addresses: ELF files, System.map. */
	struct sym_table link;
	/* Run-time addresses from /proc/kallsyms, moved to link time by the
	 * KASLR offset when the table is finalized. */
	struct sym_table runtime;
	uint64_t runtime_text;	/* kallsyms' _text, 0 if none */
	uint64_t module_symbols;	/* text symbols of a [module] column */
	uint64_t link_text;	/* _text of a link-time source, 0 if none */
	/* Data symbols (kct_symbolize_data()), at the addresses their source
	 * lists: sorted and sized when the table is finalized. */
	struct sym_table data;
	bool data_final;
	/* The merged table, sorted by address, that look-ups search. */
	struct sym_table table;
	/*
	 * The address range from the first symbol's cut into nr_buckets
	 * buckets of 1 << bucket_shift bytes, at most BUCKETS_PER_SYMBOL per
	 * symbol: bucket b starts at table.syms[0].addr + (b << bucket_shift),
	 * and bucket_first[b] counts the symbols that start below it
	 * (bucket_first[nr_buckets]: all).  A PC in bucket b is in one of
	 * the symbols from bucket_first[b] - 1 to bucket_first[b + 1] - 1:
	 * where symbols are spread evenly, two at most, told apart without a
	 * branch; a binary search of a kernel's table takes 17 branches that
	 * the CPU cannot predict.
	 */
	uint32_t *bucket_first;
	size_t nr_buckets;
	unsigned int bucket_shift;
	bool final;
	/* The table's last symbol has a size made up (see finalize()). */
	bool last_guessed;

	char *strings;
	size_t str_len, str_cap;

	/* Set by the ELF source; NULL in static links without it. */
	void *elf;
	void (*free_elf)(struct kct_symbolizer *sym);
	int (*elf_source)(struct kct_symbolizer *sym, uint64_t pc, struct kct_source *out, int max);
};

/*
 * An end mark: where a non-text symbol of a list without sizes (System.map,
 * kallsyms) begins, which no function before it reaches past.  Nameless,
 * below every name as an alias, and gone from the finalized table.
 */
#define SYM_PRIO_END 0

int symbolizer_add_string(struct kct_symbolizer *sym, const char *s, size_t len, uint32_t *off);
int symbolizer_add_symbol(struct kct_symbolizer *sym, struct sym_table *t, uint64_t addr,
			  uint64_t size, const char *name, size_t name_len, uint32_t module,
			  uint8_t prio);

#endif
