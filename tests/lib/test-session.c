// SPDX-License-Identifier: GPL-2.0-only
/*
 * kct_session_enable() and kct_session_enable_remote() fall back to classic
 * coverage for the errors a kernel without KCOV_TRACE_PC_EXT gives: ENOTSUPP
 * (the series without CONFIG_KCOV_EXT_RECORDS) and EINVAL (a kernel without
 * the series, which does not know the mode).  No kernel here: the test is
 * linked with -Wl,--wrap=ioctl, and its ioctl() plays a kcov device, a
 * plain file the library maps as it would map the kcov buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kcovtrace.h"
#include "kcov_uapi.h"

/* The library's copy of the UAPI of issue 10 (kcov-filter-uapi.h), held to
 * its layout. */
_Static_assert(sizeof(struct kcov_filter) == 16 &&
	       __builtin_offsetof(struct kcov_filter, max_depth) == 0 &&
	       __builtin_offsetof(struct kcov_filter, flags) == 4 &&
	       __builtin_offsetof(struct kcov_filter, num_ranges) == 8 &&
	       __builtin_offsetof(struct kcov_filter, ranges) == 16 &&
	       sizeof(struct kcov_filter_range) == 16, "struct kcov_filter");
_Static_assert(sizeof(struct kcov_remote_arg) == 24 &&
	       __builtin_offsetof(struct kcov_remote_arg, common_handle) == 16,
	       "struct kcov_remote_arg");

static int tests, failures;
static int reject_filter;	/* the errno for KCOV_FILTER */
static char filter_seen[256];	/* KCOV_FILTER's argument, as text */
static int reject_ext;		/* the errno for KCOV_TRACE_PC_EXT */
static int reject_all;		/* the errno for every mode, 0: none */
static int reject_memory;	/* the errno for KCOV_TRACE_MEMORY_ACCESS */
static int record_size = -ENOTTY; /* KCOV_GET_MEMORY_RECORD_SIZE's answer */
static unsigned long last_mode;	/* KCOV_ENABLE's last mode */

int __real_ioctl(int fd, unsigned long request, ...);

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	unsigned long mode;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	switch (request) {
	case KCOV_INIT_TRACE:
	case KCOV_DISABLE:
		return 0;
	case KCOV_ENABLE:
		mode = (unsigned long)arg;
		last_mode = mode;
		if (mode == KCOV_TRACE_MEMORY_ACCESS) {
			errno = reject_memory;
			return errno ? -1 : 0;
		}
		break;
	case KCOV_GET_MEMORY_RECORD_SIZE:
		if (record_size < 0) {
			errno = -record_size;
			return -1;
		}
		return record_size;
	case KCOV_FILTER: {
		const struct kcov_filter *kf = arg;
		int n = snprintf(filter_seen, sizeof(filter_seen), "depth %u flags %u pad %u:",
				 kf->max_depth, kf->flags, kf->pad);

		for (uint32_t i = 0; i < kf->num_ranges && n < (int)sizeof(filter_seen); i++)
			n += snprintf(filter_seen + n, sizeof(filter_seen) - n, " %#llx-%#llx",
				      (unsigned long long)kf->ranges[i].start,
				      (unsigned long long)kf->ranges[i].end);
		errno = reject_filter;
		return errno ? -1 : 0;
	}
	case KCOV_REMOTE_ENABLE:
		mode = ((struct kcov_remote_arg *)arg)->trace_mode;
		break;
	default:
		return __real_ioctl(fd, request, arg);
	}
	errno = reject_all ? reject_all : mode == KCT_MODE_TRACE_PC_EXT ? reject_ext : 0;
	return errno ? -1 : 0;
}

static void check(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures += !cond;
}

static struct kct_session *open_fake(const char *path)
{
	KCT_OPTS(kct_session_opts, opts, .buffer_words = 512, .device = path);
	struct kct_session *s;
	int err = kct_session_open(&opts, &s);

	if (err) {
		printf("Bail out! opening %s as a kcov device: %s\n", path, kct_strerror(err));
		exit(1);
	}
	return s;
}

int main(void)
{
	static const struct {
		int err;
		const char *name;
	} kernels[] = {
		{ ENOTSUPP, "ENOTSUPP (CONFIG_KCOV_EXT_RECORDS=n)" },
		{ EINVAL, "EINVAL (a kernel without the series)" },
	};
	char path[] = "/tmp/kcovtrace-test-session.XXXXXX";
	int fd = mkstemp(path), err;
	struct kct_session *s;
	KCT_OPTS(kct_enable_opts, classic, .allow_classic = true);
	KCT_OPTS(kct_remote_enable_opts, rclassic, .allow_classic = true, .common_handle = 0x42);
	KCT_OPTS(kct_remote_enable_opts, rstrict, .common_handle = 0x42);

	if (fd < 0 || ftruncate(fd, 512 * sizeof(uint64_t))) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		reject_ext = kernels[i].err;

		s = open_fake(path);
		err = kct_session_enable(s, &classic);
		check(!err && kct_session_mode(s) == KCT_MODE_TRACE_PC,
		      "enable falls back to KCOV_TRACE_PC on %s (%d, mode %u)", kernels[i].name, err,
		      kct_session_mode(s));
		kct_session_close(s);

		s = open_fake(path);
		err = kct_session_enable_remote(s, &rclassic);
		check(!err && kct_session_mode(s) == KCT_MODE_TRACE_PC,
		      "remote enable falls back to KCOV_TRACE_PC on %s (%d, mode %u)", kernels[i].name,
		      err, kct_session_mode(s));
		kct_session_close(s);

		s = open_fake(path);
		err = kct_session_enable_remote(s, &rstrict);
		check(err == -kernels[i].err, "without allow_classic, remote enable gives %s (%d)",
		      kernels[i].name, err);
		kct_session_close(s);
	}

	/* A kernel that takes neither mode: its error, no success. */
	reject_all = EINVAL;
	s = open_fake(path);
	err = kct_session_enable_remote(s, &rclassic);
	check(err == -EINVAL, "remote enable that fails in both modes gives the error (%d)", err);
	kct_session_close(s);

	reject_all = 0;
	reject_ext = 0;
	s = open_fake(path);
	err = kct_session_enable_remote(s, &rclassic);
	check(!err && kct_session_mode(s) == KCT_MODE_TRACE_PC_EXT,
	      "remote enable keeps the extended mode where the kernel has it (%d)", err);
	kct_session_close(s);

	/* KCOV_FILTER: its argument as the UAPI lays it out; the kernel's
	 * errors as they come; the library's own checks first. */
	{
		const struct kct_range ranges[] = { { 0x1000, 0x1100 }, { 0x2000, 0x2040 } };
		const struct kct_range unsorted[] = { { 0x2000, 0x2040 }, { 0x1000, 0x1100 } };
		KCT_OPTS(kct_filter_opts, fo, .max_depth = 3, .ranges = ranges,
			 .nr_ranges = 2);
		KCT_OPTS(kct_enable_opts, ext);

		s = open_fake(path);
		err = kct_session_set_filter(s, &fo);
		check(!err &&
		      !strcmp(filter_seen, "depth 3 flags 0 pad 0: 0x1000-0x1100 0x2000-0x2040"),
		      "KCOV_FILTER gets max_depth and the ranges (%d: %s)", err, filter_seen);
		reject_filter = ENOTTY;
		err = kct_session_set_filter(s, &fo);
		check(err == -ENOTTY, "a kernel without KCOV_FILTER: ENOTTY (%d)", err);
		filter_seen[0] = '\0';
		fo.ranges = unsorted;
		err = kct_session_set_filter(s, &fo);
		check(err == -EINVAL && !filter_seen[0],
		      "unsorted ranges: EINVAL, and no ioctl (%d)", err);
		fo.ranges = ranges;
		reject_filter = 0;
		kct_session_enable(s, &ext);
		err = kct_session_set_filter(s, &fo);
		check(err == -EBUSY, "once enabled: EBUSY (%d)", err);
		kct_session_close(s);
	}

	/* KCOV_TRACE_MEMORY_ACCESS: asked for, no fallback; its record
	 * size in words, from the kernel's bytes. */
	{
		KCT_OPTS(kct_enable_opts, mem, .mode = KCT_MODE_TRACE_MEMORY_ACCESS,
			 .allow_classic = true);
		KCT_OPTS(kct_enable_opts, cmp, .mode = KCT_MODE_TRACE_CMP);
		static const struct {
			int size, want;
			const char *what;
		} sizes[] = {
			{ 40, 5, "40 bytes: 5 words" },
			{ 48, 6, "48 bytes (a newer kernel's record): 6 words" },
			{ 44, -EPROTO, "44 bytes, not whole words: EPROTO" },
			{ 32, -EPROTO, "32 bytes, fewer than 5 words: EPROTO" },
			{ -ENOTTY, -ENOTTY, "a kernel without the ioctl: ENOTTY" },
			{ -EINVAL, -EINVAL, "EINVAL from the kernel: EINVAL" },
		};

		s = open_fake(path);
		err = kct_session_enable(s, &mem);
		check(!err && last_mode == KCOV_TRACE_MEMORY_ACCESS &&
		      kct_session_mode(s) == KCT_MODE_TRACE_MEMORY_ACCESS,
		      "enable asks for KCOV_TRACE_MEMORY_ACCESS (3) when told (%d, mode %lu)", err,
		      last_mode);
		kct_session_close(s);
		reject_memory = EINVAL;
		s = open_fake(path);
		last_mode = 99;
		err = kct_session_enable(s, &mem);
		check(err == -EINVAL && last_mode == KCOV_TRACE_MEMORY_ACCESS,
		      "a kernel without it: its EINVAL, no fallback to another mode (%d)", err);
		check(kct_session_enable(s, &cmp) == -EINVAL, "enable refuses KCOV_TRACE_CMP");
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			record_size = sizes[i].size;
			err = kct_session_memory_record_words(s);
			check(err == sizes[i].want, "KCOV_GET_MEMORY_RECORD_SIZE %s (%d)",
			      sizes[i].what, err);
		}
		kct_session_close(s);
	}

	unlink(path);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
