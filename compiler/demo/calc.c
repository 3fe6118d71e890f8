// SPDX-License-Identifier: GPL-2.0-only
/*
 * The userspace demo: a recursive-descent calculator whose call tree mirrors
 * the expression it parses.  Built with kcov-cc and linked with hookrec, it
 * records its own ENTER/BB/EXIT stream, which kcovtrace replays.
 */
#include <stdio.h>
#include <stdlib.h>

static const char *in;

static long expr(void);

static long number(void)
{
	long v = 0;

	while (*in >= '0' && *in <= '9')
		v = v * 10 + (*in++ - '0');
	return v;
}

static long factor(void)
{
	long v;

	if (*in == '(') {
		in++;
		v = expr();
		in++; /* ')' */
		return v;
	}
	return number();
}

static long term(void)
{
	long v = factor();

	while (*in == '*') {
		in++;
		v *= factor();
	}
	return v;
}

static long expr(void)
{
	long v = term();

	while (*in == '+' || *in == '-') {
		char op = *in++;
		long r = term();

		v = op == '+' ? v + r : v - r;
	}
	return v;
}

int main(int argc, char **argv)
{
	in = argc > 1 ? argv[1] : "2*(3+4)";
	printf("%s = %ld\n", argc > 1 ? argv[1] : "2*(3+4)", expr());
	return 0;
}
