# SPDX-License-Identifier: GPL-2.0-only
# The QEMU lab: the patched kernel (lab/build), the guest's programs and
# its initramfs.  lab/run boots it.

LAB_O := $(O)/lab
LAB_KOBJ := $(O)/kernel/obj-ext
LAB_UAPI := $(LAB_KOBJ)/usr/include
LAB_GUEST_BINS := $(patsubst lab/guest/%.c,$(LAB_O)/guest/%,$(wildcard lab/guest/*.c)) \
	$(LAB_O)/guest/kcov-u
LAB_GUEST_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -static -Iinclude -isystem $(LAB_UAPI)

# lab/build decides what to rebuild; make only makes sure it runs.
lab-kernel: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant ext
lab-kernel-noext: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant noext
lab-kernel-sched: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant sched
# The minimal kernel with KASAN and KCOV_TRACE_MEMORY_ACCESS (race
# exploration, docs/races.md).
lab-kernel-race: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant race
lab-kernel-full: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant full
lab-kernel-full-noext: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant full-noext
lab-kernel-gcc: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant gcc
lab-kernel-gcc-noext: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant gcc-noext
lab-kernel-full-gcc: compiler | deps-kernel deps-lab
	@O=$(O) lab/build --variant full-gcc
# The series alone, built by LLVM 23 natively (scripts/deps llvm-23: a
# Debian sid root of its own).
lab-kernel-clang23: compiler | deps-kernel deps-lab deps-llvm-23
	@O=$(O) lab/build --variant clang23
# The series' backport to the 6.12 LTS (kernel/backports/6.12): lab-kernel-lts
# is its ext, lab-kernel-lts-VARIANT its other variants.
lab-kernel-lts: compiler | deps-kernel-lts deps-lab
	@O=$(O) lab/build --variant lts
lab-kernel-lts-%: compiler | deps-kernel-lts deps-lab deps-llvm-23
	@O=$(O) lab/build --variant lts-$*
.PHONY: lab-kernel lab-kernel-noext lab-kernel-sched lab-kernel-race lab-kernel-full lab-kernel-full-noext \
	lab-kernel-gcc lab-kernel-gcc-noext lab-kernel-full-gcc lab-kernel-clang23 lab-kernel-lts

$(LAB_O)/guest/%: lab/guest/%.c $(wildcard lab/guest/*.h) $(LIBKCOVTRACE_A) include/kcovtrace.h | lab-kernel
	@mkdir -p $(@D)
	$(CC) $(LAB_GUEST_CFLAGS) -o $@ $< $(LIBKCOVTRACE_A) -lpthread

# kcov_tasks once more, dynamically linked: the initramfs has glibc's loader
# and libc.so.6 for it (and nothing else dynamic).
$(LAB_O)/guest/kcov_tasks-dyn: lab/guest/kcov_tasks.c | lab-kernel
	@mkdir -p $(@D)
	$(CC) $(filter-out -static,$(LAB_GUEST_CFLAGS)) -o $@ $< -lpthread
LAB_GUEST_BINS += $(LAB_O)/guest/kcov_tasks-dyn
LAB_DYN_LIBS := /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libc.so.6

# The seed's example, unchanged but for the lines the mail archive cut off.
$(LAB_O)/guest/kcov-u: lab/seed/kcov-u.c | lab-kernel
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -static -isystem $(LAB_UAPI) -o $@ $<

# The series' selftests (KCOV_FILTER, KCOV_TRACE_MEMORY_ACCESS, its delay
# injection), from the lab's tree (they are there once lab-kernel has
# applied the series).
LAB_SELFTESTS := kcov_filter_test kcov_memory_test kcov_di_test
LAB_SELFTEST_DIR := $(O)/kernel/src/tools/testing/selftests/kcov
$(LAB_SELFTESTS:%=$(LAB_O)/guest/%): $(LAB_O)/guest/%: $(wildcard $(LAB_SELFTEST_DIR)/*.c) | lab-kernel
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -isystem $(LAB_UAPI) -o $@ $(LAB_SELFTEST_DIR)/$(@F).c
LAB_GUEST_BINS += $(LAB_SELFTESTS:%=$(LAB_O)/guest/%)

# kcovtrace itself, with ELF and DWARF support: libdw and its libraries
# linked statically, the C library dynamically (the initramfs's
# LAB_DYN_LIBS), for race's dlopen() of a test case.
$(LAB_O)/guest/kcovtrace: $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A)
	@mkdir -p $(@D)
	$(CC) -o $@ $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A) \
		-Wl,-Bstatic -ldw -lelf -lz -llzma -lbz2 -Wl,-Bdynamic -static-libgcc
	LC_ALL=C readelf -d $@ | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | \
		{ ! grep -vx 'libc.so.6'; } || { echo "$@ needs more than libc.so.6" >&2; rm -f $@; exit 1; }
LAB_GUEST_BINS += $(LAB_O)/guest/kcovtrace

# Race test cases (docs/races.md), for kcovtrace race: in the guest's
# /usr/lib/kcovtrace-race/.
LAB_RACE_CASES := $(patsubst lab/race/%.c,$(LAB_O)/race/%.so,$(wildcard lab/race/*.c))
$(LAB_O)/race/%.so: lab/race/%.c
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O2 -g -Wall -Wextra -Werror -o $@ $<

$(LAB_O)/initramfs.cpio: lab/guest/init $(LAB_GUEST_BINS) $(LAB_RACE_CASES) | deps-lab
	rm -rf $(LAB_O)/root && mkdir -p $(LAB_O)/root/bin $(LAB_O)/root/usr/bin \
		$(LAB_O)/root/proc $(LAB_O)/root/sys $(LAB_O)/root/dev $(LAB_O)/root/tmp $(LAB_O)/root/lab
	cp /bin/busybox $(LAB_O)/root/bin/busybox
	cp lab/guest/init $(LAB_O)/root/init
	cp $(LAB_GUEST_BINS) $(LAB_O)/root/usr/bin/
	mkdir -p $(LAB_O)/root/usr/lib/kcovtrace-race && cp $(LAB_RACE_CASES) $(LAB_O)/root/usr/lib/kcovtrace-race/
	for lib in $(LAB_DYN_LIBS); do \
		mkdir -p $(LAB_O)/root$$(dirname $$lib) && cp -L $$lib $(LAB_O)/root$$lib || exit 1; \
	done
	cd $(LAB_O)/root && find . | LC_ALL=C sort | cpio -o -H newc --quiet > $(abspath $@).tmp
	mv $@.tmp $@

lab: lab-kernel $(LAB_O)/initramfs.cpio
.PHONY: lab
