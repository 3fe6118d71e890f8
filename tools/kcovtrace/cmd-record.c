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

/* errfd is close-on-exec: EOF tells the parent the exec worked. */
static void child_exec(struct recorder *r, bool traced, char **argv, int errfd)
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
	kct_session_reset(r->session);
	execve(prog, argv, environ);
	err = errno;
	dprintf(errfd, "%s: %s", argv[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

static void add_stream(struct recorder *r, int syscall_nr)
{
	uint64_t n = kct_session_count(r->session);
	struct kct_stream_header sh = {
		.records = n,
		.syscall = syscall_nr,
		.seq = r->streams++,
	};
	int err;

	if (n == kct_session_buffer_words(r->session) - 1) {
		sh.flags |= KCT_STREAM_F_OVERFLOW;
		r->overflowed = true;
	}
	err = kct_trace_writer_add(r->writer, &sh, kct_session_records(r->session));
	if (err)
		die("record: writing the trace: %s", kct_strerror(err));
}

/*
 * Follows the child from syscall stop to syscall stop; returns its status.
 * The streams start after the exec: the child's own set-up is not COMMAND's.
 */
static int trace_syscalls(struct recorder *r, pid_t pid, int errfd)
{
	int status, in_syscall = -1;
	bool execed = false;

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

			in_syscall = -1;
			if (r->all_syscalls ||
			    (nr >= 0 && nr < (int)(sizeof(r->wanted) / sizeof(r->wanted[0])) &&
			     r->wanted[nr])) {
				in_syscall = nr;
				kct_session_reset(r->session);
			}
		} else if (info.op == PTRACE_SYSCALL_INFO_EXIT && in_syscall >= 0) {
			add_stream(r, in_syscall);
			in_syscall = -1;
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
	struct kct_trace_header h = { .pc_fill = KCT_PC_FILL_KERNEL };
	struct recorder r = { 0 };
	const char *output = "kcov.trace", *syscalls = NULL;
	struct utsname u;
	int c, err, status, errpipe[2];
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

	if (pipe2(errpipe, O_CLOEXEC))
		die("record: pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("record: fork: %s", strerror(errno));
	if (pid == 0) {
		close(errpipe[0]);
		child_exec(&r, syscalls != NULL, argv + optind, errpipe[1]);
	}
	close(errpipe[1]);

	/* The child has enabled kcov (or died trying) by the time it runs
	 * the command; the mode it got is known from the stream only, so ask
	 * the kernel the same way it did. */
	h.buffer_size = kct_session_buffer_words(r.session);
	if (!uname(&u))
		snprintf(h.kernel_release, sizeof(h.kernel_release), "%s", u.release);
	h.mode = kernel_has_ext_mode() ? KCT_MODE_TRACE_PC_EXT : KCT_MODE_TRACE_PC;
	if (h.mode == KCT_MODE_TRACE_PC)
		warn("this kernel lacks KCOV_TRACE_PC_EXT: recording classic coverage, no call tree");
	err = kct_trace_writer_open(output, &h, &r.writer);
	if (err) {
		kill(pid, SIGKILL);
		die("record: %s: %s", output, kct_strerror(err));
	}
	if (syscalls) {
		status = trace_syscalls(&r, pid, errpipe[0]);
	} else {
		ssize_t n = read(errpipe[0], childerr, sizeof(childerr) - 1);

		if (waitpid(pid, &status, 0) != pid)
			die("record: waitpid: %s", strerror(errno));
		if (n > 0) {
			childerr[n] = '\0';
			kct_trace_writer_abort(r.writer);
			die("record: %s", childerr);
		}
		add_stream(&r, KCT_STREAM_NO_SYSCALL);
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
