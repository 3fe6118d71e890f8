// SPDX-License-Identifier: GPL-2.0-only
/*
 * Following a command's tasks with ptrace, each with a kcov buffer of its
 * own (follow.h).
 *
 * KCOV_ENABLE only ever affects the task that calls it, and a task started
 * by someone else will not call it.  So the tracer opens a kcov descriptor
 * per task (KCOV_INIT_TRACE and mmap, and KCOV_FILTER if asked, in the
 * tracer) and, at the task's first ptrace stop, makes the task run the
 * syscalls that enable it there:
 *
 *	pidfd = pidfd_open(tracer, 0);
 *	fd = pidfd_getfd(pidfd, the tracer's kcov descriptor, 0);
 *	ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC_EXT);  (or KCOV_TRACE_PC)
 *	close(fd); close(pidfd);
 *
 * Each is injected the way a debugger calls a function: the registers are
 * saved, the instruction pointer set back onto the syscall instruction the
 * task stopped after (a new task stops on its way out of clone(), fork() or
 * vfork(); the main task after its kill(SIGSTOP)), with orig_rax -1 so that
 * no syscall restart logic applies, and the task is run from its syscall-entry
 * stop to its syscall-exit stop, where the result is read.  Signals are
 * blocked meanwhile (PTRACE_SETSIGMASK), so none is delivered or lost
 * while the task runs code that is not its own; registers and mask are
 * restored after.  The task's buffer is reset then: the records after it
 * are the task's own (and the end of the ptrace stop it returns from,
 * which the caller cuts off, see record-cut.c).
 *
 * A task these syscalls cannot run in (a sandbox: a pid namespace where
 * kcovtrace has no pid, a seccomp filter; or one of them fails in it) is
 * detached and reported (FOLLOW_UNTRACED), to run on untraced, it and its
 * threads and children, as strace leaves a task it cannot attach to.  The
 * sandbox is read from /proc/TID/status first (untraceable()): a filter
 * may kill the task at the first injected syscall, and a pid in another
 * namespace may name another process.
 *
 * The tasks are seized (PTRACE_SEIZE) with PTRACE_O_EXITKILL, so that they
 * die with the tracer instead of running on untraced or stopped, and with
 * the options that auto-attach every thread and child.  A new task's first
 * stop may come before or after its creator's PTRACE_EVENT_CLONE/FORK/VFORK
 * stop: nothing here needs the creator's event, a task is new when its tid
 * is, and its pid and parent come from /proc.  Unless opts.syscalls, a task
 * only ever stops at clone, fork, vfork, exec, a signal (passed on as it
 * came, with its siginfo) or a group stop (PTRACE_LISTEN keeps it in the
 * group stop), so tracing costs nothing per syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/ptrace.h>

#include "follow.h"
#include "kcov_uapi.h"

extern char **environ;

#define MAX_SPARE	4	/* kcov buffers kept for the next new tasks */

/*
 * Without --buffer, a task's buffer is 1M words (8 MiB) while the buffers
 * take less than an eighth of the machine's memory (kernel memory: kcov
 * vmalloc()s them), and each new task's is halved as long as it does not
 * fit in that, down to 32K words (256 KiB).  A command of a few tasks gets
 * big buffers; one of 1,000 threads fits in a guest of 1 GB (8 MiB each
 * would take 8 GB): 125 MB for its first 16 tasks, 256 KiB for the rest.
 */
#define DEFAULT_WORDS	(1ULL << 20)
#define MIN_AUTO_WORDS	(1ULL << 15)

/* What /proc/PID/status says of a task's sandbox. */
struct sandbox {
	int ns_levels;		/* pid namespaces it has a pid in (NSpid) */
	int seccomp;		/* 0 none, 1 strict, 2 filters (Seccomp) */
	int filters;		/* how many filters (Seccomp_filters), or -1 */
};

struct ftask {
	struct follow_task pub;
	struct sandbox sb;	/* at its first stop */
	size_t index;		/* in f->tasks */
	bool stopped;		/* in a ptrace stop, to be resumed */
	bool listen;		/* in a group stop: resume with PTRACE_LISTEN */
	bool gone;		/* FOLLOW_EXIT reported: freed at the next call */
	bool reaped;		/* its exit is known: kcov let go of its buffer */
	int resume_sig;		/* the signal to pass on when resuming */
};

/* The command's first task until its exec: its stack, and what it reads
 * (see child()). */
#define CHILD_STACK	(64 * 1024)

struct child_args {
	const char *prog;
	char **argv, **envp;
	pid_t tracer;
	int go;			/* EOF: the tracer has seized it */
	int go_w, err_r;	/* the tracer's ends, copied: closed */
	int errfd;		/* its execve()'s errno if it fails */
	bool restore_nofile;	/* kcovtrace raised RLIMIT_NOFILE: the */
	struct rlimit nofile;	/* command gets it back as it was */
	sigset_t mask;		/* kcovtrace's signal mask */
};

struct follow {
	struct follow_opts opts;
	pid_t self, main_pid;
	struct sandbox self_sb;	/* kcovtrace's own */
	char why[512];		/* FOLLOW_UNTRACED's reason */
	int why_err;		/* and its errno, if any */
	int errfd;		/* the child's exec error; EOF once it exec'ed */
	int status;		/* the main task's wait status */
	struct ftask **tasks;
	size_t nr_tasks, max_tasks;
	struct ftask **by_tid;	/* the tasks not gone, by tid */
	size_t tid_mask, nr_by_tid;
	struct ftask *current;	/* the task of the last event */
	struct follow_event stash; /* an event to report at the next call */
	bool stashed;
	struct kct_session *spare[MAX_SPARE];
	int nr_spare;
	uint64_t buffer_bytes;	/* of every buffer open, spares too */
	uint64_t budget;	/* what they may take before new ones shrink */
	bool stopping;		/* follow_stop(): every task killed */
	int exec_failed;	/* follow_start(): 127, no such command; 126,
				   one that cannot run; 0 */
	const char *argv0;	/* the command's name */
	struct child_args child; /* what the command's first task reads */
	void *stack;		/* and its stack, until it execs */
	bool main_reaped;	/* the command's first task is gone */
	char err[512];
};

static int __attribute__((format(printf, 3, 4))) fail(struct follow *f, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -EIO;
}

static void read_status(const char *tid, struct follow_task *pub, struct sandbox *sb);

struct follow *follow_new(const struct follow_opts *opts)
{
	struct follow *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->opts = *opts;
	f->self = getpid();
	f->errfd = -1;
	read_status("self", NULL, &f->self_sb);
	f->budget = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE) / 8;
	return f;
}

int follow_exec_failed(const struct follow *f)
{
	return f->exec_failed;
}

const char *follow_error(const struct follow *f)
{
	return f->err;
}

int follow_status(const struct follow *f)
{
	return f->status;
}

/* ---- kcov buffers ---- */

/* A buffer for a new task (see DEFAULT_WORDS); 0 or a negative errno. */
static int open_buffer(struct follow *f, struct kct_session **kcov)
{
	struct kct_session_opts opts = { .sz = sizeof(opts), .buffer_words = f->opts.buffer_words };
	int err;

	if (!opts.buffer_words) {
		opts.buffer_words = DEFAULT_WORDS;
		while (opts.buffer_words > MIN_AUTO_WORDS &&
		       f->buffer_bytes + opts.buffer_words * sizeof(uint64_t) > f->budget)
			opts.buffer_words /= 2;
	}
	err = kct_session_open(&opts, kcov);
	if (!err)
		f->buffer_bytes += kct_session_buffer_words(*kcov) * sizeof(uint64_t);
	return err;
}

static void close_buffer(struct follow *f, struct kct_session *kcov)
{
	if (!kcov)
		return;
	f->buffer_bytes -= kct_session_buffer_words(kcov) * sizeof(uint64_t);
	kct_session_close(kcov);
}

/* ---- the task table ---- */

/*
 * Every task is in f->tasks (at its index), and, until it is gone, in
 * f->by_tid, an open-addressing table keyed by tid (linear probing, at
 * most half full, deletion by shifting back): each wait event looks its
 * task up in constant time, whatever the number of tasks.  A gone task
 * waits in f->tasks for the next call to free it, while its tid may be a
 * new task's already (a thread that execs takes its leader's).
 */
static size_t tid_slot(const struct follow *f, pid_t tid)
{
	return (size_t)(((uint64_t)(uint32_t)tid * 0x9e3779b97f4a7c15ULL) >> 32) & f->tid_mask;
}

static struct ftask *find_task(struct follow *f, pid_t tid)
{
	if (!f->by_tid)
		return NULL;
	for (size_t i = tid_slot(f, tid); f->by_tid[i]; i = (i + 1) & f->tid_mask)
		if (f->by_tid[i]->pub.tid == tid)
			return f->by_tid[i];
	return NULL;
}

static void tid_insert(struct follow *f, struct ftask *t)
{
	size_t i;

	for (i = tid_slot(f, t->pub.tid); f->by_tid[i]; i = (i + 1) & f->tid_mask)
		;
	f->by_tid[i] = t;
	f->nr_by_tid++;
}

/* Room for one more task; -ENOMEM. */
static int tid_reserve(struct follow *f)
{
	struct ftask **old = f->by_tid;
	size_t n = f->by_tid ? f->tid_mask + 1 : 0;

	if (2 * (f->nr_by_tid + 1) <= n)
		return 0;
	f->by_tid = calloc(n ? 2 * n : 64, sizeof(*f->by_tid));
	if (!f->by_tid) {
		f->by_tid = old;
		return -ENOMEM;
	}
	f->tid_mask = (n ? 2 * n : 64) - 1;
	f->nr_by_tid = 0;
	for (size_t i = 0; i < n; i++)
		if (old[i])
			tid_insert(f, old[i]);
	free(old);
	return 0;
}

static void tid_delete(struct follow *f, const struct ftask *t)
{
	size_t i = tid_slot(f, t->pub.tid), j;

	while (f->by_tid[i] != t)
		i = (i + 1) & f->tid_mask;
	/* Shift back each entry after it in the run whose home slot is not
	 * between the hole and it (cyclically): its probe passes the hole. */
	for (j = (i + 1) & f->tid_mask; f->by_tid[j]; j = (j + 1) & f->tid_mask) {
		size_t home = tid_slot(f, f->by_tid[j]->pub.tid);

		if (((j - home) & f->tid_mask) >= ((j - i) & f->tid_mask)) {
			f->by_tid[i] = f->by_tid[j];
			i = j;
		}
	}
	f->by_tid[i] = NULL;
	f->nr_by_tid--;
}

/* t is gone: out of the tid table, freed at the next call. */
static void set_gone(struct follow *f, struct ftask *t)
{
	if (!t->gone)
		tid_delete(f, t);
	t->gone = true;
}

/* t takes tid, which its exec gave it; no other live task has it. */
static void set_tid(struct follow *f, struct ftask *t, pid_t tid)
{
	/* A deletion then an insertion: the table needs no more room. */
	tid_delete(f, t);
	t->pub.tid = tid;
	tid_insert(f, t);
}

static struct ftask *add_task(struct follow *f, pid_t tid)
{
	struct ftask *t;

	if (f->nr_tasks == f->max_tasks) {
		size_t n = f->max_tasks ? 2 * f->max_tasks : 16;
		struct ftask **v = realloc(f->tasks, n * sizeof(*v));

		if (!v)
			return NULL;
		f->tasks = v;
		f->max_tasks = n;
	}
	if (tid_reserve(f))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->pub.tid = tid;
	t->index = f->nr_tasks;
	f->tasks[f->nr_tasks++] = t;
	tid_insert(f, t);
	return t;
}

/* The kcov of a task whose exit is known, detached from it then, serves the
 * next new one. */
static void remove_task(struct follow *f, struct ftask *t)
{
	if (!t->gone)
		tid_delete(f, t);
	/* The last task takes its place. */
	f->tasks[t->index] = f->tasks[--f->nr_tasks];
	f->tasks[t->index]->index = t->index;
	if (t->pub.kcov && t->reaped && f->nr_spare < MAX_SPARE)
		f->spare[f->nr_spare++] = t->pub.kcov;
	else
		close_buffer(f, t->pub.kcov);
	free(t);
}

/* Its pid and parent (if pub), and its sandbox, from /proc/TID/status
 * ("self" for kcovtrace).  A kernel without pid namespaces lists no NSpid
 * (0 levels, as for kcovtrace then), one before 5.9 no Seccomp_filters. */
static void read_status(const char *tid, struct follow_task *pub, struct sandbox *sb)
{
	char path[64], line[1024];
	FILE *fp;

	*sb = (struct sandbox){ .filters = -1 };
	snprintf(path, sizeof(path), "/proc/%s/status", tid);
	fp = fopen(path, "re");
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		int v;

		if (pub && sscanf(line, "Tgid: %d", &v) == 1) {
			pub->pid = v;
		} else if (pub && sscanf(line, "PPid: %d", &v) == 1) {
			pub->ppid = v;
		} else if (!strncmp(line, "NSpid:", 6)) {
			/* A pid per level, from /proc's namespace down to
			 * the task's own. */
			for (char *p = line + 6; *(p += strspn(p, " \t")) && *p != '\n';
			     p += strcspn(p, " \t\n"))
				sb->ns_levels++;
		} else if (sscanf(line, "Seccomp: %d", &v) == 1) {
			sb->seccomp = v;
		} else if (sscanf(line, "Seccomp_filters: %d", &v) == 1) {
			sb->filters = v;
		}
	}
	fclose(fp);
}

/* pid, parent and sandbox from /proc/TID/status, comm from /proc/TID/comm;
 * the task is stopped, so they cannot change under us. */
static void read_task_info(struct ftask *t)
{
	char path[64];
	FILE *fp;

	snprintf(path, sizeof(path), "%d", (int)t->pub.tid);
	read_status(path, &t->pub, &t->sb);
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)t->pub.tid);
	fp = fopen(path, "re");
	if (fp) {
		if (fgets(t->pub.comm, sizeof(t->pub.comm), fp))
			t->pub.comm[strcspn(t->pub.comm, "\n")] = '\0';
		fclose(fp);
	}
}

/* ---- enabling kcov in a stopped task ---- */

/* The next stop of t; -ESRCH once it is gone (its status noted). */
static int wait_stop(struct follow *f, struct ftask *t, int *status)
{
	for (;;) {
		pid_t r = waitpid(t->pub.tid, status, __WALL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(f, -errno, "waitpid: %s", strerror(errno));
		if (WIFEXITED(*status) || WIFSIGNALED(*status)) {
			if (r == f->main_pid) {
				f->status = *status;
				f->main_reaped = true;
			}
			t->reaped = true;
			return -ESRCH;
		}
		if (WIFSTOPPED(*status))
			return 0;
	}
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/*
 * Runs syscall nr in t, from the syscall instruction at insn, with the other
 * registers of saved; *ret is its result.  0, -ESRCH if t is gone, or
 * another negative errno.
 */
static int inject(struct follow *f, struct ftask *t, const struct user_regs_struct *saved,
		  uint64_t insn, long nr, long a0, long a1, long a2, long *ret)
{
	struct user_regs_struct r = *saved;
	pid_t tid = t->pub.tid;
	bool entered = false;
	int status, err;

	r.rip = insn;
	r.rax = nr;
	r.orig_rax = -1;
	r.rdi = a0;
	r.rsi = a1;
	r.rdx = a2;
	r.r10 = r.r8 = r.r9 = 0;
	if (ptrace(PTRACE_SETREGS, tid, NULL, &r))
		return errno == ESRCH ? -ESRCH : fail(f, -errno, "ptrace(PTRACE_SETREGS): %s", strerror(errno));
	for (;;) {
		struct ptrace_syscall_info info;

		if (ptrace(PTRACE_SYSCALL, tid, NULL, NULL))
			return errno == ESRCH ? -ESRCH :
			       fail(f, -errno, "ptrace(PTRACE_SYSCALL): %s", strerror(errno));
		err = wait_stop(f, t, &status);
		if (err == -ESRCH && WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
			return fail(f, -EPERM, "enabling kcov in task %d (%s): seccomp killed it (SIGSYS)",
				    (int)tid, t->pub.comm);
		if (err)
			return err;
		if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			/*
			 * Only SIGKILL and SIGSTOP get through the mask: a
			 * SIGSTOP (its signal-delivery stop, or the group stop
			 * it starts) is passed on once the task is back in
			 * its own code.
			 */
			if (is_stop_signal(WSTOPSIG(status)))
				t->resume_sig = WSTOPSIG(status);
			continue;
		}
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info) <= 0)
			return fail(f, -errno, "ptrace(PTRACE_GET_SYSCALL_INFO): %s", strerror(errno));
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			if (info.entry.nr != (uint64_t)nr)
				return fail(f, -EPROTO, "task %d entered syscall %llu, not the one kcovtrace gave it (%ld)",
					    (int)tid, (unsigned long long)info.entry.nr, nr);
			entered = true;
		} else if (info.op == PTRACE_SYSCALL_INFO_EXIT && entered) {
			*ret = info.exit.rval;
			return 0;
		}
	}
}

static const char *errstr(long ret)
{
	return kct_strerror((int)ret);
}

/*
 * Enables kcov in t, stopped after a syscall instruction, with its buffer
 * t->pub.kcov: 0; 1 if t cannot have it (one of the syscalls failed in
 * it, or it is no task to inject them into), left as it was, with f->why
 * and f->why_err saying why; -ESRCH if t died meanwhile, or another
 * negative errno with f->err set.
 */
static int enable_kcov(struct follow *f, struct ftask *t)
{
	struct user_regs_struct saved;
	uint64_t mask, all = ~0ULL;
	long word, pidfd = -1, fd = -1, ret = 0;
	pid_t tid = t->pub.tid;
	const char *step = NULL;
	int err;

	if (ptrace(PTRACE_GETREGS, tid, NULL, &saved))
		return errno == ESRCH ? -ESRCH : fail(f, -errno, "ptrace(PTRACE_GETREGS): %s", strerror(errno));
	errno = 0;
	word = ptrace(PTRACE_PEEKTEXT, tid, (void *)(saved.rip - 2), NULL);
	if (errno)
		return errno == ESRCH ? -ESRCH : fail(f, -errno, "ptrace(PTRACE_PEEKTEXT): %s", strerror(errno));
	/* 0f 05: syscall.  A 32-bit task would stop after int 0x80 or
	 * sysenter, with other syscall numbers. */
	if ((word & 0xffff) != 0x050f) {
		snprintf(f->why, sizeof(f->why), "it is not a 64-bit task stopped after a syscall");
		f->why_err = -ENOEXEC;
		return 1;
	}
	if (ptrace(PTRACE_GETSIGMASK, tid, (void *)sizeof(mask), &mask) ||
	    ptrace(PTRACE_SETSIGMASK, tid, (void *)sizeof(all), &all))
		return errno == ESRCH ? -ESRCH :
		       fail(f, -errno, "ptrace(PTRACE_SETSIGMASK): %s", strerror(errno));

	err = inject(f, t, &saved, saved.rip - 2, SYS_pidfd_open, f->self, 0, 0, &pidfd);
	if (!err && pidfd < 0) {
		step = "pidfd_open";
		ret = pidfd;
	}
	if (!err && !step) {
		err = inject(f, t, &saved, saved.rip - 2, SYS_pidfd_getfd, pidfd,
			     kct_session_fd(t->pub.kcov), 0, &fd);
		if (!err && fd < 0) {
			step = "pidfd_getfd";
			ret = fd;
		}
	}
	if (!err && !step && f->opts.mode == KCT_MODE_TRACE_MEMORY_ACCESS) {
		/* What was asked for, or the task stays untraced. */
		t->pub.mode = KCT_MODE_TRACE_MEMORY_ACCESS;
		t->pub.memory_words = f->opts.memory_words;
		err = inject(f, t, &saved, saved.rip - 2, SYS_ioctl, fd, KCOV_ENABLE,
			     KCOV_TRACE_MEMORY_ACCESS, &ret);
		if (!err && ret < 0)
			step = "ioctl(KCOV_ENABLE, KCOV_TRACE_MEMORY_ACCESS)";
	} else if (!err && !step) {
		t->pub.mode = KCT_MODE_TRACE_PC_EXT;
		err = inject(f, t, &saved, saved.rip - 2, SYS_ioctl, fd, KCOV_ENABLE,
			     KCT_MODE_TRACE_PC_EXT, &ret);
		/* Without CONFIG_KCOV_EXT_RECORDS: ENOTSUPP; a kernel
		 * without the series does not know the mode: EINVAL. */
		if (!err && (ret == -ENOTSUPP || ret == -EINVAL)) {
			t->pub.mode = KCT_MODE_TRACE_PC;
			err = inject(f, t, &saved, saved.rip - 2, SYS_ioctl, fd, KCOV_ENABLE,
				     KCT_MODE_TRACE_PC, &ret);
		}
		if (!err && ret < 0)
			step = "ioctl(KCOV_ENABLE)";
	}
	/* Whatever happened, leave the task as it was, kcov aside. */
	if (!err && fd >= 0)
		err = inject(f, t, &saved, saved.rip - 2, SYS_close, fd, 0, 0, &fd);
	if (!err && pidfd >= 0)
		err = inject(f, t, &saved, saved.rip - 2, SYS_close, pidfd, 0, 0, &pidfd);
	if (err)
		return err;
	if (ptrace(PTRACE_SETREGS, tid, NULL, &saved) ||
	    ptrace(PTRACE_SETSIGMASK, tid, (void *)sizeof(mask), &mask))
		return errno == ESRCH ? -ESRCH :
		       fail(f, -errno, "ptrace(PTRACE_SETREGS): %s", strerror(errno));
	if (step) {
		snprintf(f->why, sizeof(f->why), "%s: %s%s", step, errstr(ret),
			 ret == -EPERM || ret == -EACCES ?
			 " (the task may not access kcovtrace's descriptors: does it drop privileges?)" :
			 ret == -ENOSYS ? " (pidfd_getfd() needs Linux 5.6)" : "");
		f->why_err = (int)ret;
		return 1;
	}
	kct_session_reset(t->pub.kcov);
	return 0;
}

/*
 * Why kcovtrace cannot inject its syscalls into a task in sandbox sb, or
 * NULL.  pidfd_open() takes kcovtrace's pid in the task's pid namespace:
 * a task in a namespace below kcovtrace's (unshare -pf, bwrap, a
 * container) has no pid for kcovtrace there, and the number would name
 * nobody, or another process.  The injected syscalls pass the task's
 * seccomp filters: one could kill the task (SECCOMP_RET_KILL), refuse them
 * or trap them.  Filters the task inherited from kcovtrace and nothing more
 * (as many) are those kcovtrace itself runs under, with the same syscalls
 * (the kcov ones in kcovtrace, pidfd_* being mere reads of its own): they
 * let it run.  (No way around the namespace: kcovtrace has no pid in it,
 * and nothing else names a process to pidfd_getfd().)
 */
static const char *untraceable(struct follow *f, const struct sandbox *sb)
{
	const struct sandbox *self = &f->self_sb;

	if (sb->ns_levels > self->ns_levels)
		return "it is in a pid namespace of its own, where kcovtrace has no pid for it to "
		       "open (pidfd_open)";
	if (sb->seccomp == 1)
		return "it runs in seccomp's strict mode, which would kill it at the syscalls that "
		       "enable kcov";
	if (sb->seccomp && (sb->seccomp != self->seccomp || sb->filters < 0 ||
			    sb->filters != self->filters))
		return "it runs under a seccomp filter, which could kill it at the syscalls that "
		       "enable kcov, or refuse them";
	return NULL;
}

/* t stays untraced: detached, and reported, with f->why saying why. */
static int untrace(struct follow *f, struct ftask *t, struct ftask **out)
{
	/* Its children and threads are not followed either: they inherit
	 * what it has, and are left alone.  ESRCH: killed meanwhile. */
	if (ptrace(PTRACE_DETACH, t->pub.tid, NULL, (void *)(long)t->resume_sig) && errno != ESRCH)
		return fail(f, -errno, "ptrace(PTRACE_DETACH): %s", strerror(errno));
	set_gone(f, t);
	t->stopped = false;
	*out = t;
	return 2;
}

/*
 * The first stop of task tid (status): a task to follow from now on, its
 * kcov enabled.  1 and *out set, 0 if it died meanwhile (killed before it
 * ran any code of its own: it is not reported), 2 and *out set if it
 * cannot be traced (f->why says why: the task runs on untraced, detached),
 * or a negative errno.
 */
static int new_task(struct follow *f, pid_t tid, int status, struct kct_session *kcov,
		    struct ftask **out)
{
	struct ftask *t = add_task(f, tid);
	int err, sig = WSTOPSIG(status);
	const char *why;

	if (!t)
		return fail(f, -ENOMEM, "out of memory");
	t->stopped = true;
	/*
	 * A new task's first stop is PTRACE_EVENT_STOP; a signal that stopped
	 * it instead (never seen) is passed on when it is resumed, from a
	 * syscall-exit stop then, which keeps the signal but not its siginfo.
	 */
	if ((status >> 16 == 0 && tid != f->main_pid) || (status >> 16 && is_stop_signal(sig)))
		t->resume_sig = sig;
	read_task_info(t);
	why = untraceable(f, &t->sb);
	/* The command's first task has kcovtrace's sandbox: never here. */
	if (why && tid != f->main_pid) {
		snprintf(f->why, sizeof(f->why), "%s", why);
		f->why_err = 0;
		close_buffer(f, kcov);
		return untrace(f, t, out);
	}
	if (!kcov && f->nr_spare)
		kcov = f->spare[--f->nr_spare];
	if (!kcov) {
		err = open_buffer(f, &kcov);
		if (err)
			return fail(f, err, "a kcov buffer for task %d: %s%s", (int)tid, kct_strerror(err),
				    err == -ENOMEM ? " (try a smaller --buffer)" : "");
	}
	t->pub.kcov = kcov;
	/* Before its KCOV_ENABLE, on the instance the task will enable; a
	 * spare one is back in its initial state since its task exited. */
	if (f->opts.filter)
		t->pub.filter_err = kct_session_set_filter(kcov, f->opts.filter);
	err = enable_kcov(f, t);
	if (err == -ESRCH) {
		remove_task(f, t);
		return 0;
	}
	/* Without the command's own task there is nothing to record. */
	if (err == 1 && tid == f->main_pid)
		return fail(f, f->why_err, "enabling kcov in task %d (%s): %s", (int)tid, t->pub.comm,
			    f->why);
	if (err == 1)
		return untrace(f, t, out);
	if (err)
		return err;
	*out = t;
	return 1;
}

/* ---- starting the command ---- */

/* Finds a program the way execvp() would; NULL if there is none. */
static char *find_program(const char *name)
{
	const char *path = getenv("PATH");
	static char cand[4096];

	if (strchr(name, '/'))
		return (char *)name;
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");

		snprintf(cand, sizeof(cand), "%.*s/%s", (int)len, len ? path : ".", name);
		if (!access(cand, X_OK))
			return cand;
		path += len + (path[len] == ':');
	}
	return NULL;
}

/*
 * The command's first task is started with clone(CLONE_VM): it shares
 * kcovtrace's address space until its execve(), which then only lets go of
 * it.  A fork()ed copy would be torn down by the exec, inside the exec
 * stream: exit_mmap() of every page kcovtrace has, two-thirds of the exec
 * of cat /proc/version, more the more memory kcovtrace holds.  vfork()
 * would stop kcovtrace until the exec, and it has work to do before: seize
 * the child and enable its kcov.  So kcovtrace runs on, and the child must
 * leave alone what kcovtrace uses: it runs on a stack of its own, reads only
 * what kcovtrace no longer changes (the program, argv, environ, these
 * arguments), and makes its syscalls itself, not through libc, which would
 * write errno, and find its tid, in kcovtrace's thread (the child has no
 * TLS of its own: it shares kcovtrace's).  Its file descriptors, signal
 * handlers and everything but memory are its own, as after fork().
 */

/* x86-64's syscall instruction, as enable_kcov() expects to find it before
 * the child's stop. */
static inline __attribute__((always_inline)) long raw_syscall4(long nr, long a0, long a1, long a2,
							       long a3)
{
	register long r10 __asm__("r10") = a3;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			     : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((always_inline)) long raw_syscall(long nr, long a0, long a1, long a2)
{
	return raw_syscall4(nr, a0, a1, a2, 0);
}

/* The kernel's struct sigaction on x86-64, as rt_sigaction() takes it. */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/*
 * The child: waits until the tracer has seized it (EOF on go), stops for
 * the tracer to enable kcov, and execs.  errfd is close-on-exec: EOF tells
 * the tracer the exec worked, else it reads the exec's errno.  (Not
 * instrumented by sanitizers, whose state is kcovtrace's.)
 */
static int __attribute__((noinline, no_sanitize("address", "undefined"))) child(void *arg)
{
	const struct child_args *a = arg;
	long ret;
	int err;
	char c;

	/*
	 * It starts with every signal blocked (follow_start()): a handler of
	 * kcovtrace's would run kcovtrace's code in kcovtrace's memory.  So
	 * any signal with one takes its default action until the exec (which
	 * resets handlers, and keeps ignored signals ignored), and then the
	 * child takes kcovtrace's mask, as fork() would have given it.
	 */
	for (int sig = 1; sig <= 64; sig++) {
		struct ksigaction act;

		if (raw_syscall4(SYS_rt_sigaction, sig, 0, (long)&act, sizeof(uint64_t)) ||
		    act.handler == (void *)SIG_DFL || act.handler == (void *)SIG_IGN)
			continue;
		act = (struct ksigaction){ .handler = (void *)SIG_DFL };
		raw_syscall4(SYS_rt_sigaction, sig, (long)&act, 0, sizeof(uint64_t));
	}
	/* (The kernel's sigset is the first word of glibc's.) */
	raw_syscall4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&a->mask, 0, sizeof(uint64_t));
	raw_syscall(SYS_close, a->go_w, 0, 0);
	raw_syscall(SYS_close, a->err_r, 0, 0);
	/* Should the tracer die before it seized us: do not stop untraced. */
	raw_syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0);
	if (raw_syscall(SYS_getppid, 0, 0, 0) != a->tracer)
		raw_syscall(SYS_exit_group, 126, 0, 0);
	while (raw_syscall(SYS_read, a->go, (long)&c, 1) == -EINTR)
		;
	/* Stopped, just after this syscall instruction. */
	raw_syscall(SYS_kill, raw_syscall(SYS_getpid, 0, 0, 0), SIGSTOP, 0);
	/* Seized with PTRACE_O_EXITKILL: the command needs no death signal. */
	raw_syscall(SYS_prctl, PR_SET_PDEATHSIG, 0, 0);
	if (a->restore_nofile)
		raw_syscall(SYS_setrlimit, RLIMIT_NOFILE, (long)&a->nofile, 0);
	ret = raw_syscall(SYS_execve, (long)a->prog, (long)a->argv, (long)a->envp);
	err = (int)-ret;
	raw_syscall(SYS_write, a->errfd, (long)&err, sizeof(err));
	raw_syscall(SYS_exit_group, err == ENOENT ? 127 : 126, 0, 0);
	return 0;
}

/* Once the child exec'ed, or is gone. */
static void free_stack(struct follow *f)
{
	if (f->stack)
		munmap(f->stack, CHILD_STACK);
	f->stack = NULL;
}

/* The child's message, after it exited without exec'ing. */
static int child_failed(struct follow *f)
{
	int err, st = f->status;
	ssize_t n = read(f->errfd, &err, sizeof(err));

	if (n == sizeof(err)) {
		/* The child's execve() failed: its exit status says how. */
		if (WIFEXITED(st) && (WEXITSTATUS(st) == 126 || WEXITSTATUS(st) == 127))
			f->exec_failed = WEXITSTATUS(st);
		return fail(f, -ENOEXEC, "%s: %s", f->argv0, strerror(err));
	}
	if (WIFSIGNALED(st))
		return fail(f, -ENOEXEC, "the command was killed by signal %d before it ran", WTERMSIG(st));
	return fail(f, -ENOEXEC, "the command exited before it ran");
}

int follow_start(struct follow *f, char **argv)
{
	long options = PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD;
	struct kct_session *kcov;
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct ftask *t = NULL;
	int go[2], errpipe[2], err, status;
	const char *prog;
	pid_t pid = -1, waited;

	if (f->opts.children)
		options |= PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
	err = open_buffer(f, &kcov);
	if (err == -EINVAL)
		return fail(f, err, "--buffer must be a multiple of 512 words, from 512 to 2^31");
	if (err)
		return fail(f, err, "/sys/kernel/debug/kcov: %s%s", kct_strerror(err),
			    err == -ENOENT ? " (no CONFIG_KCOV, or debugfs not mounted)" : "");
	if (access("/proc/self/status", R_OK)) {
		close_buffer(f, kcov);
		return fail(f, -ENOENT, "/proc/self/status: %s (is /proc mounted?)", strerror(errno));
	}
	prog = find_program(argv[0]);
	if (!prog) {
		close_buffer(f, kcov);
		f->exec_failed = 127;
		return fail(f, -ENOENT, "%s: command not found", argv[0]);
	}
	/*
	 * The tasks open kcovtrace's kcov descriptors (pidfd_getfd(), a
	 * ptrace access check): let them where Yama allows tracing
	 * descendants only.  Yama lets the process named here, and its
	 * descendants, at kcovtrace: kcovtrace itself names the command's
	 * tasks, and no other process (PR_SET_PTRACER_ANY would let every
	 * process of the system at it).  A task whose parent exited before
	 * its first stop has been reparented out of kcovtrace's descendants:
	 * Yama refuses it (EPERM), and it is left untraced.  Without Yama,
	 * EINVAL.
	 */
	prctl(PR_SET_PTRACER, f->self);
	if (pipe2(go, O_CLOEXEC) || pipe2(errpipe, O_CLOEXEC)) {
		close_buffer(f, kcov);
		return fail(f, -errno, "pipe: %s", strerror(errno));
	}
	/* What the child reads, left alone until follow_free(). */
	f->argv0 = argv[0];
	f->child = (struct child_args){
		.prog = prog, .argv = argv, .envp = environ, .tracer = f->self,
		.go = go[0], .go_w = go[1], .err_r = errpipe[0], .errfd = errpipe[1],
	};
	/*
	 * A kcov descriptor per task: a command of 1,000 threads needs more
	 * than the usual soft limit of 1024, so kcovtrace takes what the hard
	 * limit allows.  The command gets the limit it had, before its exec:
	 * a program may depend on it (select() takes descriptors below 1024).
	 */
	if (!getrlimit(RLIMIT_NOFILE, &f->child.nofile) &&
	    f->child.nofile.rlim_cur < f->child.nofile.rlim_max) {
		struct rlimit raised = { f->child.nofile.rlim_max, f->child.nofile.rlim_max };

		f->child.restore_nofile = !setrlimit(RLIMIT_NOFILE, &raised);
	}
	f->stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (f->stack == MAP_FAILED) {
		f->stack = NULL;
		err = -errno;
	} else {
		sigset_t all;

		/* Blocked until the child has no handler of kcovtrace's left
		 * (see child()). */
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, &f->child.mask);
		/* SIGCHLD: an ordinary child, waited for as one. */
		pid = clone(child, (char *)f->stack + CHILD_STACK, CLONE_VM | SIGCHLD, &f->child);
		err = pid < 0 ? -errno : 0;
		sigprocmask(SIG_SETMASK, &f->child.mask, NULL);
	}
	close(go[0]);
	close(errpipe[1]);
	if (err) {
		close(go[1]);
		close(errpipe[0]);
		close_buffer(f, kcov);
		return fail(f, err, "clone: %s", strerror(-err));
	}
	f->errfd = errpipe[0];
	f->main_pid = pid;
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)options)) {
		err = -errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		f->main_reaped = true;
		close_buffer(f, kcov);
		return fail(f, err, "ptrace(PTRACE_SEIZE): %s", strerror(-err));
	}
	close(go[1]);
	/* ^\ is the command's to handle (it may dump core); the trace is
	 * written when it exits.  (^C, SIGTERM and SIGHUP stop the recording:
	 * the caller's, see follow_stop().) */
	sigaction(SIGQUIT, &ign, NULL);

	/* Its SIGSTOP, suppressed. */
	while ((waited = waitpid(pid, &status, __WALL)) < 0 && errno == EINTR)
		;
	err = waited == pid ? 0 : -errno;
	if (!err && (WIFEXITED(status) || WIFSIGNALED(status))) {
		f->status = status;
		f->main_reaped = true;
		err = -ESRCH;
	}
	if (!err)
		err = new_task(f, pid, status, kcov, &t);
	else
		close_buffer(f, kcov);
	if (err == 0 || err == -ESRCH)
		return child_failed(f);
	if (err < 0)
		return err;
	t->pub.main = true;
	f->stash = (struct follow_event){ .type = FOLLOW_NEW, .task = &t->pub };
	f->stashed = true;
	return 0;
}

/* ---- the event loop ---- */

static int resume(struct follow *f, struct ftask *t)
{
	int req = t->listen ? PTRACE_LISTEN : f->opts.syscalls ? PTRACE_SYSCALL : PTRACE_CONT;
	long sig = t->listen ? 0 : t->resume_sig;

	t->stopped = t->listen = false;
	t->resume_sig = 0;
	/* ESRCH: killed meanwhile; its exit is still to come. */
	if (ptrace(req, t->pub.tid, NULL, (void *)sig) && errno != ESRCH)
		return fail(f, -errno, "ptrace: resuming task %d: %s", (int)t->pub.tid, strerror(errno));
	return 0;
}

static struct ftask *task_of(struct follow_task *pub)
{
	return (struct ftask *)((char *)pub - offsetof(struct ftask, pub));
}

static int report(struct follow *f, struct ftask *t, struct follow_event *ev)
{
	ev->task = &t->pub;
	f->current = t;
	return 1;
}

/* PTRACE_EVENT_EXEC in tid.  A thread other than the leader that execs takes
 * over the leader's tid, and the leader is gone without an exit report:
 * report it gone first. */
static int exec_event(struct follow *f, struct ftask *t, struct follow_event *ev)
{
	struct user_regs_struct regs;
	pid_t tid = t->pub.tid;
	unsigned long former = tid;
	struct ftask *execer = t;

	if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &former) == 0 && (pid_t)former != tid) {
		execer = find_task(f, (pid_t)former);
		if (execer) {
			/* t is the old leader, which is gone: its place (and
			 * execs, whose first is the command's) are the
			 * execer's. */
			execer->pub.main = t->pub.main;
			if (t->pub.main)
				execer->pub.execs = t->pub.execs;
			t->pub.main = false;
			/* de_thread() waited for it to be a zombie. */
			set_gone(f, t);
			t->reaped = true;
			t->stopped = false;
			set_tid(f, execer, tid);
			execer->stopped = true;
		} else {
			execer = t;
		}
	}
	memset(ev, 0, sizeof(*ev));
	ev->type = FOLLOW_EXEC;
	ev->nr = ptrace(PTRACE_GETREGS, tid, NULL, &regs) ? -1 : (int)regs.orig_rax;
	memcpy(ev->old_comm, execer->pub.comm, sizeof(ev->old_comm));
	ev->old_tid = (pid_t)former;
	read_task_info(execer);
	execer->pub.execs++;
	/* The command's own exec: its first task has left the stack it
	 * started on, and kcovtrace's address space. */
	if (execer->pub.main && execer->pub.execs == 1)
		free_stack(f);
	if (execer != t) {
		f->stash = *ev;
		f->stash.task = &execer->pub;
		f->stashed = true;
		memset(ev, 0, sizeof(*ev));
		ev->type = FOLLOW_EXIT;
		return report(f, t, ev);
	}
	return report(f, t, ev);
}

int follow_next(struct follow *f, struct follow_event *ev)
{
	int status, err;

	if (f->current) {
		struct ftask *t = f->current;

		f->current = NULL;
		if (t->gone)
			remove_task(f, t);
		else if (t->stopped && (err = resume(f, t)))
			return err;
	}
	if (f->stashed) {
		struct ftask *t = task_of(f->stash.task);

		f->stashed = false;
		*ev = f->stash;
		return report(f, t, ev);
	}
	for (;;) {
		pid_t tid = waitpid(-1, &status, __WALL);
		struct ftask *t;
		int sig, event;

		/* A signal of the caller's, which may want to stop (no event
		 * is lost: none was reaped). */
		if (tid < 0 && errno == EINTR)
			return -EINTR;
		if (tid < 0 && errno == ECHILD)
			return 0;
		if (tid < 0)
			return fail(f, -errno, "waitpid: %s", strerror(errno));
		t = find_task(f, tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid == f->main_pid) {
				f->status = status;
				f->main_reaped = true;
			}
			if (!t)
				continue;
			/* Killed by follow_stop() before it exec'ed: an exit
			 * like the others, not the command failing to start. */
			if (t->pub.main && !t->pub.execs && !f->stopping)
				return child_failed(f);
			set_gone(f, t);
			t->reaped = true;
			t->stopped = false;
			memset(ev, 0, sizeof(*ev));
			ev->type = FOLLOW_EXIT;
			ev->status = status;
			return report(f, t, ev);
		}
		if (!WIFSTOPPED(status))
			continue;
		sig = WSTOPSIG(status);
		event = status >> 16;
		if (!t && f->stopping) {
			/* Born as the others were killed (its creator's
			 * clone or fork under way): killed at its first
			 * stop, its kcov never enabled, never reported. */
			kill(tid, SIGKILL);
			continue;
		}
		if (!t) {
			err = new_task(f, tid, status, NULL, &t);
			if (err <= 0) {
				if (err < 0)
					return err;
				continue;
			}
			memset(ev, 0, sizeof(*ev));
			ev->type = err == 2 ? FOLLOW_UNTRACED : FOLLOW_NEW;
			ev->why = err == 2 ? f->why : NULL;
			return report(f, t, ev);
		}
		t->stopped = true;
		switch (event) {
		case PTRACE_EVENT_EXEC:
			return exec_event(f, t, ev);
		case PTRACE_EVENT_STOP:
			/* A group stop stays one; anything else (the end of
			 * one after SIGCONT) goes on. */
			t->listen = is_stop_signal(sig);
			break;
		case 0:
			if (sig == (SIGTRAP | 0x80)) {
				struct ptrace_syscall_info info;

				if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info) <= 0) {
					if (errno == ESRCH)
						continue;
					return fail(f, -errno, "ptrace(PTRACE_GET_SYSCALL_INFO): %s",
						    strerror(errno));
				}
				memset(ev, 0, sizeof(*ev));
				if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
					ev->type = FOLLOW_SYSCALL_ENTRY;
					ev->nr = (int)info.entry.nr;
					memcpy(ev->args, info.entry.args, sizeof(ev->args));
					return report(f, t, ev);
				}
				if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
					ev->type = FOLLOW_SYSCALL_EXIT;
					ev->ret = info.exit.rval;
					return report(f, t, ev);
				}
				break;
			}
			/* A signal: passed on as it came. */
			t->resume_sig = sig;
			break;
		default:
			/* PTRACE_EVENT_CLONE, _FORK, _VFORK: the new task
			 * reports its own first stop. */
			break;
		}
		err = resume(f, t);
		if (err)
			return err;
	}
}

void follow_stop(struct follow *f)
{
	f->stopping = true;
	for (size_t i = 0; i < f->nr_tasks; i++)
		if (!f->tasks[i]->gone)
			kill(f->tasks[i]->pub.tid, SIGKILL);
}

void follow_free(struct follow *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nr_tasks; i++) {
		if (!f->tasks[i]->gone)
			kill(f->tasks[i]->pub.tid, SIGKILL);
		close_buffer(f, f->tasks[i]->pub.kcov);
		free(f->tasks[i]);
	}
	for (int i = 0; i < f->nr_spare; i++)
		close_buffer(f, f->spare[i]);
	free(f->tasks);
	free(f->by_tid);
	if (f->errfd >= 0)
		close(f->errfd);
	/* Not while a task killed above may still run on it. */
	if (f->main_reaped)
		free_stack(f);
	free(f);
}
