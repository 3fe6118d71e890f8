// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "options.h"

unsigned long parse_ulong_max(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long v;

	if (*s == '-')
		usage_die("%s: must be 0 or more: '%s'", what, s);
	/* Decimal, as people write numbers: 010 is ten, not eight; and no
	 * blanks or sign, which strtoul() would skip. */
	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end)
		usage_die("%s: not a number: '%s'", what, s);
	if (errno == ERANGE || v > max)
		usage_die("%s: out of range: '%s' (at most %lu)", what, s, max);
	return v;
}

const char *typed_option(char **argv, const char *short_name, const char *long_name)
{
	/* "-n 5" and "--limit 5" leave optarg as its own word; "-n5" and
	 * "--limit=5" in the option's. */
	const char *word = argv[optind - 1] == optarg ? argv[optind - 2] : argv[optind - 1];

	return strncmp(word, "--", 2) ? short_name : long_name;
}

const char *trace_arg(int argc, char **argv, const char *verb)
{
	if (optind == argc)
		return DEFAULT_TRACE;
	if (optind != argc - 1)
		usage_die("%s: expected one trace file, or none for %s (see kcovtrace %s --help)",
			  verb, DEFAULT_TRACE, verb);
	return argv[optind];
}

unsigned long parse_ulong(const char *s, const char *what)
{
	return parse_ulong_max(s, what, ULONG_MAX);
}
