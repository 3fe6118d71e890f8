// SPDX-License-Identifier: GPL-2.0-only
/* More records than hookrec's buffer holds (4M words): 2.5M calls, each an
 * entry and an exit, and blocks. */
#include "progs.h"

volatile int sink;

NOINLINE void leaf(int i)
{
	sink = i;
}

int main(void)
{
	for (int i = 0; i < 2500000; i++)
		leaf(i);
	return 0;
}
