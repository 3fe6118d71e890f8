// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "syscalls.h"
#include "syscall-table.h"	/* generated: { "name", nr } pairs */

int syscall_number(const char *s)
{
	char *end;
	long nr = strtol(s, &end, 10);

	if (*s && !*end)
		return nr >= 0 && nr < 4096 ? (int)nr : -1;
	for (size_t i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]); i++)
		if (!strcmp(syscall_table[i].name, s))
			return syscall_table[i].nr;
	return -1;
}

/*
 * The arguments of a syscall that point to a path (or another string), as
 * strace shows them: bit n for argument n.  x86-64's calls that take one.
 */
static const struct {
	const char *name;
	uint32_t args;
} string_args[] = {
	{ "open", 1 << 0 }, { "creat", 1 << 0 }, { "openat", 1 << 1 }, { "openat2", 1 << 1 },
	{ "stat", 1 << 0 }, { "lstat", 1 << 0 }, { "newfstatat", 1 << 1 }, { "statx", 1 << 1 },
	{ "access", 1 << 0 }, { "faccessat", 1 << 1 }, { "faccessat2", 1 << 1 },
	{ "execve", 1 << 0 }, { "execveat", 1 << 1 }, { "chdir", 1 << 0 }, { "chroot", 1 << 0 },
	{ "mkdir", 1 << 0 }, { "mkdirat", 1 << 1 }, { "rmdir", 1 << 0 }, { "mknod", 1 << 0 },
	{ "mknodat", 1 << 1 }, { "unlink", 1 << 0 }, { "unlinkat", 1 << 1 },
	{ "rename", 1 << 0 | 1 << 1 }, { "renameat", 1 << 1 | 1 << 3 },
	{ "renameat2", 1 << 1 | 1 << 3 }, { "link", 1 << 0 | 1 << 1 },
	{ "linkat", 1 << 1 | 1 << 3 }, { "symlink", 1 << 0 | 1 << 1 },
	{ "symlinkat", 1 << 0 | 1 << 2 }, { "readlink", 1 << 0 }, { "readlinkat", 1 << 1 },
	{ "chmod", 1 << 0 }, { "fchmodat", 1 << 1 }, { "chown", 1 << 0 }, { "lchown", 1 << 0 },
	{ "fchownat", 1 << 1 }, { "truncate", 1 << 0 }, { "utime", 1 << 0 },
	{ "utimes", 1 << 0 }, { "utimensat", 1 << 1 }, { "futimesat", 1 << 1 },
	{ "mount", 1 << 0 | 1 << 1 | 1 << 2 }, { "umount2", 1 << 0 }, { "swapon", 1 << 0 },
	{ "swapoff", 1 << 0 }, { "acct", 1 << 0 }, { "pivot_root", 1 << 0 | 1 << 1 },
	{ "statfs", 1 << 0 }, { "getxattr", 1 << 0 | 1 << 1 }, { "lgetxattr", 1 << 0 | 1 << 1 },
	{ "setxattr", 1 << 0 | 1 << 1 }, { "lsetxattr", 1 << 0 | 1 << 1 },
	{ "listxattr", 1 << 0 }, { "llistxattr", 1 << 0 }, { "removexattr", 1 << 0 | 1 << 1 },
	{ "lremovexattr", 1 << 0 | 1 << 1 }, { "fgetxattr", 1 << 1 }, { "fsetxattr", 1 << 1 },
	{ "fremovexattr", 1 << 1 }, { "inotify_add_watch", 1 << 1 }, { "memfd_create", 1 << 0 },
	{ "sethostname", 1 << 0 }, { "setdomainname", 1 << 0 }, { "init_module", 1 << 2 },
	{ "finit_module", 1 << 1 }, { "delete_module", 1 << 0 }, { "open_tree", 1 << 1 },
	{ "move_mount", 1 << 1 | 1 << 3 }, { "fsopen", 1 << 0 }, { "fspick", 1 << 1 },
	{ "mount_setattr", 1 << 1 }, { "name_to_handle_at", 1 << 1 }, { "fanotify_mark", 1 << 4 },
	{ "quotactl", 1 << 1 },
};

uint32_t syscall_string_args(int nr)
{
	const char *name = syscall_name(nr);

	for (size_t i = 0; name && i < sizeof(string_args) / sizeof(string_args[0]); i++)
		if (!strcmp(string_args[i].name, name))
			return string_args[i].args;
	return 0;
}

const char *syscall_name(int nr)
{
	for (size_t i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]); i++)
		if (syscall_table[i].nr == nr)
			return syscall_table[i].name;
	return NULL;
}

/* Loosely: one name holds the other (stat, fstatat), or they differ in at
 * most two letters (getpid, getppid). */
static bool names_close(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[32], prev, tmp;

	if ((la >= 3 && strstr(b, a)) || (lb >= 3 && strstr(a, b)))
		return true;
	if (la >= sizeof(d) / sizeof(d[0]) || lb >= sizeof(d) / sizeof(d[0]))
		return false;
	/* Edit distance, one row at a time. */
	for (size_t j = 0; j <= lb; j++)
		d[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			tmp = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (tmp + 1 < d[j])
				d[j] = tmp + 1;
			prev = tmp;
		}
	}
	return d[lb] <= 2;
}

size_t similar_syscalls(const char *name, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]) && n < max; i++)
		if (strcmp(syscall_table[i].name, name) && names_close(name, syscall_table[i].name))
			out[n++] = syscall_table[i].name;
	return n;
}
