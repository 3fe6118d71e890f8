/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libkcovtrace: decode, rebuild and symbolize KCOV record streams.
 *
 * Conventions (as in libbpf): objects are opaque handles; functions that can
 * fail return 0 or a positive count on success and a negative errno value,
 * or a negative KCT_ERR_* code of the library's own (see Errors), on
 * failure, and never print.  Structs grow at their end without breaking
 * callers:
 *   - option structs (the library reads them) start with size_t sz, set to
 *     their sizeof by the caller, who zero-initializes the rest
 *     (KCT_OPTS(kct_x_opts, opts, ...) does both).  A field the
 *     caller's struct lacks takes its default; a field the library does not
 *     know must be zero, or the call fails with -EINVAL.  A NULL opts takes
 *     every default.
 *   - structs the library fills start with size_t sz too, set by the
 *     caller (KCT_OPTS() again): the library fills the fields both know,
 *     zeroes the rest, and sets sz to the bytes it filled, as libbpf's
 *     info_len: a caller built against a newer header learns which of its
 *     fields this library knows (those below sz).
 *   - arrays the library fills (events, source locations) take the size of
 *     an element, sizeof(struct kct_event) and the like.
 *
 * Counts: records, and positions in a stream, are uint64_t whatever the
 * host, as a trace stores them; streams, notes and ranges uint32_t, as the
 * format and KCOV_FILTER bound them; sizes of the caller's memory (a
 * struct, an element, a buffer) size_t; a function that fills an array
 * returns how many as an int, and takes at most that many as an int or
 * unsigned int, so that the count always fits.  These stay as version 1
 * has them: a parameter's type changed from int to size_t breaks the ABI.
 *
 * Threads: the library keeps no global state but the print callback
 * (kct_set_print()).  Distinct handles may be used from distinct threads
 * at once; one handle from one thread at a time, but for these, which only
 * read it:
 *   - a struct kct_trace: kct_trace_get_info(), kct_trace_stream(),
 *     kct_trace_read_records(), kct_trace_note*() and the creation of
 *     decoders (kct_trace_decoder*()), each decoder then a handle of its
 *     own; not kct_trace_close();
 *   - a struct kct_symbolizer: kct_symbolize(), once its table is final.
 *     kct_symbolize() and the other look-ups finalize the table on their
 *     first call after a source was added (they write it then): add every
 *     source and make one look-up (or kct_symbolizer_span()) before
 *     threads share it.  kct_symbolize_source() (libdw, caches) is one
 *     thread at a time.
 * kct_strerror() returns strings that never change, strerror()'s for an
 * errno value.
 */
#ifndef KCOVTRACE_H
#define KCOVTRACE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

/*
 * Declares struct TYPE NAME, its sz set and the fields given set, every
 * other byte (padding too, which a longer struct's check reads) zero; for
 * option structs and the structs the library fills alike, as libbpf's
 * LIBBPF_OPTS() (a GNU C statement expression):
 *
 *	KCT_OPTS(kct_decoder_opts, opts, .max_depth = 64);
 *	KCT_OPTS(kct_trace_info, info);
 */
#define KCT_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE){						\
			.sz = sizeof(struct TYPE),			\
			__VA_ARGS__					\
		};							\
	})

/*
 * Record encoding of KCOV_TRACE_PC_EXT, identical to <linux/kcov.h>.  The top
 * byte of each 64-bit record holds flags; the low 56 bits hold the PC.
 */
#define KCT_RECORD_IP_MASK		0x00ffffffffffffffULL
#define KCT_RECORD_TYPE_MASK		0xf000000000000000ULL
#define KCT_RECORD_TYPE_SHIFT		60
#define KCT_RECORD_TYPE_ENTRY		0x0000000000000000ULL
#define KCT_RECORD_TYPE_EXIT		0x1000000000000000ULL
/*
 * Summarized entry/exit events that occurred in an untraced region
 * (KCOV_RECORDFLAG_TYPE_EESUM): while the kernel recorded nothing (a context
 * switch), the task kept running instrumented code.  In place of a PC, bits
 * 0-15 hold delta, the net depth change across the region, and bits 16-31
 * mindelta, the lowest depth the region reached relative to its start
 * (never above 0), both signed 16-bit; bits 32-55 are zero.  A consumer must
 * apply the record to stay balanced: pop -mindelta frames, then push
 * delta - mindelta frames.
 *
 * The kernel clamps delta to [-32768, 32767] and mindelta to [-32768, 0].
 * A clamped field (delta -32768 or 32767, mindelta -32768) means the record
 * is saturated: the stream cannot be balanced across it.  No kernel writes
 * mindelta > 0 or delta < mindelta; such a malformed record is treated like
 * a saturated one.  kct_eesum_unbalanceable() tells both.
 */
#define KCT_RECORD_TYPE_EESUM		0x2000000000000000ULL
#define KCT_RECORD_TYPE_NORMAL		0xf000000000000000ULL

/*
 * A record's type, its top four bits: KCT_RECORD_KIND(rec) is one of these
 * or a reserved type.  MEMORY, WAIT and WAKE are records of
 * KCT_MODE_TRACE_MEMORY_ACCESS only (see there); in the other modes the
 * decoder skips and counts them, as every reserved type (0x6-0xe), one
 * word each.
 */
enum kct_record_kind {
	KCT_RECORD_KIND_ENTRY	= 0x0,
	KCT_RECORD_KIND_EXIT	= 0x1,
	KCT_RECORD_KIND_EESUM	= 0x2,
	KCT_RECORD_KIND_MEMORY	= 0x3,
	KCT_RECORD_KIND_WAIT	= 0x4,
	KCT_RECORD_KIND_WAKE	= 0x5,
	KCT_RECORD_KIND_NORMAL	= 0xf,
};
#define KCT_RECORD_KIND(rec)	((unsigned int)((uint64_t)(rec) >> KCT_RECORD_TYPE_SHIFT))
/* The record of type kind (a KCT_RECORD_KIND_* or reserved type) at pc. */
#define KCT_RECORD(kind, pc)						\
	((uint64_t)(kind) << KCT_RECORD_TYPE_SHIFT | ((uint64_t)(pc) & KCT_RECORD_IP_MASK))

#define KCT_EESUM_DELTA_SHIFT		0
#define KCT_EESUM_MINDELTA_SHIFT	16
#define KCT_EESUM_FIELD_MASK		0xffffULL
#define KCT_EESUM_CLAMP_MIN		(-32768)	/* delta or mindelta saturated */
#define KCT_EESUM_CLAMP_MAX		32767		/* delta saturated */
/* An EESUM record's fields, as KCOV_EESUM_DELTA() and KCOV_EESUM_MINDELTA(). */
#define KCT_EESUM_DELTA(rec)						\
	((int16_t)(((rec) >> KCT_EESUM_DELTA_SHIFT) & KCT_EESUM_FIELD_MASK))
#define KCT_EESUM_MINDELTA(rec)						\
	((int16_t)(((rec) >> KCT_EESUM_MINDELTA_SHIFT) & KCT_EESUM_FIELD_MASK))
/* The EESUM record of delta and mindelta, each in [-32768, 32767]: for tests
 * and generators. */
#define KCT_EESUM_RECORD(delta, mindelta)					\
	(KCT_RECORD_TYPE_EESUM |						\
	 (uint64_t)(uint16_t)(delta) << KCT_EESUM_DELTA_SHIFT |		\
	 (uint64_t)(uint16_t)(mindelta) << KCT_EESUM_MINDELTA_SHIFT)

/* Whether the stream cannot be balanced across EESUM record rec: a field is
 * saturated, or the record is malformed. */
static inline bool kct_eesum_unbalanceable(uint64_t rec)
{
	int delta = KCT_EESUM_DELTA(rec), mindelta = KCT_EESUM_MINDELTA(rec);

	return delta == KCT_EESUM_CLAMP_MIN || delta == KCT_EESUM_CLAMP_MAX ||
	       mindelta == KCT_EESUM_CLAMP_MIN || mindelta > 0 || delta < mindelta;
}

/*
 * KCT_MODE_TRACE_MEMORY_ACCESS (the kernel's KCOV_TRACE_MEMORY_ACCESS, of
 * the series' patch 9, as in its author's later tree): the records of
 * KCT_MODE_TRACE_PC_EXT, but
 *   - ENTRY is two words: the entry record, then the call site, the
 *     caller's return address, all 64 bits (canonical as other PCs);
 *   - MEMORY is a memory access of memory_record_words words (the kernel's
 *     struct memory_access_record; at least KCT_MEMORY_RECORD_WORDS, the
 *     words after the fifth skipped): the access's PC (the return address
 *     of the instrumentation call, as other PCs), the data address (all
 *     64 bits, as accessed: no KASLR undone), the size in the low 32 bits
 *     and KCT_ACCESS_F_* in the high 32 of word 2, a time (rdtsc, the same
 *     clock on every CPU) and the value (with KCT_ACCESS_F_VALUE);
 *   - WAIT and WAKE are one word: the sync bit in bits 0-15 (KCT_SYNC_BIT()),
 *     and for WAIT, KCT_WAIT_TIMEOUT if the wait timed out;
 *   - any other type is a corrupt stream.
 * A record the end of the buffer cut off (it filled up) is dropped.
 */
#define KCT_MODE_TRACE_MEMORY_ACCESS 3	/* a kcov mode, as the others below
						   (1.4) */
#define KCT_MEMORY_RECORD_WORDS		5	/* the least, and the default */
#define KCT_MEMORY_RECORD_WORDS_MAX	64	/* the most a reader takes */
#define KCT_ACCESS_SIZE(word2)		((uint32_t)(word2))
#define KCT_ACCESS_FLAGS(word2)		((uint32_t)((uint64_t)(word2) >> 32))
/* Word 2 of a MEMORY record: for tests and generators. */
#define KCT_ACCESS_WORD2(size, flags)	((uint64_t)(uint32_t)(flags) << 32 | (uint32_t)(size))
#define KCT_ACCESS_F_TYPE_MASK		0xfu	/* 0: an access; others reserved */
#define KCT_ACCESS_F_WRITE		0x10u	/* else a read */
#define KCT_ACCESS_F_RMW		0x20u	/* a read-modify-write */
#define KCT_ACCESS_F_ATOMIC		0x40u
#define KCT_ACCESS_F_FREE		0x80u	/* a slab free (WRITE|FREE over
						   the object) */
#define KCT_ACCESS_F_VALUE		0x100u	/* value is the value */
#define KCT_WAIT_TIMEOUT		0x0010000000000000ULL
#define KCT_SYNC_BIT(rec)		((uint32_t)((rec) & 0xffff))

/*
 * Words of the record whose first word is rec, in mode (memory_words: of a
 * MEMORY record, KCT_MEMORY_RECORD_WORDS or more); 0 for a type the mode
 * does not have.  Anything that cuts a stream cuts it between records.
 */
static inline uint32_t kct_record_words(uint64_t rec, uint32_t mode, uint32_t memory_words)
{
	if (mode != KCT_MODE_TRACE_MEMORY_ACCESS)
		return 1;
	switch (KCT_RECORD_KIND(rec)) {
	case KCT_RECORD_KIND_ENTRY:
		return 2;
	case KCT_RECORD_KIND_MEMORY:
		return memory_words;
	case KCT_RECORD_KIND_EXIT:
	case KCT_RECORD_KIND_EESUM:
	case KCT_RECORD_KIND_WAIT:
	case KCT_RECORD_KIND_WAKE:
	case KCT_RECORD_KIND_NORMAL:
		return 1;
	default:
		return 0;
	}
}

/* What to OR into a record's 56 PC bits to get a kernel address back. */
#define KCT_PC_FILL_KERNEL		0xff00000000000000ULL

/*
 * The library's version, its one statement: MAJOR is the soname's
 * (libkcovtrace.so.MAJOR), MINOR the newest version node of what it
 * exports (LIBKCOVTRACE_MAJOR.MINOR).  kcovtrace --version and
 * kcovtrace.pc say it.
 */
#define KCT_VERSION_MAJOR		1
#define KCT_VERSION_MINOR		4

/* ---- Errors ----------------------------------------------------------- */

/*
 * Functions fail with a negative errno value, or with a negative KCT_ERR_*
 * code (as libbpf's LIBBPF_ERRNO__*) where no errno value names the cause:
 * each of these means one thing only, and kct_strerror() says which.
 */
#define KCT_ERR_START		4000
enum kct_error {
	/* Trace files (kct_trace_open()) */
	KCT_ERR_FORMAT = KCT_ERR_START,	/* not a kcov trace, nor a whole raw
					   kcov buffer */
	KCT_ERR_CORRUPT,	/* a kcov trace whose headers do not add up */
	KCT_ERR_TRUNC,		/* a kcov trace whose header is cut */
	KCT_ERR_NEWER,		/* a trace format newer than this library's */
	KCT_ERR_OLDER,		/* a trace format older than version 3 */
	KCT_ERR_EMPTY,		/* an empty file */
	KCT_ERR_ELF_FILE,	/* an ELF file, not a kcov trace */
	KCT_ERR_TEXT_FILE,	/* a text file, not a kcov trace */
	/* Symbol sources */
	KCT_ERR_SYMFILE,	/* not a symbol list: a line that is not
				   ADDR TYPE NAME [MODULE] */
	KCT_ERR_NOSYMS,		/* a symbol list of no function */
	KCT_ERR_NO_TEXT,	/* a symbol list without _text: not a kernel's */
	KCT_ERR_HIDDEN,		/* kallsyms' addresses hidden (kptr_restrict) */
	KCT_ERR_ELF,		/* not an ELF file the symbolizer can read */
	/* Decoder */
	KCT_ERR_DEPTH,		/* calls nest deeper than the decoder's
				   max_depth */
	KCT_ERR_MODE,		/* a kcov mode this library does not know
				   (a newer writer's trace); (1.4) */
	KCT_ERR_RECORD,		/* a record of a type its mode does not
				   have (KCT_MODE_TRACE_MEMORY_ACCESS: the
				   stream cannot be framed); (1.4) */
	KCT_ERR_END,		/* one past the last */
};

/* ---- Decoder ---------------------------------------------------------- */

enum kct_event_type {
	KCT_EVENT_ENTER,	/* a function was entered */
	KCT_EVENT_BLOCK,	/* a basic block of the current function ran */
	KCT_EVENT_EXIT,		/* the current function returned */
	KCT_EVENT_EESUM,	/* an EESUM record; see delta and mindelta */
	/* KCT_MODE_TRACE_MEMORY_ACCESS only (1.4): */
	KCT_EVENT_ACCESS,	/* a memory access in the current function: pc,
				   addr, size, access, time, value */
	KCT_EVENT_WAIT,		/* a wait on a sync bit: bit, timed_out */
	KCT_EVENT_WAKE,		/* a wake of a sync bit: bit */
};

/*
 * Event flags.  Every ENTER has its EXIT, even where the stream lacks one of
 * the two records: the decoder makes up the missing half and says so.
 *
 * An EESUM record is applied: its EESUM event comes first, then an EXIT for
 * each frame it pops and an ENTER (pc 0) for each it pushes, flagged
 * SUPPRESSED.  Across an EESUM record that cannot be balanced the decoder
 * does not guess: it closes every open frame (EXITs flagged UNFINISHED, with
 * the record's index), emits the EESUM event flagged SATURATED at depth 0,
 * and decodes the records after it as a new tree starting at depth 0, as if a
 * new stream began there (its UNKNOWN_CALLER frames carry the index of the
 * record after the EESUM).
 */
#define KCT_EVENT_F_SYNTHETIC	(1u << 0) /* no record behind this event */
#define KCT_EVENT_F_UNKNOWN_CALLER (1u << 1) /* ENTER of a frame that was open
					     before the stream (or the tree
					     after a SATURATED EESUM) began;
					     pc is that of its first
					     EXIT/BLOCK, 0 if an EESUM
					     record popped it */
#define KCT_EVENT_F_UNFINISHED	(1u << 2) /* EXIT of a frame still open when
					     the stream ended (index: the
					     record count) or at a SATURATED
					     EESUM (index: that record's) */
#define KCT_EVENT_F_SUPPRESSED	(1u << 3) /* ENTER/EXIT that an EESUM
					     record reported */
#define KCT_EVENT_F_SATURATED	(1u << 4) /* EESUM that cannot be balanced
					     (saturated or malformed) */

/*
 * An event; kct_decoder_next_batch() takes the size of the caller's, which
 * may end after mindelta (a caller built against 1.3 or older: it gets
 * the fields it has) or later.  Fields grow at its end only.
 *
 * index is the offset in words of the event's record in the stream, of its
 * first word where a record has several (KCT_MODE_TRACE_MEMORY_ACCESS):
 * in the other modes, where each record is a word, the record's index.
 * ACCESS, WAIT and WAKE events are leaves at the depth of the frame they
 * happened in (that of a BLOCK there).
 */
struct kct_event {
	enum kct_event_type type;
	uint32_t flags;		/* KCT_EVENT_F_* */
	uint32_t depth;		/* nesting level, 0 is outermost */
	uint64_t index;		/* word offset of the record in the stream;
				   for synthetic events, that of the record
				   that caused it */
	uint64_t pc;		/* canonical PC (0 if unknown); ACCESS: of
				   the access (a return address, as others) */
	uint64_t entry_pc;	/* ENTER/EXIT: PC of the frame's entry record,
				   0 if the frame began before the stream;
				   BLOCK, ACCESS, WAIT, WAKE: of the frame
				   they are in */
	int32_t delta;		/* EESUM: the record's delta */
	int32_t mindelta;	/* EESUM: the record's mindelta */
	/* 1.4: fields of one type of event or another, 0 in the others
	 * (those of a union: of its own event types only). */
	union {
		uint64_t call_site; /* ENTER of an entry record in
				   KCT_MODE_TRACE_MEMORY_ACCESS: the caller's
				   return address, all 64 bits; else 0 */
		uint64_t addr;	/* ACCESS: the data address, as accessed (no
				   KASLR undone) */
	};
	uint64_t time;		/* ACCESS: the kernel's rdtsc */
	uint64_t value;		/* ACCESS: the value, with KCT_ACCESS_F_VALUE;
				   else 0 */
	union {
		uint32_t size;	/* ACCESS: bytes accessed */
		uint32_t bit;	/* WAIT, WAKE: the sync bit */
	};
	union {
		uint32_t access; /* ACCESS: KCT_ACCESS_F_* */
		uint32_t timed_out; /* WAIT: 1 if it timed out, else 0 */
	};
};

struct kct_decoder_opts {
	size_t sz;		/* sizeof(struct kct_decoder_opts) */
	uint64_t pc_fill;	/* OR'ed into the PC bits of every record,
				   KCT_PC_FILL_KERNEL for kernel traces */
	uint32_t max_depth;	/* refuse deeper streams, -KCT_ERR_DEPTH
				   (0: 1 << 20; at most 1 << 30) */
	/* 1.4: */
	uint32_t mode;		/* KCT_MODE_* of the records (0, KCOV_TRACE_PC,
				   and KCT_MODE_TRACE_PC_EXT decode alike);
				   kct_trace_decoder_opts() takes the stream's
				   where 0.  -EINVAL for an unknown one,
				   -EOPNOTSUPP for KCT_MODE_TRACE_CMP */
	uint32_t memory_record_words; /* KCT_MODE_TRACE_MEMORY_ACCESS: words of
				   a MEMORY record (0: the stream's, or
				   KCT_MEMORY_RECORD_WORDS); -EINVAL outside
				   [KCT_MEMORY_RECORD_WORDS,
				   KCT_MEMORY_RECORD_WORDS_MAX] */
};

struct kct_decoder_stats {
	size_t sz;		/* sizeof(struct kct_decoder_stats) */
	uint64_t records;	/* records read (one of several words counts
				   once) */
	uint64_t enters, exits, blocks, eesums;
	uint64_t unknown;	/* records of unknown type, skipped */
	uint64_t orphan_exits;	/* frames open before the stream (or a tree
				   after a saturated EESUM) began */
	uint64_t unfinished;	/* frames still open when it ended or at a
				   saturated EESUM */
	uint64_t saturated;	/* EESUM records that cannot be balanced
				   (saturated or malformed) */
	uint32_t max_depth;	/* deepest nesting seen */
	/* 1.4, KCT_MODE_TRACE_MEMORY_ACCESS: */
	uint64_t accesses, waits, wakes;
	uint64_t partial;	/* records the stream's end cut off, dropped
				   (a buffer that filled up): at most 1 */
	uint64_t partial_words;	/* their words */
};

struct kct_decoder;

/* Decodes count records that stay valid and unchanged while in use. */
int kct_decoder_new_mem(const uint64_t *records, uint64_t count,
			const struct kct_decoder_opts *opts,
			struct kct_decoder **out);
/* Decodes count records read with pread() from fd at offset; the decoder
 * reads them twice in fixed-size chunks and does not close fd.  A file that
 * ends before the last of them (one cut while read) is an error, -EIO. */
int kct_decoder_new_fd(int fd, uint64_t offset, uint64_t count,
		       const struct kct_decoder_opts *opts,
		       struct kct_decoder **out);
/*
 * Fills up to max events of ev_sz bytes each (sizeof(struct kct_event));
 * returns how many, 0 at the end, or a negative errno (after the events
 * before the error were returned).  The fast way to read a long stream.
 */
int kct_decoder_next_batch(struct kct_decoder *dec, struct kct_event *evs, size_t ev_sz,
			   unsigned int max);
/* One event: returns 1 and fills *ev, 0 at the end, or a negative errno. */
int kct_decoder_next(struct kct_decoder *dec, struct kct_event *ev, size_t ev_sz);
/* The counts so far; stats->sz set by the caller. */
int kct_decoder_get_stats(const struct kct_decoder *dec, struct kct_decoder_stats *stats);
/* kct_decoder_get_stats() by its old name, which the struct shares. */
int kct_decoder_stats(const struct kct_decoder *dec, struct kct_decoder_stats *stats);
void kct_decoder_free(struct kct_decoder *dec);

/* ---- Filter ----------------------------------------------------------- */

/*
 * What KCOV_FILTER keeps of a stream (a depth limit, suppressed functions),
 * applied in userspace to the records of a kernel that did not filter them:
 * record for record what a filtering kernel writes, by the rule of
 * <linux/kcov.h> (docs/kcovtrace.1, FILTERS).  The depth counts from the
 * stream's first record, as the kernel's does from KCOV_ENABLE: filter a
 * task's records from its first.
 *
 * Where the two can differ: an EESUM record sums up a window the kernel did
 * not record, and the frames it pushes are of functions this filter never
 * saw the entry of, so it never suppresses them (a filtering kernel hides
 * what a suppressed one does); after an EESUM record that cannot be
 * balanced, this filter counts depths from 0 again, as a decoder does.
 */

/* A range of kernel text, [start, end): a suppressed function. */
struct kct_range {
	uint64_t start;
	uint64_t end;
};

#define KCT_FILTER_MAX_RANGES	(1u << 16)	/* KCOV_FILTER_MAX_RANGES */

struct kct_filter_opts {
	size_t sz;		/* sizeof(struct kct_filter_opts) */
	uint32_t max_depth;	/* levels of calls kept, the outermost frame
				   being level 1; 0: no limit */
	const struct kct_range *ranges; /* suppressed functions, sorted and
					   disjoint: their own ENTRY and EXIT
					   records stay, nothing they execute
					   or call does */
	uint32_t nr_ranges;
	uint64_t pc_fill;	/* OR'ed into records' PCs before they are
				   compared with ranges (see kct_decoder_opts) */
	/* 1.4: */
	uint32_t mode;		/* KCT_MODE_* of the records kct_filter_new()
				   filters (0: KCOV_TRACE_PC, which filters as
				   KCT_MODE_TRACE_PC_EXT); the kernel's filter
				   ignores it */
};

struct kct_filter;

/* A filter, with the kernel's errors: -EINVAL if it filters nothing
 * (max_depth and nr_ranges 0) or for ranges unsorted, overlapping or empty;
 * -E2BIG for more than KCT_FILTER_MAX_RANGES.  The ranges are copied.
 * Records of several words (KCT_MODE_TRACE_MEMORY_ACCESS) it does not
 * filter: -EOPNOTSUPP for that mode, -EINVAL for an unknown one. */
int kct_filter_new(const struct kct_filter_opts *opts, struct kct_filter **out);
/*
 * Filters the next n records of the stream into out (room for n; out may be
 * in), and returns how many it wrote, or -EINVAL.  Consecutive chunks of a
 * stream give the records its whole gives.
 */
int64_t kct_filter_records(struct kct_filter *f, const uint64_t *in, uint64_t n, uint64_t *out);
void kct_filter_free(struct kct_filter *f);

/* ---- Trace files ------------------------------------------------------ */

/*
 * A trace file holds one or more record streams (a task's whole run, one
 * syscall, ...), each with what is known of the task it is of, and what the
 * trace was recorded with: kcov mode and buffer size, the kernel's release
 * and identity, and notes (key=value strings) that later features add
 * without a format change.  The layout on disk is the library's business
 * (docs/kcovtrace.1 describes it); readers get struct kct_trace_info and
 * struct kct_stream_info.  Readers also accept a raw kcov buffer (the
 * count, then the records) as any program can dump it; the magic tells the
 * two apart.
 */
#define KCT_TRACE_MAGIC		"KCOVTRC"	/* 8 bytes with the NUL */
/*
 * 3: streams and trace carry their metadata (struct kct_stream_info, notes,
 * kernel identity) in headers that say their size.  Versions 1 (whose type
 * 0x2 records predate EESUM records) and 2 are refused, not converted.
 */
#define KCT_TRACE_VERSION	3

/* kcov modes, as in <linux/kcov.h> */
#define KCT_MODE_TRACE_PC	0
#define KCT_MODE_TRACE_CMP	1
#define KCT_MODE_TRACE_PC_EXT	2
/* KCT_MODE_TRACE_MEMORY_ACCESS (3): with its records, above */

#define KCT_TRACE_F_OVERFLOW	(1u << 0) /* a buffer filled up */
#define KCT_TRACE_F_USER	(1u << 1) /* userspace PCs (no pc_fill) */
#define KCT_TRACE_F_TRUNCATED	(1u << 2) /* (reading only) the file ends early:
					     its intact prefix is read */
#define KCT_TRACE_F_INTERRUPTED	(1u << 3) /* the recording was stopped before
					     its command ended (kcovtrace
					     record got SIGTERM, SIGHUP or
					     SIGINT): the tasks still running
					     were killed, their streams end
					     there */

/* What a stream is of. */
enum kct_stream_kind {
	KCT_STREAM_KIND_UNKNOWN	= 0,	/* not said (a raw kcov buffer) */
	KCT_STREAM_KIND_TASK	= 1,	/* a task's whole run, from its exec
					   (or start) to its exit */
	KCT_STREAM_KIND_SYSCALL	= 2,	/* one syscall of a task */
	KCT_STREAM_KIND_EXEC	= 3,	/* the exec that started a program,
					   apart from the program's own work */
	KCT_STREAM_KIND_REMOTE	= 4,	/* remote coverage sections
					   (KCOV_REMOTE_ENABLE) */
};

#define KCT_STREAM_NO_SYSCALL	(-1)
#define KCT_STREAM_F_OVERFLOW	(1u << 0) /* this stream's buffer filled up */
#define KCT_STREAM_F_ARGS	(1u << 1) /* args holds the syscall's arguments */
#define KCT_STREAM_F_TRUNCATED	(1u << 2) /* (reading only) the file ends in
					     this stream: records is what is
					     intact of records_written */
#define KCT_STREAM_F_RESUMED	(1u << 3) /* records were lost before its
					     first: it goes on from the
					     task's stream before it, whose
					     buffer filled up */
#define KCT_LOST_UNKNOWN	0xffffffffffffffffULL
#define KCT_COMM_LEN		16	/* a task's comm, as the kernel keeps it */
#define KCT_ARG_STRING_MAX	256	/* bytes kept of a string argument */

/* A kernel's identity, to tell whether two traces (or a trace and a symbol
 * source) are of the same kernel: compare kind, length and bytes. */
enum kct_kernel_id_kind {
	KCT_KERNEL_ID_NONE	= 0,
	KCT_KERNEL_ID_BUILD_ID	= 1,	/* the kernel's GNU build ID */
	KCT_KERNEL_ID_SYMBOLS	= 2,	/* kct_kernel_id_symbols()' digest */
};
#define KCT_KERNEL_ID_MAX	64	/* bytes */
#define KCT_KERNEL_ID_SYMBOLS_LEN 32	/* bytes of a KCT_KERNEL_ID_SYMBOLS id */

struct kct_trace_info {
	size_t sz;		/* sizeof(struct kct_trace_info), set by the
				   caller */
	bool raw;		/* a raw kcov buffer, no header */
	uint32_t version;	/* of the file's format; 0 for a raw buffer */
	uint32_t mode;		/* KCT_MODE_* asked for */
	uint32_t flags;		/* KCT_TRACE_F_* */
	uint64_t buffer_words;	/* kcov buffer size in words */
	uint64_t pc_fill;	/* see kct_decoder_opts */
	uint32_t nr_streams;	/* streams that can be read */
	uint32_t nr_streams_written; /* streams written (more if TRUNCATED) */
	uint64_t records;	/* records that can be read */
	uint64_t records_written;
	uint64_t bytes_expected; /* the file's size as written */
	uint64_t bytes_present;	/* and as it is (less if TRUNCATED) */
	char kernel_release[65];/* uname -r of the traced kernel, or "" */
	uint32_t kernel_id_kind;/* KCT_KERNEL_ID_* */
	uint32_t kernel_id_len;
	uint8_t kernel_id[KCT_KERNEL_ID_MAX];
	uint32_t nr_notes;
};

struct kct_stream_info {
	size_t sz;		/* sizeof(struct kct_stream_info), set by the
				   caller */
	uint32_t kind;		/* KCT_STREAM_KIND_* */
	uint32_t flags;		/* KCT_STREAM_F_* */
	uint64_t records;	/* records that can be read */
	uint64_t records_written; /* (more if KCT_STREAM_F_TRUNCATED) */
	uint64_t seq;		/* when it started in the traced run:
				   streams are numbered by it */
	int32_t pid;		/* the task's process, 0 if unknown */
	int32_t tid;		/* the task, 0 if unknown */
	int32_t ppid;		/* its parent (or creator), 0 if unknown */
	uint32_t mode;		/* KCT_MODE_* the task got */
	int32_t syscall;	/* SYSCALL and EXEC streams: the syscall's
				   number; else KCT_STREAM_NO_SYSCALL */
	uint64_t args[6];	/* its arguments, with KCT_STREAM_F_ARGS */
	uint64_t lost;		/* records lost, or KCT_LOST_UNKNOWN */
	uint64_t remote_handle;	/* REMOTE streams: the handle, 0 for none */
	char comm[KCT_COMM_LEN + 1]; /* the task's name at exec, "" if unknown */
	uint32_t memory_record_words; /* KCT_MODE_TRACE_MEMORY_ACCESS: words of
				   a MEMORY record (KCT_MEMORY_RECORD_WORDS if
				   the file does not say); else 0.  (1.4) */
};

struct kct_trace;

struct kct_trace_opts {
	size_t sz;		/* sizeof(struct kct_trace_opts) */
	bool no_raw;		/* a trace file only: a file without the
				   trace's magic is refused (-KCT_ERR_FORMAT,
				   or what it is), not read as a raw kcov
				   buffer */
};

/*
 * Opens and validates a trace file or raw buffer: -KCT_ERR_CORRUPT for a
 * corrupt trace, -KCT_ERR_NEWER for a newer format version, -KCT_ERR_OLDER
 * for an older one, -KCT_ERR_TRUNC for a trace whose header is cut; a file
 * that is neither a trace nor a whole raw buffer, -KCT_ERR_EMPTY,
 * -KCT_ERR_ELF_FILE or -KCT_ERR_TEXT_FILE where it is one of those, else
 * -KCT_ERR_FORMAT.  A trace cut later
 * opens: its streams wholly present and the intact records of the one it
 * ends in can be read, and its info says KCT_TRACE_F_TRUNCATED.
 */
int kct_trace_open_opts(const char *path, const struct kct_trace_opts *opts,
			struct kct_trace **out);
/* kct_trace_open_opts() with every default. */
int kct_trace_open(const char *path, struct kct_trace **out);
/* The trace's info; info->sz set by the caller. */
int kct_trace_get_info(const struct kct_trace *trace, struct kct_trace_info *info);
/* kct_trace_get_info() by its old name, which the struct shares. */
int kct_trace_info(const struct kct_trace *trace, struct kct_trace_info *info);
/* Stream i, 0 <= i < nr_streams, numbered in the order of their seq (then
 * of the file); info->sz set by the caller. */
int kct_trace_stream(const struct kct_trace *trace, uint32_t i, struct kct_stream_info *info);
/*
 * The string arg (0 to 5) of stream i pointed to in the task, as its
 * writer read it at the syscall's entry (kct_stream_opts.arg_strings), or
 * NULL if it has none; *cut (if cut is not NULL) says whether it was cut
 * at KCT_ARG_STRING_MAX bytes.  Owned by the trace.  (Version 1.3.)
 */
const char *kct_trace_stream_string(const struct kct_trace *trace, uint32_t i, unsigned int arg,
				    bool *cut);
/* Up to n records of stream i from record first into buf; returns how many
 * (0 past its end), or a negative errno: -EIO where the file has shrunk
 * since it was opened (so do the stream's decoder and its events). */
int64_t kct_trace_read_records(const struct kct_trace *trace, uint32_t i, uint64_t first,
			       uint64_t *buf, uint64_t n);
/* A decoder over stream i, with opts (NULL: every default); its pc_fill 0
 * takes the trace's, for the trace's kind of PCs. */
int kct_trace_decoder_opts(struct kct_trace *trace, uint32_t i,
			   const struct kct_decoder_opts *opts, struct kct_decoder **out);
/* kct_trace_decoder_opts() with every default. */
int kct_trace_decoder(struct kct_trace *trace, uint32_t i, struct kct_decoder **out);
/* The value of the trace's note key, NULL if it has none. */
const char *kct_trace_note(const struct kct_trace *trace, const char *key);
/* Note i, 0 <= i < nr_notes, in the order written; -ERANGE past the end. */
int kct_trace_note_at(const struct kct_trace *trace, uint32_t i, const char **key,
		      const char **value);
void kct_trace_close(struct kct_trace *trace);

/*
 * The identity of the kernel whose text symbols path lists (/proc/kallsyms
 * or a System.map): a SHA-256 of each text symbol's name and offset from
 * _text, without module symbols, in a canonical order, so that KASLR does
 * not change it.  Fills id (size >= KCT_KERNEL_ID_SYMBOLS_LEN) and returns
 * KCT_KERNEL_ID_SYMBOLS_LEN, or -KCT_ERR_HIDDEN where kptr_restrict hides
 * the addresses, -KCT_ERR_NO_TEXT without _text, -KCT_ERR_SYMFILE for a
 * line that is not a symbol list's.  Record
 * and replay compare ids of one kind of source (kallsyms and a System.map
 * agree where both list the same text symbols).
 */
int kct_kernel_id_symbols(const char *path, uint8_t *id, size_t size);

/*
 * Writing: streams go to a temporary file next to path, which commit
 * renames into place, so a reader never sees a partial trace; abort (or a
 * failed commit) removes it.  Open refuses a path (or backup) commit could
 * not rename to (-EISDIR for a directory) or create the file next to
 * (-ENOENT, -EACCES ...).  The file's mode is what open(O_CREAT) gives a new file:
 * 0666 less the umask.
 */
struct kct_trace_writer_opts {
	size_t sz;		/* sizeof(struct kct_trace_writer_opts) */
	uint32_t mode;		/* KCT_MODE_* asked for (0: KCOV_TRACE_PC) */
	uint32_t flags;		/* KCT_TRACE_F_USER, _OVERFLOW (which the
				   writer also sets for an overflowed stream),
				   _INTERRUPTED */
	uint64_t buffer_words;	/* kcov buffer size in words */
	uint64_t pc_fill;	/* see kct_decoder_opts */
	const char *kernel_release; /* at most 64 characters; NULL: none */
	const void *kernel_id;	/* kernel_id_len bytes of identity */
	uint32_t kernel_id_kind;/* KCT_KERNEL_ID_* */
	uint32_t kernel_id_len;	/* at most KCT_KERNEL_ID_MAX */
	const char *const *notes; /* "key=value" strings, NULL-terminated; a
				     key is [A-Za-z0-9_.-]+, once; the value
				     any string */
	const char *backup;	/* where commit moves the file it replaces
				   at path, if any (kcovtrace record's
				   kcov.trace.old); NULL: it is lost */
};

/* What a stream is of: any field left 0 is unknown. */
struct kct_stream_opts {
	size_t sz;		/* sizeof(struct kct_stream_opts) */
	uint32_t kind;		/* KCT_STREAM_KIND_* */
	uint32_t flags;		/* KCT_STREAM_F_OVERFLOW, _ARGS, _RESUMED */
	uint64_t seq;		/* when it started in the traced run (a
				   writer writes it when it ends): readers
				   number streams by it, then as written */
	int32_t pid, tid, ppid;
	uint32_t mode;		/* KCT_MODE_* the task got (0: KCOV_TRACE_PC) */
	int32_t syscall;	/* SYSCALL and EXEC streams (0 is read);
				   ignored for other kinds */
	uint64_t args[6];	/* with KCT_STREAM_F_ARGS */
	uint64_t lost;		/* 0: none, unless the stream overflowed: then
				   unknown; or a count, or KCT_LOST_UNKNOWN */
	uint64_t remote_handle;
	const char *comm;	/* at most KCT_COMM_LEN - 1 characters */
	/* With KCT_STREAM_F_ARGS: the string arg n points to in the task
	 * (a path), NULL if none; longer than KCT_ARG_STRING_MAX, it is cut
	 * there, and said to be.  (Version 1.3.) */
	const char *arg_strings[6];
	/* KCT_MODE_TRACE_MEMORY_ACCESS: the words of a MEMORY record,
	 * KCOV_GET_MEMORY_RECORD_SIZE / 8 (0: KCT_MEMORY_RECORD_WORDS); 0 in
	 * other modes.  (Version 1.4.) */
	uint32_t memory_record_words;
};

struct kct_trace_writer;

int kct_trace_writer_open(const char *path, const struct kct_trace_writer_opts *opts,
			  struct kct_trace_writer **out);
/* A stream: begun, its records appended (any number of times, any number
 * of records), ended; -EBUSY to begin one while another is open. */
int kct_trace_writer_begin_stream(struct kct_trace_writer *w, const struct kct_stream_opts *opts);
int kct_trace_writer_append(struct kct_trace_writer *w, const uint64_t *records, uint64_t n);
int kct_trace_writer_end_stream(struct kct_trace_writer *w);
/* A whole stream at once: begin, append, end. */
int kct_trace_writer_add(struct kct_trace_writer *w, const struct kct_stream_opts *opts,
			 const uint64_t *records, uint64_t n);
/* Adds flags of opts->flags' kinds to the trace's, for a writer that learns
 * them as it goes (KCT_TRACE_F_INTERRUPTED); -EINVAL for any other. */
int kct_trace_writer_add_flags(struct kct_trace_writer *w, uint32_t flags);
/* Ends a stream still open, and puts the file in place (moving what was
 * there to opts->backup first, if given); frees w.  (-EFBIG where a trace
 * would outgrow the format: 2^24 streams, a header of 1 MB.) */
int kct_trace_writer_commit(struct kct_trace_writer *w);
void kct_trace_writer_abort(struct kct_trace_writer *w);

/* A message for any error the library returns: a KCT_ERR_* code's, or
 * strerror()'s (either sign). */
const char *kct_strerror(int err);

/* ---- Messages --------------------------------------------------------- */

enum kct_print_level {
	KCT_PRINT_WARN,		/* why a call fails, or what it could not
				   use: more than its error code says */
	KCT_PRINT_INFO,
	KCT_PRINT_DEBUG,
};

typedef int (*kct_print_fn_t)(enum kct_print_level level, const char *fmt, va_list ap);

/*
 * Where the library's messages go, as libbpf_set_print(): fn gets each
 * message, a printf() format and its arguments, ending in a newline; a
 * message about a line of a file (a symbol list's bad line: the call fails
 * with -KCT_ERR_SYMFILE) begins "PATH:LINE: ", as a compiler's do.  The
 * default, and NULL, is none: the library prints nothing.  Returns the
 * callback it replaces.  One for the process; fn may be called from any
 * thread that calls the library.
 */
kct_print_fn_t kct_set_print(kct_print_fn_t fn);

/* ---- Recording -------------------------------------------------------- */

struct kct_session_opts {
	size_t sz;		/* sizeof(struct kct_session_opts) */
	uint64_t buffer_words;	/* kcov buffer size, whole pages (0: 1M words) */
	const char *device;	/* default /sys/kernel/debug/kcov */
};

struct kct_session;

/* Opens the kcov device, sizes and maps its buffer. */
int kct_session_open(const struct kct_session_opts *opts, struct kct_session **out);

struct kct_enable_opts {
	size_t sz;		/* sizeof(struct kct_enable_opts) */
	bool allow_classic;	/* where the kernel lacks KCOV_TRACE_PC_EXT
				   (it refuses the mode with ENOTSUPP or
				   EINVAL), fall back to KCOV_TRACE_PC; check
				   kct_session_mode() */
	/* 1.4: */
	uint32_t mode;		/* 0 or KCT_MODE_TRACE_PC_EXT; or
				   KCT_MODE_TRACE_MEMORY_ACCESS, without
				   fallback: the kernel's error (EINVAL,
				   ENOTSUPP) where it lacks the mode */
};

/* Enables KCOV_TRACE_PC_EXT (or opts->mode) for the calling thread. */
int kct_session_enable(struct kct_session *s, const struct kct_enable_opts *opts);
/*
 * KCOV_GET_MEMORY_RECORD_SIZE: the words of a MEMORY record of
 * KCT_MODE_TRACE_MEMORY_ACCESS, for kct_stream_opts.memory_record_words;
 * the kernel's error from a kernel without the mode (-ENOTTY, -EINVAL),
 * -EPROTO for a size that is not whole words, or fewer than
 * KCT_MEMORY_RECORD_WORDS or more than KCT_MEMORY_RECORD_WORDS_MAX.
 * (Version 1.4.)
 */
int kct_session_memory_record_words(const struct kct_session *s);

struct kct_remote_enable_opts {
	size_t sz;		/* sizeof(struct kct_remote_enable_opts) */
	bool allow_classic;	/* as in struct kct_enable_opts */
	uint32_t nr_handles;	/* KCOV_REMOTE_ENABLE's: the handles */
	uint64_t common_handle;
	const uint64_t *handles;
};

/* kcov's remote handles (uapi kcov_remote_handle()): a subsystem in the
 * top byte, an instance in the low 32 bits; common handles are of the
 * "common" subsystem, the caller's choice of instance. */
#define KCT_REMOTE_SUBSYSTEM_MASK	0xff00000000000000ULL
#define KCT_REMOTE_SUBSYSTEM_COMMON	0x0000000000000000ULL
#define KCT_REMOTE_SUBSYSTEM_USB	0x0100000000000000ULL
#define KCT_REMOTE_INSTANCE_MASK	0x00000000ffffffffULL
static inline uint64_t kct_remote_handle(uint64_t subsystem, uint32_t instance)
{
	return subsystem | instance;
}

/* KCOV_REMOTE_ENABLE in the extended mode (or classic, as above). */
int kct_session_enable_remote(struct kct_session *s, const struct kct_remote_enable_opts *opts);
/*
 * KCOV_FILTER: the kernel records only what opts lets through (see struct
 * kct_filter_opts; pc_fill is not the kernel's business), in whatever mode
 * the session is enabled later, here or in a task given its descriptor.
 * Before enabling: -EBUSY once this session enabled kcov.  The errors of
 * kct_filter_new() for bad opts, and the kernel's: -ENOTTY from a kernel
 * without KCOV_FILTER, -EOPNOTSUPP without CONFIG_KCOV_EXT_RECORDS (-ENOTSUPP,
 * 524, with v3 of the series),
 * -EINVAL for ranges outside its text; kct_filter_new() then filters in
 * userspace.
 */
int kct_session_set_filter(struct kct_session *s, const struct kct_filter_opts *opts);
int kct_session_disable(struct kct_session *s);
/* Starts a new stream: the kernel's next record goes first. */
void kct_session_reset(struct kct_session *s);
/* Records in the buffer now, at most the buffer's room. */
uint64_t kct_session_count(const struct kct_session *s);
const uint64_t *kct_session_records(const struct kct_session *s);
uint32_t kct_session_mode(const struct kct_session *s);
uint64_t kct_session_buffer_words(const struct kct_session *s);
int kct_session_fd(const struct kct_session *s);
/* Whether the buffer filled up: the kernel never lets the count reach the
 * buffer's size, and stops recording at words - 1 records. */
bool kct_session_full(const struct kct_session *s);
/* Writes the buffer's records as a stream of w, which opts describes (mode:
 * the mode the task got, kct_session_mode() where this session enabled kcov
 * itself); KCT_STREAM_F_OVERFLOW is set if the buffer filled up. */
int kct_session_write_stream(const struct kct_session *s, struct kct_trace_writer *w,
			     const struct kct_stream_opts *opts);
void kct_session_close(struct kct_session *s);

/* ---- Symbolizer ------------------------------------------------------- */

struct kct_symbol {
	size_t sz;		/* sizeof(struct kct_symbol), set by the caller */
	const char *name;	/* function; valid while the symbolizer lives */
	size_t name_len;	/* strlen(name) */
	const char *module;	/* kernel module, or NULL */
	uint64_t addr;		/* start of the function */
	uint64_t size;		/* up to the next function if the source has no
				   sizes; 0 for the last one then */
	uint64_t frame_addr;	/* start of the function whose frame this code
				   runs in: addr, but for a part of a function
				   placed apart from it, a GCC .cold part
				   (foo.cold, foo.cold.N, foo.part.0.cold: the
				   frame of foo, foo, foo.part.0), which has no
				   entry of its own; addr too for a part with
				   no such function, or with several of that
				   name (static functions of different files);
				   0 from a library older than this field */
};

struct kct_symbolizer;

int kct_symbolizer_new(struct kct_symbolizer **out);
void kct_symbolizer_free(struct kct_symbolizer *sym);
/* Symbols (and DWARF, when present) of an ELF file at its link-time
 * addresses: vmlinux, or a user program whose trace holds link-time PCs.
 * -KCT_ERR_ELF for a file libdw cannot read, or one without symbols. */
int kct_symbolizer_add_elf(struct kct_symbolizer *sym, const char *path);
/* A System.map (or any nm listing) of link-time addresses: -KCT_ERR_SYMFILE
 * for a line that is not ADDR TYPE NAME [MODULE], -KCT_ERR_NOSYMS for a
 * list of no function. */
int kct_symbolizer_add_system_map(struct kct_symbolizer *sym, const char *path);
/*
 * How many text symbols of the lists added so far name a module ("ADDR
 * TYPE NAME [MODULE]"), which only /proc/kallsyms lists: a System.map with
 * any is likely kallsyms given for one.  (Version 1.3.)
 */
uint64_t kct_symbolizer_module_symbols(const struct kct_symbolizer *sym);
/* /proc/kallsyms, modules included.  Its run-time addresses are moved to
 * link time by the KASLR offset: its _text against that of a link-time
 * source added before the first look-up, else against x86-64's default.
 * -KCT_ERR_HIDDEN when kptr_restrict hides the addresses; else as
 * kct_symbolizer_add_system_map(). */
int kct_symbolizer_add_kallsyms(struct kct_symbolizer *sym, const char *path);
/* Looks up pc into *out (out->sz set by the caller); returns 0, or -ENOENT
 * if no function covers it. */
int kct_symbolize(struct kct_symbolizer *sym, uint64_t pc,
		  struct kct_symbol *out);
/*
 * The data symbol (a variable: kallsyms' and System.map's types d, b, r,
 * upper or lower case, without modules'; an ELF file's objects) that
 * covers addr, into *out (out->sz set by the caller); -ENOENT if none.
 * The address is looked up as given, at the addresses the source lists:
 * a data address of a trace (KCT_EVENT_ACCESS) is not KASLR-canonicalized,
 * so it finds its variable in /proc/kallsyms of the boot it was recorded
 * in, or in link-time symbols where KASLR was off.  A list without sizes
 * gives a variable the bytes up to the next one, the last one none.
 * (Version 1.4.)
 */
int kct_symbolize_data(struct kct_symbolizer *sym, uint64_t addr, struct kct_symbol *out);
/*
 * The link-time addresses the symbols span: *start, where the first
 * function begins, and *end, where the last one ends.  A list without
 * sizes (System.map, kallsyms) says where each function ends only by the
 * symbol after it: its last function ends at most the size of the largest
 * other function after its start.  0, or -ENOENT without symbols.
 */
int kct_symbolizer_span(struct kct_symbolizer *sym, uint64_t *start, uint64_t *end);

/*
 * Adds to the ranges *ranges (*nr of them, malloc()ed; NULL and 0 at first,
 * freed with free()) those of the kernel functions whose names match glob
 * (fnmatch(3), no flags), at link-time addresses: [addr, addr + size), the
 * ranges kept sorted and disjoint (overlapping or adjacent ones merged), as
 * struct kct_filter_opts wants them.  Functions outside the kernel's own
 * text, [_stext, _etext) where the source lists them, are left out:
 * modules' and init text, which KCOV_FILTER refuses.  So is a function
 * of unknown size (the last one of a source without sizes).  Returns how
 * many symbols matched (each alias of a function counts), 0 leaving the
 * ranges as they were, or a negative errno.
 */
int kct_symbolizer_glob_ranges(struct kct_symbolizer *sym, const char *glob,
			       struct kct_range **ranges, uint32_t *nr);

struct kct_source {
	const char *function;	/* the function this code belongs to */
	const char *file;	/* NULL if the DWARF has none */
	unsigned int line;	/* 0 if unknown */
	unsigned int column;
};

/*
 * Source locations of the code at pc from DWARF (an ELF source with debug
 * info), innermost first: out[0] is the (possibly inlined) function whose
 * code pc is, with its file and line; each further entry is a function it
 * was inlined into, with the location of the inlined call.  Fills at most
 * max entries of out_sz bytes each (sizeof(struct kct_source)) and returns
 * their number, or -ENOENT without line info.  Strings stay valid while the
 * symbolizer lives.  Record PCs are return addresses of hook calls; pass
 * them as they are.
 */
int kct_symbolize_source(struct kct_symbolizer *sym, uint64_t pc,
			 struct kct_source *out, size_t out_sz, int max);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* KCOVTRACE_H */
