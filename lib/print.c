// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The library's messages: to the caller's print callback, or nowhere (the
 * library never prints on its own).
 */
#include <stdarg.h>

#include "internal.h"

static kct_print_fn_t print_fn;

kct_print_fn_t kct_set_print(kct_print_fn_t fn)
{
	return __atomic_exchange_n(&print_fn, fn, __ATOMIC_ACQ_REL);
}

void lib_print(enum kct_print_level level, const char *fmt, ...)
{
	kct_print_fn_t fn = __atomic_load_n(&print_fn, __ATOMIC_ACQUIRE);
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	fn(level, fmt, ap);
	va_end(ap);
}
