// SPDX-License-Identifier: GPL-2.0-only
#include "progs.h"

volatile int sink;

NOINLINE int descend(int n)
{
	int r;

	if (n == 0)
		return 0;
	r = descend(n - 1) + 1;
	sink = r;
	return r;
}

int main(void)
{
	return descend(3) == 3 ? 0 : 1;
}
