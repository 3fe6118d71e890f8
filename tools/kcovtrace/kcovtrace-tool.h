/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kcovtrace commands: one file per command, as in uftrace; each
 * includes the headers of the jobs it uses (messages.h, options.h,
 * symbols.h, output.h, traces.h, events.h, select.h, syscalls.h,
 * terminal.h).
 */
#ifndef KCOVTRACE_TOOL_H
#define KCOVTRACE_TOOL_H

/* record's work, for record and live: options and command from argv, the
 * trace to call->output if set (-o is refused then), else to -o's file.
 * Returns the command's exit status; exits on errors. */
struct record_call {
	const char *verb;	/* "record", "live": for messages */
	const char *usage;	/* printed for --help and bad options */
	const char *output;	/* NULL: -o's, or kcov.trace */
};

/*
 * What record_run() returns is a shell's status: the command's exit
 * status, or 128 plus the signal that killed it (or that stopped the
 * recording).  For the latter it also sets exit_signal, which main() raises
 * once the command's work is done, so that kcovtrace's caller sees the
 * same death a shell reports (see main.c).
 */
int record_run(const struct record_call *call, int argc, char **argv);
extern int exit_signal;

int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_live(int argc, char **argv);
int cmd_race(int argc, char **argv);

#endif
