// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "hashmap.h"
#include "messages.h"

struct hashmap_entry *hashmap_insert(struct hashmap *m, uint64_t k0, uint64_t k1)
{
	size_t i;

	/* At most half the slots used, for short probes. */
	if (!m->slots || (m->nr + 1) * 2 > m->mask + 1) {
		size_t nslots = m->slots ? (m->mask + 1) * 2 : 1024;

		if (nslots > (size_t)UINT32_MAX)
			die("out of memory");
		free(m->slots);
		m->slots = calloc(nslots, sizeof(*m->slots));
		if (!m->slots)
			die("out of memory");
		m->mask = nslots - 1;
		for (size_t j = 0; j < m->nr; j++) {
			const struct hashmap_entry *e = &m->entries[j];

			for (i = hashmap_hash(e->key[0], e->key[1]) & m->mask; m->slots[i];
			     i = (i + 1) & m->mask)
				;
			m->slots[i] = (uint32_t)j + 1;
		}
	}
	if (m->nr == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 512;
		m->entries = realloc(m->entries, m->cap * sizeof(*m->entries));
		if (!m->entries)
			die("out of memory");
	}
	for (i = hashmap_hash(k0, k1) & m->mask; m->slots[i]; i = (i + 1) & m->mask)
		;
	m->entries[m->nr] = (struct hashmap_entry){ { k0, k1 }, 0 };
	m->slots[i] = (uint32_t)++m->nr;
	return &m->entries[m->nr - 1];
}

void hashmap_free(struct hashmap *m)
{
	free(m->entries);
	free(m->slots);
	*m = (struct hashmap)HASHMAP_INIT;
}
