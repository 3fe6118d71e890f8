# SPDX-License-Identifier: GPL-2.0-only
# Benchmarks print numbers and ratios; they assert nothing.

bench-instrumentation: $(KCOV_CC) $(PLUGIN) $(LINUX_PRISTINE)/.stamp | deps-compiler
	@O=$(O) CLANG=$(CLANG) LINUX_SRC=$(LINUX_PRISTINE) bench/instrumentation/run

bench: bench-instrumentation
.PHONY: bench bench-instrumentation

bench-kernel: lab lab-kernel-noext
	@O=$(O) bench/kernel/run
bench: bench-kernel
# The same on the full variant (not part of make bench: two long builds).
bench-kernel-full: lab lab-kernel-full lab-kernel-full-noext
	@O=$(O) VARIANT=full bench/kernel/run
# The same on the GCC kernel, against GCC's classic build.
bench-kernel-gcc: lab lab-kernel-gcc lab-kernel-gcc-noext
	@O=$(O) VARIANT=gcc bench/kernel/run
bench: bench-kernel-gcc
# KASAN alone against KASAN with KCOV_TRACE_MEMORY_ACCESS, on the race
# variant (docs/races.md).
bench-race: lab lab-kernel-race
	@O=$(O) VARIANT=race bench/kernel/run
bench: bench-race
.PHONY: bench-kernel bench-kernel-full bench-kernel-gcc bench-race

# The same syscalls' trees on the clang and the GCC kernel, side by side.
bench-compilers: lab lab-kernel-gcc lab-kernel-clang23
	@O=$(O) bench/compilers/run
bench: bench-compilers
.PHONY: bench-compilers

# What following a command's threads costs per syscall (kcovtrace record).
bench-follow: lab
	@O=$(O) bench/follow/run
bench: bench-follow
.PHONY: bench-follow

# What KCOV_FILTER saves and costs per syscall; on the full variant too if
# it is built.
bench-filter: lab
	@O=$(O) bench/filter/run
bench: bench-filter
.PHONY: bench-filter

$(O)/bench/decode/%: bench/decode/%.c bench/decode/rnd.h $(LIBKCOVTRACE_A) include/kcovtrace.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -o $@ $< $(LIBKCOVTRACE_A) $(LIB_LDLIBS)

# opentrace counts the library's pread() calls through --wrap.
$(O)/bench/decode/opentrace: bench/decode/opentrace.c bench/decode/rnd.h $(LIBKCOVTRACE_A) include/kcovtrace.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Wl,--wrap=pread -o $@ $< $(LIBKCOVTRACE_A) $(LIB_LDLIBS)

bench-decode: $(O)/bench/decode/gen $(O)/bench/decode/decode $(O)/bench/decode/opentrace \
		$(O)/bench/decode/usergen $(KCOVTRACE)
	@O=$(O) bench/decode/run

# The fuzzer, for longer than make check runs it.
bench-fuzz: $(TESTS_O)/fuzz/fuzz_parsers
	@O=$(O) FUZZ_RUNS=$${FUZZ_RUNS:-10000000} tests/fuzz/run

bench: bench-decode bench-fuzz
.PHONY: bench-decode bench-fuzz
