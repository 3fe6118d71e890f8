// SPDX-License-Identifier: GPL-2.0-only
/* trace-cmp next to entry/exit: comparisons still reach their hooks. */
#include "progs.h"

volatile int sink;

NOINLINE int pick(int a, int b)
{
	if (a < b) {
		sink = 1;
		return b;
	}
	sink = 2;
	return a;
}

int main(int argc, char **argv)
{
	(void)argv;
	sink = pick(argc, 5);
	return 0;
}
