/* SPDX-License-Identifier: GPL-2.0-only */
/* Buffered output, for the commands that print a line per record
 * (output.c). */
#ifndef KCOVTRACE_OUTPUT_H
#define KCOVTRACE_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kcovtrace.h"
#include "symbols.h"

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

/*
 * A memory access (KCT_EVENT_ACCESS), as replay shows it as a leaf:
 * "R  0xffff888003a1c010 8  = 0x2a  var+0x10", its kind R, W or M
 * (read-modify-write), A after it if atomic, F for a slab free; the value
 * where the record has it; the variable the address is in, where sym has
 * one (data addresses are as accessed: kct_symbolize_data() looks them up
 * as they are).
 */
void out_access(struct out *o, struct kct_symbolizer *sym, const struct kct_event *ev);

/* An EESUM event's fields, "delta=D mindelta=M", as every format shows them. */
void out_eesum(struct out *o, const struct kct_event *ev);

#endif
