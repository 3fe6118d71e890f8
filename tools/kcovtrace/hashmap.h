/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An open-addressing hash map from a key of two 64-bit words (the second 0
 * where one suffices) to a 64-bit value, for the commands' tables of
 * functions, stacks, PCs and tasks.  Entries sit in an array in the order
 * they were added, which callers index (hashmap_index()) to keep data of
 * their own alongside; the slots hold entry indexes, so the table grows by
 * rehashing small integers, not moving entries.
 */
#ifndef KCOVTRACE_HASHMAP_H
#define KCOVTRACE_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashmap_entry {
	uint64_t key[2];
	uint64_t value;
};

struct hashmap {
	struct hashmap_entry *entries;	/* in the order added */
	size_t nr, cap;
	uint32_t *slots;		/* entry index + 1, 0 for empty */
	size_t mask;			/* slots - 1: a power of two minus 1 */
};

#define HASHMAP_INIT { 0 }

static inline size_t hashmap_hash(uint64_t k0, uint64_t k1)
{
	/* Fibonacci hashing of both words: its high bits are the well mixed
	 * ones, and keys (function starts, PCs) differ in their low bits. */
	return (size_t)(((k0 ^ k1 * 0xc2b2ae3d27d4eb4fULL) * 0x9e3779b97f4a7c15ULL) >> 32);
}

/* The entry of key (k0, k1), or NULL. */
static inline struct hashmap_entry *hashmap_find(const struct hashmap *m, uint64_t k0,
						 uint64_t k1)
{
	if (!m->slots)
		return NULL;
	for (size_t i = hashmap_hash(k0, k1) & m->mask; m->slots[i]; i = (i + 1) & m->mask) {
		struct hashmap_entry *e = &m->entries[m->slots[i] - 1];

		if (e->key[0] == k0 && e->key[1] == k1)
			return e;
	}
	return NULL;
}

/* Adds key (k0, k1), which the map does not hold, with value 0. */
struct hashmap_entry *hashmap_insert(struct hashmap *m, uint64_t k0, uint64_t k1);

/*
 * The entry of key (k0, k1), added with value 0 if the map lacks it (then
 * *added is set, if added is not NULL).  Entries stay valid until the next
 * addition; their indexes stay valid for good.
 */
static inline struct hashmap_entry *hashmap_get(struct hashmap *m, uint64_t k0, uint64_t k1,
						bool *added)
{
	struct hashmap_entry *e = hashmap_find(m, k0, k1);

	if (added)
		*added = !e;
	return e ? e : hashmap_insert(m, k0, k1);
}

static inline size_t hashmap_index(const struct hashmap *m, const struct hashmap_entry *e)
{
	return (size_t)(e - m->entries);
}

void hashmap_free(struct hashmap *m);

#endif
