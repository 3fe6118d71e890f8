// SPDX-License-Identifier: GPL-2.0-only
/* An always_inline function has no frame of its own: its blocks belong to
 * the function it was inlined into. */
#include "progs.h"

volatile int sink;

static inline __attribute__((always_inline)) int twice(int x)
{
	if (x > 10)
		sink = x;
	return 2 * x;
}

NOINLINE int outer(int x)
{
	return twice(x) + twice(x + 20);
}

int main(void)
{
	return outer(3) == 52 ? 0 : 1;
}
