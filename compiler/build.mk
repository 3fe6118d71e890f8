# SPDX-License-Identifier: GPL-2.0-only
# The LLVM pass plugin, the GCC plugin and the kcov-cc driver.

PLUGIN := $(LIBDIR)/kcov-ext/kcov-entry-exit.so
GCC_PLUGIN := $(LIBDIR)/kcov-ext/kcov_entry_exit_gcc.so
KCOV_CC := $(BIN)/kcov-cc

PLUGIN_CXXFLAGS := -isystem $(LLVM_INCDIR) -std=c++17 -fno-exceptions -fno-rtti \
	-D_GNU_SOURCE -D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS \
	-D__STDC_LIMIT_MACROS -fPIC -O2 -g -Wall -Wextra -Werror \
	-DKCOV_PLUGIN_VERSION=\"$(shell scripts/git describe --always --dirty 2>/dev/null || echo 0)\"
# No libLLVM in DT_NEEDED: the plugin must use the LLVM of the process that
# loads it.  -z now makes a foreign LLVM fail at dlopen() with an undefined
# symbol, instead of crashing when a lazily bound call is first made.
PLUGIN_LDFLAGS := -shared -Wl,-z,now

$(PLUGIN): compiler/plugin/KcovEntryExit.cpp | deps-compiler
	@mkdir -p $(@D)
	$(CLANGXX) $(PLUGIN_CXXFLAGS) $(PLUGIN_LDFLAGS) -o $@ $<

# The GCC plugin: C++ against GCC's internals, for exactly the GCC it was
# built with (GCC checks the version when it loads the plugin).
GCC_PLUGIN_INCDIR = $(shell $(GCC_PLUGIN_CC) -print-file-name=plugin)/include
GCC_PLUGIN_CXXFLAGS := -std=gnu++17 -fno-rtti -fno-exceptions -fPIC -O2 -g \
	-Wall -Wextra -Werror -Wno-missing-field-initializers \
	-DKCOV_PLUGIN_VERSION=\"$(shell scripts/git describe --always --dirty 2>/dev/null || echo 0)\"
$(GCC_PLUGIN): compiler/gcc-plugin/kcov_entry_exit_gcc.cc | deps-compiler
	@mkdir -p $(@D)
	$(GCC_PLUGIN_CXX) -I$(GCC_PLUGIN_INCDIR) $(GCC_PLUGIN_CXXFLAGS) -shared -o $@ $<

$(KCOV_CC): compiler/kcov-cc.c | deps-base $(BIN)/.dir
	$(CC) $(CFLAGS) -DKCOV_DEFAULT_CC=\"$(CLANG)\" \
		-DKCOV_PLUGIN_LLVM_MAJOR=$(LLVM_MAJOR) -DKCOV_PLUGIN_GCC_MAJOR=$(GCC_MAJOR) -o $@ $<

# hookrec: the userspace stand-in for kcov that records a program's hooks.
# One object, so that a program links it alone: hookrec and the library's
# trace writer (libc only), linked together, with every symbol but the hooks
# made local, so that a program that links libkcovtrace too has no clash.
# Built without coverage, like the library.
HOOKREC_O := $(LIBDIR)/kcov-ext/hookrec.o
HOOKREC_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -fPIC -Wall -Wextra -Werror -Iinclude
$(OBJ)/hookrec/hookrec.o: compiler/runtime/hookrec.c include/kcovtrace.h | deps-compiler
	@mkdir -p $(@D)
	$(CLANG) $(HOOKREC_CFLAGS) -c -o $@ $<
$(OBJ)/hookrec/tracewrite.o: lib/tracewrite.c include/kcovtrace.h lib/internal.h lib/traceformat.h \
		| deps-compiler
	@mkdir -p $(@D)
	$(CLANG) $(HOOKREC_CFLAGS) -fvisibility=hidden -c -o $@ $<
$(HOOKREC_O): $(OBJ)/hookrec/hookrec.o $(OBJ)/hookrec/tracewrite.o
	@mkdir -p $(@D)
	ld -r -o $@.tmp $^
	objcopy -w --keep-global-symbol='__sanitizer_cov_*' $@.tmp $@
	rm -f $@.tmp

compiler: $(PLUGIN) $(GCC_PLUGIN) $(KCOV_CC) $(HOOKREC_O)
all: compiler
.PHONY: compiler

install: install-compiler
install-compiler: compiler
	install -D -m 0755 $(KCOV_CC) $(DESTDIR)$(PREFIX)/bin/kcov-cc
	install -D -m 0644 $(PLUGIN) $(DESTDIR)$(PREFIX)/lib/kcov-ext/kcov-entry-exit.so
	install -D -m 0644 $(GCC_PLUGIN) $(DESTDIR)$(PREFIX)/lib/kcov-ext/kcov_entry_exit_gcc.so
	install -D -m 0644 $(HOOKREC_O) $(DESTDIR)$(PREFIX)/lib/kcov-ext/hookrec.o
.PHONY: install-compiler

# The compiler demo: a program traced by its own hooks, replayed as a tree.
DEMO_CALC := $(O)/demo/calc
$(DEMO_CALC): compiler/demo/calc.c $(KCOV_CC) $(PLUGIN) $(HOOKREC_O)
	@mkdir -p $(@D)
	$(KCOV_CC) -O1 -fno-inline -fsanitize-coverage=trace-pc,trace-pc-entry-exit -o $@ $< $(HOOKREC_O)

demo-compiler: $(DEMO_CALC) $(KCOVTRACE)
	@echo '== $(DEMO_CALC) "2*(3+4)", built with kcov-cc -fsanitize-coverage=trace-pc,trace-pc-entry-exit'
	@HOOKREC_OUT=$(O)/demo/calc.trace $(DEMO_CALC) '2*(3+4)'
	@echo '== kcovtrace replay --elf $(DEMO_CALC) $(O)/demo/calc.trace'
	@$(KCOVTRACE) replay --elf $(DEMO_CALC) $(O)/demo/calc.trace
.PHONY: demo-compiler
