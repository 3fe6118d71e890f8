// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn_loop: a known number of instructions between two markers, for the
 * tests of the instruction counter (lab/qemu-plugin/insn_count.c).  For each
 * N, in order: INSN_MARK(0), a loop of N iterations of two instructions
 * ("dec; jnz"), INSN_MARK(1).  So the counts the plugin prints at the
 * marks 1 differ by exactly 2 * (N - N') for two Ns, when no interrupt hit
 * either.  Without the plugin it only runs the loops.
 *
 * --fault REPEATS: a read of a fresh page (a page fault, after which the
 * read runs again) followed by 64 NOPs, between INSN_MARK(0) and
 * INSN_MARK(2), then the same with 128 NOPs, ending at INSN_MARK(3); REPEATS
 * times.  Counted per executed instruction, the two differ by exactly 64;
 * counted per translated block, by about twice as many, since the block
 * the fault left is counted whole, and again from the read on.
 *
 *   insn_loop N...
 *   insn_loop --fault REPEATS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "insn_marker.h"

static void spin(unsigned long n)
{
	INSN_MARK(0);
	__asm__ volatile("test %0, %0\n\tjz 2f\n"
			 "1:\tdec %0\n\tjnz 1b\n"
			 "2:" : "+r"(n) :: "cc");
	INSN_MARK(1);
}

#define FAULT_THEN_NOPS(nops)                                                        \
	__asm__ volatile("movl (%0), %%eax\n\t.rept " #nops "\n\tnop\n\t.endr"   \
			 :: "r"(page) : "eax", "memory")

static int fault(int repeats)
{
	long size = sysconf(_SC_PAGESIZE);

	for (int r = 0; r < repeats; r++) {
		for (int longer = 0; longer < 2; longer++) {
			char *page = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (page == MAP_FAILED)
				return perror("mmap"), 1;
			INSN_MARK(0);
			if (longer) {
				FAULT_THEN_NOPS(128);
				INSN_MARK(3);
			} else {
				FAULT_THEN_NOPS(64);
				INSN_MARK(2);
			}
			munmap(page, size);
		}
	}
	printf("insn_loop: %d faults\n", 2 * repeats);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--fault") && atoi(argv[2]) > 0)
		return fault(atoi(argv[2]));
	if (argc < 2 || argv[1][0] == '-')
		return fprintf(stderr, "usage: insn_loop N... | insn_loop --fault REPEATS\n"), 2;
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
