/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the kcovtrace commands: one file per command, as in uftrace. */
#ifndef KCOVTRACE_TOOL_H
#define KCOVTRACE_TOOL_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hashmap.h"
#include "kcovtrace.h"

#include "messages.h"
#include "options.h"

#include "terminal.h"

/* ---- symbols: --vmlinux/--elf, --kallsyms, --system-map ---- */

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

/* ---- buffered output, for the commands that print a line per record ---- */

struct out {
	FILE *f;
	size_t len;
	char buf[1 << 16];
};

void out_flush(struct out *o);

static inline void out_mem(struct out *o, const char *s, size_t n)
{
	if (o->len + n > sizeof(o->buf)) {
		out_flush(o);
		if (n > sizeof(o->buf)) {
			fwrite(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static inline void out_char(struct out *o, char c)
{
	if (o->len == sizeof(o->buf))
		out_flush(o);
	o->buf[o->len++] = c;
}

void out_spaces_slow(struct out *o, size_t n);

/*
 * Indentation: a line per record, so the common case inline, and without
 * a call: 32 spaces at a time, copied by the compiler as one vector store
 * each, past the n wanted by up to 31 (the next output writes over them)
 * where the buffer has room for that.
 */
static inline void out_spaces(struct out *o, size_t n)
{
	static const char spaces[] = "                                ";

	if (n + 31 <= sizeof(o->buf) - o->len) {
		_Static_assert(sizeof(spaces) == 33, "32 spaces");
		for (size_t i = 0; i < n; i += 32)
			memcpy(o->buf + o->len + i, spaces, 32);
		o->len += n;
	} else {
		out_spaces_slow(o, n);
	}
}

/* "0x...", lower case, no leading zeros. */
static inline void out_hex(struct out *o, uint64_t v)
{
	/* Digits: one per 4 significant bits, at least one. */
	unsigned int digits = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	char *p;

	if (sizeof(o->buf) - o->len < digits + 2)
		out_flush(o);
	p = o->buf + o->len;
	p[0] = '0';
	p[1] = 'x';
	for (unsigned int i = digits; i; i--, v >>= 4)
		p[1 + i] = "0123456789abcdef"[v & 15];
	o->len += digits + 2;
}
void out_dec(struct out *o, uint64_t v);
void out_int(struct out *o, int64_t v);		/* signed decimal */
/* "name+0xoff", or the bare address; UNKNOWN_FRAME for pc 0.  Inline: a
 * line per record of replay and dump. */
static inline void out_pc(struct out *o, const struct pc_name *n, uint64_t pc)
{
	if (!pc) {
		out_str(o, UNKNOWN_FRAME);
	} else if (n->name) {
		out_mem(o, n->name, n->len);
		out_char(o, '+');
		out_hex(o, pc - n->addr);
	} else {
		out_hex(o, pc);
	}
}

/* ---- traces ---- */

/* Opens a trace file or raw buffer; dies with a one-line error, and warns
 * (one line) of a trace cut short, whose intact part it reads. */
struct kct_trace *open_trace(const char *path);
/*
 * The tasks of a trace, as every command counts them (record's summary,
 * info's totals): the distinct tids of its streams, those of no records
 * too.  A stream of no known task (tid 0: a raw kcov buffer, a remote
 * section) is of none; a task that left no stream (record --syscalls of
 * calls it never made) is not one of the trace's.
 */
struct task_count {
	struct hashmap tids;
};

#define TASK_COUNT_INIT { HASHMAP_INIT }

static inline void task_count_add(struct task_count *c, int32_t tid)
{
	if (tid)
		hashmap_get(&c->tids, (uint32_t)tid, 0, NULL);
}

static inline uint64_t task_count_nr(const struct task_count *c)
{
	return c->tids.nr;
}

static inline void task_count_free(struct task_count *c)
{
	hashmap_free(&c->tids);
}

/* The kind's name: "task", "exec", "syscall", "remote" or "stream". */
const char *stream_kind_name(uint32_t kind);
/* A kcov mode's name, "KCOV_TRACE_PC_EXT" and the like, "?" if unknown. */
const char *kcov_mode_name(uint32_t mode);
/*
 * The heading of stream i, for commands that print several: its number,
 * what it is of (nothing more for a task's whole run) and whose it is, where
 * known, e.g. "stream 4: syscall read (0) args 0x3, 0x7ffc0000, 0x1000, 0x0,
 * 0x0, 0x0: task 12 (pid 10, comm sh)"; an argument that points to a path
 * as the path, quoted (args 0xffffff9c, "/etc/passwd", ...).  Cut short if
 * size is too small.
 */
#define STREAM_TITLE_MAX 2048
/* Whose stream sh is: "task 12 (pid 10, comm sh)", "pid 10", or "no known
 * task". */
const char *task_title(const struct kct_stream_info *sh, char *buf, size_t size);
const char *stream_title(const struct kct_trace *trace, uint32_t i,
			 const struct kct_stream_info *sh, char *buf, size_t size);
/* The decoder of a trace's stream; dies with a one-line error. */
struct kct_decoder *open_stream(struct kct_trace *trace, uint32_t stream,
				const char *path);

/*
 * EESUM records across which a trace's streams cannot be balanced (saturated
 * or malformed; the call tree restarts after each), for one warning per
 * trace.
 */
struct unbalanced {
	uint64_t count;
	uint64_t index;		/* the first one's record index */
	uint32_t stream;	/* and stream */
	bool malformed;		/* it is malformed, not saturated */
	/* Of the stream being read, the frames still open at its end that
	 * are its task's way out (do_exit() and its callers, which never
	 * return): no repair, what every exited task's stream ends with. */
	uint64_t exit_path;
};

/* After reading every stream of the trace at path: warns once if any. */
void warn_unbalanced(const char *path, const struct unbalanced *u);

/* Whether an EESUM event flagged KCT_EVENT_F_SATURATED stems from a
 * malformed record rather than a saturated one. */
static inline bool eesum_malformed(const struct kct_event *ev)
{
	return ev->mindelta > 0 || ev->delta < ev->mindelta;
}

/* What is wrong with an EESUM event flagged KCT_EVENT_F_SATURATED. */
static inline const char *eesum_problem(const struct kct_event *ev)
{
	return eesum_malformed(ev) ? "malformed" : "saturated";
}

/* An EESUM event's fields, "delta=D mindelta=M", as every format shows them. */
void out_eesum(struct out *o, const struct kct_event *ev);

/*
 * A stream's events one at a time, taken from the decoder in batches (its
 * fast way).  Inline, so the loop of every command stays free of calls;
 * a decoding error ends the command with a one-line message.  EESUM records
 * that cannot be balanced are tallied in *unbalanced.
 */
struct event_reader {
	struct kct_decoder *dec;
	struct unbalanced *unbalanced;
	uint32_t stream;
	uint64_t saturated;	/* unbalanceable EESUM events seen */
	uint64_t unfinished;	/* the run of frames the decoder completes */
	int nr, at;
	struct kct_event batch[256];
};

static inline void event_reader_init(struct event_reader *r, struct kct_decoder *dec,
				     uint32_t stream, struct unbalanced *unbalanced)
{
	r->dec = dec;
	r->unbalanced = unbalanced;
	r->stream = stream;
	r->saturated = 0;
	r->unfinished = 0;
	unbalanced->exit_path = 0;
	r->nr = r->at = 0;
}

/* The next batch; false at the end of the stream. */
bool event_reader_fill(struct event_reader *r);
/* Whether the readers of the next stream check that its exits return in
 * the functions entered, for close_symbolizer()'s warning. */
void check_exits_in_stream(bool on);

static inline const struct kct_event *next_event(struct event_reader *r)
{
	if (r->at == r->nr && !event_reader_fill(r))
		return NULL;
	return &r->batch[r->at++];
}

#include "select.h"

#include "syscalls.h"

/* record's work, for record and live: options and command from argv, the
 * trace to call->output if set (-o is refused then), else to -o's file.
 * Returns the command's exit status; exits on errors. */
struct record_call {
	const char *verb;	/* "record", "live": for messages */
	const char *usage;	/* printed for --help and bad options */
	const char *output;	/* NULL: -o's, or kcov.trace */
};

/*
 * What record_run() returns is a shell's status: the command's exit
 * status, or 128 plus the signal that killed it (or that stopped the
 * recording).  For the latter it also sets exit_signal, which main() raises
 * once the command's work is done, so that kcovtrace's caller sees the
 * same death a shell reports (see main.c).
 */
int record_run(const struct record_call *call, int argc, char **argv);
extern int exit_signal;

int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_live(int argc, char **argv);

#endif
