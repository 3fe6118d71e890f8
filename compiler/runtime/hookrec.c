// SPDX-License-Identifier: GPL-2.0-only
/*
 * hookrec: a userspace stand-in for the kernel's kcov hooks.  Linked into a
 * program built with kcov-cc -fsanitize-coverage=trace-pc-entry-exit, it
 * records every hook as a KCOV_TRACE_PC_EXT record and, at exit, writes them
 * as a kcovtrace trace file to $HOOKREC_OUT with libkcovtrace's trace writer
 * (linked into hookrec.o with it, see compiler/build.mk).  Must itself be
 * built without coverage; the recording path below calls nothing, so that
 * it is async-signal-safe.
 *
 * Recording claims the slot before writing the record, as kernel/kcov.c
 * does, but with one read-modify-write of the count: kcov never records in
 * interrupt context, while here a signal handler that records can land
 * anywhere, also between a load and a store of the count, and would have its
 * records overwritten.  A single instruction cannot be split by a signal.
 */
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kcovtrace.h"

#define HOOKREC_WORDS (1 << 22)

static uint64_t area[HOOKREC_WORDS];
static volatile sig_atomic_t cmp_calls;

static inline __attribute__((always_inline)) void record(uint64_t type, void *ret)
{
	uint64_t pos = __atomic_fetch_add(&area[0], 1, __ATOMIC_RELAXED) + 1;

	/* Past the end, the count goes on growing: the dump caps it. */
	if (pos < HOOKREC_WORDS)
		area[pos] = ((uint64_t)(uintptr_t)ret & KCT_RECORD_IP_MASK) | type;
}

void __sanitizer_cov_trace_pc(void)
{
	record(KCT_RECORD_TYPE_NORMAL, __builtin_return_address(0));
}

void __sanitizer_cov_trace_pc_entry(void)
{
	record(KCT_RECORD_TYPE_ENTRY, __builtin_return_address(0));
}

void __sanitizer_cov_trace_pc_exit(void)
{
	record(KCT_RECORD_TYPE_EXIT, __builtin_return_address(0));
}

#define CMP_HOOK(name, type) \
	void name(type a, type b) { (void)a; (void)b; cmp_calls++; }
CMP_HOOK(__sanitizer_cov_trace_cmp1, uint8_t)
CMP_HOOK(__sanitizer_cov_trace_cmp2, uint16_t)
CMP_HOOK(__sanitizer_cov_trace_cmp4, uint32_t)
CMP_HOOK(__sanitizer_cov_trace_cmp8, uint64_t)
CMP_HOOK(__sanitizer_cov_trace_const_cmp1, uint8_t)
CMP_HOOK(__sanitizer_cov_trace_const_cmp2, uint16_t)
CMP_HOOK(__sanitizer_cov_trace_const_cmp4, uint32_t)
CMP_HOOK(__sanitizer_cov_trace_const_cmp8, uint64_t)

void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases)
{
	(void)val;
	(void)cases;
	cmp_calls++;
}

static int main_program_bias(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(uintptr_t *)data = info->dlpi_addr;
	return 1; /* the main program comes first */
}

/* Runs after main() returned, so the records are complete. */
static void __attribute__((destructor)) hookrec_dump(void)
{
	const char *path = getenv("HOOKREC_OUT");
	const char *stats = getenv("HOOKREC_STATS");
	uint64_t claimed = area[0];
	uint64_t count = claimed < HOOKREC_WORDS ? claimed : HOOKREC_WORDS - 1;
	struct kct_trace_writer_opts wopts = {
		.sz = sizeof(wopts),
		.mode = KCT_MODE_TRACE_PC_EXT,
		.flags = KCT_TRACE_F_USER,
		.buffer_words = HOOKREC_WORDS,
	};
	/* One stream: this process's main thread, from start to exit.  The
	 * count goes on past the end of the buffer, so hookrec knows how many
	 * records it lost. */
	struct kct_stream_opts sopts = {
		.sz = sizeof(sopts),
		.kind = KCT_STREAM_KIND_TASK,
		.mode = KCT_MODE_TRACE_PC_EXT,
		.pid = getpid(),
		.tid = gettid(),
		.ppid = getppid(),
		.flags = count + 1 == HOOKREC_WORDS ? KCT_STREAM_F_OVERFLOW : 0,
		.lost = claimed - count,
	};
	struct kct_trace_writer *w;
	char comm[KCT_COMM_LEN] = "";
	uintptr_t bias = 0;
	struct utsname u;
	int err;

	if (stats)
		fprintf(stderr, "hookrec: %llu records, %d comparison hooks\n",
			(unsigned long long)claimed, (int)cmp_calls);
	if (!path)
		return;
	/* The symbolizer reads link-time addresses: undo PIE relocation. */
	dl_iterate_phdr(main_program_bias, &bias);
	for (uint64_t i = 1; i <= count; i++)
		area[i] = (area[i] & KCT_RECORD_TYPE_MASK) |
			  ((area[i] - bias) & KCT_RECORD_IP_MASK);
	if (!uname(&u))
		wopts.kernel_release = u.release;
	if (!prctl(PR_GET_NAME, comm))
		sopts.comm = comm;
	err = kct_trace_writer_open(path, &wopts, &w);
	if (!err) {
		err = kct_trace_writer_add(w, &sopts, &area[1], count);
		if (err)
			kct_trace_writer_abort(w);
		else
			err = kct_trace_writer_commit(w);
	}
	if (err) {
		fprintf(stderr, "hookrec: %s: %s\n", path, strerror(-err));
		_exit(99);
	}
}
