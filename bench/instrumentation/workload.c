// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU-bound workloads over two pieces of the kernel built in userspace:
 *   xz      lib/xz, the kernel's XZ decoder (initramfs, squashfs, firmware):
 *           decompress FILE.xz, ROUNDS times
 *   rbtree  lib/rbtree.c (as tools/lib builds it): insert, look up and
 *           erase 1M nodes, ROUNDS times
 * Prints the best wall time of all rounds in nanoseconds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/rbtree.h>

#include "xz.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	buf = malloc(n);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		return NULL;
	fclose(f);
	*len = n;
	return buf;
}

static uint64_t run_xz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap)
{
	struct xz_buf b = { .in = in, .in_size = in_len, .out = out, .out_size = out_cap };
	struct xz_dec *s = xz_dec_init(XZ_DYNALLOC, 1 << 26);
	enum xz_ret ret;
	uint64_t sum = 0;

	do {
		b.out_pos = 0;
		ret = xz_dec_run(s, &b);
		for (size_t i = 0; i < b.out_pos; i += 4096)
			sum += out[i];
	} while (ret == XZ_OK);
	xz_dec_end(s);
	if (ret != XZ_STREAM_END) {
		fprintf(stderr, "xz: decoder error %d\n", ret);
		exit(1);
	}
	return sum;
}

struct node {
	struct rb_node rb;
	uint64_t key;
};

static void insert(struct rb_root *root, struct node *n)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = n->key < rb_entry(parent, struct node, rb)->key ?
		       &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&n->rb, parent, link);
	rb_insert_color(&n->rb, root);
}

static uint64_t run_rbtree(struct node *nodes, size_t n)
{
	struct rb_root root = RB_ROOT;
	uint64_t x = 88172645463325252ull, sum = 0;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		nodes[i].key = x;
		insert(&root, &nodes[i]);
	}
	for (struct rb_node *p = rb_first(&root); p; p = rb_next(p))
		sum += rb_entry(p, struct node, rb)->key >> 60;
	for (size_t i = 0; i < n; i++)
		rb_erase(&nodes[i].rb, &root);
	return sum;
}

int main(int argc, char **argv)
{
	uint64_t best = UINT64_MAX, check = 0;
	int rounds;

	if (argc < 3) {
		fprintf(stderr, "usage: workload xz FILE.xz ROUNDS | rbtree ROUNDS\n");
		return 2;
	}
	rounds = atoi(argv[argc - 1]);
	if (!strcmp(argv[1], "xz")) {
		size_t in_len, out_cap = 1 << 20;
		uint8_t *in = read_file(argv[2], &in_len), *out = malloc(out_cap);

		if (!in || !out) {
			perror(argv[2]);
			return 1;
		}
		xz_crc32_init();
		for (int r = 0; r < rounds; r++) {
			uint64_t t = now_ns();

			check += run_xz(in, in_len, out, out_cap);
			t = now_ns() - t;
			best = t < best ? t : best;
		}
	} else {
		size_t n = 1 << 20;
		struct node *nodes = calloc(n, sizeof(*nodes));

		for (int r = 0; r < rounds; r++) {
			uint64_t t = now_ns();

			check += run_rbtree(nodes, n);
			t = now_ns() - t;
			best = t < best ? t : best;
		}
	}
	printf("%llu %llu\n", (unsigned long long)best, (unsigned long long)check);
	return 0;
}
