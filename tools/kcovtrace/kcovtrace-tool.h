/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the kcovtrace commands: one file per command, as in uftrace. */
#ifndef KCOVTRACE_TOOL_H
#define KCOVTRACE_TOOL_H

#include <stdio.h>

#include "kcovtrace.h"

struct symbol_opts {
	const char *elf;	/* --vmlinux / --elf */
};

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);
void __attribute__((format(printf, 1, 2))) warn(const char *fmt, ...);
unsigned long parse_ulong(const char *s, const char *what);

/* Opens a trace file or raw buffer; dies with a one-line error. */
struct kct_trace *open_trace(const char *path);
/* A symbolizer from the user's options, or NULL when none were given. */
struct kct_symbolizer *open_symbolizer(const struct symbol_opts *opts);
/* Writes "func+0xoff" (or the bare address) for pc into buf. */
const char *format_pc(struct kct_symbolizer *sym, uint64_t pc, char *buf, size_t size);

int cmd_replay(int argc, char **argv);

#endif
