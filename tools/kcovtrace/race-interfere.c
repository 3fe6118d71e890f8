// SPDX-License-Identifier: GPL-2.0-only
/*
 * The race verbs' analysis (race-interfere.h): a thread's accesses, each
 * with the delay injection stack that names it as the kernel counts
 * (Documentation/dev-tools/kcov.rst, "Delay injection"), and where two
 * threads interfere.  The records are read by the library's decoder, as
 * every command reads them.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "messages.h"
#include "race-interfere.h"

#define GROW(arr, nr, cap) do {							\
	if ((nr) == (cap)) {							\
		size_t c_ = (cap) ? (cap) * 2 : 64;				\
		void *p_ = realloc((arr), c_ * sizeof(*(arr)));			\
		if (!p_)							\
			die("out of memory");					\
		(arr) = p_;							\
		(cap) = c_;							\
	}									\
} while (0)

/* Keys of the ordinal counters: (frame, PC), calls and accesses apart (the
 * kernel counts the two in different places). */
#define KEY_ACCESS (1ULL << 63)

static uint32_t new_frame(struct race_trace *t, uint64_t ip, uint32_t parent,
			  struct hashmap *counts)
{
	struct race_frame *f;
	uint64_t ord = 0;

	if (ip)
		ord = hashmap_get(counts, parent, ip, NULL)->value++;
	GROW(t->frames, t->nr_frames, t->cap_frames);
	f = &t->frames[t->nr_frames];
	*f = (struct race_frame){ .ip = ip, .ord = ord, .parent = parent,
				  .depth = t->nr_frames ? t->frames[parent].depth + 1 : 0 };
	return (uint32_t)t->nr_frames++;
}

int race_trace_decode(struct race_trace *t, struct kct_decoder *dec)
{
	struct hashmap counts = HASHMAP_INIT;
	uint32_t *open = NULL;		/* the frame at each depth: [0] the root */
	size_t open_cap = 0;
	struct kct_event evs[256];
	int n, err = 0;

	memset(t, 0, sizeof(*t));
	new_frame(t, 0, 0, &counts);
	GROW(open, 0, open_cap);
	open[0] = 0;
	while ((n = kct_decoder_next_batch(dec, evs, sizeof(evs[0]), 256)) > 0) {
		for (int k = 0; k < n; k++) {
			const struct kct_event *ev = &evs[k];
			uint32_t d = ev->depth, parent;
			uint64_t ip;

			switch (ev->type) {
			case KCT_EVENT_ENTER:
				while (d + 1 >= open_cap) {
					size_t c = open_cap * 2;

					open = realloc(open, c * sizeof(*open));
					if (!open)
						die("out of memory");
					open_cap = c;
				}
				/* A frame the stream names by its entry
				 * record only: not one an EESUM record
				 * opened, nor one open before it began. */
				ip = ev->flags & (KCT_EVENT_F_SUPPRESSED |
						  KCT_EVENT_F_UNKNOWN_CALLER |
						  KCT_EVENT_F_SYNTHETIC) ? 0 : ev->pc;
				parent = open[d];
				open[d + 1] = new_frame(t, ip, parent, &counts);
				break;
			case KCT_EVENT_EESUM:
				/* The tree starts again: where, the kernel
				 * knows and the stream does not.  A new root
				 * that names nothing. */
				if (ev->flags & KCT_EVENT_F_SATURATED) {
					t->lost = true;
					open[0] = new_frame(t, 0, 0, &counts);
				}
				break;
			case KCT_EVENT_ACCESS: {
				struct race_access *a;
				uint32_t f = d < open_cap ? open[d] : 0;

				GROW(t->acc, t->nr_acc, t->cap_acc);
				a = &t->acc[t->nr_acc++];
				*a = (struct race_access){
					.pc = ev->pc, .addr = ev->addr, .time = ev->time,
					.index = ev->index, .size = ev->size, .access = ev->access,
					.frame = f,
				};
				a->ord = hashmap_get(&counts, f, ev->pc | KEY_ACCESS,
						     NULL)->value++;
				break;
			}
			case KCT_EVENT_WAIT:
				t->waits++;
				t->timed_out += ev->timed_out != 0;
				break;
			case KCT_EVENT_WAKE:
				t->wakes++;
				break;
			default:
				break;
			}
		}
	}
	if (n < 0)
		err = n;
	free(open);
	hashmap_free(&counts);
	if (err)
		race_trace_free(t);
	return err;
}

int race_trace_build(struct race_trace *t, const uint64_t *records, uint64_t count,
		     uint32_t memory_words)
{
	KCT_OPTS(kct_decoder_opts, opts, .pc_fill = KCT_PC_FILL_KERNEL,
		 .mode = KCT_MODE_TRACE_MEMORY_ACCESS, .memory_record_words = memory_words);
	struct kct_decoder *dec;
	int err;

	memset(t, 0, sizeof(*t));
	err = kct_decoder_new_mem(records, count, &opts, &dec);
	if (err)
		return err;
	err = race_trace_decode(t, dec);
	kct_decoder_free(dec);
	return err;
}

void race_trace_free(struct race_trace *t)
{
	free(t->frames);
	free(t->acc);
	memset(t, 0, sizeof(*t));
}

int race_di_stack(const struct race_trace *t, size_t i, struct race_elem *out, size_t max)
{
	const struct race_access *a = &t->acc[i];
	uint32_t f = a->frame;
	size_t n = t->frames[f].depth + 1;

	if (n > max)
		return -E2BIG;
	out[n - 1] = (struct race_elem){ a->pc, a->ord };
	for (size_t k = n - 1; k > 0; k--) {
		const struct race_frame *fr = &t->frames[f];

		if (!fr->ip)
			return 0;
		out[k - 1] = (struct race_elem){ fr->ip, fr->ord };
		f = fr->parent;
	}
	/* The root: a tree that started again names nothing. */
	if (t->frames[f].ip || f != 0)
		return 0;
	return (int)n;
}

/* ---- byte ranges ---- */

void race_ranges_add(struct race_ranges *s, uint64_t start, uint64_t end)
{
	GROW(s->r, s->nr, s->cap);
	s->r[s->nr++] = (struct race_range){ start, end };
}

static int cmp_range(const void *a, const void *b)
{
	const struct race_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void race_ranges_merge(struct race_ranges *s)
{
	size_t k = 0;

	if (!s->nr)
		return;
	qsort(s->r, s->nr, sizeof(*s->r), cmp_range);
	for (size_t i = 1; i < s->nr; i++) {
		struct race_range *last = &s->r[k];

		/* Overlapping or adjacent (without overflow at the top). */
		if (s->r[i].start <= last->end || s->r[i].start - 1 == last->end) {
			if (s->r[i].end > last->end)
				last->end = s->r[i].end;
		} else {
			s->r[++k] = s->r[i];
		}
	}
	s->nr = k + 1;
}

void race_ranges_intersect(const struct race_ranges *a, const struct race_ranges *b,
			   struct race_ranges *out)
{
	size_t i = 0, j = 0;

	out->nr = 0;
	while (i < a->nr && j < b->nr) {
		uint64_t lo = a->r[i].start > b->r[j].start ? a->r[i].start : b->r[j].start;
		uint64_t hi = a->r[i].end < b->r[j].end ? a->r[i].end : b->r[j].end;

		if (lo <= hi)
			race_ranges_add(out, lo, hi);
		if (a->r[i].end < b->r[j].end)
			i++;
		else
			j++;
	}
}

bool race_ranges_overlap(const struct race_ranges *s, uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = s->nr;

	/* The first range that ends at start or later. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->r[mid].end < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nr && s->r[lo].start <= end;
}

void race_ranges_free(struct race_ranges *s)
{
	free(s->r);
	memset(s, 0, sizeof(*s));
}

/* ---- the interference set ---- */

static void thread_ranges(const struct race_trace *t, struct race_ranges *any,
			  struct race_ranges *writes)
{
	for (size_t i = 0; i < t->nr_acc; i++) {
		const struct race_access *a = &t->acc[i];
		uint64_t end;

		if (!a->size)
			continue;
		end = a->addr + (a->size - 1);
		if (end < a->addr)	/* wraps: up to the top */
			end = UINT64_MAX;
		race_ranges_add(any, a->addr, end);
		if (race_is_write(a->access))
			race_ranges_add(writes, a->addr, end);
	}
	race_ranges_merge(any);
	race_ranges_merge(writes);
}

void race_interference_build(struct race_interference *in, const struct race_trace *t0,
			     const struct race_trace *t1)
{
	const struct race_trace *t[2] = { t0, t1 };

	memset(in, 0, sizeof(*in));
	for (int i = 0; i < 2; i++)
		thread_ranges(t[i], &in->any[i], &in->writes[i]);
	for (int i = 0; i < 2; i++) {
		race_ranges_intersect(&in->writes[!i], &in->any[i], &in->on_any[i]);
		race_ranges_intersect(&in->any[!i], &in->writes[i], &in->on_write[i]);
		for (size_t k = 0; k < in->on_any[i].nr; k++)
			race_ranges_add(&in->all, in->on_any[i].r[k].start,
					in->on_any[i].r[k].end);
		for (size_t k = 0; k < in->on_write[i].nr; k++)
			race_ranges_add(&in->all, in->on_write[i].r[k].start,
					in->on_write[i].r[k].end);
	}
	race_ranges_merge(&in->all);
}

void race_interference_free(struct race_interference *in)
{
	for (int i = 0; i < 2; i++) {
		race_ranges_free(&in->any[i]);
		race_ranges_free(&in->writes[i]);
		race_ranges_free(&in->on_any[i]);
		race_ranges_free(&in->on_write[i]);
	}
	race_ranges_free(&in->all);
}

bool race_interferes(const struct race_interference *in, int i, const struct race_access *a)
{
	uint64_t end;

	if (!a->size)
		return false;
	end = a->addr + (a->size - 1);
	if (end < a->addr)
		end = UINT64_MAX;
	if (race_ranges_overlap(&in->on_any[i], a->addr, end))
		return true;
	return race_is_write(a->access) && race_ranges_overlap(&in->on_write[i], a->addr, end);
}

/* ---- stacks as text ---- */

int race_stack_format(const struct race_elem *e, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0,
				 "%s%" PRIx64 ":%" PRIu64, i ? "," : "", e[i].ip, e[i].ord);

		if (k < 0)
			return k;
		len += (size_t)k;
	}
	return (int)len;
}

int race_stack_parse(const char *s, struct race_elem *out, size_t max)
{
	size_t n = 0;

	if (!*s)
		return -EINVAL;
	for (;;) {
		char *end;
		uint64_t ip, ord;

		if (n == max)
			return -E2BIG;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		if (!isxdigit((unsigned char)*s))
			return -EINVAL;
		errno = 0;
		ip = strtoull(s, &end, 16);
		if (errno || *end != ':' || !ip)
			return -EINVAL;
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		ord = strtoull(s, &end, 10);
		if (errno)
			return -EINVAL;
		/* A kernel PC with its top byte, as the records give it. */
		if (!(ip & ~KCT_RECORD_IP_MASK))
			ip |= KCT_PC_FILL_KERNEL;
		out[n++] = (struct race_elem){ ip, ord };
		s = end;
		if (!*s)
			return (int)n;
		if (*s != ',')
			return -EINVAL;
		s++;
	}
}
