# SPDX-License-Identifier: GPL-2.0-only
# The QEMU TCG plugin that counts guest instructions between markers
# (lab/run --plugin; the benchmarks' instructions per call).

LAB_INSN_COUNT := $(O)/lab/insn_count.so

$(LAB_INSN_COUNT): lab/qemu-plugin/insn_count.c lab/qemu-plugin/qemu-plugin.h \
		lab/guest/insn_marker.h | deps-base
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g -Wall -Wextra -Werror -fPIC -fvisibility=hidden -shared \
		-Ilab/guest -o $@ $<

lab: $(LAB_INSN_COUNT)
