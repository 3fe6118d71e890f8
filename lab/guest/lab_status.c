// SPDX-License-Identifier: GPL-2.0-only
/*
 * lab_status: how a command ended, as its parent's wait() tells it, where a
 * shell's $? cannot (143 is exit(143) as well as SIGTERM).
 *
 *   lab_status COMMAND [ARGS...]
 *
 * Output: "exit N", or "signal N" (and " core" if it dumped core); exits 0,
 * or 127 if COMMAND could not be run.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2)
		return fprintf(stderr, "usage: lab_status COMMAND [ARGS...]\n"), 2;
	pid = fork();
	if (pid < 0)
		return perror("fork"), 127;
	if (!pid) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return perror("waitpid"), 127;
	if (WIFSIGNALED(status))
		printf("signal %d%s\n", WTERMSIG(status), WCOREDUMP(status) ? " core" : "");
	else
		printf("exit %d\n", WEXITSTATUS(status));
	return 0;
}
