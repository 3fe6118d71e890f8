// SPDX-License-Identifier: GPL-2.0-only
/*
 * Output to a terminal, as perf and uftrace do it: a reader's output goes
 * through a pager ($KCOVTRACE_PAGER, else $PAGER, else less; LESS=FRX
 * unless the user set LESS: one screen is printed as it is, colour passes
 * through), and replay colours what is not the tree itself (on a
 * terminal whose TERM is not dumb, unless NO_COLOR is set).  Neither
 * happens when the output is not a terminal, so pipes and files get the
 * same bytes as ever.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "messages.h"
#include "terminal.h"

static bool no_pager;
static int color_when = -1;		/* -1 auto, 0 never, 1 always */
static pid_t pager_pid;

bool color_on;

bool terminal_option(int c, const char *arg)
{
	switch (c) {
	case OPT_NO_PAGER:
		no_pager = true;
		return true;
	case OPT_COLOR:
		if (!strcmp(arg, "auto"))
			color_when = -1;
		else if (!strcmp(arg, "always"))
			color_when = 1;
		else if (!strcmp(arg, "never"))
			color_when = 0;
		else
			usage_die("--color takes auto, always or never, not '%s'", arg);
		return true;
	}
	return false;
}

/* The end of the output: the pager has it all, and the user the pager. */
static void pager_wait(void)
{
	if (!pager_pid)
		return;
	fflush(stdout);
	fflush(stderr);
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
		;
	pager_pid = 0;
}

/* ^C (or the pager quitting early, SIGPIPE) ends kcovtrace, not the
 * pager: the user leaves it when done, and the shell gets its prompt
 * back after, not under the pager's screen. */
static void pager_signal(int sig)
{
	pager_wait();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void pager_start(void)
{
	const char *pager = getenv("KCOVTRACE_PAGER");
	int fds[2];

	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less";
	/* As git and perf take them: no pager at all. */
	if (!*pager || !strcmp(pager, "cat"))
		return;
	if (pipe(fds))
		return;
	fflush(stdout);
	pager_pid = fork();
	if (pager_pid < 0) {
		pager_pid = 0;
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (!pager_pid) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("LESS", "FRX", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		fprintf(stderr, "kcovtrace: cannot run the pager '%s': %s\n", pager, strerror(errno));
		_exit(127);
	}
	dup2(fds[1], STDOUT_FILENO);
	/* Warnings come after the output they are about: in the pager too. */
	if (isatty(STDERR_FILENO))
		dup2(fds[1], STDERR_FILENO);
	close(fds[0]);
	close(fds[1]);
	atexit(pager_wait);
	signal(SIGINT, pager_signal);
	signal(SIGTERM, pager_signal);
	signal(SIGHUP, pager_signal);
	signal(SIGPIPE, pager_signal);
}

void terminal_start(void)
{
	bool tty = isatty(STDOUT_FILENO);
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");

	/* auto, as git has it: a terminal that can show colour, unless the
	 * user said NO_COLOR (no-color.org). */
	color_on = color_when == 1 ||
		   (color_when < 0 && tty && term && strcmp(term, "dumb") &&
		    !(no_color && *no_color));
	if (tty && !no_pager)
		pager_start();
}
