// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace-tool.h"

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("kcovtrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("kcovtrace: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

unsigned long parse_ulong(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		die("%s: not a number: '%s'", what, s);
	return v;
}

struct kct_trace *open_trace(const char *path)
{
	struct kct_trace *trace;
	int err = kct_trace_open(path, &trace);

	if (err)
		die("%s: %s", path, kct_strerror(err));
	return trace;
}

struct kct_symbolizer *open_symbolizer(const struct symbol_opts *opts)
{
	struct kct_symbolizer *sym;
	int err;

	if (!opts->elf)
		return NULL;
	err = kct_symbolizer_new(&sym);
	if (err)
		die("%s", kct_strerror(err));
	err = kct_symbolizer_add_elf(sym, opts->elf);
	if (err)
		die("%s: %s", opts->elf, kct_strerror(err));
	return sym;
}

const char *format_pc(struct kct_symbolizer *sym, uint64_t pc, char *buf, size_t size)
{
	struct kct_symbol s;

	if (sym && !kct_symbolize(sym, pc, &s))
		snprintf(buf, size, "%s+0x%llx", s.name, (unsigned long long)(pc - s.addr));
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)pc);
	return buf;
}
