# SPDX-License-Identifier: GPL-2.0-only
# Benchmarks print numbers and ratios; they assert nothing.

bench-instrumentation: $(KCOV_CC) $(PLUGIN) $(LINUX_PRISTINE)/.stamp | deps-compiler
	@O=$(O) CLANG=$(CLANG) LINUX_SRC=$(LINUX_PRISTINE) bench/instrumentation/run

bench: bench-instrumentation
.PHONY: bench bench-instrumentation

bench-kernel: lab lab-kernel-noext
	@O=$(O) bench/kernel/run
bench: bench-kernel
.PHONY: bench-kernel
