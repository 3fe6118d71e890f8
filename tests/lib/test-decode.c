// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the record-stream decoder on synthetic streams.  Each case
 * gives records in a small notation and the events expected from them, both
 * derived by hand from the record format:
 *
 *   records:  E1 = entry at pc 1, X1 = exit at pc 1, B1 = block at pc 1,
 *             ?1 = a record of unknown type 0x5 at pc 1,
 *             R2.1 = resync record, 2 frames exited, 1 entered
 *   events:   "depth:type:pc[:flags]" with type E/B/X, "depth:R:exited.entered"
 *             for resync, flags u (unknown caller), f (unfinished),
 *             s (synthetic), S (reported by a resync), x (saturated)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcovtrace.h"

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
	case '?':
		return 0x5000000000000000ULL | pc;
	case 'R': {
		unsigned long long exited, entered;

		if (sscanf(tok + 1, "%llu.%llu", &exited, &entered) != 2)
			abort();
		return KCT_RECORD_TYPE_RESYNC | exited | entered << 28;
	}
	}
	abort();
}

static size_t parse_records(const char *spec, uint64_t *out)
{
	char buf[4096], *save, *tok;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		out[n++] = parse_record(tok);
	return n;
}

static void format_event(const struct kct_event *ev, char *buf, size_t size)
{
	static const char type[] = { 'E', 'B', 'X', 'R' };
	int n;

	if (ev->type == KCT_EVENT_RESYNC)
		n = snprintf(buf, size, "%u:R:%u.%u", ev->depth, ev->exited, ev->entered);
	else
		n = snprintf(buf, size, "%u:%c:%llx", ev->depth, type[ev->type],
			     (unsigned long long)(ev->pc & KCT_RECORD_IP_MASK));
	if (ev->flags)
		snprintf(buf + n, size - n, ":%s%s%s%s%s",
			 ev->flags & KCT_EVENT_F_UNKNOWN_CALLER ? "u" : "",
			 ev->flags & KCT_EVENT_F_UNFINISHED ? "f" : "",
			 ev->flags & KCT_EVENT_F_SYNTHETIC ? "s" : "",
			 ev->flags & KCT_EVENT_F_SUPPRESSED ? "S" : "",
			 ev->flags & KCT_EVENT_F_SATURATED ? "x" : "");
}

/* Decodes spec and compares the events with want (space-separated). */
static void check_events(const char *name, struct kct_decoder *dec, const char *want)
{
	char got[8192] = "", ev_str[64];
	struct kct_event ev;
	size_t len = 0;
	int err;

	while ((err = kct_decoder_next(dec, &ev)) > 0) {
		format_event(&ev, ev_str, sizeof(ev_str));
		if (len + strlen(ev_str) + 2 < sizeof(got))
			len += sprintf(got + len, "%s%s", len ? " " : "", ev_str);
	}
	tests++;
	if (err < 0 || strcmp(got, want)) {
		failures++;
		printf("not ok %d - %s\n# want: %s\n# got:  %s (err %d)\n", tests, name, want, got, err);
	} else {
		printf("ok %d - %s\n", tests, name);
	}
}

static void check_case(const char *name, const char *records, const char *want)
{
	uint64_t recs[512];
	size_t n = parse_records(records, recs);
	struct kct_decoder *dec;
	char path[] = "/tmp/kct-test-XXXXXX";
	int fd, err;

	err = kct_decoder_new_mem(recs, n, NULL, &dec);
	if (err) {
		printf("not ok %d - %s: kct_decoder_new_mem: %d\n", ++tests, name, err);
		failures++;
		return;
	}
	check_events(name, dec, want);
	kct_decoder_free(dec);

	/* The file-backed decoder must agree, whatever its chunking. */
	fd = mkstemp(path);
	if (fd < 0 || write(fd, "pad.", 4) != 4 ||
	    write(fd, recs, n * sizeof(*recs)) != (ssize_t)(n * sizeof(*recs)))
		abort();
	unlink(path);
	err = kct_decoder_new_fd(fd, 4, n, NULL, &dec);
	if (!err) {
		char fd_name[256];

		snprintf(fd_name, sizeof(fd_name), "%s (from a file)", name);
		check_events(fd_name, dec, want);
		kct_decoder_free(dec);
	}
	close(fd);
}

static void check_stats(void)
{
	uint64_t recs[16];
	size_t n = parse_records("X1 B2 ?3 E4 E5 X5", recs);
	struct kct_decoder_stats st;
	struct kct_decoder *dec;
	struct kct_event ev;

	if (kct_decoder_new_mem(recs, n, NULL, &dec))
		abort();
	while (kct_decoder_next(dec, &ev) > 0)
		;
	kct_decoder_stats(dec, &st);
	tests++;
	if (st.records != 6 || st.enters != 2 || st.exits != 2 || st.blocks != 1 ||
	    st.unknown != 1 || st.orphan_exits != 1 || st.unfinished != 1 || st.max_depth != 2) {
		failures++;
		printf("not ok %d - statistics\n", tests);
	} else {
		printf("ok %d - statistics\n", tests);
	}
	kct_decoder_free(dec);
}

static void check_depth_limit(void)
{
	uint64_t recs[64];
	struct kct_decoder_opts opts = { .sz = sizeof(opts), .max_depth = 8 };
	struct kct_decoder *dec;
	struct kct_event ev;
	int err;

	for (int i = 0; i < 64; i++)
		recs[i] = KCT_RECORD_TYPE_ENTRY | i;
	if (kct_decoder_new_mem(recs, 64, &opts, &dec))
		abort();
	while ((err = kct_decoder_next(dec, &ev)) > 0)
		;
	tests++;
	if (err != -E2BIG) {
		failures++;
		printf("not ok %d - depth limit: got %d\n", tests, err);
	} else {
		printf("ok %d - a stream deeper than max_depth is refused with E2BIG\n", tests);
	}
	kct_decoder_free(dec);
}

/* Across many windows, the file-backed decoder sees what memory sees: from
 * an aligned offset it maps the file, from an odd one it reads it. */
static void check_chunking(unsigned int pad)
{
	enum { N = 2500003 };	/* more than one window either way */
	uint64_t *recs = malloc(N * sizeof(*recs)), x = 12345;
	struct kct_decoder *a, *b;
	struct kct_event ea, eb;
	char path[] = "/tmp/kct-test-XXXXXX";
	int fd, ra, rb, depth = 0;
	uint64_t events = 0;
	bool same = true;

	for (int i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		switch (x % 3) {
		case 0: recs[i] = KCT_RECORD_TYPE_ENTRY | (x >> 8 & 0xffff); depth++; break;
		case 1: recs[i] = KCT_RECORD_TYPE_NORMAL | (x >> 8 & 0xffff); break;
		default: recs[i] = KCT_RECORD_TYPE_EXIT | (x >> 8 & 0xffff); depth--; break;
		}
	}
	fd = mkstemp(path);
	if (fd < 0 || write(fd, "padding", pad) != pad ||
	    write(fd, recs, N * sizeof(*recs)) != N * (ssize_t)sizeof(*recs))
		abort();
	unlink(path);
	if (kct_decoder_new_mem(recs, N, NULL, &a) || kct_decoder_new_fd(fd, pad, N, NULL, &b))
		abort();
	do {
		ra = kct_decoder_next(a, &ea);
		rb = kct_decoder_next(b, &eb);
		if (ra != rb || (ra > 0 && memcmp(&ea, &eb, sizeof(ea))))
			same = false;
		events += ra > 0;
	} while (same && ra > 0);
	tests++;
	if (!same || events < N) {
		failures++;
		printf("not ok %d - %s file decoding equals memory decoding\n", tests,
		       pad % 8 ? "read" : "mapped");
	} else {
		printf("ok %d - %s file decoding equals memory decoding (%llu events)\n",
		       tests, pad % 8 ? "read" : "mapped", (unsigned long long)events);
	}
	kct_decoder_free(a);
	kct_decoder_free(b);
	close(fd);
	free(recs);
	(void)depth;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_case("empty stream", "", "");
	check_case("one call", "E10 B11 X12", "0:E:10 1:B:11 0:X:12");
	check_case("nested calls",
		   "E10 E20 B21 X22 B11 E30 X31 X12",
		   "0:E:10 1:E:20 2:B:21 1:X:22 1:B:11 1:E:30 1:X:31 0:X:12");
	check_case("classic stream: blocks only", "B1 B2 B3", "0:B:1 0:B:2 0:B:3");
	check_case("starts mid-stack: exits of an unknown caller",
		   "B5 X6 B7 X8 E9 X9",
		   "0:E:8:us 1:E:6:us 2:B:5 1:X:6 1:B:7 0:X:8 0:E:9 0:X:9");
	check_case("truncated: open frames end unfinished",
		   "E1 E2 B3",
		   "0:E:1 1:E:2 2:B:3 1:X:2:fs 0:X:1:fs");
	check_case("both ends cut", "X1 E2",
		   "0:E:1:us 0:X:1 0:E:2 0:X:2:fs");
	check_case("unknown record types are skipped", "E1 ?2 B3 ?4 X5",
		   "0:E:1 1:B:3 0:X:5");
	check_case("resync: a frame entered while suppressed is still open",
		   "E1 B2 R0.1 X3 X4",
		   "0:E:1 1:B:2 1:R:0.1 1:E:0:sS 1:X:3 0:X:4");
	check_case("resync: a frame open before the window exited in it",
		   "E1 E2 R1.0 B3 X4",
		   "0:E:1 1:E:2 2:R:1.0 1:X:2:sS 1:B:3 0:X:4");
	check_case("resync: both, after several frames",
		   "E1 E2 E3 R3.2 X4 X5 X6",
		   "0:E:6:us 1:E:1 2:E:2 3:E:3 4:R:3.2 3:X:3:sS 2:X:2:sS 1:X:1:sS "
		   "1:E:0:sS 2:E:0:sS 2:X:4 1:X:5 0:X:6");
	check_case("resync: nothing happened", "E1 R0.0 X2", "0:E:1 1:R:0.0 0:X:2");
	check_case("resync: past the start of the stream",
		   "R1.0 B2", "0:E:0:us 1:R:1.0 0:X:0:sS 0:B:2");
	check_case("resync: a saturated count is flagged and not applied",
		   "E1 R0.268435455 X2", "0:E:1 1:R:0.268435455:x 0:X:2");
	check_stats();
	check_depth_limit();
	check_chunking(0);
	check_chunking(4);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
