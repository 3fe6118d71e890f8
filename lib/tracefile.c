// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Reading trace files and raw kcov buffers.  Nothing here trusts the file:
 * every size is checked against the file's real length before use, so a
 * truncated or foreign file is an error, never an out-of-bounds read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcovtrace.h"

struct kct_trace {
	int fd;
	uint64_t first_record;	/* byte offset */
	struct kct_trace_info info;
};

_Static_assert(sizeof(struct kct_trace_header) == 128, "trace header layout");

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
	uint64_t room;
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
	if (h.mode != KCT_MODE_TRACE_PC && h.mode != KCT_MODE_TRACE_PC_EXT)
		return -EBADMSG;
	if (file_size < h.header_size)
		return -ENODATA;
	room = (file_size - h.header_size) / 8;
	if (h.records > room)
		return -ENODATA;
	t->first_record = h.header_size;
	t->info.version = h.version;
	t->info.mode = h.mode;
	t->info.flags = h.flags;
	t->info.buffer_size = h.buffer_size;
	t->info.records = h.records;
	t->info.pc_fill = h.pc_fill;
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
	t->first_record = 8;
	t->info.raw = true;
	t->info.mode = KCT_MODE_TRACE_PC_EXT;
	t->info.buffer_size = room + 1;
	t->info.records = count;
	/* Classic kernel PCs carry the 0xf type of a NORMAL record, so they
	 * decode the same way; the fill restores the kernel's top byte. */
	t->info.pc_fill = KCT_PC_FILL_KERNEL;
	if (count == room)
		t->info.flags |= KCT_TRACE_F_OVERFLOW;
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
	close(t->fd);
	free(t);
	return err;
}

const struct kct_trace_info *kct_trace_info(const struct kct_trace *trace)
{
	return &trace->info;
}

int kct_trace_decoder(struct kct_trace *trace, struct kct_decoder **out)
{
	struct kct_decoder_opts opts = {
		.sz = sizeof(opts),
		.pc_fill = trace->info.pc_fill,
	};

	return kct_decoder_new_fd(trace->fd, trace->first_record, trace->info.records, &opts, out);
}

void kct_trace_close(struct kct_trace *trace)
{
	if (!trace)
		return;
	close(trace->fd);
	free(trace);
}

const char *kct_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case EBADMSG:
		return "not a kcov trace or buffer";
	case EPROTO:
		return "trace format is newer than this program";
	case ENODATA:
		return "truncated trace";
	case E2BIG:
		return "call depth too large";
	case ENOEXEC:
		return "not a usable ELF file";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
