// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov-cc: a compiler driver that accepts -fsanitize-coverage=trace-pc-entry-exit
 * on clang and on GCC.
 *
 *   kcov-cc [compiler arguments]
 *
 * Where the compiler has the flag natively (LLVM 23 and later) the command
 * line is passed through untouched.  Otherwise the flag is rewritten into a
 * kcov-ext plugin: the LLVM pass plugin for clang, the GCC plugin for GCC,
 * each built for one major version of its compiler.  KCOV_CC selects the
 * compiler (default: the clang the LLVM plugin was built with; KCOV_CC=gcc
 * for GCC); kcov-cc finds out which kind it is.  KCOV_CC_PLUGIN overrides
 * the plugin path.
 *
 * The kernel build calls the compiler thousands of times, so what kcov-cc
 * learns about a compiler (clang or GCC, which major, does it know the flag)
 * is cached per compiler binary, keyed by its path, inode, size and mtime,
 * and, behind ccache, by those of the compiler ccache runs.  A cache
 * directory or file that another user owns or can write is not believed.
 *
 * Response files (@FILE, as CMake, Ninja and Meson write them) are read as
 * the compilers read them, and their words take their place.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KCOV_DEFAULT_CC
#define KCOV_DEFAULT_CC "clang"
#endif
#ifndef KCOV_PLUGIN_LLVM_MAJOR
#define KCOV_PLUGIN_LLVM_MAJOR 0
#endif
#ifndef KCOV_PLUGIN_GCC_MAJOR
#define KCOV_PLUGIN_GCC_MAJOR 0
#endif
/* Relative to the directory holding kcov-cc; the same in build/ and PREFIX. */
#define KCOV_PLUGIN_RELPATH "../lib/kcov-ext/kcov-entry-exit.so"
/* GCC takes a plugin's name from its file name, up to the first '-', to
 * match -fplugin-arg-NAME-KEY=VALUE: hence the underscores. */
#define KCOV_GCC_PLUGIN_NAME "kcov_entry_exit_gcc"
#define KCOV_GCC_PLUGIN_RELPATH "../lib/kcov-ext/" KCOV_GCC_PLUGIN_NAME ".so"

#define ENTRY_EXIT "trace-pc-entry-exit"
#define COV_ON "-fsanitize-coverage="
#define COV_OFF "-fno-sanitize-coverage="

/* Features each plugin implements next to trace-pc-entry-exit (GCC has
 * only these two; its own sancov pass does them). */
static const char *const plugin_features[] = {
	ENTRY_EXIT, "trace-pc", "trace-cmp", "func", "bb", "edge",
};
static const char *const gcc_plugin_features[] = {
	ENTRY_EXIT, "trace-pc", "trace-cmp",
};

/* Options that change which functions are instrumented, which the plugin
 * does not read: combined with the plugin they would be silently ignored. */
static const char *const plugin_unsupported_opts[] = {
	"-fsanitize-coverage-allowlist=",
	"-fsanitize-coverage-ignorelist=",
	"-fsanitize-coverage-whitelist=",
	"-fsanitize-coverage-blacklist=",
};

struct compiler_info {
	int clang_major;	/* 0: not clang */
	int gcc_major;		/* 0: not GCC (clang, which defines __GNUC__ too) */
	bool native;		/* accepts -fsanitize-coverage=trace-pc-entry-exit */
};

static const char *cc_name;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("kcov-cc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		die("out of memory");
	return p;
}

/* An ordered set of coverage feature words, as clang computes it. */
struct feature_set {
	const char *word[64];
	size_t len[64];
	int n;
};

static int feature_find(const struct feature_set *s, const char *w, size_t len)
{
	for (int i = 0; i < s->n; i++)
		if (s->len[i] == len && !memcmp(s->word[i], w, len))
			return i;
	return -1;
}

static void feature_apply(struct feature_set *s, const char *list, bool on)
{
	const char *w = list;

	while (*w) {
		size_t len = strcspn(w, ",");
		int i = feature_find(s, w, len);

		if (len && on && i < 0) {
			if (s->n == 64)
				die("too many -fsanitize-coverage features");
			s->word[s->n] = w;
			s->len[s->n++] = len;
		} else if (len && !on && i >= 0) {
			memmove(&s->word[i], &s->word[i + 1], (s->n - i - 1) * sizeof(s->word[0]));
			memmove(&s->len[i], &s->len[i + 1], (s->n - i - 1) * sizeof(s->len[0]));
			s->n--;
		}
		w += len + (w[len] == ',');
	}
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * Finds a program the way execvp() would, skipping any that resolves to the
 * file skip (ccache does so to find the compiler it stands for); returns a
 * malloc'ed path or NULL.
 */
static char *find_program_except(const char *name, const char *skip)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : strdup(name);
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		char *cand = xmalloc(len + strlen(name) + 3), *real;

		sprintf(cand, "%.*s/%s", (int)len, len ? path : ".", name);
		path += len + (path[len] == ':');
		if (access(cand, X_OK)) {
			free(cand);
			continue;
		}
		if (!skip)
			return cand;
		real = realpath(cand, NULL);
		if (real && strcmp(real, skip)) {
			free(cand);
			return real;
		}
		free(real);
		free(cand);
	}
	return NULL;
}

static char *find_program(const char *name)
{
	return find_program_except(name, NULL);
}

/* Runs argv with stdout captured into buf (NUL-terminated); returns the exit
 * status, or -1 if it could not run. */
static int run_capture(char *const argv[], char *buf, size_t size)
{
	int pipefd[2], status;
	size_t used = 0;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(pipefd[1], 1);
		dup2(null, 0);
		dup2(null, 2);
		close(pipefd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t r = read(pipefd[0], buf + used, size - 1 - used);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		used += r;
		if (used == size - 1)
			break;
	}
	buf[used] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void probe_compiler(const char *cc, struct compiler_info *info)
{
	static char out[1 << 16];
	char *dm_argv[] = { (char *)cc, "-x", "c", "-E", "-dM", "/dev/null", NULL };
	char *native_argv[] = { (char *)cc, "-Werror", COV_ON ENTRY_EXIT, "-x", "c",
				"-c", "/dev/null", "-o", "/dev/null", NULL };
	const char *m;

	info->clang_major = 0;
	info->gcc_major = 0;
	if (run_capture(dm_argv, out, sizeof(out)) != 0)
		die("%s: cannot run the compiler's preprocessor", cc_name);
	m = strstr(out, "#define __clang_major__ ");
	if (m)
		info->clang_major = atoi(m + strlen("#define __clang_major__ "));
	m = strstr(out, "#define __GNUC__ ");
	if (m && !info->clang_major)
		info->gcc_major = atoi(m + strlen("#define __GNUC__ "));
	info->native = run_capture(native_argv, out, sizeof(out)) == 0;
}

/*
 * Response files.  Both compilers read @FILE as words separated by white
 * space, where quotes ('...' and "...") group and a backslash takes the
 * next character as it is; a file may name others.  A file that cannot be
 * read stays a word of its own, as the compilers keep it.
 */
struct argv_buf {
	char **v;
	int n, cap;
};

static void argv_push(struct argv_buf *a, char *word)
{
	if (a->n + 1 >= a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (!a->v)
			die("out of memory");
	}
	a->v[a->n++] = word;
	a->v[a->n] = NULL;
}

static void expand_arg(struct argv_buf *out, char *arg, int depth);

static void expand_file(struct argv_buf *out, const char *text, int depth)
{
	size_t len = strlen(text);
	char *word = xmalloc(len + 1);
	size_t w = 0;
	bool in_word = false;
	char quote = 0;

	for (const char *p = text; ; p++) {
		if (*p == '\\' && p[1]) {
			word[w++] = *++p;
			in_word = true;
		} else if (quote && *p == quote) {
			quote = 0;
		} else if (quote && *p) {
			word[w++] = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			in_word = true;
		} else if (*p && !strchr(" \t\n\r\f\v", *p)) {
			word[w++] = *p;
			in_word = true;
		} else {
			if (in_word) {
				word[w] = '\0';
				expand_arg(out, strdup(word), depth + 1);
				w = 0;
				in_word = false;
			}
			if (!*p)
				break;
		}
	}
	free(word);
}

static void expand_arg(struct argv_buf *out, char *arg, int depth)
{
	FILE *f;
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;

	if (arg[0] != '@' || depth > 32 || !(f = fopen(arg + 1, "r"))) {
		argv_push(out, arg);
		return;
	}
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	expand_file(out, n > 0 ? text : "", depth);
	free(text);
}

/* argv with every @FILE read; argv itself when there is none. */
static char **expand_response_files(int *argc, char **argv)
{
	struct argv_buf out = { 0 };
	bool any = false;

	for (int i = 1; i < *argc; i++)
		any |= argv[i][0] == '@';
	if (!any)
		return argv;
	argv_push(&out, argv[0]);
	for (int i = 1; i < *argc; i++)
		expand_arg(&out, argv[i], 0);
	*argc = out.n;
	return out.v;
}

static uint64_t fnv1a(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static char *cache_dir(void)
{
	const char *base = getenv("KCOV_CC_CACHE");
	char *dir;

	if (base && *base)
		return strdup(base);
	base = getenv("XDG_CACHE_HOME");
	if (base && *base) {
		if (asprintf(&dir, "%s/kcov-cc", base) < 0)
			return NULL;
		return dir;
	}
	base = getenv("HOME");
	if (base && *base) {
		if (asprintf(&dir, "%s/.cache/kcov-cc", base) < 0)
			return NULL;
		return dir;
	}
	if (asprintf(&dir, "/tmp/kcov-cc-%u", (unsigned)getuid()) < 0)
		return NULL;
	return dir;
}

/* Ours alone: owned by us, and nobody else may write to it. */
static bool trusted(const struct stat *st)
{
	return st->st_uid == getuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static void mkdir_p(char *dir)
{
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	mkdir(dir, 0700);
}

/*
 * What identifies the compiler that runs: the path, and the device, inode,
 * size and mtime of the file it resolves to; behind ccache (a link to it,
 * named as the compiler), those of the compiler ccache finds next in PATH,
 * the way ccache finds it, too.  A change to either probes again.
 */
/* NAME, and the device, inode, size and mtime of the file st is of. */
static int file_id(char *buf, size_t size, const char *name, const struct stat *st)
{
	return snprintf(buf, size, "%s %llu %llu %lld %lld.%09ld", name,
			(unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
			(long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

static void compiler_key(const char *cc_path, char *key, size_t size)
{
	char *real = realpath(cc_path, NULL), *behind = NULL;
	const char *base = strrchr(cc_path, '/') ? strrchr(cc_path, '/') + 1 : cc_path;
	struct stat st;
	int len;

	if (!real || stat(real, &st))
		die("%s: %s", cc_name, strerror(errno));
	len = file_id(key, size, cc_path, &st);
	if (!strcmp(strrchr(real, '/') + 1, "ccache") && strcmp(base, "ccache") &&
	    (behind = find_program_except(base, real)) && !stat(behind, &st) &&
	    len + 16 < (int)size) {
		len += snprintf(key + len, size - len, " behind ccache: ");
		file_id(key + len, size - len, behind, &st);
	}
	free(behind);
	free(real);
}

/* Looks the compiler up in the probe cache, probing and storing on a miss.
 * A cache that cannot be written only costs speed. */
static void compiler_info(const char *cc_path, struct compiler_info *info)
{
	char key[3 * PATH_MAX + 256], *dir, *file = NULL, *tmp = NULL;
	struct stat st;
	FILE *f = NULL;
	int fd;

	compiler_key(cc_path, key, sizeof(key));
	dir = cache_dir();
	if (dir && asprintf(&file, "%s/%016llx", dir,
			    (unsigned long long)fnv1a(key, strlen(key), 0xcbf29ce484222325ULL)) < 0)
		file = NULL;
	/* A cache that is not ours alone could say anything: probe, keep
	 * nothing. */
	if (file) {
		mkdir_p(dir);
		if (lstat(dir, &st) || !S_ISDIR(st.st_mode) || !trusted(&st)) {
			free(file);
			file = NULL;
		}
	}
	if (file)
		f = fopen(file, "r");
	if (f && (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || !trusted(&st))) {
		fclose(f);
		f = NULL;
	}
	if (f) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n = getline(&line, &cap, f);
		int native;

		if (n > 0 && line[n - 1] == '\n' && (size_t)n - 1 == strlen(key) &&
		    !memcmp(line, key, n - 1) &&
		    fscanf(f, "clang_major=%d gcc_major=%d native=%d", &info->clang_major,
			   &info->gcc_major, &native) == 3) {
			info->native = native;
			free(line);
			fclose(f);
			free(file);
			free(dir);
			return;
		}
		free(line);
		fclose(f);
	}
	probe_compiler(cc_path, info);
	if (file) {
		if (asprintf(&tmp, "%s.%d.tmp", file, (int)getpid()) >= 0 &&
		    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0600)) >= 0 &&
		    (f = fdopen(fd, "w"))) {
			fprintf(f, "%s\nclang_major=%d gcc_major=%d native=%d\n", key,
				info->clang_major, info->gcc_major, info->native);
			if (fclose(f) == 0)
				rename(tmp, file);
			unlink(tmp);
		}
	}
	free(tmp);
	free(file);
	free(dir);
}

static char *plugin_path(const char *relpath)
{
	const char *env = getenv("KCOV_CC_PLUGIN");
	char self[PATH_MAX], *slash, *path;
	ssize_t n;

	if (env && *env)
		return strdup(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("cannot find myself: /proc/self/exe: %s", strerror(errno));
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	if (asprintf(&path, "%s/%s", self, relpath) < 0)
		die("out of memory");
	return path;
}

/* Drops the word ENTRY_EXIT from a -f[no-]sanitize-coverage= argument;
 * returns NULL when nothing is left of it. */
static char *strip_entry_exit(const char *arg)
{
	const char *eq = strchr(arg, '=') + 1, *w = eq;
	char *out = xmalloc(strlen(arg) + 1), *o;

	memcpy(out, arg, eq - arg);
	o = out + (eq - arg);
	while (*w) {
		size_t len = strcspn(w, ",");

		if (len && !(len == strlen(ENTRY_EXIT) && !memcmp(w, ENTRY_EXIT, len))) {
			if (o[-1] != '=')
				*o++ = ',';
			memcpy(o, w, len);
			o += len;
		}
		w += len + (w[len] == ',');
	}
	*o = '\0';
	if (o[-1] == '=') {
		free(out);
		return NULL;
	}
	return out;
}

static void __attribute__((noreturn)) run(char **args)
{
	if (getenv("KCOV_CC_VERBOSE")) {
		for (int i = 0; args[i]; i++)
			fprintf(stderr, "%s%s", i ? " " : "", args[i]);
		fputc('\n', stderr);
	}
	execv(args[0], args);
	die("%s: %s", args[0], strerror(errno));
}

static bool plugin_supports(const char *const *features, size_t n, const char *word, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (len == strlen(features[i]) && !memcmp(word, features[i], len))
			return true;
	return false;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Refuses what the plugin would silently ignore. */
static void check_plugin_can_do(const struct feature_set *all, int argc, char **argv,
				const char *compiler, int major)
{
	bool gcc = !strcmp(compiler, "GCC");
	const char *const *features = gcc ? gcc_plugin_features : plugin_features;
	size_t n = gcc ? ARRAY_SIZE(gcc_plugin_features) : ARRAY_SIZE(plugin_features);

	for (int i = 0; i < all->n; i++)
		if (!plugin_supports(features, n, all->word[i], all->len[i]))
			die("-fsanitize-coverage=%.*s cannot be combined with " ENTRY_EXIT
			    " on %s %d (the plugin supports %s)",
			    (int)all->len[i], all->word[i], compiler, major,
			    gcc ? "trace-pc, trace-cmp" : "trace-pc, trace-cmp, func, bb, edge");
	for (int i = 1; i < argc; i++)
		for (size_t j = 0; j < ARRAY_SIZE(plugin_unsupported_opts); j++)
			if (starts_with(argv[i], plugin_unsupported_opts[j]))
				die("%.*s cannot be combined with " ENTRY_EXIT " on %s %d",
				    (int)strlen(plugin_unsupported_opts[j]) - 1, argv[i], compiler,
				    major);
}

/* PREFIX followed by "w1,w2,...": the feature list for a plugin. */
static char *plugin_feature_option(const char *prefix, const struct feature_set *all)
{
	size_t len = strlen(prefix) + 1;
	char *opt, *o;

	for (int i = 0; i < all->n; i++)
		len += all->len[i] + 1;
	opt = xmalloc(len);
	o = stpcpy(opt, prefix);
	for (int i = 0; i < all->n; i++) {
		if (i)
			*o++ = ',';
		memcpy(o, all->word[i], all->len[i]);
		o += all->len[i];
	}
	*o = '\0';
	return opt;
}

/*
 * GCC: its own sancov pass places the hooks, with trace-pc on (GCC's
 * coverage is per block and has no function-level mode), and the plugin,
 * which runs right after it, turns them into entry/exit hooks and removes
 * the block hooks again when trace-pc was not asked for.  With coverage on,
 * GCC honours no_sanitize_coverage, which the kernel's noinstr uses.
 */
static char **gcc_plugin_args(char **args, int nargs, const struct feature_set *all,
			      int argc, char **argv, int major)
{
	char *plugin, *opt;

	bool lto = false;

	if (major != KCOV_PLUGIN_GCC_MAJOR)
		die("%s is GCC %d; the kcov-ext GCC plugin is built for GCC %d",
		    cc_name, major, KCOV_PLUGIN_GCC_MAJOR);
	/* With LTO, GCC's code generation (sancov, and the plugin after it)
	 * runs in the link step, which would need the plugin and the flags
	 * again: without them, no hooks and no word about it. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-flto") || starts_with(argv[i], "-flto="))
			lto = true;
		else if (!strcmp(argv[i], "-fno-lto"))
			lto = false;
	}
	if (lto)
		die("%s with -flto: the GCC plugin would run only in the link step; "
		    "build without -flto, or with clang", cc_name);
	check_plugin_can_do(all, argc, argv, "GCC", major);
	plugin = plugin_path(KCOV_GCC_PLUGIN_RELPATH);
	if (access(plugin, R_OK))
		die("plugin %s: %s (set KCOV_CC_PLUGIN)", plugin, strerror(errno));
	if (feature_find(all, "trace-pc", strlen("trace-pc")) < 0)
		args[nargs++] = COV_ON "trace-pc";
	if (asprintf(&opt, "-fplugin=%s", plugin) < 0)
		die("out of memory");
	args[nargs++] = opt;
	args[nargs++] = plugin_feature_option("-fplugin-arg-" KCOV_GCC_PLUGIN_NAME
					      "-sanitize-coverage=", all);
	args[nargs] = NULL;
	return args;
}

int main(int argc, char **argv)
{
	struct feature_set all = { 0 }, rest;
	struct compiler_info info;
	const char *env_cc = getenv("KCOV_CC");
	bool mentioned = false;
	char **args, *cc_path, *plugin;
	int nargs = 0;

	cc_name = env_cc && *env_cc ? env_cc : KCOV_DEFAULT_CC;
	argv = expand_response_files(&argc, argv);
	for (int i = 1; i < argc; i++) {
		bool on = starts_with(argv[i], COV_ON);

		if (!on && !starts_with(argv[i], COV_OFF))
			continue;
		feature_apply(&all, strchr(argv[i], '=') + 1, on);
		mentioned |= !!strstr(argv[i], ENTRY_EXIT);
	}

	cc_path = find_program(cc_name);
	if (!cc_path)
		die("compiler '%s'%s not found", cc_name, env_cc && *env_cc ? " (from KCOV_CC)" : "");
	argv[0] = cc_path;
	if (!mentioned)
		run(argv);
	compiler_info(cc_path, &info);
	if (info.native)
		run(argv);

	/* The compiler would reject the word: drop it from every list. */
	args = xmalloc((argc + 16) * sizeof(*args));
	args[nargs++] = cc_path;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];

		if ((starts_with(a, COV_ON) || starts_with(a, COV_OFF)) && !(a = strip_entry_exit(a)))
			continue;
		args[nargs++] = a;
	}
	args[nargs] = NULL;
	if (feature_find(&all, ENTRY_EXIT, strlen(ENTRY_EXIT)) < 0)
		run(args); /* turned off again by -fno-sanitize-coverage= */

	if (info.gcc_major)
		run(gcc_plugin_args(args, nargs, &all, argc, argv, info.gcc_major));
	if (!info.clang_major)
		die("%s is neither clang nor GCC: -fsanitize-coverage=" ENTRY_EXIT
		    " needs clang %d or GCC %d with the kcov-ext plugin, or clang 23+",
		    cc_name, KCOV_PLUGIN_LLVM_MAJOR, KCOV_PLUGIN_GCC_MAJOR);
	if (info.clang_major != KCOV_PLUGIN_LLVM_MAJOR)
		die("%s is clang %d without native -fsanitize-coverage=" ENTRY_EXIT
		    "; the plugin is built for clang %d",
		    cc_name, info.clang_major, KCOV_PLUGIN_LLVM_MAJOR);
	check_plugin_can_do(&all, argc, argv, "clang", info.clang_major);
	plugin = plugin_path(KCOV_PLUGIN_RELPATH);
	if (access(plugin, R_OK))
		die("plugin %s: %s (set KCOV_CC_PLUGIN)", plugin, strerror(errno));

	/*
	 * clang must still see coverage enabled: only then does it turn
	 * no_sanitize("coverage") into nosanitize_coverage, and only then is
	 * __has_feature(coverage_sanitizer) true (the kernel's noinstr uses it).
	 * The plugin marks every function it has seen, so clang's own pass
	 * adds nothing.
	 */
	rest = all;
	feature_apply(&rest, ENTRY_EXIT, false);
	if (!rest.n)
		args[nargs++] = COV_ON "trace-pc";
	/* -Xclang keeps all of this away from an LTO link step. */
	args[nargs++] = "-Xclang";
	args[nargs++] = "-load";
	args[nargs++] = "-Xclang";
	args[nargs++] = plugin;
	args[nargs++] = "-Xclang";
	if (asprintf(&args[nargs++], "-fpass-plugin=%s", plugin) < 0)
		die("out of memory");
	args[nargs++] = "-Xclang";
	args[nargs++] = "-mllvm";
	args[nargs++] = "-Xclang";
	args[nargs++] = plugin_feature_option("-kcov-sanitize-coverage=", &all);
	args[nargs] = NULL;
	run(args);
}
