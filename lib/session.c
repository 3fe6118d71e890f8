// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A kcov session: the ioctl and mmap dance of Documentation/dev-tools/kcov.rst
 * behind one handle.  The buffer is shared with the kernel, which writes
 * records while userspace reads them, so the count is read and written with
 * relaxed atomics, as the kernel's READ_ONCE()/WRITE_ONCE() pair expects.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "kcov_uapi.h"


#define DEFAULT_WORDS		(1u << 20)
#define DEFAULT_DEVICE		"/sys/kernel/debug/kcov"

struct kct_session {
	int fd;
	uint64_t *area;
	uint64_t words;
	uint32_t mode;		/* KCT_MODE_*, valid once enabled */
	bool enabled;
};

int kct_session_open(const struct kct_session_opts *opts, struct kct_session **out)
{
	const char *device = DEFAULT_DEVICE;
	uint64_t words = DEFAULT_WORDS;
	struct kct_session *s;
	long page = sysconf(_SC_PAGESIZE);
	int err;

	*out = NULL;
	if (!OPTS_VALID(opts, struct kct_session_opts, device))
		return -EINVAL;
	if (OPTS_GET(opts, buffer_words, 0))
		words = opts->buffer_words;
	if (OPTS_GET(opts, device, NULL))
		device = opts->device;
	/* kcov maps exactly size words: whole pages of them. */
	if (words < 2 || (words * sizeof(uint64_t)) % page || words > (1ULL << 31))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->words = words;
	s->fd = open(device, O_RDWR | O_CLOEXEC);
	if (s->fd < 0) {
		err = -errno;
		goto fail;
	}
	if (ioctl(s->fd, KCOV_INIT_TRACE, (unsigned long)words)) {
		err = -errno;
		goto fail;
	}
	s->area = mmap(NULL, words * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->area == MAP_FAILED) {
		err = -errno;
		s->area = NULL;
		goto fail;
	}
	*out = s;
	return 0;
fail:
	kct_session_close(s);
	return err;
}

static int enable_mode(struct kct_session *s, uint32_t mode)
{
	if (ioctl(s->fd, KCOV_ENABLE, (unsigned long)mode))
		return -errno;
	s->mode = mode;
	s->enabled = true;
	return 0;
}

/*
 * Whether enabling the extended mode failed the way a kernel without it
 * fails: without CONFIG_KCOV_EXT_RECORDS, ENOTSUPP (as for comparisons);
 * on a kernel that predates the series, EINVAL (an unknown mode).
 */
static bool lacks_ext_mode(int err)
{
	return err == -ENOTSUPP || err == -EINVAL;
}

int kct_session_enable(struct kct_session *s, const struct kct_enable_opts *opts)
{
	int err;

	uint32_t mode = OPTS_GET(opts, mode, 0);

	if (!OPTS_VALID(opts, struct kct_enable_opts, mode) ||
	    (mode && mode != KCT_MODE_TRACE_PC_EXT && mode != KCT_MODE_TRACE_MEMORY_ACCESS))
		return -EINVAL;
	/* No fallback: what the caller asked for or an error. */
	if (mode == KCT_MODE_TRACE_MEMORY_ACCESS)
		return enable_mode(s, mode);
	err = enable_mode(s, KCT_MODE_TRACE_PC_EXT);
	if (lacks_ext_mode(err) && OPTS_GET(opts, allow_classic, false))
		err = enable_mode(s, KCT_MODE_TRACE_PC);
	return err;
}

int kct_session_memory_record_words(const struct kct_session *s)
{
	int size = ioctl(s->fd, KCOV_GET_MEMORY_RECORD_SIZE, 0);

	if (size < 0)
		return -errno;
	/* struct memory_access_record: whole words, at least the five that
	 * readers know. */
	if (size % 8 || size / 8 < KCT_MEMORY_RECORD_WORDS ||
	    size / 8 > KCT_MEMORY_RECORD_WORDS_MAX)
		return -EPROTO;
	return size / 8;
}

int kct_session_enable_remote(struct kct_session *s, const struct kct_remote_enable_opts *opts)
{
	uint32_t nr_handles = OPTS_GET(opts, nr_handles, 0);
	const uint64_t *handles = OPTS_GET(opts, handles, NULL);
	struct kcov_remote_arg *arg;
	int err;

	if (!OPTS_VALID(opts, struct kct_remote_enable_opts, handles) || (nr_handles && !handles))
		return -EINVAL;
	arg = calloc(1, sizeof(*arg) + nr_handles * sizeof(uint64_t));
	if (!arg)
		return -ENOMEM;
	arg->area_size = s->words;
	arg->num_handles = nr_handles;
	arg->common_handle = OPTS_GET(opts, common_handle, 0);
	if (nr_handles)
		memcpy(arg->handles, handles, nr_handles * sizeof(uint64_t));
	for (int attempt = 0; attempt < 2; attempt++) {
		arg->trace_mode = attempt ? KCT_MODE_TRACE_PC : KCT_MODE_TRACE_PC_EXT;
		err = ioctl(s->fd, KCOV_REMOTE_ENABLE, arg) ? -errno : 0;
		if (!err) {
			s->mode = arg->trace_mode;
			s->enabled = true;
		}
		if (!lacks_ext_mode(err) || !OPTS_GET(opts, allow_classic, false))
			break;
	}
	free(arg);
	return err;
}

int kct_session_set_filter(struct kct_session *s, const struct kct_filter_opts *opts)
{
	uint32_t nr = OPTS_GET(opts, nr_ranges, 0);
	struct kcov_filter *arg;
	int err = filter_opts_check(opts);

	if (err)
		return err;
	if (s->enabled)
		return -EBUSY;
	arg = calloc(1, sizeof(*arg) + (size_t)nr * sizeof(arg->ranges[0]));
	if (!arg)
		return -ENOMEM;
	arg->max_depth = OPTS_GET(opts, max_depth, 0);
	arg->num_ranges = nr;
	/* Field by field: struct kct_range is the library's, not the UAPI's. */
	for (uint32_t i = 0; i < nr; i++) {
		arg->ranges[i].start = opts->ranges[i].start;
		arg->ranges[i].end = opts->ranges[i].end;
	}
	err = ioctl(s->fd, KCOV_FILTER, arg) ? -errno : 0;
	free(arg);
	return err;
}

int kct_session_disable(struct kct_session *s)
{
	if (!s->enabled)
		return -EINVAL;
	if (ioctl(s->fd, KCOV_DISABLE, 0))
		return -errno;
	s->enabled = false;
	return 0;
}

void kct_session_reset(struct kct_session *s)
{
	__atomic_store_n(&s->area[0], 0, __ATOMIC_RELAXED);
}

uint64_t kct_session_count(const struct kct_session *s)
{
	uint64_t n = __atomic_load_n(&s->area[0], __ATOMIC_RELAXED);

	/* cover[0] is userspace's to scribble on too. */
	return n < s->words ? n : s->words - 1;
}

const uint64_t *kct_session_records(const struct kct_session *s)
{
	return s->area + 1;
}

uint32_t kct_session_mode(const struct kct_session *s)
{
	return s->mode;
}

uint64_t kct_session_buffer_words(const struct kct_session *s)
{
	return s->words;
}

int kct_session_fd(const struct kct_session *s)
{
	return s->fd;
}

bool kct_session_full(const struct kct_session *s)
{
	return kcov_buffer_full(kct_session_count(s), s->words);
}

int kct_session_write_stream(const struct kct_session *s, struct kct_trace_writer *w,
			     const struct kct_stream_opts *opts)
{
	struct kct_stream_opts copy = { .sz = sizeof(copy) };
	uint64_t n = kct_session_count(s);

	if (!OPTS_VALID(opts, struct kct_stream_opts, memory_record_words))
		return -EINVAL;
	/* The caller's fields, as many as it has; the rest stay 0. */
	if (opts) {
		fill_out(&copy, opts, opts->sz);
		copy.sz = sizeof(copy);	/* its zeros are values, not absent */
	}
	if (kcov_buffer_full(n, s->words))
		copy.flags |= KCT_STREAM_F_OVERFLOW;
	return kct_trace_writer_add(w, &copy, kct_session_records(s), n);
}

void kct_session_close(struct kct_session *s)
{
	if (!s)
		return;
	if (s->area)
		munmap(s->area, s->words * sizeof(uint64_t));
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}
