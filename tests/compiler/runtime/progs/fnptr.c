// SPDX-License-Identifier: GPL-2.0-only
#include "progs.h"

volatile int sink;

NOINLINE int add1(int x)
{
	return x + 1;
}

NOINLINE int dbl(int x)
{
	sink = x;
	return x * 2;
}

NOINLINE int neg(int x)
{
	return -x;
}

/* volatile: the calls must stay indirect at -O2 */
static int (*volatile ops[])(int) = { add1, dbl, neg, add1 };

int main(void)
{
	int v = 1;

	for (int i = 0; i < 4; i++)
		v = ops[i](v);
	return v == -3 ? 0 : 1;
}
