// SPDX-License-Identifier: GPL-2.0-only
#include "progs.h"

volatile int sink;

NOINLINE int helper(int x)
{
	sink = x;
	return x * 3;
}

NOINLINE int decode(int op)
{
	switch (op) {
	case 0:
		return 10;
	case 1:
		sink = 1;
		break;
	case 2:
		return 12;
	case 3:
		return helper(op) + 1;
	case 4:
		sink = 4;
		/* fall through */
	case 5:
		return 15;
	case 6:
		sink = 6;
		break;
	case 7:
		return 17;
	default:
		return -1;
	}
	return op;
}

int main(void)
{
	int sum = 0;

	for (int op = 0; op <= 8; op++)
		sum += decode(op);
	return sum == 10 + 1 + 12 + 10 + 15 + 15 + 6 + 17 - 1 ? 0 : 1;
}
