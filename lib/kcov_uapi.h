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

/*
 * Delay injection in KCOV_TRACE_MEMORY_ACCESS (the series' patch 13, the
 * uAPI of its author's tree): an instance's stacks, each an access named
 * by its call stack and what the task does there; 64 flag bits that
 * tasks set and wait for.  The WAIT and WAKE records it writes are
 * include/kcovtrace.h's.
 */
struct kcov_di_stack_elem {
	uint64_t ip;
	uint64_t parent_idx;
};

enum kcov_di_stack_type {
	DI_STACK_WAIT = 0,
	DI_STACK_WAKE_PRE = 1,
	DI_STACK_WAKE_POST = 2,
};

struct kcov_di_stack {
	uint64_t elems;		/* struct kcov_di_stack_elem[] */
	uint32_t num_elems;
	uint32_t type;		/* enum kcov_di_stack_type, 4 bytes */
	uint32_t flagidx;
	uint32_t pad;
};

struct kcov_set_di_arg {
	uint64_t stacks;	/* struct kcov_di_stack[] */
	uint32_t num_stacks;
	int32_t sync_bits_fd;
	uint64_t spin_limit;
};

#define KCOV_SET_DI		_IOW('c', 104, struct kcov_set_di_arg)
#define KCOV_RESET_DI_FLAGS	_IO('c', 105)
#define KCOV_WAKE_DI_FLAG	_IO('c', 106)
#define KCOV_SPINWAIT_DI_FLAG	_IO('c', 107)
#define KCOV_DI_MAX_STACKS	64
#define KCOV_DI_MAX_ELEMS	128
#define KCOV_DI_FLAGS		64

#endif
