// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace.h"
#include "messages.h"

/* "kcovtrace: PREFIX" and the message on stderr, after what is on stdout. */
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "kcovtrace: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	exit(1);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

/*
 * The library's last warning (kct_set_print()), which says more than its
 * error code: the line of a symbol list that is none.  Kept for the caller
 * of the failing call to say, in its own words, as one line.
 */
char lib_msg[1024];

static int lib_print(enum kct_print_level level, const char *fmt, va_list ap)
{
	if (level == KCT_PRINT_WARN) {
		vsnprintf(lib_msg, sizeof(lib_msg), fmt, ap);
		lib_msg[strcspn(lib_msg, "\n")] = '\0';
	}
	return 0;
}

void messages_init(void)
{
	kct_set_print(lib_print);
}

/* The line of path that the library's last warning since lib_msg was
 * cleared blames ("PATH:LINE: ..."), 0 for none. */
unsigned long lib_line(const char *path)
{
	size_t n = strlen(path);
	unsigned long line;
	char *end;

	if (strncmp(lib_msg, path, n) || lib_msg[n] != ':')
		return 0;
	line = strtoul(lib_msg + n + 1, &end, 10);
	return end > lib_msg + n + 1 && *end == ':' ? line : 0;
}

/* What the library's last warning says of path ("PATH: why"), "" if none. */
const char *lib_reason(const char *path)
{
	size_t n = strlen(path);

	if (strncmp(lib_msg, path, n) || strncmp(lib_msg + n, ": ", 2))
		return "";
	return lib_msg + n + 2;
}

/* A usage error: exit status 2. */
void usage_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	exit(2);
}

int short_usage(const char *usage)
{
	static const char prefix[] = "usage: kcovtrace ";
	const char *verb = usage + sizeof(prefix) - 1;

	fprintf(stderr, "%.*s  (kcovtrace %.*s --help says more)\n", (int)strcspn(usage, "\n"),
		usage, (int)strcspn(verb, " \n"), verb);
	return 2;
}
