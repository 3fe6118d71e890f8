// SPDX-License-Identifier: GPL-2.0-only
/* Empty coverage hooks: the benchmark measures the instrumentation's own
 * cost, the calls and the code around them, not what a runtime records. */
#include <stdint.h>

#define HOOK(name) void __attribute__((noinline)) name(void) { __asm__ volatile(""); }
HOOK(__sanitizer_cov_trace_pc)
HOOK(__sanitizer_cov_trace_pc_entry)
HOOK(__sanitizer_cov_trace_pc_exit)
