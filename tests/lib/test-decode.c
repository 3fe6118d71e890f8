// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the record-stream decoder on synthetic streams.  Each case
 * gives records in a small notation and the events expected from them, both
 * derived by hand from the record format:
 *
 *   records:  E1 = entry at pc 1, X1 = exit at pc 1, B1 = block at pc 1,
 *             ?1 = a record of unknown type 0x5 at pc 1,
 *             D1/-2 = EESUM record, delta 1, mindelta -2
 *   events:   "depth:type:pc[:flags]" with type E/B/X, "depth:D:delta/mindelta"
 *             for EESUM, flags u (unknown caller), f (unfinished),
 *             s (synthetic), S (reported by an EESUM), x (cannot be balanced)
 *
 * A random stream is also checked against a reference decoder written the
 * obvious way, holding the whole stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcovtrace.h"
#include "testlib.h"

#define offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

static void format_event(const struct kct_event *ev, char *buf, size_t size)
{
	static const char type[] = {
		[KCT_EVENT_ENTER] = 'E', [KCT_EVENT_BLOCK] = 'B',
		[KCT_EVENT_EXIT] = 'X', [KCT_EVENT_EESUM] = 'D',
	};
	int n;

	if (ev->type == KCT_EVENT_EESUM)
		n = snprintf(buf, size, "%u:D:%d/%d", ev->depth, ev->delta, ev->mindelta);
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

	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0) {
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

	/* The file-backed decoder must agree, whatever its chunking; a file
	 * that cannot be made or decoded fails the case, never skips it. */
	fd = mkstemp(path);
	if (fd < 0 || write(fd, "pad.", 4) != 4 ||
	    write(fd, recs, n * sizeof(*recs)) != (ssize_t)(n * sizeof(*recs))) {
		printf("not ok %d - %s (from a file): cannot write %s: %s\n", ++tests, name, path,
		       strerror(errno));
		failures++;
		if (fd >= 0) {
			unlink(path);
			close(fd);
		}
		return;
	}
	unlink(path);
	err = kct_decoder_new_fd(fd, 4, n, NULL, &dec);
	if (err) {
		printf("not ok %d - %s (from a file): kct_decoder_new_fd: %d\n", ++tests, name, err);
		failures++;
	} else {
		char fd_name[256];

		snprintf(fd_name, sizeof(fd_name), "%s (from a file)", name);
		check_events(fd_name, dec, want);
		kct_decoder_free(dec);
	}
	close(fd);
}

static void decode_stats(const char *spec, struct kct_decoder_stats *st)
{
	uint64_t recs[64];
	size_t n = parse_records(spec, recs);
	struct kct_decoder *dec;
	struct kct_event ev;

	memset(st, 0xff, sizeof(*st));
	st->sz = sizeof(*st);
	if (kct_decoder_new_mem(recs, n, NULL, &dec))
		return;
	while (kct_decoder_next(dec, &ev, sizeof(ev)) > 0)
		;
	kct_decoder_get_stats(dec, st);
	kct_decoder_free(dec);
}

static void check_stats(void)
{
	KCT_OPTS(kct_decoder_stats, st);

	decode_stats("X1 B2 ?3 E4 E5 X5", &st);
	tests++;
	if (st.records != 6 || st.enters != 2 || st.exits != 2 || st.blocks != 1 ||
	    st.unknown != 1 || st.orphan_exits != 1 || st.unfinished != 1 || st.max_depth != 2 ||
	    st.eesums || st.saturated) {
		failures++;
		printf("not ok %d - statistics\n", tests);
	} else {
		printf("ok %d - statistics\n", tests);
	}

	/* Two trees: "X1 D0/-1 E2" two levels below its start, closed with
	 * two frames open; "X3 D1/0 ?4 B5" one level below, one left open. */
	decode_stats("X1 D0/-1 E2 D32767/0 X3 D1/0 ?4 B5", &st);
	tests++;
	if (st.records != 8 || st.enters != 1 || st.exits != 2 || st.blocks != 1 ||
	    st.eesums != 3 || st.saturated != 1 || st.unknown != 1 || st.orphan_exits != 3 ||
	    st.unfinished != 3 || st.max_depth != 2) {
		failures++;
		printf("not ok %d - statistics with EESUM records: records %llu enters %llu exits %llu "
		       "blocks %llu eesums %llu saturated %llu unknown %llu orphan_exits %llu "
		       "unfinished %llu max_depth %u\n", tests,
		       (unsigned long long)st.records, (unsigned long long)st.enters,
		       (unsigned long long)st.exits, (unsigned long long)st.blocks,
		       (unsigned long long)st.eesums, (unsigned long long)st.saturated,
		       (unsigned long long)st.unknown, (unsigned long long)st.orphan_exits,
		       (unsigned long long)st.unfinished, st.max_depth);
	} else {
		printf("ok %d - statistics with EESUM records, across a restart\n", tests);
	}
}

/* Events as "type@index": synthetic events carry the index of the record
 * that caused them. */
static void check_indexes(const char *name, const char *records, const char *want)
{
	static const char type[] = {
		[KCT_EVENT_ENTER] = 'E', [KCT_EVENT_BLOCK] = 'B',
		[KCT_EVENT_EXIT] = 'X', [KCT_EVENT_EESUM] = 'D',
	};
	uint64_t recs[64];
	size_t n = parse_records(records, recs), len = 0;
	struct kct_decoder *dec;
	struct kct_event ev;
	char got[1024] = "";

	if (kct_decoder_new_mem(recs, n, NULL, &dec))
		dec = NULL;
	while (dec && kct_decoder_next(dec, &ev, sizeof(ev)) > 0 && len < sizeof(got) - 32)
		len += sprintf(got + len, "%s%c@%llu", len ? " " : "", type[ev.type],
			       (unsigned long long)ev.index);
	kct_decoder_free(dec);
	tests++;
	if (strcmp(got, want)) {
		failures++;
		printf("not ok %d - %s\n# want: %s\n# got:  %s\n", tests, name, want, got);
	} else {
		printf("ok %d - %s\n", tests, name);
	}
}

static void check_depth_limit(void)
{
	uint64_t recs[64];
	KCT_OPTS(kct_decoder_opts, opts, .max_depth = 8);
	struct kct_decoder *dec;
	struct kct_event ev;
	int err;

	for (int i = 0; i < 64; i++)
		recs[i] = KCT_RECORD_TYPE_ENTRY | i;
	if (kct_decoder_new_mem(recs, 64, &opts, &dec))
		abort();
	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0)
		;
	tests++;
	if (err != -KCT_ERR_DEPTH) {
		failures++;
		printf("not ok %d - depth limit: got %d\n", tests, err);
	} else {
		printf("ok %d - a stream deeper than max_depth is refused with KCT_ERR_DEPTH\n", tests);
	}
	kct_decoder_free(dec);
}

/*
 * Structs that cross the API, at other sizes than this header's: an older
 * caller's shorter ones, a newer caller's longer ones.  Options a newer
 * caller sets that this library does not know are refused; output it lacks
 * room for is left alone, and output it has room for but the library does
 * not know is zeroed.
 */
static void check_struct_sizes(void)
{
	uint64_t recs[8];
	size_t n = parse_records("E1 B2 X3 E4", recs);
	struct {
		struct kct_decoder_opts o;
		uint64_t newer;
	} big = { .o = { .sz = sizeof(big), .max_depth = 1 } };
	struct kct_decoder_opts old = { .sz = offsetofend(struct kct_decoder_opts, pc_fill),
					.pc_fill = 0x100, .max_depth = 1 };
	struct {
		struct kct_event ev;
		uint64_t newer[2];
	} bigev[4], want[4];
	struct {
		struct kct_decoder_stats st;
		uint64_t newer;
	} bigst;
	struct kct_decoder_stats shortst;
	struct kct_decoder *dec;
	struct kct_event ev;
	int err;

	CHECK(!kct_decoder_new_mem(recs, n, &big.o, &dec), "decoder opts: a newer caller's with zeros beyond");
	kct_decoder_free(dec);
	big.newer = 1;
	CHECK(kct_decoder_new_mem(recs, n, &big.o, &dec) == -EINVAL && !dec,
	      "decoder opts: a newer caller's field this library lacks is refused (EINVAL)");
	big.o.sz = sizeof(size_t) - 1;
	CHECK(kct_decoder_new_mem(recs, n, &big.o, &dec) == -EINVAL,
	      "decoder opts: a size that does not cover sz is refused");
	/* An older caller's struct ends before max_depth: whatever lies
	 * there is not read, and max_depth takes its default. */
	err = kct_decoder_new_mem(recs, n, &old, &dec);
	CHECK(!err && kct_decoder_next(dec, &ev, sizeof(ev)) == 1 &&
	      kct_decoder_next(dec, &ev, sizeof(ev)) == 1 && ev.pc == 0x102 && ev.depth == 1,
	      "decoder opts: an older caller's shorter struct: its fields used, the rest default");
	kct_decoder_free(dec);

	/* A newer caller's events: the same events, its own fields zeroed. */
	memset(want, 0, sizeof(want));
	if (kct_decoder_new_mem(recs, n, NULL, &dec))
		abort();
	for (int i = 0; i < 4; i++)
		if (kct_decoder_next(dec, &want[i].ev, sizeof(want[i].ev)) != 1)
			abort();
	kct_decoder_free(dec);
	memset(bigev, 0xa5, sizeof(bigev));
	if (kct_decoder_new_mem(recs, n, NULL, &dec))
		abort();
	err = kct_decoder_next_batch(dec, &bigev[0].ev, sizeof(bigev[0]), 4);
	for (int i = 0; i < 4 && err == 4; i++) {
		const struct kct_event *a = &bigev[i].ev, *b = &want[i].ev;

		if (a->type != b->type || a->flags != b->flags || a->depth != b->depth ||
		    a->index != b->index || a->pc != b->pc || a->entry_pc != b->entry_pc ||
		    a->delta != b->delta || a->mindelta != b->mindelta || bigev[i].newer[0] ||
		    bigev[i].newer[1])
			err = -1;
	}
	CHECK(err == 4, "events of a newer caller's size: the same events, its fields zeroed");
	CHECK(kct_decoder_next_batch(dec, &bigev[0].ev, offsetof(struct kct_event, mindelta), 4) ==
	      -EINVAL, "events smaller than the first version's are refused");
	kct_decoder_free(dec);

	/* Statistics: the same. */
	if (kct_decoder_new_mem(recs, n, NULL, &dec))
		abort();
	while (kct_decoder_next(dec, &ev, sizeof(ev)) > 0)
		;
	memset(&bigst, 0xa5, sizeof(bigst));
	bigst.st.sz = sizeof(bigst);
	CHECK(!kct_decoder_get_stats(dec, &bigst.st) && bigst.st.records == 4 && bigst.st.enters == 2 &&
	      bigst.st.unfinished == 1 && bigst.newer == 0 &&
	      bigst.st.sz == sizeof(struct kct_decoder_stats),
	      "statistics into a newer caller's struct: filled, its field zeroed, sz says how much "
	      "the library filled (in/out, as libbpf's info_len)");
	memset(&shortst, 0xa5, sizeof(shortst));
	shortst.sz = offsetofend(struct kct_decoder_stats, enters);
	CHECK(!kct_decoder_get_stats(dec, &shortst) && shortst.records == 4 && shortst.enters == 2 &&
	      shortst.exits == 0xa5a5a5a5a5a5a5a5ULL &&
	      shortst.sz == offsetofend(struct kct_decoder_stats, enters),
	      "statistics into an older caller's struct: nothing written beyond its size, sz kept");
	shortst.sz = 0;
	CHECK(kct_decoder_get_stats(dec, &shortst) == -EINVAL, "statistics: sz 0 is refused");
	kct_decoder_free(dec);
}

/* Across many read chunks, the file-backed decoder sees what memory sees,
 * from an aligned offset and from an odd one.  With restart_every, every so
 * many records an EESUM record that cannot be balanced restarts the tree:
 * each restart rereads the next tree, which must not reload the chunk it is
 * in (or this test takes hours). */
static void check_chunking(unsigned int pad, unsigned int restart_every)
{
	enum { N = 2500003 };	/* many chunks */
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
		if (i % 997 == 0) {
			int mindelta = -(int)(x >> 20 & 3);

			recs[i] = KCT_EESUM_RECORD(mindelta + (int)(x >> 24 & 5), mindelta);
		}
	}
	/* Trees that restart at the edges of read chunks, and in between. */
	recs[65535] = KCT_EESUM_RECORD(32767, 0);
	recs[1000000] = KCT_EESUM_RECORD(-32768, -32768);
	recs[(1 << 21) - 1] = KCT_EESUM_RECORD(0, 1);
	recs[(1 << 21) + 5] = KCT_EESUM_RECORD(2, -32768);
	for (unsigned int i = restart_every; restart_every && i <= N; i += restart_every)
		recs[i - 1] = KCT_EESUM_RECORD(32767, 0);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, "padding", pad) != pad ||
	    write(fd, recs, N * sizeof(*recs)) != N * (ssize_t)sizeof(*recs))
		abort();
	unlink(path);
	if (kct_decoder_new_mem(recs, N, NULL, &a) || kct_decoder_new_fd(fd, pad, N, NULL, &b))
		abort();
	do {
		ra = kct_decoder_next(a, &ea, sizeof(ea));
		rb = kct_decoder_next(b, &eb, sizeof(eb));
		if (ra != rb || (ra > 0 && memcmp(&ea, &eb, sizeof(ea))))
			same = false;
		events += ra > 0;
	} while (same && ra > 0);
	tests++;
	if (!same || events < N) {
		failures++;
		printf("not ok %d - file decoding from an %s offset equals memory decoding%s\n",
		       tests, pad % 8 ? "odd" : "aligned", restart_every ? ", restarting often" : "");
	} else {
		printf("ok %d - file decoding from an %s offset equals memory decoding%s "
		       "(%llu events)\n", tests, pad % 8 ? "odd" : "aligned",
		       restart_every ? ", with frequent restarts" : "",
		       (unsigned long long)events);
	}
	kct_decoder_free(a);
	kct_decoder_free(b);
	close(fd);
	free(recs);
	(void)depth;
}

/* ---- a reference decoder, for random streams ---- */

struct model {
	char *out;
	size_t len, size;
};

/* Every field of an event, so that the decoder and the model must agree on
 * all of them. */
static void format_full(const struct kct_event *ev, char *buf, size_t size)
{
	snprintf(buf, size, "%d:%u:%u:%llu:%llx:%llx:%d/%d", ev->type, ev->flags, ev->depth,
		 (unsigned long long)ev->index, (unsigned long long)ev->pc,
		 (unsigned long long)ev->entry_pc, ev->delta, ev->mindelta);
}

static void model_emit(struct model *m, enum kct_event_type type, uint32_t flags, uint32_t depth,
		       uint64_t index, uint64_t pc, uint64_t entry_pc, int delta, int mindelta)
{
	struct kct_event ev = { .type = type, .flags = flags, .depth = depth, .index = index,
				.pc = pc, .entry_pc = entry_pc, .delta = delta, .mindelta = mindelta };
	char buf[128];

	format_full(&ev, buf, sizeof(buf));
	m->len += snprintf(m->out + m->len, m->size - m->len, "%s%s", m->len ? " " : "", buf);
}

/*
 * The decoder's contract, spelled out: the stream splits into trees at the
 * EESUM records that cannot be balanced; each tree starts with a frame of
 * unknown caller for each level its exits and EESUM pops reach below its
 * start (named by the exit that reaches the level first, 0 for a pop) and
 * ends with its open frames closed; the EESUM record that ends a tree
 * follows at depth 0.  PCs are below 2^16 here, so there is no PC fill.
 */
static void model_decode(const uint64_t *recs, size_t n, struct model *m)
{
	uint64_t stack[512], lowpc[512];
	size_t start = 0, end;

	for (;; start = end + 1) {
		int64_t d = 0, low = 0;
		uint32_t depth = 0;

		for (end = start; end < n; end++)
			if (KCT_RECORD_KIND(recs[end]) == KCT_RECORD_KIND_EESUM &&
			    kct_eesum_unbalanceable(recs[end]))
				break;
		for (size_t i = start; i < end; i++) {
			uint64_t rec = recs[i];

			switch (KCT_RECORD_KIND(rec)) {
			case KCT_RECORD_KIND_ENTRY:
				d++;
				break;
			case KCT_RECORD_KIND_EXIT:
				if (--d < low)
					lowpc[-(low = d) - 1] = rec & KCT_RECORD_IP_MASK;
				break;
			case KCT_RECORD_KIND_EESUM:
				for (int k = 0; k < -KCT_EESUM_MINDELTA(rec); k++)
					if (--d < low)
						lowpc[-(low = d) - 1] = 0;
				d += KCT_EESUM_DELTA(rec) - KCT_EESUM_MINDELTA(rec);
				break;
			}
		}
		for (int64_t lvl = -low - 1; lvl >= 0; lvl--) {
			model_emit(m, KCT_EVENT_ENTER, KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_UNKNOWN_CALLER,
				   depth, start, lowpc[lvl], 0, 0, 0);
			stack[depth++] = 0;
		}
		for (size_t i = start; i < end; i++) {
			uint64_t rec = recs[i], pc = rec & KCT_RECORD_IP_MASK;
			int delta = KCT_EESUM_DELTA(rec), mindelta = KCT_EESUM_MINDELTA(rec);

			switch (KCT_RECORD_KIND(rec)) {
			case KCT_RECORD_KIND_ENTRY:
				model_emit(m, KCT_EVENT_ENTER, 0, depth, i, pc, pc, 0, 0);
				stack[depth++] = pc;
				break;
			case KCT_RECORD_KIND_EXIT:
				depth--;
				model_emit(m, KCT_EVENT_EXIT, 0, depth, i, pc, stack[depth], 0, 0);
				break;
			case KCT_RECORD_KIND_NORMAL:
				model_emit(m, KCT_EVENT_BLOCK, 0, depth, i, pc,
					   depth ? stack[depth - 1] : 0, 0, 0);
				break;
			case KCT_RECORD_KIND_EESUM:
				model_emit(m, KCT_EVENT_EESUM, 0, depth, i, 0, 0, delta, mindelta);
				for (int k = 0; k < -mindelta; k++) {
					depth--;
					model_emit(m, KCT_EVENT_EXIT,
						   KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_SUPPRESSED,
						   depth, i, stack[depth], stack[depth], 0, 0);
				}
				for (int k = 0; k < delta - mindelta; k++) {
					model_emit(m, KCT_EVENT_ENTER,
						   KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_SUPPRESSED,
						   depth, i, 0, 0, 0, 0);
					stack[depth++] = 0;
				}
				break;
			}
		}
		while (depth) {
			depth--;
			model_emit(m, KCT_EVENT_EXIT, KCT_EVENT_F_SYNTHETIC | KCT_EVENT_F_UNFINISHED,
				   depth, end, stack[depth], stack[depth], 0, 0);
		}
		if (end == n)
			break;
		model_emit(m, KCT_EVENT_EESUM, KCT_EVENT_F_SATURATED, 0, end, 0, 0,
			   KCT_EESUM_DELTA(recs[end]), KCT_EESUM_MINDELTA(recs[end]));
	}
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
	return *x;
}

static uint64_t random_record(uint64_t *x)
{
	uint64_t r = xorshift(x), pc = 1 + (r >> 32 & 0xff);
	int mindelta = -(int)(r >> 40 & 3);

	if (r % 20 < 6)
		return KCT_RECORD_TYPE_ENTRY | pc;
	if (r % 20 < 12)
		return KCT_RECORD_TYPE_EXIT | pc;
	if (r % 20 < 14)
		return KCT_RECORD_TYPE_NORMAL | pc;
	if (r % 20 < 15)	/* a reserved type */
		return KCT_RECORD(3 + (r >> 48) % 12, pc);
	if (r % 20 < 19)	/* delta from mindelta to mindelta + 7 */
		return KCT_EESUM_RECORD(mindelta + (int)(r >> 44 & 7), mindelta);
	/* One that cannot be balanced, of each kind. */
	switch (r >> 50 & 7) {
	case 0:
		return KCT_EESUM_RECORD(32767, mindelta);
	case 1:
		return KCT_EESUM_RECORD(-32768, -32768);
	case 2:
		return KCT_EESUM_RECORD(mindelta, -32768);
	case 3:
		return KCT_EESUM_RECORD(2, 1);		/* mindelta > 0 */
	default:
		return KCT_EESUM_RECORD(mindelta - 1, mindelta); /* delta < mindelta */
	}
}

static bool decoder_agrees(struct kct_decoder *dec, const char *want, char *got, size_t size)
{
	struct kct_event evs[3];
	size_t len = 0;
	int k;

	/* In small batches, so that pending events straddle them. */
	got[0] = '\0';
	while ((k = kct_decoder_next_batch(dec, evs, sizeof(evs[0]), 3)) > 0)
		for (int i = 0; i < k; i++) {
			char buf[128];

			format_full(&evs[i], buf, sizeof(buf));
			len += snprintf(got + len, size - len, "%s%s", len ? " " : "", buf);
		}
	return k == 0 && !strcmp(got, want);
}

static void check_model(void)
{
	enum { ROUNDS = 20000, MAX = 48 };
	static char want[1 << 16], got[1 << 16];
	uint64_t recs[MAX], x = 0x2545f4914f6cdd1dULL;
	char path[] = "/tmp/kct-test-XXXXXX";
	int fd = mkstemp(path), bad = -1;
	unsigned long eesums = 0, restarts = 0;
	size_t n = 0;

	if (fd < 0)
		abort();
	unlink(path);
	for (int round = 0; round < ROUNDS && bad < 0; round++) {
		struct model m = { want, 0, sizeof(want) };
		struct kct_decoder *dec;

		n = (size_t)(xorshift(&x) % MAX);
		for (size_t i = 0; i < n; i++) {
			recs[i] = random_record(&x);
			if (KCT_RECORD_KIND(recs[i]) == KCT_RECORD_KIND_EESUM) {
				eesums++;
				restarts += kct_eesum_unbalanceable(recs[i]);
			}
		}
		want[0] = '\0';
		model_decode(recs, n, &m);
		if (kct_decoder_new_mem(recs, n, NULL, &dec) ||
		    !decoder_agrees(dec, want, got, sizeof(got)))
			bad = round;
		kct_decoder_free(dec);
		if (bad >= 0)
			break;
		if (ftruncate(fd, 0) || pwrite(fd, recs, n * 8, 4) != (ssize_t)(n * 8) ||
		    kct_decoder_new_fd(fd, 4, n, NULL, &dec) ||
		    !decoder_agrees(dec, want, got, sizeof(got)))
			bad = round;
		kct_decoder_free(dec);
	}
	close(fd);
	tests++;
	if (bad >= 0) {
		failures++;
		printf("not ok %d - random streams: the decoder agrees with the reference (round %d)\n"
		       "# records:", tests, bad);
		for (size_t i = 0; i < n; i++)
			printf(" %016llx", (unsigned long long)recs[i]);
		printf("\n# want: %s\n# got:  %s\n", want, got);
	} else {
		printf("ok %d - %d random streams (%lu EESUM records, %lu that cannot be balanced): "
		       "memory and file decoders agree with the reference\n", tests, ROUNDS, eesums,
		       restarts);
	}
}

/*
 * Deep nesting, across the frame stack's growth, with a block at every
 * depth (at the stack's capacity too, before the entry that grows it), and
 * every kind of event, decoded in one batch of this library's events into
 * an array of garbage and one of zeros: the same bytes, the decoder writes
 * every one of them, the fields of other event types (the 1.4 ones too) and
 * the padding 0.
 */
static void check_deep_dirty_batch(void)
{
	enum { DEPTH = 300, MAX_EVENTS = 4 * DEPTH + 16 };
	static uint64_t recs[3 * DEPTH + 8];
	static struct kct_event dirty[MAX_EVENTS], clean[MAX_EVENTS];
	static char want[1 << 17], got[1 << 17];
	struct model m = { want, 0, sizeof(want) };
	struct kct_decoder *dec;
	size_t n = 0;
	int k = -1, kc = -1;
	bool agrees = false, zero = true;

	recs[n++] = KCT_RECORD_TYPE_EXIT | 0x7;		/* an unknown caller */
	for (int d = 0; d < DEPTH; d++) {
		recs[n++] = KCT_RECORD_TYPE_NORMAL | (0x1000 + d);
		recs[n++] = KCT_RECORD_TYPE_ENTRY | (0x2000 + d);
	}
	recs[n++] = KCT_EESUM_RECORD(1, -2);
	recs[n++] = KCT_RECORD(0x5, 0x42);		/* skipped */
	for (int d = DEPTH - 1; d > 0; d--)
		recs[n++] = KCT_RECORD_TYPE_EXIT | (0x3000 + d);
	recs[n++] = KCT_RECORD_TYPE_NORMAL | 0x4000;	/* open at the end */

	model_decode(recs, n, &m);
	if (!kct_decoder_new_mem(recs, n, NULL, &dec)) {
		agrees = decoder_agrees(dec, want, got, sizeof(got));
		kct_decoder_free(dec);
	}
	CHECK(agrees, "%d levels deep, across the frame stack's growth: the decoder agrees "
	      "with the reference", DEPTH);

	memset(dirty, 0xa5, sizeof(dirty));
	memset(clean, 0, sizeof(clean));
	if (!kct_decoder_new_mem(recs, n, NULL, &dec)) {
		k = kct_decoder_next_batch(dec, dirty, sizeof(dirty[0]), MAX_EVENTS);
		kct_decoder_free(dec);
	}
	if (!kct_decoder_new_mem(recs, n, NULL, &dec)) {
		kc = kct_decoder_next_batch(dec, clean, sizeof(clean[0]), MAX_EVENTS);
		kct_decoder_free(dec);
	}
	for (int i = 0; i < k && i < MAX_EVENTS; i++)
		zero &= !dirty[i].call_site && !dirty[i].time && !dirty[i].value &&
			!dirty[i].size && !dirty[i].access &&
			(dirty[i].type == KCT_EVENT_EESUM || (!dirty[i].delta && !dirty[i].mindelta));
	CHECK(k > 3 * DEPTH && k < MAX_EVENTS && k == kc && zero &&
	      !memcmp(dirty, clean, (size_t)k * sizeof(dirty[0])),
	      "a batch into an array of garbage: every byte of every event written, the "
	      "fields of other event types and the padding 0 (%d events)", k);
}

/* Leaves the stack below the caller's frame full of 0xff bytes. */
static void __attribute__((noinline)) dirty_stack(void)
{
	volatile unsigned char junk[4096];

	memset((void *)junk, 0xff, sizeof(junk));
}

/* KCT_OPTS() sets sz and the fields given, and zeroes every other byte:
 * the padding after max_depth too, which a caller's struct of this size
 * must have zero (the library reads it as a newer field). */
static void __attribute__((noinline)) check_opts_macro(void)
{
	static const uint64_t recs[] = { KCT_RECORD_TYPE_ENTRY | 1, KCT_RECORD_TYPE_EXIT | 2 };
	KCT_OPTS(kct_decoder_opts, opts, .max_depth = 8);
	const unsigned char *p = (const unsigned char *)&opts;
	size_t end = offsetof(struct kct_decoder_opts, max_depth) + sizeof(opts.max_depth);
	struct kct_decoder *dec = NULL;
	bool zero = true;

	for (size_t i = end; i < sizeof(opts); i++)
		zero = zero && !p[i];
	CHECK(opts.sz == sizeof(opts) && opts.max_depth == 8 && !opts.pc_fill && zero &&
	      !kct_decoder_new_mem(recs, 2, &opts, &dec),
	      "KCT_OPTS: sz and the fields given set, the rest, padding too, zero");
	kct_decoder_free(dec);
}

/* ---- KCT_MODE_TRACE_MEMORY_ACCESS ---- */

/* An event of a mode-3 stream as text, with every field the record gave. */
static int format_m3(const struct kct_event *ev, char *buf, size_t size)
{
	char flags[16] = "";

	if (ev->flags)
		snprintf(flags, sizeof(flags), ":%s%s%s%s",
			 ev->flags & KCT_EVENT_F_UNKNOWN_CALLER ? "u" : "",
			 ev->flags & KCT_EVENT_F_UNFINISHED ? "f" : "",
			 ev->flags & KCT_EVENT_F_SYNTHETIC ? "s" : "",
			 ev->flags & KCT_EVENT_F_SUPPRESSED ? "S" : "");
	switch (ev->type) {
	case KCT_EVENT_ENTER:
		return snprintf(buf, size, "%u:E:%llx@%llu<%llx%s", ev->depth,
				(unsigned long long)ev->pc, (unsigned long long)ev->index,
				(unsigned long long)ev->call_site, flags);
	case KCT_EVENT_EXIT:
		return snprintf(buf, size, "%u:X:%llx@%llu%s", ev->depth,
				(unsigned long long)ev->pc, (unsigned long long)ev->index, flags);
	case KCT_EVENT_BLOCK:
		return snprintf(buf, size, "%u:B:%llx@%llu", ev->depth,
				(unsigned long long)ev->pc, (unsigned long long)ev->index);
	case KCT_EVENT_EESUM:
		return snprintf(buf, size, "%u:D:%d/%d@%llu", ev->depth, ev->delta, ev->mindelta,
				(unsigned long long)ev->index);
	case KCT_EVENT_ACCESS:
		return snprintf(buf, size, "%u:A:%llx@%llu[%llx,%u,%x,t%llu,v%llx]<%llx", ev->depth,
				(unsigned long long)ev->pc, (unsigned long long)ev->index,
				(unsigned long long)ev->addr, ev->size, ev->access,
				(unsigned long long)ev->time, (unsigned long long)ev->value,
				(unsigned long long)ev->entry_pc);
	case KCT_EVENT_WAIT:
		return snprintf(buf, size, "%u:W:%u%s@%llu", ev->depth, ev->bit,
				ev->timed_out ? "t" : "", (unsigned long long)ev->index);
	case KCT_EVENT_WAKE:
		return snprintf(buf, size, "%u:K:%u@%llu", ev->depth, ev->bit,
				(unsigned long long)ev->index);
	}
	return snprintf(buf, size, "?%d", ev->type);
}

/* Decodes a mode-3 stream of words from dec into text; its error, if any. */
static int events_m3(struct kct_decoder *dec, char *got, size_t size)
{
	struct kct_event ev;
	size_t len = 0;
	int err;

	got[0] = '\0';
	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0) {
		char one[160];

		format_m3(&ev, one, sizeof(one));
		if (len + strlen(one) + 2 < size)
			len += sprintf(got + len, "%s%s", len ? " " : "", one);
	}
	return err;
}

/*
 * The words of a mode-3 buffer (memory_words: of a MEMORY record, 0 for the
 * default) decode to want, and end with error want_err (0: none), from
 * memory and from a file at an odd offset alike; stats as want_stats
 * (records accesses waits wakes partial partial_words), if given.
 */
static void check_m3(const char *name, const uint64_t *words, size_t n, uint32_t memory_words,
		     const char *want, int want_err, const char *want_stats)
{
	KCT_OPTS(kct_decoder_opts, opts, .pc_fill = KCT_PC_FILL_KERNEL,
		 .mode = KCT_MODE_TRACE_MEMORY_ACCESS, .memory_record_words = memory_words);
	char got[8192], path[] = "/tmp/kct-test-XXXXXX";
	struct kct_decoder *dec;
	int fd = -1, err;

	for (int from_file = 0; from_file < 2; from_file++) {
		KCT_OPTS(kct_decoder_stats, st);
		char stats[128];

		if (!from_file) {
			err = kct_decoder_new_mem(words, n, &opts, &dec);
		} else {
			fd = mkstemp(path);
			if (fd < 0 || write(fd, "pad.", 4) != 4 ||
			    write(fd, words, n * 8) != (ssize_t)(n * 8))
				abort();
			unlink(path);
			strcpy(path + strlen(path) - 6, "XXXXXX");
			err = kct_decoder_new_fd(fd, 4, n, &opts, &dec);
		}
		if (err) {
			CHECK(0, "%s%s: decoder: %s", name, from_file ? " (file)" : "",
			      kct_strerror(err));
			if (from_file)
				close(fd);
			continue;
		}
		err = events_m3(dec, got, sizeof(got));
		kct_decoder_get_stats(dec, &st);
		snprintf(stats, sizeof(stats), "%llu %llu %llu %llu %llu %llu",
			 (unsigned long long)st.records, (unsigned long long)st.accesses,
			 (unsigned long long)st.waits, (unsigned long long)st.wakes,
			 (unsigned long long)st.partial, (unsigned long long)st.partial_words);
		tests++;
		if (strcmp(got, want) || err != want_err ||
		    (want_stats && strcmp(stats, want_stats))) {
			failures++;
			printf("not ok %d - %s%s\n# want: %s (err %d) %s\n# got:  %s (err %d) %s\n",
			       tests, name, from_file ? " (file)" : "", want, want_err,
			       want_stats ? want_stats : "", got, err, stats);
		} else {
			printf("ok %d - %s%s\n", tests, name, from_file ? " (file)" : "");
		}
		kct_decoder_free(dec);
		if (from_file)
			close(fd);
	}
}

static void check_memory_mode(void)
{
	/* Written word by word: type in the top nibble, as the kernel does. */
	const uint64_t entry1 = 0x00ffffff81000010ULL, site1 = 0xffffffff81234567ULL;
	const uint64_t entry2 = 0x00ffffff81000100ULL, site2 = 0xffffffff81000033ULL;
	uint64_t w[64];
	size_t n;

	/* A call, a read in it, a block, a nested call with a write of a
	 * value, its exit; a wait that timed out, a wake, the exit. */
	n = 0;
	w[n++] = entry1;
	w[n++] = site1;
	w[n++] = 0x30ffffff81000020ULL;		/* MEMORY: a read */
	w[n++] = 0xffff888003a1c010ULL;		/* addr, not canonicalized */
	w[n++] = 0x0000000000000008ULL;		/* size 8, flags 0 */
	w[n++] = 1000;				/* time */
	w[n++] = 0xdeadbeefULL;			/* value, but no VALUE flag */
	w[n++] = 0xf0ffffff81000024ULL;		/* block */
	w[n++] = entry2;
	w[n++] = site2;
	w[n++] = 0x30ffffff81000110ULL;		/* MEMORY: a write of a value */
	w[n++] = 0xffffffff82000040ULL;
	w[n++] = 0x0000011000000004ULL;		/* size 4, WRITE|VALUE */
	w[n++] = 1001;
	w[n++] = 0x2aULL;
	w[n++] = 0x10ffffff81000120ULL;		/* exit */
	w[n++] = 0x4010000000000003ULL;		/* WAIT bit 3, timed out */
	w[n++] = 0x5000000000000007ULL;		/* WAKE bit 7 */
	w[n++] = 0x4000000000000009ULL;		/* WAIT bit 9 */
	w[n++] = 0x10ffffff81000030ULL;		/* exit */
	check_m3("memory mode: ENTRY pairs, accesses (N=5), WAIT/WAKE, indexes in words",
		 w, n, 0,
		 "0:E:ffffffff81000010@0<ffffffff81234567 "
		 "1:A:ffffffff81000020@2[ffff888003a1c010,8,0,t1000,v0]<ffffffff81000010 "
		 "1:B:ffffffff81000024@7 "
		 "1:E:ffffffff81000100@8<ffffffff81000033 "
		 "2:A:ffffffff81000110@10[ffffffff82000040,4,110,t1001,v2a]<ffffffff81000100 "
		 "1:X:ffffffff81000120@15 "
		 "1:W:3t@16 1:K:7@17 1:W:9@18 "
		 "0:X:ffffffff81000030@19",
		 0, "10 2 2 1 0 0");

	/* N = 6: the sixth word (a newer kernel's field) is skipped. */
	n = 0;
	w[n++] = 0x30ffffff81000020ULL;
	w[n++] = 0x1000;
	w[n++] = 0x0000007000000002ULL;		/* size 2, WRITE|RMW|ATOMIC */
	w[n++] = 5;
	w[n++] = 0;
	w[n++] = 0x10ffffff81000099ULL;		/* extra word: looks like an exit */
	w[n++] = 0x30ffffff81000028ULL;
	w[n++] = 0x2000;
	w[n++] = 0x0000009000000040ULL;		/* size 64, WRITE|FREE */
	w[n++] = 6;
	w[n++] = 0;
	w[n++] = KCT_RECORD(KCT_RECORD_KIND_WAKE, 0);	/* extra word: looks like a wake */
	w[n++] = 0x10ffffff81000030ULL;		/* the exit of a frame of an unknown caller */
	check_m3("memory mode: MEMORY of 6 words, the sixth skipped; RMW, ATOMIC, FREE flags",
		 w, n, 6,
		 "0:E:ffffffff81000030@0<0:us "
		 "1:A:ffffffff81000020@0[1000,2,70,t5,v0]<0 "
		 "1:A:ffffffff81000028@6[2000,64,90,t6,v0]<0 "
		 "0:X:ffffffff81000030@12",
		 0, "3 2 0 0 0 0");
	/* The same words as N = 5 frame otherwise: the sixth is an exit. */
	check_m3("memory mode: the same words framed as N=5 decode otherwise (framing comes from N)",
		 w, 6, 5,
		 "0:E:ffffffff81000099@0<0:us "
		 "1:A:ffffffff81000020@0[1000,2,70,t5,v0]<0 "
		 "0:X:ffffffff81000099@5",
		 0, "2 1 0 0 0 0");

	/* A record cut off by the end of the buffer: dropped and counted. */
	n = 0;
	w[n++] = entry1;
	w[n++] = site1;
	w[n++] = 0x30ffffff81000020ULL;
	w[n++] = 0xffff888000000000ULL;
	w[n++] = 0x0000000000000001ULL;
	check_m3("memory mode: a MEMORY record cut off at the end is dropped, and counted",
		 w, n, 0,
		 "0:E:ffffffff81000010@0<ffffffff81234567 0:X:ffffffff81000010@5:fs",
		 0, "1 0 0 0 1 3");
	check_m3("memory mode: an ENTRY cut off after its first word is dropped",
		 w, 1, 0, "", 0, "0 0 0 0 1 1");
	w[0] = 0xf0ffffff81000010ULL;
	w[1] = entry1;
	check_m3("memory mode: a block, then an ENTRY without its call site",
		 w, 2, 0, "0:B:ffffffff81000010@0", 0, "1 0 0 0 1 1");

	/* Any other type is corruption: the events before it, then an error. */
	n = 0;
	w[n++] = 0xf0ffffff81000010ULL;
	w[n++] = 0x60ffffff81000014ULL;		/* type 6 */
	w[n++] = 0xf0ffffff81000018ULL;
	check_m3("memory mode: a record of type 6 is an error, not a word to skip", w, n, 0,
		 "0:B:ffffffff81000010@0", -KCT_ERR_RECORD, NULL);
	w[1] = KCT_RECORD(0xe, 0);
	check_m3("memory mode: a record of type 0xe is an error", w, n, 0,
		 "0:B:ffffffff81000010@0", -KCT_ERR_RECORD, NULL);

	/* Exits of frames entered before the stream, across accesses: the
	 * first pass frames the records too (an address word with an exit's
	 * type nibble is no exit). */
	n = 0;
	w[n++] = 0x30ffffff81000020ULL;
	w[n++] = KCT_RECORD(KCT_RECORD_KIND_EXIT, 0);	/* addr with type 1's nibble */
	w[n++] = 0x0000000000000001ULL;
	w[n++] = 0x1000000000000001ULL;		/* time with it too */
	w[n++] = 0x1000000000000002ULL;		/* value with it too */
	w[n++] = 0x10ffffff81000040ULL;		/* the one exit */
	w[n++] = 0x20000000ffff0000ULL | 0x0000ULL;	/* EESUM delta 0 mindelta -1 */
	check_m3("memory mode: the first pass frames records: words inside a MEMORY record are "
		 "no exits", w, n - 1, 0,
		 "0:E:ffffffff81000040@0<0:us "
		 "1:A:ffffffff81000020@0[1000000000000000,1,0,t1152921504606846977,v0]<0 "
		 "0:X:ffffffff81000040@5",
		 0, "2 1 0 0 0 0");

	/* An EESUM record in mode 3 is applied as in the other modes. */
	n = 0;
	w[n++] = entry1;
	w[n++] = site1;
	w[n++] = 0x20000000ffff0000ULL;		/* delta 0, mindelta -1 */
	w[n++] = 0x10ffffff81000050ULL;
	check_m3("memory mode: EESUM records are applied", w, n, 0,
		 "0:E:ffffffff81000010@0<ffffffff81234567 1:D:0/-1@2 "
		 "0:X:ffffffff81000010@2:sS 0:E:0@2<0:sS 0:X:ffffffff81000050@3",
		 0, "3 0 0 0 0 0");
}

/* Mode-3 options: the modes refused, the record sizes refused. */
static void check_memory_opts(void)
{
	uint64_t w[2] = { 0xf0ffffff81000010ULL, 0x30ffffff81000010ULL };
	struct kct_decoder *dec;
	struct kct_event ev;

	KCT_OPTS(kct_decoder_opts, cmp, .mode = KCT_MODE_TRACE_CMP);
	CHECK(kct_decoder_new_mem(w, 1, &cmp, &dec) == -EOPNOTSUPP,
	      "decoder: KCOV_TRACE_CMP refused (EOPNOTSUPP)");
	KCT_OPTS(kct_decoder_opts, four, .mode = 4);
	CHECK(kct_decoder_new_mem(w, 1, &four, &dec) == -EINVAL, "decoder: mode 4 refused (EINVAL)");
	KCT_OPTS(kct_decoder_opts, small, .mode = KCT_MODE_TRACE_MEMORY_ACCESS,
		 .memory_record_words = 4);
	CHECK(kct_decoder_new_mem(w, 1, &small, &dec) == -EINVAL,
	      "decoder: a MEMORY record of 4 words refused (EINVAL)");
	/* Mode 2 (and 0) skip the new types as one word each, as before. */
	KCT_OPTS(kct_decoder_opts, ext, .mode = KCT_MODE_TRACE_PC_EXT);
	CHECK(!kct_decoder_new_mem(w, 2, &ext, &dec) && kct_decoder_next(dec, &ev, sizeof(ev)) == 1 &&
	      ev.type == KCT_EVENT_BLOCK && ev.call_site == 0 &&
	      kct_decoder_next(dec, &ev, sizeof(ev)) == 0,
	      "decoder: in KCOV_TRACE_PC_EXT a MEMORY word is skipped as before");
	kct_decoder_free(dec);
}

/* A caller built against 1.3 (events ending at mindelta) decodes mode 3:
 * it gets the fields it has, nothing written past them. */
static void check_memory_old_caller(void)
{
	const uint64_t w[] = {
		0x00ffffff81000010ULL, 0xffffffff81234567ULL,
		0x30ffffff81000020ULL, 0x1234, 0x0000000000000004ULL, 7, 0,
	};
	const size_t old_sz = offsetofend(struct kct_event, mindelta);
	KCT_OPTS(kct_decoder_opts, opts, .pc_fill = KCT_PC_FILL_KERNEL,
		 .mode = KCT_MODE_TRACE_MEMORY_ACCESS);
	unsigned char buf[3][128];
	struct kct_decoder *dec;
	struct kct_event ev[3];
	int got;
	bool ok = true;

	memset(buf, 0xa5, sizeof(buf));
	if (kct_decoder_new_mem(w, 7, &opts, &dec))
		abort();
	got = kct_decoder_next_batch(dec, (struct kct_event *)buf, old_sz, 3);
	kct_decoder_free(dec);
	memset(ev, 0, sizeof(ev));
	for (int i = 0; i < got && i < 3; i++)
		memcpy(&ev[i], (unsigned char *)buf + i * old_sz, old_sz);
	/* Nothing written past the caller's three events. */
	for (size_t i = 3 * old_sz; i < sizeof(buf); i++)
		ok &= ((unsigned char *)buf)[i] == 0xa5;
	CHECK(got == 3 && ok && ev[0].type == KCT_EVENT_ENTER && ev[0].pc == 0xffffffff81000010ULL &&
	      ev[1].type == KCT_EVENT_ACCESS && ev[1].pc == 0xffffffff81000020ULL &&
	      ev[1].index == 2 && ev[2].type == KCT_EVENT_EXIT,
	      "memory mode: events of a 1.3 caller's size: its fields, nothing past them");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	dirty_stack();
	check_opts_macro();
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
	check_case("EESUM: a frame entered in the untraced region is still open",
		   "E1 B2 D1/0 X3 X4",
		   "0:E:1 1:B:2 1:D:1/0 1:E:0:sS 1:X:3 0:X:4");
	check_case("EESUM: a frame open before the region returned in it",
		   "E1 E2 D-1/-1 B3 X4",
		   "0:E:1 1:E:2 2:D:-1/-1 1:X:2:sS 1:B:3 0:X:4");
	check_case("EESUM: pops -mindelta frames, then pushes delta - mindelta (delta > 0)",
		   "E1 E2 E3 D1/-2 X4 X5 X6 X7",
		   "0:E:1 1:E:2 2:E:3 3:D:1/-2 2:X:3:sS 1:X:2:sS 1:E:0:sS 2:E:0:sS 3:E:0:sS "
		   "3:X:4 2:X:5 1:X:6 0:X:7");
	check_case("EESUM: a dip below the net drop (delta > mindelta, both < 0)",
		   "E1 E2 E3 D-1/-3 X4 X5",
		   "0:E:1 1:E:2 2:E:3 3:D:-1/-3 2:X:3:sS 1:X:2:sS 0:X:1:sS 0:E:0:sS 1:E:0:sS "
		   "1:X:4 0:X:5");
	check_case("EESUM: nothing happened", "E1 D0/0 X2", "0:E:1 1:D:0/0 0:X:2");
	check_case("EESUM: pops below the start of the stream are frames of unknown callers",
		   "B1 D0/-2 X3",
		   "0:E:0:us 1:E:0:us 2:B:1 2:D:0/-2 1:X:0:sS 0:X:0:sS 0:E:0:sS 1:E:0:sS 1:X:3 "
		   "0:X:0:fs");
	check_case("EESUM: an exit, then an EESUM pop, below the start",
		   "X5 D1/-1 X6",
		   "0:E:0:us 1:E:5:us 1:X:5 1:D:1/-1 0:X:0:sS 0:E:0:sS 1:E:0:sS 1:X:6 0:X:0:fs");
	check_case("EESUM: delta 32767 is saturated: frames closed, a new tree after it",
		   "E1 E2 D32767/0 X3 B4",
		   "0:E:1 1:E:2 1:X:2:fs 0:X:1:fs 0:D:32767/0:x 0:E:3:us 0:X:3 0:B:4");
	check_case("EESUM: delta -32768 is saturated",
		   "E1 B2 D-32768/-32768 X3",
		   "0:E:1 1:B:2 0:X:1:fs 0:D:-32768/-32768:x 0:E:3:us 0:X:3");
	check_case("EESUM: mindelta -32768 is saturated",
		   "E1 D5/-32768 E2",
		   "0:E:1 0:X:1:fs 0:D:5/-32768:x 0:E:2 0:X:2:fs");
	check_case("EESUM: malformed, mindelta > 0: treated as saturated",
		   "E1 D3/1 B2 X3",
		   "0:E:1 0:X:1:fs 0:D:3/1:x 0:E:3:us 1:B:2 0:X:3");
	check_case("EESUM: malformed, delta < mindelta; the new tree's orphan exits get "
		   "frames of unknown callers, the first tree none",
		   "E1 E2 D-3/-1 B3 X4 X5 E6",
		   "0:E:1 1:E:2 1:X:2:fs 0:X:1:fs 0:D:-3/-1:x 0:E:5:us 1:E:4:us 2:B:3 1:X:4 "
		   "0:X:5 0:E:6 0:X:6:fs");
	check_case("EESUM: unbalanceable first, twice in a row, and empty trees",
		   "D32767/0 X1 D0/1 D0/1 E2",
		   "0:D:32767/0:x 0:E:1:us 0:X:1 0:D:0/1:x 0:D:0/1:x 0:E:2 0:X:2:fs");
	check_case("EESUM: unbalanceable last", "E1 D-32768/-32768",
		   "0:E:1 0:X:1:fs 0:D:-32768/-32768:x");
	check_case("EESUM: applied in a tree after a restart, below its start",
		   "E1 D32767/0 D0/-1 X2",
		   "0:E:1 0:X:1:fs 0:D:32767/0:x 0:E:0:us 1:D:0/-1 0:X:0:sS 0:E:0:sS 0:X:2");
	check_indexes("EESUM: synthetic events carry the index of the record behind them",
		      "E1 D1/-1 E2 D32767/0 X3 B4",
		      "E@0 D@1 X@1 E@1 E@1 E@2 X@3 X@3 X@3 D@3 E@4 X@4 B@5");
	check_stats();
	check_depth_limit();
	check_struct_sizes();
	check_chunking(0, 0);
	check_chunking(4, 0);
	check_chunking(0, 4);
	check_chunking(4, 4);
	check_model();
	check_deep_dirty_batch();
	check_memory_mode();
	check_memory_opts();
	check_memory_old_caller();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
