// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of kcovtrace record's stream cuts (tools/kcovtrace/streams.c)
 * on synthetic buffers, in the notation of tests/lib/test-decode.c:
 * E1 = entry at pc 1, X1 = exit at pc 1, B1 = block at pc 1, D1/-2 = EESUM
 * record with delta 1 and mindelta -2, Dsat = a saturated one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streams.h"

static int tests, failures;

static uint64_t parse_record(const char *tok)
{
	uint64_t pc = strtoull(tok + 1, NULL, 16);

	switch (tok[0]) {
	case 'E':
		return KCT_RECORD_TYPE_ENTRY | pc;
	case 'X':
		return KCT_RECORD_TYPE_EXIT | pc;
	case 'B':
		return KCT_RECORD_TYPE_NORMAL | pc;
	case 'D':
		if (!strcmp(tok, "Dsat"))
			return KCT_EESUM_RECORD(KCT_EESUM_CLAMP_MAX, 0);
		return KCT_EESUM_RECORD(atoi(tok + 1), atoi(strchr(tok, '/') + 1));
	}
	abort();
}

static uint64_t parse(const char *s, uint64_t *rec)
{
	char *copy = strdup(s), *save = NULL;
	uint64_t n = 0;

	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		rec[n++] = parse_record(t);
	free(copy);
	return n;
}

static void check(bool cond, const char *name, const char *records, const char *got)
{
	printf("%s %d - %s: %s\n", cond ? "ok" : "not ok", ++tests, name, records);
	if (!cond) {
		printf("# got %s\n", got);
		failures++;
	}
}

static void check_scan(const char *name, const char *records, bool ok, uint64_t start, uint64_t open)
{
	uint64_t rec[64], n = parse(records, rec);
	struct cut c;
	bool got = cut_scan(rec, n, &c);
	char buf[128];

	snprintf(buf, sizeof(buf), "%s start %llu open %llu", got ? "true" : "false",
		 (unsigned long long)c.start, (unsigned long long)c.open);
	check(got == ok && c.start == start && c.open == (open == (uint64_t)-1 ? n : open), name,
	      records, buf);
}

/* A syscall's entry points are at pc 0x5xx. */
static int named(void *ctx, uint64_t pc)
{
	return ((pc & KCT_RECORD_IP_MASK) >> 8) == 5;
}

static void check_syscall(const char *name, const char *records, syscall_pc_fn fn, bool ok,
			  uint64_t from, uint64_t to)
{
	uint64_t rec[64], n = parse(records, rec), f = 0, t = 0;
	bool got = cut_syscall(rec, n, fn, NULL, &f, &t);
	char buf[128];

	snprintf(buf, sizeof(buf), "%s [%llu, %llu)", got ? "true" : "false",
		 (unsigned long long)f, (unsigned long long)t);
	check(got == ok && (!ok || (f == from && t == to)), name, records, buf);
}

static char sections[256];

static void add_section(void *ctx, uint64_t from, uint64_t to)
{
	snprintf(sections + strlen(sections), sizeof(sections) - strlen(sections), "[%llu,%llu)",
		 (unsigned long long)from, (unsigned long long)to);
}

static void check_sections(const char *name, const char *records, const char *want)
{
	uint64_t rec[64], n = parse(records, rec);

	sections[0] = '\0';
	cut_sections(rec, n, add_section, NULL);
	check(!strcmp(sections, want), name, records, sections);
}

int main(void)
{
	/* After a ptrace stop: the stop's exits, then the task's own. */
	check_scan("the stop's end is cut", "X1 B2 X3 E4 B4 X4 E5 X5", true, 3, -1);
	check_scan("nothing to cut after a reset in user mode", "E4 B4 X4 E5", true, 0, 3);
	check_scan("a frame entered within the stop's end goes with it",
		   "E6 X6 X1 X2 E4 X4", true, 4, -1);
	check_scan("at an exec stop: the exec's entry is the outermost open frame",
		   "X1 X2 E4 X4 E5 E6 X6 E7 B7", true, 2, 4);
	check_scan("an EESUM record in the stop's end", "X1 D1/-1 X2 X3 E4 X4", true, 4, -1);
	check_scan("frames pushed by an EESUM record, open at the end", "X1 E4 X4 D2/0", true, 1, 3);
	check_scan("classic records: nothing to cut", "B1 B2 B3", false, 0, -1);
	check_scan("across an EESUM record that cannot be balanced: nothing cut",
		   "X1 E4 Dsat X4", false, 0, -1);
	check_scan("never back at its lowest depth: nothing cut", "X1 D1/-2 X2", false, 0, -1);
	check_scan("an empty buffer", "", false, 0, -1);

	/* --syscalls: the syscall's frame from the entry stop to the exit stop. */
	check_syscall("the syscall's frame, between the two stops' frames",
		      "X1 X2 E501 B501 X501 E3 E4", NULL, true, 2, 5);
	check_syscall("by structure: the largest frame that returned",
		      "X1 E6 X6 E501 B501 B501 X501 E3", NULL, true, 3, 7);
	check_syscall("by name: the syscall's entry point, though smaller",
		      "X1 E6 B6 B6 X6 E501 X501 E3", named, true, 5, 7);
	check_syscall("a syscall that does not return: the first frame left open",
		      "X1 X2 E7 E8 B8", NULL, true, 2, 5);
	check_syscall("named, and cut short by a full buffer", "X1 E6 X6 E501 E8", named, true, 3, 5);
	check_syscall("classic records: no frame to cut to", "B1 B2", NULL, false, 0, 0);

	/* Remote sections: a top-level frame each. */
	check_sections("sections", "E1 B1 X1 E2 E3 X3 X2 E4 B4", "[0,3)[3,7)[7,9)");
	check_sections("a section with an EESUM record", "E1 D1/0 X5 X1 E2 X2", "[0,4)[4,6)");
	check_sections("classic: the whole buffer", "B1 B2", "[0,2)");
	check_sections("nothing", "", "");

	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
