// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of trace files: the streaming writer (options, streams in
 * pieces, abort, atomic commit), what a trace says of itself and of its
 * streams read back as written, notes, the versions refused, traces cut
 * short read up to the cut, and headers of older and newer writers (made
 * here with the library's private layout, lib/traceformat.h); a trace of
 * many streams, its headers read in few reads; a trace that shrinks while
 * it is read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kcovtrace.h"
#include "testlib.h"
#include "traceformat.h"

#define offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

static char dir[] = "/tmp/kct-trace-XXXXXX";

/* The library's pread() calls, counted (built with -Wl,--wrap=pread). */
static unsigned long long preads;

ssize_t __real_pread(int fd, void *buf, size_t len, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off);

ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off)
{
	preads++;
	return __real_pread(fd, buf, len, off);
}
static char path[64];

/* Files in the test's directory, temporary ones included. */
static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		abort();
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static uint64_t *make_records(uint64_t n, uint64_t seed)
{
	uint64_t *r = malloc((n ? n : 1) * sizeof(*r));

	if (!r)
		abort();
	for (uint64_t i = 0; i < n; i++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		r[i] = KCT_RECORD(i % 3 ? KCT_RECORD_KIND_NORMAL : KCT_RECORD_KIND_ENTRY, seed >> 8);
	}
	return r;
}

static const struct kct_trace_writer_opts base_wopts = {
	.sz = sizeof(struct kct_trace_writer_opts),
	.mode = KCT_MODE_TRACE_PC_EXT,
	.buffer_words = 4096,
	.pc_fill = KCT_PC_FILL_KERNEL,
	.kernel_release = "6.12.0-test",
};

/* Whether opening a writer with opts returns err (then no writer) and,
 * aborted if it opened, leaves no file. */
static bool open_fails(const struct kct_trace_writer_opts *opts, int err)
{
	struct kct_trace_writer *w;
	int got = kct_trace_writer_open(path, opts, &w);
	bool writer = w != NULL;

	if (!got)
		kct_trace_writer_abort(w);
	return got == err && writer == !got && !files_in_dir();
}

static void test_writer_opts(void)
{
	struct {
		struct kct_trace_writer_opts o;
		uint64_t newer;
	} big = { .o = base_wopts };
	struct kct_trace_writer_opts o = base_wopts;
	const char *bad_key[] = { "a b=1", NULL }, *no_eq[] = { "key", NULL },
		   *twice[] = { "k=1", "k=2", NULL }, *empty_key[] = { "=1", NULL };
	char long_release[80];
	struct kct_trace_writer *w;
	struct kct_trace *t;
	KCT_OPTS(kct_trace_info, info);

	big.o.sz = sizeof(big);
	CHECK(open_fails(&big.o, 0), "writer opts: a newer caller's, zeros beyond: accepted");
	big.newer = 1;
	CHECK(open_fails(&big.o, -EINVAL),
	      "writer opts: a newer caller's field this library lacks: EINVAL, no file");
	o.sz = 4;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a size that does not cover sz: EINVAL");
	o = base_wopts;
	o.flags = KCT_TRACE_F_TRUNCATED;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a flag only readers see: EINVAL");
	o.flags = KCT_TRACE_F_INTERRUPTED;
	CHECK(open_fails(&o, 0), "writer opts: a recording stopped early: accepted");
	o = base_wopts;
	o.mode = KCT_MODE_TRACE_CMP;
	CHECK(open_fails(&o, -EINVAL), "writer opts: comparison mode: EINVAL");
	o = base_wopts;
	memset(long_release, 'x', sizeof(long_release) - 1);
	long_release[sizeof(long_release) - 1] = '\0';
	o.kernel_release = long_release;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a kernel release too long: EINVAL");
	o = base_wopts;
	o.kernel_id_kind = KCT_KERNEL_ID_BUILD_ID;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a kernel identity kind without bytes: EINVAL");
	o.kernel_id = long_release;
	o.kernel_id_len = KCT_KERNEL_ID_MAX + 1;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a kernel identity too long: EINVAL");
	o = base_wopts;
	o.notes = bad_key;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a note key with a space: EINVAL");
	o.notes = no_eq;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a note without '=': EINVAL");
	o.notes = twice;
	CHECK(open_fails(&o, -EINVAL), "writer opts: a note key twice: EINVAL");
	o.notes = empty_key;
	CHECK(open_fails(&o, -EINVAL), "writer opts: an empty note key: EINVAL");

	/* An older caller's struct, up to pc_fill: no release, no notes. */
	o = base_wopts;
	o.sz = offsetofend(struct kct_trace_writer_opts, pc_fill);
	o.notes = bad_key;	/* beyond its size: not read */
	CHECK(!kct_trace_writer_open(path, &o, &w) && !kct_trace_writer_commit(w) &&
	      !kct_trace_open(path, &t) && !kct_trace_get_info(t, &info) && !info.kernel_release[0] &&
	      info.mode == KCT_MODE_TRACE_PC_EXT && info.buffer_words == 4096 && !info.nr_notes &&
	      info.pc_fill == KCT_PC_FILL_KERNEL,
	      "writer opts: an older caller's shorter struct: its fields, the rest default");
	kct_trace_close(t);
	unlink(path);
}

static void test_stream_opts(void)
{
	struct {
		struct kct_stream_opts o;
		uint64_t newer;
	} big = { .o = { .sz = sizeof(big), .kind = KCT_STREAM_KIND_TASK }, .newer = 1 };
	KCT_OPTS(kct_stream_opts, o, .kind = KCT_STREAM_KIND_TASK);
	uint64_t rec = KCT_RECORD(KCT_RECORD_KIND_NORMAL, 1);
	struct kct_trace_writer *w;

	if (kct_trace_writer_open(path, &base_wopts, &w))
		abort();
	CHECK(kct_trace_writer_append(w, &rec, 1) == -EINVAL, "append without a stream: EINVAL");
	CHECK(kct_trace_writer_end_stream(w) == -EINVAL, "end without a stream: EINVAL");
	CHECK(kct_trace_writer_begin_stream(w, &big.o) == -EINVAL,
	      "stream opts: a newer caller's field this library lacks: EINVAL");
	o.flags = KCT_STREAM_F_TRUNCATED;
	CHECK(kct_trace_writer_begin_stream(w, &o) == -EINVAL, "stream opts: a reader's flag: EINVAL");
	o.flags = 0;
	o.kind = KCT_STREAM_KIND_REMOTE + 1;
	CHECK(kct_trace_writer_begin_stream(w, &o) == -EINVAL, "stream opts: an unknown kind: EINVAL");
	o.kind = KCT_STREAM_KIND_TASK;
	o.comm = "sixteen-letters!";
	CHECK(kct_trace_writer_begin_stream(w, &o) == -EINVAL,
	      "stream opts: a comm of 16 characters: EINVAL");
	o.comm = "fifteen-letters";
	CHECK(!kct_trace_writer_begin_stream(w, &o), "stream opts: a comm of 15 characters");
	CHECK(kct_trace_writer_begin_stream(w, &o) == -EBUSY, "a stream while one is open: EBUSY");
	CHECK(kct_trace_writer_append(w, NULL, 1) == -EINVAL, "append of NULL records: EINVAL");
	kct_trace_writer_abort(w);
	CHECK(!files_in_dir(), "abort with a stream open leaves nothing");
}

/* Several streams, their records appended in pieces across the writer's
 * buffer; each read back as written, field by field. */
static void test_round_trip(void)
{
	static const uint64_t sizes[] = { 0, 7, 100003 };
	static const uint64_t pieces[] = { 1, 0, 5, 8191, 30000, 70000 };
	const char *notes[] = { "filter.functions=do_*,vfs_read", "empty=", "k.2=a=b", NULL };
	uint8_t id[KCT_KERNEL_ID_SYMBOLS_LEN];
	struct kct_trace_writer_opts wo = base_wopts;
	struct kct_stream_opts so[3] = {
		{ .sz = sizeof(so[0]), .kind = KCT_STREAM_KIND_EXEC, .seq = 1, .pid = 100,
		  .tid = 100, .ppid = 99, .mode = KCT_MODE_TRACE_PC_EXT, .syscall = 59,
		  .flags = KCT_STREAM_F_ARGS, .args = { 1, 2, 3, 4, 5, ~0ULL }, .comm = "sh" },
		{ .sz = sizeof(so[1]), .kind = KCT_STREAM_KIND_SYSCALL, .seq = 2, .pid = 100,
		  .tid = 101, .ppid = 99, .mode = KCT_MODE_TRACE_PC, .syscall = 0,
		  .flags = KCT_STREAM_F_OVERFLOW, .comm = "worker" },
		/* An older caller's struct: up to kind. */
		{ .sz = offsetofend(struct kct_stream_opts, kind), .kind = KCT_STREAM_KIND_REMOTE,
		  .pid = 7, .syscall = 3, .comm = "never read" },
	};
	KCT_OPTS(kct_trace_info, info);
	struct kct_trace_writer *w;
	struct kct_trace *t;
	uint64_t *recs[3], *back;
	/* Where a reader finds them, numbered by seq: the older caller's
	 * stream (seq 0, as it gives none) first. */
	static const uint32_t at[3] = { 1, 2, 0 };
	const char *key, *value;
	bool same = true;
	int err = 0;

	for (int i = 0; i < KCT_KERNEL_ID_SYMBOLS_LEN; i++)
		id[i] = (uint8_t)(i * 7);
	wo.kernel_id = id;
	wo.kernel_id_len = sizeof(id);
	wo.kernel_id_kind = KCT_KERNEL_ID_SYMBOLS;
	wo.notes = notes;
	wo.flags = KCT_TRACE_F_USER;
	if (kct_trace_writer_open(path, &wo, &w))
		abort();
	for (int s = 0; s < 3 && !err; s++) {
		uint64_t at = 0;

		recs[s] = make_records(sizes[s], s + 1);
		err = kct_trace_writer_begin_stream(w, &so[s]);
		for (int p = 0; !err && at < sizes[s]; p = (p + 1) % 6) {
			uint64_t n = pieces[p] < sizes[s] - at ? pieces[p] : sizes[s] - at;

			err = kct_trace_writer_append(w, recs[s] + at, n);
			at += n;
		}
		if (!err)
			err = kct_trace_writer_end_stream(w);
	}
	CHECK(!err && access(path, F_OK) && files_in_dir() == 1,
	      "three streams written in pieces; the trace is not in place before commit");
	CHECK(!kct_trace_writer_commit(w) && files_in_dir() == 1 && !kct_trace_open(path, &t),
	      "commit puts it in place, no temporary file left");
	kct_trace_get_info(t, &info);
	CHECK(info.version == KCT_TRACE_VERSION && !info.raw && info.mode == KCT_MODE_TRACE_PC_EXT &&
	      info.flags == (KCT_TRACE_F_USER | KCT_TRACE_F_OVERFLOW) && info.buffer_words == 4096 &&
	      info.pc_fill == KCT_PC_FILL_KERNEL && info.nr_streams == 3 &&
	      info.nr_streams_written == 3 && info.records == 100010 &&
	      info.records_written == 100010 && info.bytes_expected == info.bytes_present &&
	      !strcmp(info.kernel_release, "6.12.0-test") &&
	      info.kernel_id_kind == KCT_KERNEL_ID_SYMBOLS && info.kernel_id_len == sizeof(id) &&
	      !memcmp(info.kernel_id, id, sizeof(id)) && info.nr_notes == 3,
	      "the trace's info as written (overflow taken from a stream)");
	CHECK(!strcmp(kct_trace_note(t, "filter.functions"), "do_*,vfs_read") &&
	      !strcmp(kct_trace_note(t, "empty"), "") && !strcmp(kct_trace_note(t, "k.2"), "a=b") &&
	      !kct_trace_note(t, "filter") && !kct_trace_note(t, "missing"),
	      "notes by key: values as written, a value may hold '=' or be empty");
	CHECK(!kct_trace_note_at(t, 1, &key, &value) && !strcmp(key, "empty") && !value[0] &&
	      kct_trace_note_at(t, 3, &key, &value) == -ERANGE,
	      "notes in the order written; ERANGE past the last");

	back = malloc(100003 * sizeof(*back));
	for (int s = 0; s < 3; s++) {
		uint64_t got = 0;
		int64_t n;

		/* In two reads, the second past the end. */
		n = kct_trace_read_records(t, at[s], 0, back, sizes[s] / 2);
		got += n > 0 ? (uint64_t)n : 0;
		n = kct_trace_read_records(t, at[s], got, back + got, sizes[s] + 10);
		got += n > 0 ? (uint64_t)n : 0;
		if (got != sizes[s] || memcmp(back, recs[s], sizes[s] * sizeof(*back)))
			same = false;
	}
	CHECK(same && kct_trace_read_records(t, 3, 0, back, 1) == -ERANGE,
	      "every stream's records as appended");
	{
		KCT_OPTS(kct_stream_info, a);
		KCT_OPTS(kct_stream_info, b);
		KCT_OPTS(kct_stream_info, c);

		kct_trace_stream(t, at[0], &a);
		kct_trace_stream(t, at[1], &b);
		kct_trace_stream(t, at[2], &c);
		CHECK(a.kind == KCT_STREAM_KIND_EXEC && a.seq == 1 && a.pid == 100 && a.tid == 100 &&
		      a.ppid == 99 && a.mode == KCT_MODE_TRACE_PC_EXT && a.syscall == 59 &&
		      a.flags == KCT_STREAM_F_ARGS && a.args[0] == 1 && a.args[5] == ~0ULL &&
		      a.lost == 0 && !strcmp(a.comm, "sh") && a.records == 0 && !a.records_written,
		      "an exec stream's metadata as written, its syscall's arguments too");
		CHECK(b.kind == KCT_STREAM_KIND_SYSCALL && b.syscall == 0 && b.tid == 101 &&
		      b.mode == KCT_MODE_TRACE_PC && b.flags == KCT_STREAM_F_OVERFLOW &&
		      b.lost == KCT_LOST_UNKNOWN && !b.args[0] && !strcmp(b.comm, "worker") &&
		      b.records == 7,
		      "a syscall stream of read (0) that overflowed: records lost unknown");
		CHECK(c.kind == KCT_STREAM_KIND_REMOTE && !c.pid && c.syscall == KCT_STREAM_NO_SYSCALL &&
		      !c.comm[0] && c.mode == KCT_MODE_TRACE_PC && !c.flags && !c.lost &&
		      c.records == 100003,
		      "a stream of an older caller's opts: its kind, the rest unknown");
	}
	{
		struct {
			struct kct_trace_info info;
			uint64_t newer;
		} big;
		struct kct_stream_info small;

		memset(&big, 0xa5, sizeof(big));
		big.info.sz = sizeof(big);
		memset(&small, 0xa5, sizeof(small));
		small.sz = offsetofend(struct kct_stream_info, records);
		CHECK(!kct_trace_get_info(t, &big.info) && big.info.nr_streams == 3 && !big.newer &&
		      big.info.sz == sizeof(struct kct_trace_info) &&
		      !kct_trace_stream(t, at[2], &small) && small.records == 100003 &&
		      small.records_written == 0xa5a5a5a5a5a5a5a5ULL &&
		      small.sz == offsetofend(struct kct_stream_info, records),
		      "info into a newer caller's struct (its field zeroed, sz the library's) and an "
		      "older one's (sz kept)");
	}
	{
		struct kct_decoder *dec;
		KCT_OPTS(kct_decoder_stats, st);
		struct kct_event ev;

		err = kct_trace_decoder(t, at[2], &dec);
		while (!err && (err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0)
			err = 0;
		CHECK(!err && !kct_decoder_get_stats(dec, &st) && st.records == 100003,
		      "a written stream decodes");
		kct_decoder_free(dec);
	}
	kct_trace_close(t);
	free(back);
	for (int s = 0; s < 3; s++)
		free(recs[s]);
}

/*
 * A writer writes a stream when it ends, and says with seq when it began:
 * readers number the streams by seq, those of the same seq in the order
 * written, each with its own records.
 */
static void test_stream_order(void)
{
	static const uint64_t seqs[] = { 5, 2, 9, 2, 0 };
	/* seq 0, 2, 2 (written second, then fourth), 5, 9 */
	static const int want[] = { 4, 1, 3, 0, 2 };
	struct kct_trace_writer *w;
	struct kct_trace *t;
	bool ok = true;

	if (kct_trace_writer_open(path, &base_wopts, &w))
		abort();
	for (int s = 0; s < 5; s++) {
		struct kct_stream_opts so = { .sz = sizeof(so), .kind = KCT_STREAM_KIND_TASK,
					      .seq = seqs[s], .tid = 100 + s };
		uint64_t *recs = make_records(s + 1, s + 1);

		if (kct_trace_writer_add(w, &so, recs, s + 1))
			abort();
		free(recs);
	}
	if (kct_trace_writer_commit(w) || kct_trace_open(path, &t))
		abort();
	for (int i = 0; i < 5; i++) {
		struct kct_stream_info sh = { .sz = sizeof(sh) };
		uint64_t *recs = make_records(want[i] + 1, want[i] + 1), back[8];

		ok &= !kct_trace_stream(t, i, &sh) && sh.tid == 100 + want[i] &&
		      sh.seq == seqs[want[i]] && sh.records == (uint64_t)want[i] + 1 &&
		      kct_trace_read_records(t, i, 0, back, 8) == want[i] + 1 &&
		      !memcmp(back, recs, (want[i] + 1) * sizeof(*back));
		free(recs);
	}
	CHECK(ok, "streams written as they end are numbered by seq, ties in the order written");
	kct_trace_close(t);
}

/*
 * A syscall's string arguments, as read at its entry: kept after its
 * header, each of them whole up to KCT_ARG_STRING_MAX bytes and cut there,
 * said to be; none for a stream without arguments.
 */
static void test_arg_strings(void)
{
	char longer[400];
	const char *st[6] = { NULL, "/etc/passwd", NULL, "", NULL, longer };
	struct kct_trace_writer *w;
	struct kct_trace *t;
	const char *s1, *s3, *s5;
	bool cut1 = true, cut5 = false;
	uint64_t rec = 0;

	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	if (kct_trace_writer_open(path, &base_wopts, &w))
		abort();
	{
		KCT_OPTS(kct_stream_opts, so, .kind = KCT_STREAM_KIND_SYSCALL, .syscall = 257,
			 .flags = KCT_STREAM_F_ARGS, .args = { 1, 2, 3, 4, 5, 6 });

		memcpy(so.arg_strings, st, sizeof(st));
		if (kct_trace_writer_add(w, &so, &rec, 1))
			abort();
		/* Strings without KCT_STREAM_F_ARGS: no arguments, none. */
		so.seq = 1;
		so.flags = 0;
		if (kct_trace_writer_add(w, &so, &rec, 1))
			abort();
	}
	if (kct_trace_writer_commit(w) || kct_trace_open(path, &t))
		abort();
	s1 = kct_trace_stream_string(t, 0, 1, &cut1);
	s3 = kct_trace_stream_string(t, 0, 3, NULL);
	s5 = kct_trace_stream_string(t, 0, 5, &cut5);
	CHECK(s1 && !strcmp(s1, "/etc/passwd") && !cut1 && s3 && !*s3 &&
	      !kct_trace_stream_string(t, 0, 0, NULL) && !kct_trace_stream_string(t, 0, 2, NULL) &&
	      !kct_trace_stream_string(t, 0, 6, NULL),
	      "a syscall's string arguments read back, none where it had none");
	CHECK(s5 && strlen(s5) == KCT_ARG_STRING_MAX && !strncmp(s5, longer, KCT_ARG_STRING_MAX) &&
	      cut5, "a string longer than KCT_ARG_STRING_MAX: cut there, and said to be");
	CHECK(!kct_trace_stream_string(t, 1, 1, NULL) && !kct_trace_stream_string(t, 2, 1, NULL),
	      "no strings without arguments, none past the last stream");
	{
		uint64_t back[2];

		CHECK(kct_trace_read_records(t, 0, 0, back, 2) == 1 && back[0] == rec &&
		      kct_trace_read_records(t, 1, 0, back, 2) == 1,
		      "the records after the strings, as written");
	}
	kct_trace_close(t);
}

/* An existing trace stays as it was until commit replaces it whole. */
static void test_atomic_commit(void)
{
	KCT_OPTS(kct_stream_opts, so, .kind = KCT_STREAM_KIND_TASK);
	uint64_t *recs = make_records(1000, 9);
	KCT_OPTS(kct_trace_info, info);
	struct kct_trace_writer *w;
	struct kct_trace *t;
	bool old = false;

	/* path holds the round trip's trace. */
	if (kct_trace_writer_open(path, &base_wopts, &w) || kct_trace_writer_add(w, &so, recs, 1000))
		abort();
	if (!kct_trace_open(path, &t)) {
		kct_trace_get_info(t, &info);
		old = info.nr_streams == 3 && info.records == 100010;
		kct_trace_close(t);
	}
	CHECK(old && files_in_dir() == 2, "while a trace is written, the old one at its path reads whole");
	CHECK(!kct_trace_writer_commit(w) && !kct_trace_open(path, &t) && !kct_trace_get_info(t, &info) &&
	      info.nr_streams == 1 && info.records == 1000 && files_in_dir() == 1,
	      "commit replaces it whole");
	kct_trace_close(t);
	if (kct_trace_writer_open(path, &base_wopts, &w) || kct_trace_writer_add(w, &so, recs, 10))
		abort();
	kct_trace_writer_abort(w);
	CHECK(!kct_trace_open(path, &t) && !kct_trace_get_info(t, &info) && info.records == 1000 &&
	      files_in_dir() == 1, "abort leaves the old trace as it was, and nothing else");
	kct_trace_close(t);
	free(recs);
}

/* Where the trace goes: refused at open if commit could not put it there;
 * its mode what open(O_CREAT) would give it under the umask. */
static void test_writer_files(void)
{
	static const mode_t masks[] = { 022, 027, 077, 0 };
	char sub[80];
	struct kct_trace_writer *w;
	struct stat st;
	bool ok = true;
	int files = files_in_dir();

	snprintf(sub, sizeof(sub), "%s/a-dir", dir);
	if (mkdir(sub, 0755))
		abort();
	CHECK(kct_trace_writer_open(sub, &base_wopts, &w) == -EISDIR && !w &&
	      files_in_dir() == files + 1,
	      "a directory at the path: EISDIR at open, not at commit, and no file");
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/none/t.trace", dir);
	CHECK(kct_trace_writer_open(sub, &base_wopts, &w) == -ENOENT && !w && files_in_dir() == files,
	      "a path in a missing directory: ENOENT at open");
	snprintf(sub, sizeof(sub), "%s/mode.trace", dir);
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		mode_t old = umask(masks[i]);

		ok &= !kct_trace_writer_open(sub, &base_wopts, &w) && !kct_trace_writer_commit(w) &&
		      !stat(sub, &st) && (st.st_mode & 07777) == (0666 & ~masks[i]);
		umask(old);
		unlink(sub);
	}
	CHECK(ok, "the trace's mode: 0666 less the umask, as open(O_CREAT) makes it");
}

/* The records of the trace at p, or -1 if it cannot be read. */
static int64_t trace_records(const char *p)
{
	KCT_OPTS(kct_trace_info, info);
	struct kct_trace *t;
	int64_t n = -1;

	if (!kct_trace_open(p, &t)) {
		if (!kct_trace_get_info(t, &info))
			n = (int64_t)info.records;
		kct_trace_close(t);
	}
	return n;
}

/* A trace of n records of one stream at p, committed with backup; its
 * commit's result. */
static int write_backed_up(const char *p, const char *backup, uint64_t n, bool commit)
{
	KCT_OPTS(kct_stream_opts, so, .kind = KCT_STREAM_KIND_TASK);
	struct kct_trace_writer_opts wo = base_wopts;
	uint64_t *recs = make_records(n, 5);
	struct kct_trace_writer *w;
	int err;

	wo.backup = backup;
	err = kct_trace_writer_open(p, &wo, &w);
	if (!err)
		err = kct_trace_writer_add(w, &so, recs, n);
	if (!err && commit)
		err = kct_trace_writer_commit(w);
	else if (!err)
		kct_trace_writer_abort(w);
	free(recs);
	return err;
}

/* opts.backup: what commit replaces is kept there, as perf keeps
 * perf.data.old; nothing else moves. */
static void test_backup(void)
{
	char p[80], old[80];
	int files = files_in_dir();

	snprintf(p, sizeof(p), "%s/b.trace", dir);
	snprintf(old, sizeof(old), "%s/b.trace.old", dir);
	CHECK(!write_backed_up(p, old, 10, true) && trace_records(p) == 10 && access(old, F_OK) &&
	      files_in_dir() == files + 1, "backup: nothing at the path, nothing kept");
	CHECK(!write_backed_up(p, old, 20, true) && trace_records(p) == 20 &&
	      trace_records(old) == 10 && files_in_dir() == files + 2,
	      "backup: the trace it replaces is kept there");
	CHECK(!write_backed_up(p, old, 30, true) && trace_records(p) == 30 &&
	      trace_records(old) == 20 && files_in_dir() == files + 2,
	      "backup: and replaces the one kept before");
	CHECK(!write_backed_up(p, old, 40, false) && trace_records(p) == 30 &&
	      trace_records(old) == 20 && files_in_dir() == files + 2,
	      "backup: an aborted trace moves nothing");
	unlink(old);
	if (mkdir(old, 0755))
		abort();
	CHECK(write_backed_up(p, old, 50, true) == -EISDIR && trace_records(p) == 30 &&
	      files_in_dir() == files + 2, "backup: a directory there: EISDIR at open, nothing moved");
	rmdir(old);
	unlink(p);
}

/* Flags a writer learns as it goes: a recording stopped early. */
static void test_add_flags(void)
{
	KCT_OPTS(kct_trace_info, info);
	struct kct_trace_writer *w;
	struct kct_trace *t;
	char p[80];
	bool refused;

	snprintf(p, sizeof(p), "%s/f.trace", dir);
	if (kct_trace_writer_open(p, &base_wopts, &w))
		abort();
	refused = kct_trace_writer_add_flags(w, KCT_TRACE_F_TRUNCATED) == -EINVAL &&
		  kct_trace_writer_add_flags(w, 1u << 31) == -EINVAL;
	CHECK(!kct_trace_writer_add_flags(w, KCT_TRACE_F_INTERRUPTED) && refused &&
	      !kct_trace_writer_commit(w) && !kct_trace_open(p, &t) && !kct_trace_get_info(t, &info) &&
	      info.flags == KCT_TRACE_F_INTERRUPTED,
	      "add_flags: KCT_TRACE_F_INTERRUPTED read back; a reader's flag or an unknown one: EINVAL");
	kct_trace_close(t);
	unlink(p);
}

static void write_file(const char *p, const void *data, size_t len)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd))
		abort();
}

static char *read_file(const char *p, size_t *len)
{
	struct stat st;
	char *data;
	int fd = open(p, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		abort();
	data = malloc(st.st_size + 64);
	if (!data || read(fd, data, st.st_size) != st.st_size)
		abort();
	close(fd);
	*len = st.st_size;
	return data;
}

static void test_versions(void)
{
	static const struct {
		uint32_t version;
		int err;
	} cases[] = { { 0, -KCT_ERR_CORRUPT }, { 1, -KCT_ERR_OLDER }, { 2, -KCT_ERR_OLDER },
		      { KCT_TRACE_VERSION + 1, -KCT_ERR_NEWER } };
	char *data, other[80];
	size_t len;
	struct kct_trace *t;

	data = read_file(path, &len);
	snprintf(other, sizeof(other), "%s/version.trace", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(data + offsetof(struct kct_disk_trace, version), &cases[i].version, 4);
		write_file(other, data, len);
		CHECK(kct_trace_open(other, &t) == cases[i].err && !t,
		      "version %u: %s", cases[i].version, kct_strerror(cases[i].err));
	}
	CHECK(!strcmp(kct_strerror(-KCT_ERR_OLDER), "trace format older than version 3; record it again"),
	      "older versions: \"%s\"", kct_strerror(-KCT_ERR_OLDER));
	unlink(other);
	free(data);
}

/*
 * A trace of three streams, cut at every length: up to its header an
 * error, from there on a prefix of its streams and of the records of the
 * one cut, as the file holds them.
 */
static void test_cut(void)
{
	static const uint64_t sizes[] = { 5, 0, 9 };
	KCT_OPTS(kct_stream_opts, so, .kind = KCT_STREAM_KIND_TASK);
	const char *notes[] = { "a=b", NULL };
	struct kct_trace_writer_opts wo = base_wopts;
	uint64_t *recs = make_records(14, 3), starts[3], header_size, full;
	struct kct_trace_writer *w;
	char *data, cut[80];
	size_t len;
	int wrong = -1, refused = 0;

	wo.notes = notes;
	if (kct_trace_writer_open(path, &wo, &w))
		abort();
	for (int s = 0, at = 0; s < 3; at += sizes[s], s++)
		if (kct_trace_writer_add(w, &so, recs + at, sizes[s]))
			abort();
	if (kct_trace_writer_commit(w))
		abort();
	data = read_file(path, &len);
	header_size = *(uint32_t *)(data + offsetof(struct kct_disk_trace, header_size));
	full = len;
	for (int s = 0, off = header_size; s < 3; s++) {
		starts[s] = off + sizeof(struct kct_disk_stream);
		off = starts[s] + 8 * sizes[s];
	}
	snprintf(cut, sizeof(cut), "%s/cut.trace", dir);
	for (uint64_t l = 0; l < full && wrong < 0; l++) {
		KCT_OPTS(kct_trace_info, info);
		uint32_t want_streams = 0;
		struct kct_trace *t;
		int err;

		write_file(cut, data, l);
		err = kct_trace_open(cut, &t);
		if (l < header_size) {
			/* Empty, or the header is cut: even before the
			 * end of the magic. */
			if (err != (l ? -KCT_ERR_TRUNC : -KCT_ERR_EMPTY))
				wrong = (int)l;
			refused += err == -KCT_ERR_TRUNC;
			if (!err)
				kct_trace_close(t);
			continue;
		}
		if (err) {
			wrong = (int)l;
			break;
		}
		kct_trace_get_info(t, &info);
		for (int s = 0; s < 3; s++)
			want_streams += l >= starts[s];
		if (!(info.flags & KCT_TRACE_F_TRUNCATED) || info.nr_streams != want_streams ||
		    info.nr_streams_written != 3 || info.bytes_present != l || info.bytes_expected != full ||
		    info.nr_notes != 1)
			wrong = (int)l;
		for (uint32_t s = 0, at = 0; s < info.nr_streams && wrong < 0; at += sizes[s], s++) {
			KCT_OPTS(kct_stream_info, si);
			uint64_t intact = l >= starts[s] + 8 * sizes[s] ? sizes[s] : (l - starts[s]) / 8;
			uint64_t back[16];
			struct kct_decoder *dec;
			struct kct_event ev;
			int k;

			kct_trace_stream(t, s, &si);
			if (si.records != intact || si.records_written != sizes[s] ||
			    !!(si.flags & KCT_STREAM_F_TRUNCATED) != (intact < sizes[s]) ||
			    kct_trace_read_records(t, s, 0, back, 16) != (int64_t)intact ||
			    memcmp(back, recs + at, intact * 8) || kct_trace_decoder(t, s, &dec))
				wrong = (int)l;
			else {
				while ((k = kct_decoder_next(dec, &ev, sizeof(ev))) > 0)
					;
				if (k)
					wrong = (int)l;
				kct_decoder_free(dec);
			}
		}
		kct_trace_close(t);
	}
	CHECK(wrong < 0 && refused == (int)header_size - 1,
	      "a trace cut at each of its %llu lengths: empty, KCT_ERR_EMPTY; its header cut (its "
	      "magic too), KCT_ERR_TRUNC; past it, the "
	      "intact streams and records, decoded (first wrong at %d)", (unsigned long long)full,
	      wrong);
	unlink(cut);
	unlink(path);
	free(data);
	free(recs);
}

/*
 * An older writer's trace cut right after two empty streams of the
 * smallest header, of three: the file has room for exactly the two, which
 * are read, and the trace is cut short (the fuzzer found the reader
 * looking at a third stream it had made no room for).
 */
static void test_cut_after_smallest_streams(void)
{
	struct {
		struct kct_disk_trace h;
		struct {
			uint32_t size, kind;
			uint64_t records;
		} s[2];
	} f;
	KCT_OPTS(kct_trace_info, info);
	KCT_OPTS(kct_stream_info, si);
	struct kct_trace *t;
	char p[80];

	memset(&f, 0, sizeof(f));
	memcpy(f.h.magic, KCT_TRACE_MAGIC, 8);
	f.h.version = KCT_TRACE_VERSION;
	f.h.fixed_size = f.h.header_size = sizeof(f.h);
	f.h.mode = KCT_MODE_TRACE_PC_EXT;
	f.h.nr_streams = 3;
	/* The third stream's header, as written, would have followed. */
	f.h.file_size = sizeof(f) + KCT_DISK_STREAM_MIN_SIZE;
	for (int i = 0; i < 2; i++)
		f.s[i] = (__typeof__(f.s[0])){ .size = KCT_DISK_STREAM_MIN_SIZE,
					       .kind = KCT_STREAM_KIND_TASK };
	snprintf(p, sizeof(p), "%s/smallest.trace", dir);
	write_file(p, &f, sizeof(f));
	CHECK(!kct_trace_open(p, &t) && !kct_trace_get_info(t, &info) &&
	      info.flags & KCT_TRACE_F_TRUNCATED && info.nr_streams == 2 &&
	      info.nr_streams_written == 3 && !info.records &&
	      !kct_trace_stream(t, 1, &si) && si.kind == KCT_STREAM_KIND_TASK &&
	      kct_trace_stream(t, 2, &si) == -ERANGE,
	      "cut after two streams of the smallest header, of three: the two, cut short");
	kct_trace_close(t);
	unlink(p);
}

/*
 * Headers of other writers of version 3: a newer one's (a longer fixed
 * header, an item of an unknown type, a longer stream header) read for
 * the fields this reader knows; an older one's (a stream header of the
 * smallest size) with the rest unknown.
 */
static void test_other_writers(void)
{
	struct {
		struct kct_disk_trace h;
		uint64_t newer_field;
		struct kct_disk_item unknown;
		char unknown_data[8];
		struct kct_disk_item note;
		char note_data[8];
		struct {
			struct kct_disk_stream s;
			uint64_t newer_field;
		} s0;
		uint64_t r0[2];
		struct {
			uint32_t size, kind;
			uint64_t records;
		} s1;
		uint64_t r1[1];
	} f;
	KCT_OPTS(kct_stream_info, a);
	KCT_OPTS(kct_stream_info, b);
	KCT_OPTS(kct_trace_info, info);
	struct kct_trace *t;
	char p[80];

	memset(&f, 0, sizeof(f));
	memcpy(f.h.magic, KCT_TRACE_MAGIC, 8);
	f.h.version = KCT_TRACE_VERSION;
	f.h.fixed_size = sizeof(f.h) + sizeof(f.newer_field);
	f.h.header_size = offsetof(__typeof__(f), s0);
	f.h.mode = KCT_MODE_TRACE_PC_EXT;
	f.h.nr_streams = 2;
	f.h.records = 3;
	f.h.file_size = sizeof(f);
	f.newer_field = ~0ULL;
	f.unknown = (struct kct_disk_item){ .type = 99, .size = 5 };
	memcpy(f.unknown_data, "abcde", 5);
	f.note = (struct kct_disk_item){ .type = KCT_ITEM_NOTE, .size = 4 };
	memcpy(f.note_data, "k\0v", 4);
	f.s0.s.size = sizeof(f.s0);
	f.s0.s.kind = KCT_STREAM_KIND_SYSCALL;
	f.s0.s.records = 2;
	f.s0.s.pid = 5;
	f.s0.s.syscall = 1;
	f.s0.s.mode = KCT_MODE_TRACE_PC_EXT;
	memcpy(f.s0.s.comm, "newer", 5);
	f.s0.newer_field = ~0ULL;
	f.r0[0] = KCT_RECORD(KCT_RECORD_KIND_ENTRY, 1);
	f.r0[1] = KCT_RECORD(KCT_RECORD_KIND_EXIT, 2);
	f.s1.size = KCT_DISK_STREAM_MIN_SIZE;
	f.s1.kind = KCT_STREAM_KIND_TASK;
	f.s1.records = 1;
	f.r1[0] = KCT_RECORD(KCT_RECORD_KIND_NORMAL, 3);
	snprintf(p, sizeof(p), "%s/other.trace", dir);
	write_file(p, &f, sizeof(f));
	CHECK(!kct_trace_open(p, &t) && !kct_trace_get_info(t, &info) && info.nr_streams == 2 &&
	      info.records == 3 && info.nr_notes == 1 && !strcmp(kct_trace_note(t, "k"), "v") &&
	      !kct_trace_stream(t, 0, &a) && !kct_trace_stream(t, 1, &b),
	      "a newer writer's longer headers and unknown item are read past");
	CHECK(a.kind == KCT_STREAM_KIND_SYSCALL && a.records == 2 && a.pid == 5 && a.syscall == 1 &&
	      !strcmp(a.comm, "newer"), "its longer stream header: the fields this reader knows");
	CHECK(b.kind == KCT_STREAM_KIND_TASK && b.records == 1 && !b.pid &&
	      b.syscall == KCT_STREAM_NO_SYSCALL && b.lost == KCT_LOST_UNKNOWN &&
	      b.mode == KCT_MODE_TRACE_PC_EXT && !b.comm[0],
	      "an older writer's shortest stream header: kind and records, the rest unknown");
	{
		uint64_t r[2];

		CHECK(kct_trace_read_records(t, 1, 0, r, 2) == 1 && r[0] == f.r1[0],
		      "and its records");
	}
	kct_trace_close(t);

	/* Each a corrupt file, not a cut one. */
	f.s1.size = 12;
	write_file(p, &f, sizeof(f));
	CHECK(kct_trace_open(p, &t) == -KCT_ERR_CORRUPT, "a stream header smaller than the smallest: KCT_ERR_CORRUPT");
	f.s1.size = KCT_DISK_STREAM_MIN_SIZE;
	f.note.size = 3;	/* "k\0v" without its NUL */
	write_file(p, &f, sizeof(f));
	CHECK(kct_trace_open(p, &t) == -KCT_ERR_CORRUPT, "a note without its end: KCT_ERR_CORRUPT");
	f.note.size = 4;
	f.h.records = 4;
	write_file(p, &f, sizeof(f));
	CHECK(kct_trace_open(p, &t) == -KCT_ERR_CORRUPT, "a record count that does not add up: KCT_ERR_CORRUPT");
	f.h.records = 3;
	f.s1.records = 2;
	write_file(p, &f, sizeof(f));
	CHECK(kct_trace_open(p, &t) == -KCT_ERR_CORRUPT,
	      "a stream longer than a file of its full length: corrupt, not cut (KCT_ERR_CORRUPT)");
	unlink(p);
	test_cut_after_smallest_streams();
}

/*
 * Files that are no trace, each refused for what it is (issue 19, item 4):
 * any file whose size is a multiple of 8 once passed for a raw buffer whose
 * "header is cut".
 */
static void test_foreign(void)
{
	static char elf[4096] = "\x7f" "ELF\x02\x01\x01";
	static const char text[] = "#!/usr/bin/env python3\nimport sys\n\tprint(\"kcov\")\r\n";
	static const uint64_t binary[4] = { 0x0123456789abcdefULL, 1, 2, 3 };
	static const struct {
		const char *what;
		const void *data;
		size_t len;
		int err;
	} cases[] = {
		{ "the first 4 KB of an ELF file", elf, sizeof(elf), -KCT_ERR_ELF_FILE },
		{ "an ELF file of an odd size", elf, 1001, -KCT_ERR_ELF_FILE },
		{ "a text file", text, sizeof(text) - 1, -KCT_ERR_TEXT_FILE },
		{ "a text file of 48 bytes, a multiple of 8", text, 48, -KCT_ERR_TEXT_FILE },
		{ "an empty file", "", 0, -KCT_ERR_EMPTY },
		{ "a binary file, a raw buffer of a count larger than it", binary, sizeof(binary),
		  -KCT_ERR_FORMAT },
		{ "a binary file of an odd size", binary, 13, -KCT_ERR_FORMAT },
	};
	struct kct_trace *t;
	char p[80];

	snprintf(p, sizeof(p), "%s/foreign", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err;

		write_file(p, cases[i].data, cases[i].len);
		err = kct_trace_open(p, &t);
		CHECK(err == cases[i].err && !t, "%s: \"%s\" (got \"%s\")", cases[i].what,
		      kct_strerror(cases[i].err), kct_strerror(err));
		if (!err)
			kct_trace_close(t);
	}
	unlink(p);
}

/* Each of the library's own codes has a message of its own, and an errno
 * value keeps strerror()'s. */
static void test_strerror(void)
{
	int bad = 0;

	for (int i = KCT_ERR_START; i < KCT_ERR_END; i++) {
		const char *m = kct_strerror(-i);

		if (!m || !*m || !strncmp(m, "Unknown error", 13) || strcmp(m, kct_strerror(i)))
			bad = i;
		for (int j = KCT_ERR_START; j < i; j++)
			if (!strcmp(m, kct_strerror(-j)))
				bad = i;
	}
	CHECK(!bad, "every KCT_ERR_* code has a message of its own (first wrong: %d)", bad);
	CHECK(!strcmp(kct_strerror(-EBADMSG), strerror(EBADMSG)) &&
	      !strcmp(kct_strerror(-E2BIG), strerror(E2BIG)) &&
	      !strcmp(kct_strerror(-ENOEXEC), strerror(ENOEXEC)) &&
	      !strcmp(kct_strerror(-ENODATA), strerror(ENODATA)),
	      "errno values the library once overloaded are strerror()'s again");
}

/*
 * Many streams, whose headers the reader takes from reads of many at once
 * where streams are short, and reads a header each where they are long:
 * first 200 long streams, then 2,800 short ones (0 to 40 records).  Every
 * stream reads back as written, in few reads; cut inside a header or
 * inside records near the windows' edges, the trace is read up to the cut.
 */
enum { MANY_LONG = 200, MANY_STREAMS = 3000 };

static uint64_t many_length(uint32_t s)
{
	return s < MANY_LONG ? 2000 + s : (s * 7919) % 41;
}

static void test_many_streams(void)
{
	static const uint32_t cut_at[] = { 0, 1, 150, 199, 200, 201, 260, 420, 421, 1500,
					   2998, 2999 };
	struct kct_stream_opts so = { .sz = sizeof(so), .kind = KCT_STREAM_KIND_SYSCALL };
	uint64_t *starts = malloc(MANY_STREAMS * sizeof(*starts)), total = 0, header_size, at = 0;
	struct kct_trace_info info = { .sz = sizeof(info) };
	struct kct_trace_writer *w;
	unsigned long long reads;
	struct kct_trace *t;
	uint64_t *recs, back[2200];
	int wrong = -1, wrong_cut = -1;
	char cut[80], *data;
	size_t len;

	for (uint32_t s = 0; s < MANY_STREAMS; s++)
		total += many_length(s);
	recs = make_records(total, 5);
	if (!starts || kct_trace_writer_open(path, &base_wopts, &w))
		abort();
	for (uint32_t s = 0; s < MANY_STREAMS; at += many_length(s), s++) {
		so.seq = s;
		so.tid = (int32_t)s + 1;
		so.syscall = (int32_t)(s % 300);
		if (kct_trace_writer_add(w, &so, recs + at, many_length(s)))
			abort();
	}
	if (kct_trace_writer_commit(w))
		abort();
	reads = preads;
	CHECK(!kct_trace_open(path, &t) && !kct_trace_info(t, &info) &&
	      info.nr_streams == MANY_STREAMS && info.records == total && !info.flags,
	      "%d streams, %d long ones first: all read", MANY_STREAMS, MANY_LONG);
	reads = preads - reads;
	/* A read a header for the long streams; for the short ones, a read
	 * of 4 KiB (a dozen headers) each until their mean length is short,
	 * then reads of 256 KiB: the 2,800 take about 800 KB. */
	CHECK(reads < MANY_LONG + 50, "opening them took %llu reads, not two a stream", reads);
	at = 0;
	for (uint32_t s = 0; s < info.nr_streams && wrong < 0; at += many_length(s), s++) {
		struct kct_stream_info si = { .sz = sizeof(si) };
		uint64_t n = many_length(s);

		if (kct_trace_stream(t, s, &si) || si.records != n || si.seq != s ||
		    si.tid != (int32_t)s + 1 || si.syscall != (int32_t)(s % 300) ||
		    si.kind != KCT_STREAM_KIND_SYSCALL ||
		    kct_trace_read_records(t, s, 0, back, 2200) != (int64_t)n ||
		    memcmp(back, recs + at, n * 8))
			wrong = (int)s;
	}
	CHECK(wrong < 0, "every stream's header and records as written (first wrong: %d)", wrong);
	kct_trace_close(t);

	data = read_file(path, &len);
	header_size = *(uint32_t *)(data + offsetof(struct kct_disk_trace, header_size));
	starts[0] = header_size;
	for (uint32_t s = 1; s < MANY_STREAMS; s++)
		starts[s] = starts[s - 1] + sizeof(struct kct_disk_stream) + 8 * many_length(s - 1);
	snprintf(cut, sizeof(cut), "%s/many-cut.trace", dir);
	for (size_t c = 0; c < sizeof(cut_at) / sizeof(cut_at[0]) && wrong_cut < 0; c++) {
		uint32_t s = cut_at[c];

		/* In stream s's header, then in its records (if any). */
		for (int in_records = 0; in_records < 2 && wrong_cut < 0; in_records++) {
			uint64_t l = starts[s] + (in_records ? sizeof(struct kct_disk_stream) +
						  8 * (many_length(s) / 2) + 3 : 20);
			uint32_t want = s + (in_records && many_length(s));
			struct kct_stream_info si = { .sz = sizeof(si) };

			if (in_records && !many_length(s))
				continue;
			write_file(cut, data, l);
			if (kct_trace_open(cut, &t)) {
				wrong_cut = (int)s;
				break;
			}
			kct_trace_info(t, &info);
			if (!(info.flags & KCT_TRACE_F_TRUNCATED) || info.nr_streams != want ||
			    (in_records && (kct_trace_stream(t, s, &si) ||
					    si.records != many_length(s) / 2 ||
					    !(si.flags & KCT_STREAM_F_TRUNCATED))))
				wrong_cut = (int)s;
			kct_trace_close(t);
		}
	}
	CHECK(wrong_cut < 0, "cut in a header or in the records of a stream among many: the "
	      "streams before it, and its intact records (first wrong: %d)", wrong_cut);
	unlink(cut);
	unlink(path);
	free(data);
	free(recs);
	free(starts);
}

/* Whether the n events of a and b are the same, field by field. */
static bool same_events(const struct kct_event *a, const struct kct_event *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i].type != b[i].type || a[i].flags != b[i].flags || a[i].depth != b[i].depth ||
		    a[i].index != b[i].index || a[i].pc != b[i].pc ||
		    a[i].entry_pc != b[i].entry_pc || a[i].delta != b[i].delta ||
		    a[i].mindelta != b[i].mindelta)
			return false;
	return true;
}

/* Every event of a decoder, up to max; how many, or a negative errno. */
static int all_events(struct kct_decoder *dec, struct kct_event *evs, int max)
{
	int n = 0, k;

	while (n < max && (k = kct_decoder_next_batch(dec, evs + n, sizeof(*evs), max - n)) > 0)
		n += k;
	kct_decoder_free(dec);
	return k < 0 ? k : n;
}

/*
 * The writer counts the frames a stream's first tree exits without having
 * entered them (its header's unknown_callers, plus 1), so that a reader's
 * decoder need not look for them in a first pass: none, three, three before
 * an EESUM record that cannot be balanced and more after it (which the
 * decoder's pass finds), records written in pieces.  Decoded from the
 * trace, the events are those of a decoder on the same records in memory,
 * which takes its first pass.  A header that claims more is read as
 * well; one that claims fewer fails with EIO where the records go lower,
 * never with wrong events.
 */
static void test_unknown_callers(void)
{
	static const struct {
		const char *records;
		uint64_t unknown_callers;
	} cases[] = {
		{ "E100 B104 E200 X2f0 X1f0", 1 },
		{ "B104 X1f0 B304 X3f0 E100 X1f0 D-1/-2 X4f0 B504", 5 },
		{ "X1f0 D1/-1 X2f0 B304 E100 Dsat X3f0 X4f0 E500", 3 },
	};
	struct kct_stream_opts so = { .sz = sizeof(so), .kind = KCT_STREAM_KIND_TASK };
	struct kct_event want[64], got[64];
	uint64_t recs[3][32];
	size_t nrec[3];
	struct kct_trace_writer *w;
	struct kct_trace *t;
	int wrong = -1;

	if (kct_trace_writer_open(path, &base_wopts, &w))
		abort();
	for (int c = 0; c < 3; c++) {
		nrec[c] = parse_records(cases[c].records, recs[c]);
		/* In pieces of one, then the rest. */
		if (kct_trace_writer_begin_stream(w, &so) ||
		    kct_trace_writer_append(w, recs[c], 1) ||
		    kct_trace_writer_append(w, recs[c] + 1, nrec[c] - 1) ||
		    kct_trace_writer_end_stream(w))
			abort();
	}
	if (kct_trace_writer_commit(w) || kct_trace_open(path, &t))
		abort();
	for (int c = 0; c < 3 && wrong < 0; c++) {
		struct kct_decoder *dec;
		int n, m;

		if (kct_decoder_new_mem(recs[c], nrec[c], &(struct kct_decoder_opts){
					.sz = sizeof(struct kct_decoder_opts),
					.pc_fill = KCT_PC_FILL_KERNEL }, &dec))
			abort();
		n = all_events(dec, want, 64);
		if (kct_trace_decoder(t, c, &dec))
			abort();
		m = all_events(dec, got, 64);
		if (n <= 0 || n != m || !same_events(want, got, n))
			wrong = c;
	}
	kct_trace_close(t);
	CHECK(wrong < 0, "streams with unknown callers, before and after a restart: decoded from "
	      "the trace as from memory (first wrong: %d)", wrong);
	{
		size_t len, off;
		char *data = read_file(path, &len);
		struct kct_disk_stream sh;
		bool said = true;
		int n, m;

		off = *(uint32_t *)(data + offsetof(struct kct_disk_trace, header_size));
		for (int c = 0; c < 3; c++) {
			memcpy(&sh, data + off, sizeof(sh));
			said &= sh.size == sizeof(sh) && sh.unknown_callers == cases[c].unknown_callers;
			off += sh.size + 8 * sh.records;
		}
		CHECK(said, "the headers say the frames of unknown callers of each first tree, plus 1");

		/* Stream 1 (four unknown callers) claiming ten, then none. */
		off = *(uint32_t *)(data + offsetof(struct kct_disk_trace, header_size));
		memcpy(&sh, data + off, sizeof(sh));
		off += sh.size + 8 * sh.records;
		for (int claim = 0; claim < 2; claim++) {
			struct kct_decoder *dec;

			((struct kct_disk_stream *)(data + off))->unknown_callers = claim ? 1 : 11;
			write_file(path, data, len);
			if (kct_trace_open(path, &t) || kct_trace_decoder(t, 1, &dec))
				abort();
			m = all_events(dec, got, 64);
			kct_trace_close(t);
			if (kct_decoder_new_mem(recs[1], nrec[1], &(struct kct_decoder_opts){
						.sz = sizeof(struct kct_decoder_opts),
						.pc_fill = KCT_PC_FILL_KERNEL }, &dec))
				abort();
			n = all_events(dec, want, 64);
			if (!claim)
				CHECK(n > 0 && n == m && same_events(want, got, n),
				      "a header that claims more unknown callers: the same events");
			else
				CHECK(m == -EIO || (m > 0 && m < n),
				      "a header that claims none where there are: EIO (%d), never "
				      "wrong events", m);
		}
		free(data);
	}
	unlink(path);
}

static void test_raw(void)
{
	uint64_t buf[512] = { 511 };
	KCT_OPTS(kct_trace_info, info);
	KCT_OPTS(kct_stream_info, si);
	struct kct_trace *t;
	char p[80];

	snprintf(p, sizeof(p), "%s/raw", dir);
	write_file(p, buf, sizeof(buf));
	CHECK(!kct_trace_open(p, &t) && !kct_trace_get_info(t, &info) && info.raw &&
	      info.flags == KCT_TRACE_F_OVERFLOW && info.buffer_words == 512 && !info.version &&
	      !kct_trace_stream(t, 0, &si) && si.kind == KCT_STREAM_KIND_UNKNOWN &&
	      si.records == 511 && si.flags == KCT_STREAM_F_OVERFLOW && si.lost == KCT_LOST_UNKNOWN &&
	      si.syscall == KCT_STREAM_NO_SYSCALL,
	      "a full raw kcov buffer: one stream of unknown kind, overflowed");
	kct_trace_close(t);
	unlink(p);
}

/*
 * The _opts variants (issue 19, item 20): kct_trace_open_opts() may refuse
 * a raw buffer, kct_trace_decoder_opts() takes max_depth (and pc_fill);
 * NULL opts are the plain functions; an unknown non-zero field is -EINVAL.
 * kct_trace_get_info() and kct_decoder_get_stats() are kct_trace_get_info()
 * and kct_decoder_get_stats() under names of their own.
 */
static void test_opts_variants(void)
{
	uint64_t recs[16], buf[4] = { 2, KCT_RECORD_TYPE_ENTRY | 1, KCT_RECORD_TYPE_EXIT | 2, 0 };
	KCT_OPTS(kct_stream_opts, so, .kind = KCT_STREAM_KIND_TASK);
	KCT_OPTS(kct_trace_opts, strict, .no_raw = true);
	KCT_OPTS(kct_decoder_opts, shallow, .max_depth = 4);
	KCT_OPTS(kct_trace_info, info);
	KCT_OPTS(kct_trace_info, old);
	KCT_OPTS(kct_decoder_stats, st);
	KCT_OPTS(kct_decoder_stats, st_old);
	struct {
		struct kct_trace_opts o;
		uint64_t newer;
	} big = { .o = { .sz = sizeof(big) }, .newer = 1 };
	struct kct_trace_writer_opts wo = base_wopts;
	struct kct_trace_writer *w;
	struct kct_decoder *dec = NULL;
	struct kct_event ev;
	struct kct_trace *t = NULL;
	char raw[80];
	int err, n = 0;

	/* Six calls deep, then back. */
	for (int i = 0; i < 6; i++) {
		recs[i] = KCT_RECORD_TYPE_ENTRY | (0x100 + i);
		recs[11 - i] = KCT_RECORD_TYPE_EXIT | (0x200 + i);
	}
	if (kct_trace_writer_open(path, &wo, &w) || kct_trace_writer_add(w, &so, recs, 12) ||
	    kct_trace_writer_commit(w))
		abort();
	snprintf(raw, sizeof(raw), "%s/opts.raw", dir);
	write_file(raw, buf, sizeof(buf));

	CHECK(!kct_trace_open_opts(raw, NULL, &t) && t, "kct_trace_open_opts(NULL opts): a raw buffer opens");
	kct_trace_close(t);
	CHECK(kct_trace_open_opts(raw, &strict, &t) == -KCT_ERR_FORMAT && !t,
	      "kct_trace_open_opts(.no_raw): a raw buffer is refused, KCT_ERR_FORMAT");
	CHECK(kct_trace_open_opts(path, (struct kct_trace_opts *)&big, &t) == -EINVAL && !t,
	      "kct_trace_open_opts: an unknown non-zero field, EINVAL");
	if (kct_trace_open_opts(path, &strict, &t))
		abort();
	CHECK(!kct_trace_get_info(t, &info) && !kct_trace_info(t, &old) && info.nr_streams == 1 &&
	      info.records == 12 && !memcmp(&info, &old, sizeof(info)),
	      "kct_trace_get_info() fills what kct_trace_get_info() does");

	err = kct_trace_decoder_opts(t, 0, &shallow, &dec);
	if (!err)
		while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0)
			n++;
	CHECK(err == -KCT_ERR_DEPTH, "kct_trace_decoder_opts(.max_depth = 4): a stream 6 deep fails, "
	      "KCT_ERR_DEPTH (got %d after %d events)", err, n);
	kct_decoder_free(dec);
	dec = NULL;
	n = 0;
	err = kct_trace_decoder_opts(t, 0, NULL, &dec);
	if (!err)
		while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0)
			n += ev.pc >> 56 == 0xff;	/* the trace's pc_fill */
	CHECK(!err && n == 12 && !kct_decoder_get_stats(dec, &st) &&
	      !kct_decoder_stats(dec, &st_old) && st.max_depth == 6 &&
	      !memcmp(&st, &st_old, sizeof(st)),
	      "kct_trace_decoder_opts(NULL opts): the trace's pc_fill, no limit hit; "
	      "kct_decoder_get_stats() as kct_decoder_get_stats()");
	kct_decoder_free(dec);
	{
		struct {
			struct kct_decoder_opts o;
			uint64_t newer;
		} bigd = { .o = { .sz = sizeof(bigd) }, .newer = 1 };

		CHECK(kct_trace_decoder_opts(t, 0, &bigd.o, &dec) == -EINVAL && !dec &&
		      kct_trace_decoder_opts(t, 1, NULL, &dec) == -ERANGE && !dec,
		      "kct_trace_decoder_opts: an unknown non-zero field, EINVAL; no stream 1, ERANGE");
	}
	kct_trace_close(t);
	unlink(raw);
	unlink(path);
}

/*
 * A file that shrinks while it is read: the records past its new end are
 * an error, EIO, as kct_trace_read_records() returns, never a signal (the
 * decoder once mapped streams longer than its read chunk of 65,536
 * records, and a mapped page past the end of the file raises SIGBUS).
 * Each case runs in a child, so that a signal fails the case, not the
 * suite.
 */
enum { SHRINK_RECORDS = 300000 };

enum shrink_case {
	SHRINK_BEFORE_DECODER,	/* after open, before the decoder's first pass */
	SHRINK_WHILE_DECODING,	/* between the decoder's events */
	SHRINK_RAW,		/* a raw kcov buffer, while decoding */
};

/* The child's part: 0 if every read past the cut failed with EIO, else
 * the step that did not. */
static int shrink_child(enum shrink_case c, const char *p, off_t cut)
{
	static struct kct_event evs[256];
	struct kct_decoder *dec = NULL;
	struct kct_trace *t;
	uint64_t rec, events = 0;
	int err;

	if (kct_trace_open(p, &t))
		return 10;
	if (c != SHRINK_BEFORE_DECODER &&
	    (kct_trace_decoder(t, 0, &dec) ||
	     kct_decoder_next_batch(dec, evs, sizeof(evs[0]), 256) != 256))
		return 11;
	if (truncate(p, cut))
		return 12;
	if (kct_trace_read_records(t, 0, SHRINK_RECORDS - 1, &rec, 1) != -EIO)
		return 13;
	if (!dec && (err = kct_trace_decoder(t, 0, &dec)))
		return err == -EIO ? 0 : 14;
	while ((err = kct_decoder_next_batch(dec, evs, sizeof(evs[0]), 256)) > 0)
		events += err;
	if (err != -EIO || events >= SHRINK_RECORDS)
		return 15;
	kct_decoder_free(dec);
	kct_trace_close(t);
	return 0;
}

static void test_shrinking(void)
{
	static const char *const what[] = {
		[SHRINK_BEFORE_DECODER] = "a trace cut after open, before its decoder",
		[SHRINK_WHILE_DECODING] = "a trace cut between its decoder's events",
		[SHRINK_RAW] = "a raw kcov buffer cut between its decoder's events",
	};
	KCT_OPTS(kct_stream_opts, so, .kind = KCT_STREAM_KIND_TASK);
	uint64_t *recs = make_records(SHRINK_RECORDS + 1, 11);
	char p[80];

	snprintf(p, sizeof(p), "%s/shrink.trace", dir);
	for (int c = SHRINK_BEFORE_DECODER; c <= SHRINK_RAW; c++) {
		struct kct_trace_writer *w;
		char why[80] = "";
		struct stat st;
		int status;
		pid_t pid;

		if (c == SHRINK_RAW) {
			recs[0] = SHRINK_RECORDS;
			write_file(p, recs, (SHRINK_RECORDS + 1) * sizeof(*recs));
		} else if (kct_trace_writer_open(p, &base_wopts, &w) ||
			   kct_trace_writer_add(w, &so, recs, SHRINK_RECORDS) ||
			   kct_trace_writer_commit(w)) {
			abort();
		}
		/* The stream ends the file: cut it in the middle of a record
		 * past its first half. */
		if (stat(p, &st))
			abort();
		pid = fork();
		if (pid < 0)
			abort();
		if (!pid)
			_exit(shrink_child(c, p, st.st_size - SHRINK_RECORDS / 2 * 8 + 3));
		if (waitpid(pid, &status, 0) != pid)
			abort();
		if (WIFSIGNALED(status))
			snprintf(why, sizeof(why), " (killed by signal %d, %s)", WTERMSIG(status),
				 strsignal(WTERMSIG(status)));
		else if (WEXITSTATUS(status))
			snprintf(why, sizeof(why), " (step %d)", WEXITSTATUS(status));
		CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
		      "%s, in a stream of %d records: EIO, no signal%s", what[c], SHRINK_RECORDS, why);
	}
	unlink(p);
	free(recs);
}

static void test_session_opts(void)
{
	struct {
		struct kct_session_opts o;
		uint64_t newer;
	} big = { .o = { .sz = sizeof(big), .device = "/nonexistent" }, .newer = 1 };
	struct kct_session *s;

	CHECK(kct_session_open(&big.o, &s) == -EINVAL && !s,
	      "session opts: a newer caller's field this library lacks: EINVAL");
	big.newer = 0;
	CHECK(kct_session_open(&big.o, &s) == -ENOENT,
	      "session opts: a newer caller's, zeros beyond: accepted (then no device)");
}

/*
 * KCT_MODE_TRACE_MEMORY_ACCESS: a stream of it through the file and back,
 * its record size kept; a trace (or stream) of a mode from a newer writer
 * refused as such; a stream header of 1.3's writer (its padding zero) reads
 * as the default record size.
 */
static void test_memory_mode(void)
{
	/* An entry pair, a 6-word access with a value, a wait, the exit;
	 * then the same stream cut in the middle of a second access. */
	const uint64_t recs[] = {
		0x00ffffff81000010ULL, 0xffffffff81234567ULL,
		0x30ffffff81000020ULL, 0xffff888003a1c010ULL, 0x0000011000000008ULL, 77, 0x2a, 0xabc,
		0x4010000000000003ULL,
		0x10ffffff81000030ULL,
		0x30ffffff81000040ULL, 0xffff888000000008ULL,
	};
	struct kct_trace_writer_opts wo = base_wopts;
	KCT_OPTS(kct_stream_opts, so, .kind = KCT_STREAM_KIND_TASK, .tid = 7,
		 .mode = KCT_MODE_TRACE_MEMORY_ACCESS, .memory_record_words = 6);
	KCT_OPTS(kct_stream_opts, bad, .mode = KCT_MODE_TRACE_MEMORY_ACCESS,
		 .memory_record_words = 4);
	KCT_OPTS(kct_stream_opts, pc_words, .mode = KCT_MODE_TRACE_PC_EXT,
		 .memory_record_words = 6);
	KCT_OPTS(kct_trace_info, info);
	KCT_OPTS(kct_stream_info, si);
	KCT_OPTS(kct_decoder_stats, st);
	struct kct_trace_writer *w;
	struct kct_decoder *dec;
	struct kct_trace *t;
	struct kct_event ev[8];
	char p[80];
	int n;

	snprintf(p, sizeof(p), "%s/memory.trace", dir);
	wo.mode = KCT_MODE_TRACE_MEMORY_ACCESS;
	if (kct_trace_writer_open(p, &wo, &w))
		abort();
	CHECK(kct_trace_writer_begin_stream(w, &bad) == -EINVAL,
	      "memory mode: a MEMORY record of 4 words is refused (EINVAL)");
	CHECK(kct_trace_writer_begin_stream(w, &pc_words) == -EINVAL,
	      "memory mode: a record size for a stream of another mode is refused (EINVAL)");
	/* Appended in pieces that split records: the file holds the words. */
	CHECK(!kct_trace_writer_begin_stream(w, &so) && !kct_trace_writer_append(w, recs, 3) &&
	      !kct_trace_writer_append(w, recs + 3, 7) && !kct_trace_writer_end_stream(w) &&
	      !kct_trace_writer_add(w, &so, recs, 12) && !kct_trace_writer_commit(w),
	      "memory mode: streams written, appended in pieces that split records");
	CHECK(!kct_trace_open(p, &t) && !kct_trace_get_info(t, &info) &&
	      info.mode == KCT_MODE_TRACE_MEMORY_ACCESS && info.records == 22 &&
	      !kct_trace_stream(t, 0, &si) && si.mode == KCT_MODE_TRACE_MEMORY_ACCESS &&
	      si.memory_record_words == 6 && si.records == 10,
	      "memory mode: read back: the trace's and the stream's mode, the record size (6)");
	n = 0;
	if (!kct_trace_decoder(t, 0, &dec)) {
		n = kct_decoder_next_batch(dec, ev, sizeof(ev[0]), 8);
		kct_decoder_free(dec);
	}
	CHECK(n == 4 && ev[0].type == KCT_EVENT_ENTER && ev[0].call_site == 0xffffffff81234567ULL &&
	      ev[1].type == KCT_EVENT_ACCESS && ev[1].pc == 0xffffffff81000020ULL &&
	      ev[1].addr == 0xffff888003a1c010ULL && ev[1].size == 8 &&
	      ev[1].access == (KCT_ACCESS_F_WRITE | KCT_ACCESS_F_VALUE) && ev[1].time == 77 &&
	      ev[1].value == 0x2a && ev[1].index == 2 &&
	      ev[2].type == KCT_EVENT_WAIT && ev[2].bit == 3 && ev[2].timed_out && ev[2].index == 8 &&
	      ev[3].type == KCT_EVENT_EXIT && ev[3].index == 9 && !ev[3].flags && ev[3].depth == 0,
	      "memory mode: the trace's decoder frames the stream by its mode and record size");
	if (!kct_trace_decoder(t, 1, &dec)) {
		while (kct_decoder_next_batch(dec, ev, sizeof(ev[0]), 8) > 0)
			;
		kct_decoder_get_stats(dec, &st);
		kct_decoder_free(dec);
	}
	CHECK(st.records == 4 && st.accesses == 1 && st.waits == 1 && st.partial == 1 &&
	      st.partial_words == 2,
	      "memory mode: a stream cut in a record: the record dropped, and counted");
	kct_trace_close(t);

	/* By hand: a stream header without the record size (1.3's writers
	 * zeroed that padding), in a mode-3 stream: the default, 5 words. */
	{
		struct {
			struct kct_disk_trace h;
			struct kct_disk_stream s;
			uint64_t r[7];
		} f;

		memset(&f, 0, sizeof(f));
		memcpy(f.h.magic, KCT_TRACE_MAGIC, 8);
		f.h.version = KCT_TRACE_VERSION;
		f.h.fixed_size = f.h.header_size = sizeof(f.h);
		f.h.mode = 3;
		f.h.nr_streams = 1;
		f.h.records = 7;
		f.h.file_size = sizeof(f);
		f.s.size = sizeof(f.s);
		f.s.records = 7;
		f.s.mode = 3;
		f.s.syscall = -1;
		f.r[0] = 0x30ffffff81000020ULL;
		f.r[1] = 0x1000;
		f.r[2] = 4;
		f.r[3] = 1;
		f.r[4] = 0;
		f.r[5] = 0x5000000000000002ULL;	/* wake bit 2 */
		f.r[6] = 0x5000000000000004ULL;	/* wake bit 4 */
		write_file(p, &f, sizeof(f));
		n = 0;
		if (!kct_trace_open(p, &t)) {
			si.sz = sizeof(si);
			kct_trace_stream(t, 0, &si);
			if (!kct_trace_decoder(t, 0, &dec)) {
				n = kct_decoder_next_batch(dec, ev, sizeof(ev[0]), 8);
				kct_decoder_free(dec);
			}
			kct_trace_close(t);
		}
		CHECK(si.memory_record_words == KCT_MEMORY_RECORD_WORDS && n == 3 &&
		      ev[0].type == KCT_EVENT_ACCESS && ev[1].type == KCT_EVENT_WAKE &&
		      ev[1].bit == 2 && ev[1].index == 5 && ev[2].bit == 4,
		      "memory mode: a stream header that does not say the record size: 5 words");
		f.s.memory_record_words = 4;
		write_file(p, &f, sizeof(f));
		CHECK(kct_trace_open(p, &t) == -KCT_ERR_CORRUPT,
		      "memory mode: a stream header saying 4 words: KCT_ERR_CORRUPT");
		f.s.memory_record_words = 0;
		f.h.mode = 4;
		write_file(p, &f, sizeof(f));
		CHECK(kct_trace_open(p, &t) == -KCT_ERR_MODE,
		      "a trace of a mode this library does not know (4): KCT_ERR_MODE, not corrupt");
		f.h.mode = 2;
		f.s.mode = 9;
		write_file(p, &f, sizeof(f));
		CHECK(kct_trace_open(p, &t) == -KCT_ERR_MODE,
		      "a stream of a mode this library does not know (9): KCT_ERR_MODE");
		CHECK(strstr(kct_strerror(-KCT_ERR_MODE), "mode") != NULL,
		      "KCT_ERR_MODE's message names the mode");
	}
	unlink(p);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/test.trace", dir);
	test_writer_opts();
	test_stream_opts();
	test_round_trip();
	test_atomic_commit();
	test_writer_files();
	test_backup();
	test_add_flags();
	test_versions();
	test_cut();
	test_other_writers();
	test_foreign();
	test_strerror();
	test_many_streams();
	test_unknown_callers();
	test_raw();
	test_opts_variants();
	test_shrinking();
	test_session_opts();
	test_stream_order();
	test_arg_strings();
	test_memory_mode();
	unlink(path);
	rmdir(dir);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
