// SPDX-License-Identifier: GPL-2.0-only
#include "progs.h"

volatile int sink;

NOINLINE int classify(int x)
{
	if (x < 0) {
		sink = 1;
		return -1;
	}
	if (x == 0) {
		sink = 2;
		return 0;
	}
	if (x > 100) {
		sink = 3;
		return 2;
	}
	sink = 4;
	return 1;
}

int main(void)
{
	int sum = classify(-5) + classify(0) + classify(500) + classify(7);

	return sum == 2 ? 0 : 1;
}
