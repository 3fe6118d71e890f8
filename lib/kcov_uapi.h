/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * kcov's UAPI, private to the tree: what the library, kcovtrace and the
 * tests give the kernel, in one place.
 */
#ifndef KCOV_UAPI_H
#define KCOV_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

/* <linux/kcov.h>, spelled out: the system's copy may predate the series. */
struct kcov_remote_arg {
	uint32_t trace_mode;
	uint32_t area_size;
	uint32_t num_handles;
	uint32_t pad;
	uint64_t common_handle;
	uint64_t handles[];
};
/* KCOV_FILTER (issue 10): suppressed functions, then its argument. */
struct kcov_filter_range {
	uint64_t start;
	uint64_t end;
};
struct kcov_filter {
	uint32_t max_depth;
	uint32_t flags;
	uint32_t num_ranges;
	uint32_t pad;
	struct kcov_filter_range ranges[];
};
#define KCOV_INIT_TRACE		_IOR('c', 1, unsigned long)
#define KCOV_ENABLE		_IO('c', 100)
#define KCOV_DISABLE		_IO('c', 101)
#define KCOV_REMOTE_ENABLE	_IOW('c', 102, struct kcov_remote_arg)
#define KCOV_FILTER		_IOW('c', 103, struct kcov_filter)
#define ENOTSUPP		524	/* the kernel's, not in errno.h */

/*
 * KCOV_TRACE_MEMORY_ACCESS (the series' patch 9, as in its author's tree):
 * KCOV_GET_MEMORY_RECORD_SIZE returns the size of its memory records in
 * bytes (40 today).  The records themselves are include/kcovtrace.h's
 * (KCT_MODE_TRACE_MEMORY_ACCESS), the one place the format is named.
 */
#define KCOV_TRACE_MEMORY_ACCESS	3
#define KCOV_GET_MEMORY_RECORD_SIZE	_IO('c', 103)

#endif
