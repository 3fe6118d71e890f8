// SPDX-License-Identifier: GPL-2.0-only
// C++ exceptions: every frame the exception unwinds through records its
// exit, whether or not the frame had cleanups of its own.
#include "progs.h"

volatile int sink;

struct Guard {
	~Guard() { sink = 7; }
};

NOINLINE void thrower(int x)
{
	if (x > 0)
		throw x;
	sink = x;
}

NOINLINE void with_cleanup(int x)
{
	Guard g;

	thrower(x);
	sink = 2;
}

NOINLINE void without_cleanup(int x)
{
	thrower(x);
	sink = 3;
}

int main()
{
	int caught = 0;

	try {
		with_cleanup(1);
	} catch (int) {
		caught++;
	}
	try {
		without_cleanup(1);
	} catch (int) {
		caught++;
	}
	without_cleanup(0);
	return caught == 2 ? 0 : 1;
}
