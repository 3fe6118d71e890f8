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
	uint8_t prio;		/* which alias names an address: higher wins */
};

struct sym_table {
	struct sym_entry *syms;
	size_t nr, cap;
};

struct kct_symbolizer {
	/* Link-time addresses: ELF files, System.map. */
	struct sym_table link;
	/* Run-time addresses from /proc/kallsyms, moved to link time by the
	 * KASLR offset when the table is finalized. */
	struct sym_table runtime;
	uint64_t runtime_text;	/* kallsyms' _text, 0 if none */
	uint64_t link_text;	/* _text of a link-time source, 0 if none */
	/* The merged, sorted table that look-ups search, and its start
	 * addresses alone, which the binary search reads: a quarter of the
	 * memory, so far more of it stays in cache. */
	struct sym_table table;
	uint64_t *addrs;
	/* Every 64th of addrs: a search looks here first (a few kilobytes
	 * for a kernel, so in L1), then within one block of 64. */
	uint64_t *index;
	size_t index_nr;
	bool final;

	char *strings;
	size_t str_len, str_cap;

	/* Set by the ELF source; NULL in static links without it. */
	void *elf;
	void (*free_elf)(struct kct_symbolizer *sym);
	int (*elf_source)(struct kct_symbolizer *sym, uint64_t pc, struct kct_source *out, int max);

	/* Recent look-ups: pc -> index into table, direct mapped. */
	struct {
		uint64_t pc;
		uint32_t index;	/* ~0u: pc has no symbol */
		bool valid;
	} cache[4096];
};

int symbolizer_add_string(struct kct_symbolizer *sym, const char *s, size_t len, uint32_t *off);
int symbolizer_add_symbol(struct kct_symbolizer *sym, struct sym_table *t, uint64_t addr,
			  uint64_t size, const char *name, size_t name_len, uint32_t module,
			  uint8_t prio);

#endif
