// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of kcovtrace record's stream cuts (tools/kcovtrace/record-cut.c)
 * on synthetic buffers, in the notation of tests/lib/test-decode.c:
 * E1 = entry at pc 1, X1 = exit at pc 1, B1 = block at pc 1, D1/-2 = EESUM
 * record with delta 1 and mindelta -2, Dsat = a saturated one.  And the
 * streams record writes of a task whose records it filters in userspace
 * (the kernel refused KCOV_FILTER), on a kcov buffer played by a file
 * (linked with -Wl,--wrap=ioctl, as tests/lib/test-session.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "record-cut.h"
#include "../lib/testlib.h"
#include "kcov_uapi.h"

/* A record of kind (KCT_RECORD_KIND_*) at pc. */
#define R(kind, pc)	KCT_RECORD(KCT_RECORD_KIND_##kind, pc)

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
	uint64_t rec[64], n = parse_records(records, rec);
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

/* returned: the records end at the syscall-exit stop. */
static void check_syscall(const char *name, const char *records, syscall_pc_fn fn, bool returned,
			  bool ok, uint64_t from, uint64_t to)
{
	uint64_t rec[64], n = parse_records(records, rec), f = 0, t = 0;
	bool got = cut_syscall(rec, n, fn, NULL, returned, &f, &t);
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
	uint64_t rec[64], n = parse_records(records, rec);

	sections[0] = '\0';
	cut_sections(rec, n, add_section, NULL);
	check(!strcmp(sections, want), name, records, sections);
}

/* ---- record-cut.c's userspace filter, on a fake kcov buffer ---- */

int __real_ioctl(int fd, unsigned long request, ...);

/* The fake device: KCOV_INIT_TRACE works, the rest is the file's. */
int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (request == KCOV_INIT_TRACE)
		return 0;
	return __real_ioctl(fd, request, arg);
}

static char emitted[1024];
static bool show_start;		/* each stream's start too, as @N */

/* A stream as [records], an exec's as exec[...]; "lost+" before one that
 * goes on after lost records, "+lost" after one whose buffer filled up. */
static void emit(void *ctx, const struct stream_meta *m, const uint64_t *rec, uint64_t count)
{
	static const char kinds[16] = { 'E', 'X', 'D', [15] = 'B' };
	size_t len = strlen(emitted);

	len += snprintf(emitted + len, sizeof(emitted) - len, "%s%s%s[", len ? " " : "",
			m->resumed ? "lost+" : "", m->kind == KCT_STREAM_KIND_EXEC ? "exec" : "");
	for (uint64_t i = 0, n; i < count; i += n) {
		/* A run of more than 8 equal records as R*N, as written. */
		for (n = 1; i + n < count && rec[i + n] == rec[i]; n++)
			;
		if (n <= 8)
			n = 1;
		len += snprintf(emitted + len, sizeof(emitted) - len, "%s%c%llx", i ? " " : "",
				kinds[KCT_RECORD_KIND(rec[i])],
				(unsigned long long)(rec[i] & KCT_RECORD_IP_MASK));
		if (n > 1)
			len += snprintf(emitted + len, sizeof(emitted) - len, "*%llu",
					(unsigned long long)n);
	}
	len += snprintf(emitted + len, sizeof(emitted) - len, "]%s", m->overflow ? "+lost" : "");
	if (show_start)
		snprintf(emitted + len, sizeof(emitted) - len, "@%llu", (unsigned long long)m->start);
}

/* The records the task wrote since the last reset: the count, then them.
 * R*N is N records R, to fill a buffer of 512 words (511 records). */
static void kernel_writes(int fd, const char *records)
{
	char buf[1024], *save, *tok;
	uint64_t rec[512], n = 0;

	snprintf(buf, sizeof(buf), "%s", records);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *star = strchr(tok, '*');
		unsigned long times = star ? strtoul(star + 1, NULL, 10) : 1;

		if (star)
			*star = '\0';
		while (times-- && n < 511)
			rec[++n] = parse_record(tok);
	}
	rec[0] = n;
	if (pwrite(fd, rec, (n + 1) * sizeof(rec[0]), 0) != (ssize_t)((n + 1) * sizeof(rec[0])))
		abort();
}

static int no_symbols(void *ctx, uint64_t pc)
{
	return -1;
}

/*
 * The command's main task, its records written in chunks to a buffer of
 * words words, each chunk followed by the event given: the streams
 * emitted.  chunks: "records|event" separated by ";", event S (syscall
 * entry), s (syscall exit), e (its exec), x (exit).  With max_depth, the
 * task is followed with that filter, and KCOV_FILTER answered filter_err.
 */
static void check_task(const char *name, uint64_t words, uint32_t max_depth, int filter_err,
		       bool syscalls, const char *chunks, const char *want)
{
	KCT_OPTS(kct_filter_opts, fo, .max_depth = max_depth);
	char path[] = "/tmp/kcovtrace-test-cut.XXXXXX", *copy = strdup(chunks), *save = NULL;
	int fd = mkstemp(path);
	KCT_OPTS(kct_session_opts, so, .buffer_words = words, .device = path);
	bool wanted[64] = { [39] = true };
	uint64_t matched[64] = { 0 };
	struct streams s = {
		.emit = emit, .syscalls = syscalls, .wanted = wanted, .nr_wanted = 64,
		.matched = matched, .is_syscall = no_symbols, .filter = max_depth ? &fo : NULL,
	};
	/* Only the command's main task has an exec that starts it. */
	struct follow_task t = { .tid = 5, .pid = 5, .ppid = 1, .comm = "t",
				 .main = strstr(chunks, "|e") != NULL,
				 .mode = KCT_MODE_TRACE_PC_EXT, .filter_err = filter_err };
	struct follow_event ev = { .task = &t, .old_tid = 5, .old_comm = "t" };
	int err = 0;

	if (fd < 0 || ftruncate(fd, words * sizeof(uint64_t)) || kct_session_open(&so, &t.kcov))
		abort();
	emitted[0] = '\0';
	ev.type = FOLLOW_NEW;
	err |= streams_event(&s, &ev);
	for (char *c = strtok_r(copy, ";", &save); c; c = strtok_r(NULL, ";", &save)) {
		char *bar = strchr(c, '|');

		*bar = '\0';
		kernel_writes(fd, c);
		ev.type = bar[1] == 'S' ? FOLLOW_SYSCALL_ENTRY :
			  bar[1] == 's' ? FOLLOW_SYSCALL_EXIT :
			  bar[1] == 'e' ? FOLLOW_EXEC : FOLLOW_EXIT;
		/* A call asked for (39) at entries written S39, else 1;
		 * execve (59) at an exec.  follow.c counts the exec first. */
		ev.nr = bar[2] ? atoi(bar + 2) : bar[1] == 'e' ? 59 : 1;
		t.execs += ev.type == FOLLOW_EXEC;
		err |= streams_event(&s, &ev);
	}
	/* A task not said to exit exits now, with nothing more written:
	 * its state is freed, and nothing is emitted of it. */
	if (ev.type != FOLLOW_EXIT) {
		kernel_writes(fd, "");
		ev.type = FOLLOW_EXIT;
		err |= streams_event(&s, &ev);
	}
	check(!err && !strcmp(emitted, want), name, chunks, emitted);
	kct_session_close(t.kcov);
	close(fd);
	unlink(path);
	free(copy);
}

/*
 * KCOV_TRACE_MEMORY_ACCESS: the cuts frame the records, an ENTRY of two
 * words and a MEMORY record of five (or more), whose words may look like
 * any record (an address with an exit's nibble, a value with an entry's);
 * every cut falls between records.  Buffers written word by word.
 */
static void test_memory_mode(void)
{
	const struct framing m5 = { KCT_MODE_TRACE_MEMORY_ACCESS, 5 };
	const struct framing m6 = { KCT_MODE_TRACE_MEMORY_ACCESS, 6 };
	uint64_t w[32], f = 0, t = 0;
	struct cut c;
	size_t n = 0;
	bool ok;

	w[n++] = R(EXIT, 0xffffff81000001);		/* 0: X, the stop's */
	w[n++] = R(EXIT, 0xffffff81000002);		/* 1: X, the stop's: lowest */
	w[n++] = R(MEMORY, 0xffffff81000003);		/* 2: MEMORY */
	w[n++] = R(EXIT, 0);		/*    addr: an exit's nibble */
	w[n++] = KCT_ACCESS_WORD2(8, 0);		/*    size 8 */
	w[n++] = R(EXIT, 0x1);		/*    time: an exit's nibble */
	w[n++] = R(ENTRY, 0xffffff81000099);		/*    value: an entry's nibble */
	w[n++] = R(ENTRY, 0xffffff81000004);		/* 7: ENTRY */
	w[n++] = 0xffffffff81234567ULL;		/*    call site: a block's nibble */
	w[n++] = R(NORMAL, 0xffffff81000005);		/* 9: BLOCK */
	w[n++] = R(EXIT, 0xffffff81000006);		/* 10: EXIT */
	w[n++] = R(ENTRY, 0xffffff81000007);		/* 11: ENTRY, open at the end */
	w[n++] = R(EXIT, 0xffffff81000008);		/*    call site: an exit's nibble */
	w[n++] = R(WAIT, 0x3);		/* 13: WAIT */
	ok = cut_scan_framed(w, n, &m5, &c);
	check(ok && c.start == 2 && c.open == 11, "memory mode: the scan frames the records",
	      "X X M(5) E(2) B X E(2) W", ok ? "framed otherwise" : "false");

	/* A MEMORY record cut off by the end: after the last whole record. */
	w[14] = R(MEMORY, 0xffffff81000009);
	w[15] = 0xffff888000000000ULL;
	ok = cut_scan_framed(w, 16, &m5, &c);
	check(ok && c.start == 2 && c.open == 11,
	      "memory mode: a record cut off at the end changes no cut", "... M(2 of 5)",
	      ok ? "framed otherwise" : "false");

	/* A type the mode does not have: nothing cut. */
	w[13] = KCT_RECORD(0x6, 0);
	ok = cut_scan_framed(w, 14, &m5, &c);
	check(!ok && c.start == 0 && c.open == 14, "memory mode: a record of type 6: nothing cut",
	      "... 6", ok ? "cut" : "false");
	w[13] = R(WAIT, 0x3);

	/* N = 6: the sixth word of each MEMORY record is skipped. */
	n = 0;
	w[n++] = R(EXIT, 0xffffff81000001);		/* 0: X */
	w[n++] = R(MEMORY, 0xffffff81000003);		/* 1: MEMORY of 6 */
	w[n++] = 0x1000;
	w[n++] = KCT_ACCESS_WORD2(4, KCT_ACCESS_F_WRITE);
	w[n++] = 7;
	w[n++] = 0;
	w[n++] = R(EXIT, 0xffffff810000ff);		/*    word 6: an exit's nibble */
	w[n++] = R(ENTRY, 0xffffff81000004);		/* 7: ENTRY, open */
	w[n++] = 0xffffffff81000010ULL;
	ok = cut_scan_framed(w, n, &m6, &c);
	check(ok && c.start == 1 && c.open == 7, "memory mode: MEMORY records of 6 words",
	      "X M(6) E(2)", ok ? "framed otherwise" : "false");

	/* --syscalls: the named syscall's frame, an access in it. */
	n = 0;
	w[n++] = R(EXIT, 0xffffff81000001);		/* 0: X, the stop's */
	w[n++] = R(ENTRY, 0xffffff81000501);		/* 1: ENTRY of the syscall */
	w[n++] = R(EXIT, 0xffffff81000002);		/*    call site, an exit's nibble */
	w[n++] = R(MEMORY, 0xffffff81000502);		/* 3: MEMORY */
	w[n++] = R(EXIT, 0);
	w[n++] = 4;
	w[n++] = R(EXIT, 0);
	w[n++] = 0;
	w[n++] = R(EXIT, 0xffffff81000503);		/* 8: EXIT of the syscall */
	w[n++] = R(ENTRY, 0xffffff81000006);		/* 9: ENTRY of the exit stop */
	w[n++] = 0xffffffff81000007ULL;
	ok = cut_syscall_framed(w, n, &m5, named, NULL, true, &f, &t);
	check(ok && f == 1 && t == 9, "memory mode: the syscall's frame, whole records",
	      "X E(2) M(5) X E(2)", ok ? "framed otherwise" : "false");

	/* Remote sections: each top-level frame, whole records. */
	sections[0] = '\0';
	cut_sections_framed(w + 1, n - 1, &m5, add_section, NULL);
	check(!strcmp(sections, "[0,8)[8,10)"), "memory mode: remote sections, whole records",
	      "E(2) M(5) X E(2)", sections);
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
		      "X1 X2 E501 B501 X501 E3 E4", NULL, true, true, 2, 5);
	/* E6: an interrupt's exit work (7.3's __hrtimer_rearm_deferred()),
	 * which can be larger than the syscall's frame. */
	check_syscall("by structure: every top-level frame between the stops",
		      "X1 E6 X6 E501 B501 B501 X501 E3", NULL, true, true, 1, 7);
	check_syscall("by structure: an interrupt's exit work larger than the syscall is kept with it",
		      "X1 X2 E6 B6 B6 B6 X6 E501 X501 E3 E4", NULL, true, true, 2, 9);
	check_syscall("by structure: an interrupt's exit work after the syscall",
		      "X1 E501 X501 E6 B6 B6 X6 E3", NULL, true, true, 1, 7);
	check_syscall("by structure: no frame returned before the exit stop, an empty stream",
		      "X1 X2 E3 E4", NULL, true, true, 2, 2);
	check_syscall("by name: the syscall's entry point, though smaller",
		      "X1 E6 B6 B6 X6 E501 X501 E3", named, true, true, 5, 7);
	check_syscall("a syscall that does not return: the first frame left open",
		      "X1 X2 E7 E8 B8", NULL, false, true, 2, 5);
	check_syscall("a syscall that does not return, after an interrupt's exit work: both",
		      "X1 E6 B6 X6 E7 E8 B8", NULL, false, true, 1, 7);
	check_syscall("named, and cut short by a full buffer", "X1 E6 X6 E501 E8", named, false, true,
		      3, 5);
	check_syscall("classic records: no frame to cut to", "B1 B2", NULL, true, false, 0, 0);

	/* Remote sections: a top-level frame each. */
	check_sections("sections", "E1 B1 X1 E2 E3 X3 X2 E4 B4", "[0,3)[3,7)[7,9)");
	check_sections("a section with an EESUM record", "E1 D1/0 X5 X1 E2 X2", "[0,4)[4,6)");
	check_sections("classic: the whole buffer", "B1 B2", "[0,2)");
	check_sections("nothing", "", "");

	/*
	 * max_depth 1: X10, X11 at depth 0 (the stop's end, cut), E20 d 1
	 * and its block kept, E30 d 2 and what it does hidden, X22 of depth
	 * 1 kept; E40 d 1 kept, E50 d 2 not.
	 */
	check_task("filtered in userspace: the task's stream of what the filter keeps", 512, 1,
		       -ENOTTY, false, "X10 X11 E20 B21 E30 B31 X32 X22 E40 E50|x",
		       "[E20 B21 X22 E40]");
	check_task("filtered by the kernel: the records as they are", 512, 1, 0, false,
		       "X10 E20 E30 X30 X20|x", "[E20 E30 X30 X20]");
	/*
	 * --syscalls, max_depth 2: the depth goes on across the resets at
	 * each stop.  After the call not asked for, d 3 (E30 hidden); after
	 * the entry of call 39, d 3 again (E31 hidden).  At its exit: X31 of
	 * depth 3 hidden, X21 kept, E22 kept, E32 and what it does hidden,
	 * X23 kept, E24 kept, E35 not: the call is E22 X23.  (Counted from 0
	 * at the last reset, E32 B33 X34 would show.)
	 */
	check_task("--syscalls filtered in userspace: the depth counts across every reset", 512, 2,
		       -ENOTTY, true,
		       "E10 E20 E30|S;X30 X20 X10 E10 E21 E31|S39;"
		       "X31 X21 E22 E32 B33 X34 X23 E24 E35|s",
		       "[E22 X23]");

	/*
	 * The command's exec: before its stop, the end of the stop the task
	 * was started from (X1) and kcovtrace's child (E3 X3), then the exec
	 * (E4 E5 B5 B6) until the buffer of 8 words fills up.  After the
	 * stop, the records since the reset at it: the end of the stop (X7,
	 * entered among the lost records), the exec's way back (X5 X4), then
	 * the program (E8 B8 X8).  With the buffer of 512 words full at the
	 * exec's stop, what was lost lies between the last B6 and X7: two
	 * streams of the exec, not one in which X7 closes E5's frame.
	 */
	check_task("the exec: one stream from its start to its return", 512, 0, 0, false,
		   "X1 E3 X3 E4 E5 B5|e;X7 X5 X4 E8 B8 X8|x",
		   "exec[E4 E5 B5 X7 X5 X4] [E8 B8 X8]");
	check_task("the exec's buffer filled up: two streams, the loss between them", 512, 0, 0,
		   false, "X1 E3 X3 E4 E5 B5 B6*505|e;X7 X5 X4 E8 B8 X8|x",
		   "exec[E4 E5 B5 B6*505]+lost lost+exec[X7 X5 X4] [E8 B8 X8]");
	/*
	 * When each stream started, for the trace's seq, by the events: the
	 * task's first stop (1), its exec's (2), its exit (3).  The exec is
	 * marked by its stop, the program's own run and the records after a
	 * loss by the reset there: 2 for all three, which a reader numbers
	 * in the order written, as here.  A syscall starts at its entry stop.
	 */
	show_start = true;
	check_task("when the streams started: the exec before the program", 512, 0, 0, false,
		   "X1 E3 X3 E4 E5 B5|e;X7 X5 X4 E8 B8 X8|x",
		   "exec[E4 E5 B5 X7 X5 X4]@2 [E8 B8 X8]@2");
	check_task("when the streams started: after a loss, at the stop", 512, 0, 0, false,
		   "X1 E3 X3 E4 E5 B5 B6*505|e;X7 X5 X4 E8 B8 X8|x",
		   "exec[E4 E5 B5 B6*505]+lost@2 lost+exec[X7 X5 X4]@2 [E8 B8 X8]@2");
	check_task("when the streams started: syscalls at their entry stops", 512, 0, 0, true,
		   "X1|S39;E39 X39 E2|s;X2|S39;E39 X39 E3|s;X3|x",
		   "[E39 X39]@2 [E39 X39]@4");
	show_start = false;

	test_memory_mode();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
