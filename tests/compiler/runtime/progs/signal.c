// SPDX-License-Identifier: GPL-2.0-only
/* A synchronous signal: the handler's frame nests inside the function that
 * raised it, since raise() itself is not instrumented. */
#include <signal.h>

#include "progs.h"

volatile int sink;

static NOINLINE void on_usr1(int sig)
{
	sink = sig;
}

NOINLINE void trigger(void)
{
	raise(SIGUSR1);
	sink++;
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	trigger();
	return 0;
}
