/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The marker that delimits what the QEMU plugin insn_count
 * (lab/qemu-plugin/insn_count.c) counts: INSN_MARK(ID) is one instruction,
 * "nopl 0x4b43NNNN(%rax)" with the 16-bit ID in NNNN (bytes 0f 1f 80 NN NN 43
 * 4b), a NOP that touches no memory and does nothing without the plugin.
 * Compilers pad with NOPs whose displacement is 0, never this one.
 *
 * With the plugin, each marker executed in user space prints, in QEMU's
 * log, the guest instructions executed since the marker before it:
 *
 *   insn_count: mark ID insns N
 *
 * So INSN_MARK(0); work(); INSN_MARK(K); gives, on K's line, the
 * instructions of work() (every one, user and kernel, interrupts included)
 * and of the marker before it.
 */
#ifndef LAB_INSN_MARKER_H
#define LAB_INSN_MARKER_H

/* The marker's bytes, for the plugin too. */
#define INSN_MARKER_OPCODE0 0x0f
#define INSN_MARKER_OPCODE1 0x1f
#define INSN_MARKER_MODRM 0x80
#define INSN_MARKER_MAGIC 0x4b43	/* the displacement's upper half */
#define INSN_MARKER_SIZE 7

/* ID: a compile-time constant from 0 to 65535.  A compiler barrier too. */
#define INSN_MARK(id)                                                                 \
	__asm__ volatile(".byte 0x0f, 0x1f, 0x80; .short %c0; .short %c1"               \
			 :: "i"((id) & 0xffff), "i"(INSN_MARKER_MAGIC) : "memory")

#endif
