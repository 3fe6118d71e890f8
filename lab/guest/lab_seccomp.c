// SPDX-License-Identifier: GPL-2.0-only
/*
 * lab_seccomp: a sandbox as a seccomp filter makes one, for kcovtrace
 * record's tests.  Installs a filter that kills the process
 * (SECCOMP_RET_KILL_PROCESS) at ioctl(KCOV_ENABLE), and nothing else, then
 * runs COMMAND in a child, which inherits the filter, and exits with its
 * status (128 + N if a signal killed it).
 *
 *   lab_seccomp COMMAND [ARGS...]
 *
 * Exits 77 if the kernel has no seccomp filters (CONFIG_SECCOMP_FILTER).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define KCOV_ENABLE	_IO('c', 100)

int main(int argc, char **argv)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 3),
		/* The request's low 32 bits (little-endian), all it has. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KCOV_ENABLE, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };
	int status;
	pid_t pid;

	if (argc < 2)
		return fprintf(stderr, "usage: lab_seccomp COMMAND [ARGS...]\n"), 2;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		fprintf(stderr, "lab_seccomp: a seccomp filter: %s\n", strerror(errno));
		return errno == EINVAL ? 77 : 1;
	}
	pid = fork();
	if (pid < 0)
		return perror("fork"), 1;
	if (!pid) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return perror("waitpid"), 1;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
