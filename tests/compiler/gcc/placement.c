// SPDX-License-Identifier: GPL-2.0-only
/*
 * Functions whose hooks tests/compiler/gcc/run finds in GCC's assembly.
 * What each must show is written next to it; the callees are defined
 * elsewhere, so that GCC cannot look into them.
 */
#include <stdlib.h>

extern volatile int sink;

void take(int x);
int give(int x);
__attribute__((noreturn)) void fatal(int why);
__attribute__((cold)) void report(int x);

/* Three returns: each path out calls the exit hook.  (At -O2 GCC gives
 * each its own ret.) */
int several_returns(int x)
{
	if (x < 0) {
		sink = 1;
		return give(x);
	}
	if (x > 10) {
		sink = 2;
		return 5;
	}
	sink = x;
	return x * 3;
}

/* Returns from a switch. */
int switch_returns(int x)
{
	switch (x) {
	case 0:
		return give(1);
	case 1:
		sink = 4;
		return 7;
	case 2:
		return give(9) + 1;
	}
	return 0;
}

/* Ends in a call: a sibling call "jmp take" without the exit hook's
 * barrier; the exit hook must come after take() returns. */
void ends_in_call(int x)
{
	take(x);
}

/* The same with a value. */
int returns_call(int x)
{
	return give(x + 1);
}

/* The body is a loop: its first block is the loop's header, entered again
 * from the back edge.  The entry hook must run once, before the loop. */
int starts_with_loop(int n)
{
	int steps = 0;

	do {
		n = n & 1 ? 3 * n + 1 : n / 2;
		steps++;
	} while (n > 1);
	return steps;
}

/* A loop with its test first: without optimization, the loop's header is
 * the first block, which GCC's own hook in it would make a loop entry. */
void waits_for(int n)
{
	for (;;) {
		if (sink == n)
			return;
		sink++;
	}
}

/* An unlikely early return: at -O2 GCC moves the unlikely path into
 * unlikely_return.cold. */
int unlikely_return(int x)
{
	if (__builtin_expect(x < 0, 0)) {
		report(x);
		return -1;
	}
	sink = x;
	return x * 2;
}

/* Paths that end in noreturn calls leave without an exit hook. */
void noreturn_paths(int x)
{
	if (x < 0)
		abort();
	if (x > 100)
		fatal(x);
	sink = x;
}

/* Its first block ends in a noreturn call, so it never returns: no hook
 * at all, as LLVM's SanitizerCoverage does (an entry would have no exit;
 * the kernel's __x64_sys_exit_group() is one). */
void never_returns(int x)
{
	sink = x;
	fatal(x);
}

/* Excluded from coverage: no hook at all. */
__attribute__((no_sanitize_coverage)) int excluded(int x)
{
	if (x < 0)
		return give(x);
	sink = x;
	return 0;
}

/* The kernel's noinstr, as GCC sees it. */
__attribute__((no_sanitize_coverage, section(".noinstr.text"))) int noinstr_like(int x)
{
	if (x < 0)
		return give(x);
	sink = x;
	return 0;
}

/* naked: the asm is the whole function, with its own ret.  A hook call
 * would clobber the argument registers the asm may read, and an entry hook
 * would have no exit: no hook at all, as with clang. */
__attribute__((naked)) void naked_fn(void)
{
	__asm__("ret");
}

/* no_instrument_function is about -finstrument-functions; GCC's sancov
 * gate looks at no_sanitize_coverage only, so this one is instrumented. */
__attribute__((no_instrument_function)) int not_for_finstrument(int x)
{
	if (x < 0)
		return give(x);
	sink = x;
	return 0;
}
