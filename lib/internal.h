/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the library's sources: how a struct that crosses the API grows.
 *
 * Option structs (input) start with size_t sz, the size the caller was built
 * with: a shorter one, from a caller built against an older header, lacks
 * the newer fields, which take their defaults; a longer one, from a caller
 * built against a newer header, must have zeros where this library knows
 * no field, or the call fails with -EINVAL (libbpf's OPTS_VALID).
 *
 * Structs the library fills (output) start with sz too, set by the caller:
 * the library fills the fields both sides know, zeroes the rest of the
 * caller's struct, and sets sz to the bytes it filled (in/out, as libbpf's
 * info_len).  Arrays of them take the size of an element instead.
 */
#ifndef KCT_INTERNAL_H
#define KCT_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kcovtrace.h"

#define unlikely(x)	__builtin_expect(!!(x), 0)
#define likely(x)	__builtin_expect(!!(x), 1)

#define offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/*
 * A line of a symbol list, "ADDR TYPE NAME [MODULE]" as nm, System.map and
 * /proc/kallsyms write it, ADDR of 1 to 16 hex digits: the symbolizer and
 * the kernel identity read the same lists.
 */
struct symbol_line {
	uint64_t addr;
	char type;
	const char *name;	/* name_len bytes; spaces or tabs and "[module]"
				   may follow */
	size_t name_len;
};

/*
 * Parsed by hand: strtoull() cost more than the rest of loading a
 * System.map, and took what no such list has (leading spaces, a sign, 0x,
 * digits beyond 64 bits).  0, or -KCT_ERR_SYMFILE for a line of another
 * format.
 */
static inline int parse_symbol_line(const char *line, struct symbol_line *out)
{
	const char *p = line;
	uint64_t addr = 0;

	for (; p - line < 16; p++) {
		/* Unsigned: below '0' or 'a', the subtraction wraps around
		 * to a large value. */
		unsigned int c = (unsigned char)*p;

		if (c - '0' < 10)
			addr = addr << 4 | (c - '0');
		else if ((c | 0x20) - 'a' < 6)	/* | 0x20: A-F as a-f */
			addr = addr << 4 | ((c | 0x20) - 'a' + 10);
		else
			break;
	}
	if (p == line || p[0] != ' ' || !p[1] || p[2] != ' ')
		return -KCT_ERR_SYMFILE;
	out->addr = addr;
	out->type = p[1];
	out->name = p + 3;
	out->name_len = strcspn(out->name, " \t");
	return out->name_len ? 0 : -KCT_ERR_SYMFILE;
}

/* The one check of every opts-taking function: known is the end of the last
 * field this library knows of the caller's struct. */
static inline bool opts_valid(const void *opts, size_t known)
{
	const unsigned char *p = opts;
	size_t sz;

	if (!opts)
		return true;
	sz = *(const size_t *)opts;
	if (sz < sizeof(size_t))
		return false;
	for (size_t i = known; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

#define OPTS_VALID(opts, type, last_field) opts_valid(opts, offsetofend(type, last_field))
/* Whether the caller's opts has field (and is there at all). */
#define OPTS_HAS(opts, field)						\
	((opts) && (opts)->sz >= offsetofend(__typeof__(*(opts)), field))
/* The caller's field, or def if its opts lacks it. */
#define OPTS_GET(opts, field, def) (OPTS_HAS(opts, field) ? (opts)->field : (def))

/*
 * Fills the caller's out struct (its sz set by the caller) from the
 * library's src of src_sz bytes: what both know is copied, the rest of out
 * zeroed, and out's sz set to what both know: the bytes filled, src_sz for
 * a newer caller.  -EINVAL if out's sz does not even cover sz.
 */
static inline int fill_out(void *out, const void *src, size_t src_sz)
{
	size_t sz = *(const size_t *)out, common = sz < src_sz ? sz : src_sz;

	if (sz < sizeof(size_t))
		return -EINVAL;
	memcpy((char *)out + sizeof(size_t), (const char *)src + sizeof(size_t),
	       common - sizeof(size_t));
	if (sz > common)
		memset((char *)out + common, 0, sz - common);
	*(size_t *)out = common;
	return 0;
}

/* The same for one element of an array of elem_sz-byte elements, which has
 * no sz of its own. */
static inline void fill_elem(void *out, size_t elem_sz, const void *src, size_t src_sz)
{
	size_t common = elem_sz < src_sz ? elem_sz : src_sz;

	memcpy(out, src, common);
	if (elem_sz > common)
		memset((char *)out + common, 0, elem_sz - common);
}

/*
 * Whether a kcov buffer of words 64-bit words (the count, then the records)
 * filled up: the kernel writes a record only while there is room for it,
 * so that the count never reaches words, and a count of words - 1 means
 * that it stopped recording.
 */
static inline bool kcov_buffer_full(uint64_t count, uint64_t words)
{
	return words && count == words - 1;
}

/* A message to the caller's print callback, if any (print.c). */
void lib_print(enum kct_print_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define pr_warn(...)	lib_print(KCT_PRINT_WARN, __VA_ARGS__)

/* A symbol list's line that is not ADDR TYPE NAME [MODULE]: warns, naming
 * it, and returns -KCT_ERR_SYMFILE. */
#define symbol_line_bad(path, lineno)					\
	(pr_warn("%s:%zu: not a symbol list line: ADDR TYPE NAME [MODULE] expected\n", \
		 (path), (size_t)(lineno)), -KCT_ERR_SYMFILE)

/* kct_filter_new()'s checks of its opts, the kernel's: 0 or a negative
 * errno (filter.c). */
int filter_opts_check(const struct kct_filter_opts *opts);

/*
 * kct_decoder_new_fd() for a trace's stream whose header says how many
 * frames its first tree exits without having entered them, plus 1
 * (unknown_callers, lib/traceformat.h; 0: not known).  The decoder's first
 * pass is then skipped where there are none, and stops where it has found
 * them all otherwise.  A header that claims too few makes the decoding fail
 * with -EIO where the records go lower, as for a file that changed.
 */
int decoder_new_fd_hinted(int fd, uint64_t offset, uint64_t count,
			  const struct kct_decoder_opts *opts, uint64_t unknown_callers,
			  struct kct_decoder **out);

#endif
