/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Following a command's tasks with ptrace, each with a kcov buffer of its
 * own.  KCOV_ENABLE only ever affects the calling task, so the tracer opens
 * and maps a kcov descriptor per task and, at the task's first ptrace stop,
 * makes the task itself run the few syscalls that enable it (see follow.c).
 *
 * An event loop: follow_next() returns one event at a time, with the task
 * stopped (but for FOLLOW_EXIT, where it is gone) until the next call, so
 * that the caller can read and reset the task's buffer at that point.
 */
#ifndef KCOVTRACE_FOLLOW_H
#define KCOVTRACE_FOLLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "kcovtrace.h"

struct follow_opts {
	bool children;		/* the command's threads and children too,
				   not only its main task */
	bool syscalls;		/* report every syscall's entry and exit (the
				   tasks stop at each: PTRACE_SYSCALL) */
	uint64_t buffer_words;	/* each task's kcov buffer (0: the default) */
	const struct kct_filter_opts *filter; /* KCOV_FILTER for each task,
						 or NULL */
	uint32_t mode;		/* 0: KCOV_TRACE_PC_EXT, or KCOV_TRACE_PC where
				   the kernel lacks it; or
				   KCT_MODE_TRACE_MEMORY_ACCESS, no fallback */
	uint32_t memory_words;	/* with it: words of a MEMORY record, which
				   the caller asked the kernel for */
};

struct follow_task {
	pid_t tid;
	pid_t pid;		/* its thread group */
	pid_t ppid;		/* the parent process, as getppid() says */
	char comm[16];		/* at its first stop, then as of each exec */
	uint32_t mode;		/* KCT_MODE_*: what its KCOV_ENABLE got */
	uint32_t memory_words;	/* KCT_MODE_TRACE_MEMORY_ACCESS: words of a
				   MEMORY record (KCOV_GET_MEMORY_RECORD_SIZE);
				   else 0 */
	int filter_err;		/* with opts.filter: 0 if the kernel filters
				   its records, else KCOV_FILTER's error */
	struct kct_session *kcov; /* its buffer, mapped by the tracer */
	bool main;		/* the command's main task */
	unsigned int execs;	/* execs since it was followed; the main
				   task's first one is the command's */
	void *data;		/* the caller's */
};

enum follow_event_type {
	FOLLOW_NEW,		/* a task stopped for the first time, its kcov
				   is on and its buffer empty */
	FOLLOW_EXEC,		/* it stopped inside a successful exec, which
				   is still to return */
	FOLLOW_SYSCALL_ENTRY,	/* opts.syscalls: about to run a syscall */
	FOLLOW_SYSCALL_EXIT,	/* and back from it */
	FOLLOW_EXIT,		/* it is gone: its buffer is final */
	FOLLOW_UNTRACED,	/* a new task kcov cannot be enabled in (a
				   sandbox: another pid namespace, a seccomp
				   filter; why says which): it runs on
				   untraced, and so do its threads and
				   children, never reported */
};

struct follow_event {
	enum follow_event_type type;
	struct follow_task *task;
	int nr;			/* EXEC, SYSCALL_*: the syscall's number */
	uint64_t args[6];	/* SYSCALL_ENTRY */
	int64_t ret;		/* SYSCALL_EXIT */
	char old_comm[16];	/* EXEC: the comm before it */
	pid_t old_tid;		/* EXEC: the tid before it (a thread that
				   execs takes its leader's) */
	int status;		/* EXIT: as waitpid() reports it */
	const char *why;	/* UNTRACED: why, a phrase ("it is in ...") */
};

struct follow;

/* NULL only when out of memory. */
struct follow *follow_new(const struct follow_opts *opts);
/*
 * Runs COMMAND (argv[0] looked up in PATH), stopped at once; its kcov comes
 * on at the first follow_next().  0, or a negative errno with
 * follow_error() saying what failed, on one line.
 */
int follow_start(struct follow *f, char **argv);
/*
 * 1 and the next event, 0 when no task is left, or a negative errno:
 * -EINTR (and no event) when a signal with a handler (installed without
 * SA_RESTART) interrupts the wait, for the caller to act on and call again.
 */
int follow_next(struct follow *f, struct follow_event *ev);
/*
 * Kills every task (SIGKILL), and any new one at its first stop, to end
 * the recording early: follow_next() goes on with their exits, each a
 * FOLLOW_EXIT as of any task killed, its buffer final, until none is left.
 */
void follow_stop(struct follow *f);
/* The command's (main task's) wait status, once follow_next() returned 0. */
int follow_status(const struct follow *f);
const char *follow_error(const struct follow *f);
/* After follow_start() failed for the command itself, the exit status a
 * shell gives: 127 if there is no such command, 126 if it cannot run; else
 * 0. */
int follow_exec_failed(const struct follow *f);
/* Kills any task left (PTRACE_O_EXITKILL would too) and frees f. */
void follow_free(struct follow *f);

#endif
