// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn_count: a QEMU TCG plugin that counts the guest instructions executed
 * between markers (lab/guest/insn_marker.h), a number that does not depend
 * on how fast the host runs the guest.
 *
 * Every instruction gets an inline add to one counter (exact per executed
 * instruction, also when an exception leaves a block early: a faulting
 * instruction counts once per attempt).  A marker executed in user space
 * also calls on_marker(), which prints, with qemu_plugin_outs() (QEMU's log:
 * -d plugin, -D FILE), the instructions since the marker before:
 *
 *   insn_count: mark ID insns N
 *
 * and at QEMU's exit, "insn_count: total insns N marks M".
 *
 * One vCPU only (-smp 1): in QEMU 7.2 an inline add writes one address
 * from every vCPU's thread, without atomics, and counts them all together;
 * the plugin refuses more.  What remains to vary from run to run is what
 * the guest's kernel does at times of the host's clock (timer interrupts,
 * other tasks): it adds instructions, so the smallest count of repeated
 * intervals is the one to take.
 *
 *   qemu-system-x86_64 -smp 1 -plugin file=insn_count.so -d plugin -D log ...
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "qemu-plugin.h"
#include "insn_marker.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* x86-64's user half: the kernel never executes a marker. */
#define USER_TOP 0x0000800000000000ull

static uint64_t insns;		/* instructions executed */
static uint64_t at_last_mark;	/* insns at the last marker */
static uint64_t marks;

static void out(const char *fmt, uint64_t a, uint64_t b)
{
	char line[96];

	snprintf(line, sizeof(line), fmt, a, b);
	qemu_plugin_outs(line);
}

static void on_marker(unsigned int vcpu_index, void *userdata)
{
	(void)vcpu_index;
	marks++;
	out("insn_count: mark %" PRIu64 " insns %" PRIu64 "\n", (uintptr_t)userdata,
	    insns - at_last_mark);
	at_last_mark = insns;
}

/* The marker's ID, or -1 if INSN is no marker. */
static long marker_id(const struct qemu_plugin_insn *insn)
{
	const uint8_t *b = qemu_plugin_insn_data(insn);

	if (qemu_plugin_insn_size(insn) != INSN_MARKER_SIZE ||
	    qemu_plugin_insn_vaddr(insn) >= USER_TOP ||
	    b[0] != INSN_MARKER_OPCODE0 || b[1] != INSN_MARKER_OPCODE1 ||
	    b[2] != INSN_MARKER_MODRM || (b[5] | b[6] << 8) != INSN_MARKER_MAGIC)
		return -1;
	return b[3] | b[4] << 8;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		long mark = marker_id(insn);

		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
							   &insns, 1);
		if (mark >= 0)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)mark);
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	out("insn_count: total insns %" PRIu64 " marks %" PRIu64 "\n", insns, marks);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	if (argc > 0) {
		fprintf(stderr, "insn_count: unknown argument '%s' (it takes none)\n", argv[0]);
		return 1;
	}
	if (info->system_emulation &&
	    (info->system.smp_vcpus != 1 || info->system.max_vcpus != 1)) {
		fprintf(stderr, "insn_count: counts on one vCPU only (-smp 1), not %d\n",
			info->system.max_vcpus);
		return 1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
