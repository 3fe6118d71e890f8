/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generators' pseudo-random numbers: xorshift64, from one fixed seed,
 * so that every run of a benchmark writes the same trace.
 */
#ifndef BENCH_DECODE_RND_H
#define BENCH_DECODE_RND_H

#include <stdint.h>

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static inline uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

#endif
