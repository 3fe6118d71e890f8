/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The trace file's layout on disk, version 3: private to the library, whose
 * readers see struct kct_trace_info and struct kct_stream_info instead.
 * docs/kcovtrace.1 describes it for other readers; tests/kcovformat.py
 * parses this file (the structs and #defines below, plain fixed-width
 * fields, no implicit padding), so that Python readers use the same layout.
 *
 * Native-endian, like the kcov buffer itself; every part a multiple of 8
 * bytes.  The file:
 *
 *   struct kct_disk_trace		fixed_size bytes
 *   items				up to header_size: each a struct
 *					kct_disk_item, then its data padded
 *					with zeros to a multiple of 8
 *   for each stream:
 *     struct kct_disk_stream		its own size bytes
 *     records				8 bytes each
 *
 * Designed to grow without a new version: the fixed header and each stream
 * header carry their size, so that later fields go at their end (a reader
 * takes the fields it knows, treats those a shorter header lacks as unknown
 * and skips the rest); items of a type a reader does not know are skipped.
 * magic, version and header_size stay where every version had them.
 */
#ifndef KCT_TRACEFORMAT_H
#define KCT_TRACEFORMAT_H

#include <stdint.h>

struct kct_disk_trace {
	char magic[8];		/* KCT_TRACE_MAGIC */
	uint32_t version;	/* KCT_TRACE_VERSION */
	uint32_t header_size;	/* bytes before the first stream */
	uint32_t fixed_size;	/* bytes of this struct as written */
	uint32_t mode;		/* KCT_MODE_* asked for */
	uint32_t flags;		/* KCT_TRACE_F_* (not TRUNCATED) */
	uint32_t nr_streams;
	uint64_t buffer_words;	/* kcov buffer size in words */
	uint64_t records;	/* records in all streams */
	uint64_t pc_fill;	/* see kct_decoder_opts */
	uint64_t file_size;	/* bytes of the whole file */
	char kernel_release[72];/* uname -r of the traced kernel, NUL-padded */
};

/* The smallest fixed header a reader takes: version 3's first. */
#define KCT_DISK_TRACE_SIZE	136

struct kct_disk_item {
	uint32_t type;		/* KCT_ITEM_* */
	uint32_t size;		/* bytes of data after this struct */
};

#define KCT_DISK_ITEM_SIZE	8

/* uint32_t kind (KCT_KERNEL_ID_*), then at most KCT_KERNEL_ID_MAX bytes */
#define KCT_ITEM_KERNEL_ID	1
/* a note: its key, a NUL, its value, a NUL */
#define KCT_ITEM_NOTE		2

struct kct_disk_stream {
	uint32_t size;		/* bytes of this struct as written */
	uint32_t kind;		/* KCT_STREAM_KIND_* */
	uint64_t records;	/* records that follow */
	uint64_t seq;		/* order of the stream in the traced run */
	uint32_t flags;		/* KCT_STREAM_F_* (not TRUNCATED) */
	uint32_t mode;		/* KCT_MODE_* the task got */
	int32_t pid;		/* 0: unknown */
	int32_t tid;
	int32_t ppid;
	int32_t syscall;	/* or KCT_STREAM_NO_SYSCALL */
	uint64_t args[6];	/* the syscall's, with KCT_STREAM_F_ARGS */
	uint64_t lost;		/* records lost, or KCT_LOST_UNKNOWN */
	uint64_t remote_handle;	/* KCOV_REMOTE_ENABLE's, 0 for none */
	char comm[16];		/* the task's name at exec, NUL-padded */
	uint64_t unknown_callers; /* see below; 0: not known */
	uint32_t arg_strings;	/* which args' strings follow (see below) */
	uint32_t memory_record_words; /* see below; 0: not said */
};

/*
 * unknown_callers, added in version 3 (a stream header of 128 bytes lacks
 * it, as other writers' may leave it 0): how many frames the stream's
 * records exit without having entered them, up to its first EESUM record
 * that cannot be balanced, plus 1.  The writer counts them as it writes,
 * so that a reader's decoder need not look for them in a first pass over
 * the records.
 *
 * memory_record_words, added with KCT_MODE_TRACE_MEMORY_ACCESS where
 * version 3 had padding (which its writers zeroed): the size of the
 * kernel's struct memory_access_record in words, as
 * KCOV_GET_MEMORY_RECORD_SIZE said it (in bytes) when the stream was
 * recorded, for a reader to frame the records with.
 *
 * A mode (of the trace or a stream) above those this version knows is a
 * newer writer's: refused as such (KCT_ERR_MODE), not as corrupt.
 *
 * After a stream's header, for each bit n < 6 of arg_strings, the string
 * arg n points to, and a NUL: KCT_ARG_STRING_MAX bytes of it at most, and
 * bit 8 + n set if it was longer.  Then zeros to a multiple of 8 bytes;
 * size counts them all.
 */
#define KCT_DISK_STREAM_SIZE	144
/* The smallest stream header a reader takes: up to records.  Fields a
 * shorter header lacks are unknown. */
#define KCT_DISK_STREAM_MIN_SIZE	16

/* Bounds on what a file can claim, far above what a real trace needs. */
#define KCT_DISK_HEADER_MAX	(1u << 20)
#define KCT_DISK_STREAM_MAX	4096
#define KCT_DISK_MAX_STREAMS	(1u << 24)

#endif
