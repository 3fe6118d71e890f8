// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn_loop: a known number of instructions between two markers, for the
 * tests of the instruction counter (lab/qemu-plugin/insn_count.c).  For each
 * N, in order: INSN_MARK(0), a loop of N iterations of two instructions
 * ("dec; jnz"), INSN_MARK(1).  So the counts the plugin prints at the
 * marks 1 differ by exactly 2 * (N - N') for two Ns, when no interrupt hit
 * either.  Without the plugin it only runs the loops.
 *
 *   insn_loop N...
 */
#include <stdio.h>
#include <stdlib.h>

#include "insn_marker.h"

static void spin(unsigned long n)
{
	INSN_MARK(0);
	__asm__ volatile("test %0, %0\n\tjz 2f\n"
			 "1:\tdec %0\n\tjnz 1b\n"
			 "2:" : "+r"(n) :: "cc");
	INSN_MARK(1);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return fprintf(stderr, "usage: insn_loop N...\n"), 2;
	for (int i = 1; i < argc; i++) {
		char *end;
		unsigned long n = strtoul(argv[i], &end, 10);

		if (*argv[i] == '-' || *end || end == argv[i])
			return fprintf(stderr, "insn_loop: '%s' is no count\n", argv[i]), 2;
		spin(n);
	}
	printf("insn_loop: %d loops\n", argc - 1);
	return 0;
}
