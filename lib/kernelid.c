// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A kernel's identity from its text symbols: what /proc/kallsyms or a
 * System.map lists, reduced to what KASLR and the loaded modules do not
 * change (each text symbol's offset from _text and its name), sorted, and
 * digested with SHA-256 (FIPS 180-4, written out here: the library links
 * no crypto library for one digest).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed */
	unsigned char block[64];
	size_t fill;
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static void sha256_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, d, e, f, g, h, cc, t1, t2;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3) +
		       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10);
	a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
	e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
	for (int i = 0; i < 64; i++) {
		t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
		h = g, g = f, f = e, e = d + t1;
		d = cc, cc = b, b = a, a = t1 + t2;
	}
	c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
	c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

static void sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->fill = 0;
}

static void sha256_update(struct sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->len += len;
	while (len) {
		size_t k = 64 - c->fill < len ? 64 - c->fill : len;

		memcpy(c->block + c->fill, p, k);
		c->fill += k;
		p += k;
		len -= k;
		if (c->fill == 64) {
			sha256_block(c, c->block);
			c->fill = 0;
		}
	}
}

static void sha256_final(struct sha256 *c, uint8_t out[32])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t n = (c->fill < 56 ? 56 : 120) - c->fill;

	for (int i = 0; i < 8; i++)
		pad[n + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(c, pad, n + 8);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

struct text_sym {
	uint64_t addr;
	char *name;
};

static int cmp_text_sym(const void *a, const void *b)
{
	const struct text_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void free_syms(struct text_sym *syms, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(syms[i].name);
	free(syms);
}

int kct_kernel_id_symbols(const char *path, uint8_t *id, size_t size)
{
	struct text_sym *syms = NULL;
	size_t nr = 0, cap = 0, len_cap = 0, nonzero = 0, lines = 0;
	uint64_t text = 0;
	bool have_text = false;
	char *line = NULL;
	ssize_t len;
	struct sha256 c;
	FILE *f;
	int err = 0;

	if (size < KCT_KERNEL_ID_SYMBOLS_LEN)
		return -EINVAL;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/* "ADDR TYPE NAME [MODULE]", as the symbolizer reads them. */
	while ((len = getline(&line, &len_cap, f)) > 0) {
		struct symbol_line sl;

		lines++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		err = parse_symbol_line(line, &sl);
		if (err) {
			err = symbol_line_bad(path, lines);
			break;
		}
		nonzero += sl.addr != 0;
		if (sl.name_len == 5 && !memcmp(sl.name, "_text", 5)) {
			text = sl.addr;
			have_text = true;
		}
		/* Text symbols of the kernel itself: not of modules, which
		 * come and go. */
		if ((sl.type != 't' && sl.type != 'T' && sl.type != 'w' && sl.type != 'W') ||
		    sl.name[sl.name_len + strspn(sl.name + sl.name_len, " \t")] == '[')
			continue;
		if (nr == cap) {
			struct text_sym *grown;

			cap = cap ? cap * 2 : 4096;
			grown = realloc(syms, cap * sizeof(*syms));
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			syms = grown;
		}
		syms[nr].addr = sl.addr;
		syms[nr].name = strndup(sl.name, sl.name_len);
		if (!syms[nr].name) {
			err = -ENOMEM;
			break;
		}
		nr++;
	}
	free(line);
	fclose(f);
	if (!err && lines && !nonzero)
		err = -KCT_ERR_HIDDEN; /* kptr_restrict hides the addresses */
	else if (!err && !have_text)
		err = -KCT_ERR_NO_TEXT;
	else if (!err && !nr)
		err = -KCT_ERR_NOSYMS;
	if (err) {
		free_syms(syms, nr);
		return err;
	}
	for (size_t i = 0; i < nr; i++)
		syms[i].addr -= text;
	/* A System.map comes sorted, mostly: a pass to see costs less than a
	 * sort of the sorted. */
	for (size_t i = 1; i < nr; i++) {
		if (cmp_text_sym(&syms[i - 1], &syms[i]) > 0) {
			qsort(syms, nr, sizeof(*syms), cmp_text_sym);
			break;
		}
	}
	sha256_init(&c);
	for (size_t i = 0; i < nr; i++) {
		/* "%016llx ", without snprintf(), which took a fifth of the
		 * time of an identity. */
		char buf[17];

		for (int k = 0; k < 16; k++)
			buf[k] = "0123456789abcdef"[syms[i].addr >> (60 - 4 * k) & 15];
		buf[16] = ' ';
		sha256_update(&c, buf, sizeof(buf));
		sha256_update(&c, syms[i].name, strlen(syms[i].name) + 1);
	}
	sha256_final(&c, id);
	free_syms(syms, nr);
	return KCT_KERNEL_ID_SYMBOLS_LEN;
}
