// SPDX-License-Identifier: GPL-2.0-only
/* longjmp() leaves frames without returning: their exit records never come,
 * and the trace cannot balance.  The test expects the checker to notice. */
#include <setjmp.h>

#include "progs.h"

volatile int sink;
static jmp_buf env;

NOINLINE void dive(int n)
{
	if (n == 0)
		longjmp(env, 1);
	dive(n - 1);
	sink = n;
}

int main(void)
{
	if (!setjmp(env))
		dive(2);
	sink = 9;
	return 0;
}
