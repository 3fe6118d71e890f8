// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ways out of a function that are not a plain return, and functions GCC
 * makes or names itself, for the GCC plugin: each must leave a balanced
 * trace (hookcheck), whatever the optimization level.
 *
 *  - show_a() and show_b() are the same code with their addresses taken, as
 *    in a kernel ops table: GCC's identical code folding (-O2, -Os) keeps
 *    one and makes the other a wrapper whose call it has marked a tail call
 *    before sancov runs; the wrapper is a frame, and must leave through its
 *    exit hook, not by a jmp;
 *  - forward() passes its arguments on with __builtin_apply() and returns
 *    with __builtin_return(), which jumps to the function's epilogue;
 *  - escape() leaves its nested function hop() by a non-local goto;
 *  - __sanitizer_cov_demo() is named as the coverage runtime's functions
 *    are, which SanitizerCoverage never instruments (LLVM's rule).
 */
#include <stdio.h>

volatile int sink;

struct seq {
	int n;
};

static int show_a(struct seq *s)
{
	s->n += 3;
	sink = s->n;
	return s->n * 7 + sink;
}

static int show_b(struct seq *s)
{
	s->n += 3;
	sink = s->n;
	return s->n * 7 + sink;
}

int (*volatile show_ops[])(struct seq *) = { show_a, show_b };

__attribute__((noinline)) int target(int a, int b)
{
	return a * 10 + b;
}

__attribute__((noinline)) int forward(int a, int b)
{
	void *args = __builtin_apply_args();

	sink = a;
	__builtin_return(__builtin_apply((void (*)())target, args, 64));
}

__attribute__((noinline)) int escape(int x)
{
	__label__ out;
	__attribute__((noinline)) void hop(int y)
	{
		sink = y;
		if (y > 0)
			goto out;
	}
	hop(x);
	return 0;
out:
	return 1;
}

__attribute__((noinline)) int __sanitizer_cov_demo(int x)
{
	return x + sink;
}

int main(void)
{
	struct seq s = { 0 };
	int r = 0;

	for (int i = 0; i < 4; i++)
		r += show_ops[i & 1](&s);
	r += forward(4, 2);
	r += escape(1) + escape(0);
	r += __sanitizer_cov_demo(3);
	printf("%d\n", r);
	return 0;
}
