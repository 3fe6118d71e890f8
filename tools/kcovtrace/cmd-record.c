// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace record: trace a command's kernel code, every task of it from
 * its start to its exit, or only the syscalls asked for, each as a stream
 * of its own.
 *
 * The tasks are followed with ptrace, each with a kcov buffer of its own
 * that kcovtrace maps and reads (follow.c); what becomes of their records
 * is record-cut.c's business.  With --remote, kcovtrace itself enables remote
 * coverage before it starts the command: the common handle is kept in the
 * task that enables it and inherited by its children at fork, so the
 * command and its tasks carry it, while each of them can still have a
 * local kcov (a task cannot have both).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kcovtrace-tool.h"
#include "messages.h"
#include "options.h"
#include "symbols.h"
#include "syscalls.h"
#include "traces.h"
#include "follow.h"
#include "kcov_uapi.h"
#include "record-cut.h"

static const char record_usage[] =
"usage: kcovtrace record [options] -- COMMAND [ARGS...]\n"
"\n"
"Run COMMAND with kcov enabled in each of its threads and children\n"
"(KCOV_TRACE_PC_EXT, or KCOV_TRACE_PC with a warning where the kernel lacks\n"
"it) and write their records to a trace file: a stream per task, from its\n"
"start to its exit, split at each exec, whose records are a stream of\n"
"their own.  The tasks are followed with ptrace, which stops them at\n"
"clone, fork, vfork and exec only.  Exits with COMMAND's exit status, or\n"
"dies of the signal that killed it, once the trace is written.  SIGINT,\n"
"SIGTERM or SIGHUP stops the recording: the tasks are killed, what they\n"
"recorded written, the trace marked interrupted; it dies of the signal\n"
"then.\n"
"\n"
"  -o, --output FILE    trace file (default: kcov.trace, the one it replaces\n"
"                       kept as kcov.trace.old), written atomically\n"
"  --buffer WORDS       kcov buffer size per task, in 64-bit words, a multiple\n"
"                       of 512 (default 1048576, halved for each new task\n"
"                       while the buffers would take more than an eighth\n"
"                       of the memory, down to 32768)\n"
"  --mode MODE          the kcov mode: ext (default: KCOV_TRACE_PC_EXT, or\n"
"                       KCOV_TRACE_PC where the kernel lacks it), or memory\n"
"                       (KCOV_TRACE_MEMORY_ACCESS: calls, blocks, memory\n"
"                       accesses, waits and wakes; no fallback)\n"
"  --no-follow          trace COMMAND's main task only\n"
"  --syscalls LIST      trace only these syscalls (names or numbers, comma-\n"
"                       separated, or \"all\"), each call as a stream of its\n"
"                       own, from its entry frame to its exit; the tasks stop\n"
"                       at every syscall\n"
"  --remote             also collect the remote coverage sections run for\n"
"                       COMMAND's tasks (KCOV_REMOTE_ENABLE, common handle)\n"
"  --remote-handle H    and those of remote handle H, such as\n"
"                       0x01000000000001ab for USB bus 0x1ab (repeatable;\n"
"                       implies --remote)\n"
"  --max-depth N        record N levels of calls (N >= 1), the task's\n"
"                       outermost kernel frame (its syscall, fault ...)\n"
"                       being level 1\n"
"  --suppress GLOB      record the entry and exit of the kernel functions\n"
"                       whose names match GLOB, but nothing they execute or\n"
"                       call (repeatable), e.g. --suppress '*spin_*lock*'.\n"
"                       The kernel filters (KCOV_FILTER); one without it\n"
"                       has kcovtrace filter each task's records, with a\n"
"                       warning\n"
"  --vmlinux FILE, --kallsyms FILE, --system-map FILE\n"
"                       where --suppress (and --syscalls) find functions\n"
"                       (default: /proc/kallsyms)\n"
"  -v, --verbose        describe each stream written, on stderr\n"
"  -h, --help           this text\n";

#define MAX_NR		1024	/* syscall numbers --syscalls takes */
#define MAX_UNTRACED_WARNINGS	8	/* then a count at the end */

struct recorder {
	const char *output;
	const char *backup;		/* where the trace it replaces goes */
	uint32_t mode;			/* the command's main task's */
	uint8_t kernel_id[KCT_KERNEL_ID_MAX];
	int kernel_id_len;		/* <= 0: not known */
	struct kct_trace_writer *writer;
	bool verbose, warned_classic;
	/* --syscalls */
	char *syscall_list;
	bool all_syscalls;
	bool wanted[MAX_NR];
	uint64_t matched[MAX_NR];
	struct kct_symbolizer *sym;	/* /proc/kallsyms, if readable */
	/* --remote */
	bool remote;
	struct kct_session *remote_kcov;
	uint64_t common_handle;
	uint64_t *handles;
	uint32_t nr_handles;
	/* --max-depth, --suppress */
	bool filtering;
	struct kct_filter_opts filter;
	char *suppress_list;		/* the globs, comma-separated */
	struct kct_range *ranges;
	bool kernel_filters;		/* the first task's KCOV_FILTER worked */
	bool warned_filter;
	uint64_t followed;		/* tasks followed */
	uint64_t untraced;		/* tasks left untraced (a sandbox) */
	/* the summary: what the trace holds */
	uint64_t streams, records, syscalls, sections, full;
	uint64_t end;			/* the streams' clock at the end */
	struct task_count tasks;
	int stopped;			/* the signal that stopped the recording */
};

static void __attribute__((noreturn, format(printf, 2, 3))) fail(struct recorder *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kct_trace_writer_abort(r->writer);
	/* The tasks die with us (PTRACE_O_EXITKILL). */
	die("record: %s", msg);
}

static void syscall_hint(const char *name, char *hint, size_t size);

/* The follower failed: exit status 1, but where the command itself could
 * not start, what a shell gives then, 127 (no such command) or 126. */
static void __attribute__((noreturn)) follow_failed(struct recorder *r, struct follow *f,
						     const char *verb)
{
	if (follow_exec_failed(f)) {
		kct_trace_writer_abort(r->writer);
		fprintf(stderr, "kcovtrace: %s: %s\n", verb, follow_error(f));
		exit(follow_exec_failed(f));
	}
	fail(r, "%s", follow_error(f));
}

/*
 * SIGINT, SIGTERM and SIGHUP stop the recording: its tasks are killed, and
 * what they recorded is written, the trace marked interrupted.  The handler
 * only notes the signal; record_run() acts on it, between events.  Its
 * waitpid() for the next event fails with EINTR (no SA_RESTART) to let it;
 * but a signal that comes after record_run() looked at stop_signal and
 * before waitpid() blocks interrupts nothing: for that, the handler also
 * sets an alarm, whose SIGALRM interrupts that waitpid() within a second.
 */
static volatile sig_atomic_t stop_signal;	/* the first such signal */
static volatile sig_atomic_t following;		/* record_run() in its loop */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NR_STOP_SIGNALS	(sizeof(stop_signals) / sizeof(stop_signals[0]))
static struct sigaction saved_actions[NR_STOP_SIGNALS], saved_alarm;

static void on_stop_signal(int sig)
{
	if (!stop_signal)
		stop_signal = sig;
	if (following)
		alarm(1);
}

static void on_alarm(int sig)
{
	(void)sig;	/* to interrupt waitpid(), nothing more */
}

/* Once the command runs (its first task is stopped, not yet exec'ed): a
 * signal before is fatal, with nothing recorded to lose.  A signal ignored
 * on entry stays ignored (nohup, a background job of a shell). */
static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct sigaction alrm = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NR_STOP_SIGNALS; i++)
		sigaddset(&sa.sa_mask, stop_signals[i]);
	sigemptyset(&alrm.sa_mask);
	sigaction(SIGALRM, &alrm, &saved_alarm);
	for (size_t i = 0; i < NR_STOP_SIGNALS; i++) {
		sigaction(stop_signals[i], NULL, &saved_actions[i]);
		if (saved_actions[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

/* Once the trace is in place: they are what they were again (live's
 * replay goes on; a signal noted meanwhile had nothing left to stop). */
static void restore_stop_signals(void)
{
	for (size_t i = 0; i < NR_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &saved_actions[i], NULL);
	sigaction(SIGALRM, &saved_alarm, NULL);
}

static const char *stop_signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

static void parse_syscalls(struct recorder *r, const char *list)
{
	char *copy = strdup(list), *save = NULL, *name, *all;

	/* All the names given, for warn_unmatched(). */
	if (!copy || asprintf(&all, "%s%s%s", r->syscall_list ? r->syscall_list : "",
			      r->syscall_list ? "," : "", list) < 0)
		die("out of memory");
	free(r->syscall_list);
	r->syscall_list = all;
	if (!strtok_r(copy, ",", &save))
		usage_die("record: --syscalls: no syscall named");
	strcpy(copy, list);
	save = NULL;
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int nr;

		if (!strcmp(name, "all")) {
			r->all_syscalls = true;
			continue;
		}
		nr = syscall_number(name);
		if (nr < 0 || nr >= MAX_NR) {
			char hint[512];

			syscall_hint(name, hint, sizeof(hint));
			usage_die("record: unknown syscall '%s'%s", name, hint);
		}
		r->wanted[nr] = true;
		/* What a user looks for with -F '__x64_sys_*' is not there. */
		if (nr == SYS_exit || nr == SYS_exit_group)
			fprintf(stderr, "kcovtrace: note: --syscalls %s: %s() never returns, and "
				"its entry point has no entry or exit records: its streams start "
				"in %s()\n", name, syscall_name(nr),
				nr == SYS_exit ? "do_exit" : "do_group_exit");
	}
	free(copy);
}

static void add_handle(struct recorder *r, const char *arg)
{
	uint64_t *v = realloc(r->handles, (r->nr_handles + 1) * sizeof(*v));
	char *end;

	if (!v)
		die("out of memory");
	r->handles = v;
	errno = 0;
	v[r->nr_handles] = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || *arg == '-' || !v[r->nr_handles])
		usage_die("record: --remote-handle: not a handle: '%s'", arg);
	r->nr_handles++;
	r->remote = true;
}

static void warn_classic(struct recorder *r, uint32_t mode)
{
	if (mode == KCT_MODE_TRACE_PC && !r->warned_classic) {
		warn("this kernel lacks KCOV_TRACE_PC_EXT: recording classic coverage, no call tree");
		r->warned_classic = true;
	}
}

static void open_writer(struct recorder *r, const struct follow_task *main_task)
{
	struct kct_trace_writer_opts wopts = {
		.sz = sizeof(wopts),
		.pc_fill = KCT_PC_FILL_KERNEL,
		.buffer_words = kct_session_buffer_words(main_task->kcov),
		/* What the command's main task got; each stream says its own. */
		.mode = main_task->mode,
		.backup = r->backup,
	};
	char depth_note[64], ranges_note[64], *suppress_note = NULL;
	const char *notes[5] = { NULL };
	struct utsname u;
	int err, n = 0;

	r->mode = main_task->mode;
	/* What the trace was recorded with: kcovtrace info shows it. */
	if (r->filtering) {
		if (r->filter.max_depth) {
			snprintf(depth_note, sizeof(depth_note), "filter.max_depth=%u",
				 r->filter.max_depth);
			notes[n++] = depth_note;
		}
		if (r->suppress_list) {
			if (asprintf(&suppress_note, "filter.suppress=%s", r->suppress_list) < 0)
				die("out of memory");
			snprintf(ranges_note, sizeof(ranges_note), "filter.ranges=%u",
				 r->filter.nr_ranges);
			notes[n++] = suppress_note;
			notes[n++] = ranges_note;
		}
		notes[n++] = r->kernel_filters ? "filter.by=kernel" : "filter.by=userspace";
		wopts.notes = notes;
	}
	if (!uname(&u))
		wopts.kernel_release = u.release;
	if (r->kernel_id_len > 0) {
		wopts.kernel_id = r->kernel_id;
		wopts.kernel_id_len = r->kernel_id_len;
		wopts.kernel_id_kind = KCT_KERNEL_ID_SYMBOLS;
	}
	warn_classic(r, main_task->mode);
	err = kct_trace_writer_open(r->output, &wopts, &r->writer);
	free(suppress_note);
	if (err)
		fail(r, "%s: %s", r->output, kct_strerror(err));
}

/*
 * Whether the trace can go to r->output: the writer's own checks (a
 * directory there, a directory the file cannot be created in), by opening
 * it and aborting, before kcov is opened and the command runs rather than
 * once it has run.
 */
static void check_output(struct recorder *r)
{
	struct kct_trace_writer_opts wopts = { .sz = sizeof(wopts) };
	struct kct_trace_writer *w;
	int err = kct_trace_writer_open(r->output, &wopts, &w);

	if (err)
		die("record: %s: %s", r->output, kct_strerror(err));
	kct_trace_writer_abort(w);
	if (!r->backup)
		return;
	/* Again with the backup: an error now is the backup's. */
	wopts.backup = r->backup;
	err = kct_trace_writer_open(r->output, &wopts, &w);
	if (err)
		die("record: %s (where the old %s goes): %s", r->backup, r->output,
		    kct_strerror(err));
	kct_trace_writer_abort(w);
}

static void describe(const struct stream_meta *m, uint64_t count)
{
	const char *name = m->syscall >= 0 ? syscall_name(m->syscall) : NULL;
	char what[512], *p = what, *end = what + sizeof(what);

	p += snprintf(p, end - p, "%s", stream_kind_name(m->kind));
	if (m->kind == KCT_STREAM_KIND_EXEC || m->kind == KCT_STREAM_KIND_SYSCALL) {
		if (name)
			p += snprintf(p, end - p, " %s (%d)", name, m->syscall);
		else
			p += snprintf(p, end - p, " %d", m->syscall);
	}
	if (m->kind == KCT_STREAM_KIND_SYSCALL)
		p += snprintf(p, end - p, " args=%#llx,%#llx,%#llx,%#llx,%#llx,%#llx",
			      (unsigned long long)m->args[0], (unsigned long long)m->args[1],
			      (unsigned long long)m->args[2], (unsigned long long)m->args[3],
			      (unsigned long long)m->args[4], (unsigned long long)m->args[5]);
	if (m->kind == KCT_STREAM_KIND_REMOTE)
		p += snprintf(p, end - p, " handle=%#llx", (unsigned long long)m->remote_handle);
	else
		p += snprintf(p, end - p, " tid=%d pid=%d ppid=%d comm=%s", (int)m->tid, (int)m->pid,
			      (int)m->ppid, m->comm);
	/* Its number is known once the streams that started before it are
	 * written: readers number them by seq, then as written. */
	fprintf(stderr, "kcovtrace: stream: %s seq=%llu mode=%s records=%llu%s%s\n", what,
		(unsigned long long)m->start, kcov_mode_name(m->mode), (unsigned long long)count,
		m->resumed ? " resumed-after-loss" : "", m->overflow ? " buffer-full lost=unknown" : "");
}

/* The one place where a stream's metadata meets the trace format. */
static void add_stream(void *ctx, const struct stream_meta *m, const uint64_t *rec, uint64_t count)
{
	struct recorder *r = ctx;
	struct kct_stream_opts opts = {
		.sz = sizeof(opts),
		.kind = m->kind,
		/* Readers number the streams in this order, in which they
		 * started; they are written in the order they end. */
		.seq = m->start,
		.pid = m->pid,
		.tid = m->tid,
		.ppid = m->ppid,
		.mode = m->mode,
		.syscall = m->syscall,
		.remote_handle = m->remote_handle,
		.comm = m->comm,
		.memory_record_words = m->memory_words,
	};
	int err;

	if (m->kind == KCT_STREAM_KIND_SYSCALL) {
		opts.flags |= KCT_STREAM_F_ARGS;
		memcpy(opts.args, m->args, sizeof(opts.args));
		memcpy(opts.arg_strings, m->strings, sizeof(opts.arg_strings));
	}
	if (m->overflow) {
		/* The kernel does not say how many records it dropped. */
		opts.flags |= KCT_STREAM_F_OVERFLOW;
		opts.lost = KCT_LOST_UNKNOWN;
		r->full++;
	}
	if (m->resumed)
		opts.flags |= KCT_STREAM_F_RESUMED;
	if (r->verbose)
		describe(m, count);
	err = kct_trace_writer_add(r->writer, &opts, rec, count);
	if (err)
		fail(r, "writing the trace: %s", kct_strerror(err));
	r->streams++;
	r->records += count;
	task_count_add(&r->tasks, m->tid);
	r->syscalls += m->kind == KCT_STREAM_KIND_SYSCALL;
	r->sections += m->kind == KCT_STREAM_KIND_REMOTE;
}

/* For the --syscalls cut: whether pc is in a syscall's entry point. */
static int is_syscall_pc(void *ctx, uint64_t pc)
{
	static const char *const prefixes[] = {
		"__x64_sys_", "__ia32_sys_", "__x64_compat_sys_", "__ia32_compat_sys_",
		"__do_sys_", "__se_sys_", "__do_compat_sys_", "__se_compat_sys_",
	};
	struct recorder *r = ctx;
	struct kct_symbol s = { .sz = sizeof(s) };

	if (!r->sym)
		return -1;
	if (kct_symbolize(r->sym, pc, &s))
		return 0;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(s.name, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

/* Before the command starts, so that it inherits the common handle. */
static void enable_remote(struct recorder *r, uint64_t words)
{
	struct kct_session_opts opts = { .sz = sizeof(opts), .buffer_words = words };
	struct kct_remote_enable_opts ropts = {
		.sz = sizeof(ropts),
		.allow_classic = true,
		.handles = r->handles,
		.nr_handles = r->nr_handles,
	};
	int err = kct_session_open(&opts, &r->remote_kcov);

	if (err)
		return;	/* follow_start() says why, as for any task */
	/* A common handle is kcovtrace's choice: unique while it is enabled. */
	for (uint64_t id = getpid();; id += 1u << 22) {
		r->common_handle = kct_remote_handle(KCT_REMOTE_SUBSYSTEM_COMMON,
						     id & KCT_REMOTE_INSTANCE_MASK);
		ropts.common_handle = r->common_handle;
		err = kct_session_enable_remote(r->remote_kcov, &ropts);
		if (err != -EEXIST || id >= KCT_REMOTE_INSTANCE_MASK - (1u << 22))
			break;
	}
	if (err == -EEXIST)
		die("record: KCOV_REMOTE_ENABLE: a --remote-handle is in use by another kcov user");
	if (err == -EINVAL)
		die("record: KCOV_REMOTE_ENABLE: %s (a --remote-handle must be a USB bus's, "
		    "0x0100000000000000 | bus)", kct_strerror(err));
	if (err)
		die("record: KCOV_REMOTE_ENABLE: %s", kct_strerror(err));
}

static void add_section(void *ctx, uint64_t from, uint64_t to)
{
	struct recorder *r = ctx;
	const uint64_t *rec = kct_session_records(r->remote_kcov);
	uint64_t count = kct_session_count(r->remote_kcov);
	struct stream_meta m = {
		.kind = KCT_STREAM_KIND_REMOTE,
		.syscall = -1,
		.mode = kct_session_mode(r->remote_kcov),
		/* Sections do not say which handle they ran with. */
		.remote_handle = r->nr_handles ? 0 : r->common_handle,
		.overflow = to == count && kct_session_full(r->remote_kcov),
		/* Read at the end: after the tasks' streams, in their order. */
		.start = r->end,
	};

	add_stream(r, &m, rec + from, to - from);
}

static void add_remote_sections(struct recorder *r)
{
	warn_classic(r, kct_session_mode(r->remote_kcov));
	cut_sections(kct_session_records(r->remote_kcov), kct_session_count(r->remote_kcov),
		     add_section, r);
	kct_session_disable(r->remote_kcov);
	kct_session_close(r->remote_kcov);
}

/* What glibc calls in place of a syscall of the same name (glibc 2.33 and
 * later, x86-64). */
static const struct {
	const char *name, *does;
} libc_calls[] = {
	{ "stat", "calls newfstatat" },
	{ "lstat", "calls newfstatat" },
	{ "fstat", "calls newfstatat" },
	{ "open", "calls openat" },
	{ "fork", "calls clone" },
	{ "exit", "calls exit_group" },
	{ "getdents", "calls getdents64" },
	{ "readdir", "calls getdents64" },
	{ "getrlimit", "calls prlimit64" },
	{ "setrlimit", "calls prlimit64" },
	{ "nanosleep", "calls clock_nanosleep" },
	{ "sleep", "calls clock_nanosleep" },
	{ "usleep", "calls clock_nanosleep" },
	{ "waitpid", "calls wait4" },
	{ "wait", "calls wait4" },
	{ "signal", "calls rt_sigaction" },
	{ "sigaction", "calls rt_sigaction" },
	{ "sigprocmask", "calls rt_sigprocmask" },
	{ "clock_gettime", "uses the vDSO, no syscall" },
	{ "gettimeofday", "uses the vDSO, no syscall" },
	{ "time", "uses the vDSO, no syscall" },
	{ "getcpu", "uses the vDSO, no syscall" },
};

/* "; glibc's stat() calls newfstatat; similar names: fstat, lstat, ..." */
static void syscall_hint(const char *name, char *hint, size_t size)
{
	const char *similar[6];
	char *p = hint, *end = hint + size;
	size_t n;

	*p = '\0';
	for (size_t i = 0; i < sizeof(libc_calls) / sizeof(libc_calls[0]); i++)
		if (!strcmp(libc_calls[i].name, name))
			p += snprintf(p, end - p, "; glibc's %s() %s", name, libc_calls[i].does);
	n = similar_syscalls(name, similar, sizeof(similar) / sizeof(similar[0]));
	for (size_t i = 0; i < n && p < end; i++)
		p += snprintf(p, end - p, "%s%s", i ? ", " : "; similar names: ", similar[i]);
}

/* --syscalls names that matched no call, each with a hint. */
static void warn_unmatched(struct recorder *r)
{
	char *copy = strdup(r->syscall_list), *save = NULL, *name;

	if (!copy)
		return;
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		int nr = syscall_number(name);
		char hint[512];

		if (!strcmp(name, "all") || nr < 0 || nr >= MAX_NR || r->matched[nr])
			continue;
		syscall_hint(syscall_name(nr) ? syscall_name(nr) : name, hint, sizeof(hint));
		warn("--syscalls %s matched no syscall of the command%s", name, hint);
	}
	free(copy);
}

/* The symbols --suppress and --syscalls look functions up in: the user's,
 * else /proc/kallsyms; NULL if that cannot be read and need is false. */
static struct kct_symbolizer *record_symbols(const struct symbol_opts *so, bool need)
{
	struct kct_symbolizer *sym;
	int err;

	if (so->elf || so->kallsyms || so->system_map)
		return load_symbols(so);
	err = kct_symbolizer_new(&sym);
	if (err)
		die("%s", kct_strerror(err));
	err = kct_symbolizer_add_kallsyms(sym, "/proc/kallsyms");
	if (err && need)
		die("record: --suppress: /proc/kallsyms: %s; give --system-map or --vmlinux",
		    err == -KCT_ERR_HIDDEN ? "addresses hidden by kptr_restrict (run as root)" :
		    kct_strerror(err));
	if (err) {
		kct_symbolizer_free(sym);
		return NULL;
	}
	return sym;
}

/* --suppress's globs to the ranges of their functions; a glob of no
 * function is a usage error (a typo would filter nothing). */
static void resolve_suppress(struct recorder *r)
{
	char *copy = strdup(r->suppress_list), *save = NULL, *glob;
	uint32_t nr = 0;

	if (!copy)
		die("out of memory");
	for (glob = strtok_r(copy, ",", &save); glob; glob = strtok_r(NULL, ",", &save)) {
		int n = kct_symbolizer_glob_ranges(r->sym, glob, &r->ranges, &nr);

		if (n < 0)
			die("record: --suppress %s: %s", glob, kct_strerror(n));
		if (!n)
			usage_die("record: --suppress %s matches no kernel function", glob);
	}
	free(copy);
	r->filter.ranges = r->ranges;
	r->filter.nr_ranges = nr;
}

static void add_suppress(struct recorder *r, const char *glob)
{
	char *all;

	/* A glob with a comma could not be told apart in the note. */
	if (!*glob || strchr(glob, ','))
		usage_die("record: --suppress: not a glob of function names: '%s'", glob);
	if (asprintf(&all, "%s%s%s", r->suppress_list ? r->suppress_list : "",
		     r->suppress_list ? "," : "", glob) < 0)
		die("out of memory");
	free(r->suppress_list);
	r->suppress_list = all;
	r->filtering = true;
}

/*
 * A task's filter: by the kernel, or by kcovtrace where the kernel has no
 * KCOV_FILTER (ENOTTY; EOPNOTSUPP without CONFIG_KCOV_EXT_RECORDS, or
 * ENOTSUPP from kernels with v3 of the series), the same for every task.
 * EINVAL is the kernel refusing this filter: an error, not a reason to
 * filter elsewhere.  Classic coverage has no entry and exit records for
 * kcovtrace to filter by: that is an error, at the command's first stop,
 * before it runs.
 */
static void check_filter(struct recorder *r, const struct follow_task *t)
{
	int err = t->filter_err;
	bool first = r->followed == 1;

	if (err && err != -ENOTTY && err != -EOPNOTSUPP && err != -ENOTSUPP)
		fail(r, "the kernel refused the filter (KCOV_FILTER: %s)", kct_strerror(err));
	if (first)
		r->kernel_filters = !err;
	else if (r->kernel_filters != !err)
		fail(r, "KCOV_FILTER worked for one task and not for task %d (%s)", (int)t->tid,
		     kct_strerror(err));
	if (!err)
		return;
	if (t->mode == KCT_MODE_TRACE_PC)
		fail(r, "this kernel can neither filter (KCOV_FILTER) nor record entries and "
		     "exits (KCOV_TRACE_PC_EXT) for kcovtrace to filter by: no --max-depth or "
		     "--suppress");
	if (!r->warned_filter) {
		warn("this kernel cannot filter (KCOV_FILTER): filtering in userspace, the buffer "
		     "fills as without a filter");
		r->warned_filter = true;
	}
}

/*
 * record --mode memory: the words of the kernel's memory access records,
 * asked on a kcov descriptor of kcovtrace's own before anything runs.  A
 * kernel without the mode does not know the ioctl (ENOTTY; EINVAL or
 * ENOTSUPP from a kcov that refuses it): one line, exit 1.  No kcov at all
 * is left to follow_start()'s message, as without --mode.
 */
static uint32_t memory_record_words(const char *verb)
{
	KCT_OPTS(kct_session_opts, so, .buffer_words = sysconf(_SC_PAGESIZE) / sizeof(uint64_t));
	struct kct_session *s;
	int words;

	if (kct_session_open(&so, &s))
		return KCT_MEMORY_RECORD_WORDS;
	words = kct_session_memory_record_words(s);
	kct_session_close(s);
	if (words == -ENOTTY || words == -EINVAL || words == -ENOTSUPP || words == -EOPNOTSUPP)
		die("%s: --mode memory: this kernel has no KCOV_TRACE_MEMORY_ACCESS "
		    "(KCOV_GET_MEMORY_RECORD_SIZE: %s)", verb, kct_strerror(words));
	if (words < 0)
		die("%s: --mode memory: KCOV_GET_MEMORY_RECORD_SIZE: %s", verb,
		    kct_strerror(words));
	return (uint32_t)words;
}

int record_run(const struct record_call *call, int argc, char **argv)
{
	/* After the symbol options' numbers. */
	enum {
		OPT_BUFFER = 0x300, OPT_SYSCALLS, OPT_NO_FOLLOW, OPT_REMOTE, OPT_REMOTE_HANDLE,
		OPT_MAX_DEPTH, OPT_SUPPRESS, OPT_MODE,
	};
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
		{ "suppress", required_argument, NULL, OPT_SUPPRESS },
		SYMBOL_LONGOPTS,
		{ "buffer", required_argument, NULL, OPT_BUFFER },
		{ "syscalls", required_argument, NULL, OPT_SYSCALLS },
		{ "no-follow", no_argument, NULL, OPT_NO_FOLLOW },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "remote", no_argument, NULL, OPT_REMOTE },
		{ "remote-handle", required_argument, NULL, OPT_REMOTE_HANDLE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct follow_opts fo = { .children = true };
	/* The default output's last version is kept, as perf keeps
	 * perf.data.old; a file named with -o is the user's to replace. */
	struct recorder r = {
		.output = call->output ? call->output : "kcov.trace",
		.backup = call->output ? NULL : "kcov.trace.old",
		.filter = { .sz = sizeof(r.filter), .pc_fill = KCT_PC_FILL_KERNEL },
		.tasks = TASK_COUNT_INIT,
	};
	struct symbol_opts so = { 0 };
	struct streams st = { .emit = add_stream, .ctx = &r };
	struct follow_event ev;
	struct follow *f;
	int c, err, status;

	while ((c = getopt_long(argc, argv, "+o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			/* live's trace is its own, and removed. */
			if (call->output)
				usage_die("%s: -o: %s keeps no trace (kcovtrace record does)",
					  call->verb, call->verb);
			r.output = optarg;
			r.backup = NULL;
			break;
		case OPT_BUFFER:
			/* What kcov maps: whole pages of words (512 on x86-64),
			 * up to 2^31; a usage error, not one of the kernel's. */
			fo.buffer_words = parse_ulong_max(optarg, "--buffer", 1UL << 31);
			if (fo.buffer_words < 512 || fo.buffer_words % 512)
				usage_die("%s: --buffer takes a multiple of 512 words, from 512 to "
					  "2^31: '%s'", call->verb, optarg);
			break;
		case OPT_SYSCALLS:
			parse_syscalls(&r, optarg);
			break;
		case OPT_NO_FOLLOW:
			fo.children = false;
			break;
		case OPT_MODE:
			if (!strcmp(optarg, "memory"))
				fo.mode = KCT_MODE_TRACE_MEMORY_ACCESS;
			else if (!strcmp(optarg, "ext"))
				fo.mode = 0;
			else
				usage_die("%s: --mode: ext or memory, not '%s'", call->verb, optarg);
			break;
		case OPT_REMOTE:
			r.remote = true;
			break;
		case OPT_REMOTE_HANDLE:
			add_handle(&r, optarg);
			break;
		case OPT_MAX_DEPTH: {
			unsigned long n = parse_ulong(optarg, "--max-depth");

			if (!n || n > UINT32_MAX)
				usage_die("%s: --max-depth takes 1 or more levels", call->verb);
			r.filter.max_depth = (uint32_t)n;
			r.filtering = true;
			break;
		}
		case OPT_SUPPRESS:
			add_suppress(&r, optarg);
			break;
		case 'v':
			r.verbose = true;
			break;
		case 'h':
			fputs(call->usage, stdout);
			exit(0);
		default:
			if (symbol_option(&so, c, optarg))
				break;
			exit(short_usage(call->usage));
		}
	}
	if (optind >= argc)
		usage_die("%s: no command (kcovtrace %s [options] -- COMMAND)", call->verb,
			  call->verb);
	if (fo.mode == KCT_MODE_TRACE_MEMORY_ACCESS && r.remote)
		usage_die("%s: --mode memory cannot be used with --remote (remote coverage is "
			  "recorded in KCOV_TRACE_PC_EXT)", call->verb);
	/*
	 * The kernel's filter refuses the mode, and kcovtrace's own filter
	 * takes a word a record.
	 */
	if (fo.mode == KCT_MODE_TRACE_MEMORY_ACCESS && r.filtering)
		usage_die("%s: --mode memory cannot be used with --max-depth or --suppress (no "
			  "filter takes KCOV_TRACE_MEMORY_ACCESS records)", call->verb);
	/* The kernel refuses a filtered instance remote coverage. */
	if (r.filtering && r.remote)
		usage_die("%s: --remote cannot be filtered (--max-depth, --suppress): the kernel "
			  "refuses filtered remote coverage", call->verb);
	fo.syscalls = r.syscall_list != NULL;
	/* Symbols tell a syscall's frame best; without them (no
	 * /proc/kallsyms, or its addresses hidden) structure does.  Globs
	 * need them. */
	if (fo.syscalls || r.suppress_list)
		r.sym = record_symbols(&so, r.suppress_list != NULL);
	if (r.suppress_list)
		resolve_suppress(&r);
	if (r.filtering) {
		struct kct_filter *check;

		/* The kernel's checks, before anything runs. */
		err = kct_filter_new(&r.filter, &check);
		if (err == -E2BIG)
			usage_die("%s: --suppress: %u functions, more than KCOV_FILTER takes (%u)",
				  call->verb, r.filter.nr_ranges, KCT_FILTER_MAX_RANGES);
		if (err)
			die("%s: the filter: %s", call->verb, kct_strerror(err));
		kct_filter_free(check);
		fo.filter = &r.filter;
		st.filter = &r.filter;
	}
	if (fo.syscalls) {
		st.syscalls = true;
		st.wanted = r.wanted;
		st.nr_wanted = MAX_NR;
		st.all_syscalls = r.all_syscalls;
		st.matched = r.matched;
		st.is_syscall = is_syscall_pc;
		st.is_syscall_ctx = &r;
		st.string_args = syscall_string_args;
	}
	check_output(&r);
	if (fo.mode == KCT_MODE_TRACE_MEMORY_ACCESS)
		fo.memory_words = memory_record_words(call->verb);
	/* The kernel's identity, for replay to compare with its symbols;
	 * before the command runs, which it would only slow down. */
	r.kernel_id_len = kct_kernel_id_symbols("/proc/kallsyms", r.kernel_id, sizeof(r.kernel_id));
	if (r.remote)
		enable_remote(&r, fo.buffer_words);

	f = follow_new(&fo);
	if (!f)
		die("out of memory");
	err = follow_start(f, argv + optind);
	if (err)
		follow_failed(&r, f, call->verb);
	catch_stop_signals();
	following = 1;
	for (;;) {
		/* Asked to stop: the tasks are killed, and each exit comes as
		 * any killed task's, which ends its stream as usual. */
		if (stop_signal && !r.stopped) {
			r.stopped = stop_signal;
			follow_stop(f);
		}
		err = follow_next(f, &ev);
		/* A signal: stop_signal says whether to stop. */
		if (err == -EINTR)
			continue;
		if (err <= 0)
			break;
		/* A line each, as strace does, for the first few: a sandbox
		 * that starts many tasks says the same of each. */
		if (ev.type == FOLLOW_UNTRACED) {
			if (++r.untraced <= MAX_UNTRACED_WARNINGS)
				warn("task %d (%s) left untraced: %s", (int)ev.task->tid, ev.task->comm,
				     ev.why);
			continue;
		}
		if (ev.type == FOLLOW_NEW) {
			r.followed++;
			if (r.filtering)
				check_filter(&r, ev.task);
			if (r.followed == 1)
				open_writer(&r, ev.task);
			else if (ev.task->mode != r.mode)
				warn_classic(&r, ev.task->mode);
		}
		if (streams_event(&st, &ev))
			fail(&r, "out of memory");
	}
	following = 0;
	alarm(0);
	if (err < 0)
		follow_failed(&r, f, call->verb);
	status = follow_status(f);
	follow_free(f);
	r.end = st.clock + 1;
	if (r.remote_kcov)
		add_remote_sections(&r);

	if (r.stopped)
		kct_trace_writer_add_flags(r.writer, KCT_TRACE_F_INTERRUPTED);
	err = kct_trace_writer_commit(r.writer);
	if (err)
		die("record: %s: %s", r.output, kct_strerror(err));
	restore_stop_signals();
	/* What the file holds, as info counts it; live's file is not the
	 * user's business. */
	if (!call->output) {
		uint64_t tasks = task_count_nr(&r.tasks);

		fprintf(stderr, "kcovtrace: %s: %llu %s, %llu %s, %llu %s", r.output,
			(unsigned long long)r.streams, plural(r.streams, "stream", "streams"),
			(unsigned long long)r.records, plural(r.records, "record", "records"),
			(unsigned long long)tasks, plural(tasks, "task", "tasks"));
		if (fo.syscalls)
			fprintf(stderr, ", %llu %s matched", (unsigned long long)r.syscalls,
				plural(r.syscalls, "syscall", "syscalls"));
		if (r.remote)
			fprintf(stderr, ", %llu %s", (unsigned long long)r.sections,
				plural(r.sections, "remote section", "remote sections"));
		fputc('\n', stderr);
	}
	if (r.full)
		warn("a kcov buffer filled up: %llu %s lost records, how many the kernel does not say "
		     "(try --buffer)", (unsigned long long)r.full,
		     plural(r.full, "stream", "streams"));
	if (r.untraced > MAX_UNTRACED_WARNINGS)
		warn("%llu more tasks left untraced, as those above",
		     (unsigned long long)(r.untraced - MAX_UNTRACED_WARNINGS));
	if (fo.syscalls)
		warn_unmatched(&r);
	if (r.stopped)
		warn("the recording was stopped by %s before the command ended: its tasks were "
		     "killed, the trace says it was interrupted", stop_signal_name(r.stopped));
	kct_symbolizer_free(r.sym);
	task_count_free(&r.tasks);
	free(r.ranges);
	free(r.suppress_list);
	free(r.syscall_list);
	free(r.handles);
	/* As a shell reports a command killed by that signal; and main()
	 * dies of it too (kcovtrace's own stop signal: what a shell
	 * expects of a command that got one). */
	if (r.stopped)
		exit_signal = r.stopped;
	else if (WIFSIGNALED(status))
		exit_signal = WTERMSIG(status);
	if (exit_signal)
		return 128 + exit_signal;
	return WEXITSTATUS(status);
}

int cmd_record(int argc, char **argv)
{
	const struct record_call call = { .verb = "record", .usage = record_usage };

	return record_run(&call, argc, argv);
}
