// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace: record, rebuild and explore kernel call trees from KCOV
 * function entry/exit records.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "kcovtrace-tool.h"
#include "kcovtrace.h"
#include "messages.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "record", cmd_record, "trace a command's kernel code into a trace file" },
	{ "live", cmd_live, "record a command and print its call tree, in one step" },
	{ "replay", cmd_replay, "print the call tree of a trace" },
	{ "report", cmd_report, "calls and records per function" },
	{ "graph", cmd_graph, "the call graph under a function, all its calls merged" },
	{ "info", cmd_info, "what a trace holds: kernel, mode, flags, notes, streams" },
	{ "race", cmd_race, "run a race test case, find and force orders of its accesses" },
	{ "dump", cmd_dump, "write a trace as raw records, folded stacks, Chrome JSON or PCs" },
};

int exit_signal;

/*
 * Dies of sig, as the command did, so that a calling shell sees a signal
 * death ($? is 128 + sig, a script's trap or set -e acts on it, an
 * interactive shell says "Terminated"), as strace does.  Without leaving a
 * core of kcovtrace's where the command's may be: neither RLIMIT_CORE 0
 * (which a core_pattern pipe may not heed) nor undumpable lets the kernel
 * write one.  128 + sig if the signal does not kill (it always should).
 */
static int die_of_signal(int sig)
{
	struct rlimit none = { 0, 0 };
	sigset_t set;

	fflush(NULL);
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	return 128 + sig;
}

static void usage(FILE *out)
{
	fputs("usage: kcovtrace COMMAND [options] [args]\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nkcovtrace COMMAND --help describes each command; kcovtrace --version\n"
	      "says which kcovtrace this is.\n", out);
}

int main(int argc, char **argv)
{
	messages_init();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("kcovtrace %d.%d (trace format %d)\n", KCT_VERSION_MAJOR, KCT_VERSION_MINOR,
		       KCT_TRACE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		/* getopt() starts its messages with argv[0]: the tool's
		 * and the command's name. */
		char prog[64];

		if (strcmp(argv[1], commands[i].name))
			continue;
		snprintf(prog, sizeof(prog), "kcovtrace: %s", argv[1]);
		int status;

		argv[1] = prog;
		status = commands[i].fn(argc - 1, argv + 1);
		/* Before atexit()'s handlers, which raise() would skip: a
		 * command that sets exit_signal leaves none with work left. */
		if (exit_signal)
			return die_of_signal(exit_signal);
		return status;
	}
	usage_die("unknown command '%s' (see kcovtrace --help)", argv[1]);
}
