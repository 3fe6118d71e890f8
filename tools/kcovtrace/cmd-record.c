// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace record: trace a command's kernel code, from its exec to its exit,
 * or only the syscalls asked for, each as a stream of its own.
 *
 * The buffer is mapped by kcovtrace and shared with the child through the
 * inherited descriptor: the child enables kcov for itself and execs, and the
 * kernel keeps writing into the same buffer, which kcovtrace reads.  For
 * single syscalls, kcovtrace traces the child with ptrace, resets the count
 * at the syscall's entry stop and takes the records at its exit stop.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/ptrace.h>

extern char **environ;

#include "kcovtrace-tool.h"

static const char record_usage[] =
"usage: kcovtrace record [options] -- COMMAND [ARGS...]\n"
"\n"
"Run COMMAND with kcov enabled for it (KCOV_TRACE_PC_EXT, or KCOV_TRACE_PC\n"
"with a warning where the kernel lacks it) and write its records, from its\n"
"exec to its exit, to a trace file.  Only COMMAND's main thread is traced,\n"
"not its other threads or children.  Exits with COMMAND's exit status.\n"
"\n"
"  -o, --output FILE    trace file (default: kcov.trace), written atomically\n"
"  --buffer WORDS       kcov buffer size in 64-bit words (default 1048576,\n"
"                       a multiple of 512)\n"
"  --syscalls LIST      trace only these syscalls (names or numbers, comma-\n"
"                       separated, or \"all\"), each call as a stream of its\n"
"                       own; uses ptrace\n"
"  -h, --help           this text\n";

struct recorder {
	struct kct_session *session;
	struct kct_trace_writer *writer;
	bool all_syscalls;
	bool wanted[1024];	/* by syscall number */
	uint64_t streams;
	bool overflowed;
	/* The child: what its streams say of it. */
	pid_t pid;
	uint32_t mode;		/* the kcov mode it got */
	char comm[KCT_COMM_LEN];/* its name at exec, "" if unknown */
};

static void parse_syscalls(struct recorder *r, const char *list)
{
	char *copy = strdup(list), *save = NULL, *name;

	if (!copy)
		die("out of memory");
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int nr;

		if (!strcmp(name, "all")) {
			r->all_syscalls = true;
			continue;
		}
		nr = syscall_number(name);
		if (nr < 0 || nr >= (int)(sizeof(r->wanted) / sizeof(r->wanted[0])))
			die("record: unknown syscall '%s'", name);
		r->wanted[nr] = true;
	}
	free(copy);
}

/* Finds a program the way execvp() would, so that nothing but the execve()
 * itself runs between resetting the buffer and the exec. */
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

/* errfd is close-on-exec: EOF tells the parent the exec worked; modefd
 * (close-on-exec too) tells it the kcov mode the child got. */
static void child_exec(struct recorder *r, bool traced, char **argv, int errfd, int modefd)
{
	struct kct_enable_opts opts = { .sz = sizeof(opts), .allow_classic = true };
	char *prog = find_program(argv[0]);
	int err;

	if (!prog) {
		dprintf(errfd, "%s: command not found", argv[0]);
		_exit(127);
	}

	if (traced) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(126);
		raise(SIGSTOP); /* let the parent set its options */
	}
	/* Touch the buffer before kcov is on: the page fault of the first
	 * write is the child's own business, not COMMAND's. */
	kct_session_reset(r->session);
	err = kct_session_enable(r->session, &opts);
	if (err) {
		dprintf(errfd, "enabling kcov: %s", kct_strerror(err));
		_exit(126);
	}
	r->mode = kct_session_mode(r->session);
	if (write(modefd, &r->mode, sizeof(r->mode)) != sizeof(r->mode))
		_exit(126);
	kct_session_reset(r->session);
	execve(prog, argv, environ);
	err = errno;
	dprintf(errfd, "%s: %s", argv[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

/* The mode the child reported before its exec (0 bytes: it died first). */
static void read_mode(struct recorder *r, int modefd)
{
	uint32_t mode;

	if (read(modefd, &mode, sizeof(mode)) == sizeof(mode))
		r->mode = mode;
}

/* The child's name, as /proc shows it (a zombie's too). */
static void read_comm(struct recorder *r)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)r->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, r->comm, sizeof(r->comm) - 1);
	close(fd);
	if (n <= 0)
		n = 0;
	else if (r->comm[n - 1] == '\n')
		n--;
	r->comm[n] = '\0';
}

/* The buffer as a stream: of the whole run, or of the syscall entry says. */
static void add_stream(struct recorder *r, const struct ptrace_syscall_info *entry)
{
	struct kct_stream_opts opts = {
		.sz = sizeof(opts),
		.kind = entry ? KCT_STREAM_KIND_SYSCALL : KCT_STREAM_KIND_TASK,
		.seq = r->streams++,
		.pid = r->pid,
		.tid = r->pid,
		.ppid = getpid(),
		.mode = r->mode,
		.comm = r->comm,
	};
	int err;

	if (entry) {
		opts.syscall = (int)entry->entry.nr;
		opts.flags |= KCT_STREAM_F_ARGS;
		for (int i = 0; i < 6; i++)
			opts.args[i] = entry->entry.args[i];
	}
	if (kct_session_full(r->session))
		r->overflowed = true;
	err = kct_session_write_stream(r->session, r->writer, &opts);
	if (err)
		die("record: writing the trace: %s", kct_strerror(err));
}

/*
 * Follows the child from syscall stop to syscall stop; returns its status.
 * The streams start after the exec: the child's own set-up is not COMMAND's.
 */
static int trace_syscalls(struct recorder *r, pid_t pid, int errfd, int modefd)
{
	struct ptrace_syscall_info entry;
	int status;
	bool execed = false, in_syscall = false;

	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		die("record: the child did not stop for tracing");
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC)))
		die("record: ptrace: %s", strerror(errno));
	for (int sig = 0;;) {
		struct ptrace_syscall_info info;

		if (ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig))
			die("record: ptrace: %s", strerror(errno));
		sig = 0;
		if (waitpid(pid, &status, 0) != pid)
			die("record: waitpid: %s", strerror(errno));
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			char childerr[512];
			ssize_t n = execed ? 0 : read(errfd, childerr, sizeof(childerr) - 1);

			if (n > 0) {
				childerr[n] = '\0';
				kct_trace_writer_abort(r->writer);
				die("record: %s", childerr);
			}
			return status;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (status >> 8 == (SIGTRAP | PTRACE_EVENT_EXEC << 8)) {
			execed = true;
			read_mode(r, modefd);
			read_comm(r);
			continue;
		}
		if (!execed)
			continue;
		if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
			continue;
		}
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info) <= 0)
			die("record: PTRACE_GET_SYSCALL_INFO: %s", strerror(errno));
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			int nr = (int)info.entry.nr;

			in_syscall = false;
			if (r->all_syscalls ||
			    (nr >= 0 && nr < (int)(sizeof(r->wanted) / sizeof(r->wanted[0])) &&
			     r->wanted[nr])) {
				in_syscall = true;
				entry = info;
				kct_session_reset(r->session);
			}
		} else if (info.op == PTRACE_SYSCALL_INFO_EXIT && in_syscall) {
			add_stream(r, &entry);
			in_syscall = false;
		}
	}
}

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "syscalls", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct kct_session_opts opts = { .sz = sizeof(opts) };
	struct kct_trace_writer_opts wopts = { .sz = sizeof(wopts), .pc_fill = KCT_PC_FILL_KERNEL };
	struct recorder r = { 0 };
	const char *output = "kcov.trace", *syscalls = NULL;
	uint8_t kernel_id[KCT_KERNEL_ID_MAX];
	struct utsname u;
	int c, err, status, errpipe[2], modepipe[2];
	char childerr[512];
	pid_t pid;

	while ((c = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'b':
			opts.buffer_words = parse_ulong(optarg, "--buffer");
			break;
		case 's':
			syscalls = optarg;
			break;
		case 'h':
			fputs(record_usage, stdout);
			return 0;
		default:
			fputs(record_usage, stderr);
			return 2;
		}
	}
	if (optind >= argc)
		die("record: no command (kcovtrace record [options] -- COMMAND)");
	if (syscalls)
		parse_syscalls(&r, syscalls);

	err = kct_session_open(&opts, &r.session);
	if (err == -EINVAL)
		die("record: --buffer must be a multiple of 512 words, from 512 to 2^31");
	if (err)
		die("record: /sys/kernel/debug/kcov: %s%s", kct_strerror(err),
		    err == -ENOENT ? " (no CONFIG_KCOV, or debugfs not mounted)" : "");

	/* The kernel's identity, for replay to compare with its symbols;
	 * before the command runs, which it would only slow down. */
	err = kct_kernel_id_symbols("/proc/kallsyms", kernel_id, sizeof(kernel_id));
	if (err > 0) {
		wopts.kernel_id = kernel_id;
		wopts.kernel_id_len = err;
		wopts.kernel_id_kind = KCT_KERNEL_ID_SYMBOLS;
	}

	if (pipe2(errpipe, O_CLOEXEC) || pipe2(modepipe, O_CLOEXEC))
		die("record: pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("record: fork: %s", strerror(errno));
	if (pid == 0) {
		close(errpipe[0]);
		close(modepipe[0]);
		child_exec(&r, syscalls != NULL, argv + optind, errpipe[1], modepipe[1]);
	}
	close(errpipe[1]);
	close(modepipe[1]);
	r.pid = pid;

	/* What the trace was recorded with: the mode this kernel offers,
	 * asked the same way the child asks (each stream says the mode its
	 * task got). */
	wopts.buffer_words = kct_session_buffer_words(r.session);
	if (!uname(&u))
		wopts.kernel_release = u.release;
	wopts.mode = kernel_has_ext_mode() ? KCT_MODE_TRACE_PC_EXT : KCT_MODE_TRACE_PC;
	if (wopts.mode == KCT_MODE_TRACE_PC)
		warn("this kernel lacks KCOV_TRACE_PC_EXT: recording classic coverage, no call tree");
	err = kct_trace_writer_open(output, &wopts, &r.writer);
	if (err) {
		kill(pid, SIGKILL);
		die("record: %s: %s", output, kct_strerror(err));
	}
	if (syscalls) {
		status = trace_syscalls(&r, pid, errpipe[0], modepipe[0]);
	} else {
		/* EOF once the child execs (or an error message). */
		ssize_t n = read(errpipe[0], childerr, sizeof(childerr) - 1);
		siginfo_t si;

		read_mode(&r, modepipe[0]);
		/* Its name before it is reaped: as of its exec, unless the
		 * command renamed itself. */
		if (!waitid(P_PID, pid, &si, WEXITED | WNOWAIT))
			read_comm(&r);
		if (waitpid(pid, &status, 0) != pid)
			die("record: waitpid: %s", strerror(errno));
		if (n > 0) {
			childerr[n] = '\0';
			kct_trace_writer_abort(r.writer);
			die("record: %s", childerr);
		}
		add_stream(&r, NULL);
	}
	err = kct_trace_writer_commit(r.writer);
	if (err)
		die("record: %s: %s", output, kct_strerror(err));
	if (r.overflowed)
		warn("the kcov buffer filled up: the trace is a prefix (try --buffer)");
	kct_session_close(r.session);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
