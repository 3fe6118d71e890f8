// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of kcovtrace race's analysis (tools/kcovtrace/race-interfere.c)
 * on KCOV_TRACE_MEMORY_ACCESS streams built word by word: the delay
 * injection stack of each access (ordinals of repeated calls and of
 * repeated accesses at one PC, frames that EESUM records open), the
 * interference set of two threads, and stacks as text.  The expected
 * stacks and ranges are worked out by hand from the records below, by the
 * rules of kcov.rst ("Delay injection") and MAccConc's interference sets.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "race-interfere.h"
#include "../lib/testlib.h"

#define PC(x)		(0xffffffff81000000ULL + (x))

/* A stream being built. */
struct words {
	uint64_t w[512];
	uint64_t n;
};

static void enter(struct words *s, uint64_t pc)
{
	s->w[s->n++] = KCT_RECORD(KCT_RECORD_KIND_ENTRY, pc);
	s->w[s->n++] = PC(0xfff0);	/* the call site */
}

static void leave(struct words *s, uint64_t pc)
{
	s->w[s->n++] = KCT_RECORD(KCT_RECORD_KIND_EXIT, pc);
}

static void eesum(struct words *s, int delta, int mindelta)
{
	s->w[s->n++] = KCT_EESUM_RECORD(delta, mindelta);
}

static void mem(struct words *s, uint64_t pc, uint64_t addr, uint32_t size, uint32_t flags)
{
	s->w[s->n++] = KCT_RECORD(KCT_RECORD_KIND_MEMORY, pc);
	s->w[s->n++] = addr;
	s->w[s->n++] = KCT_ACCESS_WORD2(size, flags);
	s->w[s->n] = s->n;	/* time */
	s->n++;
	s->w[s->n++] = 0;
}

static void build(struct race_trace *t, const struct words *s)
{
	int err = race_trace_build(t, s->w, s->n, KCT_MEMORY_RECORD_WORDS);

	CHECK(!err, "the stream decodes (%d)", err);
}

/* Whether access i's stack is the n elements of want. */
static void check_stack(const struct race_trace *t, size_t i, const struct race_elem *want, int n,
			const char *what)
{
	struct race_elem got[RACE_MAX_ELEMS];
	int k = race_di_stack(t, i, got, RACE_MAX_ELEMS);
	bool same = k == n && (n <= 0 || !memcmp(got, want, (size_t)n * sizeof(*want)));

	CHECK(same, "%s: %d elements, as expected (%d)", what, k, n);
	if (!same && k > 0)
		for (int e = 0; e < k; e++)
			printf("#   got %llx:%llu\n", (unsigned long long)got[e].ip,
			       (unsigned long long)got[e].ord);
}

static void test_ordinals(void)
{
	struct words s = { .n = 0 };
	struct race_trace t;

	/* Two syscalls through F; the second calls G twice; G's second call
	 * makes two accesses at one PC and one at another. */
	enter(&s, PC(0x100));			/* F #0 */
	mem(&s, PC(0x120), 0x1000, 8, 0);	/*   acc 0: F#0 > 0x120#0 */
	leave(&s, PC(0x130));
	enter(&s, PC(0x100));			/* F #1 */
	enter(&s, PC(0x200));			/*   G #0 */
	mem(&s, PC(0x220), 0x1000, 8, 0);	/*     acc 1 */
	leave(&s, PC(0x230));
	enter(&s, PC(0x300));			/*   H #0: another PC, its own count */
	leave(&s, PC(0x330));
	enter(&s, PC(0x200));			/*   G #1 */
	mem(&s, PC(0x220), 0x1000, 8, 0);	/*     acc 2: 0x220#0 */
	mem(&s, PC(0x220), 0x1008, 8, 0);	/*     acc 3: 0x220#1 */
	mem(&s, PC(0x224), 0x1010, 8, 0);	/*     acc 4: 0x224#0 */
	leave(&s, PC(0x230));
	mem(&s, PC(0x120), 0x1000, 8, 0);	/*   acc 5: F#1 > 0x120#0 */
	leave(&s, PC(0x130));
	build(&t, &s);
	CHECK(t.nr_acc == 6, "six accesses (%zu)", t.nr_acc);
	if (t.nr_acc != 6)
		return;
	check_stack(&t, 0, (struct race_elem[]){ { PC(0x100), 0 }, { PC(0x120), 0 } }, 2,
		    "the first call's access");
	check_stack(&t, 1, (struct race_elem[]){ { PC(0x100), 1 }, { PC(0x200), 0 }, { PC(0x220), 0 } },
		    3, "a repeated call to F is F#1");
	check_stack(&t, 2, (struct race_elem[]){ { PC(0x100), 1 }, { PC(0x200), 1 }, { PC(0x220), 0 } },
		    3, "G's second call in F#1 is G#1 (H in between counts apart)");
	check_stack(&t, 3, (struct race_elem[]){ { PC(0x100), 1 }, { PC(0x200), 1 }, { PC(0x220), 1 } },
		    3, "the second access at one PC in a frame is #1");
	check_stack(&t, 4, (struct race_elem[]){ { PC(0x100), 1 }, { PC(0x200), 1 }, { PC(0x224), 0 } },
		    3, "an access at another PC counts from 0");
	check_stack(&t, 5, (struct race_elem[]){ { PC(0x100), 1 }, { PC(0x120), 0 } }, 2,
		    "accesses count per frame: F#1's first at 0x120 is #0");
	{
		struct race_elem e[2];

		CHECK(race_di_stack(&t, 1, e, 2) == -E2BIG, "a stack longer than max: -E2BIG");
	}
	race_trace_free(&t);
}

static void test_eesum(void)
{
	struct words s = { .n = 0 };
	struct race_trace t;

	enter(&s, PC(0x100));			/* A #0 */
	enter(&s, PC(0x200));			/*   B #0 */
	eesum(&s, -1, -1);			/*   B returned unseen */
	mem(&s, PC(0x140), 0x1000, 4, 0);	/* acc 0: in A */
	eesum(&s, 1, 0);			/*   a call entered unseen */
	mem(&s, PC(0x150), 0x1000, 4, 0);	/*     acc 1: in that frame */
	enter(&s, PC(0x300));			/*       C, under it */
	mem(&s, PC(0x320), 0x1000, 4, 0);	/*         acc 2 */
	leave(&s, PC(0x330));
	leave(&s, PC(0x160));			/*   the unseen frame returns */
	enter(&s, PC(0x200));			/*   B #1: the first B counted */
	mem(&s, PC(0x220), 0x1000, 4, 0);	/*     acc 3 */
	eesum(&s, 0, -1);			/*   B popped, another pushed */
	mem(&s, PC(0x240), 0x1000, 4, 0);	/*     acc 4: unseen frame */
	leave(&s, PC(0x250));
	leave(&s, PC(0x170));
	build(&t, &s);
	CHECK(t.nr_acc == 5, "five accesses (%zu)", t.nr_acc);
	if (t.nr_acc != 5)
		return;
	check_stack(&t, 0, (struct race_elem[]){ { PC(0x100), 0 }, { PC(0x140), 0 } }, 2,
		    "after an EESUM record that pops a frame, the access is its parent's");
	check_stack(&t, 1, NULL, 0, "in a frame an EESUM record opened: no stack (ip 0)");
	check_stack(&t, 2, NULL, 0, "under such a frame: no stack either");
	check_stack(&t, 3, (struct race_elem[]){ { PC(0x100), 0 }, { PC(0x200), 1 }, { PC(0x220), 0 } },
		    3, "the calls before the EESUM record count");
	check_stack(&t, 4, NULL, 0, "after an EESUM record of delta 0 that popped: an unseen frame");
	race_trace_free(&t);
}

static void test_waits(void)
{
	struct words s = { .n = 0 };
	struct race_trace t;

	enter(&s, PC(0x100));
	s.w[s.n++] = KCT_RECORD(KCT_RECORD_KIND_WAKE, 0) | 0;
	s.w[s.n++] = KCT_RECORD(KCT_RECORD_KIND_WAIT, 0) | 1 | KCT_WAIT_TIMEOUT;
	mem(&s, PC(0x120), 0x1000, 4, 0);
	s.w[s.n++] = KCT_RECORD(KCT_RECORD_KIND_WAIT, 0) | 1;
	leave(&s, PC(0x130));
	build(&t, &s);
	CHECK(t.waits == 2 && t.timed_out == 1 && t.wakes == 1,
	      "waits, timed-out waits, wakes: 2 1 1 (%llu %llu %llu)", (unsigned long long)t.waits,
	      (unsigned long long)t.timed_out, (unsigned long long)t.wakes);
	race_trace_free(&t);
}

static void test_interference(void)
{
	struct words a = { .n = 0 }, b = { .n = 0 };
	struct race_trace t[2];
	struct race_interference in;
	/* Which accesses of each thread are candidates, in order. */
	static const bool want0[] = { true, true, false, true, false, false, true };
	static const bool want1[] = { true, true, true, false, false, true };
	bool ok = true;

	enter(&a, PC(0x100));
	mem(&a, PC(0x110), 0x1000, 8, 0);			/* R, B frees it */
	mem(&a, PC(0x114), 0x2000, 4, KCT_ACCESS_F_WRITE);	/* W, B reads a byte */
	mem(&a, PC(0x118), 0x3000, 8, 0);			/* R, B never there */
	mem(&a, PC(0x11c), 0x5004, 2, 0);			/* R, B's RMW */
	mem(&a, PC(0x120), 0x7000, 8, 0);			/* R, B reads too: no */
	mem(&a, PC(0x124), 0x1000, 0, 0);			/* no bytes: no */
	mem(&a, PC(0x128), 0x1040, 8, KCT_ACCESS_F_WRITE);	/* W just past B's free (it
								   ends at 0x103f), over B's
								   read at 0x1044 */
	leave(&a, PC(0x130));
	enter(&b, PC(0x200));
	mem(&b, PC(0x210), 0x1000, 64, KCT_ACCESS_F_WRITE | KCT_ACCESS_F_FREE);
	mem(&b, PC(0x214), 0x2002, 1, 0);
	mem(&b, PC(0x218), 0x5000, 8, KCT_ACCESS_F_RMW);
	mem(&b, PC(0x21c), 0x7000, 8, 0);
	mem(&b, PC(0x220), 0x9000, 8, KCT_ACCESS_F_WRITE);	/* A never there */
	mem(&b, PC(0x224), 0x1044, 4, 0);			/* A writes 0x1040-0x1047 */
	leave(&b, PC(0x230));
	build(&t[0], &a);
	build(&t[1], &b);
	race_interference_build(&in, &t[0], &t[1]);
	for (size_t k = 0; k < t[0].nr_acc && k < 7; k++)
		ok &= race_interferes(&in, 0, &t[0].acc[k]) == want0[k];
	CHECK(ok && t[0].nr_acc == 7,
	      "thread 1's candidates: its read of what thread 2 frees, its write of what thread 2 "
	      "reads, its read of thread 2's RMW; not a read both make, nor one of no bytes");
	ok = true;
	for (size_t k = 0; k < t[1].nr_acc && k < 6; k++)
		ok &= race_interferes(&in, 1, &t[1].acc[k]) == want1[k];
	CHECK(ok && t[1].nr_acc == 6,
	      "thread 2's candidates: the free (a write) of what thread 1 reads, its read of "
	      "what thread 1 writes (twice), its RMW; not a read both make, nor a write thread 1 "
	      "never touches");
	{
		static const struct race_range want[] = {
			{ 0x1000, 0x1007 }, { 0x1044, 0x1047 }, { 0x2002, 0x2002 }, { 0x5004, 0x5005 },
		};
		bool same = in.all.nr == 4 && !memcmp(in.all.r, want, sizeof(want));

		CHECK(same, "the interference ranges: the bytes both touch and one writes (%zu)",
		      in.all.nr);
		for (size_t k = 0; !same && k < in.all.nr; k++)
			printf("#   %llx-%llx\n", (unsigned long long)in.all.r[k].start,
			       (unsigned long long)in.all.r[k].end);
	}
	race_interference_free(&in);
	race_trace_free(&t[0]);
	race_trace_free(&t[1]);
}

static void test_ranges(void)
{
	struct race_ranges a = { 0 }, b = { 0 }, c = { 0 };

	race_ranges_add(&a, 30, 39);
	race_ranges_add(&a, 10, 19);
	race_ranges_add(&a, 20, 25);	/* touches 10-19: merged */
	race_ranges_add(&a, 12, 14);	/* inside */
	race_ranges_add(&a, UINT64_MAX - 3, UINT64_MAX);
	race_ranges_merge(&a);
	CHECK(a.nr == 3 && a.r[0].start == 10 && a.r[0].end == 25 && a.r[1].start == 30 &&
	      a.r[2].end == UINT64_MAX, "merge: sorted, adjacent and overlapping ranges joined");
	race_ranges_add(&b, 0, 10);
	race_ranges_add(&b, 24, 31);
	race_ranges_add(&b, 39, 50);
	race_ranges_merge(&b);
	race_ranges_intersect(&a, &b, &c);
	CHECK(c.nr == 4 && c.r[0].start == 10 && c.r[0].end == 10 && c.r[1].start == 24 &&
	      c.r[1].end == 25 && c.r[2].start == 30 && c.r[2].end == 31 && c.r[3].start == 39 &&
	      c.r[3].end == 39, "intersect: the bytes in both, single bytes at the edges too");
	CHECK(race_ranges_overlap(&a, 25, 29) && !race_ranges_overlap(&a, 26, 29) &&
	      race_ranges_overlap(&a, 0, 10) && !race_ranges_overlap(&a, 0, 9) &&
	      race_ranges_overlap(&a, UINT64_MAX, UINT64_MAX) && !race_ranges_overlap(&c, 40, 100),
	      "overlap: by one byte at either end, not next to a range");
	race_ranges_free(&a);
	race_ranges_free(&b);
	race_ranges_free(&c);
}

static void test_text(void)
{
	struct race_elem e[4] = { { PC(0x100), 0 }, { PC(0x200), 12 }, { PC(0x224), 3 } }, back[4];
	char buf[256];
	int len = race_stack_format(e, 3, buf, sizeof(buf));

	CHECK(!strcmp(buf, "ffffffff81000100:0,ffffffff81000200:12,ffffffff81000224:3") &&
	      len == (int)strlen(buf), "format: IP:ORD, comma-separated (%s)", buf);
	CHECK(race_stack_format(e, 3, buf, 10) == len && strlen(buf) == 9,
	      "format: cut to the buffer, the length it wanted returned");
	CHECK(race_stack_parse("ffffffff81000100:0,ffffffff81000200:12,ffffffff81000224:3",
			       back, 4) == 3 &&
	      !memcmp(back, e, 3 * sizeof(*e)), "parse: what format wrote");
	CHECK(race_stack_parse("0xffffff81000100:0,ffffff81000224:3", back, 4) == 2 &&
	      back[0].ip == PC(0x100) && back[1].ip == PC(0x224),
	      "parse: 0x and a missing top byte taken (the kernel's top byte set)");
	CHECK(race_stack_parse("1:0,2:0,3:0", back, 2) == -E2BIG, "parse: more than max, -E2BIG");
	static const char *const bad[] = { "", "xyz", "100:1,", "0:1", "100:", "100:2;3", ":1",
					   "100:-1", "100", "100:1,,200:1" };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		CHECK(race_stack_parse(bad[k], back, 4) == -EINVAL, "parse refuses '%s'", bad[k]);
}

int main(void)
{
	test_ordinals();
	test_eesum();
	test_waits();
	test_interference();
	test_ranges();
	test_text();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
