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

void out_access(struct out *o, struct kct_symbolizer *sym, const struct kct_event *ev)
{
	KCT_OPTS(kct_symbol, s);
	char kind[3] = "R ";

	if (ev->access & KCT_ACCESS_F_FREE)
		kind[0] = 'F';
	else if (ev->access & KCT_ACCESS_F_RMW)
		kind[0] = 'M';
	else if (ev->access & KCT_ACCESS_F_WRITE)
		kind[0] = 'W';
	if (ev->access & KCT_ACCESS_F_ATOMIC)
		kind[1] = 'A';
	out_str(o, kind);
	out_char(o, ' ');
	out_hex(o, ev->addr);
	out_char(o, ' ');
	out_dec(o, ev->size);
	if (ev->access & KCT_ACCESS_F_VALUE) {
		out_str(o, "  = ");
		out_hex(o, ev->value);
	}
	if (sym && !kct_symbolize_data(sym, ev->addr, &s)) {
		out_str(o, "  ");
		out_mem(o, s.name, s.name_len);
		out_char(o, '+');
		out_hex(o, ev->addr - s.addr);
	}
}
