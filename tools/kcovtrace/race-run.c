// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running a race test case (race-run.h), as Project Zero's MAccConc runs
 * one: in a child process, thread 1 on CPU 0 and thread 2 on CPU 1, each
 * with a kcov instance of its own in KCOV_TRACE_MEMORY_ACCESS, enabled just
 * before its test function and its stream started right after
 * KCOV_ENABLE returns, so that the stream counts calls as the kernel's
 * delay injection does (kcov.rst: "the outermost calls of the task's
 * syscalls ... after KCOV_ENABLE are counted among the calls of one root
 * frame").
 *
 * The orders:
 *   sequential  thread 2 waits (in userspace) until thread 1 is done;
 *   concurrent  both start together, nothing forced;
 *   A-B-A       thread 1's instance has two stacks at the chosen access,
 *               DI_STACK_WAKE_PRE of bit 0 and DI_STACK_WAIT for bit 1:
 *               thread 2 waits for bit 0 (KCOV_SPINWAIT_DI_FLAG), runs,
 *               and sets bit 1 (KCOV_WAKE_DI_FLAG), so that thread 1 makes
 *               the access after the whole of thread 2;
 *   B-A-B       the same with the roles swapped.
 * The waiting thread waits before it enables its own instance, so its
 * stream too starts at its test function.  Both instances share one set of
 * flag bits (sync_bits_fd), so that each can have its own spin limit: the
 * stopped thread's large (the kernel gives up after one second anyway),
 * the waiting thread's small, for it to look between its waits whether
 * the stopped thread finished without reaching the access.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kcov_uapi.h"
#include "messages.h"
#include "race-run.h"

_Static_assert(sizeof(struct kcov_di_stack) == 24, "struct kcov_di_stack is 24 bytes");
_Static_assert(sizeof(struct kcov_set_di_arg) == 24, "struct kcov_set_di_arg is 24 bytes");
_Static_assert(sizeof(struct race_elem) == sizeof(struct kcov_di_stack_elem),
	       "struct race_elem is laid out as struct kcov_di_stack_elem");

/* The waiting thread's spin limit, between its looks at the other. */
#define WAITER_SPIN_LIMIT 100000

extern char **environ;

/* ---- the test case ---- */

static void *need_sym(const struct race_case *c, const char *name)
{
	void *p = dlsym(c->dl, name);

	if (!p)
		die("race: %s: no %s() (a test case exports test_setup, test_thread1, test_thread2 "
		    "and test_end)", c->path, name);
	return p;
}

/* Compiles the .c file path into dir/testcase.so; dies if it cannot. */
static void compile_case(const char *path, const char *so)
{
	const char *cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
	char *argv[] = {
		(char *)cc, "-shared", "-fPIC", "-O2", "-o", (char *)so, (char *)path, NULL,
	};
	int status, err;
	pid_t pid;

	fflush(NULL);
	err = posix_spawnp(&pid, cc, NULL, NULL, argv, environ);
	if (err == ENOENT)
		die("race: cannot compile %s: no C compiler (%s); give the test case as a .so",
		    path, cc);
	if (err)
		die("race: cannot compile %s: %s: %s", path, cc, strerror(err));
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		die("race: cannot compile %s: %s -shared -fPIC -O2 failed", path, cc);
}

void race_case_load(struct race_case *c, const char *path)
{
	const char *tmp = getenv("TMPDIR");
	size_t len = strlen(path);
	char *open_path = NULL;
	bool compiled = false;

	memset(c, 0, sizeof(*c));
	c->path = path;
	if (access(path, R_OK))
		die("race: %s: %s", path, strerror(errno));
	if (len > 2 && !strcmp(path + len - 2, ".c")) {
		char *slash;

		if (!tmp || !*tmp)
			tmp = "/tmp";
		if (asprintf(&open_path, "%s/kcovtrace-race.XXXXXX/testcase.so", tmp) < 0)
			die("out of memory");
		slash = strrchr(open_path, '/');
		*slash = '\0';
		if (!mkdtemp(open_path))
			die("race: %s: %s", open_path, strerror(errno));
		*slash = '/';
		compile_case(path, open_path);
		compiled = true;
	} else if (asprintf(&open_path, "%s%s", strchr(path, '/') ? "" : "./", path) < 0) {
		/* dlopen() searches the library path for a bare name. */
		die("out of memory");
	}
	c->dl = dlopen(open_path, RTLD_NOW | RTLD_LOCAL);
	if (compiled) {
		unlink(open_path);
		*strrchr(open_path, '/') = '\0';
		rmdir(open_path);
	}
	free(open_path);
	if (!c->dl) {
		const char *why = dlerror();

		die("race: cannot load %s: %s", path, why ? why : "dlopen() failed");
	}
	c->setup = (void (*)(void))need_sym(c, "test_setup");
	c->thread[0] = (void (*)(void))need_sym(c, "test_thread1");
	c->thread[1] = (void (*)(void))need_sym(c, "test_thread2");
	c->end = (void (*)(void))need_sym(c, "test_end");
	c->outcome = (int (*)(char *, size_t))dlsym(c->dl, "test_outcome");
}

const char *race_order_name(enum race_order o)
{
	switch (o) {
	case RACE_SEQUENTIAL:
		return "sequential";
	case RACE_CONCURRENT:
		return "concurrent";
	case RACE_ABA:
		return "aba";
	case RACE_BAB:
		return "bab";
	}
	return "?";
}

/* ---- kcov instances ---- */

/* What the child leaves for the parent. */
struct shared {
	uint64_t count[2];
	int32_t tid[2];
	int done[2];
	int err[2];		/* KCOV_ENABLE's errno */
	bool full[2];
	int has_test;
	char test[RACE_OUTCOME_MAX];
};

struct race_runner {
	struct kct_session *kcov[2];
	uint32_t memory_words;
	uint64_t spin_limit;
	unsigned int timeout;
	bool has_di;
	int kmsg;
	struct shared *sh;
	uint8_t kernel_id[KCT_KERNEL_ID_MAX];
	int kernel_id_len;
};

static int set_di(struct race_runner *r, int i, const struct race_elem *stack, size_t n,
		  int sync_fd, uint64_t spin_limit)
{
	struct kcov_di_stack di[2];
	struct kcov_set_di_arg arg = {
		.sync_bits_fd = sync_fd,
		.spin_limit = spin_limit,
	};

	if (n) {
		memset(di, 0, sizeof(di));
		for (int k = 0; k < 2; k++) {
			di[k].elems = (uintptr_t)stack;
			di[k].num_elems = (uint32_t)n;
		}
		/* Bit 0 lets the other thread go, then the access waits for
		 * bit 1: stacks act in the order given. */
		di[0].type = DI_STACK_WAKE_PRE;
		di[0].flagidx = 0;
		di[1].type = DI_STACK_WAIT;
		di[1].flagidx = 1;
		arg.stacks = (uintptr_t)di;
		arg.num_stacks = 2;
	}
	return ioctl(kct_session_fd(r->kcov[i]), KCOV_SET_DI, &arg) ? -errno : 0;
}

struct race_runner *race_runner_open(const struct race_runner_opts *opts)
{
	KCT_OPTS(kct_session_opts, so,
		 .buffer_words = opts->buffer_words ? opts->buffer_words : 1 << 20);
	struct race_runner *r = calloc(1, sizeof(*r));
	int err, words;

	if (!r)
		die("out of memory");
	r->spin_limit = opts->spin_limit ? opts->spin_limit : RACE_SPIN_LIMIT_DEFAULT;
	r->timeout = opts->timeout ? opts->timeout : 60;
	for (int i = 0; i < 2; i++) {
		err = kct_session_open(&so, &r->kcov[i]);
		if (err)
			die("race: cannot open kcov (/sys/kernel/debug/kcov): %s",
			    kct_strerror(err));
	}
	words = kct_session_memory_record_words(r->kcov[0]);
	if (words == -ENOTTY || words == -EINVAL || words == -ENOTSUPP || words == -EOPNOTSUPP)
		die("race: this kernel has no KCOV_TRACE_MEMORY_ACCESS "
		    "(KCOV_GET_MEMORY_RECORD_SIZE: %s)", kct_strerror(words));
	if (words < 0)
		die("race: KCOV_GET_MEMORY_RECORD_SIZE: %s", kct_strerror(words));
	r->memory_words = (uint32_t)words;
	/* Both instances on instance 0's bits. */
	err = set_di(r, 0, NULL, 0, -1, WAITER_SPIN_LIMIT);
	if (!err)
		err = set_di(r, 1, NULL, 0, kct_session_fd(r->kcov[0]), WAITER_SPIN_LIMIT);
	r->has_di = !err;
	if (err && opts->need_di) {
		if (err == -ENOTTY || err == -EOPNOTSUPP || err == -ENOTSUPP || err == -EINVAL)
			die("race: this kernel has no delay injection (KCOV_SET_DI: %s)",
			    kct_strerror(err));
		die("race: KCOV_SET_DI: %s", kct_strerror(err));
	}
	r->sh = mmap(NULL, sizeof(*r->sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->sh == MAP_FAILED)
		die("race: mmap: %s", strerror(errno));
	/* The kernel's reports: none where there is no /dev/kmsg to read. */
	r->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->kmsg < 0)
		warn("race: cannot read the kernel log (/dev/kmsg: %s): outcomes are the test case's "
		     "only", strerror(errno));
	r->kernel_id_len = kct_kernel_id_symbols("/proc/kallsyms", r->kernel_id, sizeof(r->kernel_id));
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		warn("race: one CPU: the two threads take turns on it (a stopped thread spins until "
		     "the scheduler preempts it)");
	return r;
}

void race_runner_close(struct race_runner *r)
{
	if (!r)
		return;
	for (int i = 0; i < 2; i++)
		kct_session_close(r->kcov[i]);
	if (r->kmsg >= 0)
		close(r->kmsg);
	munmap(r->sh, sizeof(*r->sh));
	free(r);
}

uint32_t race_runner_memory_words(const struct race_runner *r)
{
	return r->memory_words;
}

const uint64_t *race_runner_records(const struct race_runner *r, int i)
{
	return kct_session_records(r->kcov[i]);
}

/* ---- the child ---- */

struct child {
	struct race_runner *r;
	const struct race_case *c;
	enum race_order o;
	int target;		/* the stopped thread, -1 for none */
	pthread_barrier_t start;
	sem_t turn;
};

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* On one CPU, the threads share it. */
	(void)sched_setaffinity(0, sizeof(set), &set);
}

static void run_thread(struct child *ch, int i)
{
	KCT_OPTS(kct_enable_opts, eo, .mode = KCT_MODE_TRACE_MEMORY_ACCESS);
	struct kct_session *s = ch->r->kcov[i];
	struct shared *sh = ch->r->sh;
	int fd = kct_session_fd(s), err;
	bool waiter = ch->target >= 0 && ch->target != i;

	pin_to(i);
	pthread_barrier_wait(&ch->start);
	if (ch->o == RACE_SEQUENTIAL && i == 1) {
		while (sem_wait(&ch->turn) && errno == EINTR)
			;
	}
	/* Until the other thread stops at the access (it sets bit 0), or
	 * finishes without reaching it. */
	if (waiter) {
		while (ioctl(fd, KCOV_SPINWAIT_DI_FLAG, 0) &&
		       !__atomic_load_n(&sh->done[ch->target], __ATOMIC_ACQUIRE))
			;
	}
	sh->tid[i] = gettid();
	err = kct_session_enable(s, &eo);
	if (err) {
		sh->err[i] = -err;
	} else {
		/* The stream starts here, in userspace, as the kernel's
		 * counting does. */
		kct_session_reset(s);
		ch->c->thread[i]();
		sh->count[i] = kct_session_count(s);
		sh->full[i] = kct_session_full(s);
		kct_session_disable(s);
	}
	__atomic_store_n(&sh->done[i], 1, __ATOMIC_RELEASE);
	if (ch->o == RACE_SEQUENTIAL && i == 0)
		sem_post(&ch->turn);
	if (waiter)
		ioctl(fd, KCOV_WAKE_DI_FLAG, 1);
}

static void *thread2_main(void *arg)
{
	run_thread(arg, 1);
	return NULL;
}

static void __attribute__((noreturn)) child_main(struct child *ch)
{
	pthread_t t;

	alarm(ch->r->timeout);
	if (pthread_barrier_init(&ch->start, NULL, 2) || sem_init(&ch->turn, 0, 0))
		_exit(125);
	ch->c->setup();
	if (pthread_create(&t, NULL, thread2_main, ch))
		_exit(126);
	run_thread(ch, 0);
	pthread_join(t, NULL);
	if (ch->c->outcome) {
		ch->r->sh->test[0] = '\0';
		ch->c->outcome(ch->r->sh->test, sizeof(ch->r->sh->test));
		ch->r->sh->test[sizeof(ch->r->sh->test) - 1] = '\0';
		ch->r->sh->has_test = 1;
	}
	ch->c->end();
	fflush(NULL);
	_exit(0);
}

/* ---- the kernel's reports ---- */

static bool report_line(const char *msg)
{
	static const char *const words[] = { "KASAN", "WARNING", "BUG", "general protection", "Oops" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(msg, words[i]))
			return true;
	return false;
}

/* The records the kernel logged since the last call: one per read(). */
static void read_kmsg(struct race_runner *r, struct race_result *res)
{
	char buf[8192];

	if (r->kmsg < 0)
		return;
	for (;;) {
		ssize_t n = read(r->kmsg, buf, sizeof(buf) - 1);
		char *msg, *nl;

		if (n < 0 && errno == EPIPE)	/* overwritten before read */
			continue;
		if (n <= 0)
			break;
		buf[n] = '\0';
		msg = strchr(buf, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if (!report_line(msg))
			continue;
		if (!res->kernel_lines++)
			snprintf(res->kernel, sizeof(res->kernel), "%s", msg);
	}
}

/* ---- a run ---- */

int race_run(struct race_runner *r, const struct race_case *c, enum race_order o,
	     const struct race_elem *stack, size_t n, struct race_result *res)
{
	struct child ch = { .r = r, .c = c, .o = o, .target = -1 };
	int err, status;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	res->order = o;
	if (o == RACE_ABA || o == RACE_BAB) {
		int t = o == RACE_ABA ? 0 : 1;

		ch.target = t;
		if (!r->has_di) {
			snprintf(res->error, sizeof(res->error),
				 "this kernel has no delay injection (KCOV_SET_DI)");
			return -1;
		}
		err = set_di(r, t, stack, n, kct_session_fd(r->kcov[!t]), r->spin_limit);
		if (!err)
			err = set_di(r, !t, NULL, 0, kct_session_fd(r->kcov[t]), WAITER_SPIN_LIMIT);
		if (err) {
			snprintf(res->error, sizeof(res->error), "KCOV_SET_DI: %s", kct_strerror(err));
			set_di(r, t, NULL, 0, kct_session_fd(r->kcov[!t]), WAITER_SPIN_LIMIT);
			return -1;
		}
	}
	if (r->has_di)
		ioctl(kct_session_fd(r->kcov[0]), KCOV_RESET_DI_FLAGS, 0);
	memset(r->sh, 0, sizeof(*r->sh));
	if (r->kmsg >= 0)
		lseek(r->kmsg, 0, SEEK_END);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(res->error, sizeof(res->error), "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid)
		child_main(&ch);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 0;
			break;
		}
	}
	res->pid = pid;
	res->status = status;
	read_kmsg(r, res);
	if (ch.target >= 0)
		set_di(r, ch.target, NULL, 0, kct_session_fd(r->kcov[!ch.target]), WAITER_SPIN_LIMIT);
	for (int i = 0; i < 2; i++) {
		res->tid[i] = r->sh->tid[i];
		res->count[i] = r->sh->count[i];
		res->full[i] = r->sh->full[i];
		if (r->sh->err[i]) {
			snprintf(res->error, sizeof(res->error), "thread %d: KCOV_ENABLE: %s", i + 1,
				 strerror(r->sh->err[i]));
			return -1;
		}
	}
	if (r->sh->has_test)
		snprintf(res->test, sizeof(res->test), "%s", r->sh->test);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		snprintf(res->error, sizeof(res->error), "the run took more than %u s: killed",
			 r->timeout);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 125) {
		snprintf(res->error, sizeof(res->error), "the run could not start its threads");
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		err = race_trace_build(&res->trace[i], race_runner_records(r, i), res->count[i],
				       r->memory_words);
		if (err) {
			snprintf(res->error, sizeof(res->error), "thread %d's records: %s", i + 1,
				 kct_strerror(err));
			race_result_free(res);
			return -1;
		}
	}
	return 0;
}

void race_result_free(struct race_result *res)
{
	race_trace_free(&res->trace[0]);
	race_trace_free(&res->trace[1]);
}

const char *race_outcome(const struct race_result *res, char *buf, size_t size)
{
	char status[64] = "";
	size_t len = 0;

	buf[0] = '\0';
	/* A test case that dies has an outcome too. */
	if (WIFSIGNALED(res->status))
		snprintf(status, sizeof(status), "killed by signal %d", WTERMSIG(res->status));
	else if (WIFEXITED(res->status) && WEXITSTATUS(res->status))
		snprintf(status, sizeof(status), "exit %d", WEXITSTATUS(res->status));
	if (res->test[0])
		len += snprintf(buf + len, size - len, "test: %s", res->test);
	if (status[0] && len < size)
		len += snprintf(buf + len, size - len, "%s%s", len ? "; " : "", status);
	if (res->kernel[0] && len < size)
		snprintf(buf + len, size - len, "%skernel: %s", len ? "; " : "", res->kernel);
	return buf;
}

void race_write_trace(const struct race_runner *r, const struct race_result *res,
		      const char *path, const char *testcase, const char *stack)
{
	char note_case[600], note_order[64], note_stack[4200];
	const char *notes[4] = { note_case, note_order, NULL, NULL };
	struct kct_trace_writer_opts wopts = {
		.sz = sizeof(wopts),
		.mode = KCT_MODE_TRACE_MEMORY_ACCESS,
		.pc_fill = KCT_PC_FILL_KERNEL,
		.buffer_words = kct_session_buffer_words(r->kcov[0]),
		.notes = notes,
	};
	struct kct_trace_writer *w;
	struct utsname u;
	int err;

	snprintf(note_case, sizeof(note_case), "race.testcase=%s", testcase);
	snprintf(note_order, sizeof(note_order), "race.order=%s", race_order_name(res->order));
	if (stack) {
		snprintf(note_stack, sizeof(note_stack), "race.stack=%s", stack);
		notes[2] = note_stack;
	}
	if (!uname(&u))
		wopts.kernel_release = u.release;
	if (r->kernel_id_len > 0) {
		wopts.kernel_id = r->kernel_id;
		wopts.kernel_id_len = (uint32_t)r->kernel_id_len;
		wopts.kernel_id_kind = KCT_KERNEL_ID_SYMBOLS;
	}
	err = kct_trace_writer_open(path, &wopts, &w);
	if (err)
		die("race: %s: %s", path, kct_strerror(err));
	for (int i = 0; i < 2; i++) {
		struct kct_stream_opts so = {
			.sz = sizeof(so),
			.kind = KCT_STREAM_KIND_TASK,
			.seq = (uint64_t)i,
			.pid = res->pid,
			.tid = res->tid[i],
			.mode = KCT_MODE_TRACE_MEMORY_ACCESS,
			.comm = i ? "test_thread2" : "test_thread1",
			.memory_record_words = r->memory_words,
		};

		if (res->full[i]) {
			so.flags |= KCT_STREAM_F_OVERFLOW;
			so.lost = KCT_LOST_UNKNOWN;
		}
		err = kct_trace_writer_add(w, &so, race_runner_records(r, i), res->count[i]);
		if (err) {
			kct_trace_writer_abort(w);
			die("race: %s: %s", path, kct_strerror(err));
		}
	}
	err = kct_trace_writer_commit(w);
	if (err)
		die("race: %s: %s", path, kct_strerror(err));
}
