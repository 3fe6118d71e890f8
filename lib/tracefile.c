// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Reading trace files (lib/traceformat.h) and raw kcov buffers.  Nothing
 * here trusts the file: every size is checked against the file's real length
 * before use, so that a foreign or corrupt file is an error, never an
 * out-of-bounds read.  A file cut short (a copy that stopped, a full disk)
 * is read up to the cut: its streams wholly present, and the intact records
 * of the stream it ends in.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "traceformat.h"

struct stream_index {
	uint64_t offset;	/* of the first record */
	uint64_t unknown_callers; /* the header's, 0 if it has none */
	struct kct_stream_info info;
	/* Its arg strings, each with its NUL, in arg order, as the header's
	 * arg_strings says (NULL: none). */
	char *strings;
	uint32_t arg_strings;
};

struct note {
	const char *key, *value;
};

struct kct_trace {
	int fd;
	struct kct_trace_info info;
	struct stream_index *streams;
	uint32_t nr_index;	/* entries of streams */
	char *header;		/* the header's bytes, which notes point into */
	struct note *notes;
};

/* In the order of the traced run, then of the file. */
static int by_seq(const void *a, const void *b)
{
	const struct stream_index *x = a, *y = b;

	if (x->info.seq != y->info.seq)
		return x->info.seq < y->info.seq ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * A writer writes a stream when it ends, kcovtrace record when its task
 * exits or its syscall returns; seq says when it started.  Streams are
 * numbered in that order, which is what a reader of a run expects (the
 * parent's before its children's), and one check costs a trace whose
 * streams are in order already nothing more.
 */
static void order_streams(struct kct_trace *t)
{
	uint32_t n = t->info.nr_streams;

	for (uint32_t i = 1; i < n; i++) {
		if (by_seq(&t->streams[i - 1], &t->streams[i]) > 0) {
			qsort(t->streams, n, sizeof(*t->streams), by_seq);
			return;
		}
	}
}

/* Up to len bytes at off, fewer only where the file ends first. */
static ssize_t read_upto(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = pread(fd, (char *)buf + got, len - got, off + got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

/* len bytes at off; -ENODATA where the file ends first. */
static int read_full(int fd, void *buf, size_t len, off_t off)
{
	ssize_t got = read_upto(fd, buf, len, off);

	if (got < 0)
		return got;
	return (size_t)got < len ? -ENODATA : 0;
}

/* The items after the fixed header: the kernel's identity, notes; others
 * are skipped. */
static int parse_items(struct kct_trace *t, const char *p, size_t len)
{
	size_t nr_notes = 0, off;

	for (int pass = 0; pass < 2; pass++) {
		for (off = 0; off < len;) {
			struct kct_disk_item item;
			const char *data = p + off + sizeof(item);

			if (len - off < sizeof(item))
				return -KCT_ERR_CORRUPT;
			memcpy(&item, p + off, sizeof(item));
			if (item.size > len - off - sizeof(item))
				return -KCT_ERR_CORRUPT;
			off += sizeof(item) + ((item.size + 7ULL) & ~7ULL);
			if (item.type == KCT_ITEM_NOTE) {
				size_t key_len = strnlen(data, item.size), value_len;

				if (key_len == item.size || !key_len)
					return -KCT_ERR_CORRUPT;
				value_len = strnlen(data + key_len + 1, item.size - key_len - 1);
				if (key_len + 1 + value_len == item.size)
					return -KCT_ERR_CORRUPT;
				if (pass)
					t->notes[nr_notes] = (struct note){ data, data + key_len + 1 };
				nr_notes++;
			} else if (item.type == KCT_ITEM_KERNEL_ID && !pass) {
				uint32_t kind;

				if (item.size < sizeof(kind) ||
				    item.size - sizeof(kind) > KCT_KERNEL_ID_MAX)
					return -KCT_ERR_CORRUPT;
				memcpy(&kind, data, sizeof(kind));
				t->info.kernel_id_kind = kind;
				t->info.kernel_id_len = item.size - sizeof(kind);
				memcpy(t->info.kernel_id, data + sizeof(kind), t->info.kernel_id_len);
			}
		}
		if (!pass) {
			t->notes = calloc(nr_notes ? nr_notes : 1, sizeof(*t->notes));
			if (!t->notes)
				return -ENOMEM;
			t->info.nr_notes = nr_notes;
			nr_notes = 0;
		}
	}
	return 0;
}

/* After a stream's header, in the size bytes of it at p, the strings its
 * arg_strings says: each whole, within that size. */
static int read_strings(struct stream_index *s, const struct kct_disk_stream *sh, const char *p,
			uint32_t size)
{
	uint32_t len = size > sizeof(*sh) ? size - sizeof(*sh) : 0;
	uint32_t at = 0;

	s->strings = malloc(len + 1);
	if (!s->strings)
		return -ENOMEM;
	memcpy(s->strings, p + sizeof(*sh), len);
	s->strings[len] = '\0';
	for (int n = 0; n < 6; n++) {
		char *nul;

		if (!(sh->arg_strings >> n & 1))
			continue;
		nul = at < len ? memchr(s->strings + at, '\0', len - at) : NULL;
		if (!nul || nul - (s->strings + at) > KCT_ARG_STRING_MAX)
			return -KCT_ERR_CORRUPT;
		at = nul - s->strings + 1;
	}
	s->arg_strings = sh->arg_strings;
	return 0;
}

/*
 * The stream headers, read through a window of the file: a header found in
 * the bytes last read costs no read of its own.  A trace of many short
 * streams (kcovtrace record --syscalls all) has a million headers a few
 * hundred bytes apart, which two pread() calls each took seconds to open;
 * one read of 256 KiB covers hundreds of them.  Where streams are long,
 * such a read would copy mostly records, so the window is then one
 * header's most (KCT_DISK_STREAM_MAX), read where the header starts.
 */
#define WINDOW_BIG	(256u << 10)
/* Above this mean distance between headers a read per header costs less
 * than copying the records between them (a system call costs about what
 * copying 8 to 16 KiB does). */
#define WINDOW_STRIDE	(8u << 10)

_Static_assert(WINDOW_BIG >= KCT_DISK_STREAM_MAX, "a header fits the window");

struct window {
	char *buf;		/* WINDOW_BIG bytes */
	uint64_t start;		/* file offset of buf[0] */
	size_t len;		/* bytes read there */
};


/*
 * need bytes at off into *p, which the caller checked the file has (by its
 * size at open): a read of chunk bytes or up to the end, unless the window
 * holds them.  A file that shrank since is -ENODATA only if need bytes are
 * not there, as one read of need bytes would be.
 */
static int window_get(int fd, struct window *w, uint64_t off, size_t need, size_t chunk,
		      uint64_t file_size, const char **p)
{
	ssize_t got;

	if (off < w->start || off - w->start > w->len || w->len - (off - w->start) < need) {
		if (chunk > file_size - off)
			chunk = file_size - off;
		got = read_upto(fd, w->buf, chunk, off);
		if (got < 0)
			return got;
		w->start = off;
		w->len = got;
		if ((size_t)got < need)
			return -ENODATA;
	}
	*p = w->buf + (off - w->start);
	return 0;
}

/* Stream i's header at off; 1 if the file ends within it.  chunk: how much
 * to read where the window lacks it. */
static int parse_stream(struct kct_trace *t, uint32_t i, uint64_t *off, uint64_t file_size,
			struct window *w, size_t chunk)
{
	struct stream_index *s = &t->streams[i];
	struct kct_disk_stream sh = { .syscall = KCT_STREAM_NO_SYSCALL, .lost = KCT_LOST_UNKNOWN };
	struct kct_stream_info *info = &s->info;
	const char *p;
	uint32_t size;
	uint64_t room;
	int err;

	if (file_size - *off < KCT_DISK_STREAM_MIN_SIZE)
		return 1;
	err = window_get(t->fd, w, *off, KCT_DISK_STREAM_MIN_SIZE, chunk, file_size, &p);
	if (err)
		return err;
	memcpy(&size, p, sizeof(size));
	if (size < KCT_DISK_STREAM_MIN_SIZE || size > KCT_DISK_STREAM_MAX || size % 8)
		return -KCT_ERR_CORRUPT;
	if (file_size - *off < size)
		return 1;
	err = window_get(t->fd, w, *off, size, chunk, file_size, &p);
	if (err)
		return err;
	/* A shorter header (an older writer's) leaves the rest unknown; the
	 * fields of a longer one (a newer writer's) are skipped. */
	memcpy(&sh, p, size < sizeof(sh) ? size : sizeof(sh));
	if (size < offsetofend(struct kct_disk_stream, mode))
		sh.mode = t->info.mode;
	if (size >= offsetofend(struct kct_disk_stream, unknown_callers))
		s->unknown_callers = sh.unknown_callers;
	if (size < offsetofend(struct kct_disk_stream, arg_strings))
		sh.arg_strings = 0;
	if (size < offsetofend(struct kct_disk_stream, memory_record_words))
		sh.memory_record_words = 0;
	if (sh.mode > KCT_MODE_TRACE_MEMORY_ACCESS)
		return -KCT_ERR_MODE;
	if (sh.mode == KCT_MODE_TRACE_MEMORY_ACCESS) {
		if (!sh.memory_record_words)
			sh.memory_record_words = KCT_MEMORY_RECORD_WORDS;
		if (sh.memory_record_words < KCT_MEMORY_RECORD_WORDS ||
		    sh.memory_record_words > KCT_MEMORY_RECORD_WORDS_MAX)
			return -KCT_ERR_CORRUPT;
	} else {
		sh.memory_record_words = 0;
	}
	if (sh.arg_strings & 0x3f) {
		err = read_strings(s, &sh, p, size);
		if (err)
			return err;
	}
	*off += size;
	s->offset = *off;
	info->sz = sizeof(*info);
	info->kind = sh.kind;
	info->flags = sh.flags & ~KCT_STREAM_F_TRUNCATED;
	info->records = info->records_written = sh.records;
	info->seq = sh.seq;
	info->pid = sh.pid;
	info->tid = sh.tid;
	info->ppid = sh.ppid;
	info->mode = sh.mode;
	info->syscall = sh.syscall;
	memcpy(info->args, sh.args, sizeof(info->args));
	info->lost = sh.lost;
	info->remote_handle = sh.remote_handle;
	memcpy(info->comm, sh.comm, sizeof(sh.comm));
	info->memory_record_words = sh.memory_record_words;
	room = (file_size - *off) / 8;
	if (sh.records > room) {
		info->records = room;
		info->flags |= KCT_STREAM_F_TRUNCATED;
		*off += room * 8;
		return 1;
	}
	*off += sh.records * 8;
	return 0;
}

static int parse_header(struct kct_trace *t, uint64_t file_size)
{
	struct kct_disk_trace h = { 0 };
	struct window w = { 0 };
	uint32_t start[4];	/* magic, version, header_size */
	uint64_t off, records = 0, room;
	int err, cut = 0;

	if (file_size < sizeof(start))
		return -KCT_ERR_TRUNC;
	err = read_full(t->fd, start, sizeof(start), 0);
	if (err)
		return err;
	if (start[2] == 0)
		return -KCT_ERR_CORRUPT;
	if (start[2] > KCT_TRACE_VERSION)
		return -KCT_ERR_NEWER;
	/* Version 1 stored resync records where EESUM records are now, and
	 * version 2 lacks what version 3 tells of streams: refused, not
	 * misread. */
	if (start[2] < KCT_TRACE_VERSION)
		return -KCT_ERR_OLDER;
	if (start[3] < KCT_DISK_TRACE_SIZE || start[3] > KCT_DISK_HEADER_MAX || start[3] % 8)
		return -KCT_ERR_CORRUPT;
	if (file_size < start[3])
		return -KCT_ERR_TRUNC;
	t->header = malloc(start[3]);
	if (!t->header)
		return -ENOMEM;
	err = read_full(t->fd, t->header, start[3], 0);
	if (err)
		return err;
	memcpy(&h, t->header, sizeof(h));
	/* A longer fixed header (a newer writer's) has fields this reader
	 * skips. */
	if (h.fixed_size < KCT_DISK_TRACE_SIZE || h.fixed_size > h.header_size || h.fixed_size % 8)
		return -KCT_ERR_CORRUPT;
	/* A mode of a newer writer's, not a corrupt file. */
	if (h.mode > KCT_MODE_TRACE_MEMORY_ACCESS)
		return -KCT_ERR_MODE;
	if (h.mode == KCT_MODE_TRACE_CMP)
		return -KCT_ERR_CORRUPT;
	if (h.nr_streams > KCT_DISK_MAX_STREAMS || h.file_size < h.header_size)
		return -KCT_ERR_CORRUPT;
	t->info.version = h.version;
	t->info.mode = h.mode;
	t->info.flags = h.flags & ~KCT_TRACE_F_TRUNCATED;
	t->info.buffer_words = h.buffer_words;
	t->info.pc_fill = h.pc_fill;
	t->info.nr_streams_written = h.nr_streams;
	t->info.records_written = h.records;
	t->info.bytes_expected = h.file_size;
	t->info.bytes_present = file_size;
	memcpy(t->info.kernel_release, h.kernel_release, sizeof(t->info.kernel_release) - 1);
	err = parse_items(t, t->header + h.fixed_size, h.header_size - h.fixed_size);
	if (err)
		return err;

	/* As many streams as the file has room for, whatever it claims. */
	room = (file_size - h.header_size) / KCT_DISK_STREAM_MIN_SIZE;
	room = room < h.nr_streams ? room : h.nr_streams;
	t->streams = calloc(room ? room : 1, sizeof(*t->streams));
	if (!t->streams)
		return -ENOMEM;
	t->nr_index = room;
	w.buf = malloc(WINDOW_BIG);
	if (!w.buf)
		return -ENOMEM;
	off = h.header_size;
	for (uint32_t i = 0; i < h.nr_streams && !cut; i++) {
		/* The streams so far as a guess at the next one's length. */
		uint64_t stride = i ? (off - h.header_size) / i : 0;

		/* Past room the file ends before stream i's header: streams[i]
		 * does not exist. */
		if (i >= room) {
			cut = 1;
			break;
		}
		cut = parse_stream(t, i, &off, file_size, &w,
				   stride <= WINDOW_STRIDE ? WINDOW_BIG : KCT_DISK_STREAM_MAX);
		if (cut < 0) {
			free(w.buf);
			return cut;
		}
		if (!cut || t->streams[i].info.flags & KCT_STREAM_F_TRUNCATED) {
			records += t->streams[i].info.records;
			t->info.nr_streams++;
		}
	}
	free(w.buf);
	t->info.records = records;
	/* Cut short only if the file is shorter than written: a file of its
	 * full length whose streams do not add up is corrupt. */
	if (cut && file_size >= h.file_size)
		return -KCT_ERR_CORRUPT;
	if (!cut && (records != h.records || off != h.file_size || file_size != h.file_size))
		return -KCT_ERR_CORRUPT;
	if (cut)
		t->info.flags |= KCT_TRACE_F_TRUNCATED;
	order_streams(t);
	return 0;
}

/* A raw kcov buffer: the count, then the records.  The kernel never lets the
 * count reach the buffer size, so a count equal to the room left means the
 * buffer filled up. */
static int parse_raw(struct kct_trace *t, uint64_t file_size, const void *head)
{
	struct kct_stream_info *info;
	uint64_t count, room;

	if (file_size < 8 || file_size % 8)
		return -KCT_ERR_FORMAT;
	memcpy(&count, head, sizeof(count));
	room = file_size / 8 - 1;
	if (count > room)
		return -KCT_ERR_FORMAT;
	t->streams = calloc(1, sizeof(*t->streams));
	t->notes = calloc(1, sizeof(*t->notes));
	if (!t->streams || !t->notes)
		return -ENOMEM;
	t->info.raw = true;
	t->info.mode = KCT_MODE_TRACE_PC_EXT;
	t->info.buffer_words = room + 1;
	t->info.records = t->info.records_written = count;
	t->info.nr_streams = t->info.nr_streams_written = 1;
	t->info.bytes_expected = t->info.bytes_present = file_size;
	/* Classic kernel PCs carry the 0xf type of a NORMAL record, so they
	 * decode the same way; the fill restores the kernel's top byte. */
	t->info.pc_fill = KCT_PC_FILL_KERNEL;
	t->streams[0].offset = 8;
	info = &t->streams[0].info;
	info->sz = sizeof(*info);
	info->kind = KCT_STREAM_KIND_UNKNOWN;
	info->records = info->records_written = count;
	info->mode = t->info.mode;
	info->syscall = KCT_STREAM_NO_SYSCALL;
	if (kcov_buffer_full(count, room + 1)) {
		t->info.flags |= KCT_TRACE_F_OVERFLOW;
		info->flags |= KCT_STREAM_F_OVERFLOW;
		info->lost = KCT_LOST_UNKNOWN;
	}
	return 0;
}

/*
 * What a file that is neither a trace nor a raw buffer is, by its first len
 * bytes: an ELF file, a text file (no raw buffer starts with a count of
 * eight printable bytes, 2^61 and more), or something else.
 */
static int foreign_file(const unsigned char *head, size_t len)
{
	if (len >= 4 && !memcmp(head, "\x7f" "ELF", 4))
		return -KCT_ERR_ELF_FILE;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = head[i];

		/* Control characters but white space: binary.  UTF-8 is
		 * text. */
		if ((c < 0x20 && (c < '\t' || c > '\r')) || c == 0x7f)
			return -KCT_ERR_FORMAT;
	}
	return -KCT_ERR_TEXT_FILE;
}

int kct_trace_open_opts(const char *path, const struct kct_trace_opts *opts,
			struct kct_trace **out)
{
	struct kct_trace *t;
	struct stat st;
	unsigned char head[256];
	size_t len;
	int err;

	*out = NULL;
	if (!OPTS_VALID(opts, struct kct_trace_opts, no_raw))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->info.sz = sizeof(t->info);
	t->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t->fd < 0) {
		err = -errno;
		free(t);
		return err;
	}
	if (fstat(t->fd, &st)) {
		err = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -KCT_ERR_FORMAT;
		goto fail;
	}
	if (!st.st_size) {
		err = -KCT_ERR_EMPTY;
		goto fail;
	}
	len = (uint64_t)st.st_size < sizeof(head) ? (size_t)st.st_size : sizeof(head);
	if ((err = read_full(t->fd, head, len, 0)))
		goto fail;
	if (!memcmp(head, KCT_TRACE_MAGIC, len < 8 ? len : 8))
		/* A trace, or one cut within its magic. */
		err = len < 8 ? -KCT_ERR_TRUNC : parse_header(t, st.st_size);
	else if (OPTS_GET(opts, no_raw, false) ||
		 (err = parse_raw(t, st.st_size, head)) == -KCT_ERR_FORMAT)
		err = foreign_file(head, len);
	/* The file shrank while it was read. */
	if (err == -ENODATA)
		err = -KCT_ERR_TRUNC;
	if (err)
		goto fail;
	*out = t;
	return 0;
fail:
	kct_trace_close(t);
	return err;
}

int kct_trace_open(const char *path, struct kct_trace **out)
{
	return kct_trace_open_opts(path, NULL, out);
}

int kct_trace_get_info(const struct kct_trace *trace, struct kct_trace_info *info)
{
	return fill_out(info, &trace->info, sizeof(trace->info));
}

/* The old name, LIBKCOVTRACE_1's. */
int kct_trace_info(const struct kct_trace *trace, struct kct_trace_info *info)
{
	return kct_trace_get_info(trace, info);
}

int kct_trace_stream(const struct kct_trace *trace, uint32_t i, struct kct_stream_info *info)
{
	if (i >= trace->info.nr_streams)
		return -ERANGE;
	return fill_out(info, &trace->streams[i].info, sizeof(trace->streams[i].info));
}

const char *kct_trace_stream_string(const struct kct_trace *trace, uint32_t i, unsigned int arg,
				    bool *cut)
{
	const struct stream_index *s;
	const char *p;

	if (i >= trace->info.nr_streams || arg >= 6)
		return NULL;
	s = &trace->streams[i];
	if (!(s->arg_strings >> arg & 1))
		return NULL;
	/* The strings before it, as many as bits below its. */
	p = s->strings;
	for (unsigned int n = 0; n < arg; n++)
		if (s->arg_strings >> n & 1)
			p += strlen(p) + 1;
	if (cut)
		*cut = s->arg_strings >> (8 + arg) & 1;
	return p;
}

int64_t kct_trace_read_records(const struct kct_trace *trace, uint32_t i, uint64_t first,
			       uint64_t *buf, uint64_t n)
{
	const struct stream_index *s;
	int err;

	if (i >= trace->info.nr_streams)
		return -ERANGE;
	s = &trace->streams[i];
	if (first >= s->info.records)
		return 0;
	if (n > s->info.records - first)
		n = s->info.records - first;
	if (n > INT64_MAX / 8)
		n = INT64_MAX / 8;
	err = read_full(trace->fd, buf, n * 8, s->offset + first * 8);
	/* The file shrank under us. */
	return err == -ENODATA ? -EIO : err ? err : (int64_t)n;
}

int kct_trace_decoder_opts(struct kct_trace *trace, uint32_t i,
			   const struct kct_decoder_opts *opts, struct kct_decoder **out)
{
	uint64_t pc_fill = OPTS_GET(opts, pc_fill, 0);
	KCT_OPTS(kct_decoder_opts, dopts,
		 .pc_fill = pc_fill ? pc_fill : trace->info.pc_fill,
		 .max_depth = OPTS_GET(opts, max_depth, 0),
		 .mode = OPTS_GET(opts, mode, 0),
		 .memory_record_words = OPTS_GET(opts, memory_record_words, 0));

	*out = NULL;
	if (!OPTS_VALID(opts, struct kct_decoder_opts, memory_record_words))
		return -EINVAL;
	if (i >= trace->info.nr_streams)
		return -ERANGE;
	/* The stream's records, as it says they are framed. */
	if (!dopts.mode)
		dopts.mode = trace->streams[i].info.mode;
	if (!dopts.memory_record_words)
		dopts.memory_record_words = trace->streams[i].info.memory_record_words;
	return decoder_new_fd_hinted(trace->fd, trace->streams[i].offset,
				     trace->streams[i].info.records, &dopts,
				     trace->streams[i].unknown_callers, out);
}

int kct_trace_decoder(struct kct_trace *trace, uint32_t i, struct kct_decoder **out)
{
	return kct_trace_decoder_opts(trace, i, NULL, out);
}

const char *kct_trace_note(const struct kct_trace *trace, const char *key)
{
	for (uint32_t i = 0; i < trace->info.nr_notes; i++)
		if (!strcmp(trace->notes[i].key, key))
			return trace->notes[i].value;
	return NULL;
}

int kct_trace_note_at(const struct kct_trace *trace, uint32_t i, const char **key,
		      const char **value)
{
	if (i >= trace->info.nr_notes)
		return -ERANGE;
	*key = trace->notes[i].key;
	*value = trace->notes[i].value;
	return 0;
}

void kct_trace_close(struct kct_trace *trace)
{
	if (!trace)
		return;
	if (trace->fd >= 0)
		close(trace->fd);
	for (uint32_t i = 0; i < trace->nr_index; i++)
		free(trace->streams[i].strings);
	free(trace->streams);
	free(trace->notes);
	free(trace->header);
	free(trace);
}

/* The messages of the library's own codes, KCT_ERR_START on. */
static const char *const kct_errors[KCT_ERR_END - KCT_ERR_START] = {
	[KCT_ERR_FORMAT - KCT_ERR_START] = "not a kcov trace, nor a whole kcov buffer",
	[KCT_ERR_CORRUPT - KCT_ERR_START] = "corrupt kcov trace: its headers do not add up",
	[KCT_ERR_TRUNC - KCT_ERR_START] = "truncated trace: its header is cut",
	[KCT_ERR_NEWER - KCT_ERR_START] = "trace format is newer than this program",
	[KCT_ERR_OLDER - KCT_ERR_START] = "trace format older than version 3; record it again",
	[KCT_ERR_EMPTY - KCT_ERR_START] = "an empty file, not a kcov trace",
	[KCT_ERR_ELF_FILE - KCT_ERR_START] = "an ELF file, not a kcov trace",
	[KCT_ERR_TEXT_FILE - KCT_ERR_START] = "a text file, not a kcov trace",
	[KCT_ERR_SYMFILE - KCT_ERR_START] = "not a symbol list of ADDR TYPE NAME [MODULE] lines",
	[KCT_ERR_NOSYMS - KCT_ERR_START] = "lists no functions",
	[KCT_ERR_NO_TEXT - KCT_ERR_START] = "lists no _text: not a kernel's symbols",
	[KCT_ERR_HIDDEN - KCT_ERR_START] = "addresses hidden by kptr_restrict (run as root)",
	[KCT_ERR_ELF - KCT_ERR_START] = "not a usable ELF file",
	[KCT_ERR_DEPTH - KCT_ERR_START] = "calls nest deeper than the decoder's max_depth",
	[KCT_ERR_MODE - KCT_ERR_START] =
		"a kcov mode this program does not know (a newer kcovtrace's trace)",
	[KCT_ERR_RECORD - KCT_ERR_START] =
		"corrupt records: a record of a type its kcov mode does not have",
};

const char *kct_strerror(int err)
{
	if (err < 0 && err != INT_MIN)
		err = -err;
	if (err >= KCT_ERR_START && err < KCT_ERR_END && kct_errors[err - KCT_ERR_START])
		return kct_errors[err - KCT_ERR_START];
	switch (err) {
	case 524: /* the kernel's ENOTSUPP */
		return "not supported by this kernel";
	default:
		return strerror(err);
	}
}
