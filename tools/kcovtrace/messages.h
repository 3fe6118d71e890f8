/* SPDX-License-Identifier: GPL-2.0-only */
/* kcovtrace's messages on stderr, one line each, and the library's
 * (messages.c). */
#ifndef KCOVTRACE_MESSAGES_H
#define KCOVTRACE_MESSAGES_H

#include <stdarg.h>
#include <stdint.h>

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);
void __attribute__((format(printf, 1, 2))) warn(const char *fmt, ...);
/* The library's warnings kept, for the messages of its errors to say
 * more (the bad line of a symbol list): first thing in main(). */
void messages_init(void);
/* A usage error: the message, as die()'s, and exit status 2. */
void __attribute__((noreturn, format(printf, 1, 2))) usage_die(const char *fmt, ...);
/* After getopt()'s own line for a bad option: usage's first line, with
 * where to read the rest; returns 2, the exit status of a usage error. */
int short_usage(const char *usage);
/* one if n is 1, else more: "1 stream", "2 streams". */
static inline const char *plural(uint64_t n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

/*
 * The library's last warning, kept by messages_init()'s print callback:
 * cleared ("") by the caller of a call whose error it may explain.
 */
extern char lib_msg[1024];
/* The line of path that lib_msg blames ("PATH:LINE: ..."), 0 for none. */
unsigned long lib_line(const char *path);
/* What lib_msg says of path ("PATH: why"), "" if none. */
const char *lib_reason(const char *path);

#endif
