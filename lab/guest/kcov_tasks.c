// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_tasks: a program of many tasks, for kcovtrace record's tests and
 * benchmark.
 *
 *   kcov_tasks
 *	4 threads and 2 forked children, each making a syscall of its own
 *	that no other task makes: the main task getppid(), the threads
 *	getuid(), getgid(), geteuid() and getegid(), the first child (of
 *	fork()) getsid(), the second (of vfork()) getpgid() after it exec'ed
 *	/proc/self/exe (so its comm is "exe").  Prints a line per task, "kcov_tasks: ROLE
 *	pid=P tid=T ppid=PP comm=C syscall=NAME", and exits with 0.
 *
 *   kcov_tasks --thread-exec
 *	A thread other than the main one makes getuid() and execs
 *	/proc/self/exe, which makes getpgid(), while the main thread waits:
 *	the exec kills it, and the thread takes over its tid.  Prints the
 *	thread's line before the exec ("kcov_tasks: thread ...") and the
 *	program's after ("kcov_tasks: execed ...").
 *
 *   kcov_tasks --calls
 *	One task, the same syscalls every time, each once warmed up: getppid(),
 *	a pipe write() and read(), an openat() and close() of a fixed file, and
 *	a read() into a fresh page, which faults in it.  For comparing filtered
 *	and unfiltered recordings (tests/lab/run).
 *
 *   kcov_tasks --pingpong OPS [--self-kcov WORDS]
 *	4 threads in 2 pairs, each pair passing a byte to and fro over two
 *	pipes OPS times; prints "kcov_tasks: pingpong OPS ops, X ns/op",
 *	the time of a round trip.  With --self-kcov, each thread enables
 *	KCOV_TRACE_PC_EXT for itself first, with a buffer of WORDS words,
 *	as kcovtrace record does for it: so the two compare what following
 *	the threads costs beyond recording them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define NR_THREADS 4

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "kcov_tasks: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ---- the tasks ---- */

static const struct {
	const char *name;
	long nr;
} thread_calls[NR_THREADS] = {
	{ "getuid", SYS_getuid }, { "getgid", SYS_getgid },
	{ "geteuid", SYS_geteuid }, { "getegid", SYS_getegid },
};

static pthread_barrier_t barrier;
static pid_t thread_tid[NR_THREADS];

static void *task_thread(void *arg)
{
	long i = (long)arg;

	thread_tid[i] = syscall(SYS_gettid);
	/* All four at once. */
	pthread_barrier_wait(&barrier);
	syscall(thread_calls[i].nr);
	return NULL;
}

static void read_comm(char *comm, size_t size)
{
	FILE *f = fopen("/proc/self/comm", "r");

	if (!f || !fgets(comm, size, f))
		fail("/proc/self/comm");
	comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

static int tasks(void)
{
	static char *exec_argv[] = { "kcov_tasks", "--exec-child", NULL };
	pthread_t threads[NR_THREADS];
	pid_t pid = getpid(), child[2];
	char comm[16];
	int status;
	long ppid;

	read_comm(comm, sizeof(comm));
	if (pthread_barrier_init(&barrier, NULL, NR_THREADS + 1))
		fail("pthread_barrier_init");
	for (long i = 0; i < NR_THREADS; i++)
		if (pthread_create(&threads[i], NULL, task_thread, (void *)i))
			fail("pthread_create");
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(threads[i], NULL);
	ppid = syscall(SYS_getppid);

	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		child[i] = i ? vfork() : fork();
		if (child[i] < 0)
			fail("fork");
		if (child[i] == 0 && i == 0) {
			syscall(SYS_getsid, 0);
			_exit(0);
		}
		if (child[i] == 0) {
			execve("/proc/self/exe", exec_argv, environ);
			_exit(127);
		}
	}
	for (int i = 0; i < 2; i++)
		if (waitpid(child[i], &status, 0) != child[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			fail("a child failed");

	printf("kcov_tasks: main pid=%d tid=%d ppid=%ld comm=%s syscall=getppid\n",
	       (int)pid, (int)pid, ppid, comm);
	for (int i = 0; i < NR_THREADS; i++)
		printf("kcov_tasks: thread%d pid=%d tid=%d ppid=%ld comm=%s syscall=%s\n", i,
		       (int)pid, (int)thread_tid[i], ppid, comm, thread_calls[i].name);
	printf("kcov_tasks: child0 pid=%d tid=%d ppid=%d comm=%s syscall=getsid\n",
	       (int)child[0], (int)child[0], (int)pid, comm);
	printf("kcov_tasks: child1 pid=%d tid=%d ppid=%d comm=exe syscall=getpgid\n",
	       (int)child[1], (int)child[1], (int)pid);
	return 0;
}

/* ---- a thread that execs ---- */

/* ppid without getppid(), which is the main task's own syscall above. */
static long read_ppid(void)
{
	FILE *f = fopen("/proc/self/stat", "r");
	long ppid = -1;

	if (!f || fscanf(f, "%*d (%*[^)]) %*c %ld", &ppid) != 1)
		fail("/proc/self/stat");
	fclose(f);
	return ppid;
}

static void *exec_thread(void *unused)
{
	static char *argv[] = { "kcov_tasks", "--exec-child", "--print", NULL };
	char comm[16];

	(void)unused;
	read_comm(comm, sizeof(comm));
	syscall(SYS_getuid);
	printf("kcov_tasks: thread pid=%d tid=%d ppid=%ld comm=%s syscall=getuid\n",
	       (int)getpid(), (int)syscall(SYS_gettid), read_ppid(), comm);
	fflush(stdout);
	execve("/proc/self/exe", argv, environ);
	fail("execve");
}

static int thread_exec(void)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, exec_thread, NULL))
		fail("pthread_create");
	for (;;)
		pause();
}

/* ---- the same calls every time ---- */

/*
 * A pipe write updates the pipe's times if the coarse clock moved since the
 * last one: after 20 ms it has, however long tracing made the calls take.
 */
static ssize_t timed_write(int fd, const char *c)
{
	usleep(20000);
	return write(fd, c, 1);
}

static void calls_once(int p[2], bool fault)
{
	char c = 'x', *page;
	int fd;

	syscall(SYS_getppid);
	if (timed_write(p[1], &c) != 1 || read(p[0], &c, 1) != 1)
		fail("pipe");
	fd = openat(AT_FDCWD, "/init", O_RDONLY);
	if (fd < 0)
		fail("openat /init");
	close(fd);
	if (!fault)
		return;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || timed_write(p[1], &c) != 1 || read(p[0], page, 1) != 1)
		fail("a read into a fresh page");
}

static int calls(void)
{
	int p[2];

	if (pipe(p))
		fail("pipe");
	/* The first calls fault in what later ones find ready. */
	calls_once(p, false);
	calls_once(p, true);
	return 0;
}

/* ---- the benchmark ---- */

static long ops;
static unsigned long self_kcov;

struct pair_end {
	int in, out;
	bool starts;
};

static void enable_kcov(void)
{
	unsigned long *cover;
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);

	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, self_kcov))
		fail("kcov");
	cover = mmap(NULL, self_kcov * sizeof(*cover), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC_EXT))
		fail("kcov");
	cover[0] = 0;
}

static void *pingpong_thread(void *arg)
{
	struct pair_end *e = arg;
	char c = 0;

	if (self_kcov)
		enable_kcov();
	pthread_barrier_wait(&barrier);
	for (long i = 0; i < ops; i++) {
		if (e->starts && write(e->out, &c, 1) != 1)
			fail("write");
		if (read(e->in, &c, 1) != 1)
			fail("read");
		if (!e->starts && write(e->out, &c, 1) != 1)
			fail("write");
	}
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int pingpong(void)
{
	struct pair_end ends[NR_THREADS];
	pthread_t threads[NR_THREADS];
	uint64_t t0;

	for (int p = 0; p < NR_THREADS / 2; p++) {
		int ab[2], ba[2];

		if (pipe(ab) || pipe(ba))
			fail("pipe");
		ends[2 * p] = (struct pair_end){ .in = ba[0], .out = ab[1], .starts = true };
		ends[2 * p + 1] = (struct pair_end){ .in = ab[0], .out = ba[1] };
	}
	if (pthread_barrier_init(&barrier, NULL, NR_THREADS + 1))
		fail("pthread_barrier_init");
	for (int i = 0; i < NR_THREADS; i++)
		if (pthread_create(&threads[i], NULL, pingpong_thread, &ends[i]))
			fail("pthread_create");
	pthread_barrier_wait(&barrier);
	t0 = now_ns();
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(threads[i], NULL);
	printf("kcov_tasks: pingpong %ld ops, %.0f ns/op\n", ops, (double)(now_ns() - t0) / ops);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--exec-child")) {
		char comm[16];

		syscall(SYS_getpgid, 0);
		read_comm(comm, sizeof(comm));
		if (argc == 3 && !strcmp(argv[2], "--print"))
			printf("kcov_tasks: execed pid=%d tid=%d ppid=%ld comm=%s syscall=getpgid\n",
			       (int)getpid(), (int)syscall(SYS_gettid), read_ppid(), comm);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--thread-exec"))
		return thread_exec();
	if (argc == 2 && !strcmp(argv[1], "--calls"))
		return calls();
	if (argc >= 3 && !strcmp(argv[1], "--pingpong")) {
		ops = atol(argv[2]);
		if (argc == 5 && !strcmp(argv[3], "--self-kcov"))
			self_kcov = strtoul(argv[4], NULL, 0);
		else if (argc != 3)
			goto usage;
		if (ops <= 0)
			goto usage;
		return pingpong();
	}
	if (argc == 1)
		return tasks();
usage:
	fprintf(stderr, "usage: kcov_tasks [--thread-exec | --calls | --pingpong OPS [--self-kcov WORDS]]\n");
	return 2;
}
