// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace live: record and replay in one step, as uftrace live does: the
 * trace goes to a temporary file, which replay prints and which is removed
 * whatever happens (atexit, so that an error in either step removes it too).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcovtrace-tool.h"
#include "messages.h"

static const char live_usage[] =
"usage: kcovtrace live [record options] -- COMMAND [ARGS...]\n"
"\n"
"Record COMMAND as kcovtrace record does, into a temporary file (in\n"
"$TMPDIR, default /tmp), print its call tree as kcovtrace replay does, with\n"
"the symbols replay takes by default (/proc/kallsyms, if it is of the traced\n"
"kernel), and remove the file.  Exits with COMMAND's exit status (or dies\n"
"of the signal that killed it or stopped the recording, as kcovtrace\n"
"record).\n"
"\n"
"  --buffer WORDS       kcov buffer size per task, in 64-bit words\n"
"  --no-follow          trace COMMAND's main task only\n"
"  --syscalls LIST      trace only these syscalls, each call as a stream\n"
"  --remote             also collect the remote coverage sections\n"
"  --remote-handle H    and those of remote handle H (repeatable)\n"
"  --max-depth N        record N levels of calls\n"
"  --suppress GLOB      record the entry and exit of matching kernel functions,\n"
"                       not what they run (repeatable; functions from\n"
"                       --vmlinux, --kallsyms or --system-map, default\n"
"                       /proc/kallsyms)\n"
"  -v, --verbose        describe each stream recorded, on stderr\n"
"  -h, --help           this text\n"
"\n"
"kcovtrace record --help says more of each.\n";

static char live_path[4096];

static void remove_trace(void)
{
	if (live_path[0])
		unlink(live_path);
}

/* A signal that ends live (^C in a long replay) takes the file with it:
 * atexit() handlers do not run then. */
static void remove_trace_and_die(int sig)
{
	remove_trace();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Once the trace is written: while record_run() records, SIGINT, SIGTERM
 * and SIGHUP are its own (they stop the recording, and the trace is
 * replayed).  One ignored on entry stays ignored. */
static void remove_trace_on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = remove_trace_and_die }, old;

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (!sigaction(sigs[i], NULL, &old) && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}

int cmd_live(int argc, char **argv)
{
	const struct record_call call = { .verb = "live", .usage = live_usage, .output = live_path };
	const char *tmpdir = getenv("TMPDIR");
	char *replay_argv[] = { "replay", live_path, NULL };
	int fd, status;

	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if ((size_t)snprintf(live_path, sizeof(live_path), "%s/kcovtrace-live-XXXXXX", tmpdir) >=
	    sizeof(live_path))
		die("live: $TMPDIR is too long");
	fd = mkstemp(live_path);
	if (fd < 0) {
		int err = errno;

		live_path[0] = '\0';
		die("live: a temporary file in %s: %s", tmpdir, strerror(err));
	}
	close(fd);
	atexit(remove_trace);
	status = record_run(&call, argc, argv);
	remove_trace_on_signals();
	/* replay parses its own arguments: getopt starts over at 0. */
	optind = 0;
	cmd_replay(2, replay_argv);
	/* Now: main() may die of the command's signal, skipping atexit(). */
	remove_trace();
	live_path[0] = '\0';
	return status;
}
