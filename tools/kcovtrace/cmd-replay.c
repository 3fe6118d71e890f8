// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcovtrace replay: the call tree of a trace, one record per line, in the
 * format of the KCOV_TRACE_PC_EXT example in the kernel's documentation.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kcovtrace-tool.h"

static const char replay_usage[] =
"usage: kcovtrace replay [options] FILE\n"
"\n"
"Print the call tree recorded in FILE (a kcovtrace trace or a raw kcov\n"
"buffer): ENTER, BB and EXIT records indented by call depth.\n"
"\n"
"  --depth N          hide records nested deeper than N calls\n"
"  --no-blocks        hide BB records, show calls only\n"
"  --vmlinux FILE     symbols (and DWARF) from an ELF file; --elf is the same\n"
"  -h, --help         this text\n";

static void indent(FILE *out, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		fputs("  ", out);
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "depth", required_argument, NULL, 'd' },
		{ "no-blocks", no_argument, NULL, 'B' },
		{ "vmlinux", required_argument, NULL, 'e' },
		{ "elf", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct symbol_opts symopts = { 0 };
	unsigned long max_depth = ~0UL;
	bool blocks = true;
	struct kct_symbolizer *sym;
	struct kct_decoder *dec;
	struct kct_trace *trace;
	struct kct_event ev;
	char pcbuf[512];
	int c, err;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			max_depth = parse_ulong(optarg, "--depth");
			break;
		case 'B':
			blocks = false;
			break;
		case 'e':
			symopts.elf = optarg;
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return 0;
		default:
			fputs(replay_usage, stderr);
			return 2;
		}
	}
	if (optind != argc - 1)
		die("replay: expected one trace file (see kcovtrace replay --help)");

	trace = open_trace(argv[optind]);
	sym = open_symbolizer(&symopts);
	err = kct_trace_decoder(trace, &dec);
	if (err)
		die("%s: %s", argv[optind], kct_strerror(err));

	while ((err = kct_decoder_next(dec, &ev)) > 0) {
		const char *what;

		if (ev.depth > max_depth)
			continue;
		switch (ev.type) {
		case KCT_EVENT_ENTER:
			what = "ENTER";
			break;
		case KCT_EVENT_EXIT:
			what = "EXIT ";
			break;
		case KCT_EVENT_BLOCK:
			if (!blocks)
				continue;
			what = "BB   ";
			break;
		default:
			continue;
		}
		indent(stdout, ev.depth);
		if (ev.flags & KCT_EVENT_F_UNKNOWN_CALLER) {
			struct kct_symbol s;

			printf("%s %s  [entered before the trace began]\n", what,
			       sym && !kct_symbolize(sym, ev.pc, &s) ? s.name : "?");
		} else if (ev.flags & KCT_EVENT_F_UNFINISHED) {
			printf("%s %s  [still running when the trace ended]\n", what,
			       format_pc(sym, ev.pc, pcbuf, sizeof(pcbuf)));
		} else {
			printf("%s %s\n", what, format_pc(sym, ev.pc, pcbuf, sizeof(pcbuf)));
		}
	}
	if (err < 0)
		die("%s: %s", argv[optind], kct_strerror(err));
	if (fflush(stdout))
		die("write error");
	kct_decoder_free(dec);
	kct_symbolizer_free(sym);
	kct_trace_close(trace);
	return 0;
}
