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
 * KCOV_TRACE_MEMORY_ACCESS (the series' patch 9, as in its author's tree): the
 * records of KCOV_TRACE_PC_EXT, but an ENTRY record is two words (the
 * entry PC, then the call site: the caller's full return address), and
 * three more types.  KCOV_GET_MEMORY_RECORD_SIZE returns the size of
 * struct memory_access_record in bytes (40 today; a larger one has more
 * words at its end, which readers skip).
 */
#define KCOV_TRACE_MEMORY_ACCESS	3
#define KCOV_GET_MEMORY_RECORD_SIZE	_IO('c', 103)

#define KCOV_RECORDFLAG_TYPE_MEMORY	0x3000000000000000ULL
#define KCOV_RECORDFLAG_TYPE_WAIT	0x4000000000000000ULL
#define KCOV_RECORDFLAG_TYPE_WAKE	0x5000000000000000ULL
/* WAIT: the wait timed out; WAIT and WAKE: the sync bit in bits 0-15. */
#define KCOV_WAIT_TIMEOUT		0x0010000000000000ULL
#define KCOV_WAIT_BIT_MASK		0xffffULL

struct memory_access_record {
	uint64_t ip;		/* (access ip & IP_MASK) | TYPE_MEMORY */
	uint64_t addr;		/* the data address, raw */
	uint32_t size;
	uint32_t flags;		/* MEMORY_ACCESS_RECORD_* */
	uint64_t time;		/* rdtsc_ordered() */
	uint64_t value;		/* with MEMORY_ACCESS_RECORD_VALUE */
};

#define MEMORY_ACCESS_RECORD_TYPE_MASK	0xf	/* type 0: an access */
#define MEMORY_ACCESS_RECORD_WRITE	0x10
#define MEMORY_ACCESS_RECORD_RMW	0x20
#define MEMORY_ACCESS_RECORD_ATOMIC	0x40
#define MEMORY_ACCESS_RECORD_FREE	0x80	/* a slab free: WRITE|FREE */
#define MEMORY_ACCESS_RECORD_VALUE	0x100

#endif
