/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbols: --vmlinux/--elf, --kallsyms, --system-map, the names of PCs and
 * the check that calls return where they entered (symbols.c).
 */
#ifndef KCOVTRACE_SYMBOLS_H
#define KCOVTRACE_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcovtrace.h"

enum {
	OPT_VMLINUX = 0x100,
	OPT_KALLSYMS,
	OPT_SYSTEM_MAP,
};

#define SYMBOL_LONGOPTS							\
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },		\
	{ "elf", required_argument, NULL, OPT_VMLINUX },		\
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },		\
	{ "system-map", required_argument, NULL, OPT_SYSTEM_MAP }

#define SYMBOL_HELP							\
"  --vmlinux FILE     symbols and DWARF (file:line) from an ELF file;\n"	\
"                     --elf is the same, for user programs\n"		\
"  --kallsyms FILE    symbols from /proc/kallsyms (KASLR is undone)\n"	\
"  --system-map FILE  symbols from System.map\n"

struct symbol_opts {
	const char *elf;
	const char *kallsyms;
	const char *system_map;
	bool no_lines;		/* file:line not wanted: no word of DWARF */
};

/* Takes a getopt result; returns false if it is not a symbol option. */
bool symbol_option(struct symbol_opts *opts, int c, const char *arg);
/*
 * The symbolizer of the user's options for the trace at trace_path; with
 * none, /proc/kallsyms if it is of the traced kernel, else NULL (PCs as
 * addresses) and a hint.  Warns (one line each) of a source of another
 * kernel than the trace's, of a System.map given as kallsyms or the other
 * way round, and of a vmlinux without DWARF.
 */
struct kct_symbolizer *open_symbolizer(const struct symbol_opts *opts,
				       const struct kct_trace *trace, const char *trace_path);
/* The symbolizer of the user's options (at least one given), for no trace
 * in particular: record's.  Dies with a one-line error. */
struct kct_symbolizer *load_symbols(const struct symbol_opts *opts);
/* Frees it, after warning if many PCs had no symbol or calls returned in
 * another function than they entered (the symbols do not fit the trace). */
void close_symbolizer(struct kct_symbolizer *sym);

/*
 * What a command shows of a PC: function and offset, from a cache that
 * spares the look-up and the strlen() for the PCs a trace repeats.
 */
struct pc_name {
	const char *name;	/* NULL: no symbol */
	size_t len;
	uint64_t addr;		/* function start, or pc without a symbol */
};

/*
 * The name of a frame whose entry its stream never saw and whose function no
 * record names (pc 0: entered before the trace began or the call tree
 * restarted, or pushed by an EESUM record, and popped by one), in every
 * output; replay also marks with it the frames entered before the trace
 * began whose function it knows.
 */
#define UNKNOWN_FRAME "[unknown caller]"

/*
 * The last function pc_name() found: records come in runs within one
 * function, so most calls need no look-up.  lookups counts the calls, for
 * close_symbolizer()'s warnings.
 */
struct pc_name_cache {
	struct kct_symbolizer *sym;
	struct pc_name last;
	struct pc_name frame;	/* the function whose frame last's code runs
				   in: last, but for a GCC .cold part */
	uint64_t size;
	uint64_t lookups;
};

extern struct pc_name_cache pc_name_cache;

void pc_name_slow(struct kct_symbolizer *sym, uint64_t pc, struct pc_name *out);

/* The name of pc; UNKNOWN_FRAME for pc 0. */
static inline void pc_name(struct kct_symbolizer *sym, uint64_t pc, struct pc_name *out)
{
	struct pc_name_cache *c = &pc_name_cache;

	if (pc && sym && sym == c->sym && pc - c->last.addr < c->size) {
		c->lookups++;
		*out = c->last;
		return;
	}
	pc_name_slow(sym, pc, out);
}

/*
 * The function whose frame the code at pc runs in: pc_name()'s, but for
 * code in a part of a function placed apart from it (GCC's foo.cold, which
 * has no entry of its own), that function's (foo).  What a command takes
 * where it gives records or frames to functions; replay, dump's raw lines
 * and every "function+offset" show where the code is.
 */
static inline void frame_name(struct kct_symbolizer *sym, uint64_t pc, struct pc_name *out)
{
	pc_name(sym, pc, out);
	/* A name found is that of pc_name_cache.last. */
	if (pc && out->name)
		*out = pc_name_cache.frame;
}

/*
 * The symbolizer every command shares, and what it saw: for the warnings
 * close_symbolizer() gives of symbols that do not fit the trace.  The
 * event reader (events.c) checks exits with it.
 */
struct symstate {
	struct kct_symbolizer *sym;
	const char *source;	/* the file symbols come from, for messages */
	uint64_t unresolved;	/* pc_name() calls without a symbol */
	uint64_t past_end;	/* of them, past the last function's end */
	uint64_t end;		/* that end (kct_symbolizer_span()), 0 if none */
	uint64_t exits, mismatched;	/* EXITs checked, in another function */
	bool skip_exits;	/* not in this stream: records were lost */
};

extern struct symstate symstate;

/* Counts, in symstate, the EXITs of evs that return in another function
 * than they entered. */
void check_exits(const struct kct_event *evs, int nr);
/* Whether the readers of the next stream check that its exits return in
 * the functions entered, for close_symbolizer()'s warning. */
void check_exits_in_stream(bool on);

#endif
