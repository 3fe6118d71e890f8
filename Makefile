# SPDX-License-Identifier: GPL-2.0-only
#
# kcov-ext: KCOV function entry/exit records, end to end.
#
#   make          build the compiler plugin, kcov-cc, libkcovtrace, kcovtrace
#   make demo     the main job (see README.md)
#   make check    every test
#   make install  PREFIX=/usr/local DESTDIR=
#
# All output goes to $(O) (default build/).  Each part of the tree adds its
# rules through its own build.mk.

O ?= build
PREFIX ?= /usr/local
DESTDIR ?=

LLVM_MAJOR ?= 22
CLANG ?= clang-$(LLVM_MAJOR)
CLANGXX ?= clang++-$(LLVM_MAJOR)
LLVM_BINDIR ?= /usr/lib/llvm-$(LLVM_MAJOR)/bin
LLVM_INCDIR ?= /usr/lib/llvm-$(LLVM_MAJOR)/include

# The GCC the GCC plugin is built for (Debian 12's: gcc-12-plugin-dev).
GCC_MAJOR ?= 12
GCC_PLUGIN_CC ?= gcc-$(GCC_MAJOR)
GCC_PLUGIN_CXX ?= g++-$(GCC_MAJOR)

CC ?= gcc
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	       -Wno-unused-parameter -fno-strict-aliasing
override CFLAGS := $(USER_CFLAGS) $(CFLAGS)

BIN := $(O)/bin
LIBDIR := $(O)/lib
OBJ := $(O)/obj

DEPS := scripts/deps
# Installing packages is part of every target that needs them; a deps-X
# target runs scripts/deps once per make invocation.
deps-%:
	@O=$(O) $(DEPS) $*

.PHONY: all demo check install clean deps-%
.DEFAULT_GOAL := all
all:

include compiler/build.mk
include kernel/build.mk
include lib/build.mk
include tools/build.mk
include tests/build.mk
include lab/build.mk
include lab/qemu-plugin/build.mk
include bench/build.mk

clean:
	rm -rf $(O)

$(O)/.dir $(BIN)/.dir $(LIBDIR)/.dir $(OBJ)/.dir:
	@mkdir -p $(@D) && touch $@

# The main job: build everything (the host's tools too: the README's first
# trace goes on from here), boot the lab kernel, and print the call tree of
# one clock_nanosleep(), recorded and replayed by kcovtrace in the guest
# (symbols from /proc/kallsyms, replay's default on the traced kernel).
# tests/lab/run runs DEMO_CMD too.
DEMO_CMD := kcovtrace record --syscalls clock_nanosleep -o /tmp/sleep.trace -- usleep 1000 && \
	    kcovtrace replay /tmp/sleep.trace
# LAB_CC=gcc: the same on the kernel built with GCC 12 (the gcc variant);
# LAB_CC=clang-23: on the series built by LLVM 23 natively (clang23).
LAB_CC ?= clang
DEMO_VARIANT := $(or $(if $(filter gcc,$(LAB_CC)),gcc),$(if $(filter clang-23,$(LAB_CC)),clang23),ext)
ifneq ($(filter demo,$(MAKECMDGOALS)),)
ifeq ($(filter clang gcc clang-23,$(LAB_CC)),)
$(error LAB_CC=$(LAB_CC): clang, gcc or clang-23)
endif
endif
demo: all lab $(if $(filter-out ext,$(DEMO_VARIANT)),lab-kernel-$(DEMO_VARIANT))
	@echo '== lab/run --kernel $(O)/kernel/obj-$(DEMO_VARIANT)/arch/x86/boot/bzImage -- sh -c "$(DEMO_CMD)"'
	@O=$(O) lab/run --kernel $(O)/kernel/obj-$(DEMO_VARIANT)/arch/x86/boot/bzImage -- sh -c '$(DEMO_CMD)'
	@echo '== next: "A first trace" in README.md; the lab in docs/lab.md'
