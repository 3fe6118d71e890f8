# SPDX-License-Identifier: GPL-2.0-only
# kcovtrace, the command-line tool.

KCOVTRACE := $(BIN)/kcovtrace
KCOVTRACE_SRCS := $(wildcard tools/kcovtrace/*.c)
KCOVTRACE_OBJS := $(KCOVTRACE_SRCS:%.c=$(OBJ)/%.o)

# The syscall table, from the C library's <sys/syscall.h>.
$(OBJ)/tools/kcovtrace/syscall-table.h: | deps-base
	@mkdir -p $(@D)
	echo '#include <sys/syscall.h>' | $(CC) -dM -E -x c - | \
		sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9][0-9]*\)$$/\t{ "\1", \2 },/p' | \
		LC_ALL=C sort > $@.tmp
	test -s $@.tmp
	{ echo 'static const struct { const char *name; int nr; } syscall_table[] = {'; \
	  cat $@.tmp; echo '};'; } > $@ && rm -f $@.tmp

# -Ilib: lib/kcov_uapi.h, kcov's UAPI (the library's private header).
$(OBJ)/tools/kcovtrace/%.o: tools/kcovtrace/%.c $(wildcard tools/kcovtrace/*.h) include/kcovtrace.h lib/kcov_uapi.h \
		$(OBJ)/tools/kcovtrace/syscall-table.h | deps-lib
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Ilib -I$(OBJ)/tools/kcovtrace -c -o $@ $<

$(KCOVTRACE): $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A) | $(BIN)/.dir
	$(CC) $(LDFLAGS) -o $@ $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A) $(LIB_LDLIBS)

tools: $(KCOVTRACE)
all: tools
.PHONY: tools

# kcovtrace linked statically, for a test machine or guest without libdw
# (glibc warns that libdw's optional debuginfod and dlopen need the shared
# libraries at run time: libdw uses neither, race's dlopen() of a test case
# needs the glibc it was linked with, or says it cannot load it).
KCOVTRACE_STATIC := $(BIN)/kcovtrace-static
$(KCOVTRACE_STATIC): $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A) | $(BIN)/.dir
	$(CC) -static -o $@ $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A) -ldw -lelf -lz -llzma -lbz2 \
		2>&1 | { grep -v "dlopen\|debuginfod\|: in function .race_case_load" || true; }
	test -x $@
tools-static: $(KCOVTRACE_STATIC)
.PHONY: tools-static

install: install-tools
install-tools: tools
	install -D -m 0755 $(KCOVTRACE) $(DESTDIR)$(PREFIX)/bin/kcovtrace
	install -D -m 0644 docs/kcovtrace.1 $(DESTDIR)$(PREFIX)/share/man/man1/kcovtrace.1
.PHONY: install-tools
