/* SPDX-License-Identifier: GPL-2.0-only */
/* Test programs: each has a call tree that its source alone determines. */
#define NOINLINE __attribute__((noinline))
/* Stores to sink keep calls out of tail position and code from folding. */
extern volatile int sink;
