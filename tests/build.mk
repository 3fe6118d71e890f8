# SPDX-License-Identifier: GPL-2.0-only
# make check: every test suite, each printing TAP; tests/run sums them up.

TESTS_O := $(O)/tests
SUITES :=

# ---- compiler ----
$(TESTS_O)/compiler/hookcheck: tests/compiler/runtime/hookcheck.c $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -o $@ $< $(LIBKCOVTRACE_A) $(LIB_LDLIBS)

COMPILER_TEST_DEPS := $(PLUGIN) $(GCC_PLUGIN) $(KCOV_CC) $(HOOKREC_O) \
	$(TESTS_O)/compiler/hookcheck
SUITES += tests/compiler/ir/run tests/compiler/runtime/run tests/compiler/driver/run \
	tests/compiler/gcc/run tests/compiler/oracle/run
# The differential harness reads the clang23, ext and gcc kernels: make
# check-gcc, with the gcc kernel's own tests.

check-compiler: $(COMPILER_TEST_DEPS) | deps-test deps-llvm-23
	@O=$(O) CLANG=$(CLANG) CLANGXX=$(CLANGXX) LLVM_BINDIR=$(LLVM_BINDIR) \
		GCC=$(GCC_PLUGIN_CC) GXX=$(GCC_PLUGIN_CXX) \
		tests/run tests/compiler/ir/run tests/compiler/runtime/run tests/compiler/driver/run \
		tests/compiler/gcc/run tests/compiler/oracle/run

check-deps: $(COMPILER_TEST_DEPS) | deps-test deps-llvm-23

check: all check-deps
	@O=$(O) CLANG=$(CLANG) CLANGXX=$(CLANGXX) LLVM_BINDIR=$(LLVM_BINDIR) \
		GCC=$(GCC_PLUGIN_CC) GXX=$(GCC_PLUGIN_CXX) \
		tests/run $(SUITES)
.PHONY: check check-deps check-compiler

# ---- lib ----
$(TESTS_O)/lib/test-decode: tests/lib/test-decode.c tests/lib/testlib.h $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -o $@ $< $(LIBKCOVTRACE_A) $(LIB_LDLIBS)
SUITES += $(TESTS_O)/lib/test-decode
check-deps: $(TESTS_O)/lib/test-decode

# The record filter, on hand-made streams.
$(TESTS_O)/lib/test-filter: tests/lib/test-filter.c tests/lib/testlib.h $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -o $@ $< $(LIBKCOVTRACE_A) $(LIB_LDLIBS)
SUITES += $(TESTS_O)/lib/test-filter
check-deps: $(TESTS_O)/lib/test-filter

# The session's mode fallbacks, against an ioctl() that plays the kernel.
$(TESTS_O)/lib/test-session: tests/lib/test-session.c lib/kcov_uapi.h $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Ilib -Wl,--wrap=ioctl -o $@ $< $(LIBKCOVTRACE_A) $(LIB_LDLIBS)
SUITES += $(TESTS_O)/lib/test-session
check-deps: $(TESTS_O)/lib/test-session

# ---- lab ----
# The lab's tree preparation under a hostile git set-up (seconds).
SUITES += tests/lab/git-config
check-deps: | deps-kernel
SUITES += tests/lab/run
check-deps: lab lab-kernel-noext lab-kernel-sched lab-kernel-clang23
# Each patch of the series builds on its own.
SUITES += tests/lab/each-patch
# The lab's clock and instruction counter, on the ext kernel (about 30 s).
SUITES += tests/lab/measure
# KCOV_TRACE_MEMORY_ACCESS and delay injection on the race kernel (KASAN):
# KUnit, the selftests, and kcovtrace race on the lab module's race.
SUITES += tests/lab/race
check-deps: lab-kernel-race

# The in-guest tests on a real-world kernel (defconfig, KASAN, debug objects):
# too long for make check (its first build takes about half an hour).
check-full: all lab lab-kernel-full | deps-test
	@O=$(O) tests/run tests/lab/full
# The same on the full kernel built with GCC 12 (as long to build).
check-full-gcc: all lab lab-kernel-full-gcc | deps-test
	@O=$(O) tests/run tests/lab/full-gcc
# Every test of the lab on the series' backport to the 6.12 LTS: its ext
# variant's (tests/lab/lts) and the others'.  Out of make check since the
# race kernel (tests/lab/race) took its place in the 30 minutes.
check-lts: all lab lab-kernel-lts lab-kernel-lts-noext lab-kernel-lts-sched \
		lab-kernel-lts-clang23 | deps-test
	@O=$(O) tests/run tests/lab/lts-all
# The GCC kernel: its in-guest tests, and the same kernel/ built by the three
# compilers compared (out of make check's 30 minutes: a kernel build).
check-gcc: all lab lab-kernel-gcc lab-kernel-clang23 $(COMPILER_TEST_DEPS) | deps-test deps-llvm-23
	@O=$(O) CLANG=$(CLANG) CLANGXX=$(CLANGXX) LLVM_BINDIR=$(LLVM_BINDIR) \
		GCC=$(GCC_PLUGIN_CC) GXX=$(GCC_PLUGIN_CXX) \
		tests/run tests/lab/gcc tests/compiler/differential/run
# The filtered stress on the sched kernel in one guest more than the
# host has CPUs, ten runs each (about 90 s): interrupts where context
# switches end, which make check's one run meets rarely.
check-stress: all lab lab-kernel-sched | deps-test
	@O=$(O) tests/run tests/lab/stress-load
# The KUnit suite against mutants of kernel/kcov.c: each mutation fails
# the case that tests what it breaks (a kernel/kcov.c build and a boot
# each, about 1 minute; the first builds the mutant's tree).
check-mutations: all lab lab-kernel-race | deps-test
	@O=$(O) tests/run tests/lab/mutations
# The race proofs with their full counts: tests/lab/race with the lab
# module's two threads side by side 200 times, nothing forced (make check:
# 50), for the hit rate without ordering control.
check-race: all lab lab-kernel-race | deps-test
	@O=$(O) RACE_RUNS=200 tests/run tests/lab/race
.PHONY: check-full check-full-gcc check-lts check-gcc check-stress check-mutations check-race

# ---- docs/using.md, followed on a fresh linux-source-7.3 ----
# The document's make install and kernel build run inside the suite; the
# lab's initramfs (and its static kcovtrace) boots what it builds.  A kernel
# build of its own: make check-using, out of make check's 30 minutes.
check-using: all lab | deps-test
	@O=$(O) tests/run tests/using/run
.PHONY: check-using

# ---- README.md's first trace, run as written ----
SUITES += tests/readme/run
check-deps: lab $(KCOVTRACE)

# ---- fuzzing ----
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LIB_SRCS := lib/decode.c lib/filter.c lib/tracefile.c lib/tracewrite.c lib/symbolize.c lib/kernelid.c \
	lib/print.c
$(TESTS_O)/fuzz/fuzz_parsers: tests/fuzz/fuzz_parsers.c $(FUZZ_LIB_SRCS) $(wildcard lib/*.h) \
		include/kcovtrace.h | deps-compiler deps-test
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_parsers.c $(FUZZ_LIB_SRCS)
SUITES += tests/fuzz/run
check-deps: $(TESTS_O)/fuzz/fuzz_parsers

# ---- kcovtrace ----
SUITES += tests/kcovtrace/run
check-deps: $(KCOVTRACE) lib

# test-trace makes files of other writers with the library's private layout,
# and counts the library's reads.
$(TESTS_O)/lib/test-trace: tests/lib/test-trace.c tests/lib/testlib.h lib/traceformat.h $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Ilib -Wl,--wrap=pread -o $@ $< $(LIBKCOVTRACE_A) $(LIB_LDLIBS)
SUITES += $(TESTS_O)/lib/test-trace
check-deps: $(TESTS_O)/lib/test-trace

# record's stream cuts, on synthetic buffers; its userspace filter, on a
# kcov buffer played by a file.
$(TESTS_O)/tools/test-cut: tests/kcovtrace/test-cut.c tests/lib/testlib.h tools/kcovtrace/record-cut.c \
		$(wildcard tools/kcovtrace/*.h) lib/kcov_uapi.h $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Ilib -Itools/kcovtrace -Wl,--wrap=ioctl -o $@ $< tools/kcovtrace/record-cut.c \
		$(LIBKCOVTRACE_A) $(LIB_LDLIBS)
SUITES += $(TESTS_O)/tools/test-cut
check-deps: $(TESTS_O)/tools/test-cut

# race's analysis: stacks and interference sets of hand-built mode-3 streams.
RACE_TEST_SRCS := tools/kcovtrace/race-interfere.c tools/kcovtrace/hashmap.c tools/kcovtrace/messages.c
$(TESTS_O)/tools/test-race: tests/kcovtrace/test-race.c tests/lib/testlib.h $(RACE_TEST_SRCS) \
		$(wildcard tools/kcovtrace/*.h) $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Itools/kcovtrace -o $@ $< $(RACE_TEST_SRCS) $(LIBKCOVTRACE_A) $(LIB_LDLIBS)
SUITES += $(TESTS_O)/tools/test-race
check-deps: $(TESTS_O)/tools/test-race

# Built as the lab builds the kernel: clang, the source by its absolute path,
# and the directories mapped to "." in its DWARF.
$(TESTS_O)/lib/test-symbolize: tests/lib/test-symbolize.c tests/lib/testlib.h $(LIBKCOVTRACE_A) | deps-compiler
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) -O1 -g -fdebug-prefix-map=$(CURDIR)=. -Iinclude -o $@ $(CURDIR)/$< \
		$(LIBKCOVTRACE_A) $(LIB_LDLIBS)
SUITES += $(TESTS_O)/lib/test-symbolize
check-deps: $(TESTS_O)/lib/test-symbolize

# ---- the host suites under ASan and UBSan ----
# The library, the tool and their unit tests built again with the
# sanitizers in $(O)/asan; tests/asan/run runs them, leaks included.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_TARGETS := bin/kcovtrace lib tests/lib/test-decode tests/lib/test-filter \
	tests/lib/test-session tests/lib/test-trace tests/lib/test-symbolize tests/tools/test-cut \
	tests/tools/test-race
check-asan-deps: | deps-lib deps-test
	@$(MAKE) -s O=$(O)/asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="$(ASAN_FLAGS)" \
		$(addprefix $(O)/asan/,$(filter-out lib,$(ASAN_TARGETS))) lib
check-asan: check-asan-deps
	@O=$(O) tests/run tests/asan/run
SUITES += tests/asan/run
check-deps: check-asan-deps
.PHONY: check-asan check-asan-deps
