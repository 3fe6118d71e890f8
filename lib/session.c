// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A kcov session: the ioctl and mmap dance of Documentation/dev-tools/kcov.rst
 * behind one handle.  The buffer is shared with the kernel, which writes
 * records while userspace reads them, so the count is read and written with
 * relaxed atomics, as the kernel's READ_ONCE()/WRITE_ONCE() pair expects.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kcovtrace.h"

/* <linux/kcov.h>, spelled out: the system's copy may predate the series. */
struct kcov_remote_arg {
	uint32_t trace_mode;
	uint32_t area_size;
	uint32_t num_handles;
	uint32_t pad;
	uint64_t common_handle;
	uint64_t handles[];
};
#define KCOV_INIT_TRACE		_IOR('c', 1, unsigned long)
#define KCOV_ENABLE		_IO('c', 100)
#define KCOV_DISABLE		_IO('c', 101)
#define KCOV_REMOTE_ENABLE	_IOW('c', 102, struct kcov_remote_arg)
#define ENOTSUPP		524	/* the kernel's, not in errno.h */

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
	if (opts && opts->sz < sizeof(size_t))
		return -EINVAL;
	if (opts && opts->sz >= offsetof(struct kct_session_opts, buffer_words) +
				sizeof(opts->buffer_words) && opts->buffer_words)
		words = opts->buffer_words;
	if (opts && opts->sz >= offsetof(struct kct_session_opts, device) + sizeof(opts->device) &&
	    opts->device)
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

int kct_session_enable(struct kct_session *s, bool allow_classic)
{
	int err = enable_mode(s, KCT_MODE_TRACE_PC_EXT);

	/* Without CONFIG_KCOV_EXT_RECORDS: ENOTSUPP, like comparisons. */
	if ((err == -ENOTSUPP || err == -EINVAL) && allow_classic)
		err = enable_mode(s, KCT_MODE_TRACE_PC);
	return err;
}

int kct_session_enable_remote(struct kct_session *s, uint64_t common_handle,
			      const uint64_t *handles, uint32_t nr_handles, bool allow_classic)
{
	struct kcov_remote_arg *arg;
	int err;

	arg = calloc(1, sizeof(*arg) + nr_handles * sizeof(uint64_t));
	if (!arg)
		return -ENOMEM;
	arg->area_size = s->words;
	arg->num_handles = nr_handles;
	arg->common_handle = common_handle;
	if (nr_handles)
		memcpy(arg->handles, handles, nr_handles * sizeof(uint64_t));
	for (int attempt = 0; attempt < 2; attempt++) {
		arg->trace_mode = attempt ? KCT_MODE_TRACE_PC : KCT_MODE_TRACE_PC_EXT;
		err = ioctl(s->fd, KCOV_REMOTE_ENABLE, arg) ? -errno : 0;
		if (!err) {
			s->mode = arg->trace_mode;
			s->enabled = true;
		}
		/* As for kct_session_enable(). */
		if ((err != -ENOTSUPP && err != -EINVAL) || !allow_classic)
			break;
	}
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

int kct_session_write_trace(const struct kct_session *s, const char *path)
{
	struct kct_trace_header h = { .mode = s->mode, .buffer_size = s->words,
				      .pc_fill = KCT_PC_FILL_KERNEL };
	struct kct_stream_header sh = { .records = kct_session_count(s),
					.syscall = KCT_STREAM_NO_SYSCALL };
	struct kct_trace_writer *w;
	struct utsname u;
	int err;

	if (sh.records == s->words - 1)
		sh.flags |= KCT_STREAM_F_OVERFLOW;
	if (!uname(&u))
		snprintf(h.kernel_release, sizeof(h.kernel_release), "%s", u.release);
	err = kct_trace_writer_open(path, &h, &w);
	if (err)
		return err;
	err = kct_trace_writer_add(w, &sh, kct_session_records(s));
	if (err) {
		kct_trace_writer_abort(w);
		return err;
	}
	return kct_trace_writer_commit(w);
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
