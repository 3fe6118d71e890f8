// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for what libkcovtrace reads from untrusted files: the
 * record decoder, trace files and raw buffers, kallsyms/System.map text and
 * the function ranges of globs in it; for the record filter, whose output
 * must decode as well as its input; and for the trace writer, whose files
 * must read back as written.  The first byte
 * picks the parser (its value % 4), the decoder's batch size (/ 4 % 4) and,
 * for records in memory, whether the record filter takes them (bit 4) and
 * its depth limit (/ 32); the other bytes are the input.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kcovtrace.h"

static char path[64];
static int fd = -1;

/* Inputs reach the file parsers through a memfd. */
static const char *as_file(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("fuzz", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	return path;
}

/*
 * The most events records can make, whatever their order: an entry its
 * ENTER and an EXIT made up if it is still open at the end; an exit its EXIT
 * and an ENTER made up for a frame of an unknown caller; an EESUM record
 * that can be balanced its EESUM and, for each frame it pops or pushes,
 * the EXIT or ENTER it reports and one made up for the other end; one that
 * cannot be balanced its EESUM only (the frames it closes were counted by
 * whatever opened them); a block one event; a record of a reserved type
 * none.  A bound on runaway that EESUM records do not switch off.
 */
static uint64_t event_bound(const uint64_t *recs, uint64_t n, uint32_t mode, uint32_t words,
			    uint64_t *nrec, uint64_t *whole)
{
	uint64_t bound = 0, len;

	/* KCT_MODE_TRACE_MEMORY_ACCESS: a record of one or more words, up to
	 * the end, the last one whole, or to a type the mode lacks.  Its
	 * access, wait or wake makes one event. */
	*nrec = *whole = 0;
	for (uint64_t i = 0; i < n; i += len) {
		uint64_t rec = recs[i];

		len = kct_record_words(rec, mode, words);
		if (!len || len > n - i)
			break;
		++*nrec;
		*whole = i + len;
		switch (KCT_RECORD_KIND(rec)) {
		case KCT_RECORD_KIND_ENTRY:
		case KCT_RECORD_KIND_EXIT:
			bound += 2;
			break;
		case KCT_RECORD_KIND_NORMAL:
			bound += 1;
			break;
		case KCT_RECORD_KIND_MEMORY:
		case KCT_RECORD_KIND_WAIT:
		case KCT_RECORD_KIND_WAKE:
			bound += mode == KCT_MODE_TRACE_MEMORY_ACCESS;
			break;
		case KCT_RECORD_KIND_EESUM:
			bound += 1;
			if (!kct_eesum_unbalanceable(rec))
				bound += 2 * (uint64_t)(-KCT_EESUM_MINDELTA(rec)) +
					 2 * (uint64_t)(KCT_EESUM_DELTA(rec) - KCT_EESUM_MINDELTA(rec));
			break;
		}
	}
	return bound;
}

/* Batch sizes the decoder is driven with: one event at a time, a few, and
 * its fast way. */
static const unsigned int batch_sizes[] = { 1, 3, 64, 256 };

/*
 * Whatever the records, the events nest: each ENTER one level deeper, each
 * EXIT back, an EESUM that cannot be balanced at depth 0 with every frame
 * closed.  A stream decoded to its end closes every frame and has one event
 * per record of a known type, plus one per frame made up: of an unknown
 * caller, unfinished, or reported by an EESUM record.  No more events than
 * event_bound() of the records, checked as they come.
 */
static void drain_mode(struct kct_decoder *dec, const uint64_t *recs, uint64_t n,
		       unsigned int batch, uint32_t mode, uint32_t words)
{
	uint64_t events = 0, synthetic = 0, suppressed = 0, reported = 0, eesums = 0, saturated = 0;
	uint64_t nrec, whole, bound = event_bound(recs, n, mode, words, &nrec, &whole);
	struct kct_decoder_stats st = { .sz = sizeof(st) };
	static struct kct_event evs[256];
	int64_t depth = 0;
	int err, got;

	while ((got = kct_decoder_next_batch(dec, evs, sizeof(evs[0]), batch)) > 0) {
		for (int k = 0; k < got; k++) {
			const struct kct_event ev = evs[k];

			if (++events > bound)
				abort();
			synthetic += !!(ev.flags & KCT_EVENT_F_SYNTHETIC);
			suppressed += !!(ev.flags & KCT_EVENT_F_SUPPRESSED);
			switch (ev.type) {
			case KCT_EVENT_ENTER:
				if (ev.depth != depth++)
					abort();
				break;
			case KCT_EVENT_EXIT:
				if (ev.depth != --depth)
					abort();
				break;
			case KCT_EVENT_BLOCK:
				if (ev.depth != depth)
					abort();
				break;
			case KCT_EVENT_ACCESS:
			case KCT_EVENT_WAIT:
			case KCT_EVENT_WAKE:
				if (mode != KCT_MODE_TRACE_MEMORY_ACCESS || ev.depth != depth)
					abort();
				break;
			case KCT_EVENT_EESUM:
				eesums++;
				if (ev.flags & KCT_EVENT_F_SATURATED) {
					saturated++;
					if (depth || ev.depth)
						abort();
				} else {
					if (ev.depth != depth || ev.mindelta > 0 || ev.delta < ev.mindelta)
						abort();
					reported += (uint64_t)(ev.delta - 2 * ev.mindelta);
				}
				break;
			default:
				abort();
			}
		}
	}
	err = got;
	kct_decoder_get_stats(dec, &st);
	/* A mode-3 stream is decoded whole up to a type it lacks (an
	 * error), or to a record its end cuts off (dropped). */
	if (!err && (st.partial_words != n - whole || st.partial != (n != whole)))
		abort();
	if (!err && st.records != nrec)
		abort();
	if (!err && (depth || events - synthetic != st.records - st.unknown ||
		     synthetic != st.orphan_exits + st.unfinished + reported ||
		     suppressed != reported || eesums != st.eesums || saturated != st.saturated))
		abort();
	kct_decoder_free(dec);
}

static void drain(struct kct_decoder *dec, const uint64_t *recs, uint64_t n, unsigned int batch)
{
	drain_mode(dec, recs, n, batch, KCT_MODE_TRACE_PC_EXT, 0);
}

/* Repairs a decoder makes of records: frames of unknown callers and
 * unfinished ones; -1 where the decoder gives up (too deep). */
static int64_t repairs(const uint64_t *recs, uint64_t n, uint64_t *saturated)
{
	struct kct_decoder_opts opts = { .sz = sizeof(opts), .max_depth = 512 };
	struct kct_decoder_stats st = { .sz = sizeof(st) };
	static struct kct_event evs[256];
	struct kct_decoder *dec;
	int got;

	if (kct_decoder_new_mem(recs, n, &opts, &dec))
		return -1;
	while ((got = kct_decoder_next_batch(dec, evs, sizeof(evs[0]), 256)) > 0)
		;
	kct_decoder_get_stats(dec, &st);
	kct_decoder_free(dec);
	*saturated = st.saturated;
	return got ? -1 : (int64_t)(st.orphan_exits + st.unfinished);
}

/*
 * The record filter, with a depth limit and suppressed functions taken
 * from the input (the PCs of entries at even places among the first 32
 * records, one byte each).  Its output is a subsequence of the input but
 * for EESUM records, which it rewrites or drops; the same in chunks as
 * whole; and decodes with no more repairs than the input, unless a
 * rewritten EESUM record saturated (more visible frames than its fields
 * hold, as a filtering kernel would write it too).
 */
static void filter_records(const uint64_t *recs, uint64_t n, uint32_t max_depth)
{
	struct kct_range ranges[16];
	struct kct_filter_opts opts = { .sz = sizeof(opts), .max_depth = max_depth,
					.ranges = ranges };
	uint64_t *out = malloc(n * 8 + 8), *chunked = malloc(n * 8 + 8);
	uint64_t in_sat = 0, out_sat = 0;
	struct kct_filter *f;
	int64_t kept, more = 0, in_rep, out_rep;
	uint64_t j = 0;

	if (!out || !chunked)
		abort();
	for (uint64_t i = 0; i < n && i < 32; i += 2) {
		uint64_t pc = recs[i] & KCT_RECORD_IP_MASK;
		uint32_t k = opts.nr_ranges;

		if (KCT_RECORD_KIND(recs[i]) != KCT_RECORD_KIND_ENTRY)
			continue;
		/* Insertion in order; a PC already there is skipped. */
		while (k && ranges[k - 1].start > pc)
			k--;
		if (k && ranges[k - 1].start == pc)
			continue;
		memmove(&ranges[k + 1], &ranges[k], (opts.nr_ranges - k) * sizeof(ranges[0]));
		ranges[k] = (struct kct_range){ pc, pc + 1 };
		opts.nr_ranges++;
	}
	if (kct_filter_new(&opts, &f)) {
		if (max_depth || opts.nr_ranges)
			abort();
		goto out;
	}
	kept = kct_filter_records(f, recs, n, out);
	kct_filter_free(f);
	if (kct_filter_new(&opts, &f))
		abort();
	for (uint64_t at = 0, len; at < n; at += len) {
		len = 1 + recs[at] % 5;
		len = len < n - at ? len : n - at;
		more += kct_filter_records(f, recs + at, len, chunked + more);
	}
	kct_filter_free(f);
	if (kept < 0 || (uint64_t)kept > n || more != kept || memcmp(out, chunked, kept * 8))
		abort();
	for (int64_t i = 0; i < kept; i++, j++) {
		bool eesum = KCT_RECORD_KIND(out[i]) == KCT_RECORD_KIND_EESUM;

		while (j < n && recs[j] != out[i] &&
		       !(eesum && KCT_RECORD_KIND(recs[j]) == KCT_RECORD_KIND_EESUM))
			j++;
		if (j == n)
			abort();
	}
	in_rep = repairs(recs, n, &in_sat);
	out_rep = repairs(out, kept, &out_sat);
	if (in_rep >= 0 && out_rep >= 0 && out_sat == in_sat && out_rep > in_rep)
		abort();
	if (in_rep >= 0 && out_rep >= 0 && out_sat < in_sat)
		abort();
out:
	free(out);
	free(chunked);
}

/* A directory of our own for the writer's files: $FUZZ_WRITER_DIR, which
 * tests/fuzz/run makes on tmpfs where there is one (the writer syncs what
 * it commits) and removes after, else a new one under /tmp. */
static const char *writer_dir(void)
{
	static char dir[4096];

	if (!dir[0]) {
		const char *env = getenv("FUZZ_WRITER_DIR");

		if (env && strlen(env) < sizeof(dir) - 64) {
			strcpy(dir, env);
		} else {
			strcpy(dir, "/tmp/fuzz-writer-XXXXXX");
			if (!mkdtemp(dir))
				abort();
		}
	}
	return dir;
}

static bool dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

/*
 * The streaming writer: the input's words as records, cut into streams and
 * appended in pieces as its bytes say, with metadata, a note and a kernel
 * identity made of them; committed (then read back: everything as written)
 * or aborted (then nothing left behind).
 */
static void write_and_read_back(const uint8_t *data, size_t size)
{
	enum { MAX_STREAMS = 4 };
	char path[128], note[64], value[24] = "", comm[KCT_COMM_LEN] = "fuzz";
	const char *notes[] = { note, NULL };
	uint8_t id[KCT_KERNEL_ID_MAX];
	struct kct_trace_writer_opts wopts = {
		.sz = sizeof(wopts), .mode = KCT_MODE_TRACE_PC_EXT, .buffer_words = 512,
		.kernel_release = "fuzz", .notes = notes,
	};
	struct kct_stream_opts sopts[MAX_STREAMS];
	uint64_t n = size / 8, *recs, *back, cut[MAX_STREAMS + 1];
	struct kct_trace_info info = { .sz = sizeof(info) };
	struct kct_trace_writer *w;
	struct kct_trace *trace;
	uint32_t streams;
	bool commit;
	int err;

	if (size < 4)
		return;
	streams = 1 + data[0] % MAX_STREAMS;
	commit = !(data[1] & 0x80);
	for (size_t i = 0; i < sizeof(value) - 1 && i + 2 < size; i++)
		value[i] = (char)(' ' + data[i + 2] % 95);
	snprintf(note, sizeof(note), "fuzz.key=%s", value);
	wopts.kernel_id_len = data[1] % (KCT_KERNEL_ID_MAX + 1);
	wopts.kernel_id_kind = wopts.kernel_id_len ? KCT_KERNEL_ID_BUILD_ID : KCT_KERNEL_ID_NONE;
	for (uint32_t i = 0; i < wopts.kernel_id_len; i++)
		id[i] = data[i % size];
	wopts.kernel_id = id;
	recs = malloc(n * 8 + 8);
	back = malloc(n * 8 + 8);
	if (!recs || !back)
		abort();
	memcpy(recs, data, n * 8);
	cut[0] = 0;
	for (uint32_t i = 1; i < streams; i++)
		cut[i] = cut[i - 1] + (n ? data[i] % (n + 1 - cut[i - 1]) : 0);
	cut[streams] = n;

	snprintf(path, sizeof(path), "%s/t.trace", writer_dir());
	if (kct_trace_writer_open(path, &wopts, &w))
		abort();
	for (uint32_t i = 0; i < streams; i++) {
		uint64_t at = cut[i];
		uint8_t b = data[(i * 7) % size];

		comm[4] = (char)('a' + i);
		sopts[i] = (struct kct_stream_opts){
			.sz = sizeof(sopts[i]), .kind = b % (KCT_STREAM_KIND_REMOTE + 1),
			.flags = (b & 0x20 ? KCT_STREAM_F_OVERFLOW : 0) | (b & 0x40 ? KCT_STREAM_F_ARGS : 0),
			.seq = i * 3, .pid = b, .tid = b + i, .ppid = 1,
			.mode = b & 1 ? KCT_MODE_TRACE_PC_EXT : KCT_MODE_TRACE_PC,
			.syscall = b % 7 - 1, .lost = b & 0x10 ? b : 0, .remote_handle = b * 77,
			.comm = comm,
		};
		for (int k = 0; k < 6; k++)
			sopts[i].args[k] = b * (k + 1);
		if (kct_trace_writer_begin_stream(w, &sopts[i]) ||
		    kct_trace_writer_begin_stream(w, &sopts[i]) != -EBUSY)
			abort();
		/* In pieces of 1 to 8 records, an empty one now and then. */
		while (at < cut[i + 1]) {
			uint64_t piece = data[at % size] % 9;

			if (!piece && kct_trace_writer_append(w, recs + at, 0))
				abort();
			piece = piece ? piece : 1;
			if (piece > cut[i + 1] - at)
				piece = cut[i + 1] - at;
			if (kct_trace_writer_append(w, recs + at, piece))
				abort();
			at += piece;
		}
		if (kct_trace_writer_end_stream(w))
			abort();
	}
	if (!commit) {
		kct_trace_writer_abort(w);
		if (!dir_empty(writer_dir()))
			abort();
		goto out;
	}
	if (kct_trace_writer_commit(w) || kct_trace_open(path, &trace))
		abort();
	kct_trace_get_info(trace, &info);
	if (info.nr_streams != streams || info.records != n || info.flags & KCT_TRACE_F_TRUNCATED ||
	    info.kernel_id_len != wopts.kernel_id_len || info.kernel_id_kind != wopts.kernel_id_kind ||
	    memcmp(info.kernel_id, id, info.kernel_id_len) || strcmp(info.kernel_release, "fuzz") ||
	    info.nr_notes != 1 || !kct_trace_note(trace, "fuzz.key") ||
	    strcmp(kct_trace_note(trace, "fuzz.key"), value))
		abort();
	for (uint32_t i = 0; i < streams; i++) {
		struct kct_stream_info si = { .sz = sizeof(si) };
		const struct kct_stream_opts *o = &sopts[i];
		bool has_syscall = o->kind == KCT_STREAM_KIND_SYSCALL || o->kind == KCT_STREAM_KIND_EXEC;
		uint64_t want_lost = o->lost ? o->lost :
				     o->flags & KCT_STREAM_F_OVERFLOW ? KCT_LOST_UNKNOWN : 0;

		comm[4] = (char)('a' + i);
		if (kct_trace_stream(trace, i, &si) || si.records != cut[i + 1] - cut[i] ||
		    si.kind != o->kind || si.flags != o->flags || si.seq != o->seq ||
		    si.pid != o->pid || si.tid != o->tid || si.ppid != o->ppid || si.mode != o->mode ||
		    si.syscall != (has_syscall ? o->syscall : KCT_STREAM_NO_SYSCALL) ||
		    memcmp(si.args, o->flags & KCT_STREAM_F_ARGS ? o->args : (uint64_t[6]){ 0 },
			   sizeof(si.args)) ||
		    si.lost != want_lost || si.remote_handle != o->remote_handle || strcmp(si.comm, comm))
			abort();
		if (kct_trace_read_records(trace, i, 0, back, n + 1) != (int64_t)si.records ||
		    memcmp(back, recs + cut[i], si.records * 8))
			abort();
	}
	kct_trace_close(trace);
	unlink(path);
out:
	free(recs);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kct_decoder_opts opts = { .sz = sizeof(opts), .max_depth = 512 };
	struct kct_decoder *dec;
	struct kct_trace *trace;
	struct kct_symbolizer *sym;
	struct kct_symbol s = { .sz = sizeof(s) };
	struct kct_range *ranges = NULL;
	uint32_t nr = 0;
	unsigned int batch;

	if (size < 1)
		return 0;
	batch = batch_sizes[data[0] / 4 % 4];
	switch (data[0] % 4) {
	case 0: { /* records in memory */
		size_t n = (size - 1) / 8;
		uint64_t *recs = malloc(n * 8 + 1);

		memcpy(recs, data + 1, n * 8);
		if (data[0] & 0x10) {
			filter_records(recs, n, data[0] / 32);
		} else if (data[0] & 0x80) {
			/* KCT_MODE_TRACE_MEMORY_ACCESS, records of 5 or 6. */
			struct kct_decoder_opts m3 = {
				.sz = sizeof(m3), .max_depth = 512,
				.mode = KCT_MODE_TRACE_MEMORY_ACCESS,
				.memory_record_words = 5 + (data[0] >> 5 & 1),
			};

			if (!kct_decoder_new_mem(recs, n, &m3, &dec))
				drain_mode(dec, recs, n, batch, m3.mode, m3.memory_record_words);
		} else if (!kct_decoder_new_mem(recs, n, &opts, &dec)) {
			drain(dec, recs, n, batch);
		}
		free(recs);
		break;
	}
	case 1: /* a trace file or raw buffer */
		if (!kct_trace_open(as_file(data + 1, size - 1), &trace)) {
			struct kct_trace_info info = { .sz = sizeof(info) };
			static uint64_t recs[4096 / 8];

			kct_trace_get_info(trace, &info);
			for (uint32_t i = 0; i < info.nr_streams && i < 64; i++) {
				struct kct_stream_info si = { .sz = sizeof(si) };
				int64_t n;

				if (kct_trace_stream(trace, i, &si) || si.records > 4096 / 8)
					abort();
				n = kct_trace_read_records(trace, i, 0, recs, si.records);
				if (n != (int64_t)si.records)
					abort();
				if (!kct_trace_decoder(trace, i, &dec))
					drain_mode(dec, recs, n, batch, si.mode, si.memory_record_words);
			}
			kct_trace_close(trace);
		}
		break;
	case 2: /* kallsyms, then the same as a System.map */
		if (kct_symbolizer_new(&sym))
			abort();
		kct_symbolizer_add_kallsyms(sym, as_file(data + 1, size - 1));
		kct_symbolizer_add_system_map(sym, as_file(data + 1, size - 1));
		for (uint64_t pc = 0; pc < 4; pc++)
			kct_symbolize(sym, 0xffffffff81000000ULL + pc * 0x1000, &s);
		kct_symbolize(sym, ~0ULL, &s);
		kct_symbolize_data(sym, 0xffffffffa1003008ULL, &s);
		kct_symbolize_data(sym, ~0ULL, &s);
		/* Every function's range, then some again: sorted, disjoint. */
		if (kct_symbolizer_glob_ranges(sym, "*", &ranges, &nr) >= 0 &&
		    kct_symbolizer_glob_ranges(sym, "[a-m]*", &ranges, &nr) >= 0)
			for (uint32_t i = 0; i < nr; i++)
				if (ranges[i].start >= ranges[i].end ||
				    (i && ranges[i].start <= ranges[i - 1].end))
					abort();
		free(ranges);
		kct_symbolizer_free(sym);
		break;
	case 3: /* the writer */
		write_and_read_back(data + 1, size - 1);
		break;
	}
	return 0;
}
