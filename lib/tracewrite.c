// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Writing trace files (lib/traceformat.h), a stream at a time and the
 * records of a stream in pieces of any size.  The file is written under a
 * temporary name next to its own (created with the mode any new file gets)
 * and renamed into place by commit, so that a reader never sees a partial
 * trace; headers whose counts are known only at the end are written again
 * then.
 *
 * Self-contained (libc only): compiler/runtime/hookrec.o links this file
 * alone into the programs it records.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "traceformat.h"

_Static_assert(sizeof(struct kct_disk_trace) == KCT_DISK_TRACE_SIZE, "trace header layout");
_Static_assert(sizeof(struct kct_disk_item) == KCT_DISK_ITEM_SIZE, "item layout");
_Static_assert(sizeof(struct kct_disk_stream) == KCT_DISK_STREAM_SIZE, "stream header layout");

#define WRITER_FLAGS	(KCT_TRACE_F_OVERFLOW | KCT_TRACE_F_USER | KCT_TRACE_F_INTERRUPTED)
#define STREAM_FLAGS	(KCT_STREAM_F_OVERFLOW | KCT_STREAM_F_ARGS | KCT_STREAM_F_RESUMED)

struct kct_trace_writer {
	int fd;
	char *path, *tmp;
	char *backup;		/* opts->backup, or NULL */
	struct kct_disk_trace h;
	uint64_t off;		/* file offset of buf[0] */
	size_t len;		/* bytes in buf */
	bool in_stream;
	uint64_t stream_off;	/* of the open stream's header */
	struct kct_disk_stream sh;
	/* The open stream's depth so far and the lowest it went, from its
	 * start to the first EESUM record that cannot be balanced (then
	 * tree_ended), for sh.unknown_callers. */
	int64_t depth, low;
	bool tree_ended;
	int err;		/* the first error: every later call fails */
	unsigned char buf[1 << 16];
};

static int write_all(int fd, const void *p, size_t len, uint64_t off)
{
	while (len) {
		ssize_t r = pwrite(fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		p = (const char *)p + r;
		len -= r;
		off += r;
	}
	return 0;
}

static int flush(struct kct_trace_writer *w)
{
	int err = write_all(w->fd, w->buf, w->len, w->off);

	if (err)
		return err;
	w->off += w->len;
	w->len = 0;
	return 0;
}

/* Appends len bytes to the file, through the buffer unless they are many. */
static int put(struct kct_trace_writer *w, const void *p, size_t len)
{
	int err;

	if (w->len + len <= sizeof(w->buf)) {
		memcpy(w->buf + w->len, p, len);
		w->len += len;
		return 0;
	}
	if ((err = flush(w)))
		return err;
	if (len < sizeof(w->buf))
		return put(w, p, len);
	err = write_all(w->fd, p, len, w->off);
	if (!err)
		w->off += len;
	return err;
}

static int put_item(struct kct_trace_writer *w, uint32_t type, const void *a, size_t a_len,
		    const void *b, size_t b_len)
{
	static const char zeros[8];
	struct kct_disk_item item = { .type = type, .size = (uint32_t)(a_len + b_len) };
	int err = put(w, &item, sizeof(item));

	if (!err)
		err = put(w, a, a_len);
	if (!err && b_len)
		err = put(w, b, b_len);
	if (!err && item.size % 8)
		err = put(w, zeros, 8 - item.size % 8);
	return err;
}

static bool note_key_ok(const char *note, size_t key_len)
{
	if (!key_len)
		return false;
	for (size_t i = 0; i < key_len; i++) {
		char c = note[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Whether the notes are "key=value" with valid keys, each key once. */
static bool notes_ok(const char *const *notes)
{
	for (size_t i = 0; notes && notes[i]; i++) {
		const char *eq = strchr(notes[i], '=');

		if (!eq || !note_key_ok(notes[i], eq - notes[i]) ||
		    strlen(notes[i]) > KCT_DISK_HEADER_MAX / 2)
			return false;
		for (size_t j = 0; j < i; j++)
			if (!strncmp(notes[j], notes[i], eq - notes[i] + 1))
				return false;
	}
	return true;
}

/* The header items: the kernel's identity, then the notes. */
static int put_items(struct kct_trace_writer *w, const struct kct_trace_writer_opts *opts)
{
	uint32_t kind = OPTS_GET(opts, kernel_id_kind, KCT_KERNEL_ID_NONE);
	const char *const *notes = OPTS_GET(opts, notes, NULL);
	int err = 0;

	if (kind != KCT_KERNEL_ID_NONE)
		err = put_item(w, KCT_ITEM_KERNEL_ID, &kind, sizeof(kind),
			       OPTS_GET(opts, kernel_id, NULL), OPTS_GET(opts, kernel_id_len, 0));
	for (size_t i = 0; !err && notes && notes[i]; i++) {
		size_t key_len = strchr(notes[i], '=') - notes[i], len = strlen(notes[i]);
		char *item = malloc(len + 1);

		if (!item)
			return -ENOMEM;
		/* "key\0value\0" */
		memcpy(item, notes[i], len + 1);
		item[key_len] = '\0';
		err = put_item(w, KCT_ITEM_NOTE, item, len + 1, NULL, 0);
		free(item);
	}
	if (!err && w->off + w->len > KCT_DISK_HEADER_MAX)
		err = -EFBIG;
	return err;
}

/*
 * Creates w->tmp, "PATH.tmp.XXXXXX", and returns its descriptor, or a
 * negative errno.  As mkostemp() would, but with mode 0666, which the
 * kernel reduces by the umask (and a default ACL) as for any file created
 * with open(O_CREAT): mkostemp()'s 0600 would need a chmod to what the
 * umask allows, and only umask() tells that, by changing it, which a
 * library whose caller may run threads must not do.
 */
static int create_tmp(struct kct_trace_writer *w)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const uint64_t n = sizeof(letters) - 1;
	char *x = w->tmp + strlen(w->tmp) - 6;
	struct timespec ts;
	uint64_t seed, z;
	int fd;

	/* Another writer's name differs in its time, process or address. */
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 40 ^
	       (uintptr_t)w;
	for (int tries = 0; tries < 100; tries++) {
		/* splitmix64, for names that differ in every letter. */
		seed += 0x9e3779b97f4a7c15ULL;
		z = (seed ^ seed >> 30) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ z >> 27) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		for (int i = 0; i < 6; i++, z /= n)
			x[i] = letters[z % n];
		fd = open(w->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/* -EISDIR if path is a directory, which rename() could not replace. */
static int not_a_dir(const char *path)
{
	struct stat st;

	/* lstat: rename() replaces a symbolic link, whatever it points to. */
	return !lstat(path, &st) && S_ISDIR(st.st_mode) ? -EISDIR : 0;
}

int kct_trace_writer_open(const char *path, const struct kct_trace_writer_opts *opts,
			  struct kct_trace_writer **out)
{
	const char *release = OPTS_GET(opts, kernel_release, NULL);
	const char *backup = OPTS_GET(opts, backup, NULL);
	uint32_t id_kind = OPTS_GET(opts, kernel_id_kind, KCT_KERNEL_ID_NONE);
	uint32_t id_len = OPTS_GET(opts, kernel_id_len, 0);
	uint32_t mode = OPTS_GET(opts, mode, KCT_MODE_TRACE_PC);
	struct kct_trace_writer *w;
	int err;

	*out = NULL;
	if (!OPTS_VALID(opts, struct kct_trace_writer_opts, backup) ||
	    (OPTS_GET(opts, flags, 0) & ~WRITER_FLAGS) ||
	    (mode != KCT_MODE_TRACE_PC && mode != KCT_MODE_TRACE_PC_EXT &&
	     mode != KCT_MODE_TRACE_MEMORY_ACCESS) ||
	    (release && strlen(release) >= sizeof(((struct kct_trace_info *)0)->kernel_release)) ||
	    id_kind > KCT_KERNEL_ID_SYMBOLS || id_len > KCT_KERNEL_ID_MAX ||
	    (id_len && !OPTS_GET(opts, kernel_id, NULL)) || (id_kind == KCT_KERNEL_ID_NONE) != !id_len ||
	    !notes_ok(OPTS_GET(opts, notes, NULL)))
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = -1;
	w->path = strdup(path);
	if (backup)
		w->backup = strdup(backup);
	if (!w->path || (backup && !w->backup) || asprintf(&w->tmp, "%s.tmp.XXXXXX", path) < 0) {
		w->tmp = NULL;
		err = -ENOMEM;
		goto fail;
	}
	/* Refused now, not once the trace is written, when commit's rename()
	 * would fail. */
	err = not_a_dir(path);
	if (!err && backup)
		err = not_a_dir(backup);
	if (!err) {
		w->fd = create_tmp(w);
		err = w->fd < 0 ? w->fd : 0;
	}
	if (err) {
		w->fd = -1;
		free(w->tmp);
		w->tmp = NULL;
		goto fail;
	}
	memcpy(w->h.magic, KCT_TRACE_MAGIC, sizeof(w->h.magic));
	w->h.version = KCT_TRACE_VERSION;
	w->h.fixed_size = sizeof(w->h);
	w->h.mode = mode;
	w->h.flags = OPTS_GET(opts, flags, 0);
	w->h.buffer_words = OPTS_GET(opts, buffer_words, 0);
	w->h.pc_fill = OPTS_GET(opts, pc_fill, 0);
	if (release)
		memcpy(w->h.kernel_release, release, strlen(release));
	/* The fixed header is written again, complete, by commit. */
	err = put(w, &w->h, sizeof(w->h));
	if (!err)
		err = put_items(w, opts);
	if (err)
		goto fail;
	w->h.header_size = (uint32_t)(w->off + w->len);
	*out = w;
	return 0;
fail:
	kct_trace_writer_abort(w);
	return err;
}

int kct_trace_writer_begin_stream(struct kct_trace_writer *w, const struct kct_stream_opts *opts)
{
	const char *comm = OPTS_GET(opts, comm, NULL);
	uint32_t kind = OPTS_GET(opts, kind, KCT_STREAM_KIND_UNKNOWN);
	uint32_t mode = OPTS_GET(opts, mode, KCT_MODE_TRACE_PC);
	uint32_t memory_words = OPTS_GET(opts, memory_record_words, 0);
	struct kct_disk_stream *sh = &w->sh;
	/* Six strings of the most kept, with their NULs, padded. */
	char strings[6 * (KCT_ARG_STRING_MAX + 1) + 8] = { 0 };
	size_t tail = 0;
	int err;

	if (w->err)
		return w->err;
	if (w->in_stream)
		return -EBUSY;
	if (mode == KCT_MODE_TRACE_MEMORY_ACCESS && !memory_words)
		memory_words = KCT_MEMORY_RECORD_WORDS;
	if (!OPTS_VALID(opts, struct kct_stream_opts, memory_record_words) ||
	    kind > KCT_STREAM_KIND_REMOTE ||
	    (OPTS_GET(opts, flags, 0) & ~STREAM_FLAGS) || (comm && strlen(comm) >= KCT_COMM_LEN) ||
	    (mode != KCT_MODE_TRACE_PC && mode != KCT_MODE_TRACE_PC_EXT &&
	     mode != KCT_MODE_TRACE_MEMORY_ACCESS) ||
	    (mode == KCT_MODE_TRACE_MEMORY_ACCESS ?
	     memory_words < KCT_MEMORY_RECORD_WORDS || memory_words > KCT_MEMORY_RECORD_WORDS_MAX :
	     memory_words != 0))
		return -EINVAL;
	if (w->h.nr_streams == KCT_DISK_MAX_STREAMS)
		return -EFBIG;
	memset(sh, 0, sizeof(*sh));
	sh->size = sizeof(*sh);
	sh->kind = kind;
	sh->seq = OPTS_GET(opts, seq, 0);
	sh->flags = OPTS_GET(opts, flags, 0);
	sh->mode = mode;
	sh->memory_record_words = memory_words;
	sh->pid = OPTS_GET(opts, pid, 0);
	sh->tid = OPTS_GET(opts, tid, 0);
	sh->ppid = OPTS_GET(opts, ppid, 0);
	sh->syscall = KCT_STREAM_NO_SYSCALL;
	if (kind == KCT_STREAM_KIND_SYSCALL || kind == KCT_STREAM_KIND_EXEC)
		sh->syscall = OPTS_GET(opts, syscall, KCT_STREAM_NO_SYSCALL);
	if ((sh->flags & KCT_STREAM_F_ARGS) && OPTS_HAS(opts, args))
		memcpy(sh->args, opts->args, sizeof(sh->args));
	else
		sh->flags &= ~KCT_STREAM_F_ARGS;
	sh->lost = OPTS_GET(opts, lost, 0);
	if (!sh->lost && (sh->flags & KCT_STREAM_F_OVERFLOW))
		sh->lost = KCT_LOST_UNKNOWN;
	sh->remote_handle = OPTS_GET(opts, remote_handle, 0);
	if (comm)
		memcpy(sh->comm, comm, strlen(comm));
	if ((sh->flags & KCT_STREAM_F_ARGS) && OPTS_HAS(opts, arg_strings)) {
		for (int n = 0; n < 6; n++) {
			const char *s = opts->arg_strings[n];
			size_t len = s ? strnlen(s, KCT_ARG_STRING_MAX + 1) : 0;

			if (!s)
				continue;
			if (len > KCT_ARG_STRING_MAX) {
				len = KCT_ARG_STRING_MAX;
				sh->arg_strings |= 1u << (8 + n);
			}
			sh->arg_strings |= 1u << n;
			memcpy(strings + tail, s, len);
			tail += len + 1;
		}
		tail = (tail + 7) & ~(size_t)7;
		sh->size += tail;
	}
	w->stream_off = w->off + w->len;
	w->depth = w->low = 0;
	/* Records of several words, which appends may split: not followed,
	 * unknown_callers is left unknown (0) for the reader's first pass. */
	w->tree_ended = mode == KCT_MODE_TRACE_MEMORY_ACCESS;
	/* Its record count is written again by end_stream. */
	err = put(w, sh, sizeof(*sh));
	if (!err)
		err = put(w, strings, tail);
	if (err)
		return w->err = err;
	w->in_stream = true;
	return 0;
}

/*
 * The depth of the records of the stream's first tree, as the decoder's
 * first pass (lib/decode.c, find_unknown_callers()) follows it: entries and
 * exits, and the frames an EESUM record pops and pushes, up to one that
 * cannot be balanced.  A pass over records the caller just had in hand,
 * which spares every reader of the trace a pass over the file.
 */
static void follow_depth(struct kct_trace_writer *w, const uint64_t *records, uint64_t n)
{
	int64_t depth = w->depth, low = w->low;

	for (uint64_t i = 0; i < n && !w->tree_ended; i++) {
		unsigned int t = KCT_RECORD_KIND(records[i]);

		depth += (t == KCT_RECORD_KIND_ENTRY) - (t == KCT_RECORD_KIND_EXIT);
		if (t == KCT_RECORD_KIND_EESUM) {
			if (kct_eesum_unbalanceable(records[i])) {
				w->tree_ended = true;
				break;
			}
			depth += KCT_EESUM_MINDELTA(records[i]);
			low = depth < low ? depth : low;
			depth += KCT_EESUM_DELTA(records[i]) - KCT_EESUM_MINDELTA(records[i]);
		}
		low = depth < low ? depth : low;
	}
	w->depth = depth;
	w->low = low;
}

int kct_trace_writer_append(struct kct_trace_writer *w, const uint64_t *records, uint64_t n)
{
	int err;

	if (w->err)
		return w->err;
	if (!w->in_stream || (n && !records))
		return -EINVAL;
	if (n > (UINT64_MAX - w->sh.records) || n > SIZE_MAX / sizeof(uint64_t))
		return w->err = -EFBIG;
	err = put(w, records, n * sizeof(uint64_t));
	if (err)
		return w->err = err;
	follow_depth(w, records, n);
	w->sh.records += n;
	return 0;
}

int kct_trace_writer_end_stream(struct kct_trace_writer *w)
{
	int err;

	if (w->err)
		return w->err;
	if (!w->in_stream)
		return -EINVAL;
	w->in_stream = false;
	w->sh.unknown_callers = w->sh.mode == KCT_MODE_TRACE_MEMORY_ACCESS ? 0 :
				(uint64_t)-w->low + 1;
	if (w->stream_off >= w->off) {
		/* Still in the buffer. */
		memcpy(w->buf + (w->stream_off - w->off), &w->sh, sizeof(w->sh));
	} else if ((err = write_all(w->fd, &w->sh, sizeof(w->sh), w->stream_off))) {
		return w->err = err;
	}
	w->h.nr_streams++;
	w->h.records += w->sh.records;
	if (w->sh.flags & KCT_STREAM_F_OVERFLOW)
		w->h.flags |= KCT_TRACE_F_OVERFLOW;
	return 0;
}

int kct_trace_writer_add(struct kct_trace_writer *w, const struct kct_stream_opts *opts,
			 const uint64_t *records, uint64_t n)
{
	int err = kct_trace_writer_begin_stream(w, opts);

	if (!err)
		err = kct_trace_writer_append(w, records, n);
	if (!err)
		err = kct_trace_writer_end_stream(w);
	return err;
}

int kct_trace_writer_add_flags(struct kct_trace_writer *w, uint32_t flags)
{
	if (flags & ~WRITER_FLAGS)
		return -EINVAL;
	/* In the fixed header that commit writes again. */
	w->h.flags |= flags;
	return 0;
}

int kct_trace_writer_commit(struct kct_trace_writer *w)
{
	int err = w->err;
	bool moved = false;

	if (!err && w->in_stream)
		err = kct_trace_writer_end_stream(w);
	if (!err)
		err = flush(w);
	if (!err) {
		w->h.file_size = w->off;
		err = write_all(w->fd, &w->h, sizeof(w->h), 0);
	}
	if (!err && fsync(w->fd))
		err = -errno;
	if (!err) {
		err = close(w->fd) ? -errno : 0;
		w->fd = -1;
	}
	/*
	 * What was at the path is kept as the backup, if there was anything:
	 * last, so that a trace that fails leaves it where it was.  A second
	 * name for it, so that the path never goes missing before the rename
	 * below replaces it; moved there where the file system has no hard
	 * links.
	 */
	if (!err && w->backup) {
		if (unlink(w->backup) && errno != ENOENT)
			err = -errno;
		else if (!link(w->path, w->backup) || errno == ENOENT)
			;	/* kept, or nothing to keep */
		else if (!rename(w->path, w->backup))
			moved = true;
		else if (errno != ENOENT)
			err = -errno;
	}
	if (!err && rename(w->tmp, w->path)) {
		err = -errno;
		if (moved)
			rename(w->backup, w->path);
	}
	if (err) {
		kct_trace_writer_abort(w);
		return err;
	}
	free(w->tmp);
	free(w->path);
	free(w->backup);
	free(w);
	return 0;
}

void kct_trace_writer_abort(struct kct_trace_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	free(w->path);
	free(w->backup);
	free(w);
}
