/* SPDX-License-Identifier: GPL-2.0-only */
/* Syscalls: x86-64 numbers, from the C library's headers (syscalls.c). */
#ifndef KCOVTRACE_SYSCALLS_H
#define KCOVTRACE_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>

int syscall_number(const char *name_or_number);
const char *syscall_name(int nr);
/* Bit n: the syscall's argument n points to a string (a path). */
uint32_t syscall_string_args(int nr);
/* Up to max names of the table close to name (not name itself). */
size_t similar_syscalls(const char *name, const char **out, size_t max);

#endif
