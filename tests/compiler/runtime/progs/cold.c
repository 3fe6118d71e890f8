// SPDX-License-Identifier: GPL-2.0-only
/*
 * An unlikely path: at -O2 GCC moves it into a section of its own, as a
 * symbol "check.cold" next to "check".  Its records still belong to the
 * frame of check().
 */
#include "progs.h"

volatile int sink;

__attribute__((cold)) NOINLINE void report(int x)
{
	sink = x;
}

NOINLINE int check(int x)
{
	if (__builtin_expect(x < 0, 0)) {
		report(x);
		sink = 1;
		return -1;
	}
	sink = x;
	return x * 2;
}

int main(void)
{
	return check(-3) + check(2) == 3 ? 0 : 1;
}
