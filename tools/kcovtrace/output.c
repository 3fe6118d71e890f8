// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kcovtrace.h"
#include "messages.h"
#include "output.h"

void out_flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
		die("write error: %s", strerror(errno));
	o->len = 0;
}

void out_spaces_slow(struct out *o, size_t n)
{
	while (n) {
		size_t k;

		if (o->len == sizeof(o->buf))
			out_flush(o);
		k = sizeof(o->buf) - o->len;
		k = n < k ? n : k;
		memset(o->buf + o->len, ' ', k);
		o->len += k;
		n -= k;
	}
}

void out_dec(struct out *o, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	out_mem(o, p, buf + sizeof(buf) - p);
}

void out_int(struct out *o, int64_t v)
{
	if (v < 0) {
		out_char(o, '-');
		out_dec(o, -(uint64_t)v);
	} else {
		out_dec(o, (uint64_t)v);
	}
}

void out_eesum(struct out *o, const struct kct_event *ev)
{
	out_str(o, "delta=");
	out_int(o, ev->delta);
	out_str(o, " mindelta=");
	out_int(o, ev->mindelta);
}
