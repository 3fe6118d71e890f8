// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Reading and writing trace files, and reading raw kcov buffers.  Nothing
 * here trusts the file: every size is checked against the file's real length
 * before use, so a truncated or foreign file is an error, never an
 * out-of-bounds read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcovtrace.h"

_Static_assert(sizeof(struct kct_trace_header) == 128, "trace header layout");
_Static_assert(sizeof(struct kct_stream_header) == 32, "stream header layout");

/* No stream count a real trace needs; a bound on what a file can claim. */
#define MAX_STREAMS	(1u << 24)

struct stream_index {
	uint64_t offset;	/* of the first record */
	struct kct_stream_header h;
};

struct kct_trace {
	int fd;
	struct kct_trace_info info;
	struct stream_index *streams;
};

static int read_full(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = pread(fd, (char *)buf + got, len - got, off + got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ENODATA;
		got += r;
	}
	return 0;
}

static int parse_header(struct kct_trace *t, uint64_t file_size)
{
	struct kct_trace_header h;
	uint64_t off, total = 0;
	int err;

	if (file_size < sizeof(h))
		return -ENODATA;
	err = read_full(t->fd, &h, sizeof(h), 0);
	if (err)
		return err;
	if (h.version == 0 || h.header_size < sizeof(h) || h.header_size % 8)
		return -EBADMSG;
	if (h.version > KCT_TRACE_VERSION)
		return -EPROTO;
	/* Version 1 stored resync records where EESUM records are now:
	 * refused, not misread. */
	if (h.version == 1)
		return -EPROTONOSUPPORT;
	if (h.mode != KCT_MODE_TRACE_PC && h.mode != KCT_MODE_TRACE_PC_EXT)
		return -EBADMSG;
	if (h.nr_streams > MAX_STREAMS)
		return -EBADMSG;
	if (file_size < h.header_size)
		return -ENODATA;
	t->streams = calloc(h.nr_streams ? h.nr_streams : 1, sizeof(*t->streams));
	if (!t->streams)
		return -ENOMEM;
	off = h.header_size;
	for (uint32_t i = 0; i < h.nr_streams; i++) {
		struct stream_index *s = &t->streams[i];

		if (file_size - off < sizeof(s->h))
			return -ENODATA;
		err = read_full(t->fd, &s->h, sizeof(s->h), off);
		if (err)
			return err;
		off += sizeof(s->h);
		if (s->h.records > (file_size - off) / 8)
			return -ENODATA;
		s->offset = off;
		off += s->h.records * 8;
		total += s->h.records;
	}
	if (total != h.records)
		return -EBADMSG;
	t->info.version = h.version;
	t->info.mode = h.mode;
	t->info.flags = h.flags;
	t->info.buffer_size = h.buffer_size;
	t->info.records = h.records;
	t->info.pc_fill = h.pc_fill;
	t->info.nr_streams = h.nr_streams;
	memcpy(t->info.kernel_release, h.kernel_release, sizeof(h.kernel_release));
	t->info.kernel_release[sizeof(t->info.kernel_release) - 1] = '\0';
	return 0;
}

/* A raw kcov buffer: the count, then the records.  The kernel never lets the
 * count reach the buffer size, so a count equal to the room left means the
 * buffer filled up. */
static int parse_raw(struct kct_trace *t, uint64_t file_size)
{
	uint64_t count, room;
	int err;

	if (file_size < 8 || file_size % 8)
		return -EBADMSG;
	err = read_full(t->fd, &count, sizeof(count), 0);
	if (err)
		return err;
	room = file_size / 8 - 1;
	if (count > room)
		return -ENODATA;
	t->streams = calloc(1, sizeof(*t->streams));
	if (!t->streams)
		return -ENOMEM;
	t->streams[0].offset = 8;
	t->streams[0].h.records = count;
	t->streams[0].h.syscall = KCT_STREAM_NO_SYSCALL;
	t->info.raw = true;
	t->info.mode = KCT_MODE_TRACE_PC_EXT;
	t->info.buffer_size = room + 1;
	t->info.records = count;
	t->info.nr_streams = 1;
	/* Classic kernel PCs carry the 0xf type of a NORMAL record, so they
	 * decode the same way; the fill restores the kernel's top byte. */
	t->info.pc_fill = KCT_PC_FILL_KERNEL;
	if (count == room) {
		t->info.flags |= KCT_TRACE_F_OVERFLOW;
		t->streams[0].h.flags |= KCT_STREAM_F_OVERFLOW;
	}
	return 0;
}

int kct_trace_open(const char *path, struct kct_trace **out)
{
	struct kct_trace *t;
	struct stat st;
	char magic[8];
	int err;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
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
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EBADMSG;
		goto fail;
	}
	if (st.st_size >= 8 && (err = read_full(t->fd, magic, sizeof(magic), 0)))
		goto fail;
	if (st.st_size >= 8 && !memcmp(magic, KCT_TRACE_MAGIC, sizeof(magic)))
		err = parse_header(t, st.st_size);
	else
		err = parse_raw(t, st.st_size);
	if (err)
		goto fail;
	*out = t;
	return 0;
fail:
	kct_trace_close(t);
	return err;
}

const struct kct_trace_info *kct_trace_info(const struct kct_trace *trace)
{
	return &trace->info;
}

int kct_trace_stream(const struct kct_trace *trace, uint32_t i, struct kct_stream_header *out)
{
	if (i >= trace->info.nr_streams)
		return -ERANGE;
	*out = trace->streams[i].h;
	return 0;
}

int kct_trace_decoder(struct kct_trace *trace, uint32_t i, struct kct_decoder **out)
{
	struct kct_decoder_opts opts = {
		.sz = sizeof(opts),
		.pc_fill = trace->info.pc_fill,
	};

	*out = NULL;
	if (i >= trace->info.nr_streams)
		return -ERANGE;
	return kct_decoder_new_fd(trace->fd, trace->streams[i].offset, trace->streams[i].h.records,
				  &opts, out);
}

void kct_trace_close(struct kct_trace *trace)
{
	if (!trace)
		return;
	if (trace->fd >= 0)
		close(trace->fd);
	free(trace->streams);
	free(trace);
}

/* ---- writing ---- */

struct kct_trace_writer {
	FILE *f;
	char *path, *tmp;
	struct kct_trace_header h;
	int err;		/* the first write error */
};

int kct_trace_writer_open(const char *path, const struct kct_trace_header *h,
			  struct kct_trace_writer **out)
{
	struct kct_trace_writer *w;
	int fd, err;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(path);
	if (!w->path || asprintf(&w->tmp, "%s.tmp.XXXXXX", path) < 0) {
		w->tmp = NULL;
		err = -ENOMEM;
		goto fail;
	}
	fd = mkstemp(w->tmp);
	if (fd < 0) {
		err = -errno;
		free(w->tmp);
		w->tmp = NULL;
		goto fail;
	}
	fchmod(fd, 0644);
	w->f = fdopen(fd, "w");
	if (!w->f) {
		err = -errno;
		close(fd);
		goto fail;
	}
	memset(&w->h, 0, sizeof(w->h));
	memcpy(w->h.magic, KCT_TRACE_MAGIC, sizeof(w->h.magic));
	w->h.version = KCT_TRACE_VERSION;
	w->h.header_size = sizeof(w->h);
	w->h.mode = h->mode;
	w->h.flags = h->flags;
	w->h.buffer_size = h->buffer_size;
	w->h.pc_fill = h->pc_fill;
	memcpy(w->h.kernel_release, h->kernel_release, sizeof(w->h.kernel_release) - 1);
	/* The header is written again, complete, by commit. */
	if (fwrite(&w->h, sizeof(w->h), 1, w->f) != 1) {
		err = -EIO;
		goto fail;
	}
	*out = w;
	return 0;
fail:
	kct_trace_writer_abort(w);
	return err;
}

int kct_trace_writer_add(struct kct_trace_writer *w, const struct kct_stream_header *sh,
			 const uint64_t *records)
{
	struct kct_stream_header copy = *sh;

	if (w->err)
		return w->err;
	if (w->h.nr_streams == MAX_STREAMS)
		return w->err = -E2BIG;
	/* reserved goes out as given: kcovtrace record keeps a stream's task
	 * there until format version 3 has fields for it. */
	if (fwrite(&copy, sizeof(copy), 1, w->f) != 1 ||
	    fwrite(records, sizeof(uint64_t), sh->records, w->f) != sh->records)
		return w->err = errno ? -errno : -EIO;
	w->h.nr_streams++;
	w->h.records += sh->records;
	if (sh->flags & KCT_STREAM_F_OVERFLOW)
		w->h.flags |= KCT_TRACE_F_OVERFLOW;
	return 0;
}

int kct_trace_writer_commit(struct kct_trace_writer *w)
{
	int err = w->err;

	if (!err && (fseek(w->f, 0, SEEK_SET) || fwrite(&w->h, sizeof(w->h), 1, w->f) != 1 ||
		     fflush(w->f) || fsync(fileno(w->f))))
		err = errno ? -errno : -EIO;
	if (!err) {
		err = fclose(w->f) ? -errno : 0;
		w->f = NULL;
	}
	if (!err && rename(w->tmp, w->path))
		err = -errno;
	if (err) {
		kct_trace_writer_abort(w);
		return err;
	}
	free(w->tmp);
	free(w->path);
	free(w);
	return 0;
}

void kct_trace_writer_abort(struct kct_trace_writer *w)
{
	if (!w)
		return;
	if (w->f)
		fclose(w->f);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	free(w->path);
	free(w);
}

const char *kct_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case EBADMSG:
		return "not a kcov trace or buffer";
	case EPROTO:
		return "trace format is newer than this program";
	case EPROTONOSUPPORT:
		return "trace format version 1 predates EESUM records; record it again";
	case ENODATA:
		return "truncated trace";
	case E2BIG:
		return "call depth too large";
	case ENOEXEC:
		return "not a usable ELF file";
	case 524: /* the kernel's ENOTSUPP */
		return "not supported by this kernel";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
