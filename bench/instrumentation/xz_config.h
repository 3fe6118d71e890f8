/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kernel's XZ decoder (lib/xz/) asks of a userspace build: its
 * xz_private.h includes this file when __KERNEL__ is not defined.
 */
#ifndef KCOV_EXT_XZ_CONFIG_H
#define KCOV_EXT_XZ_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xz.h"		/* include/linux/xz.h, copied next to the objects */

#define XZ_DEC_X86

#define kmalloc(size, flags)	malloc(size)
#define kfree(ptr)		free(ptr)
#define vmalloc(size)		malloc(size)
#define vfree(ptr)		free(ptr)
#define memeq(a, b, size)	(memcmp(a, b, size) == 0)
#define memzero(buf, size)	memset(buf, 0, size)
#define min(x, y)		((x) < (y) ? (x) : (y))
#define min_t(type, x, y)	min(x, y)
#define fallthrough		__attribute__((__fallthrough__))
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define EXPORT_SYMBOL(sym)

static inline uint32_t get_unaligned_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t get_unaligned_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put_unaligned_le32(uint32_t v, uint8_t *p)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void put_unaligned_be32(uint32_t v, uint8_t *p)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

#define get_le32(p)		get_unaligned_le32((const uint8_t *)(p))

#endif
