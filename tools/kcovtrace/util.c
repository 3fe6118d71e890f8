// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcovtrace-tool.h"

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

/*
 * The symbolizer every command shares, and what it saw: for the warnings
 * close_symbolizer() gives of symbols that do not fit the trace.
 */
static struct {
	struct kct_symbolizer *sym;
	const char *source;	/* the file symbols come from, for messages */
	uint64_t unresolved;	/* pc_name() calls without a symbol */
	uint64_t past_end;	/* of them, past the last function's end */
	uint64_t end;		/* that end (kct_symbolizer_span()), 0 if none */
	uint64_t exits, mismatched;	/* EXITs checked, in another function */
	bool skip_exits;	/* not in this stream: records were lost */
} symstate;

/*
 * Whether a symbol list has a "[module]" column, which only /proc/kallsyms
 * has: a System.map that has one is likely kallsyms given by mistake.
 * Nothing else tells the two apart (kallsyms of an SMP x86-64 kernel lists
 * per-cpu symbols as absolute, as a System.map lists its own): what the
 * user said the file is, it is read as.
 */
static bool lists_modules(const char *path)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;	/* the loader says why */
	while (!found && fgets(line, sizeof(line), f))
		found = strchr(line, '[') != NULL;
	fclose(f);
	return found;
}

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
		/* Read first: a file that is no list at all gets one error. */
		add_system_map(sym, opts->system_map);
		if (lists_modules(opts->system_map))
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

struct kct_trace *open_trace(const char *path)
{
	KCT_OPTS(kct_trace_info, info);
	KCT_OPTS(kct_stream_info, last);
	struct kct_trace *trace;
	int err = kct_trace_open(path, &trace);

	if (err)
		die("%s: %s", path, kct_strerror(err));
	kct_trace_get_info(trace, &info);
	if (!(info.flags & KCT_TRACE_F_TRUNCATED))
		return trace;
	if (info.nr_streams)
		kct_trace_stream(trace, info.nr_streams - 1, &last);
	if (last.flags & KCT_STREAM_F_TRUNCATED)
		warn("%s: truncated trace (%llu of %llu bytes): reading %u of its %u streams, "
		     "the last cut after %llu of its %llu records", path,
		     (unsigned long long)info.bytes_present, (unsigned long long)info.bytes_expected,
		     info.nr_streams, info.nr_streams_written, (unsigned long long)last.records,
		     (unsigned long long)last.records_written);
	else
		warn("%s: truncated trace (%llu of %llu bytes): reading %u of its %u streams", path,
		     (unsigned long long)info.bytes_present, (unsigned long long)info.bytes_expected,
		     info.nr_streams, info.nr_streams_written);
	return trace;
}

const char *stream_kind_name(uint32_t kind)
{
	switch (kind) {
	case KCT_STREAM_KIND_TASK:
		return "task";
	case KCT_STREAM_KIND_EXEC:
		return "exec";
	case KCT_STREAM_KIND_SYSCALL:
		return "syscall";
	case KCT_STREAM_KIND_REMOTE:
		return "remote";
	default:
		return "stream";
	}
}

const char *kcov_mode_name(uint32_t mode)
{
	switch (mode) {
	case KCT_MODE_TRACE_PC_EXT:
		return "KCOV_TRACE_PC_EXT";
	case KCT_MODE_TRACE_PC:
		return "KCOV_TRACE_PC";
	case KCT_MODE_TRACE_CMP:
		return "KCOV_TRACE_CMP";
	default:
		return "?";
	}
}

/* Appends to buf, of which *n bytes are used; never past size. */
static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n >= size)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	*n += k > 0 ? (size_t)k : 0;
}

const char *task_title(const struct kct_stream_info *sh, char *buf, size_t size)
{
	const char *comm = sh->comm[0] ? ", comm " : "";
	size_t n = 0;

	if (sh->tid)
		append(buf, size, &n, "task %d (pid %d%s%s)", sh->tid, sh->pid, comm, sh->comm);
	else if (sh->pid)
		append(buf, size, &n, "pid %d%s%s", sh->pid, comm, sh->comm);
	else
		append(buf, size, &n, "no known task");
	return buf;
}

/* A string argument as strace shows it: quoted, escaped, "..." after the
 * quote where it was cut. */
static void append_string(char *buf, size_t size, size_t *n, const char *s, bool cut)
{
	append(buf, size, n, "\"");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			append(buf, size, n, "\\%c", c);
		else if (c == '\n')
			append(buf, size, n, "\\n");
		else if (c == '\t')
			append(buf, size, n, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			append(buf, size, n, "\\x%02x", c);
		else
			append(buf, size, n, "%c", c);
	}
	append(buf, size, n, cut ? "\"..." : "\"");
}

const char *stream_title(const struct kct_trace *trace, uint32_t i,
			 const struct kct_stream_info *sh, char *buf, size_t size)
{
	const char *name = syscall_name(sh->syscall);
	char task[64];
	size_t n = 0;

	append(buf, size, &n, "stream %u", i);
	if (sh->kind == KCT_STREAM_KIND_EXEC || sh->kind == KCT_STREAM_KIND_SYSCALL ||
	    (sh->kind != KCT_STREAM_KIND_TASK && sh->kind != KCT_STREAM_KIND_REMOTE &&
	     sh->syscall != KCT_STREAM_NO_SYSCALL)) {
		append(buf, size, &n, ": %s ", sh->kind == KCT_STREAM_KIND_EXEC ? "exec" : "syscall");
		if (name)
			append(buf, size, &n, "%s (%d)", name, sh->syscall);
		else
			append(buf, size, &n, "%d", sh->syscall);
		for (int a = 0; (sh->flags & KCT_STREAM_F_ARGS) && a < 6; a++) {
			bool cut;
			const char *s = kct_trace_stream_string(trace, i, a, &cut);

			append(buf, size, &n, a ? ", " : " args ");
			if (s)
				append_string(buf, size, &n, s, cut);
			else
				append(buf, size, &n, "0x%llx", (unsigned long long)sh->args[a]);
		}
	} else if (sh->kind == KCT_STREAM_KIND_REMOTE) {
		append(buf, size, &n, ": remote section, handle 0x%llx",
		       (unsigned long long)sh->remote_handle);
	}
	/* Traces of other writers may not say whose a stream is. */
	if (sh->tid || sh->pid)
		append(buf, size, &n, ": %s", task_title(sh, task, sizeof(task)));
	return buf;
}

struct kct_decoder *open_stream(struct kct_trace *trace, uint32_t stream,
				const char *path)
{
	struct kct_decoder *dec;
	int err = kct_trace_decoder(trace, stream, &dec);

	if (err)
		die("%s: %s", path, kct_strerror(err));
	return dec;
}

/* EXITs whose records and their ENTERs' land in different functions: with
 * the traced kernel's symbols, a function returns where it was entered (or
 * from a part of it placed apart, GCC's foo.cold: the same frame). */
static void check_exits(const struct kct_event *evs, int nr)
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

/*
 * The functions a task's records end in when it exits: do_exit(), called by
 * do_group_exit() for exit_group(), by get_signal() (from
 * arch_do_signal_or_restart()) for a fatal signal.  The exit_group() and
 * exit() syscalls themselves never return, so no hook marks them.
 */
static bool exit_path(uint64_t pc)
{
	static const char *const names[] = {
		"do_exit", "do_group_exit", "get_signal", "arch_do_signal_or_restart",
	};
	KCT_OPTS(kct_symbol, s);

	if (!pc || kct_symbolize(symstate.sym, pc, &s))
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s.name_len == strlen(names[i]) && !memcmp(s.name, names[i], s.name_len))
			return true;
	return false;
}

/*
 * The frames the decoder completes at the end of the stream, the last run
 * of KCT_EVENT_F_UNFINISHED exits, are its task's way out if the outermost
 * of them is of exit_path(): then r->unbalanced->exit_path counts them.  A
 * run that any other event follows was a saturated EESUM record's.
 */
static void find_exit_path(struct event_reader *r)
{
	int i = r->nr;

	/* The batch's last run of such exits, from its end back: any other
	 * event before it ends the runs before (nearly every batch ends
	 * with another event, and this loop then with none). */
	while (i > 0 && r->batch[i - 1].type == KCT_EVENT_EXIT &&
	       (r->batch[i - 1].flags & KCT_EVENT_F_UNFINISHED))
		i--;
	if (i > 0) {
		r->unfinished = 0;
		r->unbalanced->exit_path = 0;
	}
	for (; i < r->nr; i++) {
		const struct kct_event *ev = &r->batch[i];

		r->unfinished++;
		if (!ev->depth && exit_path(ev->entry_pc))
			r->unbalanced->exit_path = r->unfinished;
	}
}

bool event_reader_fill(struct event_reader *r)
{
	KCT_OPTS(kct_decoder_stats, st);

	r->nr = kct_decoder_next_batch(r->dec, r->batch, sizeof(r->batch[0]), 256);
	r->at = 0;
	if (r->nr <= 0) {
		if (r->nr < 0)
			die("decoding: %s", kct_strerror(r->nr));
		r->nr = 0;
		return false;
	}
	if (symstate.sym) {
		if (!symstate.skip_exits)
			check_exits(r->batch, r->nr);
		find_exit_path(r);
	}
	/* The decoder counts such a record before its event comes: look for
	 * the event only while some are still to come. */
	kct_decoder_get_stats(r->dec, &st);
	for (int i = 0; i < r->nr && st.saturated != r->saturated; i++) {
		const struct kct_event *ev = &r->batch[i];
		struct unbalanced *u = r->unbalanced;

		if (ev->type != KCT_EVENT_EESUM || !(ev->flags & KCT_EVENT_F_SATURATED))
			continue;
		r->saturated++;
		if (!u->count++) {
			u->index = ev->index;
			u->stream = r->stream;
			u->malformed = eesum_malformed(ev);
		}
	}
	return true;
}

void warn_unbalanced(const char *path, const struct unbalanced *u)
{
	const char *what = u->malformed ? "malformed" : "saturated";

	if (u->count == 1)
		warn("%s: stream %u cannot be balanced across a %s EESUM record at index %llu; "
		     "the call tree restarts after it", path, u->stream, what,
		     (unsigned long long)u->index);
	else if (u->count)
		warn("%s: stream %u cannot be balanced across a %s EESUM record at index %llu, "
		     "nor across %llu more such records; the call tree restarts after each",
		     path, u->stream, what, (unsigned long long)u->index,
		     (unsigned long long)(u->count - 1));
}
