// SPDX-License-Identifier: GPL-2.0-only
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcovtrace.h"
#include "messages.h"
#include "symbols.h"

bool symbol_option(struct symbol_opts *opts, int c, const char *arg)
{
	switch (c) {
	case OPT_VMLINUX:
		opts->elf = arg;
		return true;
	case OPT_KALLSYMS:
		opts->kallsyms = arg;
		return true;
	case OPT_SYSTEM_MAP:
		opts->system_map = arg;
		return true;
	}
	return false;
}

struct symstate symstate;

/*
 * Whether an ELF file may have DWARF: a .debug_info section (or a
 * compressed .zdebug_info), or a .gnu_debuglink to a separate file that
 * libdw may find.  Read by hand: the tool may be linked without libelf.
 * true where it cannot tell (not ELF64): no warning then.
 */
static bool elf_has_dwarf(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL;
	char *names = NULL;
	bool found = true;
	FILE *f = fopen(path, "re");

	if (!f)
		return true;
	if (fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(*sh) ||
	    eh.e_shstrndx >= eh.e_shnum)
		goto out;
	sh = calloc(eh.e_shnum, sizeof(*sh));
	if (!sh || fseeko(f, eh.e_shoff, SEEK_SET) || fread(sh, sizeof(*sh), eh.e_shnum, f) != eh.e_shnum)
		goto out;
	names = calloc(1, sh[eh.e_shstrndx].sh_size + 1);
	if (!names || fseeko(f, sh[eh.e_shstrndx].sh_offset, SEEK_SET) ||
	    fread(names, 1, sh[eh.e_shstrndx].sh_size, f) != sh[eh.e_shstrndx].sh_size)
		goto out;
	found = false;
	for (unsigned int i = 0; i < eh.e_shnum && !found; i++)
		found = sh[i].sh_name < sh[eh.e_shstrndx].sh_size &&
			(!strcmp(names + sh[i].sh_name, ".debug_info") ||
			 !strcmp(names + sh[i].sh_name, ".zdebug_info") ||
			 !strcmp(names + sh[i].sh_name, ".gnu_debuglink"));
out:
	free(names);
	free(sh);
	fclose(f);
	return found;
}

/*
 * The file to read for the symbol list at path: path itself if it is a
 * plain file, else (/proc/kallsyms, which the kernel makes anew, slowly, at
 * every read; a pipe) a copy of it in memory, made at the first call and
 * read by the later ones, so that the kernel identity check and the
 * symbolizer read it once between them, and the same lines.  path where it
 * cannot be copied: its readers then say why.
 */
static const char *read_once(const char *path)
{
	static char *copied, copy[32];
	char buf[65536];
	struct stat st;
	ssize_t n = 0;
	int in, fd;

	if (copied && !strcmp(copied, path))
		return copy;
	if (stat(path, &st) || (S_ISREG(st.st_mode) && st.st_size > 0))
		return path;
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return path;
	fd = memfd_create("kcovtrace-symbols", MFD_CLOEXEC);
	while (fd >= 0 && ((n = read(in, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))) {
		for (ssize_t done = 0, w; n > 0 && done < n; done += w) {
			w = write(fd, buf + done, n - done);
			if (w <= 0) {
				n = -1;
				break;
			}
		}
		if (n < 0)
			break;
	}
	close(in);
	if (fd < 0 || n < 0 || !(copied = strdup(path))) {
		if (fd >= 0)
			close(fd);
		return path;
	}
	/* Each open of it reads from the start. */
	snprintf(copy, sizeof(copy), "/proc/self/fd/%d", fd);
	return copy;
}

/* Warns if the trace says its kernel's identity and the symbol list at
 * path is of another kernel. */
static void check_identity(const struct kct_trace_info *info, const char *trace_path,
			   const char *what, const char *path)
{
	uint8_t id[KCT_KERNEL_ID_MAX];
	int len;

	if (!info || info->kernel_id_kind != KCT_KERNEL_ID_SYMBOLS)
		return;
	len = kct_kernel_id_symbols(read_once(path), id, sizeof(id));
	if (len > 0 && ((uint32_t)len != info->kernel_id_len || memcmp(id, info->kernel_id, len)))
		warn("%s %s is of another kernel than %s (their kernel identities differ): "
		     "its symbols may be wrong", what, path, trace_path);
}

/* Dies of err, a symbol list's: "PATH:LINE: not a WHAT" where a line is
 * not a symbol list's (src: the file the library read, path or its copy). */
static void symbol_list_die(const char *path, const char *src, int err, const char *what)
{
	unsigned long line = err == -KCT_ERR_SYMFILE ? lib_line(src) : 0;

	if (line)
		die("%s:%lu: not a %s", path, line, what);
	die("%s: %s%s", path, err == -KCT_ERR_SYMFILE ? "not a " : "",
	    err == -KCT_ERR_SYMFILE ? what : kct_strerror(err));
}

static void add_system_map(struct kct_symbolizer *sym, const char *path)
{
	int err;

	lib_msg[0] = '\0';
	err = kct_symbolizer_add_system_map(sym, path);
	if (err)
		symbol_list_die(path, path, err, "System.map");
}

static void add_kallsyms(struct kct_symbolizer *sym, const char *path)
{
	/* The library's messages name the file it read, the copy. */
	const char *src = read_once(path);
	int err;

	lib_msg[0] = '\0';
	err = kct_symbolizer_add_kallsyms(sym, src);
	if (err)
		symbol_list_die(path, src, err, "kallsyms file");
}

/*
 * No symbol option: /proc/kallsyms (or $KCOVTRACE_KALLSYMS) if it is of the
 * traced kernel, else no symbols and a hint.
 */
static struct kct_symbolizer *default_symbolizer(const struct kct_trace_info *info,
						 const char *trace_path)
{
	const char *path = getenv("KCOVTRACE_KALLSYMS");
	const char *why;
	struct kct_symbolizer *sym;
	uint8_t id[KCT_KERNEL_ID_MAX];
	int len, err;
	char bad_line[64];

	/* A user program's trace: kallsyms is of no use, its ELF file is. */
	if (info->flags & KCT_TRACE_F_USER) {
		warn("%s: PCs shown as addresses: a user program's trace; give its ELF file, "
		     "--elf PROGRAM", trace_path);
		return NULL;
	}
	if (!path || !*path)
		path = "/proc/kallsyms";
	/* Reading kallsyms takes a while: only to compare with the trace's. */
	lib_msg[0] = '\0';
	len = info->kernel_id_kind == KCT_KERNEL_ID_SYMBOLS ?
	      kct_kernel_id_symbols(read_once(path), id, sizeof(id)) : 0;
	snprintf(bad_line, sizeof(bad_line), "its line %lu is not ADDR TYPE NAME [MODULE]",
		 lib_line(read_once(path)));
	if (info->kernel_id_kind != KCT_KERNEL_ID_SYMBOLS)
		why = "the trace does not say which kernel it is of";
	else if (len == -KCT_ERR_HIDDEN)
		why = "its addresses are hidden (kptr_restrict; run as root)";
	else if (len == -KCT_ERR_SYMFILE && lib_line(read_once(path)))
		why = bad_line;
	else if (len < 0)
		why = kct_strerror(len);
	else if ((uint32_t)len != info->kernel_id_len || memcmp(id, info->kernel_id, len))
		why = "it is of another kernel than the trace";
	else
		why = NULL;
	if (why) {
		warn("%s: PCs shown as addresses: no symbols from %s (%s); "
		     "give --kallsyms, --system-map or --vmlinux", trace_path, path, why);
		return NULL;
	}
	err = kct_symbolizer_new(&sym);
	if (err)
		die("%s", kct_strerror(err));
	add_kallsyms(sym, path);
	symstate.source = path;
	return sym;
}

/* The sources of the user's options; the trace's identity (info, NULL for
 * none) checked against them. */
static struct kct_symbolizer *symbols_of(const struct symbol_opts *opts,
					 const struct kct_trace_info *info, const char *trace_path)
{
	struct kct_symbolizer *sym;
	int err;

	err = kct_symbolizer_new(&sym);
	if (err)
		die("%s", kct_strerror(err));
	/* Link-time sources first: kallsyms' KASLR offset is taken against
	 * them. */
	lib_msg[0] = '\0';
	if (opts->elf && (err = kct_symbolizer_add_elf(sym, opts->elf))) {
		const char *why = lib_reason(opts->elf);

		die("%s: %s%s%s%s", opts->elf, kct_strerror(err), *why ? " (" : "", why,
		    *why ? ")" : "");
	}
	if (opts->elf && !opts->no_lines && !elf_has_dwarf(opts->elf))
		warn("--vmlinux %s has no DWARF: no file:line (build with CONFIG_DEBUG_INFO_DWARF5)",
		     opts->elf);
	/* The two kinds of list are alike but for their addresses: one read
	 * as the other would put every PC off by the KASLR offset. */
	if (opts->system_map) {
		uint64_t modules = kct_symbolizer_module_symbols(sym);

		/* Read first: a file that is no list at all gets one error.
		 * One with a "[module]" column, which only /proc/kallsyms
		 * has, is likely kallsyms given by mistake.  Nothing else
		 * tells the two apart (kallsyms of an SMP x86-64 kernel lists
		 * per-cpu symbols as absolute, as a System.map lists its
		 * own): what the user said the file is, it is read as. */
		add_system_map(sym, opts->system_map);
		if (kct_symbolizer_module_symbols(sym) > modules)
			warn("--system-map %s lists modules, as /proc/kallsyms does: if it is "
			     "kallsyms, give it as --kallsyms", opts->system_map);
		check_identity(info, trace_path, "--system-map", opts->system_map);
	}
	if (opts->kallsyms) {
		add_kallsyms(sym, opts->kallsyms);
		check_identity(info, trace_path, "--kallsyms", opts->kallsyms);
	}
	return sym;
}

struct kct_symbolizer *load_symbols(const struct symbol_opts *opts)
{
	return symbols_of(opts, NULL, NULL);
}

struct kct_symbolizer *open_symbolizer(const struct symbol_opts *opts,
				       const struct kct_trace *trace, const char *trace_path)
{
	KCT_OPTS(kct_trace_info, info);

	kct_trace_get_info(trace, &info);
	memset(&symstate, 0, sizeof(symstate));
	memset(&pc_name_cache, 0, sizeof(pc_name_cache));
	if (!opts->elf && !opts->kallsyms && !opts->system_map)
		return symstate.sym = default_symbolizer(&info, trace_path);
	symstate.source = opts->system_map ? opts->system_map :
			  opts->kallsyms ? opts->kallsyms : opts->elf;
	return symstate.sym = symbols_of(opts, &info, trace_path);
}

void close_symbolizer(struct kct_symbolizer *sym)
{
	/* "Many": one PC in a hundred, more than code freed after boot or
	 * made at run time (BPF, ftrace trampolines) would explain. */
	/* Most of them past the last function: the list ends too early. */
	if (sym && symstate.unresolved * 100 >= pc_name_cache.lookups && symstate.unresolved &&
	    symstate.past_end * 2 > symstate.unresolved)
		warn("%llu of %llu PCs looked up lie past the last function of %s, which ends at "
		     "0x%llx: is the list cut short, or are they of modules it does not list?",
		     (unsigned long long)symstate.past_end, (unsigned long long)pc_name_cache.lookups,
		     symstate.source, (unsigned long long)symstate.end);
	else if (sym && symstate.unresolved * 100 >= pc_name_cache.lookups && symstate.unresolved)
		warn("%llu of %llu PCs looked up have no symbol in %s: is it of the traced kernel?",
		     (unsigned long long)symstate.unresolved, (unsigned long long)pc_name_cache.lookups,
		     symstate.source);
	if (sym && symstate.mismatched)
		warn("%llu of %llu calls return in another function than they entered, by the "
		     "symbols of %s: is it of the traced kernel?",
		     (unsigned long long)symstate.mismatched, (unsigned long long)symstate.exits,
		     symstate.source);
	kct_symbolizer_free(sym);
	symstate.sym = NULL;
}

struct pc_name_cache pc_name_cache;

void pc_name_slow(struct kct_symbolizer *sym, uint64_t pc, struct pc_name *out)
{
	/*
	 * Else the symbolizer's look-up, which beats a map of the PCs seen:
	 * on bench/decode's trace such a map (of hashmap.h) made replay
	 * 60 % slower, its table too large for the caches.
	 */
	struct pc_name_cache *c = &pc_name_cache;
	KCT_OPTS(kct_symbol, s);

	if (!pc) {
		*out = (struct pc_name){ UNKNOWN_FRAME, strlen(UNKNOWN_FRAME), 0 };
		return;
	}
	c->lookups += sym != NULL;
	if (sym && !kct_symbolize(sym, pc, &s)) {
		out->name = s.name;
		out->len = s.name_len;
		out->addr = s.addr;
		c->sym = sym;
		c->last = *out;
		c->frame = *out;
		c->size = s.size;
		if (s.frame_addr != s.addr) {
			KCT_OPTS(kct_symbol, f);

			if (!kct_symbolize(sym, s.frame_addr, &f))
				c->frame = (struct pc_name){ f.name, f.name_len, f.addr };
		}
	} else {
		if (sym && sym == symstate.sym) {
			uint64_t start;

			if (!symstate.end && kct_symbolizer_span(sym, &start, &symstate.end))
				symstate.end = UINT64_MAX;
			symstate.past_end += pc >= symstate.end;
		}
		symstate.unresolved += sym != NULL;
		out->name = NULL;
		out->len = 0;
		out->addr = pc;
	}
}

/* EXITs whose records and their ENTERs' land in different functions: with
 * the traced kernel's symbols, a function returns where it was entered (or
 * from a part of it placed apart, GCC's foo.cold: the same frame). */
void check_exits(const struct kct_event *evs, int nr)
{
	KCT_OPTS(kct_symbol, a);
	KCT_OPTS(kct_symbol, b);

	for (int i = 0; i < nr; i++) {
		const struct kct_event *ev = &evs[i];

		/* Made-up halves and frames begun before the stream have no
		 * two records to compare. */
		if (ev->type != KCT_EVENT_EXIT || (ev->flags & KCT_EVENT_F_SYNTHETIC) ||
		    !ev->entry_pc || !ev->pc)
			continue;
		symstate.exits++;
		if (kct_symbolize(symstate.sym, ev->pc, &a))
			continue;
		/* The entry in the exit's function, as it nearly always is:
		 * no second look-up. */
		if (ev->entry_pc - a.addr < a.size)
			continue;
		if (!kct_symbolize(symstate.sym, ev->entry_pc, &b) && a.frame_addr != b.frame_addr)
			symstate.mismatched++;
	}
}

void check_exits_in_stream(bool on)
{
	symstate.skip_exits = !on;
}
