// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_tree: record one clock_nanosleep() in KCOV_TRACE_PC_EXT mode and print
 * its call tree in the format of the series' example, symbolized through
 * /proc/kallsyms: the records hold link-time PCs, so the symbolizer moves
 * kallsyms' run-time addresses back by the KASLR offset.
 *
 *   kcov_tree [--kallsyms FILE] [--system-map FILE] [--usec N]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kcovtrace.h"

#define COVER_SIZE (1 << 18)

static void __attribute__((noreturn)) fail(const char *what, int err)
{
	fprintf(stderr, "kcov_tree: %s: %s\n", what, kct_strerror(err));
	exit(1);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "system-map", required_argument, NULL, 'm' },
		{ "usec", required_argument, NULL, 'u' },
		{ 0 }
	};
	const char *kallsyms = "/proc/kallsyms", *map = NULL;
	struct kct_decoder_opts opts = { .sz = sizeof(opts), .pc_fill = KCT_PC_FILL_KERNEL };
	struct timespec ts = { 0, 1000 * 1000 };
	struct kct_symbolizer *sym;
	struct kct_decoder *dec;
	struct kct_event ev;
	unsigned long *cover, n;
	int fd, c, err;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': kallsyms = optarg; break;
		case 'm': map = optarg; break;
		case 'u': ts.tv_nsec = atol(optarg) * 1000; break;
		default: return 2;
		}
	}
	if ((err = kct_symbolizer_new(&sym)))
		fail("symbolizer", err);
	if (map && (err = kct_symbolizer_add_system_map(sym, map)))
		fail(map, err);
	if ((err = kct_symbolizer_add_kallsyms(sym, kallsyms)))
		fail(kallsyms, err);

	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd < 0)
		fail("/sys/kernel/debug/kcov", -errno);
	if (ioctl(fd, KCOV_INIT_TRACE, COVER_SIZE))
		fail("KCOV_INIT_TRACE", -errno);
	cover = mmap(NULL, COVER_SIZE * sizeof(unsigned long), PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED)
		fail("mmap", -errno);
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC_EXT))
		fail("KCOV_ENABLE(KCOV_TRACE_PC_EXT)", -errno);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL); /* fault in stuff */
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	ioctl(fd, KCOV_DISABLE, 0);

	if ((err = kct_decoder_new_mem((const uint64_t *)cover + 1, n, &opts, &dec)))
		fail("decoder", err);
	while ((err = kct_decoder_next(dec, &ev, sizeof(ev))) > 0) {
		static const char *const what[] = {
			[KCT_EVENT_ENTER] = "ENTER", [KCT_EVENT_BLOCK] = "BB   ",
			[KCT_EVENT_EXIT] = "EXIT ",
		};
		struct kct_symbol s = { .sz = sizeof(s) };

		/* Frames without a record of their own (those an EESUM record
		 * popped or pushed, which its line stands for) get no line. */
		if (ev.flags & KCT_EVENT_F_SYNTHETIC)
			continue;
		if (ev.type == KCT_EVENT_EESUM) {
			printf("%*sEESUM delta=%d mindelta=%d%s\n", (int)ev.depth * 2, "",
			       ev.delta, ev.mindelta, ev.flags & KCT_EVENT_F_SATURATED ?
			       "  [cannot be balanced: the call tree restarts]" : "");
			continue;
		}
		printf("%*s%s ", (int)ev.depth * 2, "", what[ev.type]);
		if (!kct_symbolize(sym, ev.pc, &s))
			printf("%s+0x%llx\n", s.name, (unsigned long long)(ev.pc - s.addr));
		else
			printf("0x%llx\n", (unsigned long long)ev.pc);
	}
	if (err < 0)
		fail("decoding", err);
	return 0;
}
