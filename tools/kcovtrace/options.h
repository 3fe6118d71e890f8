/* SPDX-License-Identifier: GPL-2.0-only */
/* Numbers and files given on the command line (options.c). */
#ifndef KCOVTRACE_OPTIONS_H
#define KCOVTRACE_OPTIONS_H

/* A number given as an option's argument; a usage error if it is not one. */
unsigned long parse_ulong(const char *s, const char *what);
/* The same, at most max (a usage error above). */
unsigned long parse_ulong_max(const char *s, const char *what, unsigned long max);
/* Of an option with a short and a long name, the one the user typed, for
 * messages about its argument: call it where getopt() just returned it. */
const char *typed_option(char **argv, const char *short_name, const char *long_name);
/* The file record writes when given none: what the readers read then. */
#define DEFAULT_TRACE "kcov.trace"
/* A reader's trace file: its one argument left, or DEFAULT_TRACE with
 * none; a usage error naming verb with more. */
const char *trace_arg(int argc, char **argv, const char *verb);

#endif
