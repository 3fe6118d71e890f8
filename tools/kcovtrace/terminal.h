/* SPDX-License-Identifier: GPL-2.0-only */
/* A terminal: --no-pager, --color (terminal.c). */
#ifndef KCOVTRACE_TERMINAL_H
#define KCOVTRACE_TERMINAL_H

#include <stdbool.h>

enum {
	OPT_NO_PAGER = 0x300,
	OPT_COLOR,
};

#define TERMINAL_LONGOPTS						\
	{ "no-pager", no_argument, NULL, OPT_NO_PAGER },		\
	{ "color", required_argument, NULL, OPT_COLOR }

#define TERMINAL_HELP							\
"  --no-pager         on a terminal too, no pager ($KCOVTRACE_PAGER,\n"	\
"                     $PAGER, less)\n"					\
"  --color WHEN       auto (on a terminal), always or never\n"

/* Takes a getopt result; returns false if it is not a terminal option. */
bool terminal_option(int c, const char *arg);
/* After the options: on a terminal, output through the pager (stderr
 * too, if it is the terminal), and colour where --color says. */
void terminal_start(void);

extern bool color_on;

#define COLOR_HEADING	"\033[1m"	/* bold */
#define COLOR_MARK	"\033[33m"	/* yellow */
#define COLOR_RESET	"\033[m"

static inline const char *color(const char *c)
{
	return color_on ? c : "";
}

#endif
