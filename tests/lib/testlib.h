/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the C test suites share: TAP lines, and records written as text,
 * one token each: E<pc> an entry, X<pc> an exit, B<pc> a block, ?<pc> a
 * record of a reserved type (0x5, wake records in the author's tree),
 * D<delta>/<mindelta> an EESUM record, Dsat a saturated one.
 */
#ifndef KCT_TESTLIB_H
#define KCT_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace.h"

static int tests, failures;

#define CHECK(cond, ...) do {					\
	tests++;						\
	if (cond) {						\
		printf("ok %d - ", tests);			\
	} else {						\
		failures++;					\
		printf("not ok %d - ", tests);			\
	}							\
	printf(__VA_ARGS__);					\
	putchar('\n');						\
} while (0)

static inline uint64_t parse_record(const char *tok)
{
	uint64_t pc = strtoull(tok + 1, NULL, 16);
	int delta, mindelta;

	switch (tok[0]) {
	case 'E':
		return KCT_RECORD_TYPE_ENTRY | pc;
	case 'X':
		return KCT_RECORD_TYPE_EXIT | pc;
	case 'B':
		return KCT_RECORD_TYPE_NORMAL | pc;
	case '?':
		return KCT_RECORD(0x5, pc);
	case 'D':
		if (!strcmp(tok, "Dsat"))
			return KCT_EESUM_RECORD(KCT_EESUM_CLAMP_MAX, 0);
		if (sscanf(tok + 1, "%d/%d", &delta, &mindelta) != 2)
			abort();
		return KCT_EESUM_RECORD(delta, mindelta);
	}
	abort();
}

/* The records of spec, space-separated tokens, into out; how many. */
static inline size_t parse_records(const char *spec, uint64_t *out)
{
	char buf[4096], *save, *tok;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		out[n++] = parse_record(tok);
	return n;
}

#endif
